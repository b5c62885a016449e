"""The deck's view slides are editable PowerPoint: the title in the title placeholder, key
figures as text, tables as tables, trends as PowerPoint charts with the view's own numbers,
the map as the one picture in its box; the PDF says the same; nothing is cut; the Natteliv map
shows its cells and the Limfjord, not districts painted grey."""

from __future__ import annotations

import io
import re
from datetime import date

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

import tryg_geo.render.deck as deck
from tryg_geo.compute.breaks import SUPPRESSED_COLOR
from tryg_geo.demo.make import make_demo
from tryg_geo.render import deck_fit
from tryg_geo.render.deck_view import OVERVIEW_COLUMNS, map_png, view_layout
from tryg_geo.render.png_map import WATER
from tryg_geo.render.png_page import drawn_trends
from tryg_geo.store.dataset import load_dataset
from tryg_geo.store.folder import Store
from tryg_geo.views.registry import build_view, default_filters

YEAR = {"preset": "custom", "fra": "2025-01-01", "til": "2025-12-31"}
EMU = 914_400


@pytest.fixture(scope="module")
def made(demo_ds):
    filters = default_filters(demo_ds, YEAR)
    pptx = deck.make_deck(demo_ds, filters, "pptx", extracted=date(2026, 11, 25))
    pdf = deck.make_deck(demo_ds, filters, "pdf", extracted=date(2026, 11, 25))
    return pptx, Presentation(io.BytesIO(pptx.data)), PdfReader(io.BytesIO(pdf.data))


def view_slides(made):
    pptx, prs, _ = made
    return [(s, p.view) for s, p in zip(prs.slides, pptx.slides, strict=True) if p.view]


def rect(shape) -> tuple[float, float, float, float]:
    return shape.left, shape.top, shape.left + shape.width, shape.top + shape.height


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_title_placeholder_holds_the_title_and_nothing_covers_it(made):
    _, prs, _ = made
    for slide in prs.slides:
        title = slide.shapes.title
        assert title is not None and title.text_frame.text.strip()
        for shape in slide.shapes:
            if shape.shape_type in (MSO_SHAPE_TYPE.PICTURE, MSO_SHAPE_TYPE.CHART):
                assert not overlaps(rect(shape), rect(title)), (title.text, shape.name)
            if shape.shape_type == MSO_SHAPE_TYPE.TABLE:
                assert not overlaps(rect(shape), rect(title)), title.text


def test_key_figures_are_text_in_text_frames(made):
    for slide, view in view_slides(made):
        boxes = [s.text_frame.text for s in slide.shapes if s.name == "Nøgletal"]
        assert len(boxes) == min(len(view.kpis), 4), view.key
        for kpi, text in zip(view.kpis, boxes, strict=False):
            assert text.splitlines()[:2] == [kpi.label, kpi.value]
        assert view.source in "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_overblik_is_a_real_table_with_every_text_whole(made):
    slide, view = next((s, v) for s, v in view_slides(made) if v.key == "overblik")
    (table,) = [s for s in slide.shapes if s.has_table]
    cells = [[c.text for c in row.cells] for row in table.table.rows]
    columns = [c for c in OVERVIEW_COLUMNS if c in view.display.columns]
    assert cells[0] == columns
    expected = view.display[columns].astype(str).values.tolist()
    assert cells[1:] == expected
    # Nothing cut: every word fits its column, and the wrapped rows fit the written heights.
    widths = [c.width / EMU for c in table.table.columns]
    heights = [r.height / EMU for r in table.table.rows]
    for r, row in enumerate(table.table.rows):
        for c, cell in enumerate(row.cells):
            font = cell.text_frame.paragraphs[0].runs[0].font
            size, bold = font.size.pt, bool(font.bold)
            inner = widths[c] - 2 * deck_fit.CELL_MARGIN_X
            assert deck_fit.fits(cell.text, size, inner, bold=bold), cell.text
            need = deck_fit.text_height(cell.text, size, inner, bold=bold)
            assert need <= heights[r] - 2 * deck_fit.CELL_MARGIN_Y + 1e-6, cell.text
    bottom = (table.top + sum(r.height for r in table.table.rows)) / EMU
    footer = next(s for s in slide.shapes if s.name == "Kilde")
    assert bottom <= footer.top / EMU
    assert "…" not in "".join(sum(cells, []))


def test_trend_charts_are_powerpoint_charts_with_the_views_values(made):
    checked = 0
    for slide, view in view_slides(made):
        if view.key == "overblik":
            continue
        charts = {s.name: s.chart for s in slide.shapes if s.has_chart}
        trends = drawn_trends(view)
        assert len(charts) == len(view_layout(view).charts) >= 1, view.key
        for trend in trends:
            name = f"Graf: {trend.title}"
            if name not in charts:
                continue
            chart = charts[name]
            assert chart.chart_title.text_frame.text == trend.title
            shown = {s.name: s.values for s in chart.plots[0].series}
            data = trend.data.assign(period=pd.to_datetime(trend.data["period"]))
            for series, part in data.groupby("series", sort=False):
                values = shown[str(series)]
                known = part.dropna(subset=["value"])["value"].astype(float).tolist()
                assert [v for v in values if v is not None] == pytest.approx(known)
                hidden = part["value"].isna().sum()
                assert sum(v is None for v in values) >= hidden  # gaps, never zeros
            checked += 1
    assert checked >= 5


def test_pdf_says_what_the_pptx_says(made):
    pptx, prs, pdf = made
    assert len(pdf.pages) == len(prs.slides)
    for page, slide, planned in zip(pdf.pages, prs.slides, pptx.slides, strict=True):
        text = " ".join(page.extract_text().split())
        assert " ".join(slide.shapes.title.text.split()) in text
        if planned.view is not None:
            for kpi in planned.view.kpis[:4]:
                assert kpi.value in text, (planned.view.key, kpi.value)


def test_overblik_pdf_page_cuts_no_text(made):
    pptx, _, pdf = made
    index = next(i for i, s in enumerate(pptx.slides) if s.view and s.view.key == "overblik")
    text = " ".join(pdf.pages[index].extract_text().split())
    assert "…" not in text
    view = pptx.slides[index].view
    for value in view.display["Ændring"].astype(str):
        assert value in text


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    """Enough demo incidents for more hidden night cells than the old 500-cell limit."""
    folder = tmp_path_factory.mktemp("night") / "data"
    make_demo(Store(folder), incidents=60_000)
    ds = load_dataset(Store(folder))
    return build_view("natteliv", ds, default_filters(ds, YEAR)), ds


def test_natteliv_hidden_grey_covers_the_hidden_cells_only(night):
    view, ds = night
    hidden = view.table["suppressed"].astype(bool)
    assert hidden.sum() > 100  # enough hidden cells for the area comparison to mean something
    features = view.map.features
    grey = features[features["color"] == SUPPRESSED_COLOR]
    cells = ds.cell_shapes(view.table.loc[hidden, "cell_id"].tolist())
    area = lambda g: float(gpd_area(g))  # noqa: E731
    assert area(grey.geometry) == pytest.approx(area(cells), rel=0.01)


def gpd_area(geometries) -> float:
    import geopandas as gpd

    return gpd.GeoSeries(list(geometries), crs=4326).to_crs(25832).area.sum()


def test_natteliv_map_shows_the_limfjord_and_coloured_cells(night):
    view, _ = night
    layout = view_layout(view)
    image = np.asarray(Image.open(io.BytesIO(map_png(view.map, layout.map))).convert("RGB"))
    pixels = image.reshape(-1, 3)

    def share(colour: str) -> float:
        rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
        return float((np.abs(pixels.astype(int) - rgb).sum(axis=1) < 6).mean())

    assert share(WATER) > 0.02  # the Limfjord is there
    assert share(SUPPRESSED_COLOR) < 0.5  # not a map painted grey
    shown = [c for c in view.map.features["color"].unique() if c != SUPPRESSED_COLOR]
    assert sum(share(c) for c in shown) > 0.01
    assert re.search(r"\d", view.map.legend.entries[0][1])
