"""Overblik's yardstick against other kommuner: StatBank's STRAF11 over FOLK1A per 1 000.

One data folder for the module: the shared demo data copied, with the StatBank fixtures
imported into it (tests/fixtures/statbank).
"""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from matplotlib.colors import to_hex
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from tryg_geo import fmt, palette
from tryg_geo.compute.kommuner import comparison_codes, kommune_rates
from tryg_geo.compute.privacy import hidden_text
from tryg_geo.ingest.importer import import_file
from tryg_geo.render.charts import kommune_chart
from tryg_geo.render.csv_export import read_csv, view_csv
from tryg_geo.render.deck import deck_slides
from tryg_geo.render.deck_layout import Slide
from tryg_geo.render.deck_pptx import pptx_bytes
from tryg_geo.render.deck_view import view_layout
from tryg_geo.render.files import file_stem
from tryg_geo.render.pack import plan_views
from tryg_geo.render.png_page import view_figure
from tryg_geo.store.as_of import data_as_of, statbank_as_of
from tryg_geo.store.dataset import Dataset, load_dataset
from tryg_geo.store.folder import Store
from tryg_geo.store.partnership import PARTNERSHIP_FILE
from tryg_geo.views.kommuner import MISSING, NOT_PUBLISHED_NOTE, NOT_PUBLISHED_TEXT, chart_text
from tryg_geo.views.registry import build_view, default_filters

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "statbank"


@pytest.fixture(scope="module")
def folder(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("statbank") / "data"
    shutil.copytree(demo_dir, target)
    store = Store(target)
    import_file("kommune_crimes", FIXTURES / "straf11_navne.csv", store=store)
    import_file("kommune_population", FIXTURES / "folk1a_navne.csv", store=store)
    return target


@pytest.fixture(scope="module")
def ds(folder: Path) -> Dataset:
    return load_dataset(Store(folder))


def test_the_default_comparison_is_the_largest_kommuner(ds: Dataset) -> None:
    # By FOLK1A: København, Aarhus, (Aalborg), Odense, Vejle, Esbjerg — Randers is 7th.
    assert comparison_codes(ds) == ("0101", "0751", "0461", "0630", "0561")


def test_rates_are_a_rolling_year_over_the_latest_population(ds: Dataset) -> None:
    rates = kommune_rates(ds)
    assert rates.periods == ("2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1")
    table = rates.table
    row = table[(table["area_code"] == "0851") & (table["category"] == "Straffelov i alt")].iloc[0]
    crimes = ds.kommune_crimes
    summed = crimes[(crimes["area_code"] == "0851") & (crimes["category"] == "Straffelov i alt")]
    assert row["incidents"] == summed["value"].sum()
    assert row["population"] == 224978  # 2025K1, the newest quarter in the window
    assert row["incidents_per_1000"] == pytest.approx(
        summed["value"].sum() / 224978 * 1000, abs=0.01
    )
    assert list(dict.fromkeys(table["area_name"])) == [
        "Aalborg", "København", "Aarhus", "Odense", "Vejle", "Esbjerg", "Hele landet",
    ]  # fmt: skip


def test_the_data_owner_picks_the_kommuner(folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(folder, copy)
    (copy / PARTNERSHIP_FILE).write_text('sammenlign = ["Randers", "Læsø"]\n', encoding="utf-8")
    ds = load_dataset(Store(copy))
    rates = kommune_rates(ds)
    assert rates.compared == ("0730", "0825")
    table = rates.table
    # Læsø's four violent crimes in the year are hidden, and so is their rate; '..' is no bar.
    laeso = table[(table["area_code"] == "0825") & (table["category"] == "Voldsforbrydelser i alt")]
    assert laeso["suppressed"].all() and laeso["incidents_per_1000"].isna().all()
    # Læsø's sexual offences are '..' in all four quarters: a row saying so, never a 0.
    unpublished = table[
        (table["area_code"] == "0825") & (table["category"] == "Seksualforbrydelser i alt")
    ]
    assert len(unpublished) == 1 and unpublished["incidents"].isna().all()
    assert not unpublished["suppressed"].any()
    view = build_view("kommuner", ds, default_filters(ds))
    laeso_row = view.display[view.display["Kommune"] == "Læsø"].iloc[0]
    assert laeso_row["Voldsforbrydelser i alt"] == f"skjult ({hidden_text()} anmeldelser)"
    assert laeso_row["Seksualforbrydelser i alt"] == NOT_PUBLISHED_TEXT
    assert "Læsø ikke offentliggjort." in view.highlights[1] and NOT_PUBLISHED_NOTE in view.notes
    csv = read_csv(view_csv(view))  # the discretion check passes
    assert len(csv) == len(view.table) == 4 * 4
    # The PNG: no bar for Læsø where the rate is not known, the reason beside the axis.
    panels = _panels(view_figure(view))
    assert [bars for bars, _ in panels.values()] == [
        ["Aalborg", "Randers", "Læsø", "Hele landet"],
        ["Aalborg", "Randers", "Hele landet"],
        ["Aalborg", "Randers", "Hele landet"],
        ["Aalborg", "Randers", "Læsø", "Hele landet"],
    ]
    assert panels["Seksualforbrydelser i alt"][1][2] == NOT_PUBLISHED_TEXT
    assert panels["Voldsforbrydelser i alt"][1][2] == f"skjult ({hidden_text()} anmeldelser)"
    assert not any(v in ("0", "0,0") for _, values in panels.values() for v in values)


def _panels(figure) -> dict[str, tuple[list[str], list[str]]]:
    """Per panel of the Kommuner chart (its title): the areas with a bar and the texts beside
    the bars, top to bottom."""
    found = {}
    for ax in figure.findobj(lambda a: a.get_gid() == "kommune_panel"):
        bars = [p.get_label() for p in ax.patches if p.get_gid() == "bar"]
        texts = [t.get_text() for t in ax.texts if t.get_gid() == "value"]
        found[ax.get_title(loc="left")] = (bars, texts)
    return found


def test_png_and_slide_show_the_chart_with_its_text_alternative(ds: Dataset) -> None:
    """The PNG export and the deck slide draw the comparison as bars per type of offence
    (ours highlighted, values in Danish); the slide's picture is described by chart_text."""
    view = build_view("kommuner", ds, default_filters(ds))
    figure = view_figure(view)
    panels = _panels(figure)
    categories = list(dict.fromkeys(view.table["category"]))
    areas = list(dict.fromkeys(view.table["area_name"]))
    assert list(panels) == categories and all(bars == areas for bars, _ in panels.values())
    first = view.table[view.table["category"] == categories[0]]
    assert panels[categories[0]][1] == [fmt.number(v, 1) for v in first["incidents_per_1000"]]
    assert panels[categories[0]][1][0] == "50,4"  # Aalborg's 11.349 over 224.978 inhabitants
    (axes, *_) = figure.findobj(lambda a: a.get_gid() == "kommune_panel")
    colours = {p.get_label(): to_hex(p.get_facecolor()) for p in axes.patches}
    assert colours["Aalborg"] == palette.SERIES[0].lower()
    assert {c for a, c in colours.items() if a != "Aalborg"} == {palette.LIGHT}
    assert [t.get_text() for t in axes.get_yticklabels()] == areas
    legend = " ".join(t.get_text() for t in figure.findobj(lambda a: a.get_gid() == "legend"))
    assert "Aalborg (vores kommune)" in legend and "egen skala" in legend
    assert not figure.findobj(lambda a: a.get_gid() == "table")
    assert view.as_of in figure.findobj(lambda a: a.get_gid() == "source")[0].get_text()
    # The slide: the same chart as its one picture, described by the chart's text alternative.
    layout = view_layout(view)
    assert layout.tables == [] and layout.picture is not None
    assert layout.picture_text == " ".join(chart_text(view.table))
    data = pptx_bytes([Slide(view.title, "", view=view)], lambda *_: None, "Kommuner")
    (picture,) = [
        shape
        for shape in Presentation(io.BytesIO(data)).slides[0].shapes
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    assert picture.name == "Diagram"
    assert picture._element.nvPicPr.cNvPr.get("descr") == layout.picture_text
    assert "Aalborg 50,4" in layout.picture_text


def test_view_chart_text_csv_and_slide(ds: Dataset) -> None:
    view = build_view("kommuner", ds, default_filters(ds))
    assert (
        view.title == "Aalborg og andre kommuner" and "2. kvt. 2024–1. kvt. 2025" in view.subtitle
    )
    assert view.kpis[0].label == "Aalborg" and "Straffelov i alt" in view.kpis[0].help
    # The chart's text alternative names every area of every panel.
    assert len(view.highlights) == view.table["category"].nunique()
    assert all(name in view.highlights[0] for name in view.table["area_name"].unique())
    spec = kommune_chart(view.table)
    assert spec["facet"]["row"]["field"] == "category" and spec["spec"]["mark"]["type"] == "bar"
    csv = read_csv(view_csv(view))
    assert {"area_code", "category", "incidents_per_1000", "data_as_of"} <= set(csv.columns)
    assert len(csv) == len(view.table)
    filters = default_filters(ds)
    slides, _ = deck_slides(ds, filters, plan_views(ds, filters, keep=lambda k: k == "kommuner"))
    (slide,) = [s for s in slides if s.view is not None and s.view.key == "kommuner"]
    assert slide.title == view.title


def test_data_as_of_is_statbanks_quarter_and_import_not_the_incidents(ds: Dataset) -> None:
    """Page, CSV, file name, PNG footer and slide say StatBank's newest quarter (2025K1) and
    the day its tables were imported, not the police incidents' dates."""
    imported = {"imported_at": "2025-07-01T10:00:00"}
    older = replace(
        ds,
        provenance={
            **ds.provenance,
            "kommune_crimes": imported,
            "kommune_population": {"imported_at": "2025-06-02T09:00:00"},
        },
    )
    line = "Data pr.: seneste kvartal 1. kvt. 2025 · seneste import 01.07.2025"
    assert statbank_as_of(older) == line and data_as_of(older) != line
    filters = default_filters(older)
    view = build_view("kommuner", older, filters)
    assert view.as_of == line  # under the section on Overblik, and the PNG's footer
    assert (read_csv(view_csv(view))["data_as_of"] == line).all()
    # The file's days are the four quarters summed, not the incidents' period.
    assert file_stem(view, filters) == "tryg-geo_kommuner_2024-04-01_2025-03-31"
    slides, _ = deck_slides(
        older, filters, plan_views(older, filters, keep=lambda k: k == "kommuner")
    )
    (slide,) = [s for s in slides if s.view is not None and s.view.key == "kommuner"]
    assert line in view_layout(slide.view).footer_lines
    assert "Periode: 01.04.2024–31.03.2025." in slide.notes and line in slide.notes
    assert "hændelse" not in slide.notes.split("Periode:")[1]
    # The other views keep the incidents' line.
    assert build_view("overblik", older, filters).as_of == data_as_of(older)


def test_without_statbank_the_view_says_how_to_get_it(demo_ds: Dataset) -> None:
    view = build_view("kommuner", demo_ds, default_filters(demo_ds))
    assert view.missing == MISSING and view.table.empty
    assert "STRAF11" in MISSING and "FOLK1A" in MISSING and "semikolonsepareret" in MISSING
    from tryg_geo.ingest.detect import page_wording

    # The page names its own import, never the command (which stays for the CLI).
    on_page = page_wording(MISSING)
    assert "python -m" not in on_page and "importér dem på siden Data. README" in on_page
    # The deck and the pack leave the view out without a word: Overblik says how to get it.
    assert plan_views(demo_ds, default_filters(demo_ds), keep=lambda k: k == "kommuner") == []
