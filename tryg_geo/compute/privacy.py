"""Discretion: no count small enough to identify someone leaves the package.

This module is the one place that decides which numbers are hidden and writes the text shown
instead (:func:`hidden_text`: "<" and the threshold); views, maps, charts and snapshots call it.

Counts from 1 to ``threshold - 1`` are suppressed (shown as "<" and the threshold,
from ``TRYG_MIN_COUNT``; every text is built from the setting); zero is not sensitive and is
shown. :func:`small` is the one rule of what is hidden. When a table also shows a total, a single suppressed cell could be recovered as the
total minus the rest, so a second cell (the next smallest) is suppressed too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import settings


def threshold() -> int:
    """The discretion limit: the ``min_count`` setting (``TRYG_MIN_COUNT``), read on every
    call so that no cache keeps an old value."""
    return int(settings.get("min_count"))


def small(counts: pd.Series | np.ndarray, limit: int | None = None) -> np.ndarray:
    """True where a count is sensitive: 0 < count < limit (the one rule of what is hidden).

    Every view, map, chart, file and check asks this function; none compares with the
    threshold itself. A fraction of a count (an average of people present) is as telling as
    the count, so anything above 0 and below the limit is hidden; 0 and NaN are not.

    Parameters
    ----------
    counts : the numbers to judge.
    limit : the threshold; ``None`` means the ``min_count`` setting (``TRYG_MIN_COUNT``).
    """
    limit = threshold() if limit is None else limit
    values = np.asarray(counts, dtype="float64")
    return (values > 0) & (values < limit)


def suppress_with_total(
    counts: pd.Series | np.ndarray, limit: int | None = None, hidden: np.ndarray | None = None
) -> np.ndarray:
    """Which cells to hide when the table's total is shown (primary + complementary).

    The total minus the visible cells gives the sum of the hidden ones, so that sum must not be
    a sensitive count either, and a single hidden cell is never alone: the smallest visible
    non-zero cells are hidden too until both hold. ``hidden`` may name cells already hidden.
    """
    limit = threshold() if limit is None else limit
    values = np.asarray(counts, dtype="float64")
    hidden = small(values, limit) | (np.zeros(len(values), bool) if hidden is None else hidden)
    while hidden.any():
        hidden_sum = values[hidden].sum()
        if hidden.sum() >= 2 and not (1 <= hidden_sum < limit):
            break
        candidates = np.where(~hidden & (values > 0), values, np.inf)
        if not np.isfinite(candidates).any():
            break
        hidden[int(np.argmin(candidates))] = True
    return hidden


def hide_periods(counts: pd.Series, windows, *, length: str = "M") -> np.ndarray:
    """Which periods of a count series to hide when each window's total is shown beside it.

    ``counts`` is indexed by period start (months ``"M"`` or quarters ``"Q"``); every period
    overlapping a window (inclusive dates) adds to that window's total.
    """
    hidden = small(counts.to_numpy())
    starts = pd.DatetimeIndex(counts.index)
    for start, end in windows:
        first = pd.Timestamp(start).to_period(length).start_time
        inside = np.asarray((starts >= first) & (starts <= pd.Timestamp(end)), dtype=bool)
        if inside.any():
            values = counts.to_numpy(dtype="float64")[inside]
            hidden[inside] = suppress_with_total(values, hidden=hidden[inside])
    return hidden


def hidden_text(limit: int | None = None) -> str:
    """The text shown instead of a hidden count: '<' and the threshold (the one place that
    writes it).

    Parameters
    ----------
    limit : the threshold; ``None`` means the ``min_count`` setting.
    """
    return f"<{threshold() if limit is None else limit}"


def hidden_rule() -> str:
    """The discretion rule as the views' notes state it ("Tal under N vises som '<N'", N the
    ``min_count`` setting): the one place that words it."""
    return f"Tal under {threshold()} vises som '{hidden_text()}'"


def shown_count(value: float | int | None, hidden: bool, limit: int | None = None) -> str:
    """A count as shown on screen: :func:`hidden_text` when hidden, else Danish thousands."""
    from ..fmt import number

    if hidden:
        return hidden_text(limit)
    return number(value)


def count_text(count: int) -> str:
    """A single count as shown: :func:`hidden_text` when it is below the threshold."""
    return shown_count(count, bool(small([count])[0]))


def safe_change(now: int, before: int) -> float | None:
    """Relative change now vs before, or None when either count is sensitive or before is 0.

    A change next to a shown count would reveal a hidden count, so both must be shown.
    """
    if before <= 0 or small([now])[0] or small([before])[0]:
        return None
    return (now - before) / before
