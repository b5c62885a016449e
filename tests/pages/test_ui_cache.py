"""The rerun caches of pages/ui: shared views, chart specs and the map component's arguments."""

from __future__ import annotations

import threading

from pages.ui import cache


def test_lru_keeps_the_newest_and_counts_hits():
    lru = cache.LRU(2)
    made = []

    def make(value):
        made.append(value)
        return value

    assert lru.get_or_make("a", lambda: make(1)) == 1
    assert lru.get_or_make("a", lambda: make(2)) == 1
    lru.get_or_make("b", lambda: make(3))
    lru.get_or_make("c", lambda: make(4))  # "a" is the oldest: dropped
    assert lru.get_or_make("a", lambda: make(5)) == 5
    assert made == [1, 3, 4, 5] and len(lru) == 2
    assert (lru.hits, lru.misses) == (1, 4)


def test_pinned_keys_are_by_identity_and_keep_the_object():
    a, b = [1], [1]  # equal, not the same, and not hashable
    assert cache.pinned(a, "x") == cache.pinned(a, "x")
    assert cache.pinned(a, "x") != cache.pinned(b, "x")
    assert cache.pinned(a, "x")[1].obj is a


def test_lru_is_safe_with_threads():
    lru = cache.LRU(8)
    errors = []

    def work(n):
        try:
            for i in range(200):
                assert lru.get_or_make(i % 12, lambda i=i: i % 12) == i % 12
        except AssertionError as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(lru) <= 8


def test_content_key_follows_the_values_not_the_object():
    import pandas as pd

    from tryg_geo.views.model import Trend

    frame = pd.DataFrame({"period": pd.to_datetime(["2025-01-01"]), "value": [1.5]})
    same = Trend("T", frame.copy(), "antal")
    assert cache.content_key(Trend("T", frame, "antal")) == cache.content_key(same)
    other = Trend("T", frame.assign(value=[2.5]), "antal")
    assert cache.content_key(other) != cache.content_key(same)
    assert cache.content_key(Trend("U", frame, "antal")) != cache.content_key(same)
    assert cache.content_key(frame.rename(columns={"value": "v"})) != cache.content_key(frame)
