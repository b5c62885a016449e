"""Analyse's emerging hot spot section as a new user reads it: the map's text alternative from
the patterns, a per-pattern summary on screen, a per-cell CSV without "intet mønster", the
widened or cut period said in Danish, and file names apart from the page's other files."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import numpy as np
import pytest
import shapely

from tryg_geo.analysis.emerging import NO_PATTERN, PATTERN_BY_KEY
from tryg_geo.render.csv_export import read_csv, view_csv
from tryg_geo.render.files import file_stem
from tryg_geo.role_files import for_role
from tryg_geo.views import emerging as emerging_module
from tryg_geo.views import emerging_words
from tryg_geo.views.alt_text import view_map_text
from tryg_geo.views.analyse import analyse_view
from tryg_geo.views.emerging import (
    DISTRICT_SUMMARY_COLUMNS,
    SUMMARY_COLUMNS,
    emerging_detail,
    emerging_result,
    emerging_view,
)
from tryg_geo.views.emerging_words import text_alternative
from tryg_geo.views.registry import default_filters
from tryg_geo.views.sources import SEPARATOR
from tryg_geo.views.steps import stepped_maps


def _filters(ds, start: date, end: date, cell: str = "1km", unit: str = "celle"):
    base = default_filters(
        ds, {"preset": "custom", "fra": start.isoformat(), "til": end.isoformat()}
    )
    # Every category: the small shared demo has too few burglaries for patterns.
    extra = {**base.extra, "kort": "emerging", "trin": "quarter", "enhed": unit}
    return base.with_(cell=cell, categories=tuple(ds.categories), extra=extra)


@pytest.fixture(scope="module")
def year(demo_ds):
    """The page's period 2025 (the page's default of 12 months): 4 quarters only."""
    filters = _filters(demo_ds, date(2025, 1, 1), date(2025, 12, 31))
    return filters, emerging_view(demo_ds, filters)


def test_map_text_comes_from_the_patterns_not_the_hot_spot_classes(demo_ds, year):
    filters, view = year
    result = emerging_result(demo_ds, filters)
    drawn = int((result.category != NO_PATTERN).sum())
    assert drawn > 0  # the demo has patterns: the map draws cells
    text = view_map_text(view)
    assert text == text_alternative(result)
    assert "ingen celler er tegnet" not in text
    assert f"{drawn} celler har et mønster og er tegnet" in text
    assert text.startswith("Kortet viser nye og vedvarende hotspots på 1km-celler fra 1. kvt. 2023")
    # The role's copy (the page's, the slide's) keeps the text alternative.
    assert view_map_text(for_role(view, "leder")) == text
    assert text not in view.notes  # said once, under the map, not again among the notes


def test_screen_summary_per_pattern_and_csv_per_cell_without_no_pattern(demo_ds, year):
    _, view = year
    table = view.table
    assert len(table) and NO_PATTERN not in set(table["category_key"])
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", c) for c in table.columns), table.columns
    assert "z_2025_q4" in table.columns and "source" not in table.columns
    summary = view.display
    assert summary.columns.tolist() == list(SUMMARY_COLUMNS)
    assert len(summary) == table["category_key"].nunique()
    assert sum(int(n.replace(".", "")) for n in summary["Celler"]) == len(table)
    assert summary["Områder (flest celler først)"].str.contains(r"\(\d+\)").all()
    # Leaders: patterns only, on screen and in the CSV; analysts also the z-series and trend.
    leader = for_role(view, "leder")
    assert not [c for c in leader.table.columns if c.startswith(("mk_", "z_"))]
    assert leader.display.columns.tolist() == list(SUMMARY_COLUMNS)
    header = view_csv(view, "excel", role="leder").decode("utf-8-sig").splitlines()[0]
    assert not [c for c in header.split(";") if c.startswith(("mk_", "z_"))]
    analyst = view_csv(view, "excel", role="analytiker")
    parsed = read_csv(analyst, "excel")
    assert len(parsed) == len(table) and "Intet mønster" not in set(parsed["category"])
    # The source column as in the other views' CSVs (the sources, not the page's source line).
    assert set(parsed["source"]) == {SEPARATOR.join(view.sources)}
    assert not parsed["source"].str.startswith(("Kilde", "Demodata")).any()
    assert re.search(r";-?\d+,\d+", analyst.decode("utf-8-sig").splitlines()[1])  # comma


def test_analysts_detail_on_screen_is_danish(year):
    _, view = year
    detail = emerging_detail(for_role(view, "analytiker"))
    assert {"Celle (DDKN)", "Mønster", "Kendalls tau", "Gi* z 4. kvt. 2025"} <= set(detail.columns)
    assert detail["Kendalls tau"].str.fullmatch(r"[−-]?\d+,\d{3}").all()
    assert not [c for c in detail.columns if c.startswith(("mk_", "z_"))]


def test_no_pattern_at_all_says_so_in_danish(demo_ds, year, monkeypatch):
    filters, _ = year
    result = emerging_result(demo_ds, filters)
    quiet = dataclasses.replace(result, category=np.full(len(result.ids), NO_PATTERN, object))
    monkeypatch.setattr(emerging_module, "emerging_result", lambda ds, f: quiet)
    view = emerging_view(demo_ds, filters)
    assert view.table.empty and view.display.empty
    assert view.missing.startswith("Ingen celler har et hot- eller coldspot-mønster over de 12")
    assert "større celler" not in view.missing  # 1 km is the largest: only a longer period
    assert "ingen celler har et hot- eller coldspot-mønster" in view_map_text(view)


def test_the_widened_period_is_said(year):
    filters, view = year
    assert filters.start == date(2025, 1, 1)
    assert view.subtitle.startswith("Periode 01.01.2023–31.12.2025")
    assert "12 kvartaler, 1. kvt. 2023–4. kvt. 2025 (udvidet" in view.subtitle
    assert view.notes[0].startswith(
        "Perioden er udvidet til 12 kvartaler, 1. kvt. 2023–4. kvt. 2025, fordi mønstre kræver "
        "mindst 8 perioder, og den valgte periode (01.01.2025–31.12.2025) rummer kun 4 kvartaler"
    )


def test_a_cut_last_quarter_is_left_out_and_said_as_the_slider_marks_it(demo_ds):
    filters = _filters(demo_ds, date(2024, 11, 11), date(2025, 11, 10))
    view = emerging_view(demo_ds, filters)
    assert "3. kvt. 2025" in view.subtitle and "4. kvt. 2025" not in view.subtitle
    assert any(
        n.startswith("4. kvt. 2025 er ikke med i mønstrene: kun 41 af dens 92") for n in view.notes
    )
    labels = stepped_maps(demo_ds, "analyse", filters, "quarter").labels
    assert labels[-1] == "4. kvt. 2025 (delvis)"
    assert file_stem(view, filters).endswith("_2023-01-01_2025-09-30")


def test_the_pages_two_sets_of_files_have_their_own_names(demo_ds, year):
    filters, emerging = year
    page = filters.with_(extra={k: v for k, v in filters.extra.items() if k != "kort"})
    first = file_stem(analyse_view(demo_ds, page), page)
    assert first == "tryg-geo_analyse-hotspots-og-naer-gentagelse_2025-01-01_2025-12-31"
    assert file_stem(emerging, filters) == (
        "tryg-geo_analyse-nye-og-vedvarende-hotspots_2023-01-01_2025-12-31"
    )


def test_slider_frames_cover_the_study_area_not_the_shown_cells(demo_ds):
    filters = _filters(demo_ds, date(2025, 1, 1), date(2025, 12, 31), cell="100m")
    stepped = stepped_maps(demo_ds, "analyse", filters, "quarter")
    minx, miny, maxx, maxy = demo_ds.districts_wgs84.total_bounds
    west, south, east, north = stepped.bounds
    assert west < minx and south < miny and east > maxx and north > maxy
    one = filters.with_(district=str(demo_ds.districts_wgs84["district_id"].iloc[0]))
    part = stepped_maps(demo_ds, "analyse", one, "quarter").bounds
    assert part[2] - part[0] < east - west  # a chosen district: its own extent
    # Natteliv: every cell with a night incident in some step, hidden ones too.
    night = stepped_maps(demo_ds, "natteliv", filters, "quarter")
    cells = demo_ds.cell_shapes(list(night.counts.cells))
    lo_x, lo_y, hi_x, hi_y = shapely.total_bounds(cells)
    w, s, e, n = night.bounds
    assert w < lo_x and s < lo_y and e > hi_x and n > hi_y


# ---- highlights, KPI tiles and the trend's unit on a small synthetic result ------------------------
def _synthetic(categories: list[str], hot: list[list[int]], ids: list[str]):
    """An EmergingResult of ``ids`` (1 km cells) over 8 quarters with the given patterns and
    hot steps (1 = hot): no analysis is run."""
    from tryg_geo.analysis.emerging import EmergingResult, Trend

    n, steps = len(ids), len(hot[0])
    zeros = np.zeros(n)
    return EmergingResult(
        unit="cell",
        size="1km",
        step="quarter",
        periods=tuple(f"{2024 + (q // 4)}-Q{q % 4 + 1}" for q in range(steps)),
        ids=np.asarray(ids, dtype=object),
        names=np.asarray(ids, dtype=object),
        z=np.asarray(hot, dtype="float64") * 3,
        significance=np.asarray(hot, dtype=np.int8),
        trend=Trend(zeros, zeros, zeros, zeros + 1, zeros),
        category=np.asarray(categories, dtype=object),
        incidents=100,
        step_incidents=np.full(steps, 100 // steps),
    )


class _Places:
    """Two places 5 km apart (EPSG:25832) and no districts: what nearest_name reads."""

    def __init__(self) -> None:
        import geopandas as gpd

        self.places = gpd.GeoDataFrame(
            {"name": ["Øst", "Vest"]},
            geometry=[shapely.Point(555_500, 6_320_500), shapely.Point(550_500, 6_320_500)],
            crs="EPSG:25832",
        )
        self.districts = None


def test_highlights_group_cells_by_place_and_by_when_their_run_began():
    """6 touching cells hot since the 7th quarter near Øst, 3 hot since the 3rd near Vest: two
    groups, the larger and newer first, each with its own date (not all under the earliest)."""
    late = [0, 0, 0, 0, 0, 0, 1, 1]
    early = [0, 0, 1, 1, 1, 1, 1, 1]
    east = [f"1km_6320_{e}" for e in (555, 556)] + [f"1km_6321_{e}" for e in (554, 555, 556, 557)]
    west = ["1km_6320_550", "1km_6321_550", "1km_6320_551"]
    result = _synthetic(["consecutive_hot"] * 9, [late] * 6 + [early] * 3, east + west)
    lines = emerging_words.highlights(_Places(), result)
    assert lines == [
        "6 fortløbende hotspots omkring Øst siden 3. kvt. 2025; 3 omkring Vest siden 3. kvt. 2024."
    ]


def test_highlights_name_at_most_three_groups_and_sum_the_rest():
    """Five lone cells (no place near, no districts) whose runs began in five quarters: the
    three newest named by their date, the other two summed."""
    ids = [f"1km_6300_{e}" for e in range(500, 510, 2)]  # none touching
    hot = [[0] * start + [1] * (8 - start) for start in (3, 4, 5, 6, 7)]
    result = _synthetic(["consecutive_hot"] * 5, hot, ids)
    assert emerging_words.highlights(_Places(), result) == [
        "1 fortløbende hotspot siden 4. kvt. 2025; 1 siden 3. kvt. 2025; 1 siden 2. kvt. 2025; "
        "2 andre celler."
    ]


def test_kpi_tiles_show_the_patterns_that_occur_first():
    """9 fortløbende and 2 vedvarende hot spots, nothing new or intensifying: the tiles lead
    with the news, zeros after (the trial saw 'Nye hotspots 0 · Tiltagende 0' only)."""
    ids = [f"1km_6300_{e}" for e in range(500, 511)]
    result = _synthetic(
        ["consecutive_hot"] * 9 + ["persistent_hot"] * 2, [[0] * 6 + [1, 1]] * 11, ids
    )
    tiles = [(k.label, k.value) for k in emerging_module.emerging_kpis(result)]
    assert tiles == [
        ("Fortløbende hotspots", "9"),
        ("Vedvarende hotspots", "2"),
        ("Nye hotspots", "0"),
        ("Tiltagende hotspots", "0"),
    ]


def test_the_significant_cells_axis_starts_at_zero_in_the_png_and_the_deck():
    """Cell counts cannot be negative: the PNG's and the deck's value axes start at 0."""
    import matplotlib.pyplot as plt
    from matplotlib import ticker

    from tryg_geo.render.deck_view import Rect, chart_spec, value_range
    from tryg_geo.render.png_trends import _y_range, series_frame

    ids = [f"1km_6300_{e}" for e in range(500, 540)]
    hot = [[1] * 8] * 35 + [[0] * 8] * 5
    trend = emerging_module.emerging_trend(_synthetic(["persistent_hot"] * 40, hot, ids))
    assert trend.unit == "celler"
    assert value_range(chart_spec(trend, Rect(0, 0, 1, 1)))[0] == 0
    fig, ax = plt.subplots()
    try:
        _y_range(ax, trend, series_frame(trend)[0], ticker.MaxNLocator(nbins=5, integer=True))
        low, high = ax.get_ylim()
    finally:
        plt.close(fig)
    assert -2 < low <= 0 and high >= 35  # the 3 % margin below zero, not −20


def test_incidents_left_out_by_the_study_grid_are_said(demo_ds, year):
    from tryg_geo.analysis.study_grid import outside_note

    filters, view = year
    result = emerging_result(demo_ds, filters)
    assert result.outside > 0  # the demo's coast cuts some 1 km cells
    assert outside_note(result.outside, result.incidents) in view.notes
    # Together: every incident of the quarters inside the districts (all categories here).
    assert result.incidents + result.outside == int(
        (demo_ds.arrays.district >= 0)[
            (demo_ds.arrays.time >= np.datetime64("2023-01-01"))
            & (demo_ds.arrays.time < np.datetime64("2026-01-01"))
        ].sum()
    )


def test_a_start_every_group_shares_is_said_once():
    """New hot spots all began in the last step: the date once, after the groups."""
    ids = ["1km_6320_555", "1km_6320_550", "1km_6300_500"]  # near Øst, near Vest, nowhere
    result = _synthetic(["new_hot"] * 3, [[0] * 7 + [1]] * 3, ids)
    assert emerging_words.highlights(_Places(), result) == [
        "1 ny hotspot omkring Vest; 1 omkring Øst; 1 andetsteds; alle siden 4. kvt. 2025."
    ]
    one = _synthetic(["new_hot"], [[0] * 7 + [1]], ids[:1])
    assert emerging_words.highlights(_Places(), one) == [
        "1 ny hotspot omkring Øst siden 4. kvt. 2025."
    ]


# ---- districts (enhed=omraade) -------------------------------------------------------------------
@pytest.fixture(scope="module")
def districts(demo_ds):
    """The same period per district: the page's "Enhed: Områder"."""
    filters = _filters(demo_ds, date(2025, 1, 1), date(2025, 12, 31), unit="omraade")
    return filters, emerging_view(demo_ds, filters)


def test_district_map_colours_every_district_by_its_pattern(demo_ds, districts):
    filters, view = districts
    result = emerging_result(demo_ds, filters)
    assert result.unit == "district" and view.title == "Nye og vedvarende hotspots, områder"
    features = view.map.features
    assert view.map.kind == "areas"
    assert sorted(features["feature_id"]) == sorted(demo_ds.districts["district_id"].astype(str))
    keys = dict(zip(result.ids, result.category, strict=True))
    for row in features.itertuples():
        pattern = PATTERN_BY_KEY[keys[row.feature_id]]
        assert row.color == pattern.colour  # "intet mønster" in its own light grey
        assert row.label == f"{pattern.name} – {pattern.meaning}"  # popup: Område: name
    drawn = int((result.category != NO_PATTERN).sum())
    assert 0 < drawn < len(features)  # the demo has both: some patterns, the rest grey
    legend = [label for _, label in view.map.legend.entries]
    assert legend[0] == f"Intet mønster ({len(features) - drawn})"
    text = view_map_text(view)
    assert text == text_alternative(result)
    assert f"{drawn} af {len(features)} områder har et mønster" in text
    assert "celle" not in text


def test_district_table_summary_and_files(demo_ds, districts, year):
    _, view = districts
    table = view.table
    assert table.columns[:3].tolist() == ["district_id", "district_name", "category"]
    assert NO_PATTERN not in set(table["category_key"]) and len(table)
    names = dict(zip(demo_ds.districts["district_id"], demo_ds.districts["name"], strict=True))
    assert [names[i] for i in table["district_id"]] == table["district_name"].tolist()
    summary = view.display
    assert summary.columns.tolist() == list(DISTRICT_SUMMARY_COLUMNS)
    assert sum(int(n) for n in summary["Områder"]) == len(table)
    assert set(table["district_name"]) <= set(
        ", ".join(summary["Hvilke områder"]).replace(" og ", ", ").split(", ")
    )
    leader = for_role(view, "leder")
    assert not [c for c in leader.table.columns if c.startswith(("mk_", "z_"))]
    assert "z_2025_q4" in table.columns
    detail = emerging_detail(for_role(view, "analytiker"))
    assert "Celle (DDKN)" not in detail and "Gi* z 4. kvt. 2025" in detail
    assert view.trends[0].data["series"].str.endswith("-områder").all()
    # Their own files, apart from the cells' files of the same section.
    assert file_stem(view, year[0]) == (
        "tryg-geo_analyse-nye-og-vedvarende-hotspots-omraader_2023-01-01_2025-12-31"
    )


def test_district_highlights_name_the_districts(demo_ds, districts, monkeypatch):
    filters, _ = districts
    result = emerging_result(demo_ds, filters)
    category = np.full(len(result.ids), NO_PATTERN, object)
    category[:2] = "new_hot"
    category[2] = "persistent_hot"
    significance = result.significance.copy()
    significance[:2] = 0
    significance[:2, -1] = 1  # new: hot in the last step only, so both since that step
    marked = dataclasses.replace(result, category=category, significance=significance)
    monkeypatch.setattr(emerging_module, "emerging_result", lambda ds, f: marked)
    lines = emerging_view(demo_ds, filters).highlights
    first, second = result.names[:2]
    assert lines[0].startswith(f"2 nye hotspots: {first} og {second}, siden ")
    assert lines[1] == f"1 vedvarende hotspot: {result.names[2]}."
    # Runs that began in different steps are dated per district, not all by the earliest.
    significance[1, -2] = 1
    category[1] = "consecutive_hot"
    category[0] = "consecutive_hot"
    lines = emerging_view(demo_ds, filters).highlights
    assert lines[0].startswith(f"2 fortløbende hotspots: {first} (siden ")
    assert f"{second} (siden " in lines[0]


def test_method_note_fits_cells_and_districts() -> None:
    """The note is shown in both units: it names both, and spells "hotspot" as the page does."""
    from tryg_geo.views.emerging import EMERGING_NOTE

    assert (
        "hver celle eller hvert område" in EMERGING_NOTE and "hver celle får" not in EMERGING_NOTE
    )
    assert "hot spot" not in EMERGING_NOTE.lower().replace("hot spot analysis", "")
