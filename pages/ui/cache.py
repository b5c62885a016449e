"""What a rerun draws, kept between reruns and sessions: views, chart specs, map arguments.

A View is a function of the data version and the filters alone, so every session of the
server shares one small LRU of them (``tryg_geo.LRU``, the package's one cache): a filter state that anyone has looked at since the data
last changed is drawn without counting again. Chart specs and the map component's arguments
(folium's HTML and script, which take tens of milliseconds to render) are kept per View object
the same way. Cached objects are shared: pages only read them, never change them.

Each cache holds a handful of entries (a view of the busiest page is a few MB; the sizes are in
``tryg_geo.cache.BOUNDS``), so memory stays bounded; a new data version gets new keys and
the old entries fall out.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from tryg_geo import LRU

#: Views per (key, data version, filters); specs and map arguments per view object; the parts a
#: page derives from a view or a filter state (their sizes are in tryg_geo's one table of
#: cache bounds).
VIEWS = LRU("views")
CHARTS = LRU("charts")
MAPS = LRU("maps")
PARTS = LRU("view_parts")
#: Every cache of the pages (the benchmark empties them all so that a page starts cold).
ALL = (VIEWS, PARTS, CHARTS, MAPS)


def pinned(obj: object, *rest: Hashable) -> tuple:
    """A cache key for ``obj`` by identity. The key holds ``obj`` itself, so its id cannot
    be reused by another object while the entry lives (``obj`` need not be hashable)."""
    return (id(obj), _Pin(obj), *rest)


class _Pin:
    """Keeps an object alive inside a key; all pins compare equal (the id decides)."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Pin)

    def __hash__(self) -> int:
        return 0


def content_key(obj: Any) -> Hashable:
    """A key for what ``obj`` holds: DataFrames by a digest of their values, index, columns and
    ``attrs``, dataclasses (a Trend) field by field, anything else as itself or its ``repr``."""
    if isinstance(obj, pd.DataFrame):
        digest = hashlib.sha1()
        # Columns read from a copy without attrs: pandas deep-copies a frame's attrs into every
        # column it hands out (a heat map's set of protected cells, 24 times per rerun).
        plain = obj.copy(deep=False)
        plain.attrs = {}
        for values in (plain.index, *(column for _, column in plain.items())):
            _digest_values(digest, values.to_numpy())
        columns = tuple((str(c), str(t)) for c, t in obj.dtypes.items())
        # attrs carry meaning too (the heatmap's cells hidden only to protect another).
        attrs = tuple((str(k), content_key(v)) for k, v in sorted(obj.attrs.items()))
        return ("frame", obj.shape, columns, digest.hexdigest(), attrs)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        fields = dataclasses.fields(obj)
        return (type(obj).__qualname__, *(content_key(getattr(obj, f.name)) for f in fields))
    try:
        hash(obj)
    except TypeError:
        return ("repr", type(obj).__qualname__, repr(obj))
    return obj


def _digest_values(digest: Any, values: np.ndarray) -> None:
    """Add one column to ``digest``: numbers and times by their bytes, anything else by the
    ``repr`` of each value (None and 'None' differ). pandas' own row hashing cost a few
    milliseconds per chart on every rerun (a heat map has 24 columns)."""
    if values.dtype.kind in "biufcmM":
        digest.update(values.dtype.str.encode())
        digest.update(np.ascontiguousarray(values).tobytes())
    else:
        digest.update("\x1f".join(map(repr, values.tolist())).encode("utf-8", "surrogatepass"))
    digest.update(b"\x1e")
