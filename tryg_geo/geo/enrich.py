"""Features computed once at import, so no dashboard rerun redoes spatial or time work."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from .grid import cell_names
from .spatial import assign_districts


def enrich_incidents(frame: pd.DataFrame, districts: gpd.GeoDataFrame | None) -> pd.DataFrame:
    """Add district_id, cell_100m, hour and weekday; return the store's incident columns, in
    the store's order (``store.schema.COLUMNS``; geo sits below the store, so the test of this
    function holds the two together).

    ``frame`` needs incident_id, time (naive local time), category, x, y (EPSG:25832), source
    and initiative. Without districts every incident counts as outside.
    """
    x = frame["x"].to_numpy(dtype="float64")
    y = frame["y"].to_numpy(dtype="float64")
    out = pd.DataFrame(
        {
            "incident_id": frame["incident_id"].astype(str).to_numpy(),
            "time": pd.to_datetime(frame["time"]).to_numpy(),
            "category": pd.Categorical(frame["category"]),
            "x": x,
            "y": y,
        }
    )
    if districts is not None and len(districts):
        out["district_id"] = assign_districts(x, y, districts)
    else:
        out["district_id"] = pd.Categorical(
            [None] * len(out), categories=pd.Index([], dtype=object)
        )
    out["cell_100m"] = cell_names(x, y, "100m")
    out["hour"] = out["time"].dt.hour.astype(np.int8)
    out["weekday"] = out["time"].dt.day_of_week.astype(np.int8)
    for column in ("source", "initiative"):
        values = frame[column] if column in frame else pd.Series([None] * len(frame))
        out[column] = pd.Categorical(pd.Series(values).to_numpy())
    return out


def outside_count(incidents: pd.DataFrame) -> int:
    """How many incidents lie outside every district (kept, never dropped)."""
    return int(incidents["district_id"].isna().sum())
