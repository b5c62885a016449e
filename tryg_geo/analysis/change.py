"""Change from last year that is real, per district.

Incident counts: the exact Poisson test, conditional on the total (a binomial test of this year's
share of both years' incidents against the share of the days; :func:`tryg_geo.compute.stats.count_change_p`).
Survey shares: the two-proportion z-test (:func:`tryg_geo.compute.stats.share_change_p`). The p-values of
all districts are adjusted together with Benjamini–Hochberg, so "markant" on a map of 30 districts
does not mean "one in twenty by chance".
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from .. import palette
from ..cache import per_version
from ..compute.counts import by_district, category_mask, combine, night_mask, period_mask
from ..compute.filters import one_year_before
from ..compute.privacy import small, threshold
from ..compute.stats import benjamini_hochberg, count_change_p, share_change_p
from ..errors import UsageError
from ..store.dataset import Dataset

#: Significance level of the adjusted p-values.
ALPHA = 0.05
UP, DOWN, NO_CHANGE, NOT_TESTED = (
    "Markant stigning",
    "Markant fald",
    "Ingen sikker ændring",
    "For få til en test",
)
#: Every class of a change, in legend order.
CHANGE_CLASSES: tuple[str, ...] = (UP, NO_CHANGE, DOWN, NOT_TESTED)
CHANGE_COLOURS: dict[str, str] = {
    UP: palette.HOT,
    NO_CHANGE: palette.NO_DATA,
    DOWN: palette.COLD,
    NOT_TESTED: palette.HIDDEN,  # too few to test: the grey of hidden counts
}


def change_classes(
    change: np.ndarray, p_adjusted: np.ndarray, tested: np.ndarray, alpha: float = ALPHA
) -> np.ndarray:
    """Danish class of each change: markant stigning/fald when ``p_adjusted < alpha``."""
    change = np.asarray(change, dtype="float64")
    p = np.nan_to_num(np.asarray(p_adjusted, dtype="float64"), nan=1.0)
    out = np.full(len(change), NO_CHANGE, dtype=object)
    out[(p < alpha) & (change > 0)] = UP
    out[(p < alpha) & (change < 0)] = DOWN
    out[~np.asarray(tested, dtype=bool)] = NOT_TESTED
    return out


def _days(start: date, end: date) -> int:
    return (end - start).days + 1


def district_count_changes(
    ds: Dataset,
    *,
    start: date,
    end: date,
    categories: tuple[str, ...] = (),
    night: tuple[tuple[int, ...], int, int] | None = None,
) -> pd.DataFrame:
    """Incidents per district in the period and the same period a year before, tested (cached).

    ``night`` = ``(evenings, start hour, end hour)`` (0 = Monday) counts only the incidents of
    those nights, as the Natteliv view does; None counts every hour.

    Returns
    -------
    pandas.DataFrame
        One row per district: ``district_id, district_name, incidents, previous_incidents,
        change_pct, p_value, p_fdr, significant, change_class, tested``. Counts are raw: a
        district where either count is sensitive (1 to the limit − 1) is not tested
        (``tested`` False, class "For få til en test", no p-value) and its relative change is
        empty, because a test or a change beside a hidden count would give it away.
    """
    if end < start:
        raise UsageError(f"end={end} ligger før start={start}; tilladt er end ≥ start.")
    # The threshold is part of the key: which districts are tested follows it, and a
    # settings.toml edited while the server runs must not be answered from the old limit.
    night = None if night is None else (tuple(night[0]), int(night[1]), int(night[2]))
    key = ("district-count-changes", start, end, tuple(categories), threshold(), night)
    return per_version(
        ds,
        "analyses",
        key,
        lambda: _district_count_changes(ds, start, end, tuple(categories), night),
    )


def _district_count_changes(
    ds: Dataset,
    start: date,
    end: date,
    categories: tuple[str, ...],
    night: tuple[tuple[int, ...], int, int] | None = None,
) -> pd.DataFrame:
    arrays = ds.arrays
    nights = None if night is None else night_mask(arrays, *night)
    cats = combine(category_mask(arrays, categories), nights)
    before_start, before_end = one_year_before(start), one_year_before(end)
    now, _ = by_district(ds, combine(period_mask(arrays, start, end), cats))
    before, _ = by_district(ds, combine(period_mask(arrays, before_start, before_end), cats))
    ids = list(now.index)
    now_v = now.to_numpy(dtype=np.int64)
    before_v = before.reindex(ids, fill_value=0).to_numpy(dtype=np.int64)
    tested = ~(small(now_v) | small(before_v)) & ((now_v + before_v) > 0)
    share = _days(start, end) / (_days(start, end) + _days(before_start, before_end))
    p = np.array(
        [
            count_change_p(int(a), int(b), expected_share=share) if t else np.nan
            for a, b, t in zip(now_v, before_v, tested, strict=True)
        ]
    )
    p_fdr = benjamini_hochberg(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.where(before_v > 0, now_v / np.maximum(before_v, 1) - 1, np.nan)
    direction = np.sign(now_v / _days(start, end) - before_v / _days(before_start, before_end))
    classes = change_classes(direction, p_fdr, tested)
    return pd.DataFrame(
        {
            "district_id": ids,
            "district_name": [ds.district_names.get(i, i) for i in ids],
            "incidents": now_v,
            "previous_incidents": before_v,
            "change_pct": np.where(tested, change, np.nan),
            "p_value": p,
            "p_fdr": p_fdr,
            "significant": np.nan_to_num(p_fdr, nan=1.0) < ALPHA,
            "change_class": classes,
            "tested": tested,
        }
    )


def district_share_changes(
    shares: pd.DataFrame, *, alpha: float = ALPHA, min_respondents: int = 1
) -> pd.DataFrame:
    """Survey shares per district now and a year before, tested with two proportions.

    Parameters
    ----------
    shares : one row per district with ``district_id, value, n, previous_value, previous_n``
        (shares as 0–1, ``n`` respondents).
    alpha : level of the adjusted p-values.
    min_respondents : a district with fewer answers in either year is not tested.

    Returns
    -------
    pandas.DataFrame
        ``shares`` plus ``change_pp`` (percentage points), ``p_value``, ``p_fdr``,
        ``significant``, ``change_class``, ``tested``.

    Raises
    ------
    UsageError
        When a column is missing.
    """
    needed = ("district_id", "value", "n", "previous_value", "previous_n")
    missing = [c for c in needed if c not in shares.columns]
    if missing:
        raise UsageError(
            f"shares mangler kolonnen {missing[0]!r}; tilladt er en tabel med {', '.join(needed)}."
        )
    out = shares.copy()
    value = out["value"].to_numpy(dtype="float64")
    before = out["previous_value"].to_numpy(dtype="float64")
    n = out["n"].to_numpy(dtype="float64")
    n_before = out["previous_n"].to_numpy(dtype="float64")
    tested = (
        np.isfinite(value)
        & np.isfinite(before)
        & (np.nan_to_num(n) >= min_respondents)
        & (np.nan_to_num(n_before) >= min_respondents)
    )
    p = np.array(
        [
            share_change_p(a, na, b, nb) if t else np.nan
            for a, na, b, nb, t in zip(value, n, before, n_before, tested, strict=True)
        ]
    )
    p_fdr = benjamini_hochberg(p)
    out["change_pp"] = (value - before) * 100
    out["p_value"] = p
    out["p_fdr"] = p_fdr
    out["significant"] = np.nan_to_num(p_fdr, nan=1.0) < alpha
    out["change_class"] = change_classes(value - before, p_fdr, tested, alpha)
    out["tested"] = tested
    return out
