"""The partnership's name is configuration: with an Aarhus ``partnerskab.toml`` beside the demo
data, no view, CSV, PNG text or slide says "Tryg Aalborg", and the PNGs and slides say whose
they are. (The registry's own texts still name Aalborg Kommune as the source of Aalborg's
initiatives: an Aarhus partnership brings its own ``initiatives.toml``.)"""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import pytest
from matplotlib.text import Text
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader
from texts import view_texts

from tryg_geo.render.csv_export import csv_table
from tryg_geo.render.deck import make_deck
from tryg_geo.render.png_page import view_figure
from tryg_geo.store.dataset import Dataset, load_dataset
from tryg_geo.store.folder import Store
from tryg_geo.views.registry import build_view, default_filters, view_keys

AARHUS = """
navn = "Tryg Aarhus"
kommune = "Aarhus Kommune"
kommunekode = "0751"
partnere = ["Aarhus Kommune", "Østjyllands Politi"]
logo = "logo.png"
farve = "#00587c"
"""
PNG_KEYS = ("overblik", "natteliv", "indsats/tryg-bydel")


@pytest.fixture(scope="module")
def aarhus(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    folder = tmp_path_factory.mktemp("aarhus") / "data"
    shutil.copytree(demo_dir, folder)
    Image.new("RGB", (40, 20), "#00587c").save(folder / "logo.png")
    (folder / "partnerskab.toml").write_text(AARHUS, encoding="utf-8")
    return load_dataset(Store(folder))


def test_the_setting_is_read_from_the_data_folder(aarhus: Dataset) -> None:
    assert aarhus.partnership.name == "Tryg Aarhus"
    assert aarhus.partnership.genitive == "Tryg Aarhus'"
    assert aarhus.partnership.logo is not None and aarhus.partnership.logo.name == "logo.png"


def test_no_view_csv_or_png_says_tryg_aalborg(aarhus: Dataset) -> None:
    filters = default_filters(aarhus)
    kickers = []
    for key in view_keys():
        view = build_view(key, aarhus, filters)
        texts = view_texts(view) + [view.source]
        texts.append(csv_table(view).to_csv(index=False))
        if key in PNG_KEYS:
            figure = view_figure(view)
            drawn = [t.get_text() for t in figure.findobj(Text) if t.get_text().strip()]
            texts += drawn
            kickers += [t for t in drawn if t.startswith("Tryg Aarhus · ")]
        said = [t for t in texts if "Tryg Aalborg" in t]
        assert not said, (key, said)
    assert len(kickers) == len(PNG_KEYS)
    overblik = build_view("overblik", aarhus, filters)
    assert overblik.title == "Overblik over Tryg Aarhus' indsatser"
    assert overblik.subtitle.endswith("hele Aarhus Kommune")


def test_no_slide_says_tryg_aalborg(aarhus: Dataset) -> None:
    filters = default_filters(aarhus)
    deck = make_deck(aarhus, filters, "pptx", extracted=date(2026, 12, 6))
    prs = Presentation(io.BytesIO(deck.data))
    texts = []
    for slide in prs.slides:
        texts += [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        texts.append(slide.notes_slide.notes_text_frame.text)
    said = [t for t in texts if "Tryg Aalborg" in t]
    assert not said, said
    text = "\n".join(texts)
    assert "Tryg Aarhus – styregruppemøde" in text
    assert "Aarhus Kommune · Østjyllands Politi" in text
    assert prs.core_properties.title == "Tryg Aarhus – styregruppemøde"
    pictures = [s for s in prs.slides[0].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1  # the logo, bottom right of the cover
    assert pictures[0].left > prs.slide_width / 2 and pictures[0].top > prs.slide_height / 2
    pdf = make_deck(aarhus, filters, "pdf", extracted=date(2026, 12, 6))
    pages = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Tryg Aalborg" not in pages and "Tryg Aarhus" in pages
