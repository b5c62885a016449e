"""The one cache mechanism (tryg_geo/cache.py): bounded, keyed by data version, alone."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pandas as pd
import pytest

from tryg_geo import cache
from tryg_geo.compute.counts import period_mask
from tryg_geo.demo.make import make_demo
from tryg_geo.store.dataset import load_dataset
from tryg_geo.store.folder import Store
from tryg_geo.store.schema import REJECTED_COLUMNS

REPO = Path(__file__).resolve().parents[2]


class Owner:
    """Stands for a Dataset: an object with a data version."""

    def __init__(self, version: str) -> None:
        self.version = version


# ---- bounded ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(cache.BOUNDS))
def test_every_cache_keeps_at_most_its_bound(name: str):
    lru = cache.LRU(name)
    bound = cache.BOUNDS[name]
    assert bound >= 1 and lru.size == bound
    for i in range(bound + 3):
        lru.get_or_make(i, lambda i=i: i)
    assert len(lru) == bound
    # The oldest were dropped, the newest kept.
    assert lru.get(0) is None and lru.get(bound + 2) == bound + 2


def test_lru_drops_the_least_recently_used_and_counts_hits(monkeypatch):
    monkeypatch.setitem(cache.BOUNDS, "views", 2)
    lru = cache.LRU("views")
    made = []

    def make(value):
        made.append(value)
        return value

    assert lru.get_or_make("a", lambda: make(1)) == 1
    assert lru.get_or_make("a", lambda: make(2)) == 1
    lru.get_or_make("b", lambda: make(3))
    lru.get_or_make("a", lambda: make(9))  # "a" used again: now "b" is the oldest
    lru.get_or_make("c", lambda: make(4))
    assert lru.get("b") is None and lru.get("a") == 1
    assert made == [1, 3, 4] and len(lru) == 2
    assert (lru.hits, lru.misses) == (2, 3)


def test_per_version_caches_on_an_owner_are_bounded(monkeypatch):
    monkeypatch.setitem(cache.BOUNDS, "place_unions", 3)
    owner = Owner("v1")
    for i in range(10):
        cache.per_version(owner, "place_unions", i, lambda i=i: i)
    assert len(cache.of(owner, "place_unions")) == 3


def test_a_cache_without_a_bound_is_refused():
    with pytest.raises(KeyError, match="no bound; allowed: datasets"):
        cache.LRU("unbounded")


def test_lru_is_safe_with_threads():
    lru = cache.LRU("role_files")
    errors = []

    def work():
        try:
            for i in range(300):
                assert lru.get_or_make(i % 12, lambda i=i: i % 12) == i % 12
        except AssertionError as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(lru) <= cache.BOUNDS["role_files"]


# ---- keyed by data version ---------------------------------------------------------------------
def test_a_new_version_does_not_get_the_old_result():
    owner = Owner("v1")
    assert cache.per_version(owner, "analyses", "k", lambda: "old") == "old"
    assert cache.per_version(owner, "analyses", "k", lambda: "again") == "old"
    owner.version = "v2"
    assert cache.per_version(owner, "analyses", "k", lambda: "new") == "new"
    assert cache.peek(owner, "analyses", "k") == "new"


def test_a_new_import_is_counted_afresh(tmp_path: Path):
    """After an import the loaded dataset is new, and so are its masks and analyses."""
    store = Store(tmp_path)
    make_demo(store, incidents=300, seed=3)
    old = load_dataset(store)
    assert load_dataset(store) is old  # one dataset per version
    start, end = old.incident_span
    old_mask = period_mask(old.arrays, start, end)
    assert period_mask(old.arrays, start, end) is old_mask  # kept
    assert cache.per_version(old, "analyses", "x", lambda: "old") == "old"

    incidents = store.read("incidents").iloc[: len(old.incidents) // 2]
    store.write(
        "incidents",
        incidents,
        rejected=pd.DataFrame(columns=list(REJECTED_COLUMNS)),
        report={"file": "halv.csv"},
    )
    new = load_dataset(store)
    assert new is not old and new.version != old.version
    assert len(period_mask(new.arrays, start, end)) == len(incidents) != len(old_mask)
    assert cache.per_version(new, "analyses", "x", lambda: "new") == "new"


# ---- one mechanism ------------------------------------------------------------------------------
#: What a second cache mechanism looks like in the source.
OTHER_CACHES = re.compile(
    r"__dict__\s*\[|__dict__\.(setdefault|get)\(|OrderedDict|lru_cache|functools\.cache\b"
    r"|^from functools import .*\bcache\b|^\s*@cache\b|class \w*(LRU|Lru|Cache)\b"
    r"|_CACHE\w*\s*(:|=)",
    re.MULTILINE,
)


def test_no_second_cache_mechanism():
    """Caches go through tryg_geo/cache.py (bounded, sizes in BOUNDS): no dict kept on
    an object's ``__dict__``, no OrderedDict or functools cache, no other LRU class."""
    mine = REPO / "tryg_geo" / "cache.py"
    files = [*(REPO / "tryg_geo").rglob("*.py"), *(REPO / "pages").rglob("*.py")]
    found = [
        f"{f.relative_to(REPO)}:{text[: m.start()].count(chr(10)) + 1}: {m.group(0)}"
        for f in files
        if f != mine
        for text in [f.read_text(encoding="utf-8")]
        for m in OTHER_CACHES.finditer(text)
    ]
    assert not found, "a cache outside tryg_geo/cache.py:\n" + "\n".join(found)


def test_the_check_would_see_a_second_mechanism():
    for source in (
        'cache = ds.__dict__.setdefault("_masks", {})',
        "self.__dict__['_x'] = 1",
        "@functools.lru_cache(maxsize=4)",
        "class TinyLRU:",
        "_CACHE: dict[str, int] = {}",
        "store = OrderedDict()",
    ):
        assert OTHER_CACHES.search(source), source
