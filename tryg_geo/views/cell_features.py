"""Grid cells as map features, in one place for every cells map.

A map of 100 m cells may hold tens of thousands of cells: each its own feature (a tooltip each)
would make the map too large to send and slow to draw. So every cells map — Natteliv's, the time
slider's steps, the Gi* hot spots and the emerging hot spots — draws the first
:data:`MAX_CELL_FEATURES` cells as features of their own and merges the rest into one shape per
class (or pattern), and Natteliv's and the slider's maps draw every hidden cell as ONE grey
shape that says "few incidents here" without a count per cell.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import fmt
from ..compute.breaks import SUPPRESSED_COLOR
from ..compute.privacy import hidden_text, threshold
from ..store.dataset import WGS84, Dataset
from .mapspec import FEATURE_COLUMNS, zones
from .model import Legend, MapSpec

#: Cells drawn one by one (a popup each) on any cells map; beyond, merged into one shape per class.
MAX_CELL_FEATURES = 600
#: Margin (degrees of longitude, latitude) around the cells a map opens on: about 600 m.
BOUNDS_MARGIN = (0.01, 0.005)


@dataclass(frozen=True)
class CellClass:
    """What a class (or pattern) of cells looks like on the map: the colour of its cells and
    the id, name and label of the one shape its cells beyond the first are merged into."""

    colour: str
    feature_id: str
    name: str
    label: str


def cell_features(
    ids: Sequence[str],
    shapes: np.ndarray,
    groups: np.ndarray,
    labels: Callable[[np.ndarray], Sequence[str]],
    classes: Mapping[Hashable, CellClass],
) -> gpd.GeoDataFrame:
    """The cells as features: the first :data:`MAX_CELL_FEATURES` each a feature of its own, the
    rest one shape per class.

    Parameters
    ----------
    ids : the cell ids, strongest or busiest first (the order decides which keep a popup).
    shapes : the cells' polygons (lon/lat), in the order of ``ids``.
    groups : each cell's class, a key of ``classes``.
    labels : the popup texts of the cells at the given positions (called for the first cells
        only, so thousands of merged cells cost no text).
    classes : every class in the order its merged shape is listed; its colour colours its cells.

    Returns
    -------
    geopandas.GeoDataFrame
        :data:`~tryg_geo.views.mapspec.FEATURE_COLUMNS`: the merged shapes first (beneath), then
        the cells of their own.
    """
    names = np.asarray(ids, dtype=object)
    top = np.arange(len(names)) < MAX_CELL_FEATURES
    features = gpd.GeoDataFrame(
        {
            "feature_id": names[top],
            "name": names[top],
            "label": list(labels(np.flatnonzero(top))),
            "color": [classes[g].colour for g in groups[top]],
        },
        geometry=list(shapes[top]),
        crs=WGS84,
    )
    merged = []
    for key, cls in classes.items():
        part = ~top & (groups == key)
        if part.any():
            merged.append(
                {
                    "feature_id": cls.feature_id,
                    "name": cls.name,
                    "label": cls.label,
                    "color": cls.colour,
                    "geometry": shapely.coverage_union_all(shapes[part]),
                }
            )
    if merged:
        features = pd.concat(
            [gpd.GeoDataFrame(merged, geometry="geometry", crs=WGS84), features],
            ignore_index=True,
        )
    return gpd.GeoDataFrame(features[FEATURE_COLUMNS], geometry="geometry", crs=WGS84)


def count_cell_features(
    ids: Sequence[str],
    shapes: np.ndarray,
    values: np.ndarray,
    classes: np.ndarray,
    entries: Sequence[tuple[str, str]],
    hidden: shapely.Geometry | None,
) -> tuple[gpd.GeoDataFrame, list[tuple[str, str]]]:
    """A map of counts per cell (Natteliv's, a time slider step's): the busiest
    :data:`MAX_CELL_FEATURES` cells each a feature saying "12 hændelser", the rest one shape
    per class, the hidden cells one grey shape beneath.

    Parameters
    ----------
    ids, shapes : the cells with a shown count and their polygons (lon/lat).
    values : each cell's count.
    classes : each cell's class: an index into ``entries``.
    entries : the legend's (colour, words) per class, its words e.g. "8 – 14".
    hidden : the hidden cells as one shape; None when no cell is hidden.

    Returns
    -------
    tuple
        The features, and the legend's entries: ``entries`` and the hidden cells' grey.
    """
    order = np.argsort(-values, kind="stable")
    values = values[order]
    features = cell_features(
        np.asarray(ids, dtype=object)[order],
        shapes[order],
        np.asarray(classes)[order],
        lambda i: [f"{fmt.number(v)} hændelser" for v in values[i]],
        {
            number: CellClass(
                colour,
                f"klasse-{number + 1}",
                f"Celler i klassen {words}",
                f"{words} hændelser pr. celle",
            )
            for number, (colour, words) in enumerate(entries)
        },
    )
    legend = [*entries, (SUPPRESSED_COLOR, f"Skjult ({hidden_text()})")]
    return with_hidden_cells(features, hidden), legend


def with_hidden_cells(
    features: gpd.GeoDataFrame, hidden: shapely.Geometry | None
) -> gpd.GeoDataFrame:
    """``features`` on top of ONE grey shape of the hidden cells (None: no cell is hidden).

    The shape says "fewer than the threshold here" (the setting's, as every text) without a
    tooltip per cell, and keeps the map small: most cells of a night map are hidden.
    """
    if hidden is None:
        return features
    limit = threshold()
    grey = gpd.GeoDataFrame(
        {
            "feature_id": ["skjulte-celler"],
            "name": [f"Celler med færre end {limit} hændelser"],
            "label": [f"{hidden_text(limit)} hændelser pr. celle"],
            "color": [SUPPRESSED_COLOR],
        },
        geometry=[hidden],
        crs=WGS84,
    )
    return pd.concat([grey, features], ignore_index=True)


def cells_map(
    ds: Dataset,
    features: gpd.GeoDataFrame,
    legend: Legend,
    shapes: np.ndarray,
    *,
    description: str | None = None,
) -> MapSpec:
    """A map of cells over the districts' outline, water and zones, opened on ``shapes`` (every
    cell drawn) with a margin of :data:`BOUNDS_MARGIN`; no cells: the data's own extent.
    ``description``: the map's text alternative, when the view has its own."""
    bounds = None
    if len(shapes):
        minx, miny, maxx, maxy = gpd.GeoSeries(shapes, crs=WGS84).total_bounds
        dx, dy = BOUNDS_MARGIN
        bounds = (minx - dx, miny - dy, maxx + dx, maxy + dy)
    return MapSpec(
        kind="cells",
        features=features,
        legend=legend,
        outline=ds.districts_wgs84,
        water=ds.water_wgs84,
        zones=zones(ds),
        bounds=bounds,
        description=description,
    )
