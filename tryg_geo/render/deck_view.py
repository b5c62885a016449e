"""A view's slide in the PowerPoint as editable parts: the layout and what goes in each box.

The title is the slide's title placeholder; kicker, subtitle, key figures, highlights, notes and
the source line are text boxes; tables are PowerPoint tables; trend charts are PowerPoint line
charts with the view's own numbers (hidden or missing periods are gaps, never zeros); the map is
the one picture, drawn by matplotlib as in the PNG export, placed in its box (Kommuner: the
PNG export's chart is the picture, described by its text alternative). The layout
follows the PNG export's grid (:mod:`tryg_geo.render.png_page`), in slide inches; every text is
measured (:mod:`.deck_fit`) so nothing runs out of its box. The writing itself is in
:mod:`.deck_pptx_view`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd
from matplotlib import rc_context, ticker
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..views.kommuner import chart_text
from ..views.model import MapSpec, Trend, View
from ..views.registry import png_layout
from . import deck_fit
from .deck_layout import SLIDE_H_IN, SLIDE_W_IN
from .png_base import FONTS, SIZES, Box, Page
from .png_kommuner import kommune_chart_png
from .png_map import draw_map_panel
from .png_page import drawn_trends, footer_notes
from .png_trends import COUNT_UNITS, MONTHS_SHORT, WHOLE_UNITS, period_step, series_frame

MARGIN = 0.4
#: Font sizes in points of a view slide's parts.
PT = {
    "kicker": 12,
    "title": 26,
    "subtitle": 12,
    "kpi_label": 11,
    "kpi_value": 22,
    "kpi_delta": 11,
    "table": 11,
    "highlights": 11,
    "note": 10,
    "source": 10,
    "chart_title": 12,
    "chart": 9,
}
BADGE_W = 1.9
#: The map picture's resolution (dots per inch of the slide).
MAP_DPI = 200
#: The key caption of the Overblik table (as under the PNG export's table).
OVERVIEW_KEY = (
    "Ændring: mod samme periode året før; fed = markant (p < 0,05). Status: på sporet, ikke på "
    "sporet, intet mål eller ingen data."
)
OVERVIEW_COLUMNS = ("Indsats", "Indikator", "Seneste", "Ændring", "Status")
TABLE_ROWS = 16


@dataclass(frozen=True)
class Rect:
    """A box on the slide in inches from the top left."""

    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def right(self) -> float:
        return self.left + self.width


@dataclass
class TableSpec:
    """A table for the slide: header, rows (texts as shown), the box and the fitted layout."""

    header: list[str]
    rows: list[list[str]]
    rect: Rect
    fitted: deck_fit.FittedTable
    bold: list[list[bool]]


@dataclass
class ChartSpec:
    """A trend as a line chart: category labels, series (None = gap), unit, target."""

    title: str
    categories: list[str]
    series: list[tuple[str, list[float | None]]]
    unit: str
    rect: Rect
    target: float | None = None


@dataclass
class ViewLayout:
    """Every box of a view slide (the writer's plan)."""

    kicker: Rect
    title: Rect
    title_pt: float
    subtitle: Rect
    subtitle_pt: float
    kpis: list[Rect]
    footer: Rect
    footer_lines: list[str]
    tables: list[TableSpec]
    charts: list[ChartSpec]
    map: Rect | None = None
    highlights: Rect | None = None
    highlight_text: str = ""
    caption: Rect | None = None
    caption_text: str = ""
    empty_text: str = ""
    #: A chart drawn as a picture (Kommuner: :mod:`.png_kommuner`) and its text alternative,
    #: the picture's description.
    picture: Rect | None = None
    picture_text: str = ""


def view_layout(view: View) -> ViewLayout:
    """The plan of ``view``'s slide: the boxes of header, key figures, body and footer."""
    width = SLIDE_W_IN - 2 * MARGIN
    head_width = width - BADGE_W - 0.2
    title_pt = deck_fit.fit_size(view.title, PT["title"], head_width - 0.2, 0.6, bold=True)
    subtitle_pt = deck_fit.fit_size(view.subtitle, PT["subtitle"], width - 0.2, 0.45)
    top = 1.55
    kpis: list[Rect] = []
    if view.kpis:
        shown = view.kpis[:4]
        cell = width / len(shown)
        kpis = [Rect(MARGIN + i * cell, top, cell - 0.1, 0.95) for i in range(len(shown))]
        top += 1.05
    footer_lines = [" ".join(footer_notes(view)), view.source, view.as_of]
    footer_lines = [line for line in footer_lines if line]
    footer_height = sum(
        deck_fit.text_height(line, PT["source"], width - 0.2) for line in footer_lines
    )
    footer = Rect(MARGIN, SLIDE_H_IN - 0.2 - footer_height - 0.1, width, footer_height + 0.1)
    body = Rect(MARGIN, top, width, footer.top - 0.15 - top)
    layout = ViewLayout(
        kicker=Rect(MARGIN, 0.2, head_width, 0.3),
        title=Rect(MARGIN, 0.5, head_width, 0.6),
        title_pt=title_pt,
        subtitle=Rect(MARGIN, 1.08, width, 0.45),
        subtitle_pt=subtitle_pt,
        kpis=kpis,
        footer=footer,
        footer_lines=footer_lines,
        tables=[],
        charts=[],
    )
    _plan_body(view, layout, body)
    return layout


def _plan_body(view: View, layout: ViewLayout, body: Rect) -> None:
    trends = drawn_trends(view)
    if png_layout(view.key) == "overview" and view.display is not None and len(view.display):
        _plan_overview(view, layout, body)
    elif png_layout(view.key) == "kommuner" and len(view.table):
        # The PNG export's chart, as the slide's one picture; its words are the view's own.
        layout.picture = body
        layout.picture_text = " ".join(chart_text(view.table))
    elif view.map is not None and trends:
        share = body.width * 0.56
        layout.map = Rect(body.left, body.top, share - 0.15, body.height)
        side = Rect(body.left + share + 0.15, body.top, body.width - share - 0.15, body.height)
        layout.charts = _plan_charts(trends, side, 1 if len(trends) != 4 else 2)
    elif view.map is not None:
        layout.map = body
    elif trends:
        layout.charts = _plan_charts(trends, body, min(len(trends), 3) if len(trends) != 4 else 2)
    else:
        shown = view.display if view.display is not None else view.table
        if shown is None or shown.empty:
            layout.empty_text = "Ingen data i den valgte periode."
        else:
            layout.tables = [_plan_table(shown.head(TABLE_ROWS), body, bold_first=False)]


def _plan_overview(view: View, layout: ViewLayout, body: Rect) -> None:
    """Overblik: the initiatives as a table (left), the highlights and the map (right)."""
    left_width = body.width * 0.72 if view.map is not None else body.width
    caption_height = deck_fit.text_height(OVERVIEW_KEY, PT["note"], left_width - 0.2) + 0.05
    table_box = Rect(body.left, body.top, left_width, body.height - caption_height - 0.05)
    shown = view.display[[c for c in OVERVIEW_COLUMNS if c in view.display.columns]]
    marked = view.display.get("Markant ændring")
    bold_change = None
    if marked is not None and "Ændring" in shown.columns:
        bold_change = (
            list(shown.columns).index("Ændring"),
            (marked.astype(str).str.lower() == "ja").tolist(),
        )
    table = _plan_table(shown, table_box, bold_first=True, bold_change=bold_change)
    layout.tables = [table]
    layout.caption = Rect(body.left, table_box.top + table.fitted.height + 0.05, left_width, 0.4)
    layout.caption_text = OVERVIEW_KEY
    if view.map is None:
        return
    right = Rect(body.left + left_width + 0.2, body.top, body.width - left_width - 0.2, 0)
    top = body.top
    if view.highlights:
        layout.highlight_text = "Det vigtigste: " + " ".join(view.highlights)
        height = deck_fit.text_height(layout.highlight_text, PT["highlights"], right.width - 0.2)
        layout.highlights = Rect(right.left, top, right.width, height + 0.1)
        top += height + 0.25
    layout.map = Rect(right.left, top, right.width, body.bottom - top)


def _plan_table(
    shown: pd.DataFrame,
    box: Rect,
    *,
    bold_first: bool,
    bold_change: tuple[int, list[bool]] | None = None,
) -> TableSpec:
    """The table fitted to ``box``: bold header, bold first column (``bold_first``) and bold
    cells of one column (``bold_change``: the column and a flag per row)."""
    header = [str(c) for c in shown.columns]
    rows = [[_cell(v) for v in row] for row in shown.itertuples(index=False)]
    bold = [[True] * len(header)]
    bold += [[bold_first and c == 0 for c in range(len(header))] for _ in rows]
    if bold_change is not None:
        column, flags = bold_change
        for r, flag in enumerate(flags, start=1):
            bold[r][column] = bold[r][column] or bool(flag)
    fitted = deck_fit.fit_table(header, rows, box.width, box.height, size_pt=PT["table"], bold=bold)
    rect = Rect(box.left, box.top, box.width, fitted.height)
    return TableSpec(header, rows, rect, fitted, bold)


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def _plan_charts(trends: list[Trend], box: Rect, columns: int) -> list[ChartSpec]:
    """Charts in a grid as in the PNG: up to 3 stacked beside a map, up to 6 on their own."""
    limit = 4 if columns == 2 else (3 if columns == 1 else 6)
    trends = trends[:limit]
    rows = -(-len(trends) // columns)
    gap = 0.15
    height = (box.height - gap * (rows - 1)) / rows
    width = (box.width - gap * (columns - 1)) / columns
    charts = []
    for i, trend in enumerate(trends):
        row, column = divmod(i, columns)
        rect = Rect(
            box.left + column * (width + gap), box.top + row * (height + gap), width, height
        )
        charts.append(chart_spec(trend, rect))
    return charts


def chart_spec(trend: Trend, rect: Rect) -> ChartSpec:
    """The trend's values per period and series as drawn in the PNG (same periods, hidden or
    missing periods None)."""
    wide, _ = series_frame(trend)
    labels = period_labels(wide.index)
    series = [
        (str(name), [None if pd.isna(v) else float(v) for v in wide[name].astype("float64")])
        for name in wide.columns
    ]
    return ChartSpec(trend.title, labels, series, trend.unit, rect, trend.target)


def period_labels(index: pd.DatetimeIndex) -> list[str]:
    """Every period in words, whole, as a chart's categories: 'jan 2025' for months, 'K1 2025'
    for quarters, '2025' for years, else the day ('3.2.2025')."""
    step = period_step(index)
    labels = []
    for stamp in index:
        if step == "YS":
            labels.append(str(stamp.year))
        elif step == "QS":
            labels.append(f"K{(stamp.month - 1) // 3 + 1} {stamp.year}")
        elif step == "MS":
            labels.append(f"{MONTHS_SHORT[stamp.month - 1]} {stamp.year}")
        else:
            labels.append(f"{stamp.day}.{stamp.month}.{stamp.year}")
    return labels


def value_range(spec: ChartSpec) -> tuple[float, float, float]:
    """The value axis as in the PNG: counts from zero, whole steps for whole units, the top on
    a tick; returns (minimum, maximum, step)."""
    shown = [v for _, s in spec.series for v in s if v is not None]
    if spec.target is not None:
        shown.append(spec.target)
    whole = spec.unit in WHOLE_UNITS
    low, high = (min(shown), max(shown)) if shown else (0.0, 1.0)
    if spec.unit in COUNT_UNITS and low >= 0:
        low = 0.0
    elif spec.unit == "andel":
        middle, span = (low + high) / 2, max(high - low, 0.10)
        low, high = max(0.0, middle - span / 2), min(1.0, middle + span / 2)
    if high <= low:
        high = low + 1
    locator = ticker.MaxNLocator(nbins=5, integer=whole, steps=[1, 2, 5, 10])
    ticks = locator.tick_values(low, high)
    step = float(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    bottom = float(ticks[ticks <= low + 1e-9][-1]) if (ticks <= low + 1e-9).any() else low
    top = float(ticks[ticks >= high - 1e-9][0]) if (ticks >= high - 1e-9).any() else high
    return bottom, top, step


def label_skip(labels: list[str], width_in: float) -> int:
    """Label every n-th category so the labels fit side by side in ``width_in``."""
    if not labels:
        return 1
    widest = max(deck_fit.text_width(t, PT["chart"]) for t in labels) + 0.12
    room = max(int((width_in - 0.6) / widest), 1)
    return max(1, -(-len(labels) // room))


def kommune_png(view: View, rect: Rect) -> bytes:
    """The Kommuner chart of the PNG export as a picture of the box's size, its names and
    values in the slide's table font."""
    return kommune_chart_png(
        view.table, rect.width, rect.height, scale=PT["table"] / FONTS["table"], dpi=MAP_DPI
    )


def map_png(spec: MapSpec, rect: Rect) -> bytes:
    """The map panel alone (map, legend, labels, scale bar) as a PNG of the box's size, drawn
    as in the PNG export with its fonts scaled to the slide."""
    with rc_context({"text.parse_math": False}):
        figure = Figure(figsize=(rect.width, rect.height), dpi=MAP_DPI, facecolor="white")
        FigureCanvasAgg(figure)
        page = Page(figure, scale=SLIDE_W_IN / SIZES["slide"][0])
        draw_map_panel(page, spec, Box(0.005, 0.005, 0.995, 0.995))
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=MAP_DPI, facecolor="white")
    return buffer.getvalue()
