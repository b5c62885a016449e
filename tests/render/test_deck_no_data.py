"""The deck's "Uden data" page: every entry fits on the PDF page, the long import instruction is a
paragraph (not a bullet), and an initiative is never confused with a view of the same name."""

from __future__ import annotations

import io
from datetime import date

import pytest
import tiny_data
from pptx import Presentation

import tryg_geo.render.deck as deck
from tryg_geo.render.deck_pdf import text_figure
from tryg_geo.views.registry import default_filters

EXTRACTED = date(2026, 11, 25)


@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    """Districts and places, no incidents and no measurements: nearly every view is left out."""
    return tiny_data.build(tmp_path_factory.mktemp("empty"))


@pytest.fixture(scope="module")
def slide(empty):
    slides, left_out = deck.deck_slides(empty, default_filters(empty), extracted=EXTRACTED)
    (found,) = [s for s in slides if s.title == deck.NO_DATA_TITLE]
    assert len(found.bullets) == len(left_out) >= 15
    return found


def test_entries_are_short_names_and_the_instruction_a_paragraph(slide):
    assert not any("python -m" in b or "importér" in b for b in slide.bullets)
    assert any("python -m tryg_geo import measurements" in line for line in slide.after)
    assert len(set(slide.bullets)) == len(slide.bullets)
    # The view "Tryg bydel – …" and the initiative "Tryg bydel" are told apart.
    assert "Indsats: Tryg bydel" in slide.bullets and "Tryg bydel" not in slide.bullets
    assert any(b.startswith("Tryg bydel – ") for b in slide.bullets)


def test_pdf_page_shows_every_entry_inside_the_page(slide):
    figure = text_figure(slide)
    renderer = figure.canvas.get_renderer()
    drawn = " ".join(t.get_text().replace("\n", " ") for t in figure.texts)
    for entry in slide.bullets + slide.lines + slide.after:
        assert entry in drawn
    for text in figure.texts:
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.y0 >= 0, text.get_text()
        assert box.x1 <= figure.bbox.width and box.y1 <= figure.bbox.height, text.get_text()


def test_pptx_page_has_the_same_entries_inside_the_slide(empty):
    made = deck.make_deck(empty, default_filters(empty), "pptx", extracted=EXTRACTED)
    prs = Presentation(io.BytesIO(made.data))
    (page,) = [s for s in prs.slides if s.shapes.title.text == deck.NO_DATA_TITLE]
    text = "\n".join(s.text_frame.text for s in page.shapes if s.has_text_frame)
    (slide,) = [s for s in made.slides if s.title == deck.NO_DATA_TITLE]
    for entry in slide.bullets + slide.lines + slide.after:
        assert entry in text
    for shape in page.shapes:
        assert shape.left >= 0 and shape.left + shape.width <= prs.slide_width
        assert shape.top >= 0 and shape.top + shape.height <= prs.slide_height
