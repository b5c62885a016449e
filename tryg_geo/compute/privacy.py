"""Discretion: no count small enough to identify someone leaves the package.

This module is the one place that decides which numbers are hidden and writes the text shown
instead (:func:`hidden_text`: "<" and the threshold); views, maps, charts and snapshots call it.

Counts from 1 to ``threshold - 1`` are suppressed (shown as "<" and the threshold,
from ``TRYG_MIN_COUNT``; every text is built from the setting); zero is not sensitive and is
shown. :func:`small` is the one rule of what is hidden. When a table also shows a total, a
single suppressed cell could be recovered as the total minus the rest, so a second cell (the
next smallest) is suppressed too. That second cell is not small, so it must not read "<5": it
reads :data:`COMPLEMENTARY_TEXT` ("skjult"), explained by :func:`complementary_note`
(:func:`complementary` tells the two kinds apart, :func:`hidden_label` words them).
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

    The total minus the visible cells gives the sum of the hidden ones. A small hidden cell
    reads "<5" (1 to limit − 1) and a cell hidden to protect it reads "skjult" (limit or more,
    :func:`hidden_label`), so a reader knows those bounds too: the smallest visible non-zero
    cells are hidden until every small hidden cell could still be any of 1 … limit − 1 given
    the sum and the bounds (:func:`_sum_protects`). A single hidden cell is thus never alone,
    and the sum is never itself a small count. ``hidden`` may name cells already hidden.
    """
    limit = threshold() if limit is None else limit
    values = np.asarray(counts, dtype="float64")
    hidden = small(values, limit) | (np.zeros(len(values), bool) if hidden is None else hidden)
    # A cell hidden before without its count (blanked to NaN or 0 by the caller) is a small
    # one of unknown size: NaN, which _sum_protects judges at both ends.
    known = np.where(hidden & ~(values > 0), np.nan, values)
    while hidden.any() and not _sum_protects(known[hidden], limit):
        candidates = np.where(~hidden & (values > 0), values, np.inf)
        if not np.isfinite(candidates).any():
            break
        hidden[int(np.argmin(candidates))] = True
    return hidden


def _sum_protects(values: np.ndarray, limit: int) -> bool:
    """True when the sum of the hidden ``values`` tells nothing about any small one.

    A reader knows the sum, that each small cell ("<5") holds 1 … limit − 1 and each other
    hidden cell ("skjult") at least ``limit``. A small cell then lies between the sum minus
    the most the others can hold and the sum minus the least; both ends must stay open.
    """
    unknown = np.isnan(values)
    primary = small(values, limit) | unknown
    n_small, n_other = int(primary.sum()), int((~primary).sum())
    if n_small == 0:
        return True
    others_least = (n_small - 1) + n_other * limit
    others_most = np.inf if n_other else (n_small - 1) * (limit - 1)
    # A small cell of unknown size may be anything from 1 to limit − 1: both must hold.
    for guess in (1.0, limit - 1.0):
        total = float(np.ceil(np.where(unknown, guess, values)).sum())  # averages as whole
        lowest, highest = max(1.0, total - others_most), min(limit - 1.0, total - others_least)
        if lowest > 1 or highest < limit - 1:
            return False
    return True


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


#: The text of a cell hidden only so that a small count cannot be worked out from the total
#: (complementary suppression): its own count is not small, so "<5" would be false.
COMPLEMENTARY_TEXT = "skjult"
#: Why a cell reads :data:`COMPLEMENTARY_TEXT` (notes, legends, CSV column docs).
COMPLEMENTARY_WHY = "skjult, så en lille optælling ikke kan regnes ud af totalen"


def complementary(
    counts: pd.Series | np.ndarray, hidden: pd.Series | np.ndarray, limit: int | None = None
) -> np.ndarray:
    """True where a hidden cell is hidden only to protect another: its own count is not small
    (see :func:`suppress_with_total`). ``counts`` are the true counts, before hiding."""
    values = np.asarray(counts, dtype="float64")
    # A hidden cell whose count is not known here (NaN or 0) is taken as small: "<5".
    return np.asarray(hidden, dtype=bool) & ~small(values, limit) & (values > 0)


def hidden_label(is_complementary: bool = False, limit: int | None = None) -> str:
    """The text shown instead of a hidden count: :func:`hidden_text` ("<5") for a small count,
    :data:`COMPLEMENTARY_TEXT` ("skjult") for one hidden only to protect another."""
    return COMPLEMENTARY_TEXT if is_complementary else hidden_text(limit)


def hidden_legend(primary: bool = True, is_complementary: bool = False) -> str:
    """The legend entry of hidden (grey) areas: "Skjult (<5)", the complementary reason, or
    both when the map has both kinds."""
    if primary and is_complementary:
        return (
            f"Skjult ({hidden_text()}, eller for at en lille optælling ikke kan regnes ud af "
            "totalen)"
        )
    if is_complementary:
        return COMPLEMENTARY_WHY[:1].upper() + COMPLEMENTARY_WHY[1:]
    return f"Skjult ({hidden_text()})"


def complementary_note() -> str:
    """The note beside a table or map with a cell reading :data:`COMPLEMENTARY_TEXT`: why it
    is hidden although it is not small (the one place that words it)."""
    return f"'{COMPLEMENTARY_TEXT}': tallet er {COMPLEMENTARY_WHY}."


def shown_count(
    value: float | int | None,
    hidden: bool,
    limit: int | None = None,
    *,
    is_complementary: bool = False,
) -> str:
    """A count as shown on screen: :func:`hidden_label` when hidden ("<5", or "skjult" when
    ``is_complementary``), else Danish thousands."""
    from ..fmt import number

    if hidden:
        return hidden_label(is_complementary, limit)
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
