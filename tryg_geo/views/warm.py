"""Warm-up at start: load the data and build the first view of every page before anyone asks.

A replica behind the proxy reports itself healthy only after :func:`warm_up` has run
(``readiness.py``), so the first visitor after a start or an update waits no longer than the
thousandth. Everything built here lands in the caches the pages use themselves: the dataset
(:func:`tryg_geo.store.dataset.load_dataset`, one per data folder and version), the masks and
cell codes kept on the dataset, and the analysis results (Gi*, Knox) kept per dataset. The
filters are each page's own defaults (no URL parameters): what a visitor who opens the page
from the navigation sees first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from ..compute.counts import cell_codes
from ..compute.registry import load_initiatives
from ..geo.grid import CELL_SIZES
from ..store.dataset import Dataset, load_dataset
from ..store.folder import Store
from .analyse import PERMUTATION_CHOICES, analyse_panels
from .registry import INITIATIVE_PREFIX, MAIN_VIEWS, build_view, default_filters, opening_cell
from .tryg_bydel import INCIDENT_RATE, tryg_bydel_hints, tryg_bydel_indicator

T = TypeVar("T")


def warm_up(store: Store | None = None) -> dict[str, float]:
    """Load the data of ``store`` and build every page's first view; seconds per step.

    Parameters
    ----------
    store : the data folder (default: ``TRYG_DATA_DIR`` or the project's ``data/``).

    Returns
    -------
    dict[str, float]
        ``"data"`` (loading) and one entry per view key, in seconds. An empty folder gives
        ``{"data": ...}`` only: there is nothing to build.

    Raises
    ------
    TrygGeoError
        When the data cannot be read (the pages then say so in Danish).
    """
    took: dict[str, float] = {}
    ds = _timed(took, "data", lambda: load_dataset(store or Store()))
    if ds.districts is None and ds.incidents is None and ds.measurements is None:
        return took
    if ds.has_incidents:
        _timed(took, "cells", lambda: _cell_shapes(ds))
    for info in MAIN_VIEWS:
        if info.key == "analyse" and ds.incidents is None:
            continue  # the page says "no incidents" and builds nothing
        _timed(took, info.key, lambda key=info.key: _first_view(key, ds))
    initiatives = load_initiatives()
    if initiatives:
        key = f"{INITIATIVE_PREFIX}{initiatives[0].slug}"  # the page opens on the first one
        _timed(took, key, lambda: build_view(key, ds, default_filters(ds)))
    return took


def _cell_shapes(ds: Dataset) -> None:
    """The map squares of every cell with incidents, at every cell size: the first switch to
    250 m or 1 km on Natteliv or Analyse then finds them made (half a second otherwise)."""
    for size in CELL_SIZES:
        _codes, names = cell_codes(ds.arrays, size)
        ds.cell_shapes(names[:1])  # the first cell of a size makes all of them


def _first_view(key: str, ds: Dataset) -> object:
    """The view ``key`` as its page first builds it, with what the page computes beside it."""
    filters = default_filters(ds)
    if key == "tryg-bydel":
        tryg_bydel_hints(ds, filters)  # the page's indicator menu marks those without data
        # Incidents per 1 000 too: the first switch from a survey share to it counted every
        # district for the first visitor (0,6 s at 1M incidents).
        if ds.has_incidents:
            build_view(key, ds, filters.with_(indicator=INCIDENT_RATE))
        filters = filters.with_(indicator=tryg_bydel_indicator(ds, filters))
    elif key == "analyse":
        extra = {**filters.extra, "perm": str(PERMUTATION_CHOICES[-1])}
        filters = filters.with_(cell=opening_cell(key) or filters.cell, extra=extra)
        for detail in (False, True):
            analyse_panels(ds, filters, detail=detail)
    return build_view(key, ds, filters)


def _timed(took: dict[str, float], name: str, step: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = step()
    took[name] = round(time.perf_counter() - started, 3)
    return result
