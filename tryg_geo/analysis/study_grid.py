"""The study grid of the hot spot analyses: the cells of one size inside the districts, their
weights, and which incidents it leaves out.

Study area
    The cells of the chosen size (100m, 250m, 1km) whose centre lies inside the union of the
    loaded districts (or inside the one district asked for); see
    :mod:`tryg_geo.analysis.hotspots` for why. The incidents inside the districts that this
    leaves out are counted (:func:`outside_cells`) and said (:func:`outside_note`).
Weights
    As described in :mod:`tryg_geo.analysis.hotspots` (:func:`cell_weights`,
    :func:`district_weights`).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from scipy import sparse

from ..cache import per_version
from ..compute.privacy import count_text, small
from ..errors import UsageError
from ..fmt import percent
from ..geo.grid import CELL_CHOICES, CELL_SIZES
from ..store.dataset import Dataset

#: Keys of one cell in a study grid: northing index × KEY + easting index.
KEY = 1_000_000
#: Two districts closer than this (metres) are neighbours: DAGI outlines leave hairline gaps.
TOUCH_TOLERANCE_M = 1.0


# ---- weights --------------------------------------------------------------------------------------
def cell_weights(rows: np.ndarray, cols: np.ndarray) -> sparse.csr_matrix:
    """Binary 3 × 3 (queen, with self) weights between grid cells given by their indices.

    Parameters
    ----------
    rows, cols : northing and easting index of every study cell (``y // size``, ``x // size``).

    Returns
    -------
    scipy.sparse.csr_matrix
        ``n × n``; 1 where two study cells are the same or touch at an edge or a corner.
    """
    keys = np.asarray(rows, dtype=np.int64) * KEY + np.asarray(cols, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    n = len(keys)
    i_parts, j_parts = [], []
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            wanted = keys + dr * KEY + dc
            pos = np.minimum(np.searchsorted(sorted_keys, wanted), max(n - 1, 0))
            hit = sorted_keys[pos] == wanted if n else np.zeros(0, bool)
            i_parts.append(np.flatnonzero(hit))
            j_parts.append(order[pos[hit]])
    i = np.concatenate(i_parts)
    j = np.concatenate(j_parts)
    return sparse.csr_matrix((np.ones(len(i)), (i, j)), shape=(n, n))


def district_weights(
    districts: gpd.GeoDataFrame, tolerance: float = TOUCH_TOLERANCE_M
) -> sparse.csr_matrix:
    """Binary queen contiguity with self between districts (in the order of ``districts``).

    Two districts are neighbours when they share a boundary or a corner; outlines closer than
    ``tolerance`` metres count as touching (hairline gaps between DAGI polygons).
    """
    geoms = districts.geometry.to_numpy()
    n = len(geoms)
    tree = shapely.STRtree(geoms)
    i, j = tree.query(geoms, predicate="dwithin", distance=float(tolerance))
    matrix = sparse.csr_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    matrix.data[:] = 1.0  # a pair found twice is still one neighbour
    return matrix + sparse.identity(n, format="csr") - sparse.diags(matrix.diagonal())


# ---- study grid -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class StudyGrid:
    """The study cells of one size inside an area, their weights and names."""

    size: str
    metres: int
    rows: np.ndarray  # northing index (y // metres), ascending with cols
    cols: np.ndarray  # easting index (x // metres)
    weights: sparse.csr_matrix

    @property
    def keys(self) -> np.ndarray:
        return self.rows * KEY + self.cols

    @property
    def names(self) -> list[str]:
        """DDKN names, northing first (``100m_63234_5557``)."""
        return [f"{self.size}_{r}_{c}" for r, c in zip(self.rows, self.cols, strict=True)]

    def index_of(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Position of the study cell each point (EPSG:25832) lies in, -1 outside the study."""
        x = np.asarray(x, dtype="float64")
        y = np.asarray(y, dtype="float64")
        out = np.full(len(x), -1, dtype=np.int64)
        ok = np.isfinite(x) & np.isfinite(y)
        if not len(self.rows) or not ok.any():
            return out
        north = np.floor_divide(y[ok], self.metres).astype(np.int64)
        east = np.floor_divide(x[ok], self.metres).astype(np.int64)
        # A table over the study cells' box, one slot per cell, holding its position: a lookup
        # per point instead of a binary search (a second per size at 5M incidents).
        r0, c0 = int(self.rows.min()), int(self.cols.min())
        height, width = int(self.rows.max()) - r0 + 1, int(self.cols.max()) - c0 + 1
        position = np.full(height * width, -1, dtype=np.int64)
        position[(self.rows - r0) * width + (self.cols - c0)] = np.arange(len(self.rows))
        inside = (north >= r0) & (north < r0 + height) & (east >= c0) & (east < c0 + width)
        found = np.full(len(north), -1, dtype=np.int64)
        found[inside] = position[(north[inside] - r0) * width + (east[inside] - c0)]
        out[ok] = found
        return out


def check_size(size: str) -> str:
    """``size`` when it is a hotspot cell size, else a :class:`UsageError` naming it."""
    if size not in CELL_CHOICES:
        raise UsageError(
            f"cell={size!r} er ikke en tilladt cellestørrelse; tilladt: {', '.join(CELL_CHOICES)}."
        )
    return size


def study_grid(area: shapely.Geometry, size: str) -> StudyGrid:
    """The cells of ``size`` whose centre lies inside ``area`` (EPSG:25832), with their weights."""
    metres = CELL_SIZES[check_size(size)]
    if area is None or shapely.is_empty(area):
        empty = np.zeros(0, dtype=np.int64)
        return StudyGrid(size, metres, empty, empty, cell_weights(empty, empty))
    minx, miny, maxx, maxy = area.bounds
    cols = np.arange(int(minx // metres), int(maxx // metres) + 1, dtype=np.int64)
    rows = np.arange(int(miny // metres), int(maxy // metres) + 1, dtype=np.int64)
    grid_cols, grid_rows = np.meshgrid(cols, rows)  # row-major: keys come out ascending
    grid_cols, grid_rows = grid_cols.ravel(), grid_rows.ravel()
    shapely.prepare(area)
    inside = shapely.contains_xy(area, (grid_cols + 0.5) * metres, (grid_rows + 0.5) * metres)
    rows_in, cols_in = grid_rows[inside], grid_cols[inside]
    return StudyGrid(size, metres, rows_in, cols_in, cell_weights(rows_in, cols_in))


# ---- incidents in the study ----------------------------------------------------------------------
def _district_geometry(ds: Dataset, district: str | None) -> shapely.Geometry | None:
    if ds.districts is None or not len(ds.districts):
        return None
    ids = ds.districts["district_id"].astype(str)
    if district is None:
        return shapely.union_all(ds.districts.geometry.to_numpy())
    if district not in set(ids):
        raise UsageError(
            f"district={district!r} er ikke et indlæst område; tilladt: "
            f"{', '.join(sorted(ids)[:10])}{' …' if len(ids) > 10 else ''}."
        )
    return shapely.union_all(ds.districts.geometry[ids == district].to_numpy())


def in_districts(ds: Dataset, district: str | None) -> np.ndarray:
    """Whether each incident lies inside the loaded districts (or inside ``district``)."""
    arrays = ds.arrays
    if district is None:
        return arrays.district >= 0
    if district in arrays.district_ids:
        return arrays.district == arrays.district_ids.index(district)
    return np.zeros(len(arrays.district), dtype=bool)


def outside_cells(ds: Dataset, mask: np.ndarray, index: np.ndarray, district: str | None) -> int:
    """The incidents of ``mask`` inside the districts (or ``district``) whose study cell is
    missing (``index`` −1): their cell's centre lies outside, as on a coarse coastline."""
    return int((mask & in_districts(ds, district) & (index < 0)).sum())


def outside_note(outside: int, incidents: int) -> str | None:
    """In Danish, how many incidents inside the districts the study grid leaves out, because
    their cell's centre lies outside every district (a coarse coastline cuts cells at the
    water); None when none. The share is left out when the count is hidden (it would tell it).
    """
    if outside <= 0:
        return None
    share = "" if small([outside])[0] else f" ({percent(outside / (outside + incidents))})"
    return (
        f"{count_text(outside)} hændelser{share} ligger i celler, hvis midtpunkt er uden for "
        "områderne, og indgår ikke: kun celler med midtpunkt inde i områderne er med, så en "
        "celle, der mest ligger i vandet eller uden for områderne, ikke ligner et coldspot."
    )


def _incident_cells(ds: Dataset, size: str, district: str | None) -> tuple[StudyGrid, np.ndarray]:
    """The study grid and every incident's study cell (-1: outside the districts or the study),
    once per data version, size and district."""

    def compute() -> tuple[StudyGrid, np.ndarray]:
        grid = study_grid(_district_geometry(ds, district), size)
        index = grid.index_of(ds.arrays.x, ds.arrays.y)
        index[~in_districts(ds, district)] = -1
        return grid, index.astype(np.int32)

    return per_version(ds, "analyses", ("study-grid", size, district), compute)


# ---- shared with the hot spots and the emerging hot spots -----------------------------------------
def incident_cells(ds: Dataset, size: str, district: str | None) -> tuple[StudyGrid, np.ndarray]:
    """The study grid of ``size`` over the districts (or ``district``) and every incident's
    study cell (-1: outside), cached per data version: the same study as :func:`cell_hotspots`.

    Raises
    ------
    UsageError
        For an unknown size or district.
    """
    check_size(size)
    return _incident_cells(ds, size, district)
