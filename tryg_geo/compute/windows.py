"""Windows of time in the indicator summaries: the value over the months of a filter period
and a year before it, and the months hidden beside a shown period total.

A monthly or quarterly indicator is summarised over the periods lying wholly inside the filter
period (:func:`latest_and_year_before`), compared with the same periods a year earlier; a view
that shows a period total beside its months hides months so that the total does not give a
hidden one away (:func:`hide_beside_totals`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd

from ..cache import per_version
from ..periods import parse as stored_period
from ..store.dataset import Dataset
from .filters import Filters
from .privacy import complementary, suppress_with_total, threshold
from .registry import Indicator
from .series import measurement_rows, regroup, select_areas, suppress_measurements, wholly_inside


def hide_beside_totals(
    series: pd.DataFrame,
    windows: Sequence[tuple[date, date]],
    *,
    whole_periods: bool,
) -> pd.DataFrame:
    """Complementary suppression along time, per area, within each shown period total.

    A view shows this period's total and last year's beside their months; the total minus the
    shown months gives the sum of the hidden ones, so months are hidden until that sum is no
    sensitive count either (see :func:`privacy.suppress_with_total`).

    Parameters
    ----------
    series : rows of :func:`~tryg_geo.compute.indicators.indicator_series` of a count (counts
        in ``n``, else ``value``).
    windows : the (start, end) periods, inclusive days, whose totals are shown.
    whole_periods : True when a total is made of the periods lying wholly inside its window
        (measurements); False when every period overlapping it contributes (incident months).

    Returns
    -------
    pandas.DataFrame
        A copy with ``suppressed`` extended, ``complementary`` (hidden only to protect a small
        period: "skjult") and ``value``/``n`` blanked where hidden.
    """
    out = series.reset_index(drop=True).copy()
    if not len(out):
        return out
    counts = out["n"].where(out["n"].notna(), out["value"]).to_numpy(dtype="float64")
    hidden = out["suppressed"].to_numpy(dtype=bool).copy()
    starts = pd.to_datetime(out["period_start"])
    ends = _period_ends(starts, out["period"])
    areas = out["area_id"].to_numpy(dtype=object)
    for start, end in windows:
        lo, hi = pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)
        if whole_periods:
            inside = ((starts >= lo) & (ends <= hi)).to_numpy()
        else:
            inside = ((starts < hi) & (ends > lo)).to_numpy()
        for area in pd.unique(areas):
            positions = np.flatnonzero(inside & (areas == area))
            if len(positions) > 1:
                # The one rule for totals shown beside their parts (privacy.suppress_with_total).
                hidden[positions] = suppress_with_total(
                    np.nan_to_num(counts[positions]), hidden=hidden[positions]
                )
    out["suppressed"] = hidden
    # Hidden only so that a small period cannot be worked out from the total: its count is
    # known here (earlier hidden ones were blanked, so they stay "<5").
    out["complementary"] = complementary(counts, hidden)
    out.loc[hidden, ["value", "n"]] = np.nan
    return out


def _period_ends(starts: pd.Series, periods: pd.Series) -> pd.Series:
    """Exclusive end of each period from its name: a month, a quarter or a year."""
    spans = {name: _span(name) for name in pd.unique(periods.astype(str))}
    months = periods.astype(str).map(spans)
    values = starts.to_numpy()
    if values.dtype.kind == "M":  # any unit: pandas 3 keeps dates in µs or s, not only ns
        # Whole months added in numpy (a DateOffset per row cost a second per 24 reruns);
        # equal to DateOffset while the day of the month exists in every month (≤ 28).
        month = values.astype("datetime64[M]")
        within = values - month.astype(values.dtype)
        if len(values) and (within < np.timedelta64(28, "D")).all():
            shifted = month + months.to_numpy(dtype=np.int64).astype("timedelta64[M]")
            return pd.Series(shifted.astype(values.dtype) + within, index=starts.index)
    return pd.Series(
        [s + pd.DateOffset(months=int(m)) for s, m in zip(starts, months, strict=True)],
        index=starts.index,
    )


def _span(name: str) -> int:
    """Months in a stored period (a name the import did not write counts as a year)."""
    period = stored_period(name)
    return period.months if period is not None else 12


def latest_and_year_before(
    ds: Dataset, indicator: Indicator, filters: Filters, area_id: str, series: pd.DataFrame
) -> tuple[pd.Series, pd.Series | None, bool]:
    """The value to show now, the one a year before, and whether they are averages.

    Monthly and quarterly numbers are taken together over the months of the filter period
    that lie wholly inside it (summed for counts and hours, averaged otherwise) and compared
    with the same months a year earlier: one December says little, a year of Decembers to
    Novembers says what a steering group wants to know. Yearly numbers (surveys) are taken
    as they are: the latest year, and the year before.
    """
    latest = series.iloc[-1]
    if _span(str(latest["period"])) < 12:  # '2025-05' or '2025-Q2'
        now, k_now = _window_row(ds, indicator, filters.start, filters.end, area_id)
        if now is not None:
            before, k_before = _window_row(ds, indicator, *filters.previous_year(), area_id)
            comparable = before is not None and k_before == k_now
            averaged = indicator.unit not in ("antal", "timer") and k_now > 1
            return now, before if comparable else None, averaged
    return latest, _year_before(series, latest), False


def _window_row(
    ds: Dataset, indicator: Indicator, start: date, end: date, area_id: str
) -> tuple[pd.Series | None, int]:
    """One row over the periods lying wholly inside ``start``–``end`` and how many there are,
    kept per data version (with the discretion limit in the key): every summary of a page asks
    for two windows, and the pages share them (Overblik's 17, an indsats's own). Callers get a
    copy of the row."""
    key = ("window-row", indicator, start, end, area_id, threshold())
    row, k = per_version(
        ds,
        "measurement_series",
        key,
        lambda: _computed_window_row(ds, indicator, start, end, area_id),
    )
    return (None if row is None else row.copy()), k


def _computed_window_row(
    ds: Dataset, indicator: Indicator, start: date, end: date, area_id: str
) -> tuple[pd.Series | None, int]:
    """:func:`_window_row` computed."""
    rows = wholly_inside(measurement_rows(ds, indicator, start, end), start, end)
    if not len(rows):
        return None, 0
    rows = select_areas(rows, indicator, area_id, ds)
    if not len(rows):
        return None, 0
    one = regroup(rows, indicator, "window", start, end)
    return suppress_measurements(one, indicator).iloc[0], rows["period_start"].nunique()


def _year_before(series: pd.DataFrame, cur: pd.Series) -> pd.Series | None:
    """The row of the same period one year earlier (same length of period), or None."""
    wanted = pd.Timestamp(cur["period_start"]) - pd.DateOffset(years=1)
    same = series[
        (series["period_start"] == wanted) & (series["period"].str.len() == len(cur["period"]))
    ]
    return same.iloc[0] if len(same) else None
