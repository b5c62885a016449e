"""Write a view's slide with python-pptx from its plan (:func:`.deck_view.view_layout`).

Titles, key figures, highlights and notes are text, tables are PowerPoint tables, trends are
PowerPoint line charts (editable, with the view's numbers in the chart's data), and the map is
the slide's one picture (Kommuner: the PNG export's chart, with its text alternative as the
picture's description). Every text run is Danish; text colours and fonts match the PNG export.
"""

from __future__ import annotations

import io

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Inches, Pt

from .. import palette
from ..views.alt_text import view_map_text
from ..views.model import View
from ..views.registry import kicker_text
from . import deck_fit
from .charts import SERIES_COLOURS, TARGET_COLOUR
from .deck_view import (
    PT,
    ChartSpec,
    Rect,
    TableSpec,
    ViewLayout,
    kommune_png,
    label_skip,
    map_png,
    value_range,
)
from .png_base import MUTED, RULE, TEXT
from .png_trends import value_text

ZEBRA = palette.STRIPE
#: Number formats of a chart's value axis by unit (PowerPoint shows them in the reader's locale:
#: a Danish PowerPoint writes 1.234 and 12,5).
AXIS_FORMATS = {"andel": "0 %", "antal": "#,##0", "personer": "#,##0", "timer": "#,##0"}


def write_view(page, view: View, layout: ViewLayout) -> None:
    """Fill ``page`` (a 'Title Only' slide) with the view's parts in ``layout``'s boxes."""
    _title(page, view.title, layout)
    _text(
        page,
        layout.kicker,
        [(kicker_text(view), PT["kicker"], view.partnership_colour or MUTED, False)],
    )
    _text(page, layout.subtitle, [(view.subtitle, layout.subtitle_pt, MUTED, False)])
    for kpi, rect in zip(view.kpis, layout.kpis, strict=False):
        lines = [
            (kpi.label, PT["kpi_label"], MUTED, False),
            (kpi.value, PT["kpi_value"], TEXT, True),
        ]
        if kpi.delta not in (None, "", "–"):
            lines.append((f"Ændring: {kpi.delta}", PT["kpi_delta"], MUTED, False))
        _text(page, rect, lines, name="Nøgletal")
    for table in layout.tables:
        _table(page, table)
    if layout.caption is not None:
        _text(page, layout.caption, [(layout.caption_text, PT["note"], MUTED, False)])
    if layout.highlights is not None:
        _text(page, layout.highlights, [(layout.highlight_text, PT["highlights"], TEXT, False)])
    for chart in layout.charts:
        _chart(page, chart)
    if layout.map is not None and view.map is not None:
        _picture(page, view, layout.map)
    if layout.picture is not None:
        _chart_picture(page, view, layout.picture, layout.picture_text)
    if layout.empty_text:
        _text(page, Rect(layout.footer.left, 2.6, layout.footer.width, 0.6),
              [(layout.empty_text, PT["kpi_value"], MUTED, False)])  # fmt: skip
    _rule(page, layout.footer)
    lines = [(text, PT["source"], MUTED, False) for text in layout.footer_lines]
    _text(page, layout.footer, lines, name="Kilde")


def _emu(rect: Rect) -> tuple[int, int, int, int]:
    return Inches(rect.left), Inches(rect.top), Inches(rect.width), Inches(rect.height)


def _title(page, title: str, layout: ViewLayout) -> None:
    shape = page.shapes.title
    shape.left, shape.top, shape.width, shape.height = _emu(layout.title)
    shape.text = title
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    _margins(frame, 0.1, 0.0)
    _style(frame.paragraphs[0], layout.title_pt, TEXT, bold=True)
    danish(frame)


def _text(page, rect: Rect, lines: list[tuple[str, float, str, bool]], name: str = "") -> None:
    """A text box with one paragraph per (text, size, colour, bold)."""
    box = page.shapes.add_textbox(*_emu(rect))
    if name:
        box.name = name
    frame = box.text_frame
    frame.word_wrap = True
    _margins(frame, 0.1, 0.0)
    for i, (text, size, colour, bold) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = text
        _style(paragraph, size, colour, bold=bold)
    danish(frame)


def _margins(frame, x: float, y: float) -> None:
    frame.margin_left = frame.margin_right = Inches(x)
    frame.margin_top = frame.margin_bottom = Inches(y)


def _style(paragraph, size: float, colour: str, *, bold: bool = False) -> None:
    paragraph.alignment = PP_ALIGN.LEFT
    for run in paragraph.runs:
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = rgb(colour)


def rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def danish(frame) -> None:
    """Mark every run as Danish (spelling and read-aloud)."""
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font._rPr.set("lang", "da-DK")


def _rule(page, footer: Rect) -> None:
    from pptx.enum.shapes import MSO_SHAPE

    line = page.shapes.add_shape(
        MSO_SHAPE.RECTANGLE,
        Inches(footer.left + 0.1),
        Inches(footer.top - 0.05),
        Inches(footer.width - 0.2),
        Pt(1),
    )
    line.fill.solid()
    line.fill.fore_color.rgb = rgb(RULE)
    line.line.fill.background()
    style = line._element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}style")
    if style is not None:
        line._element.remove(style)


def _table(page, spec: TableSpec) -> None:
    """A PowerPoint table with the fitted column widths, font and row heights."""
    rows, columns = len(spec.rows) + 1, len(spec.header)
    frame = page.shapes.add_table(rows, columns, *_emu(spec.rect))
    table = frame.table
    table.first_row = True
    table.horz_banding = False
    for c, width in enumerate(spec.fitted.widths):
        table.columns[c].width = Inches(width)
    for r, height in enumerate(spec.fitted.heights):
        table.rows[r].height = Inches(height)
    for r, line in enumerate([spec.header, *spec.rows]):
        for c, text in enumerate(line):
            cell = table.cell(r, c)
            cell.text = text
            cell.margin_left = cell.margin_right = Inches(deck_fit.CELL_MARGIN_X)
            cell.margin_top = cell.margin_bottom = Inches(deck_fit.CELL_MARGIN_Y)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.text_frame.word_wrap = True
            cell.fill.solid()
            cell.fill.fore_color.rgb = rgb(palette.WHITE if r == 0 or r % 2 == 0 else ZEBRA)
            colour = MUTED if r == 0 else TEXT
            _style(cell.text_frame.paragraphs[0], spec.fitted.size_pt, colour, bold=spec.bold[r][c])
            danish(cell.text_frame)


def _chart(page, spec: ChartSpec) -> None:
    """A native line chart: one line per series, gaps where a period is hidden or missing,
    a dashed target line when the indicator has one."""
    data = CategoryChartData(number_format=AXIS_FORMATS.get(spec.unit, "#,##0.0"))
    data.categories = spec.categories
    for name, values in spec.series:
        data.add_series(name, values)
    if spec.target is not None:
        data.add_series(f"Mål: {_target_text(spec)}", [spec.target] * len(spec.categories))
    frame = page.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, *_emu(spec.rect), data)
    frame.name = f"Graf: {spec.title}"
    chart = frame.chart
    chart.font.size = Pt(PT["chart"])
    chart.font.color.rgb = rgb(TEXT)
    chart.has_title = True
    chart.chart_title.text_frame.text = spec.title
    title = chart.chart_title.text_frame.paragraphs[0]
    _style(title, PT["chart_title"], TEXT, bold=True)
    danish(chart.chart_title.text_frame)
    chart.has_legend = len(spec.series) > 1 or spec.target is not None
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
    _style_series(chart, spec)
    _style_axes(chart, spec)


def _style_series(chart, spec: ChartSpec) -> None:
    many = len(spec.categories) > 60
    for i, series in enumerate(chart.plots[0].series):
        target = spec.target is not None and i == len(spec.series)
        colour = TARGET_COLOUR if target else SERIES_COLOURS[i % len(SERIES_COLOURS)]
        series.smooth = False
        series.format.line.color.rgb = rgb(colour)
        series.format.line.width = Pt(1.5 if target else 2.25)
        if target:
            series.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        if target or many:
            series.marker.style = XL_MARKER_STYLE.NONE
        else:
            series.marker.style = XL_MARKER_STYLE.CIRCLE
            series.marker.size = 4
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = rgb(colour)
            series.marker.format.line.color.rgb = rgb(colour)


def _style_axes(chart, spec: ChartSpec) -> None:
    values = chart.value_axis
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = rgb(palette.GRID)
    values.tick_labels.font.size = Pt(PT["chart"])
    values.tick_labels.number_format = AXIS_FORMATS.get(spec.unit, "#,##0.0")
    values.tick_labels.number_format_is_linked = False
    low, high, unit = value_range(spec)
    values.minimum_scale, values.maximum_scale, values.major_unit = low, high, unit
    categories = chart.category_axis
    categories.tick_labels.font.size = Pt(PT["chart"])
    categories.has_major_gridlines = False
    _skip_labels(categories, label_skip(spec.categories, spec.rect.width))


def _skip_labels(axis, skip: int) -> None:
    """Label every ``skip``-th period (python-pptx has no setting for it)."""
    from pptx.oxml.ns import qn

    element = axis._element
    for tag in ("c:tickLblSkip", "c:tickMarkSkip"):
        old = element.find(qn(tag))
        if old is not None:
            element.remove(old)
    anchor = element.find(qn("c:noMultiLvlLbl"))
    for tag in ("c:tickLblSkip", "c:tickMarkSkip"):
        new = element.makeelement(qn(tag), {"val": str(skip)})
        if anchor is not None:
            anchor.addprevious(new)
        else:
            element.append(new)


def _target_text(spec: ChartSpec) -> str:
    return value_text(spec.target, spec.unit)


def _picture(page, view: View, rect: Rect) -> None:
    """The map (only the map: legend, labels and scale bar with it) as the slide's picture,
    with the map's text alternative as its description."""
    picture = page.shapes.add_picture(io.BytesIO(map_png(view.map, rect)), *_emu(rect))
    picture.name = "Kort"
    description = view_map_text(view)
    if description:
        picture._element.nvPicPr.cNvPr.set("descr", description)


def _chart_picture(page, view: View, rect: Rect, description: str) -> None:
    """A chart drawn as a picture (Kommuner), with its text alternative as its description."""
    picture = page.shapes.add_picture(io.BytesIO(kommune_png(view, rect)), *_emu(rect))
    picture.name = "Diagram"
    if description:
        picture._element.nvPicPr.cNvPr.set("descr", description)
