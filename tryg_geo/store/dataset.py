"""Everything the views need, loaded once per data version and kept in memory.

The dashboard reruns its page script on every click. Loading parquet files, reprojecting
and simplifying geometry, or finding which incidents lie in which place, is done here once per
data version (:meth:`Store.version`) and cached, so a rerun only filters and counts.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from .. import cache
from ..geo.grid import cell_polygon, covering_cells
from .folder import Store
from .integrity import check_current
from .partnership import Partnership, load_partnership
from .schema import KINDS, STORE_CRS

#: Lon/lat, as one parsed CRS: every map feature frame is made with it, and a string would be
#: parsed by PROJ again for each frame (in each rerun's new thread: ~0,5 ms every time).
WGS84 = CRS.from_epsg(4326)
SIMPLIFY_METRES = 1.0
PLACE_BUFFER_METRES = 50.0
#: The keys of a version's meta.json kept per kind in :attr:`Dataset.provenance`.
PROVENANCE_KEYS = (
    "source",
    "file",
    "imported_at",
    "demo",
)  # a point or a quay line counts incidents within this distance


@dataclass(frozen=True)
class IncidentArrays:
    """Incident columns as numpy arrays (categorical columns as integer codes)."""

    time: np.ndarray  # datetime64[us], local time
    category: np.ndarray  # codes into category_names
    category_names: list[str]
    district: np.ndarray  # codes into district_ids, -1 outside
    district_ids: list[str]
    cell: np.ndarray  # codes into cell_names
    cell_names: list[str]
    hour: np.ndarray
    weekday: np.ndarray
    x: np.ndarray  # EPSG:25832 metres, for grid cells other than the stored 100 m ones
    y: np.ndarray

    @classmethod
    def of(cls, incidents: pd.DataFrame | None) -> IncidentArrays:
        if incidents is None:
            incidents = pd.DataFrame(
                {
                    "time": pd.Series(dtype="datetime64[us]"),
                    **{c: pd.Categorical([]) for c in ("category", "district_id", "cell_100m")},
                    "hour": pd.Series(dtype="int8"),
                    "weekday": pd.Series(dtype="int8"),
                    "x": pd.Series(dtype="float64"),
                    "y": pd.Series(dtype="float64"),
                }
            )

        def cat(column: str) -> tuple[np.ndarray, list[str]]:
            values = pd.Categorical(incidents[column])
            return np.asarray(values.codes), [str(c) for c in values.categories]

        category, category_names = cat("category")
        district, district_ids = cat("district_id")
        cell, cell_names = cat("cell_100m")
        return cls(
            time=incidents["time"].to_numpy(dtype="datetime64[us]"),
            category=category,
            category_names=category_names,
            district=district,
            district_ids=district_ids,
            cell=cell,
            cell_names=cell_names,
            hour=incidents["hour"].to_numpy(),
            weekday=incidents["weekday"].to_numpy(),
            x=incidents["x"].to_numpy(dtype="float64"),
            y=incidents["y"].to_numpy(dtype="float64"),
        )


@dataclass
class Dataset:
    """The loaded data of one version; derived pieces are computed on first use and kept."""

    version: str
    demo: bool
    districts: gpd.GeoDataFrame | None
    places: gpd.GeoDataFrame | None
    incidents: pd.DataFrame | None
    measurements: pd.DataFrame | None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    #: Per loaded kind, where its data came from: ``source`` (as given at import, or None),
    #: ``file``, ``imported_at`` and ``demo`` from the version's meta.json. Empty when the
    #: dataset was built in code rather than read from a data folder.
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Whose dashboard this is (``partnerskab.toml``; Tryg Aalborg without the file).
    partnership: Partnership = field(default_factory=Partnership)
    #: StatBank's reported crimes and population by kommune (None when not imported).
    kommune_crimes: pd.DataFrame | None = None
    kommune_population: pd.DataFrame | None = None

    # ---- what is there ---------------------------------------------------------------------
    @property
    def has_incidents(self) -> bool:
        return self.incidents is not None and len(self.incidents) > 0

    @cached_property
    def incident_span(self) -> tuple[date, date]:
        """First and last day with incidents (or measurements), used for period presets."""
        if self.has_incidents:
            times = self.incidents["time"]
            return times.min().date(), times.max().date()
        if self.measurements is not None and len(self.measurements):
            return (
                self.measurements["period_start"].min().date(),
                (self.measurements["period_end"].max() - pd.Timedelta(days=1)).date(),
            )
        today = date.today()
        return date(today.year - 1, 1, 1), today

    @cached_property
    def categories(self) -> list[str]:
        if not self.has_incidents:
            return []
        return sorted(map(str, self.incidents["category"].cat.categories))

    @cached_property
    def district_names(self) -> dict[str, str]:
        if self.districts is None:
            return {}
        return dict(
            zip(
                self.districts["district_id"].astype(str),
                self.districts["name"].astype(str),
                strict=True,
            )
        )

    @cached_property
    def population(self) -> pd.Series:
        if self.districts is None:
            return pd.Series(dtype="float64")
        return pd.Series(
            self.districts["population"]
            .astype("Float64")
            .to_numpy(dtype="float64", na_value=np.nan),
            index=self.districts["district_id"].astype(str),
        )

    @cached_property
    def arrays(self) -> IncidentArrays:
        """Plain numpy columns of the incidents: filters and counts on them take milliseconds."""
        return IncidentArrays.of(self.incidents)

    # ---- geometry for maps, once per version -----------------------------------------------
    @cached_property
    def districts_wgs84(self) -> gpd.GeoDataFrame | None:
        """District shapes simplified (topology kept, ~1 m) and in lon/lat, ready to send."""
        if self.districts is None:
            return None
        return simplified_wgs84(self.districts[["district_id", "name", "geometry"]])

    @cached_property
    def places_wgs84(self) -> gpd.GeoDataFrame | None:
        if self.places is None:
            return None
        return simplified_wgs84(self.places[["place_id", "name", "kind", "geometry"]])

    @cached_property
    def water_wgs84(self) -> gpd.GeoDataFrame | None:
        places = self.places_wgs84
        if places is None:
            return None
        water = places[places["kind"] == "vand"]
        return water if len(water) else None

    def cell_shapes(self, names: list[str]) -> np.ndarray:
        """Lon/lat squares of DDKN cells, computed once per cell size and version, then
        reused: reprojection in a rerun would cost PROJ's per-thread set-up every time."""
        by_size: dict[str, list[str]] = {}
        for name in dict.fromkeys(names):
            by_size.setdefault(name.split("_", 1)[0], []).append(name)
        kept: dict[str, dict[str, shapely.Geometry]] = {}
        for size, wanted in by_size.items():
            known = cache.peek(self, "cell_shapes", size) or {}
            missing = [n for n in wanted if n not in known]
            if missing:
                # The first time a size is drawn, every cell of that size with incidents is
                # made at once (one reprojection), so later filters find their cells ready.
                if not known:
                    missing = list(dict.fromkeys([*missing, *self._known_cells(size)]))
                known = {**known, **dict(zip(missing, _lonlat_squares(missing), strict=True))}
                cache.keep(self, "cell_shapes", size, known)
            kept[size] = known
        if len(kept) == 1:  # one size (the usual case): one dictionary, no lookup by prefix
            return np.array(list(map(next(iter(kept.values())).__getitem__, names)), dtype=object)
        return np.array([kept[n.split("_", 1)[0]][n] for n in names], dtype=object)

    def _known_cells(self, size: str) -> list[str]:
        """The 100 m cells with incidents; of a larger size, every cell one of them touches
        (those with incidents among them): Natteliv's grey 250 m squares
        (:func:`~tryg_geo.geo.grid.covering_cells`) are then all made here once, never
        reprojected in a rerun."""
        if size == "100m":
            return self.arrays.cell_names
        # Every counted cell of the size holds an incident, so a 100 m cell with one touches it.
        return covering_cells(self.arrays.cell_names, size) if self.has_incidents else []

    # ---- spatial membership, once per version ---------------------------------------------
    @cached_property
    def place_members(self) -> dict[str, np.ndarray]:
        """For each place id, the positions of incidents inside it (points and lines: nearby)."""
        if self.places is None or not self.has_incidents:
            return {}
        x = self.incidents["x"].to_numpy()
        y = self.incidents["y"].to_numpy()
        members: dict[str, np.ndarray] = {}
        for place_id, geom in zip(
            self.places["place_id"].astype(str), self.places.geometry, strict=True
        ):
            area = (
                geom
                if geom.geom_type in ("Polygon", "MultiPolygon")
                else geom.buffer(PLACE_BUFFER_METRES)
            )
            minx, miny, maxx, maxy = area.bounds
            near = np.flatnonzero((x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
            inside = shapely.contains_xy(area, x[near], y[near])
            members[place_id] = near[inside]
        return members


def _lonlat_squares(names: list[str]) -> np.ndarray:
    squares = gpd.GeoSeries([cell_polygon(n) for n in names], crs=STORE_CRS)
    # 5 decimals (about 1 m) is plenty for 100 m squares and keeps the map light.
    return shapely.set_precision(squares.to_crs(WGS84).to_numpy(), 1e-5)


def simplified_wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Simplify in metres (topology kept), then reproject to lon/lat and round to ~0.1 m."""
    out = frame.copy()
    out["geometry"] = out.geometry.simplify(SIMPLIFY_METRES, preserve_topology=True)
    out = out.to_crs(WGS84)
    out["geometry"] = shapely.set_precision(out.geometry.to_numpy(), 1e-6)
    return out


#: Loaded datasets by (folder, version); only the newest version of a folder is kept.
_DATASETS = cache.LRU("datasets")
_LOAD_LOCK = threading.Lock()


def load_dataset(store: Store | None = None) -> Dataset:
    """The data of the store's current version, loaded once and shared by every rerun.

    The key is the version on disk (:meth:`Store.version`: the ``CURRENT`` pointers, a few
    small reads), asked on every call: an import by another process (another replica) is seen
    on this process's next rerun, without a restart. Before a version is loaded its files are
    checked against their recorded SHA-256 (:func:`check_current`), so damaged data is never
    shown as if it were in order.

    Raises
    ------
    DataDamagedError
        A file of the current data is missing, unreadable or changed since its import.
    """
    store = store or Store()
    root = str(store.root.resolve())
    with _LOAD_LOCK:
        for _ in range(3):
            key = (root, store.version())
            loaded = _DATASETS.get(key)
            if loaded is not None:
                return loaded
            check_current(store)
            dataset = _read(store, key[1])
            # An import that switched versions while this one was read: read again, so the
            # data never carry a version key they do not match.
            if store.version() == key[1]:
                break
        # Keep only the newest version per folder: old versions would pin memory.
        _DATASETS.drop(lambda k: k[0] == root)
        _DATASETS.put(key, dataset)
        return dataset


def _read(store: Store, version: str) -> Dataset:
    def maybe(kind: str):
        return store.read(kind) if store.has(kind) else None

    provenance = {}
    for kind in KINDS:
        if store.has(kind):
            meta = store.meta(kind)
            provenance[kind] = {key: meta.get(key) for key in PROVENANCE_KEYS}
    return Dataset(
        version=version,
        demo=store.is_demo(),
        districts=maybe("districts"),
        places=maybe("places"),
        incidents=maybe("incidents"),
        measurements=maybe("measurements"),
        provenance=provenance,
        partnership=load_partnership(store.root),
        kommune_crimes=maybe("kommune_crimes"),
        kommune_population=maybe("kommune_population"),
    )
