"""Tiny inline stores for the view tests: three districts, a few places, hand-placed incidents.

Every count in these stores is chosen by the test that builds it, so a test can construct
exactly the counts that must be suppressed, or that are and are not a significant change.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from tryg_geo.geo.enrich import enrich_incidents
from tryg_geo.store.dataset import Dataset, load_dataset
from tryg_geo.store.folder import Store
from tryg_geo.store.schema import COLUMNS, REJECTED_COLUMNS, STORE_CRS

X0, Y0 = 554_000.0, 6_322_000.0  # south-west corner of district "a", near Aalborg midtby
SIDE = 1_000.0

DISTRICTS = (("a", "Alfa", 10_000), ("b", "Beta", 5_000), ("c", "Gamma", 2_000))

#: A point inside each place (EPSG:25832), for placing incidents there.
PLACE_POINTS: dict[str, tuple[float, float]] = {
    "nytorv": (X0 + 150, Y0 + 150),
    "gammeltorv": (X0 + 450, Y0 + 150),
    "cw-obels-plads": (X0 + 750, Y0 + 150),
    "jf-kennedys-plads": (X0 + 150, Y0 + 450),
    "kildeparken": (X0 + 1_500, Y0 + 500),
    "jomfru-ane-gade": (X0 + 500, Y0 + 800),
    "havnefronten": (X0 + 1_500, Y0 + 950),
}


def districts() -> gpd.GeoDataFrame:
    """Three 1 km squares side by side, west to east."""
    geoms = [
        shapely.MultiPolygon([shapely.box(X0 + i * SIDE, Y0, X0 + (i + 1) * SIDE, Y0 + SIDE)])
        for i in range(len(DISTRICTS))
    ]
    return gpd.GeoDataFrame(
        {
            "district_id": [d[0] for d in DISTRICTS],
            "name": [d[1] for d in DISTRICTS],
            "population": pd.array([d[2] for d in DISTRICTS], dtype="Int64"),
        },
        geometry=geoms,
        crs=STORE_CRS,
    )


def places() -> gpd.GeoDataFrame:
    """Four squares, a park, the nattelivszone, the quay and a piece of fjord."""
    rows = []
    kinds = {
        "nytorv": ("Nytorv", "torv"),
        "gammeltorv": ("Gammeltorv", "torv"),
        "cw-obels-plads": ("C.W. Obels Plads", "plads"),
        "jf-kennedys-plads": ("J.F. Kennedys Plads", "plads"),
        "kildeparken": ("Kildeparken", "park"),
        "jomfru-ane-gade": ("Jomfru Ane Gade nattelivszone", "nattelivszone"),
    }
    for pid, (name, kind) in kinds.items():
        x, y = PLACE_POINTS[pid]
        rows.append((pid, name, kind, shapely.box(x - 40, y - 40, x + 40, y + 40)))
    quay = shapely.LineString([(X0 + 1_000, Y0 + 950), (X0 + 2_000, Y0 + 950)]).buffer(
        20, cap_style="flat"
    )
    rows.append(("havnefronten", "Havnefronten", "havnefront", quay))
    water = shapely.box(X0, Y0 + SIDE + 20, X0 + 3 * SIDE, Y0 + SIDE + 400)
    rows.append(("limfjorden", "Limfjorden", "vand", water))
    ids, names, kinds_, geoms = zip(*rows, strict=True)
    return gpd.GeoDataFrame(
        {"place_id": list(ids), "name": list(names), "kind": list(kinds_)},
        geometry=list(geoms),
        crs=STORE_CRS,
    )


def incidents_at(
    n: int,
    *,
    category: str = "vold",
    when: str | datetime = "2025-06-14 01:00",
    where: tuple[float, float] | str = (X0 + 300, Y0 + 300),
) -> pd.DataFrame:
    """``n`` raw incidents of one category at one time and place (a place id or x, y)."""
    x, y = PLACE_POINTS[where] if isinstance(where, str) else where
    return pd.DataFrame(
        {
            "time": [pd.Timestamp(when)] * n,
            "category": [category] * n,
            "x": [float(x)] * n,
            "y": [float(y)] * n,
        }
    )


def measurement(
    indicator: str,
    area_id: str,
    period: str,
    value: float,
    n: int | None = None,
) -> dict:
    """One measurement row; ``period`` is '2024', '2024-Q3' or '2024-05'."""
    start, end = _period_bounds(period)
    return {
        "area_id": area_id,
        "period": period,
        "period_start": start,
        "period_end": end,
        "indicator": indicator,
        "value": float(value),
        "n": n,
    }


def _period_bounds(period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    if "-Q" in period:
        year, q = period.split("-Q")
        start = pd.Timestamp(int(year), 3 * (int(q) - 1) + 1, 1)
        return start, start + pd.DateOffset(months=3)
    if "-H" in period:
        year, h = period.split("-H")
        start = pd.Timestamp(int(year), 6 * (int(h) - 1) + 1, 1)
        return start, start + pd.DateOffset(months=6)
    if "-" in period:
        start = pd.Timestamp(period + "-01")
        return start, start + pd.DateOffset(months=1)
    start = pd.Timestamp(int(period), 1, 1)
    return start, start + pd.DateOffset(years=1)


def build(
    root: Path,
    *,
    incidents: Iterable[pd.DataFrame] = (),
    measurements: Iterable[dict] = (),
    with_places: bool = True,
    with_districts: bool = True,
    demo: bool = True,
) -> Dataset:
    """Write a tiny store under ``root`` and load it as a :class:`Dataset`."""
    store = Store(root)
    empty = pd.DataFrame(columns=list(REJECTED_COLUMNS))
    dist = districts() if with_districts else None
    if dist is not None:
        store.write("districts", dist, rejected=empty, report={}, demo=demo)
    if with_places:
        store.write("places", places(), rejected=empty, report={}, demo=demo)
    frames = [f for f in incidents if len(f)]
    if frames:
        raw = pd.concat(frames, ignore_index=True)
        raw["incident_id"] = [f"i{i}" for i in range(len(raw))]
        raw["source"] = "test"
        raw["initiative"] = None
        store.write("incidents", enrich_incidents(raw, dist), rejected=empty, report={}, demo=demo)
    rows = list(measurements)
    if rows:
        frame = pd.DataFrame(rows, columns=list(COLUMNS["measurements"]))
        frame["n"] = pd.array(frame["n"].astype("Float64").round(), dtype="Int64")
        frame["value"] = frame["value"].astype("float64")
        store.write("measurements", frame, rejected=empty, report={}, demo=demo)
    return load_dataset(store)


def all_numbers(frame: pd.DataFrame | None) -> np.ndarray:
    """Every number in a frame's numeric columns (bools excluded), flattened."""
    if frame is None or not len(frame):
        return np.array([])
    numeric = frame.select_dtypes("number")
    numeric = numeric[[c for c in numeric if numeric[c].dtype != bool]]
    return numeric.to_numpy(dtype="float64", na_value=np.nan).ravel()


def small_counts_in_text(texts: Iterable[str]) -> list[str]:
    """Texts that show a bare count from 1 to 4 (not '<5', not part of a larger number)."""
    import re

    bad = []
    for text in texts:
        for match in re.finditer(r"(?<![\d.,<−+])([1-4])(?![\d.,%])", str(text)):
            bad.append(f"{text!r} at {match.start()}")
    return bad
