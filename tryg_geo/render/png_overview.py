"""The Overblik layout of a PNG snapshot: one row per initiative with its latest figure,
change, status marker and a sparkline.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.text import Text

from .. import palette
from ..views.model import Trend, View
from .charts import SERIES_COLOURS
from .png_base import LIGHT, MUTED, RULE, TEXT, Box, Page
from .png_map import draw_map_panel

ON_TRACK, OFF_TRACK = palette.ON_TRACK, palette.OFF_TRACK  # Okabe–Ito blue and vermillion


# ---- PNG: the overview (Overblik) -------------------------------------------------------------
OVERVIEW_COLUMNS: tuple[tuple[str, str, float], ...] = (
    # (display column, heading, share of the table width)
    ("Indsats", "Indsats", 0.225),
    ("Indikator", "Indikator", 0.25),
    ("Seneste", "Seneste", 0.19),
    ("Ændring", "Ændring", 0.13),
    ("Status", "Status", 0.135),
)
SPARK_SHARE = 0.07


def draw_overview(page: Page, view: View, box: Box) -> None:
    """All initiatives as rows (latest, change, status, sparkline) beside the tryghed map."""
    left, right = box.split_x(0.70 if view.map is not None else 1.0, 0.025)
    _draw_overview_table(page, view, left)
    if view.map is None:
        return
    top = right.top
    if view.highlights:
        text = page.text(
            right.left,
            top,
            page.wrap("Det vigtigste: " + " ".join(view.highlights), "note", right.width, 5),
            "note",
            va="top",
            gid="highlights",
            linespacing=1.3,
        )
        top = page.extent(text).bottom - page.gap_y(20)
    draw_map_panel(page, view.map, Box(right.left, right.bottom, right.right, top))


def _draw_overview_table(page: Page, view: View, box: Box) -> None:
    rows = view.display.to_dict("records")
    sparks = {t.title: t for t in view.trends}
    ax = page.figure.add_axes(box.rect)
    ax.set_axis_off()
    ax.set_gid("table")
    ax.set_xlim(0, 1)
    ax.set_ylim(len(rows) + 1.9, 0)
    size = page.size("table") * min(1.0, 18 / (len(rows) + 1))
    x = 0.0
    for _, heading, share in OVERVIEW_COLUMNS:
        ax.text(x, 0.5, heading, fontsize=size, weight="bold", va="center", color=MUTED)
        x += share
    ax.text(x, 0.5, "Udvikling", fontsize=size, weight="bold", va="center", color=MUTED)
    for index, row in enumerate(rows, start=1):
        if index % 2:
            ax.axhspan(index, index + 1, color=palette.STRIPE, lw=0, zorder=0)
        _overview_row(page, ax, row, index + 0.5, size, box.width)
        trend = sparks.get(str(row.get("Indsats", "")))
        if trend is not None:
            _sparkline(ax, trend, x, x + SPARK_SHARE * 0.95, index + 0.5)
    ax.axhline(1, color=RULE, lw=1)
    ax.text(
        0,
        len(rows) + 1.35,
        "Ændring: mod samme periode året før; fed = markant (p < 0,05). "
        "● på sporet · ▲ ikke på sporet · ○ intet mål eller ingen data.",
        fontsize=size * 0.85,
        color=MUTED,
        va="top",
    )


def _overview_row(page: Page, ax: Axes, row: dict, y: float, size: float, width: float) -> None:
    x = 0.0
    for column, _, share in OVERVIEW_COLUMNS:
        value = str(row.get(column, ""))
        room = width * share - page.gap_x(10)
        bold = column == "Indsats" or (
            column == "Ændring" and str(row.get("Markant ændring", "")).lower() == "ja"
        )
        if column == "Status":
            marker, colour = _status_marker(value)
            ax.text(x, y, marker, fontsize=size, va="center", color=colour)
            shift = page.px_x(size * 1.5 * page.figure.dpi / 72) / width
            text = ax.text(x + shift, y, value, fontsize=size, va="center")
            _fit_width(page, text, room - shift * width)
        else:
            colour = MUTED if column == "Indikator" else TEXT
            text = ax.text(
                x,
                y,
                value,
                fontsize=size,
                va="center",
                weight="bold" if bold else "normal",
                color=colour,
            )
            _fit_width(page, text, room)
        x += share


def _fit_width(page: Page, text: Text, width: float) -> None:
    """Make ``text`` at most ``width`` (figure fraction) wide: a smaller font first (down to
    55 %, so the whole text is read: '+0,5 procentpoint', not 'procentpo…'), and only a text
    that still does not fit is shortened with '…'."""
    full = text.get_text()
    size = text.get_fontsize()
    while page.extent(text).width > width and text.get_fontsize() > size * 0.55:
        text.set_fontsize(text.get_fontsize() * 0.95)
    if page.extent(text).width <= width:
        return
    keep = max(1, int(len(full) * width / page.extent(text).width))
    while keep > 1:
        text.set_text(full[:keep].rstrip() + "…")
        if page.extent(text).width <= width:
            return
        keep -= 1


def _status_marker(status: str) -> tuple[str, str]:
    status = status.lower()
    if status == "på sporet":
        return "●", ON_TRACK
    if status == "ikke på sporet":
        return "▲", OFF_TRACK
    return "○", LIGHT


def _sparkline(ax: Axes, trend: Trend, x0: float, x1: float, y: float) -> None:
    """A small line in a table cell: the trend scaled into the row (higher values up)."""
    data = trend.data.dropna(subset=["value"]).sort_values("period")
    if len(data) < 2:
        return
    first = data["series"].iloc[0]
    data = data[data["series"] == first]
    times = pd.to_datetime(data["period"]).astype("int64").to_numpy(dtype="float64")
    values = data["value"].to_numpy(dtype="float64")
    xs = x0 + (times - times.min()) / max(times.max() - times.min(), 1) * (x1 - x0)
    span = values.max() - values.min()
    ys = y + 0.32 - (values - values.min()) / (span if span > 0 else 1) * 0.64
    if span == 0:
        ys = np.full_like(values, y)
    ax.plot(xs, ys, color=SERIES_COLOURS[0], lw=1.4)
    ax.plot(xs[-1:], ys[-1:], "o", color=SERIES_COLOURS[0], ms=3)
