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
from ..compute.breaks import SUPPRESSED_COLOR, colours
from ..compute.privacy import hidden_legend, shown_count, threshold
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
    merged = []
    for key, cls in classes.items():
        part = ~top & (groups == key)
        if part.any():
            merged.append((cls, shapely.coverage_union_all(shapes[part])))
    # One frame made once from plain lists (three frames and two concatenations cost a few
    # milliseconds per new map): the merged shapes first (beneath), then the cells.
    own = names[top].tolist()
    values = (  # in the order of FEATURE_COLUMNS, the geometry last
        [cls.feature_id for cls, _ in merged] + own,
        [cls.name for cls, _ in merged] + own,
        [cls.label for cls, _ in merged] + list(labels(np.flatnonzero(top))),
        [cls.colour for cls, _ in merged] + [classes[g].colour for g in groups[top]],
    )
    return gpd.GeoDataFrame(
        dict(zip(FEATURE_COLUMNS[:-1], values, strict=True)),
        geometry=[shape for _, shape in merged] + list(shapes[top]),
        crs=WGS84,
    )


def by_class(entries: Sequence[tuple[str, str]], n_classes: int, palette: str) -> list:
    """(colour, words) of every class of a ``palette`` ramp by index, the words from the
    legend's ``entries`` (which list only the classes that hold a cell; others get none)."""
    words = dict(entries)
    ramp = colours(np.arange(n_classes), palette, n_classes)
    return [(c, words.get(c, "")) for c in ramp]


def count_cell_features(
    ids: Sequence[str],
    shapes: np.ndarray,
    values: np.ndarray,
    classes: np.ndarray,
    class_entries: Sequence[tuple[str, str]],
    small: shapely.Geometry | None,
    protecting: shapely.Geometry | None = None,
) -> gpd.GeoDataFrame:
    """A map of counts per cell (Natteliv's, a time slider step's): the busiest
    :data:`MAX_CELL_FEATURES` cells each a feature saying "12 hændelser", the rest one shape
    per class, the hidden cells grey shapes beneath.

    Parameters
    ----------
    ids, shapes : the cells with a shown count and their polygons (lon/lat).
    values : each cell's count.
    classes : each cell's class: an index into ``class_entries``.
    class_entries : (colour, words) of every class by its index, its words e.g. "8 – 14"
        (the merged shapes' names; the legend itself lists only classes that hold a cell).
    small : the cells hidden because their count is small, as one shape; None: none.
    protecting : the cells hidden only so a small one cannot be worked out from the total,
        as one shape; None: none.

    Returns
    -------
    geopandas.GeoDataFrame
        The grey shapes first (beneath), then the merged classes and the cells of their own.
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
            for number, (colour, words) in enumerate(class_entries)
        },
    )
    return with_hidden_cells(features, small, protecting)


def table_cell_features(
    ds: Dataset,
    table: pd.DataFrame,
    classes: np.ndarray,
    class_entries: Sequence[tuple[str, str]],
    hidden_area: Callable[[pd.Series, np.ndarray], shapely.Geometry] | None = None,
) -> tuple[gpd.GeoDataFrame, np.ndarray, bool]:
    """:func:`count_cell_features` of a view's cell table (``cell_id, incidents, suppressed,
    complementary``): the shown cells by count, the small and the protecting hidden cells each
    as one grey shape.

    Parameters
    ----------
    ds : the loaded data (the cells' polygons).
    table : one row per cell; ``suppressed`` hides its count, ``complementary`` says it is
        hidden only to protect a small one.
    classes : the class of each shown cell (rows not suppressed, in table order).
    class_entries : (colour, words) of every class by index (:func:`by_class`).
    hidden_area : the grey shape of hidden cells from their ids and polygons (default: their
        union; Natteliv coarsens many hidden cells to 1 km squares).

    Returns
    -------
    tuple
        The features, the shown cells' polygons (a map opens on them) and whether any cell is
        hidden only to protect another (the legend then names both kinds).
    """
    hidden = table["suppressed"].to_numpy(dtype=bool)
    shown = table[~hidden]
    values = shown["incidents"].astype("float64").to_numpy(na_value=np.nan)
    shapes = ds.cell_shapes(table["cell_id"].tolist())
    protecting = table["complementary"].to_numpy(dtype=bool) & hidden
    area = hidden_area or (lambda _ids, polygons: shapely.coverage_union_all(polygons))

    def grey(cells: np.ndarray) -> shapely.Geometry | None:
        return area(table.loc[cells, "cell_id"], shapes[cells]) if cells.any() else None

    features = count_cell_features(
        shown["cell_id"].to_numpy(),
        shapes[~hidden],
        values,
        classes,
        class_entries,
        grey(hidden & ~protecting),
        grey(protecting),
    )
    return features, shapes[~hidden], bool(protecting.any())


def with_hidden_cells(
    features: gpd.GeoDataFrame,
    small: shapely.Geometry | None,
    protecting: shapely.Geometry | None = None,
) -> gpd.GeoDataFrame:
    """``features`` on top of the hidden cells: ONE grey shape of the small cells ("<5
    hændelser pr. celle") and one of the cells hidden only to protect them ("skjult": they
    hold no small count, so "<5" would be false there). None: no such cells.

    The shapes say "hidden here" (in the setting's words, as every text) without a tooltip per
    cell, and keep the map small: most cells of a night map are hidden.
    """
    limit = threshold()
    protecting_words = hidden_legend(False, True)
    grey = [
        {
            "feature_id": feature_id,
            "name": name,
            "label": label,
            "color": SUPPRESSED_COLOR,
            "geometry": area,
        }
        for area, feature_id, name, label in (
            (
                small,
                "skjulte-celler",
                f"Celler med færre end {limit} hændelser",
                f"{shown_count(None, True, limit)} hændelser pr. celle",
            ),
            (
                protecting,
                "skjulte-celler-total",
                f"Celler {protecting_words[:1].lower()}{protecting_words[1:]}",
                shown_count(None, True, limit, is_complementary=True),
            ),
        )
        if area is not None
    ]
    if not grey:
        return features
    merged = gpd.GeoDataFrame(grey, geometry="geometry", crs=WGS84)
    return pd.concat([merged, features], ignore_index=True)


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
