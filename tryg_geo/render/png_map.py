"""The map panel of a PNG snapshot, drawn from the view's MapSpec with matplotlib: layers,
legend, place and area labels, scale bar (no tiles).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.legend import Legend as MplLegend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path as MplPath
from matplotlib.text import Text

from .. import fmt, palette
from ..views.model import MapSpec
from .maps import OPENING_BOUNDS
from .png_base import MUTED, TEXT, Box, Page, clip

WATER, LAND, DISTRICT_LINE = palette.WATER, palette.LAND, palette.DISTRICT_LINE
ZONE_COLOUR = palette.ZONE  # as on screen (maps.spec_map)


# ---- PNG: the map -----------------------------------------------------------------------------
def draw_map_panel(page: Page, spec: MapSpec, box: Box) -> None:
    """The map with its legend beside it (or under it, when the panel is narrow)."""
    ax = page.figure.add_axes(box.rect)
    ax.set_axis_off()
    ax.set_gid("map")
    map_box = _place_legend(page, ax, spec, box)
    ax.set_position(map_box.rect)
    bounds = _map_bounds(spec)
    _fit(ax, bounds, map_box.width * page.width_px, map_box.height * page.height_px)
    _draw_layers(ax, spec, page)
    drawn = [f for f in (spec.features, spec.outline) if f is not None and len(f)]
    if drawn:
        _scale_bar(ax, page)
    if spec.features is None or not len(spec.features):
        ax.text(
            0.5,
            0.5,
            "Ingen data at vise på kortet i den valgte periode.",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=page.size("panel"),
            color=MUTED,
            gid="map_note",
        )
    taken = _place_boxes(page, ax, spec) if spec.kind == "places" else []
    if spec.kind == "places":
        _label_places(page, ax, spec.features, taken)
    elif spec.kind == "areas":
        _label_areas(page, ax, spec.features)
    if spec.kind != "areas" and spec.outline is not None:
        _label_outline(page, ax, _visible(spec.outline, ax), taken)


def _legend_handles(spec: MapSpec) -> list:
    handles = [
        Patch(facecolor=colour, edgecolor=palette.LEGEND_LINE, linewidth=0.6, label=label)
        for colour, label in spec.legend.entries
    ]
    if spec.zones is not None and len(spec.zones):
        handles.append(
            Line2D([], [], color=ZONE_COLOUR, linestyle="--", linewidth=2, label="Nattelivszone")
        )
    if spec.selected is not None and spec.kind == "areas":
        handles.append(
            Patch(facecolor="none", edgecolor="black", linewidth=2, label="Valgt område")
        )
    if spec.kind == "places":
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=10,
                markerfacecolor="white",
                markeredgecolor=palette.CIRCLE_KEY,
                label="Cirklens areal følger tallet",
            )
        )
    return handles


def _place_legend(page: Page, ax: Axes, spec: MapSpec, box: Box) -> Box:
    """Draw the legend outside the map; return the box left for the map itself."""
    gap = page.gap_x(20)
    legend = _make_legend(page, ax, spec, (box.right, box.top), "upper right", ncol=1, width=0.16)
    extent = page.extent(legend)
    if extent.width < box.width * 0.34:
        return Box(box.left, box.bottom, extent.left - gap, box.top)
    legend.remove()
    columns = max(1, min(len(legend.legend_handles), int(box.width / max(extent.width, 0.01))))
    legend = _make_legend(page, ax, spec, (box.left, box.bottom), "lower left", columns, box.width)
    top = page.extent(legend).top + page.gap_y(14)
    return Box(box.left, top, box.right, box.top)


def _make_legend(
    page: Page,
    ax: Axes,
    spec: MapSpec,
    anchor: tuple[float, float],
    loc: str,
    ncol: int,
    width: float,
) -> MplLegend:
    legend = ax.legend(
        handles=_legend_handles(spec),
        title=page.wrap(spec.legend.title, "legend", width, 4, bold=True),
        loc=loc,
        bbox_to_anchor=anchor,
        bbox_transform=page.figure.transFigure,
        ncol=ncol,
        fontsize=page.size("legend"),
        title_fontproperties={"size": page.size("legend"), "weight": "bold"},
        alignment="left",
        frameon=False,
        borderaxespad=0,
        borderpad=0,
        handlelength=1.6,
        handleheight=1.1,
        labelspacing=0.5,
    )
    legend.set_gid("legend")
    return legend


def _map_bounds(spec: MapSpec) -> tuple[float, float, float, float]:
    """Lon/lat bounds to show: ``spec.bounds`` when given, else the features, padded; a small
    set of places gets at least 1.5 km around it (as on screen)."""
    features = spec.features
    if spec.bounds is not None:
        bounds, pad = tuple(float(v) for v in spec.bounds), 0.2
    elif features is not None and len(features):
        bounds, pad = tuple(float(v) for v in features.total_bounds), 0.04
    elif spec.outline is not None and len(spec.outline):
        bounds, pad = tuple(float(v) for v in spec.outline.total_bounds), 0.03
    else:
        (south, west), (north, east) = OPENING_BOUNDS  # where the screen's map opens too
        bounds, pad = (west, south, east, north), 0.0
    if spec.kind == "places":
        pad = 0.15
    minx, miny, maxx, maxy = bounds
    lat = math.radians((miny + maxy) / 2)
    min_lon, min_lat = 1500 / (111_320 * math.cos(lat)), 1500 / 110_574
    if maxx - minx < min_lon:
        minx, maxx = (minx + maxx - min_lon) / 2, (minx + maxx + min_lon) / 2
    if maxy - miny < min_lat:
        miny, maxy = (miny + maxy - min_lat) / 2, (miny + maxy + min_lat) / 2
    dx, dy = (maxx - minx) * pad, (maxy - miny) * pad
    return minx - dx, miny - dy, maxx + dx, maxy + dy


def _fit(ax: Axes, bounds: Sequence[float], width_px: float, height_px: float) -> None:
    """Set limits so ``bounds`` fill the axes without distortion (lon scaled by cos(lat))."""
    minx, miny, maxx, maxy = bounds
    cos = math.cos(math.radians((miny + maxy) / 2))
    span_x, span_y = (maxx - minx) * cos, maxy - miny
    want = width_px / max(height_px, 1)
    if span_x / span_y < want:
        span_x = span_y * want
    else:
        span_y = span_x / want
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    ax.set_xlim(cx - span_x / cos / 2, cx + span_x / cos / 2)
    ax.set_ylim(cy - span_y / 2, cy + span_y / 2)
    ax.set_aspect("auto")


def _visible(frame: gpd.GeoDataFrame | None, ax: Axes) -> gpd.GeoDataFrame | None:
    if frame is None or not len(frame):
        return None
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    return frame.cx[x0:x1, y0:y1]


def _draw_layers(ax: Axes, spec: MapSpec, page: Page) -> None:
    water = _visible(spec.water, ax)
    outline = _visible(spec.outline, ax)
    features = _visible(spec.features, ax)
    if outline is not None and spec.kind != "areas":
        _polygons(ax, outline.geometry, facecolor=LAND, edgecolor="none", zorder=0)
    if water is not None:
        _polygons(ax, water.geometry, facecolor=WATER, edgecolor="none", zorder=1)
    if features is not None and len(features) and spec.kind == "areas":
        _polygons(
            ax,
            features.geometry,
            facecolor=list(features["color"]),
            edgecolor="white",
            linewidth=0.9,
            zorder=2,
        )
    elif features is not None and len(features) and spec.kind == "cells":
        colours = list(features["color"])
        _polygons(
            ax, features.geometry, facecolor=colours, edgecolor=colours, linewidth=0.3, zorder=2
        )
    if outline is not None and spec.kind != "areas":
        _polygons(
            ax, outline.geometry, facecolor="none", edgecolor=DISTRICT_LINE, linewidth=0.7, zorder=3
        )
    zones = _visible(spec.zones, ax)
    if zones is not None:
        _polygons(ax, zones.geometry, facecolor="none", edgecolor="white", linewidth=4.5, zorder=4)
        _polygons(
            ax,
            zones.geometry,
            facecolor="none",
            edgecolor=ZONE_COLOUR,
            linewidth=2.2,
            linestyle="--",
            zorder=4,
        )
    if spec.selected is not None and features is not None and spec.kind == "areas":
        chosen = features[features["feature_id"].astype(str) == str(spec.selected)]
        _polygons(ax, chosen.geometry, facecolor="none", edgecolor="black", linewidth=2.6, zorder=5)
    if spec.kind == "places" and features is not None and len(features):
        _draw_places(ax, features, page)


def _polygons(ax: Axes, geometries, **style) -> None:
    paths = [_path(g) for g in geometries]
    keep = [i for i, p in enumerate(paths) if p is not None]
    if not keep:
        return
    for key in ("facecolor", "edgecolor"):
        if isinstance(style.get(key), list):
            style[key] = [style[key][i] for i in keep]
    ax.add_collection(PathCollection([paths[i] for i in keep], **style), autolim=False)


def _path(geometry) -> MplPath | None:
    """One compound path for a (multi)polygon, holes included; None for other shapes."""
    if geometry is None or geometry.is_empty:
        return None
    parts = getattr(geometry, "geoms", [geometry])
    vertices, codes = [], []
    for part in parts:
        if part.geom_type != "Polygon":
            continue
        for ring in (part.exterior, *part.interiors):
            coords = np.asarray(ring.coords)[:, :2]
            if len(coords) < 3:
                continue
            vertices.append(coords)
            codes.extend(
                [MplPath.MOVETO] + [MplPath.LINETO] * (len(coords) - 2) + [MplPath.CLOSEPOLY]
            )
    if not vertices:
        return None
    return MplPath(np.concatenate(vertices), codes)


def _draw_places(ax: Axes, features: gpd.GeoDataFrame, page: Page) -> None:
    order = features.sort_values("radius", ascending=False) if "radius" in features else features
    points = order.geometry.representative_point()
    radius = order["radius"] if "radius" in order else pd.Series(10.0, index=order.index)
    diameter_pt = radius.astype(float).to_numpy() * 2 * 1.3 * page.scale
    ax.scatter(
        points.x,
        points.y,
        s=diameter_pt**2,
        c=list(order["color"]),
        edgecolors=palette.CIRCLE_EDGE,
        linewidths=1.0,
        zorder=6,
    )


def halo(page: Page) -> list:
    return [patheffects.withStroke(linewidth=3 * page.scale, foreground="white")]


def _place_boxes(page: Page, ax: Axes, spec: MapSpec) -> list[Box]:
    """The circles' extents, so labels can keep clear of them."""
    features = spec.features
    points = features.geometry.representative_point()
    radius = features["radius"] if "radius" in features else pd.Series(10.0, index=features.index)
    boxes = []
    for point, r in zip(points, radius, strict=True):
        x, y = ax.transData.transform((point.x, point.y))
        half = float(r) * 1.3 * page.scale * page.figure.dpi / 72
        boxes.append(
            Box(page.px_x(x - half), page.px_y(y - half), page.px_x(x + half), page.px_y(y + half))
        )
    return boxes


def _label_places(page: Page, ax: Axes, features: gpd.GeoDataFrame, taken: list[Box]) -> None:
    """Name and value beside each circle, on the first side free of circles and labels."""
    points = features.geometry.representative_point()
    radius = features["radius"] if "radius" in features else pd.Series(10.0, index=features.index)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    for index, (point, name, label, r) in enumerate(
        zip(points, features["name"], features["label"], radius, strict=True)
    ):
        if not (x0 <= point.x <= x1 and y0 <= point.y <= y1):
            continue
        others = [b for i, b in enumerate(taken) if i != index]
        offset = float(r) * 1.3 * page.scale + 5 * page.scale
        text = f"{clip(name, 32)}\n{label}"
        sides = (
            (offset, 0, "left", "center"),
            (-offset, 0, "right", "center"),
            (0, offset, "center", "bottom"),
            (0, -offset, "center", "top"),
        )
        for dx, dy, ha, va in sides:
            artist = _place_label(page, ax, point, text, dx, dy, ha, va)
            box = page.extent(artist)
            if not any(_overlaps(box, other) for other in others) and _inside(page, ax, box):
                break
            artist.remove()
        else:
            artist = _place_label(page, ax, point, text, *sides[0])
            box = page.extent(artist)
        taken.append(box)


def _place_label(page: Page, ax: Axes, point, text: str, dx, dy, ha, va) -> Text:
    return ax.annotate(
        text,
        (point.x, point.y),
        xytext=(dx, dy),
        textcoords="offset points",
        ha=ha,
        va=va,
        fontsize=page.size("label"),
        color=TEXT,
        zorder=7,
        path_effects=halo(page),
        linespacing=1.15,
    )


def _inside(page: Page, ax: Axes, box: Box) -> bool:
    frame = page.extent(ax)
    return (
        box.left >= frame.left
        and box.right <= frame.right
        and box.bottom >= frame.bottom
        and box.top <= frame.top
    )


def _label_outline(
    page: Page, ax: Axes, outline: gpd.GeoDataFrame | None, taken: list[Box]
) -> None:
    """District names in grey for orientation on cell and place maps, where they fit."""
    if outline is None or "name" not in outline:
        return
    for geometry, name in zip(outline.geometry, outline["name"], strict=True):
        if geometry is None or geometry.is_empty:
            continue
        visible = geometry.intersection(_view_box(ax))
        if visible.is_empty or visible.area <= 0:
            continue
        point = visible.representative_point()
        artist = ax.text(
            point.x,
            point.y,
            str(name),
            fontsize=page.size("label"),
            ha="center",
            va="center",
            color=palette.MAP_LABEL,
            style="italic",
            zorder=5,
            path_effects=halo(page),
        )
        box = page.extent(artist)
        fits = _fits_in(page, ax, visible, box)
        if not fits or not _inside(page, ax, box) or any(_overlaps(box, b) for b in taken):
            artist.remove()
            continue
        taken.append(box)


def _view_box(ax: Axes) -> shapely.Polygon:
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    return shapely.box(x0, y0, x1, y1)


def _fits_in(page: Page, ax: Axes, geometry, box: Box) -> bool:
    minx, miny, maxx, maxy = geometry.bounds
    (px0, py0), (px1, py1) = ax.transData.transform([(minx, miny), (maxx, maxy)])
    return (
        box.width * page.width_px < (px1 - px0) * 0.8
        and box.height * page.height_px < (py1 - py0) * 0.6
    )


def _overlaps(a: Box, b: Box) -> bool:
    return a.left < b.right and b.left < a.right and a.bottom < b.top and b.bottom < a.top


def _label_areas(page: Page, ax: Axes, features: gpd.GeoDataFrame) -> None:
    """District names where they fit inside the district (small ones stay unlabelled)."""
    to_px = ax.transData
    for geometry, name in zip(features.geometry, features["name"], strict=True):
        if geometry is None or geometry.is_empty:
            continue
        minx, miny, maxx, maxy = geometry.bounds
        (px0, py0), (px1, py1) = to_px.transform([(minx, miny), (maxx, maxy)])
        text = str(name)
        char_px = page.size("label") * page.figure.dpi / 72 * 0.6
        if len(text) * char_px > (px1 - px0) * 0.75 or char_px * 2.2 > (py1 - py0) * 0.5:
            continue
        point = geometry.representative_point()
        ax.text(
            point.x,
            point.y,
            text,
            fontsize=page.size("label"),
            ha="center",
            va="center",
            color=TEXT,
            zorder=6,
            path_effects=halo(page),
            clip_on=True,
        )


def _scale_bar(ax: Axes, page: Page) -> None:
    """A bar of a round length (100 m … 20 km) in the lower left corner."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    metres_per_degree = 111_320 * math.cos(math.radians((y0 + y1) / 2))
    width_m = (x1 - x0) * metres_per_degree
    length = min(
        (100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000),
        key=lambda m: abs(m - width_m / 6),
    )
    share = length / width_m
    y = 0.025
    ax.plot(
        [0.01, 0.01 + share],
        [y, y],
        transform=ax.transAxes,
        color=TEXT,
        lw=3 * page.scale,
        solid_capstyle="butt",
        zorder=8,
    )
    label = (
        f"{length // 1000} km"
        if length >= 1000 and length % 1000 == 0
        else f"{fmt.number(length)} m"
    )
    if length == 2500:
        label = "2,5 km"
    ax.text(
        0.01,
        y + 0.012,
        label,
        transform=ax.transAxes,
        fontsize=page.size("label"),
        color=TEXT,
        va="bottom",
        zorder=8,
        path_effects=halo(page),
    )
