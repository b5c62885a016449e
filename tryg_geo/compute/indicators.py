"""Values of the registry's indicators over time and per area, from the right source.

An :class:`~tryg_geo.compute.registry.Indicator` says where its numbers come from (``incidents``,
``measurement`` or ``place_observation``); :func:`indicator_series` turns that declaration into
one tidy table, and :func:`headline` into the few numbers a steering group looks at: the latest
value, the same period last year, the change, whether the change is more than chance and
whether the indsats is on track against its target.

Discretion is applied here, once, for every view: a count from 1 to ``threshold - 1`` (also a
rate computed from such a count, and a share resting on so few answers) leaves this module as
NaN with ``suppressed`` True, and so does any change computed from it. Where several areas or
months are shown beside their total, one more cell is hidden (complementary suppression), so a
hidden count cannot be recovered by subtraction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from ..cache import per_version
from ..errors import UsageError
from ..store.dataset import Dataset
from .counts import period_mask
from .filters import Filters, previous_year_covered
from .registry import Indicator, Initiative
from .series import (
    COUNT_UNITS,
    TOTAL_ID,
    incident_areas,
    incident_mask,
    incident_series,
    measurement_series,
    period_label,
    window_label,
)
from .stats import count_change_p, share_change_p
from .windows import hide_beside_totals, latest_and_year_before

ALL_PLACES_NAME = "Alle steder"
#: Significance level for "statistically meaningful" changes.
ALPHA = 0.05

ON_TRACK, OFF_TRACK, NO_TARGET, NO_DATA = "på sporet", "ikke på sporet", "intet mål", "ingen data"
#: How a change is expressed: relative for counts, percentage points for shares.
CHANGE_UNITS: dict[str, str] = {
    "andel": "procentpoint",
    "score": "point",
    "antal": "relativ",
    "pr_1000": "relativ",
    "personer": "relativ",
    "timer": "relativ",
}


# ---- the summary of one indicator ---------------------------------------------------------------
@dataclass
class HeadlineSummary:
    """The latest value of an indicator against the same period last year and its target.

    Attributes
    ----------
    indicator : the registry indicator summarised.
    area_id : the area the numbers describe (:data:`TOTAL_ID` for the whole kommune).
    period : Danish label of the latest period ('2025', '3. kvt. 2025', '01.12.2024–30.11.2025').
    value : the latest value in the stored scale (shares 0–1); NaN when missing or suppressed.
    n : respondents (shares) or the count behind a rate; NaN when unknown or suppressed.
    suppressed : the latest value is hidden by the discretion rule.
    previous_period, previous_value, previous_n, previous_suppressed : the same period one
        year earlier.
    change : relative change for counts (0.12 = +12 %), percentage points for shares as a
        0–1 difference (0.021 = +2,1 procentpoint), points for scores; NaN when either value
        is missing or suppressed.
    change_unit : 'relativ', 'procentpoint' or 'point'.
    p_value : two-sided p of the change (exact Poisson test for counts, two-proportion test
        for shares); None when no test applies.
    significant : p_value < 0.05 and the change is shown.
    target : the registry target, or None.
    status : 'på sporet', 'ikke på sporet', 'intet mål' or 'ingen data'.
    trend : period_start, period, value, suppressed — a small series for a sparkline.
    initiative : the indsats, when the summary is its headline.
    averaged_over : 'måned' or 'kvartal' when value and previous_value are averages per
        month or quarter over the period (people, scores, shares); None otherwise.
    """

    indicator: Indicator
    area_id: str
    period: str | None
    value: float
    n: float
    suppressed: bool
    previous_period: str | None
    previous_value: float
    previous_n: float
    previous_suppressed: bool
    change: float
    change_unit: str
    p_value: float | None
    significant: bool
    target: float | None
    status: str
    trend: pd.DataFrame = field(repr=False)
    initiative: Initiative | None = None
    averaged_over: str | None = None

    @property
    def has_data(self) -> bool:
        return self.period is not None and (self.suppressed or np.isfinite(self.value))


# ---- public API -------------------------------------------------------------------------------
def indicator_series(
    ds: Dataset,
    indicator: Indicator,
    *,
    start: date | None = None,
    end: date | None = None,
    area_id: str | None = None,
    freq: str | None = None,
) -> pd.DataFrame:
    """The values of ``indicator`` per period and area, suppressed where needed.

    Parameters
    ----------
    ds : the loaded data.
    indicator : a registry indicator (or one derived from it with :func:`dataclasses.replace`).
    start, end : inclusive dates; None means from the first / to the last data.
    area_id : None for every area at the indicator's own level (districts, 'kommune' or place
        ids); :data:`TOTAL_ID` for the whole kommune (all places together for place
        indicators); or one district or place id.
    freq : 'month' or 'year' buckets; 'window' for one value over ``start``–``end``; None for
        months (incidents) or the measurements' own periods.

    Returns
    -------
    pandas.DataFrame
        Columns period_start (datetime64), period (str), area_id (str), value (float, NaN
        when missing or suppressed), n (float: respondents, or the count behind an incident
        value; NaN when unknown or suppressed), suppressed (bool). Sorted by period, area.
    """
    if freq not in (None, "month", "year", "window"):
        raise UsageError(
            f"freq={freq!r} er ikke tilladt; brug 'month', 'year', 'window' eller None."
        )
    if indicator.source == "incidents":
        return incident_series(ds, indicator, start, end, area_id, freq or "month")
    return measurement_series(ds, indicator, start, end, area_id, freq)


def summarise(
    ds: Dataset,
    indicator: Indicator,
    filters: Filters,
    *,
    area_id: str = TOTAL_ID,
    initiative: Initiative | None = None,
) -> HeadlineSummary:
    """Latest value, same period last year, change, significance and status of one indicator.

    Incident indicators are counted over the filter period and the same period one year
    earlier. Measurements take their latest own period that starts on or before the filter's
    end, and the same period one year earlier.
    """
    if indicator.source == "incidents":
        return _incident_summary(ds, indicator, filters, area_id, initiative)
    return _measurement_summary(ds, indicator, filters, area_id, initiative)


def headline(ds: Dataset, initiative: Initiative, filters: Filters) -> HeadlineSummary:
    """The summary of the indsats' headline indicator for the whole kommune — or, when the
    headline has no numbers for the period, of its first other indicator that has.

    A user with police data but no survey sees Tryg bydel's burglaries, not an empty
    "Trygge i nabolaget"; with no numbers at all, the headline indicator is summarised.

    Parameters
    ----------
    ds : the loaded data.
    initiative : a registry indsats.
    filters : the period (start, end) is used; categories do not apply, because every
        indicator declares its own.

    Returns
    -------
    HeadlineSummary
        Its ``indicator`` says which indicator leads.
    """
    lead = summarise(ds, initiative.headline_indicator, filters, initiative=initiative)
    if lead.has_data:
        return lead
    for indicator in initiative.indicators:
        if indicator.id != initiative.headline:
            summary = summarise(ds, indicator, filters, initiative=initiative)
            if summary.has_data:
                return summary
    return lead


def status_of(value: float, target: float | None, higher_is_better: bool) -> str:
    """'intet mål' without target, 'ingen data' without value, else on track or not."""
    if target is None:
        return NO_TARGET
    if value is None or not np.isfinite(value):
        return NO_DATA
    on_track = value >= target if higher_is_better else value <= target
    return ON_TRACK if on_track else OFF_TRACK


def area_name(ds: Dataset, area_id: str, indicator: Indicator | None = None) -> str:
    """The Danish name of a district, place or the whole kommune (the partnership's)."""
    if area_id == TOTAL_ID:
        if indicator is not None and indicator.area == "place":
            return ALL_PLACES_NAME
        return ds.partnership.kommune
    if area_id in ds.district_names:
        return ds.district_names[area_id]
    return _place_names(ds).get(area_id, area_id)


def _place_names(ds: Dataset) -> dict[str, str]:
    """Place id → name (the first place of an id), once per data version: Indsatser names
    every row of its tables and trends, and a search of the places per row cost a third of
    its rerun."""

    def names() -> dict[str, str]:
        found: dict[str, str] = {}
        if ds.places is not None:
            ids = ds.places["place_id"].astype(str)
            for place_id, name in zip(ids, ds.places["name"], strict=True):
                found.setdefault(place_id, str(name))
        return found

    return per_version(ds, "place_names", (), names)


def trend_frame(series: pd.DataFrame, name: str) -> pd.DataFrame:
    """Rows of :func:`indicator_series` as :class:`~tryg_geo.views.model.Trend` data (one series)."""
    return pd.DataFrame(
        {
            "period": pd.to_datetime(series["period_start"]).to_numpy(),
            "series": name,
            "value": series["value"].astype("float64").to_numpy(),
        }
    )


# ---- summaries ----------------------------------------------------------------------------------
def _incident_summary(
    ds: Dataset,
    indicator: Indicator,
    filters: Filters,
    area_id: str,
    initiative: Initiative | None,
) -> HeadlineSummary:
    before_start, before_end = filters.previous_year()
    now = indicator_series(
        ds, indicator, start=filters.start, end=filters.end, area_id=area_id, freq="window"
    )
    before = indicator_series(
        ds, indicator, start=before_start, end=before_end, area_id=area_id, freq="window"
    )
    trend = _incident_trend(ds, indicator, filters, area_id)
    if not ds.has_incidents or not len(now):
        return _no_data(indicator, area_id, trend, initiative)
    cur, prev = now.iloc[0], before.iloc[0] if len(before) else None
    if not previous_year_covered(filters, ds.incident_span[0]):
        prev = None  # no data a year earlier: no figure, no change, never a comparison with 0
    count_now, count_before = _raw_count(ds, indicator, filters, area_id)
    change, p = np.nan, None
    if prev is not None and not cur["suppressed"] and not prev["suppressed"]:
        if prev["value"] > 0:
            change = float(cur["value"] / prev["value"] - 1)
        p = count_change_p(count_now, count_before)
    return _summary(
        indicator,
        area_id,
        initiative,
        cur,
        prev,
        change,
        p,
        trend,
        period=window_label(filters.start, filters.end),
        previous_period=window_label(before_start, before_end) if prev is not None else None,
    )


def _raw_count(
    ds: Dataset, indicator: Indicator, filters: Filters, area_id: str
) -> tuple[int, int]:
    """The two unsuppressed counts behind a change: the test needs them, never the screen."""
    arrays = ds.arrays
    base = incident_mask(ds, indicator)
    counts = []
    for start, end in ((filters.start, filters.end), filters.previous_year()):
        mask = base & period_mask(arrays, start, end)
        _, area_of = incident_areas(ds, indicator, mask, area_id)
        counts.append(int((area_of >= 0).sum()))
    return counts[0], counts[1]


def _incident_trend(
    ds: Dataset, indicator: Indicator, filters: Filters, area_id: str
) -> pd.DataFrame:
    """Monthly values over last year's period and this one (see :func:`~tryg_geo.compute.windows.hide_beside_totals`)."""
    before_start, _ = filters.previous_year()
    series = indicator_series(
        ds, indicator, start=before_start, end=filters.end, area_id=area_id, freq="month"
    )
    windows = [(filters.start, filters.end), filters.previous_year()]
    series = hide_beside_totals(series, windows, whole_periods=False)
    columns = ["period_start", "period", "value", "suppressed", "complementary"]
    return series[columns].reset_index(drop=True)


def _measurement_summary(
    ds: Dataset,
    indicator: Indicator,
    filters: Filters,
    area_id: str,
    initiative: Initiative | None,
) -> HeadlineSummary:
    series = indicator_series(ds, indicator, end=filters.end, area_id=area_id)
    trend = series[["period_start", "period", "value", "suppressed"]].reset_index(drop=True)
    if not len(series):
        return _no_data(indicator, area_id, trend, initiative)
    cur, prev, averaged = latest_and_year_before(ds, indicator, filters, area_id, series)
    change, p = _measurement_change(indicator, cur, prev, averaged=averaged)
    per = ("kvartal" if "Q" in str(series["period"].iloc[-1]) else "måned") if averaged else None
    return _summary(
        indicator,
        area_id,
        initiative,
        cur,
        prev,
        change,
        p,
        trend,
        period=period_label(cur["period"]),
        previous_period=period_label(prev["period"]) if prev is not None else None,
        averaged_over=per,
    )


def _summary(
    indicator: Indicator,
    area_id: str,
    initiative: Initiative | None,
    cur: pd.Series,
    prev: pd.Series | None,
    change: float,
    p: float | None,
    trend: pd.DataFrame,
    *,
    period: str,
    previous_period: str | None,
    averaged_over: str | None = None,
) -> HeadlineSummary:
    """One HeadlineSummary from this period's row and last year's (None when missing)."""
    return HeadlineSummary(
        indicator=indicator,
        area_id=area_id,
        period=period,
        value=float(cur["value"]),
        n=float(cur["n"]),
        suppressed=bool(cur["suppressed"]),
        previous_period=previous_period,
        previous_value=float(prev["value"]) if prev is not None else np.nan,
        previous_n=float(prev["n"]) if prev is not None else np.nan,
        previous_suppressed=bool(prev["suppressed"]) if prev is not None else False,
        change=change,
        change_unit=CHANGE_UNITS[indicator.unit],
        p_value=p,
        significant=bool(p is not None and p < ALPHA and np.isfinite(change)),
        target=indicator.target,
        status=status_of(float(cur["value"]), indicator.target, indicator.higher_is_better),
        trend=trend,
        initiative=initiative,
        averaged_over=averaged_over,
    )


def _measurement_change(
    indicator: Indicator, cur: pd.Series, prev: pd.Series | None, *, averaged: bool = False
) -> tuple[float, float | None]:
    """The change and its p-value; NaN and None when a value is missing or hidden."""
    if prev is None or cur["suppressed"] or prev["suppressed"]:
        return np.nan, None
    now, before = float(cur["value"]), float(prev["value"])
    if not (np.isfinite(now) and np.isfinite(before)):
        return np.nan, None
    unit = CHANGE_UNITS[indicator.unit]
    relative = now / before - 1 if before > 0 else np.nan
    change = relative if unit == "relativ" else now - before
    p = None
    if indicator.unit == "andel":
        n_now, n_before = float(cur["n"]), float(prev["n"])
        if np.isfinite(n_now) and np.isfinite(n_before):
            p = share_change_p(now, n_now, before, n_before)
    elif indicator.unit in COUNT_UNITS and not averaged and _whole(now) and _whole(before):
        # Whole counts of events or people: the exact Poisson test applies.
        p = count_change_p(int(now), int(before))
    return float(change), p


def _no_data(
    indicator: Indicator, area_id: str, trend: pd.DataFrame, initiative: Initiative | None
) -> HeadlineSummary:
    return HeadlineSummary(
        indicator=indicator,
        area_id=area_id,
        period=None,
        value=np.nan,
        n=np.nan,
        suppressed=False,
        previous_period=None,
        previous_value=np.nan,
        previous_n=np.nan,
        previous_suppressed=False,
        change=np.nan,
        change_unit=CHANGE_UNITS[indicator.unit],
        p_value=None,
        significant=False,
        target=indicator.target,
        status=NO_DATA,
        trend=trend,
        initiative=initiative,
    )


def _whole(value: float) -> bool:
    return float(value) == round(float(value))


def unit_decimals(unit: str, value: float | None = None) -> int:
    """Decimals a unit is shown with: rates and scores one, counts none."""
    if unit in ("pr_1000", "score"):
        return 1
    if unit == "andel":
        return 1
    # Averages of counts (e.g. people present per count) are rarely whole numbers.
    if value is not None and not pd.isna(value) and float(value) != round(float(value)):
        return 1
    return 0


def rounded(value: float, unit: str) -> float:
    """A value rounded as it is shown, so the CSV holds exactly the numbers on screen."""
    if value is None or not np.isfinite(value):
        return np.nan
    if unit == "andel":
        return round(float(value), 3)
    return round(float(value), unit_decimals(unit, value))


def rounded_change(change: float, change_unit: str) -> float:
    """A change rounded as :func:`change_text` shows it."""
    if change is None or not np.isfinite(change):
        return np.nan
    if change_unit == "relativ":
        return round(float(change), 2)
    if change_unit == "procentpoint":
        return round(float(change), 3)
    return round(float(change), 1)


def latest_period(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of the latest period, yearly periods preferred (surveys are yearly)."""
    if not len(rows):
        return rows
    yearly = rows[rows["period"].astype(str).str.len() == 4]
    rows = yearly if len(yearly) else rows
    return rows[rows["period_start"] == rows["period_start"].max()].reset_index(drop=True)
