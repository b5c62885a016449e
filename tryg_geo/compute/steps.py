"""Incidents per time step and grid cell, counted in one pass (the time slider, the animation).

A selection (a mask over the incidents) is split into periods of one step — month, quarter or
year — and counted per DDKN cell with one ``bincount`` over (period, cell) codes, so every
step of a slider is ready at once and a step change counts nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from ..errors import UsageError
from ..fmt import either
from ..periods import Period
from ..store.dataset import IncidentArrays
from .counts import cell_codes

#: The steps a user may choose, with their Danish names (URL, CLI ``--step``, the page).
STEPS: dict[str, str] = {"month": "Måned", "quarter": "Kvartal", "year": "År"}
#: The steps in the plural, lower case ("12 kvartaler"), for sentences.
STEP_PLURALS: dict[str, str] = {"month": "måneder", "quarter": "kvartaler", "year": "år"}
#: Months in one step of each kind.
STEP_MONTHS: dict[str, int] = {"month": 1, "quarter": 3, "year": 12}
DEFAULT_STEP = "quarter"


def check_step(step: str, argument: str = "step") -> str:
    """``step`` when it is one of :data:`STEPS`; the one check of a step (Python, URL, CLI).

    Parameters
    ----------
    step : the value to check.
    argument : what the caller calls it, named in the error: ``step`` for a Python argument
        (``step='week'``), ``--step`` for the command line (``--step 'week'``).

    Raises
    ------
    UsageError
        Naming the argument, the value and the steps allowed, e.g.
        ``--step 'week' er ikke tilladt; vælg month, quarter eller year.``
    """
    if step not in STEPS:
        given = f"{argument} {step!r}" if argument.startswith("-") else f"{argument}={step!r}"
        raise UsageError(f"{given} er ikke tilladt; vælg {either(list(STEPS))}.")
    return step


@dataclass(frozen=True)
class StepCounts:
    """Counts of a selection per step (rows) and cell (columns).

    Attributes
    ----------
    periods : each step as a :class:`~tryg_geo.periods.Period`, oldest first.
    partial : per step, True when the chosen dates cut it (fewer days than the step has).
    cells : the cell names of the columns (only cells with an incident in some step).
    counts : int64 array, ``len(periods)`` × ``len(cells)``.
    """

    periods: tuple[Period, ...]
    partial: tuple[bool, ...]
    cells: tuple[str, ...]
    counts: np.ndarray


def _month_index(day: date) -> int:
    """Months since January 1970 (numpy's ``datetime64[M]`` as an integer)."""
    return (day.year - 1970) * 12 + day.month - 1


def _period(step: str, code: int) -> Period:
    """The Period of step ``code`` (steps since 1970 of kind ``step``)."""
    months = code * STEP_MONTHS[step]
    year, month = 1970 + months // 12, months % 12 + 1
    if step == "year":
        return Period(year)
    if step == "quarter":
        return Period(year, quarter=(month - 1) // 3 + 1)
    return Period(year, month=month)


def step_counts(
    arrays: IncidentArrays, mask: np.ndarray, size: str, start: date, end: date, step: str
) -> StepCounts:
    """Count the incidents of ``mask`` per step of kind ``step`` and per ``size`` cell.

    Parameters
    ----------
    arrays : the incident columns of one data version.
    mask : the selection (already limited to ``start``–``end``).
    size : the DDKN cell size (see :data:`tryg_geo.geo.grid.CELL_CHOICES`).
    start, end : the chosen dates (inclusive); every step that overlaps them is a row, empty
        steps included, so the slider has no holes.
    step : 'month', 'quarter' or 'year'.
    """
    months = STEP_MONTHS[check_step(step)]
    first, last = _month_index(start) // months, _month_index(end) // months
    codes, names = cell_codes(arrays, size)
    chosen = mask & (codes >= 0)
    stamp = arrays.time[chosen].astype("datetime64[M]").astype(np.int64) // months - first
    cell = codes[chosen].astype(np.int64)
    inside = (stamp >= 0) & (stamp <= last - first)
    steps = last - first + 1
    # One pass: a (step, cell) code per incident, counted once.
    flat = np.bincount(stamp[inside] * len(names) + cell[inside], minlength=steps * len(names))
    grid = flat.reshape(steps, len(names))
    used = np.flatnonzero(grid.any(axis=0))
    periods = tuple(_period(step, first + i) for i in range(steps))
    return StepCounts(
        periods=periods,
        partial=tuple(is_partial(p, start, end) for p in periods),
        cells=tuple(names[i] for i in used),
        counts=grid[:, used],
    )


def is_partial(period: Period, start: date, end: date) -> bool:
    """True when ``start``–``end`` leaves out some days of ``period``."""
    first = date(period.year, period.first_month, 1)
    after = period.first_month + period.months
    following = date(period.year + (after - 1) // 12, (after - 1) % 12 + 1, 1)
    return start > first or end < date.fromordinal(following.toordinal() - 1)
