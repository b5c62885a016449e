"""What each role gets built, in Streamlit's AppTest (the browser test signs in for real).

AppTest takes the ``[auth]`` secrets and the signed-in user's claims directly (``at.secrets``,
``at.user``), so these tests check the server-side decisions quickly: which pages exist for a
role, what the Data page builds, the Analyse page's analyst detail, and the three modes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from tryg_geo.store.dataset import load_dataset
from tryg_geo.store.folder import Store

REPO = Path(__file__).resolve().parents[2]
DASHBOARD = str(REPO / "dashboard.py")
AUTH = {
    "redirect_uri": "https://tryggeo.aalborg.dk/oauth2callback",
    "cookie_secret": "q5Xv0-Rz8Lm2Tb7Wc4Ny9Hd1Kf6Jp3Gs_Ae0Uo5Vi8Ew",  # a fixed token_urlsafe
    "client_id": "tryg-geo",
    "client_secret": "hemmelig",
    "server_metadata_url": "https://login.aalborg.dk/.well-known/openid-configuration",
}
ROLES = '[users]\n"l@aalborg.dk" = "leder"\n"a@aalborg.dk" = "analytiker"\n"d@aalborg.dk" = "dataansvarlig"\n'
EMAIL = {"leder": "l@aalborg.dk", "analytiker": "a@aalborg.dk", "dataansvarlig": "d@aalborg.dk"}


def linked_data(monkeypatch: pytest.MonkeyPatch, demo_dir: Path, tmp_path: Path) -> Path:
    """The shared demo data, read through a folder of links to its files that also holds a
    ``roles.toml`` (:data:`ROLES`): the data folder of the dashboard under test (here and in
    ``test_alerts_overblik.py``)."""
    data = tmp_path / "data"
    data.mkdir()
    for child in demo_dir.iterdir():
        (data / child.name).symlink_to(child)
    (data / "roles.toml").write_text(ROLES, encoding="utf-8")
    monkeypatch.setenv("TRYG_DATA_DIR", str(data))
    monkeypatch.setenv("TRYG_BASEMAP", "none")
    monkeypatch.delenv("TRYG_ALLOW_OPEN", raising=False)
    return data


@pytest.fixture()
def env(monkeypatch: pytest.MonkeyPatch, demo_dir: Path, tmp_path: Path) -> Path:
    """The shared demo data, read through a copy of its folder that holds a ``roles.toml``."""
    return linked_data(monkeypatch, demo_dir, tmp_path)


@pytest.fixture()
def address() -> Iterator[None]:
    yield
    config.set_option("server.address", "127.0.0.1")  # as tests/conftest.py set it


def run(role: str | None = None, *, signed_in: bool = True, auth: bool = True) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    if auth:
        at.secrets["auth"] = AUTH
        at.user = {
            "email": EMAIL.get(role or "", "x@example.com"),
            "email_verified": True,
            "is_logged_in": signed_in,
        }
    at.run()
    assert not at.exception, at.exception
    return at


def pages_of(at: AppTest) -> set[str]:
    """The page scripts the navigation of this session holds."""
    known = set()
    for script in SCRIPTS:
        try:
            at.switch_page(f"pages/{script}.py")
        except ValueError:
            continue
        known.add(script)
    return known


def texts(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("title", "markdown", "caption", "header", "subheader")
        for e in at.get(kind)
    ]
    return " ".join(str(p) for p in parts)


SCRIPTS = ("overblik", "tryg_bydel", "natteliv", "byens_rum", "analyse", "indsatser", "data")


def test_not_signed_in_gets_only_the_login_button(env: Path) -> None:
    at = run(signed_in=False)
    assert [b.label for b in at.button] == ["Log ind"]
    assert [t.value for t in at.title] == ["Tryg Geo"]
    assert "Demodata" not in texts(at) and not at.dataframe and not at.table and not at.metric


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_page_run_without_the_gate_still_shows_nothing(env: Path, script: str) -> None:
    """AppTest, like ``streamlit run dashboard.py`` without ``serve.py``, can run a page
    script by itself, past dashboard.py's gate: the page's own lock must hold."""
    at = run(signed_in=False)
    at.switch_page(f"pages/{script}.py").run()
    assert not at.exception, at.exception
    assert [b.label for b in at.button] == ["Log ind"]
    assert "Demodata" not in texts(at) and not at.dataframe and not at.table and not at.metric
    at = run("stranger")
    at.switch_page(f"pages/{script}.py").run()
    assert [t.value for t in at.title] == ["Ingen adgang"]
    assert not at.dataframe and not at.table and not at.metric


def test_no_role_gets_ingen_adgang(env: Path) -> None:
    at = run("stranger")
    assert [t.value for t in at.title] == ["Ingen adgang"]
    assert "x@example.com" in texts(at)
    assert [b.label for b in at.button] == ["Log ud"]


def test_leder_has_the_views_but_no_data_page(env: Path) -> None:
    at = run("leder")
    assert {"overblik", "tryg_bydel", "natteliv", "byens_rum"} <= pages_of(at)
    assert "data" not in pages_of(at)
    assert "Logget ind som l@aalborg.dk · Leder" in texts(at)


def test_analytiker_data_page_has_status_and_log_but_no_import(env: Path) -> None:
    at = run("analytiker")
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    headings = [s.value for s in [*at.header, *at.subheader]]
    assert "Indlæst nu" in headings and "Importlog" in headings
    assert "Importér en fil" not in headings and "Rul tilbage" not in headings
    assert not at.get("file_uploader")


def test_dataansvarlig_data_page_has_import_and_rollback(env: Path) -> None:
    at = run("dataansvarlig")
    at.switch_page("pages/data.py").run()
    headings = [s.value for s in [*at.header, *at.subheader]]
    assert {"Importér en fil", "Indlæst nu", "Rul tilbage", "Importlog"} <= set(headings)
    assert at.get("file_uploader")


@pytest.mark.parametrize(("role", "detail"), [("leder", False), ("analytiker", True)])
def test_analyst_detail_only_for_analytiker_and_up(env: Path, role: str, detail: bool) -> None:
    at = run(role)
    # Every category on 1 km cells: the small shared demo then has emerging patterns.
    categories = load_dataset(Store(env)).categories
    at.query_params.update({"kat": ",".join(categories), "celle": "1km"})
    at.switch_page("pages/analyse.py").run()
    assert not at.exception, at.exception
    frames = [df.value for df in at.dataframe] + [t.value.reset_index() for t in at.table]
    has_z = any(any("z" in str(c).lower() for c in f.columns) for f in frames)
    assert has_z is detail
    # Emerging hot spots: everyone sees the patterns summed up (Danish headers, no raw names);
    # only analysts the per-cell z-series and trend (S, tau, p), never raw column names.
    summary = [f for f in frames if "Betydning" in f.columns]
    assert len(summary) == 1 and summary[0].columns[0] == "Mønster"
    cells = [f for f in frames if "Celle (DDKN)" in f.columns and "Mønster" in f.columns]
    assert len(cells) == int(detail)
    series = [c for f in cells for c in f.columns if str(c).startswith(("Gi* z ", "Kendalls"))]
    assert bool(series) is detail
    raw = [c for f in frames for c in f.columns if str(c).startswith(("z_", "mk_"))]
    assert not raw


def test_local_mode_is_dataansvarlig_with_a_quiet_banner(env: Path) -> None:
    at = run(auth=False)
    assert "Lokal tilstand – ingen login" in [c.value for c in at.caption]
    assert "data" in pages_of(at)
    assert not at.warning or all("Åben tilstand" not in w.value for w in at.warning)


def test_open_address_without_auth_is_refused_on_every_run(
    env: Path, address: None, caplog: pytest.LogCaptureFixture
) -> None:
    config.set_option("server.address", "0.0.0.0")
    with caplog.at_level("ERROR", logger="tryg_geo.access"):
        at = run(auth=False)
    assert [t.value for t in at.title] == ["Tryg Geo kan ikke åbne"]
    # The browser gets one generic sentence; how to fix it goes to the operator's log only.
    shown = at.error[0].value
    assert "ikke sat rigtigt op" in shown and "TRYG_ALLOW_OPEN" not in shown
    assert "TRYG_ALLOW_OPEN=1" in caplog.text
    assert not at.dataframe and not at.table and not at.metric


def test_allow_open_warns_on_every_page(
    env: Path, address: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    config.set_option("server.address", "0.0.0.0")
    monkeypatch.setenv("TRYG_ALLOW_OPEN", "1")
    at = run(auth=False)  # Overblik
    assert any("Åben tilstand uden login" in w.value for w in at.sidebar.warning)
    for page in ("pages/natteliv.py", "pages/data.py"):
        at.switch_page(page).run()
        assert any("Åben tilstand uden login" in w.value for w in at.sidebar.warning), page
