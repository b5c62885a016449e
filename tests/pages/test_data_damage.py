"""Damaged data in the dashboard: the data steward sees the file, the cause and the repair
command; every other role sees "Data er midlertidigt utilgængelige" and no path."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tryg_geo import DATA_UNAVAILABLE, Store, import_file

AUTH = {  # as in test_roles.py: AppTest takes the secrets and the signed-in user directly
    "redirect_uri": "https://tryggeo.aalborg.dk/oauth2callback",
    "cookie_secret": "q5Xv0-Rz8Lm2Tb7Wc4Ny9Hd1Kf6Jp3Gs_Ae0Uo5Vi8Ew",  # a fixed token_urlsafe
    "client_id": "tryg-geo",
    "client_secret": "hemmelig",
    "server_metadata_url": "https://login.aalborg.dk/.well-known/openid-configuration",
}
EMAIL = {"leder": "l@aalborg.dk", "analytiker": "a@aalborg.dk", "dataansvarlig": "d@aalborg.dk"}
ROLES = "[users]\n" + "".join(f'"{e}" = "{r}"\n' for r, e in EMAIL.items())
REPO = Path(__file__).resolve().parents[2]
BAD = REPO / "tests" / "data" / "bad"


@pytest.fixture()
def damaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder whose current incidents file was changed after its import."""
    root = tmp_path / "data"
    store = Store(root)
    import_file("incidents", BAD / "decimal_comma.csv", store=store)
    import_file("incidents", BAD / "cp1252_aeoeaa.csv", store=store)
    (root / "roles.toml").write_text(ROLES, encoding="utf-8")
    path = root / "incidents" / store._current_name("incidents") / "data.parquet"
    data = bytearray(path.read_bytes())
    data[200] ^= 0xFF
    path.write_bytes(bytes(data))
    monkeypatch.setenv("TRYG_DATA_DIR", str(root))
    monkeypatch.setenv("TRYG_BASEMAP", "none")
    monkeypatch.delenv("TRYG_ALLOW_OPEN", raising=False)
    return path


def shown(role: str, page: str) -> tuple[str, str]:
    """(the error boxes, every text element) of ``page`` for ``role``."""
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"email": EMAIL[role], "email_verified": True, "is_logged_in": True}
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    errors = " ".join(str(e.value) for e in at.error)
    every = " ".join(
        str(e.value)
        for kind in ("error", "warning", "info", "markdown", "caption", "title", "text")
        for e in at.get(kind)
    )
    return errors, every


def _unescaped(text: str) -> str:
    return text.replace("\\", "")


def test_leder_sees_unavailable_and_no_path(damaged: Path) -> None:
    errors, every = shown("leder", "pages/overblik.py")
    assert DATA_UNAVAILABLE in errors
    assert str(damaged.parent.parent) not in _unescaped(every) and "parquet" not in every


def test_analytiker_data_page_says_unavailable_without_paths(damaged: Path) -> None:
    errors, every = shown("analytiker", "pages/data.py")
    assert DATA_UNAVAILABLE in errors
    assert "data.parquet" not in _unescaped(errors)


@pytest.mark.parametrize("page", ["pages/overblik.py", "pages/data.py"])
def test_dataansvarlig_sees_file_cause_and_repair(damaged: Path, page: str) -> None:
    errors, _ = shown("dataansvarlig", page)
    text = _unescaped(errors)
    assert str(damaged) in text
    assert "indholdet er ændret siden importen" in text
    assert "python -m tryg_geo rollback incidents" in text
