"""A small picture of what an import would store, for the Data page's dry-run report.

Districts and places are drawn as their outlines; incidents only as 1 km squares of
Det Danske Kvadratnet shaded by how many fall in each (squares with fewer than the discretion
limit are grey and unnumbered), so no single incident reaches the browser. Drawn with
matplotlib alone: no tiles, no browser.
"""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from .. import palette
from ..compute import privacy

CELL_M = 1000.0
WIDTH_IN, HEIGHT_IN, DPI = 5.0, 4.0, 100


def preview_png(
    kind: str, frame: pd.DataFrame, districts: pd.DataFrame | None = None
) -> bytes | None:
    """A PNG (500 × 400 px) of the accepted rows of a dry run, or None when there is nothing to draw.

    Parameters
    ----------
    kind : the data kind; measurements and StatBank's tables by kommune have no map (None).
    frame : the accepted rows as a loader returns them (EPSG:25832).
    districts : the stored districts, drawn as thin outlines under incidents for orientation.
    """
    if kind not in ("districts", "places", "incidents") or frame is None or len(frame) == 0:
        return None
    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.01, 0.08, 0.98, 0.84))
    axes.set_axis_off()
    axes.set_aspect("equal")
    if kind in ("districts", "places"):
        shapes = gpd.GeoSeries(frame["geometry"], crs="EPSG:25832")
        shapes.plot(
            ax=axes, facecolor=palette.PREVIEW_FILL, edgecolor=palette.PREVIEW_LINE, linewidth=0.6
        )
        caption = f"{len(frame)} {'områder' if kind == 'districts' else 'steder'}"
    else:
        caption = _incident_cells(axes, frame, figure, districts)
    figure.text(0.01, 0.95, caption, fontsize=9, color=palette.CHART_TEXT)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _incident_cells(
    axes, frame: pd.DataFrame, figure: Figure, districts: pd.DataFrame | None
) -> str:
    x = np.floor(frame["x"].to_numpy(dtype="float64") / CELL_M)
    y = np.floor(frame["y"].to_numpy(dtype="float64") / CELL_M)
    cells = pd.DataFrame({"x": x, "y": y}).value_counts().rename("n").reset_index()
    hidden = privacy.small(cells["n"])
    top = max(int(cells["n"].max()), 1)
    shade = np.clip(np.log1p(cells["n"].to_numpy()) / np.log1p(top), 0.15, 1.0)
    colours = [palette.HIDDEN if h else _red(s) for h, s in zip(hidden, shade, strict=True)]
    squares = [
        Rectangle((cx * CELL_M, cy * CELL_M), CELL_M, CELL_M)
        for cx, cy in zip(cells["x"], cells["y"], strict=True)
    ]
    axes.add_collection(
        PatchCollection(squares, facecolor=colours, edgecolor="white", linewidth=0.5)
    )
    xlim = (cells["x"].min() * CELL_M - CELL_M, (cells["x"].max() + 2) * CELL_M)
    ylim = (cells["y"].min() * CELL_M - CELL_M, (cells["y"].max() + 2) * CELL_M)
    if districts is not None and len(districts):
        outlines = gpd.GeoSeries(districts["geometry"], crs="EPSG:25832")
        outlines.plot(
            ax=axes, facecolor="none", edgecolor=palette.PREVIEW_LINE, linewidth=0.6, zorder=3
        )
    axes.set_xlim(*xlim)
    axes.set_ylim(*ylim)
    figure.legend(
        handles=[
            Patch(color=_red(1.0), label="Mange"),
            Patch(color=_red(0.2), label="Få"),
            Patch(color=palette.HIDDEN, label=f"Skjult ({privacy.hidden_text()})"),
        ],
        loc="lower right",
        ncols=3,
        fontsize=8,
        frameon=False,
    )
    return f"Hændelser pr. km² ({len(cells)} kvadrater i Det Danske Kvadratnet)"


def _red(share: float) -> tuple[float, float, float]:
    """From light to dark red as ``share`` goes from 0 to 1."""
    return (1.0 - 0.35 * share, 0.85 - 0.75 * share, 0.8 - 0.7 * share)
