"""Natural breaks (Jenks) are the exact optimum, the same every time, and fast enough to rerun."""

from __future__ import annotations

import itertools

import numpy as np

from tryg_geo.compute import breaks
from tryg_geo.compute.breaks import classify, jenks_bins


def _brute_force(values: np.ndarray, k: int) -> tuple[float, ...]:
    """Upper bounds of the k runs of the sorted values with the least squared deviations."""
    x = np.sort(values)
    best, best_cost = None, np.inf
    distinct = np.unique(x)
    for cuts in itertools.combinations(range(1, len(distinct)), k - 1):
        bounds = [distinct[c - 1] for c in cuts] + [distinct[-1]]
        groups = np.searchsorted(bounds, x, side="left")
        cost = sum(((x[groups == g] - x[groups == g].mean()) ** 2).sum() for g in range(k))
        if cost < best_cost - 1e-9:
            best, best_cost = tuple(float(b) for b in bounds), cost
    return best


def test_jenks_is_the_exact_optimum_on_small_samples():
    rng = np.random.default_rng(7)
    for _ in range(20):
        values = rng.poisson(rng.integers(1, 30), size=rng.integers(8, 25)).astype(float)
        k = int(rng.integers(2, 5))
        if len(np.unique(values)) <= k:
            continue
        assert tuple(jenks_bins(values, k)) == _brute_force(values, k)


def test_jenks_separates_obvious_groups_and_repeats_itself():
    values = np.array([1, 1, 2, 50, 51, 52, 100, 101, 200, 201.0])
    assert list(jenks_bins(values, 4)) == [2.0, 52.0, 101.0, 201.0]
    classes, bins = classify(values, "natural_breaks", k=4)
    assert bins == [2.0, 52.0, 101.0, 201.0]
    assert list(classes) == [0, 0, 0, 1, 1, 1, 2, 2, 3, 3]
    again = [classify(values, "natural_breaks", k=4)[1] for _ in range(5)]
    assert all(b == bins for b in again)


def test_jenks_pools_many_distinct_values_and_keeps_the_range(monkeypatch):
    monkeypatch.setattr(breaks, "JENKS_MAX_DISTINCT", 50)
    values = np.random.default_rng(3).lognormal(2, 1, 2000)
    bins = jenks_bins(values, 5)
    assert len(bins) == 5 and np.all(np.diff(bins) > 0)
    assert bins[-1] == values.max()
    assert set(bins) <= set(values)  # every bound is a value that occurs


def test_jenks_with_fewer_distinct_values_than_classes():
    assert list(jenks_bins(np.array([3.0, 3.0, 7.0]), 5)) == [3.0, 7.0]
    assert list(jenks_bins(np.array([4.0, 4.0]), 5)) == [4.0]
