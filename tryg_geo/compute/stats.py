"""Small statistics with honest uncertainty: Wilson intervals, exact tests for changes and the
Benjamini–Hochberg correction for many tests at once."""

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


def count_change_p(now: int, before: int, expected_share: float = 0.5) -> float:
    """Exact two-sided p-value that two Poisson counts have the same rate.

    Conditional on the total, ``now`` is Binomial(now + before, ``expected_share``) under equal
    rates, where ``expected_share`` is this period's share of the exposure (½ for equal
    periods; 366/731 for a leap year against the year before).
    """
    total = int(now) + int(before)
    if total == 0:
        return 1.0
    return float(stats.binomtest(int(now), total, expected_share).pvalue)


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


def benjamini_hochberg(p_values: np.ndarray | list[float]) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (false discovery rate), NaN kept as NaN.

    ``p_adj(i) = min_{k ≥ rank(i)} (m p_(k) / k)``, capped at 1, where ``m`` counts the
    p-values that are not NaN. A test is a discovery at level q when ``p_adj ≤ q``.

    Raises
    ------
    UsageError
        When a p-value lies outside 0–1.
    """
    from ..errors import UsageError

    p = np.asarray(p_values, dtype="float64").ravel()
    out = np.full(len(p), np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    if not len(ok):
        return out
    values = p[ok]
    if values.min() < 0 or values.max() > 1:
        bad = values[(values < 0) | (values > 1)][0]
        raise UsageError(
            f"p_values indeholder {float(bad)!r}; tilladt er tal fra 0 til 1 (eller NaN)."
        )
    m = len(values)
    order = np.argsort(values, kind="stable")
    scaled = values[order] * m / np.arange(1, m + 1)
    out[ok[order]] = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    return out
