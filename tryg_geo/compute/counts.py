"""Counting incidents under filters, on precomputed codes: no spatial work at view time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import numpy as np
import pandas as pd

from ..cache import per_version
from ..geo.grid import cell_names
from ..store.dataset import Dataset, IncidentArrays


def _kept(arrays: IncidentArrays, key: tuple, make) -> np.ndarray:
    """The mask for ``key``, made once and kept with ``arrays`` (``BOUNDS["period_masks"]``).

    A view asks for the same period several times (this period, last year's, the trend), and
    a user who changes one filter keeps the others: a mask is one pass over every incident.
    Kept masks are read-only, so no caller can change them for the next one by mistake.
    """

    def read_only() -> np.ndarray:
        mask = make()
        mask.flags.writeable = False
        return mask

    return per_version(arrays, "period_masks", key, read_only)


def period_mask(arrays: IncidentArrays, start: date, end: date) -> np.ndarray:
    """Incidents from ``start`` to ``end`` inclusive (whole days); read-only."""
    lo = np.datetime64(start, "us")
    hi = np.datetime64(end + timedelta(days=1), "us")
    return _kept(arrays, ("period", lo, hi), lambda: (arrays.time >= lo) & (arrays.time < hi))


def category_mask(arrays: IncidentArrays, categories: Iterable[str]) -> np.ndarray | None:
    """Incidents in any of ``categories`` (None when all categories are wanted)."""
    categories = tuple(categories)
    if not categories:
        return None
    # A lookup table indexed by code (the last slot for code -1, no category): one pass over
    # the codes, several times faster than np.isin on millions of incidents.
    table = np.zeros(len(arrays.category_names) + 1, dtype=bool)
    for c in categories:
        if c in arrays.category_names:
            table[arrays.category_names.index(c)] = True
    return table[arrays.category]


def night_mask(
    arrays: IncidentArrays, nights: Iterable[int], start_hour: int, end_hour: int
) -> np.ndarray:
    """Incidents in the nights that begin on the evenings ``nights`` (0 = Monday); read-only.

    A night runs from ``start_hour`` on its evening to ``end_hour`` the next morning, so
    Saturday 02:00 belongs to Friday's night.
    """
    key = ("night", tuple(sorted({int(n) % 7 for n in nights})), int(start_hour), int(end_hour))
    return _kept(arrays, key, lambda: _night_mask(arrays, nights, start_hour, end_hour))


def _night_mask(
    arrays: IncidentArrays, nights: Iterable[int], start_hour: int, end_hour: int
) -> np.ndarray:
    evening = arrays.hour >= start_hour
    morning = arrays.hour < end_hour
    night_of = np.where(
        morning & ~evening, (arrays.weekday.astype(np.int16) - 1) % 7, arrays.weekday
    )
    in_window = evening | morning if start_hour > end_hour else evening & morning
    chosen = np.zeros(7, dtype=bool)
    chosen[[int(n) % 7 for n in nights]] = True
    return in_window & chosen[night_of]


def combine(*masks: np.ndarray | None) -> np.ndarray:
    result = None
    for mask in masks:
        if mask is None:
            continue
        result = mask if result is None else result & mask
    return result


def by_district(ds: Dataset, mask: np.ndarray) -> tuple[pd.Series, int]:
    """Counts per district id (every district, zeros included) and the count outside all."""
    arrays = ds.arrays
    codes = arrays.district[mask]
    inside = codes[codes >= 0]
    counts = np.bincount(inside, minlength=len(arrays.district_ids))
    series = pd.Series(counts, index=arrays.district_ids, dtype="int64")
    all_ids = list(ds.district_names) or arrays.district_ids
    return series.reindex(all_ids, fill_value=0), int((codes < 0).sum())


def by_cell(arrays: IncidentArrays, mask: np.ndarray, size: str = "100m") -> pd.Series:
    """Counts per DDKN cell name of ``size``, only cells with at least one incident.

    100 m cells were named at import; other sizes are named from the coordinates (a 250 m cell
    is not a union of 100 m cells), once per data version (:func:`cell_codes`), so a rerun
    only counts integer codes.
    """
    codes, names = cell_codes(arrays, size)
    counts = np.bincount(codes[mask & (codes >= 0)], minlength=len(names))
    nonzero = np.flatnonzero(counts)
    series = pd.Series(counts[nonzero], index=[names[i] for i in nonzero], dtype="int64")
    return series if size == "100m" else series.sort_index()


def cell_codes(arrays: IncidentArrays, size: str) -> tuple[np.ndarray, list[str]]:
    """The cell of every incident as a code into a list of cell names (-1: no cell).

    Computed once per size and kept with ``arrays`` (which live as long as their data
    version), so counting per cell costs one ``bincount`` whatever the size.
    """
    if size == "100m":
        return arrays.cell, arrays.cell_names

    def codes() -> tuple[np.ndarray, list[str]]:
        named = cell_names(arrays.x, arrays.y, size)
        return np.asarray(named.codes), [str(c) for c in named.categories]

    return per_version(arrays, "cell_codes", size, codes)


def _months(arrays: IncidentArrays) -> np.ndarray:
    """Every incident's calendar month as months since January 1970, once per data version
    (each trend's counting converted the chosen incidents' times again)."""

    def months() -> np.ndarray:
        values = arrays.time.astype("datetime64[M]").astype(np.int64)
        values.flags.writeable = False  # shared: no caller may change it for the next
        return values

    return per_version(arrays, "incident_months", (), months)


def by_month(arrays: IncidentArrays, mask: np.ndarray) -> pd.Series:
    """Counts per calendar month (index: first day of the month), zeros included."""
    return _by_months(arrays, mask, 1)


def by_quarter(arrays: IncidentArrays, mask: np.ndarray) -> pd.Series:
    """Counts per calendar quarter (index: the quarter's first day), zeros included."""
    return _by_months(arrays, mask, 3)


def _by_months(arrays: IncidentArrays, mask: np.ndarray, months: int) -> pd.Series:
    """Counts per span of ``months`` calendar months from January (index: the span's first
    day), from the first span with incidents to the last, zeros included."""
    spans = _months(arrays)[mask] // months
    if len(spans) == 0:
        return pd.Series(dtype="int64")
    first, last = int(spans.min()), int(spans.max())
    counts = np.bincount(spans - first, minlength=last - first + 1)
    starts = (np.arange(first, last + 1) * months).astype("datetime64[M]")
    return pd.Series(counts, index=pd.to_datetime(starts.astype("datetime64[ns]")), dtype="int64")


def hour_weekday(arrays: IncidentArrays, mask: np.ndarray) -> np.ndarray:
    """A 7 × 24 array of counts: rows Monday..Sunday, columns hour 0..23."""
    flat = arrays.weekday[mask].astype(np.int64) * 24 + arrays.hour[mask].astype(np.int64)
    return np.bincount(flat, minlength=7 * 24).reshape(7, 24)
