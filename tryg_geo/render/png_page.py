"""The PNG snapshot of a view: the page (header with the filters in words, key figures, body, footer).

The PNG is drawn with matplotlib alone (no browser, no map tiles): a header with the view and
the filters in words, the key figures, the map with its legend and the district outlines for
orientation, the trend panels, and a footer with the source line and, on demo data, a
"Demodata" mark. Sizes: 1920 × 1080 pixels for slides, 2338 × 1654 pixels (A4 landscape at
200 dpi) for print. Every artist a test needs carries a gid: 'title', 'subtitle', 'source',
'demo', 'legend', 'map', 'trend' (and 'kicker', 'kpi', 'note', 'table').
The map panel is drawn by :mod:`.png_map`, the trend panels by :mod:`.png_trends`, the
Overblik layout by :mod:`.png_overview` and the Kommuner chart by :mod:`.png_kommuner`; sizes, colours and the page grid are in :mod:`.png_base`.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..compute.breaks import SUPPRESSED_COLOR
from ..compute.privacy import complementary_note, hidden_text, threshold
from ..role_files import LEAST_ROLE, for_role
from ..views.model import Trend, View
from ..views.registry import kicker_text, png_layout
from ..views.sources import badge_text
from .csv_export import is_flagged
from .png_base import (
    DEMO_RED,
    MARGIN_X,
    MUTED,
    RULE,
    SIZES,
    Box,
    Page,
    check_size,
    clip,
    font_scale,
)
from .png_kommuner import draw_kommune_chart
from .png_map import draw_map_panel
from .png_overview import draw_overview
from .png_trends import draw_trend_grid, has_gaps


# ---- PNG: entry points --------------------------------------------------------------------------
def view_png(view: View, size: str = "slide", *, role: str = LEAST_ROLE) -> bytes:
    """A finished picture of the view as PNG bytes.

    Parameters
    ----------
    view : the view shown on screen.
    size : 'slide' (1920 × 1080) or 'a4' (A4 landscape, 2338 × 1654 at 200 dpi).
    role : whose picture it is: what the role may not see is left out
        (:func:`tryg_geo.role_files.for_role`); default the most restrictive role.
    """
    figure = view_figure(for_role(view, role), size)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=SIZES[size][2], facecolor="white")
    return buffer.getvalue()


def view_figure(view: View, size: str = "slide") -> Figure:
    """The matplotlib figure behind :func:`view_png` (tests assert on its texts and artists).

    A plain :class:`~matplotlib.figure.Figure` on an Agg canvas, never pyplot: the dashboard
    renders from several sessions (threads) at once.
    """
    # Names come from data: '$' must print as '$', not start mathtext (which may fail).
    with rc_context({"text.parse_math": False}):
        return _view_figure(view, size)


def _view_figure(view: View, size: str) -> Figure:
    width, height, dpi = SIZES[check_size(size)]
    figure = Figure(figsize=(width, height), dpi=dpi, facecolor="white")
    FigureCanvasAgg(figure)
    page = Page(figure, scale=font_scale(width, height))
    top = _draw_header(page, view)
    bottom = _draw_footer(page, view, footer_notes(view))
    _draw_body(page, view, Box(MARGIN_X, bottom, 1 - MARGIN_X, top))
    return figure


# ---- PNG: header and footer -------------------------------------------------------------------
def draw_kicker(page: Page, view: View, y: float) -> tuple[float, float]:
    """The kicker line at ``y`` (top): 'Tryg Aalborg · Natteliv' in the partnership's colour on
    the left and, on demo data, the Demodata badge on the right. The one drawing of it: the PNG
    and every frame of the animation.

    Returns
    -------
    tuple of float
        The kicker's bottom and the right edge left free beside the badge (figure fractions).
    """
    right = 1 - MARGIN_X
    badge = badge_text(view.demo, view.demo_label)
    if badge:
        drawn = page.text(
            right,
            y,
            badge,
            "badge",
            weight="bold",
            color="white",
            ha="right",
            va="top",
            gid="demo",
            bbox={"boxstyle": "round,pad=0.45", "facecolor": DEMO_RED, "edgecolor": DEMO_RED},
        )
        right = page.extent(drawn).left - 0.03
    kicker = page.text(
        MARGIN_X,
        y,
        kicker_text(view),
        "kicker",
        color=view.partnership_colour or MUTED,
        va="top",
        gid="kicker",
    )
    return page.extent(kicker).bottom, right


def _draw_header(page: Page, view: View) -> float:
    """Kicker ('Tryg Aalborg · Natteliv', the view's partnership), title, filters in words; the Demodata badge.
    Returns the top of the body."""
    bottom, right = draw_kicker(page, view, 1 - page.gap_y(30))
    y = bottom - page.gap_y(10)
    title = page.text(
        MARGIN_X,
        y,
        page.wrap(view.title, "title", right - MARGIN_X, 2, bold=True),
        "title",
        weight="bold",
        va="top",
        gid="title",
        linespacing=1.15,
    )
    y = page.extent(title).bottom - page.gap_y(12)
    subtitle = page.text(
        MARGIN_X,
        y,
        page.wrap(view.subtitle, "subtitle", 1 - 2 * MARGIN_X, 2),
        "subtitle",
        color=MUTED,
        va="top",
        gid="subtitle",
        linespacing=1.3,
    )
    return page.extent(subtitle).bottom - page.gap_y(26)


def footer_notes(view: View) -> list[str]:
    notes = []
    if _shows_hidden(view):
        limit = threshold()
        notes.append(
            f"Tal under {limit} vises ikke: de står som '{hidden_text(limit)}' eller er grå på kortet."
        )
    if _shows_complementary(view):
        notes.append(complementary_note())
    if any(has_gaps(t) for t in drawn_trends(view)):
        notes.append("Huller i en kurve: perioder uden tal eller med skjulte tal.")
    return notes


def _shows_complementary(view: View) -> bool:
    """True when a number of the view reads 'skjult': hidden only to protect a small one."""
    table = view.table
    flags = [c for c in table.columns if c == "complementary" or c.endswith("_complementary")]
    return any(is_flagged(table[c]).any() for c in flags)


def _shows_hidden(view: View) -> bool:
    table = view.table
    flags = [c for c in table.columns if c == "suppressed" or c.endswith("_suppressed")]
    if any(is_flagged(table[c]).any() for c in flags):
        return True
    features = view.map.features if view.map is not None else None
    if features is None or not len(features):
        return False
    return bool((features["color"] == SUPPRESSED_COLOR).any())


def _draw_footer(page: Page, view: View, notes: list[str]) -> float:
    """Source line (with 'Demodata' first on demo data) and notes; returns the body bottom."""
    width = 1 - 2 * MARGIN_X
    source = page.text(
        MARGIN_X,
        page.gap_y(22),
        page.wrap(view.source, "source", width, 2)
        + (f"\n{page.clip(view.as_of, 'source', width)}" if view.as_of else ""),
        "source",
        color=MUTED,
        va="bottom",
        gid="source",
    )
    y = page.extent(source).top + page.gap_y(6)
    if notes:
        note = page.text(
            MARGIN_X,
            y,
            page.wrap(" ".join(notes), "note", width, 2),
            "note",
            color=MUTED,
            va="bottom",
            style="italic",
            gid="note",
        )
        y = page.extent(note).top
    y += page.gap_y(12)
    page.figure.add_artist(
        Line2D(
            [MARGIN_X, 1 - MARGIN_X], [y, y], transform=page.figure.transFigure, color=RULE, lw=1
        )
    )
    return y + page.gap_y(22)


# ---- PNG: body layouts ------------------------------------------------------------------------
def drawn_trends(view: View) -> list[Trend]:
    """The trends with data; the overview draws its own sparklines instead."""
    if png_layout(view.key) == "overview":
        return []
    return [t for t in view.trends if not t.data.empty and t.data["value"].notna().any()]


def _draw_body(page: Page, view: View, box: Box) -> None:
    gap_x, gap_y = 0.03, page.gap_y(24)
    if view.kpis:
        box = Box(box.left, box.bottom, box.right, _draw_kpis(page, view, box) - gap_y)
    if png_layout(view.key) == "overview" and view.display is not None and len(view.display):
        draw_overview(page, view, box)
        return
    if png_layout(view.key) == "kommuner" and len(view.table):
        draw_kommune_chart(page, view.table, box)
        return
    trends = drawn_trends(view)
    if view.map is not None and trends:
        map_box, side = box.split_x(0.56, gap_x)
        draw_map_panel(page, view.map, map_box)
        draw_trend_grid(page, trends, side, columns=1 if len(trends) != 4 else 2)
    elif view.map is not None:
        draw_map_panel(page, view.map, box)
    elif trends:
        draw_trend_grid(page, trends, box, columns=min(len(trends), 3) if len(trends) != 4 else 2)
    else:
        _draw_table(page, view, box)


def _draw_kpis(page: Page, view: View, box: Box) -> float:
    """Up to four key figures side by side: label, value, change. Returns their bottom."""
    shown = view.kpis[:4]
    bottom = box.top
    for kpi, cell in zip(shown, box.columns(len(shown), 0.035), strict=True):
        width = cell.width - 0.01
        label = page.text(
            cell.left,
            box.top,
            page.wrap(kpi.label, "kpi_label", width, 2),
            "kpi_label",
            color=MUTED,
            va="top",
            gid="kpi_label",
        )
        y = page.extent(label).bottom - page.gap_y(8)
        value = page.text(cell.left, y, kpi.value, "kpi_value", weight="bold", va="top", gid="kpi")
        extent = page.extent(value)
        if extent.width > width:
            value.set_fontsize(value.get_fontsize() * width / extent.width)
            extent = page.extent(value)
        y = extent.bottom - page.gap_y(6)
        if kpi.delta not in (None, "", "–"):
            delta = page.text(
                cell.left,
                y,
                f"Ændring: {kpi.delta}",
                "kpi_delta",
                color=MUTED,
                va="top",
                gid="kpi_delta",
            )
            y = page.extent(delta).bottom
        bottom = min(bottom, y)
    return bottom


def _draw_table(page: Page, view: View, box: Box) -> None:
    """The table as text (views without map and trends), or a clear 'no data' sentence."""
    shown = view.display if view.display is not None else view.table
    if shown is None or shown.empty:
        page.text(
            box.left,
            box.top - 0.05,
            "Ingen data i den valgte periode.",
            "kpi_value",
            color=MUTED,
            va="top",
            gid="table",
        )
        return
    shown = shown.head(16).astype(str)
    ax = page.figure.add_axes(box.rect)
    ax.set_axis_off()
    ax.set_gid("table")
    ax.set_xlim(0, 1)
    ax.set_ylim(len(shown) + 1, 0)
    widths = _column_widths(shown)
    x = 0.0
    for column, share in zip(shown.columns, widths, strict=True):
        chars = page.chars("table", box.width * share * 0.95)
        ax.text(
            x, 0.5, clip(column, chars), fontsize=page.size("table"), weight="bold", va="center"
        )
        for row, value in enumerate(shown[column], start=1):
            ax.text(x, row + 0.5, clip(value, chars), fontsize=page.size("table"), va="center")
        x += share
    ax.axhline(1, color=RULE, lw=1)


def _column_widths(table: pd.DataFrame) -> list[float]:
    lengths = np.array(
        [max(len(str(c)), table[c].astype(str).str.len().max()) for c in table.columns], float
    )
    lengths = np.clip(lengths, 4, 40)
    return list(lengths / lengths.sum())
