"""Spatial work done once, at import: which district each point lies in."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely


def assign_districts(x: np.ndarray, y: np.ndarray, districts: gpd.GeoDataFrame) -> pd.Categorical:
    """District id of every point (EPSG:25832), missing where a point lies outside all districts.

    A point exactly on a shared boundary belongs to the district that comes first in
    ``districts`` sorted by id, so the answer never depends on file order.
    """
    ids = districts["district_id"].astype(str).to_numpy()
    order = np.argsort(ids, kind="stable")
    geoms = districts.geometry.to_numpy()[order]
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    ok = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    points = shapely.points(x[ok], y[ok])
    tree = shapely.STRtree(geoms)
    point_idx, geom_idx = tree.query(points, predicate="intersects")
    # Keep the lowest district position per point: sort by (point, district) and take the first.
    pairs = np.lexsort((geom_idx, point_idx))
    point_idx, geom_idx = point_idx[pairs], geom_idx[pairs]
    first = np.ones(len(point_idx), dtype=bool)
    first[1:] = point_idx[1:] != point_idx[:-1]
    codes = np.full(len(x), -1, dtype=np.int64)
    codes[ok[point_idx[first]]] = geom_idx[first]
    # Categories in sorted-id order so codes index straight into them.
    return pd.Categorical.from_codes(codes, categories=pd.Index(ids[order]).astype(object))
