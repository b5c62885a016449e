"""Demo labels per part (issue 20, finding 2): a real police export imported over demo districts
is never called demo — not on the page, the PNG, the CSV or the slides — while the districts,
places and measurements that are still demo data are named as such."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from user_files import police_csv

from tryg_geo import Store, build_view, default_filters, load_dataset, make_demo, view_csv
from tryg_geo.ingest.importer import import_file
from tryg_geo.render.csv_export import read_csv
from tryg_geo.render.deck import deck_slides
from tryg_geo.render.png_page import view_figure
from tryg_geo.views.sources import ALL_DEMO, data_label, demo_mark

REPO = Path(__file__).resolve().parents[2]
SOURCE = "Nordjyllands Politi, testudtræk 2025"
POLICE = f"Hændelser: {SOURCE}"
#: What the views that draw incidents on the districts, the zones and the water must say.
MAP_LABEL = f"Områder: demodata · Steder: demodata · {POLICE}"
#: The full-demo warning, which must not be shown once the incidents are real.
ALL_DEMO_WARNING = "genererede eksempeldata, ikke rigtige tal."


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Demo data, then a real-format police CSV imported over its incidents (replace)."""
    folder = tmp_path_factory.mktemp("parts") / "data"
    make_demo(Store(folder), incidents=2_000, seed=5)
    police = police_csv(tmp_path_factory.mktemp("files") / "politi_2025.csv")
    result = import_file("incidents", police, store=Store(folder), source=SOURCE)
    assert result.accepted and not Store(folder).meta("incidents")["demo"]
    return folder


@pytest.fixture()
def ds(data_dir: Path):
    return load_dataset(Store(data_dir))


def test_the_label_names_each_part(ds) -> None:
    assert data_label(ds, ["incidents", "districts", "places"]) == MAP_LABEL
    assert demo_mark(ds, ["incidents"]).label is None
    assert demo_mark(ds, ["districts", "places"]).label == ALL_DEMO
    mark = demo_mark(ds, ["places", "incidents", "districts"])
    assert mark.demo and mark.partial and mark.kinds == ("districts", "places")


@pytest.mark.parametrize("key", ["natteliv", "analyse"])
def test_incident_views_name_the_demo_parts_only(ds, key: str) -> None:
    view = build_view(key, ds, default_filters(ds))
    assert view.demo and view.demo_label == MAP_LABEL
    assert view.source.startswith("Demodata: områder, steder (genereret, ikke rigtige tal) · ")
    assert f"Kilde: {SOURCE}" in view.source
    # The CSV's data column names the parts; it never calls the police numbers 'Demodata'.
    table = read_csv(view_csv(view))
    if len(table):
        assert set(table["data"]) == {MAP_LABEL}


def test_csv_of_tryg_bydel_incidents(ds) -> None:
    filters = default_filters(ds).with_(indicator="haendelser")
    view = build_view("tryg-bydel", ds, filters)
    assert view.demo_label == f"Områder: demodata · {POLICE}"
    table = read_csv(view_csv(view))
    assert len(table) and set(table["data"]) == {view.demo_label}
    assert set(table["source"]) == {SOURCE}


def test_the_png_says_partly_demo_and_names_the_parts(ds) -> None:
    figure = view_figure(build_view("natteliv", ds, default_filters(ds)))
    (badge,) = figure.findobj(lambda artist: artist.get_gid() == "demo")
    assert badge.get_text() == "DELVIS DEMODATA"
    (footer,) = figure.findobj(lambda artist: artist.get_gid() == "source")
    text = " ".join(footer.get_text().split())
    assert text.startswith("Demodata: områder, steder (genereret, ikke rigtige tal)")
    assert SOURCE in text


def test_the_page_warns_about_the_demo_parts_only(data_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRYG_DATA_DIR", str(data_dir))
    monkeypatch.setenv("TRYG_BASEMAP", "none")
    at = AppTest.from_file(str(REPO / "pages" / "natteliv.py"), default_timeout=120).run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning if "Demodata" in w.value]
    assert warnings == [
        "**Demodata** i en del af visningen – kun de dele, der står som demodata, er "
        f"genererede eksempeldata: {MAP_LABEL}."
    ]
    assert not any(ALL_DEMO_WARNING in w and "en del" not in w for w in warnings)


def test_the_deck_names_the_demo_parts(ds) -> None:
    slides, _ = deck_slides(ds, default_filters(ds))
    cover = "\n".join(slides[0].lines)
    assert "Demodata i en del af data – Områder: demodata · Steder: demodata · " in cover
    assert POLICE in cover and "alle tal er genererede" not in slides[0].notes
    assert any(POLICE in b and b.startswith("Demodata: kun") for b in slides[-1].bullets)
    # The badge on the deck's own slides and on each view slide says "partly", as the PNG does.
    assert slides[0].badge == slides[-1].badge == "DELVIS DEMODATA"


def test_the_powerpoint_badge_says_partly_demo(ds) -> None:
    from pptx import Presentation

    from tryg_geo.render.deck import make_deck

    deck = make_deck(ds, default_filters(ds), "pptx")
    slides = Presentation(io.BytesIO(deck.data)).slides

    def texts(slide) -> list[str]:
        return [s.text_frame.text for s in slide.shapes if s.has_text_frame]

    # Cover and closing: partly demo. A view slide of demo parts only (Tryghedsvandringer's
    # demo measurements) is rightly plain DEMODATA.
    for slide in (slides[0], slides[-1]):
        assert "DELVIS DEMODATA" in texts(slide) and "DEMODATA" not in texts(slide)


def test_all_demo_is_still_plain_demodata(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    make_demo(store, incidents=500, seed=3)
    ds = load_dataset(store)
    view = build_view("natteliv", ds, default_filters(ds))
    assert view.demo_label == ALL_DEMO
    assert view.source.startswith("Demodata (genereret, ikke rigtige tal) · ")
