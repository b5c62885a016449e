"""Snapshots of a view: a CSV of exactly the numbers shown, and a finished PNG for slides.

Both are made from the same :class:`~tryg_geo.view.View` as the screen, by the dashboard's
buttons and by ``python -m tryg_geo export``/``pack``: one code path, the same numbers.
"""

from __future__ import annotations

import io
import re
from datetime import date

import matplotlib

matplotlib.use("Agg")  # no display: PNGs are rendered off-screen, also on servers

import geopandas as gpd  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from . import fmt  # noqa: E402
from .charts import SERIES_COLOURS, TARGET_COLOUR  # noqa: E402
from .errors import UsageError  # noqa: E402
from .filters import Filters  # noqa: E402
from .privacy import threshold  # noqa: E402
from .schema import STORE_CRS  # noqa: E402
from .view import MapSpec, Trend, View  # noqa: E402

DIALECTS: dict[str, str] = {"excel": "Excel (dansk)", "standard": "Standard"}
SIZES: dict[str, tuple[float, float, int]] = {
    # name: (width in, height in, dpi)
    "slide": (19.2, 10.8, 100),  # 1920 × 1080
    "a4": (11.69, 8.27, 200),  # A4 landscape, 2338 × 1654
}
DEMO_RED = "#b2182b"
TEXT = "#222222"
MUTED = "#666666"


# ---- CSV --------------------------------------------------------------------------------------
def view_csv(view: View, dialect: str = "excel") -> bytes:
    """The view's table as CSV bytes.

    Parameters
    ----------
    view : the view shown on screen.
    dialect : 'excel' — ';', decimal comma, UTF-8 with BOM (Danish Excel opens it on a
        double-click) — or 'standard' — ',', decimal point, UTF-8.
    """
    if dialect not in DIALECTS:
        raise UsageError(f"--dialect {dialect!r} er ikke tilladt; vælg {' eller '.join(DIALECTS)}.")
    table = csv_table(view)
    if dialect == "excel":
        text = table.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n")
        return "\ufeff".encode() + text.encode("utf-8")
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8")


def csv_table(view: View) -> pd.DataFrame:
    """The exported columns: the view's table, plus whether the data is demo data."""
    table = view.table.copy()
    for column in table.columns:
        if isinstance(table[column].dtype, pd.BooleanDtype) or table[column].dtype == bool:
            table[column] = table[column].map({True: "ja", False: "nej"})
    table.insert(0, "view", view.key)
    if view.demo:
        table.insert(1, "data", "Demodata")
    return table


def file_stem(view: View, filters: Filters) -> str:
    """A file name without extension: tryg-geo_natteliv_2025-01-01_2025-12-31."""
    key = re.sub(r"[^a-z0-9-]+", "-", view.key.lower()).strip("-")
    return f"tryg-geo_{key}_{filters.start.isoformat()}_{filters.end.isoformat()}"


# ---- PNG --------------------------------------------------------------------------------------
def view_png(view: View, size: str = "slide", *, extracted: date | None = None) -> bytes:
    """A finished picture of the view: title, filters in words, map with legend, trend panel,
    source line, and a 'Demodata' mark on demo data."""
    figure = view_figure(view, size)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=SIZES[size][2])
    plt.close(figure)
    return buffer.getvalue()


def view_figure(view: View, size: str = "slide") -> Figure:
    """The matplotlib figure behind :func:`view_png` (tests assert on its texts and artists)."""
    if size not in SIZES:
        raise UsageError(f"størrelse {size!r} er ikke tilladt; vælg {' eller '.join(SIZES)}.")
    width, height, _ = SIZES[size]
    figure = plt.figure(figsize=(width, height), facecolor="white")
    _frame_texts(figure, view)
    has_side = bool(view.trends or view.kpis)
    if view.map is not None:
        map_box = [0.03, 0.1, 0.55 if has_side else 0.94, 0.72]
        _draw_map(figure.add_axes(map_box), view.map)
    if has_side:
        left = 0.62 if view.map is not None else 0.05
        _draw_side(figure, view, left)
    elif view.map is None:
        _draw_table(figure.add_axes([0.05, 0.12, 0.9, 0.68]), view)
    return figure


def _frame_texts(figure: Figure, view: View) -> None:
    figure.text(0.03, 0.94, view.title, fontsize=26, weight="bold", color=TEXT, gid="title")
    figure.text(
        0.03, 0.895, _wrap(view.subtitle, 150), fontsize=13, color=MUTED, va="top", gid="subtitle"
    )
    figure.text(0.03, 0.03, view.source, fontsize=11, color=MUTED, gid="source")
    if view.demo:
        figure.text(
            0.97,
            0.945,
            "DEMODATA",
            fontsize=20,
            weight="bold",
            color="white",
            ha="right",
            gid="demo",
            bbox={"boxstyle": "round,pad=0.4", "facecolor": DEMO_RED, "edgecolor": DEMO_RED},
        )


def _draw_map(ax, spec: MapSpec) -> None:
    ax.set_axis_off()
    ax.set_gid("map")
    features = spec.features.to_crs(STORE_CRS)
    if spec.outline is not None:
        spec.outline.to_crs(STORE_CRS).boundary.plot(
            ax=ax, color="#9a9a9a", linewidth=0.6, zorder=1
        )
    if spec.water is not None:
        spec.water.to_crs(STORE_CRS).plot(ax=ax, color="#cfe3f3", edgecolor="none", zorder=0)
    if spec.kind == "places":
        _draw_places(ax, features)
    else:
        line = 0.8 if spec.kind == "areas" else 0.2
        features.plot(ax=ax, color=features["color"], edgecolor="white", linewidth=line, zorder=2)
    if spec.zones is not None:
        spec.zones.to_crs(STORE_CRS).boundary.plot(
            ax=ax, color="#333333", linewidth=1.6, linestyle="--", zorder=3
        )
    if spec.selected is not None and spec.kind == "areas":
        chosen = features[features["feature_id"] == spec.selected]
        chosen.boundary.plot(ax=ax, color="#000000", linewidth=2.4, zorder=4)
    _zoom_to(ax, features if spec.kind != "areas" or spec.outline is None else features)
    _legend(ax, spec)


def _draw_places(ax, features: gpd.GeoDataFrame) -> None:
    points = features.geometry.representative_point()
    radius = features["radius"] if "radius" in features else pd.Series(10.0, index=features.index)
    ax.scatter(
        points.x,
        points.y,
        s=(radius.astype(float) * 2.2) ** 2,
        c=list(features["color"]),
        edgecolors="#333333",
        linewidths=0.8,
        zorder=3,
    )
    for point, name in zip(points, features["name"], strict=True):
        ax.annotate(
            str(name)[:40],
            (point.x, point.y),
            xytext=(8, 8),
            textcoords="offset points",
            fontsize=10,
            color=TEXT,
            zorder=5,
        )


def _zoom_to(ax, features: gpd.GeoDataFrame) -> None:
    if features.empty:
        return
    minx, miny, maxx, maxy = features.total_bounds
    pad_x, pad_y = max((maxx - minx) * 0.06, 300), max((maxy - miny) * 0.06, 300)
    ax.set_xlim(minx - pad_x, maxx + pad_x)
    ax.set_ylim(miny - pad_y, maxy + pad_y)
    ax.set_aspect("equal")


def _legend(ax, spec: MapSpec) -> None:
    handles = [
        Patch(facecolor=colour, edgecolor="#777777", label=label)
        for colour, label in spec.legend.entries
    ]
    if spec.zones is not None:
        handles.append(
            Patch(facecolor="none", edgecolor="#333333", linestyle="--", label="Nattelivszone")
        )
    legend = ax.legend(
        handles=handles,
        title=spec.legend.title,
        loc="lower left",
        fontsize=11,
        title_fontsize=12,
        frameon=True,
        framealpha=0.92,
    )
    legend.set_gid("legend")


def _draw_side(figure: Figure, view: View, left: float) -> None:
    width = 0.97 - left
    top = 0.82
    for index, kpi in enumerate(view.kpis[:3]):
        y = top - index * 0.085
        figure.text(left, y, kpi.label, fontsize=13, color=MUTED, va="top")
        value = kpi.value + (f"   {kpi.delta}" if kpi.delta not in (None, "–") else "")
        figure.text(left, y - 0.03, value, fontsize=20, weight="bold", color=TEXT, va="top")
    used = min(len(view.kpis), 3) * 0.085
    trends = [t for t in view.trends if not t.data.empty][:2]
    if not trends:
        return
    height = (top - used - 0.14) / len(trends)
    for index, trend in enumerate(trends):
        bottom = top - used - (index + 1) * height - 0.02
        _draw_trend(
            figure.add_axes([left + 0.03, bottom + 0.04, width - 0.04, height - 0.07]), trend
        )


def _draw_trend(ax, trend: Trend) -> None:
    ax.set_gid("trend")
    data = trend.data.copy()
    data["period"] = pd.to_datetime(data["period"])
    for index, (name, part) in enumerate(data.groupby("series", sort=False)):
        part = part.sort_values("period")
        ax.plot(
            part["period"],
            part["value"],
            color=SERIES_COLOURS[index % len(SERIES_COLOURS)],
            linewidth=2.2,
            marker="o" if len(part) < 30 else None,
            markersize=4,
            label=str(name),
        )
    if trend.target is not None:
        ax.axhline(trend.target, color=TARGET_COLOUR, linestyle="--", linewidth=1.2, label="Mål")
    ax.set_title(trend.title, fontsize=13, loc="left", color=TEXT)
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(_axis_formatter(trend.unit)))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e5e5e5")
    ax.tick_params(labelsize=10)
    ax.legend(fontsize=10, frameon=False, loc="best")


def _axis_formatter(unit: str):
    if unit == "andel":
        return lambda v, _: fmt.percent(v, 0)
    if unit in ("pr_1000", "score"):
        return lambda v, _: fmt.number(v, 1)
    return lambda v, _: fmt.number(v)


def _draw_table(ax, view: View) -> None:
    ax.set_axis_off()
    shown = (view.display if view.display is not None else view.table).head(18)
    if shown.empty:
        ax.text(0, 0.9, "Ingen data i den valgte periode.", fontsize=16, color=MUTED)
        return
    cells = [[_clip(v) for v in row] for row in shown.astype(str).to_numpy()]
    table = ax.table(
        cellText=cells,
        colLabels=[_clip(c) for c in shown.columns],
        loc="upper left",
        cellLoc="left",
    )
    table.auto_set_font_size(False)
    table.set_fontsize(11)
    table.scale(1, 1.6)


def _clip(text: object, width: int = 40) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:3])


def suppression_holds(table: pd.DataFrame) -> bool:
    """True when no count column holds a value from 1 to threshold - 1 (used by tests, pack)."""
    limit = threshold()
    for column in table.columns:
        if column in ("incidents", "previous_incidents", "count") or column.endswith("_count"):
            values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype="float64")
            if np.any((values >= 1) & (values < limit)):
                return False
    return True
