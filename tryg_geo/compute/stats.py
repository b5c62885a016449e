"""Small statistics with honest uncertainty: Wilson intervals and exact tests for changes."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

Z95 = 1.959963984540054


def wilson(
    successes: np.ndarray | float, n: np.ndarray | float, z: float = Z95
) -> tuple[np.ndarray, np.ndarray]:
    """95 % Wilson score interval for a share ``successes / n`` (vectorised; NaN where n ≤ 0)."""
    k = np.asarray(successes, dtype="float64")
    n = np.asarray(n, dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    bad = ~(n > 0)
    return np.where(bad, np.nan, centre - half), np.where(bad, np.nan, centre + half)


def count_change_p(now: int, before: int) -> float:
    """Exact two-sided p-value that two Poisson counts over equal exposure have the same rate.

    Conditional on the total, ``now`` is Binomial(now + before, 1/2) under equal rates.
    """
    total = int(now) + int(before)
    if total == 0:
        return 1.0
    return float(stats.binomtest(int(now), total, 0.5).pvalue)


def share_change_p(share_now: float, n_now: float, share_before: float, n_before: float) -> float:
    """Two-sided p-value of a two-proportion z-test (pooled); 1.0 when it cannot be computed."""
    if not (n_now > 0 and n_before > 0) or any(map(math.isnan, (share_now, share_before))):
        return 1.0
    pooled = (share_now * n_now + share_before * n_before) / (n_now + n_before)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_now + 1 / n_before))
    if se == 0:
        return 1.0
    z = (share_now - share_before) / se
    return float(2 * stats.norm.sf(abs(z)))
