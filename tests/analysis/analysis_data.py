"""Small in-memory datasets for the analysis tests: districts as squares, incidents placed by hand."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from tryg_geo.geo.enrich import enrich_incidents
from tryg_geo.store.dataset import Dataset
from tryg_geo.store.schema import STORE_CRS

#: South-west corner of the first district, on a 1 km line of the grid (Aalborg midtby).
X0, Y0 = 554_000.0, 6_322_000.0


def square_districts(
    columns: int = 3, rows: int = 1, side: float = 1_000.0, population: bool = True
) -> gpd.GeoDataFrame:
    """``rows × columns`` squares of ``side`` metres, ids ``d<row><col>``."""
    ids, geoms = [], []
    for r in range(rows):
        for c in range(columns):
            ids.append(f"d{r}{c}")
            x, y = X0 + c * side, Y0 + r * side
            geoms.append(shapely.MultiPolygon([shapely.box(x, y, x + side, y + side)]))
    pop = pd.array([1_000 * (i + 1) for i in range(len(ids))], dtype="Int64")
    return gpd.GeoDataFrame(
        {
            "district_id": ids,
            "name": [f"Område {i}" for i in ids],
            "population": pop if population else pd.array([None] * len(ids), dtype="Int64"),
        },
        geometry=geoms,
        crs=STORE_CRS,
    )


def raw_incidents(
    x: Iterable[float],
    y: Iterable[float],
    when: Iterable[str | pd.Timestamp],
    category: str | Iterable[str] = "indbrud i beboelse",
) -> pd.DataFrame:
    x, y, when = list(x), list(y), list(when)
    cats = [category] * len(x) if isinstance(category, str) else list(category)
    return pd.DataFrame(
        {
            "incident_id": [f"i{i}" for i in range(len(x))],
            "time": pd.to_datetime(when),
            "category": cats,
            "x": np.asarray(x, dtype="float64"),
            "y": np.asarray(y, dtype="float64"),
            "source": "test",
            "initiative": None,
        }
    )


def dataset(districts: gpd.GeoDataFrame | None, raw: pd.DataFrame | None) -> Dataset:
    """A dataset in memory (no store): enrichment as at import."""
    incidents = None if raw is None else enrich_incidents(raw, districts)
    return Dataset(
        version="test",
        demo=True,
        districts=districts,
        places=None,
        incidents=incidents,
        measurements=None,
    )
