"""Overblik's deck buttons in Streamlit's AppTest: made on click with the page's filters,
progress shown, then a button saves the file; a changed filter drops a deck made before."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

import tryg_geo.render.pack as pack

REPO = Path(__file__).resolve().parents[2]
EARLY = {"preset": "custom", "fra": "2015-02-01", "til": "2015-03-31"}


@pytest.fixture()
def overblik(monkeypatch: pytest.MonkeyPatch, demo_dir: Path) -> AppTest:
    monkeypatch.setenv("TRYG_DATA_DIR", str(demo_dir))
    monkeypatch.setenv("TRYG_BASEMAP", "none")
    # Two views keep the deck quick; the walk over all views is tested in tests/render.
    monkeypatch.setattr(pack, "view_keys", lambda: ["natteliv", "indsats/patientens-team"])
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.query_params.update(EARLY)
    at.run()
    assert not at.exception, at.exception
    return at


def save_buttons(at: AppTest) -> list:
    return [
        e.proto
        for e in at.get("download_button")
        if getattr(e, "proto", None) is not None and e.proto.label.startswith("Gem ")
    ]


def test_both_buttons_are_on_overblik_and_nothing_is_made_before_a_click(overblik):
    labels = [b.label for b in overblik.button]
    assert "Hent præsentation (PowerPoint)" in labels
    assert "Hent præsentation (PDF)" in labels
    assert save_buttons(overblik) == []


def test_a_click_makes_the_deck_with_the_page_filters(overblik):
    overblik.button(key="deck_pdf").click().run()
    assert not overblik.exception, overblik.exception
    labels = [e.label for e in overblik.status]
    assert "Præsentationen er klar: 4 sider, 1 uden data." in labels
    (save,) = save_buttons(overblik)
    assert save.label == "Gem tryg-geo_styregruppe_2015-02-01_2015-03-31.pdf"
    deck = overblik.session_state["_deck"]["pdf"][1]
    assert len(PdfReader(io.BytesIO(deck.data)).pages) == 4


def test_a_changed_filter_drops_the_deck_made_before(overblik):
    overblik.button(key="deck_pptx").click().run()
    assert len(save_buttons(overblik)) == 1
    overblik.selectbox(key="flt_preset").set_value("all").run()
    assert not overblik.exception, overblik.exception
    assert save_buttons(overblik) == []


def _paths(node, path=()):
    """(delta path, element) of every element under ``node`` of AppTest's tree."""
    children = getattr(node, "children", None)
    if not children:
        yield path, node
        return
    for index, child in children.items():
        yield from _paths(child, (*path, index))


def test_one_file_per_format_each_kept_for_its_filters(overblik):
    overblik.button(key="deck_pdf").click().run()
    overblik.button(key="deck_pptx").click().run()
    assert not overblik.exception, overblik.exception
    labels = sorted(b.label for b in save_buttons(overblik))
    assert labels == [
        "Gem tryg-geo_styregruppe_2015-02-01_2015-03-31.pdf",
        "Gem tryg-geo_styregruppe_2015-02-01_2015-03-31.pptx",
    ]
    stored = overblik.session_state["_deck"]
    assert stored["pdf"][1].fmt == "pdf" and stored["pptx"][1].fmt == "pptx"


def test_no_save_button_of_the_run_before_stays_while_a_new_deck_is_made(overblik, monkeypatch):
    """What the browser shows while the PowerPoint is made: the screen of the run before with
    this run's deltas so far laid over it. No 'Gem …' button may be left in it."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    import pages.ui.deck as page

    overblik.button(key="deck_pdf").click().run()
    before = {
        path: element.proto.label
        for path, element in _paths(overblik._tree)
        if getattr(element, "type", "") == "download_button"
    }
    assert any(label.startswith("Gem ") for label in before.values())
    seen: dict = {}
    real = page.make_deck

    def watched(*args, **kwargs):
        runner = get_script_run_ctx()._enqueue.__self__
        written = {
            tuple(m.metadata.delta_path): m.delta
            for m in runner.forward_msgs()
            if m.HasField("delta")
        }
        seen["stale"] = [
            label
            for path, label in before.items()
            if label.startswith("Gem ")
            and (
                path not in written
                or written[path].new_element.WhichOneof("type") == "download_button"
            )
        ]
        return real(*args, **kwargs)

    monkeypatch.setattr(page, "make_deck", watched)
    overblik.button(key="deck_pptx").click().run()
    assert not overblik.exception, overblik.exception
    assert seen == {"stale": []}
