"""The one cache of Tryg Geo: a bounded, thread-safe LRU, and results kept per data version.

Everything computed once and reused (the loaded data, masks, analyses, views, chart specs,
map arguments, file digests) is kept in an :class:`LRU` whose size comes from
:data:`BOUNDS`, the one table of how much each cache may hold. Results that depend on the
data are kept with :func:`per_version` on the object that holds that data version (a
:class:`~tryg_geo.store.dataset.Dataset` or its incident arrays) and keyed by its version, so
a new import never serves an old result and old data are not pinned by a cache once their
dataset is gone.

It is a top-level module of the base layer (it imports nothing of the package), so every
layer, and the pages through ``tryg_geo.LRU``, can use it without importing upward.
``tests/store/test_cache.py`` fails when another cache mechanism appears in the code.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

#: Entries each cache keeps, by name: the only place cache sizes are written.
BOUNDS: dict[str, int] = {
    # process-wide
    "datasets": 4,  # loaded data versions (one per data folder; tests use many folders)
    "views": 48,  # pages: views per (key, data version, filters); a busy view is a few MB
    "charts": 256,  # pages: Vega-Lite specs and suppression checks, small
    "maps": 48,  # pages: the map component's arguments per view
    # pages: what a rerun derives from a view or filter state (a role's copy of a view, an
    # analyst's formatted detail table, Analyse's panels): apart, so they never push out views.
    "view_parts": 48,  # as many as views: an entry keeps its view alive
    "file_digests": 1024,  # SHA-256 of stored files by path and stat
    "role_files": 8,  # parsed roles.toml by path and stat
    "partnership_files": 8,  # parsed partnerskab.toml by path and stat
    "settings_files": 8,  # parsed settings.toml by path and stat
    "alias_files": 4,  # checked aliases.toml by path
    "initiative_files": 1,  # the shipped initiatives.toml
    "fonts": 2,  # the deck's measuring fonts (regular, bold)
    # per data version (on the dataset or its incident arrays)
    "analyses": 64,  # Gi*, Knox and change results per filter; study grids
    # Cheap answers a page asks for on every rerun (a district's likes, the districts' areas,
    # Tryg bydel's indicator hints): apart, so browsing never pushes out the analyses above.
    "page_lookups": 128,
    "incident_masks": 32,  # per indicator (categories, nights, zone)
    "period_masks": 12,  # per period, categories, nights, hours, district
    "cell_codes": 4,  # incidents' cells per cell size
    "incident_months": 1,  # every incident's calendar month as a number
    "cell_shapes": 4,  # lon/lat squares per cell size
    "measurements_by_name": 1,  # the measurements split by indicator
    "measurement_series": 128,  # per indicator, period, area, frequency; survey rows
    "night_zone_mask": 1,  # incidents inside any nattelivszone
    "place_unions": 16,  # incidents inside a set of places
    "place_names": 1,  # place id -> name
    "stepped_maps": 8,  # the time slider: a selection counted per step and cell, per filters
    "step_views": 64,  # the time slider: one step's map and table (a few hundred kB each)
}

_OWNER_LOCK = threading.Lock()


class LRU:
    """A thread-safe least-recently-used cache holding at most ``BOUNDS[name]`` entries.

    Parameters
    ----------
    name : the cache's name in :data:`BOUNDS`.

    Raises
    ------
    KeyError
        When ``name`` is not in :data:`BOUNDS` (the message lists the names).
    """

    def __init__(self, name: str) -> None:
        if name not in BOUNDS:
            raise KeyError(f"cache {name!r} has no bound; allowed: {', '.join(BOUNDS)}")
        self.name = name
        self.size = BOUNDS[name]
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        """The value of ``key``, made with ``make()`` (outside the lock) when missing.

        Two threads asking for the same missing key at once may both make it; the result is
        the same, and the second one stored wins.
        """
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
        value = make()
        self.put(key, value)
        return value

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The value of ``key`` (now the most recently used), or ``default``; never makes one."""
        with self._lock:
            if key not in self._items:
                return default
            self._items.move_to_end(key)
            return self._items[key]

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` under ``key``, dropping the least recently used beyond the bound."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def drop(self, where: Callable[[Hashable], bool]) -> None:
        """Forget every entry whose key satisfies ``where`` (e.g. older versions of a folder)."""
        with self._lock:
            for key in [k for k in self._items if where(k)]:
                del self._items[key]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


def of(owner: Any, name: str) -> LRU:
    """The cache ``name`` kept on ``owner`` (made on first use), living as long as ``owner``."""
    attribute = f"_cache_{name}"
    with _OWNER_LOCK:
        lru = owner.__dict__.get(attribute)
        if lru is None:
            lru = owner.__dict__[attribute] = LRU(name)
    return lru


def per_version(owner: Any, name: str, key: Hashable, make: Callable[[], T]) -> T:
    """``make()`` once per data version of ``owner`` and ``key``, kept in ``owner``'s cache
    ``name`` (at most ``BOUNDS[name]`` entries).

    Parameters
    ----------
    owner : the object that holds one data version: a Dataset (its ``version`` is part of
        every key, so an owner whose version changed never returns an old result) or the
        Dataset's incident arrays (which exist once per version).
    name : the cache's name in :data:`BOUNDS`.
    key : hashable description of everything the result depends on besides the data.
    make : called without arguments when the result is not kept yet.
    """
    return of(owner, name).get_or_make((getattr(owner, "version", None), key), make)


def keep(owner: Any, name: str, key: Hashable, value: Any) -> None:
    """Keep ``value`` as :func:`per_version` would for ``owner``, ``name`` and ``key``
    (to replace an entry that has grown, e.g. more cells of one size)."""
    of(owner, name).put((getattr(owner, "version", None), key), value)


def peek(owner: Any, name: str, key: Hashable) -> Any:
    """What :func:`per_version` keeps for ``owner``, ``name`` and ``key``, or ``None``."""
    return of(owner, name).get((getattr(owner, "version", None), key))
