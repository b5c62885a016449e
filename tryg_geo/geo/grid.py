"""Det Danske Kvadratnet (DDKN): the Danish national grid of square cells in EPSG:25832.

Cell names put the northing first: ``100m_<N div 100>_<E div 100>``, ``1km_<N div 1000>_<E div
1000>``, ``10km_<N div 10000>_<E div 10000>``. Jomfru Ane Gade (E 555 702, N 6 323 433) lies in
``100m_63234_5557``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
from shapely import box

from ..errors import UsageError

#: Cell size in metres by name prefix.
CELL_SIZES: dict[str, int] = {"100m": 100, "250m": 250, "1km": 1000, "10km": 10000}
#: The cell sizes a user may choose, smallest first: Natteliv's and Analyse's radios, the URL's
#: ``celle``, ``--cell`` and the hotspot analysis all read this one tuple.
CELL_CHOICES: tuple[str, ...] = ("100m", "250m", "1km")


def cell_size(name: str) -> int:
    """Metres of the cell size ``name`` ('100m', '250m', '1km' or '10km')."""
    if name not in CELL_SIZES:
        raise UsageError(f"Ukendt cellestørrelse {name!r}; tilladte: {', '.join(CELL_SIZES)}.")
    return CELL_SIZES[name]


def cell_names(x: np.ndarray, y: np.ndarray, size: str = "100m") -> pd.Categorical:
    """DDKN cell name of every point (x = easting, y = northing, EPSG:25832).

    Points with a missing coordinate get a missing name.
    """
    metres = cell_size(size)
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    ok = np.isfinite(x) & np.isfinite(y)
    codes = np.full(len(x), -1, dtype=np.int64)
    north = np.floor_divide(y[ok], metres).astype(np.int64)
    east = np.floor_divide(x[ok], metres).astype(np.int64)
    # One integer key per cell, so naming happens once per distinct cell, not once per point.
    keys = north * 1_000_000 + east
    unique, inverse = _distinct(north, east, keys)
    names = [f"{size}_{k // 1_000_000}_{k % 1_000_000}" for k in unique]
    codes[ok] = inverse
    return pd.Categorical.from_codes(codes, categories=names)


def _distinct(
    north: np.ndarray, east: np.ndarray, keys: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_inverse=True)`` for cell keys (``north * 10⁶ + east``).

    The cells of a kommune fill a small box of the grid, so each point's slot in that box is
    marked and numbered in two passes instead of sorting every point (seconds at 5M points);
    a box much larger than the points (a national file's outliers) is sorted as before.
    """
    if not len(keys):
        return np.unique(keys, return_inverse=True)
    n0, e0 = north.min(), east.min()
    width = int(east.max() - e0) + 1
    slots = (int(north.max() - n0) + 1) * width
    if east.max() - east.min() >= 1_000_000 or slots > 4 * len(keys) + 1_000_000:
        return np.unique(keys, return_inverse=True)
    slot = (north - n0) * width + (east - e0)
    used = np.flatnonzero(np.bincount(slot, minlength=slots))
    number = np.full(slots, -1, dtype=np.int64)
    number[used] = np.arange(len(used))
    unique = (used // width + n0) * 1_000_000 + (used % width + e0)
    return unique, number[slot]


def covering_cells(names: Iterable[str], size: str) -> list[str]:
    """The cells of ``size`` that the cells ``names`` (all of one size) lie in or touch, sorted
    north, then east. A 100 m cell can straddle the border of two 250 m cells: both are named,
    so the larger squares cover every cell whole. In numpy: thousands of cells at a time."""
    names = list(names)
    if not names:
        return []
    metres, step = cell_size(names[0].split("_", 1)[0]), cell_size(size)
    numbers = re.findall(r"_(\d+)_(\d+)(?:\n|$)", "\n".join(names))
    north, east = np.array(numbers, dtype=np.int64).reshape(-1, 2).T * metres
    rows = (north // step, (north + metres - 1) // step)
    cols = (east // step, (east + metres - 1) // step)
    keys = np.unique(np.concatenate([(n << 32) | e for n in rows for e in cols]))
    norths, easts = (keys >> 32).tolist(), (keys & 0xFFFFFFFF).tolist()
    return [f"{size}_{n}_{e}" for n, e in zip(norths, easts, strict=True)]


def cell_polygon(name: str):
    """The square of cell ``name`` as a shapely Polygon in EPSG:25832."""
    try:
        size, north, east = name.split("_")
        metres = cell_size(size)
        n, e = int(north) * metres, int(east) * metres
    except ValueError:
        raise UsageError(
            f"Cellenavnet {name!r} er ikke et DDKN-navn som '100m_63234_5557'."
        ) from None
    return box(e, n, e + metres, n + metres)
