"""Overblik shows an alert to the roles it concerns, with the time it fired, until the person
marks it as seen (kept in the data folder, per user)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_roles import AUTH, DASHBOARD, linked_data, texts

from tryg_geo.store.notices import add_alerts, seen_by

ALERT = {
    "key": "stigning:Vold i Midtbyen|2025-10-01|2025-12-31|aalborg-midtby",
    "rule": "Vold i Midtbyen",
    "kind": "stigning",
    "text": "Vold i Aalborg Midtby steg +590 %: 69 mod 10 samme periode sidste år.",
    "view": "tryg-bydel",
    "params": {"omr": "aalborg-midtby", "kat": "vold"},
    "roles": ["analytiker"],
    "addresses": [],
    "period": "01.10.2025–31.12.2025",
}


@pytest.fixture()
def env(monkeypatch: pytest.MonkeyPatch, demo_dir: Path, tmp_path: Path) -> Path:
    """The shared demo data through a folder of links, with roles.toml and one alert."""
    data = linked_data(monkeypatch, demo_dir, tmp_path)
    add_alerts([ALERT], data)
    return data


def signed_in(email: str) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"email": email, "email_verified": True, "is_logged_in": True}
    at.run()
    assert not at.exception, at.exception
    return at


def test_only_the_analyst_sees_it_until_marked_seen(env: Path) -> None:
    leader = signed_in("l@aalborg.dk")
    assert "Vold i Midtbyen" not in texts(leader) and "Alarmer" not in texts(leader)
    analyst = signed_in("a@aalborg.dk")
    shown = texts(analyst)
    assert "Alarmer" in shown and "Vold i Midtbyen" in shown and "Udløst " in shown
    (seen,) = [b for b in analyst.button if b.label == "Markér som set"]
    seen.click().run()
    assert not analyst.exception, analyst.exception
    assert "Vold i Midtbyen" not in texts(analyst)
    assert seen_by("a@aalborg.dk", env) == {ALERT["key"]}
