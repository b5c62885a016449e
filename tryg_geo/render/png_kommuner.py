"""The Kommuner chart drawn with matplotlib: the PNG export's body and the deck slide's picture.

Our kommune beside the comparison kommuner and the whole country, reported crimes per 1 000
inhabitants: one panel of horizontal bars per type of offence, the areas in the same rows in
every panel (names once, on the left), our kommune in the first series colour with its name in
bold, the others grey (so colour is never the only mark), each value written beside its bar in
Danish. A rate that is not known has no bar, never a bar of 0: the text beside the axis says why
(:func:`tryg_geo.views.kommuner.rate_text`: 'skjult (<5 anmeldelser)', 'ikke offentliggjort').
Each panel has its own scale (the total is some 25 times the sexual offences), as on screen
(:func:`tryg_geo.render.charts.kommune_chart`); the legend says so. Its text alternative is
:func:`tryg_geo.views.kommuner.chart_text`.

Artists a test needs carry a gid: each panel's axes 'kommune_panel', its bars 'bar', the texts
beside them 'value', the legend's texts 'legend'.
"""

from __future__ import annotations

import io
import math
import textwrap

import pandas as pd
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .. import palette
from ..views.kommuner import rate_text
from .png_base import MUTED, TEXT, Box, Page

#: Our kommune's bars and the others': the first series hue (3:1 on white and apart from the
#: grey with every common colour-vision deficiency) against the 4.5:1 grey.
OWN_COLOUR, OTHER_COLOUR = palette.SERIES[0], palette.LIGHT
#: At most this many panels side by side; more types of offence wrap into rows of panels.
MAX_COLUMNS = 4
#: The bar's share of its row.
BAR_HEIGHT = 0.62
LEGEND_OTHERS = "Andre kommuner og hele landet"
SCALE_NOTE = "Pr. 1.000 indbyggere · hver type af overtrædelse har sin egen skala"


def draw_kommune_chart(page: Page, table: pd.DataFrame, box: Box) -> None:
    """The chart of the Kommuner view's ``table`` (one row per area and type of offence,
    :attr:`tryg_geo.compute.kommuner.KommuneRates.table`) in ``box`` of ``page``."""
    categories = list(dict.fromkeys(table["category"]))
    areas = list(dict.fromkeys(table["area_name"]))
    own = set(table.loc[table["own"].astype(bool), "area_name"])
    top = _draw_legend(page, box, own)
    columns = min(len(categories), MAX_COLUMNS)
    # Balanced rows: 5 types are 3 + 2 panels, not 4 + 1.
    rows = math.ceil(len(categories) / columns)
    columns = math.ceil(len(categories) / rows)
    size = _font_size(page, box.height - (box.top - top), rows, len(areas))
    names_width = _names_width(page, areas, own, size)
    grid = Box(box.left + names_width, box.bottom, box.right, top)
    cells = [row.columns(columns, page.gap_x(40)) for row in grid.rows(rows, page.gap_y(18))]
    title_size, titles = _titles(page, categories, cells[0][0].width)
    lines = max(title.count("\n") + 1 for title in titles)
    title_height = page.px_y((title_size * 1.2 * lines + size * 0.6) * page.figure.dpi / 72)
    for index, (category, title) in enumerate(zip(categories, titles, strict=True)):
        row, column = divmod(index, columns)
        cell = cells[row][column]
        plot = Box(cell.left, cell.bottom, cell.right, cell.top - title_height)
        ax = _panel(
            page, plot, table[table["category"] == category], areas, own, size, names=column == 0
        )
        ax.set_title(
            title,
            loc="left",
            fontsize=title_size,
            weight="bold",
            color=TEXT,
            pad=size * 0.6,
            linespacing=1.1,
        )


def _titles(page: Page, categories: list[str], width: float) -> tuple[float, list[str]]:
    """The panels' titles, one size for all: the panel font, smaller (to 75 %) so that the
    longest type of offence fits on one line, and wrapped to two lines when it still does
    not ('Seksualforbrydelser i alt' whole, not 'Seksualforbrydelser i' over 'alt')."""
    size = page.size("panel")
    widths = {category: _text_width(page, category, size, bold=True) for category in categories}
    widest = max(widths.values(), default=0.0)
    factor = max(0.75, min(1.0, width / widest if widest else 1.0))
    size *= factor
    chars = max(8, int(width * page.width_px / (size * page.figure.dpi / 72 * 0.62)))
    titles = []
    for category in categories:
        if widths[category] * factor <= width:
            titles.append(category)
            continue
        lines = textwrap.wrap(category, chars) or [""]
        titles.append("\n".join(lines[:2]) + (" …" if len(lines) > 2 else ""))
    return size, titles


def _text_width(page: Page, text: str, size: float, *, bold: bool = False) -> float:
    """How wide ``text`` is at ``size`` points (figure fraction), measured."""
    artist = page.figure.text(0, 0, text, fontsize=size, weight="bold" if bold else "normal")
    width = page.extent(artist).width
    artist.remove()
    return width


def _draw_legend(page: Page, box: Box, own: set[str]) -> float:
    """The key above the panels: our kommune's colour and name, the others' colour, and the
    scale's unit; returns the bottom of the line."""
    size = page.size("legend")
    height = page.px_y(size * page.figure.dpi / 72)
    swatch_w = page.px_x(size * 1.1 * page.figure.dpi / 72)
    x = box.left
    y = box.top - height
    entries = [
        (OWN_COLOUR, f"{', '.join(sorted(own))} (vores kommune)" if own else "Vores kommune"),
        (OTHER_COLOUR, LEGEND_OTHERS),
    ]
    for colour, label in entries:
        page.figure.add_artist(
            Rectangle(
                (x, y + height * 0.1),
                swatch_w,
                height * 0.8,
                transform=page.figure.transFigure,
                facecolor=colour,
                edgecolor="none",
                gid="legend_swatch",
            )
        )
        text = page.figure.text(
            x + swatch_w + page.gap_x(8),
            y + height / 2,
            label,
            fontsize=size,
            va="center",
            color=TEXT,
            weight="bold" if colour == OWN_COLOUR else "normal",
            gid="legend",
        )
        x = page.extent(text).right + page.gap_x(28)
    note = page.figure.text(
        x, y + height / 2, SCALE_NOTE, fontsize=size, va="center", color=MUTED, gid="legend"
    )
    if page.extent(note).right > box.right:  # a narrow page: the unit on a line of its own
        y -= height * 1.5
        note.set_position((box.left, y + height / 2))
    return y - page.gap_y(18)


def _font_size(page: Page, height: float, rows: int, areas: int) -> float:
    """The names' and values' font: the table font, smaller when the rows are too tight for it
    (many comparison kommuner, many types of offence)."""
    size = page.size("table")
    row_px = height * page.height_px / max(rows, 1) / (max(areas, 1) + 2.5)
    fits = row_px / 1.45 * 72 / page.figure.dpi  # a line and some air per row
    return max(min(size, fits), size * 0.6)


def _names_width(page: Page, areas: list[str], own: set[str], size: float) -> float:
    """The room for the area names left of the first panel of each row (measured)."""
    widest = max((_text_width(page, a, size, bold=a in own) for a in areas), default=0.0)
    return widest + page.gap_x(14)


def _panel(
    page: Page,
    plot: Box,
    table: pd.DataFrame,
    areas: list[str],
    own: set[str],
    size: float,
    *,
    names: bool,
) -> Axes:
    """One type of offence (``table``: its rows): a bar per area with its value beside it, or
    the reason it has none; the area names on the left when ``names``."""
    ax = page.figure.add_axes(plot.rect)
    ax.set_gid("kommune_panel")
    by_area = table.set_index("area_name")
    rows = [by_area.loc[a] if a in by_area.index else None for a in areas]
    values = [
        float(r["incidents_per_1000"])
        if r is not None and not r["suppressed"] and pd.notna(r["incidents_per_1000"])
        else math.nan
        for r in rows
    ]
    texts = [rate_text(r if r is not None else _unknown()) for r in rows]
    ax.set_ylim(len(areas) - 0.5, -0.5)  # the first area (ours) on top
    ax.set_xlim(0, _x_max(page, values, texts, size, plot.width))
    for y, (area, value, text) in enumerate(zip(areas, values, texts, strict=True)):
        mine = area in own
        if not math.isnan(value):
            (bar,) = ax.barh(
                y, value, height=BAR_HEIGHT, color=OWN_COLOUR if mine else OTHER_COLOUR
            ).patches
            bar.set_gid("bar")
            bar.set_label(area)
        shown = not math.isnan(value)
        ax.annotate(
            text,
            (value if shown else 0, y),
            xytext=(size * 0.4, 0),
            textcoords="offset points",
            va="center",
            fontsize=size,
            color=TEXT if shown else MUTED,
            style="normal" if shown else "italic",
            weight="bold" if mine and shown else "normal",
            gid="value",
            annotation_clip=False,
        )
    ax.set_yticks(range(len(areas)), labels=areas if names else [""] * len(areas))
    ax.tick_params(axis="y", length=0, labelsize=size, labelcolor=TEXT, pad=size * 0.5)
    for label, area in zip(ax.get_yticklabels(), areas, strict=True):
        label.set_weight("bold" if area in own else "normal")
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(palette.AXIS)
    return ax


def _unknown() -> dict:
    """A row for an area the table has not got for a type of offence: not published."""
    return {"suppressed": False, "incidents": math.nan, "incidents_per_1000": math.nan}


def _x_max(page: Page, values: list[float], texts: list[str], size: float, width: float) -> float:
    """The panel's scale: the longest bar and the value beside it fit (a reason without a bar
    starts at the axis, so it needs no room after a bar)."""
    shown = [(v, t) for v, t in zip(values, texts, strict=True) if not math.isnan(v)]
    if not shown:
        return 1.0
    text_px = max(len(t) for _, t in shown) * size * 0.6 * page.figure.dpi / 72 + size
    room = max(0.25, 1 - text_px / (width * page.width_px))
    top = max(v for v, _ in shown)
    return (top if top > 0 else 1.0) / room


def kommune_chart_png(
    table: pd.DataFrame, width_in: float, height_in: float, *, scale: float, dpi: int = 200
) -> bytes:
    """The chart alone as a PNG of ``width_in`` × ``height_in`` inches (the deck slide's
    picture), fonts at ``scale`` of the PNG export's."""
    with rc_context({"text.parse_math": False}):  # names come from data: '$' is a '$'
        figure = Figure(figsize=(width_in, height_in), dpi=dpi, facecolor="white")
        FigureCanvasAgg(figure)
        page = Page(figure, scale=scale)
        draw_kommune_chart(page, table, Box(0.005, 0.005, 0.995, 0.995))
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()
