"""Results cached per data version and filter, on the dataset they were computed from.

A :class:`~tryg_geo.store.dataset.Dataset` lives exactly as long as its data version, so keeping an
analysis on it means a new import never serves an old result. Only the newest
:data:`MAX_ENTRIES` results are kept, so many filter changes do not pin memory.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

#: Results kept per dataset (each is a small table; the study grids are kept apart).
MAX_ENTRIES = 64

_LOCK = threading.Lock()


def cached(owner: Any, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per ``owner`` (a dataset) and ``key`` (the analysis and its filters).

    Parameters
    ----------
    owner : object with a ``__dict__`` that lives as long as its data version.
    key : hashable description of the analysis and every argument it depends on.
    compute : called without arguments when the result is not cached yet.

    Returns
    -------
    The cached or freshly computed result.
    """
    store: OrderedDict[Hashable, Any] = owner.__dict__.setdefault("_analysis_cache", OrderedDict())
    with _LOCK:
        if key in store:
            store.move_to_end(key)
            return store[key]
    value = compute()
    with _LOCK:
        store[key] = value
        store.move_to_end(key)
        while len(store) > MAX_ENTRIES:
            store.popitem(last=False)
    return value
