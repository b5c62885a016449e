"""The trend panels of a PNG snapshot: one small chart per trend, with legend, target line and
Danish axes.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.legend import Legend as MplLegend
from matplotlib.lines import Line2D

from .. import fmt, palette
from ..compute.privacy import threshold
from ..views.model import Trend
from .charts import SERIES_COLOURS, TARGET_COLOUR
from .png_base import MUTED, Box, Page, clip
from .png_map import halo

MONTHS_SHORT = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
#: Units that are never negative: their trend axes start at zero (PNG, deck).
COUNT_UNITS = ("antal", "personer", "timer", "pr_1000", "celler")
#: Units counted in whole numbers: whole steps on the value axis.
WHOLE_UNITS = ("antal", "personer", "timer", "celler")


# ---- PNG: trends ------------------------------------------------------------------------------
def draw_trend_grid(page: Page, trends: list[Trend], box: Box, columns: int) -> None:
    """Trend panels in a grid: up to 3 stacked beside a map, up to 6 on their own. Panels in
    a row share the top of their plot area, whatever their titles and legends need."""
    limit = 4 if columns == 2 else (3 if columns == 1 else 6)
    trends = trends[:limit]
    rows = math.ceil(len(trends) / columns)
    gap_y = page.gap_y(26)
    grid = [row.columns(columns, 0.035) for row in box.rows(rows, gap_y)]
    cells = [cell for row in grid for cell in row]
    colours = series_colours(trends)
    headers = [
        _trend_header(page, trend, cell, colours)
        for trend, cell in zip(trends, cells, strict=False)
    ]
    tick_px = page.size("tick") * page.figure.dpi / 72
    for index, (trend, cell, (wide, _)) in enumerate(zip(trends, cells, headers, strict=False)):
        row = index // columns
        top = min(b for i, (_, b) in enumerate(headers) if i // columns == row)
        plot = Box(
            cell.left + page.px_x(tick_px * 5.2),
            cell.bottom + page.px_y(tick_px * 2.9),
            cell.right - page.gap_x(8),
            top,
        )
        _trend_axes(page, trend, wide, plot, colours)


def series_colours(trends: list[Trend]) -> dict[str, str]:
    """One colour per series name across all panels of a view (Nytorv is orange everywhere)."""
    names = dict.fromkeys(str(s) for t in trends for s in t.data["series"])
    return {name: SERIES_COLOURS[i % len(SERIES_COLOURS)] for i, name in enumerate(names)}


def series_frame(trend: Trend) -> tuple[pd.DataFrame, bool]:
    """Values per period and series, missing periods as NaN (so lines break there)."""
    data = trend.data.copy()
    data["period"] = pd.to_datetime(data["period"])
    data = data.dropna(subset=["period"])
    wide = data.pivot_table(
        index="period", columns="series", values="value", aggfunc="first", sort=False, dropna=False
    )
    order = list(dict.fromkeys(data["series"]))
    wide = wide.reindex(columns=order).sort_index()
    step = period_step(wide.index)
    if step is not None and len(wide) > 1:
        full = pd.date_range(wide.index.min(), wide.index.max(), freq=step)
        wide = wide.reindex(wide.index.union(full))
    gaps = bool(wide.isna().any().any()) and len(wide) > 1
    return wide, gaps


def period_step(index: pd.DatetimeIndex) -> str | None:
    if len(index) < 2:
        return None
    days = float(np.median(np.diff(index.values).astype("timedelta64[D]").astype(float)))
    if days >= 300:
        return "YS"
    if days >= 80:
        return "QS"
    if days >= 25:
        return "MS"
    return None


def has_gaps(trend: Trend) -> bool:
    return series_frame(trend)[1]


def _trend_header(
    page: Page, trend: Trend, cell: Box, colours: dict[str, str]
) -> tuple[pd.DataFrame, float]:
    """Title and legend of a trend panel; returns the values and the bottom of the header."""
    wide, _ = series_frame(trend)
    series = [str(s) for s in wide.columns]
    alone = len(series) == 1 and trend.target is None
    text = trend.title
    joined = f"{trend.title} · {series[0]}" if series else text
    if alone and series[0] not in text and len(joined) <= page.chars("panel", cell.width, True):
        text = joined
    title = page.text(
        cell.left,
        cell.top,
        page.wrap(text, "panel", cell.width, 2, bold=True),
        "panel",
        weight="bold",
        va="top",
        gid="trend_title",
    )
    bottom = page.extent(title).bottom - page.gap_y(6)
    if not alone:
        handles = _trend_handles(series, trend, colours, page)
        legend = _trend_legend(page, handles, cell.left, bottom, cell.width)
        bottom = page.extent(legend).bottom
    return wide, bottom - page.gap_y(10)


def _trend_handles(
    series: list[str], trend: Trend, colours: dict[str, str], page: Page
) -> list[Line2D]:
    handles = [
        Line2D(
            [],
            [],
            color=colours.get(name, SERIES_COLOURS[0]),
            linewidth=2.4 * page.scale,
            marker="o",
            markersize=4.5 * page.scale,
            label=clip(name, 40),
        )
        for name in series
    ]
    if trend.target is not None:
        label = f"Mål: {value_text(trend.target, trend.unit)}"
        handles.append(Line2D([], [], color=TARGET_COLOUR, linestyle="--", lw=1.6, label=label))
    return handles


def _trend_legend(page: Page, handles: list, left: float, top: float, width: float) -> MplLegend:
    """A legend row under the panel title; more rows when the entries do not fit."""
    for columns in range(len(handles), 0, -1):
        legend = page.figure.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(left, top),
            ncol=columns,
            frameon=False,
            fontsize=page.size("tick"),
            borderaxespad=0,
            borderpad=0,
            handlelength=2.0,
            columnspacing=1.4,
        )
        legend.set_gid("trend_legend")
        if page.extent(legend).width <= width or columns == 1:
            return legend
        legend.remove()
    return legend


def _trend_axes(
    page: Page, trend: Trend, wide: pd.DataFrame, plot: Box, colours: dict[str, str]
) -> None:
    ax = page.figure.add_axes(plot.rect)
    ax.set_gid("trend")
    for name in wide.columns:
        values = wide[name].astype("float64")
        ax.plot(
            wide.index,
            values,
            color=colours.get(str(name), SERIES_COLOURS[0]),
            clip_on=False,
            linewidth=2.4 * page.scale,
            marker="o" if values.notna().sum() <= 60 else None,
            markersize=4.5 * page.scale,
            label=str(name),
        )
    if trend.target is not None:
        ax.axhline(trend.target, color=TARGET_COLOUR, linestyle="--", linewidth=1.6)
    _style_trend_axes(ax, trend, wide, page)
    if wide.isna().to_numpy().mean() >= 0.5:
        ax.text(
            0.5,
            0.97,
            page.wrap(
                f"Mange perioder er skjult (under {threshold()}) eller uden tal",
                "tick",
                plot.width,
                3,
            ),
            transform=ax.transAxes,
            ha="center",
            va="top",
            fontsize=page.size("tick"),
            color=MUTED,
            style="italic",
            path_effects=halo(page),
            gid="trend_note",
        )


def _style_trend_axes(ax: Axes, trend: Trend, wide: pd.DataFrame, page: Page) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.spines[["left", "bottom"]].set_color(palette.AXIS)
    ax.grid(axis="y", color=palette.GRID, linewidth=0.9)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=page.size("tick"), colors=palette.TICK, length=3)
    whole = trend.unit in WHOLE_UNITS
    steps = [1, 2, 5, 10]
    locator = ticker.MaxNLocator(nbins=5, integer=whole, steps=steps)
    ax.yaxis.set_major_locator(locator)
    _y_range(ax, trend, wide, locator)
    ax.yaxis.set_major_formatter(_YFormatter(trend.unit))
    _x_axis(ax, wide.index, page)


def _y_range(ax: Axes, trend: Trend, wide: pd.DataFrame, locator: ticker.Locator) -> None:
    """Counts and rates from zero; shares over at least 10 percentage points; the top of the
    axis on a tick, so the highest value is never above the last label."""
    values = wide.to_numpy(dtype="float64")
    values = values[np.isfinite(values)]
    if trend.target is not None:
        values = np.append(values, trend.target)
    if not len(values):
        return
    low, high = float(values.min()), float(values.max())
    if trend.unit in COUNT_UNITS and low >= 0:
        low, high = 0.0, (high if high > 0 else 1.0)
    elif trend.unit == "andel":
        middle, span = (low + high) / 2, max(high - low, 0.10)
        low, high = max(0.0, middle - span / 2), min(1.0, middle + span / 2)
    else:
        pad = (high - low) * 0.1 or max(abs(high) * 0.05, 1)
        low, high = low - pad, high + pad
    ticks = locator.tick_values(low, high)
    above, below = ticks[ticks >= high - 1e-9], ticks[ticks <= low + 1e-9]
    top = float(above[0]) if len(above) else high
    bottom = float(below[-1]) if trend.unit != "andel" and len(below) else low
    margin = (top - bottom) * 0.03
    ax.set_ylim(bottom - margin, top + margin)


class _YFormatter(ticker.Formatter):
    """Danish numbers on the value axis, with as many decimals as the tick step needs."""

    def __init__(self, unit: str) -> None:
        self.unit = unit

    def format_ticks(self, values) -> list[str]:
        scale = 100 if self.unit == "andel" else 1
        values = [round(float(v), 9) + 0.0 for v in values]
        decimals = next(
            (
                d
                for d in range(3)
                if all(abs(v * scale - round(v * scale, d)) < 1e-6 for v in values)
            ),
            2,
        )
        if self.unit == "andel":
            return [fmt.percent(v, decimals) for v in values]
        return [fmt.number(v, decimals) for v in values]

    def __call__(self, x, pos=None) -> str:
        return self.format_ticks([x])[0]


def value_text(value: float, unit: str) -> str:
    if unit == "andel":
        return fmt.percent(value, 0 if round(value * 100, 1) == round(value * 100) else 1)
    return fmt.number(value, 0 if float(value) == round(float(value)) else 1)


def _x_axis(ax: Axes, index: pd.DatetimeIndex, page: Page) -> None:
    """Danish time axis: years for long spans, 'jan 2025', 'apr', … for shorter ones; as
    many labels as the panel's width holds."""
    if not len(index):
        return
    start, end = index.min(), index.max()
    pad = pd.Timedelta(days=max(15, (end - start).days * 0.03))
    ax.set_xlim(start - pad, end + pad)
    months = max((end - start).days / 30.44, 1)
    width_px = page.extent(ax).width * page.width_px
    room = max(2, int(width_px / (page.size("tick") * page.figure.dpi / 72 * 3.6)))
    step = next((m for m in (1, 2, 3, 6, 12, 24, 36, 60) if months / m <= room), 120)
    if step >= 12 and months > 38:
        ax.xaxis.set_major_locator(mdates.YearLocator(base=step // 12))
        ax.xaxis.set_major_formatter(
            ticker.FuncFormatter(lambda v, _: str(mdates.num2date(v).year))
        )
        return
    step = min(step, 12)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=list(range(1, 13, step))))
    ax.xaxis.set_major_formatter(_MonthFormatter(ax))


class _MonthFormatter(ticker.Formatter):
    """'jan\\n2025' at January and at the first visible tick, else the month alone."""

    def __init__(self, ax: Axes) -> None:
        self.ax = ax

    def format_ticks(self, values) -> list[str]:
        low, high = self.ax.get_xlim()
        labels, first = [], True
        for value in values:
            moment = mdates.num2date(value)
            visible = low <= value <= high
            text = MONTHS_SHORT[moment.month - 1]
            if visible and (first or moment.month == 1):
                text += f"\n{moment.year}"
            first = first and not visible
            labels.append(text)
        return labels

    def __call__(self, x, pos=None) -> str:
        moment = mdates.num2date(x)
        return f"{MONTHS_SHORT[moment.month - 1]} {moment.year}"
