"""The discretion rule in the views' notes follows ``TRYG_MIN_COUNT`` (never a written "5")."""

from __future__ import annotations

import pytest

from tryg_geo import build_view, default_filters


@pytest.mark.parametrize("key", ["overblik", "byens-rum", "indsats/tryg-bydel"])
def test_notes_state_the_configured_threshold(demo_ds, key: str, monkeypatch) -> None:
    monkeypatch.setenv("TRYG_MIN_COUNT", "10")
    view = build_view(key, demo_ds, default_filters(demo_ds))
    notes = " ".join(view.notes)
    assert "Tal under 10 vises som '<10'" in notes, notes
    assert "under 5 " not in notes and "'<5'" not in notes
