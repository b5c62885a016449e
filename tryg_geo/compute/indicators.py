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

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd

from .. import fmt
from ..errors import UsageError
from ..store.dataset import Dataset
from ..views.mapspec import NO_DATA_TEXT, unit_decimals, value_text
from .counts import category_mask, combine, night_mask, period_mask
from .filters import Filters
from .privacy import small, suppress_with_total, threshold
from .registry import Indicator, Initiative
from .stats import count_change_p, share_change_p

#: area_id of the whole kommune (and of "all places together" for place indicators).
TOTAL_ID = "kommune"
TOTAL_NAME = "Aalborg Kommune"
ALL_PLACES_NAME = "Alle steder"
#: The nights of ``night_only`` indicators: Friday and Saturday evenings, 22 to 06.
NIGHTS, NIGHT_START, NIGHT_END = (4, 5), 22, 6
#: Significance level for "statistically meaningful" changes.
ALPHA = 0.05

ON_TRACK, OFF_TRACK, NO_TARGET, NO_DATA = "på sporet", "ikke på sporet", "intet mål", "ingen data"
STATUSES: tuple[str, ...] = (ON_TRACK, OFF_TRACK, NO_TARGET, NO_DATA)

#: Units that are counts of something (people, events): small values are suppressed.
COUNT_UNITS: frozenset[str] = frozenset({"antal", "personer"})
#: Units whose values add up over periods and areas; the others are averaged.
SUMMED_UNITS: frozenset[str] = frozenset({"antal", "timer", "pr_1000"})
#: How a change is expressed: relative for counts, percentage points for shares.
CHANGE_UNITS: dict[str, str] = {
    "andel": "procentpoint",
    "score": "point",
    "antal": "relativ",
    "pr_1000": "relativ",
    "personer": "relativ",
    "timer": "relativ",
}
SERIES_COLUMNS = ["period_start", "period", "area_id", "value", "n", "suppressed"]


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
        return _incident_series(ds, indicator, start, end, area_id, freq or "month")
    return _measurement_series(ds, indicator, start, end, area_id, freq)


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
    """The summary of the indsats' headline indicator for the whole kommune.

    Parameters
    ----------
    ds : the loaded data.
    initiative : a registry indsats.
    filters : the period (start, end) is used; categories do not apply, because every
        indicator declares its own.

    Returns
    -------
    HeadlineSummary
    """
    return summarise(ds, initiative.headline_indicator, filters, initiative=initiative)


def status_of(value: float, target: float | None, higher_is_better: bool) -> str:
    """'intet mål' without target, 'ingen data' without value, else on track or not."""
    if target is None:
        return NO_TARGET
    if value is None or not np.isfinite(value):
        return NO_DATA
    on_track = value >= target if higher_is_better else value <= target
    return ON_TRACK if on_track else OFF_TRACK


def period_label(period: str) -> str:
    """A stored period in Danish: '2025', '3. kvt. 2025', 'juni 2025' (others as they are)."""
    text = str(period)
    if len(text) == 7 and text[4:6] == "-Q":
        return f"{text[6]}. kvt. {text[:4]}"
    if len(text) == 7 and text[4] == "-" and text[5:].isdigit():
        return f"{fmt.MONTHS_DA[int(text[5:]) - 1]} {text[:4]}"
    return text


def window_label(start: date, end: date) -> str:
    """'01.12.2024–30.11.2025'."""
    return f"{fmt.day(start)}–{fmt.day(end)}"


def change_text(summary: HeadlineSummary) -> str:
    """The change in Danish: '+12 %', '−2,1 procentpoint', '+1,5 point' or '–'."""
    change = summary.change
    if change is None or not np.isfinite(change):
        return "–"
    if summary.change_unit == "relativ":
        return fmt.signed_percent(change)
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    size = abs(change) * 100 if summary.change_unit == "procentpoint" else abs(change)
    return f"{sign}{fmt.number(size, 1)} {summary.change_unit}"


def change_sentence(summary: HeadlineSummary, name: str) -> str:
    """'Vold i nattelivet: 12 % færre end samme periode sidste år (en forbedring).'"""
    change = summary.change
    if summary.change_unit == "relativ":
        direction = "flere" if change > 0 else "færre"
        size = fmt.percent(abs(change), 0)
    else:
        direction = "højere" if change > 0 else "lavere"
        amount = abs(change) * 100 if summary.change_unit == "procentpoint" else abs(change)
        size = f"{fmt.number(amount, 1)} {summary.change_unit}"
    better = (change > 0) == summary.indicator.higher_is_better
    verdict = "en forbedring" if better else "en forværring"
    return f"{name}: {size} {direction} end samme periode sidste år ({verdict})."


def area_name(ds: Dataset, area_id: str, indicator: Indicator | None = None) -> str:
    """The Danish name of a district, place or the whole kommune."""
    if area_id == TOTAL_ID:
        return (
            ALL_PLACES_NAME if indicator is not None and indicator.area == "place" else TOTAL_NAME
        )
    if area_id in ds.district_names:
        return ds.district_names[area_id]
    places = ds.places
    if places is not None:
        match = places.loc[places["place_id"].astype(str) == area_id, "name"]
        if len(match):
            return str(match.iloc[0])
    return area_id


def trend_frame(series: pd.DataFrame, name: str) -> pd.DataFrame:
    """Rows of :func:`indicator_series` as :class:`~tryg_geo.views.model.Trend` data (one series)."""
    return pd.DataFrame(
        {
            "period": pd.to_datetime(series["period_start"]).to_numpy(),
            "series": name,
            "value": series["value"].astype("float64").to_numpy(),
        }
    )


# ---- incidents ----------------------------------------------------------------------------------
def incident_mask(ds: Dataset, indicator: Indicator) -> np.ndarray:
    """Incidents the indicator counts (categories, weekend nights, zone), any time."""
    arrays = ds.arrays
    masks: list[np.ndarray | None] = [category_mask(arrays, indicator.categories)]
    if indicator.night_only:
        masks.append(night_mask(arrays, NIGHTS, NIGHT_START, NIGHT_END))
    if indicator.zone is not None:
        inside = np.zeros(len(arrays.time), dtype=bool)
        members = ds.place_members.get(indicator.zone)
        if members is not None:
            inside[members] = True
        masks.append(inside)
    mask = combine(*masks)
    return np.ones(len(arrays.time), dtype=bool) if mask is None else mask


def _incident_series(
    ds: Dataset,
    indicator: Indicator,
    start: date | None,
    end: date | None,
    area_id: str | None,
    freq: str,
) -> pd.DataFrame:
    span_start, span_end = ds.incident_span
    start, end = start or span_start, end or span_end
    if not ds.has_incidents or start > end:
        return _empty()
    if indicator.zone is not None and indicator.zone not in ds.place_members:
        return _empty()  # the zone is not among the places: no data, not zero incidents
    arrays = ds.arrays
    mask = incident_mask(ds, indicator) & period_mask(arrays, start, end)
    starts, labels, bucket = _buckets(arrays.time[mask], start, end, freq)
    areas, area_of = _incident_areas(ds, indicator, mask, area_id)
    keep = area_of >= 0
    flat = bucket[keep] * len(areas) + area_of[keep]
    counts = np.bincount(flat, minlength=len(starts) * len(areas)).reshape(len(starts), -1)
    frame = pd.DataFrame(
        {
            "period_start": np.repeat(starts, len(areas)),
            "period": np.repeat(labels, len(areas)),
            "area_id": np.tile(np.asarray(areas, dtype=object), len(starts)),
            "count": counts.ravel(),
        }
    )
    frame["suppressed"] = _hidden_counts(frame, complementary=len(areas) > 1)
    frame["value"] = _incident_values(ds, indicator, frame)
    frame["n"] = frame["count"].astype("float64")
    frame.loc[frame["suppressed"], ["value", "n"]] = np.nan
    return frame[SERIES_COLUMNS]


def _buckets(
    times: np.ndarray, start: date, end: date, freq: str
) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Period starts, labels and the bucket of every time: every bucket, empty ones too."""
    if freq == "window":
        return (
            np.array([np.datetime64(start, "ns")]),
            [window_label(start, end)],
            np.zeros(len(times), dtype=np.int64),
        )
    unit = "M" if freq == "month" else "Y"
    first = np.datetime64(start, unit)
    last = np.datetime64(end, unit)
    starts = np.arange(first, last + 1)
    bucket = (times.astype(f"datetime64[{unit}]") - first).astype(np.int64)
    labels = [str(s) for s in starts]  # '2025-06' or '2025', as stored periods are named
    return starts.astype("datetime64[ns]"), labels, bucket


def _incident_areas(
    ds: Dataset, indicator: Indicator, mask: np.ndarray, area_id: str | None
) -> tuple[list[str], np.ndarray]:
    """The areas to count and the area position of every masked incident (-1 = not counted)."""
    arrays = ds.arrays
    n = int(mask.sum())
    if indicator.area == "place" or indicator.area == "kommune":
        own = indicator.zone if indicator.area == "place" else TOTAL_ID
        name = TOTAL_ID if area_id == TOTAL_ID else own
        if area_id not in (None, TOTAL_ID, own):
            return [], np.full(n, -1)
        return [name], _inside_kommune(ds, arrays.district[mask], indicator)
    codes = arrays.district[mask]
    if area_id == TOTAL_ID:
        return [TOTAL_ID], _inside_kommune(ds, codes, indicator)
    ids = list(ds.district_names) or list(arrays.district_ids)
    position = {d: i for i, d in enumerate(ids)}
    code_to_area = np.array([position.get(d, -1) for d in arrays.district_ids] + [-1])
    area_of = code_to_area[codes]  # code -1 picks the trailing -1
    if area_id is not None:
        if area_id not in position:
            return [], np.full(n, -1)
        wanted = position[area_id]
        return [area_id], np.where(area_of == wanted, 0, -1)
    return ids, area_of


def _inside_kommune(ds: Dataset, codes: np.ndarray, indicator: Indicator) -> np.ndarray:
    """0 for incidents that count for the kommune, -1 for the others.

    With districts, an incident outside all of them (in the fjord, beyond the border) is not
    Aalborg's; a zone count keeps every incident inside the zone.
    """
    if indicator.area == "place" or ds.districts is None:
        return np.zeros(len(codes), dtype=np.int64)
    return np.where(codes >= 0, 0, -1)


def _hidden_counts(frame: pd.DataFrame, *, complementary: bool) -> np.ndarray:
    """Primary suppression, plus one more cell per period when areas sit beside their total."""
    if not complementary:
        return small(frame["count"])
    hidden = np.zeros(len(frame), dtype=bool)
    for _, rows in frame.groupby("period_start", sort=False).groups.items():
        positions = frame.index.get_indexer(rows)
        hidden[positions] = suppress_with_total(frame["count"].iloc[positions])
    return hidden


def _incident_values(ds: Dataset, indicator: Indicator, frame: pd.DataFrame) -> np.ndarray:
    """Counts, or counts per 1 000 inhabitants of the area (NaN without a population)."""
    counts = frame["count"].to_numpy(dtype="float64")
    if indicator.unit != "pr_1000":
        return counts
    population = ds.population
    total = float(population.sum(skipna=True)) if len(population) else np.nan
    pops = np.array(
        [total if a == TOTAL_ID else float(population.get(a, np.nan)) for a in frame["area_id"]],
        dtype="float64",
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(pops > 0, counts / pops * 1000.0, np.nan)


# ---- measurements and place observations ---------------------------------------------------------
def _measurement_series(
    ds: Dataset,
    indicator: Indicator,
    start: date | None,
    end: date | None,
    area_id: str | None,
    freq: str | None,
) -> pd.DataFrame:
    rows = _measurement_rows(ds, indicator, start, end)
    if freq == "window" and start is not None and end is not None:
        # Months and quarters wholly inside the period, so a window total matches the key
        # figure of the same period; yearly numbers that only overlap it are kept otherwise.
        inside = _wholly_inside(rows, start, end)
        rows = inside if len(inside) else rows
    if not len(rows):
        return _empty()
    rows = _select_areas(rows, indicator, area_id, ds)
    if not len(rows):
        return _empty()
    if freq in ("year", "window"):
        rows = _regroup(rows, indicator, freq, start, end)
    return _suppress_measurements(rows, indicator)


def _wholly_inside(rows: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Rows whose period lies wholly inside ``start``–``end`` (inclusive days)."""
    inside = (rows["period_start"] >= pd.Timestamp(start)) & (
        rows["period_end"] <= pd.Timestamp(end) + pd.Timedelta(days=1)
    )
    return rows[inside].reset_index(drop=True)


def _measurement_rows(
    ds: Dataset, indicator: Indicator, start: date | None, end: date | None
) -> pd.DataFrame:
    """Rows of the indicator whose period overlaps ``start``–``end``."""
    rows = _by_name(ds).get(indicator.measurement_name)
    if rows is None:
        return _empty()
    if indicator.source == "place_observation":
        rows = rows[rows["area_id"].isin(indicator.places)]
    keep = np.ones(len(rows), dtype=bool)
    if start is not None:
        keep &= (rows["period_end"] > pd.Timestamp(start)).to_numpy()
    if end is not None:
        keep &= (rows["period_start"] <= pd.Timestamp(end)).to_numpy()
    return rows[keep].reset_index(drop=True)


_BY_NAME: dict[tuple[int, str], tuple[Dataset, dict[str, pd.DataFrame]]] = {}


def _by_name(ds: Dataset) -> dict[str, pd.DataFrame]:
    """The measurements split by indicator name in plain columns, once per loaded dataset.

    Every summary reads a few of these; splitting the table once keeps a 17-indsats overview
    in tens of milliseconds. The dataset itself is kept in the cache entry, so its id cannot
    be reused by another dataset while the entry lives.
    """
    key = (id(ds), ds.version)
    if key not in _BY_NAME:
        table = ds.measurements
        split: dict[str, pd.DataFrame] = {}
        if table is not None and len(table):
            frame = pd.DataFrame(
                {
                    "period_start": pd.to_datetime(table["period_start"]).to_numpy(),
                    "period_end": pd.to_datetime(table["period_end"]).to_numpy(),
                    "period": table["period"].astype(str).to_numpy(dtype=object),
                    "area_id": table["area_id"].astype(str).to_numpy(dtype=object),
                    "value": table["value"].astype("float64").to_numpy(),
                    "n": table["n"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan),
                }
            )
            names = table["indicator"].astype(str).to_numpy(dtype=object)
            frame = frame[np.isfinite(frame["value"].to_numpy())]
            names = names[frame.index.to_numpy()]
            for name, rows in frame.groupby(names, sort=False):
                split[str(name)] = rows.sort_values(["period_start", "area_id"]).reset_index(
                    drop=True
                )
        while len(_BY_NAME) >= 4:  # a few versions at most: old datasets must not pin memory
            del _BY_NAME[next(iter(_BY_NAME))]
        _BY_NAME[key] = (ds, split)
    return _BY_NAME[key][1]


def _select_areas(
    rows: pd.DataFrame, indicator: Indicator, area_id: str | None, ds: Dataset
) -> pd.DataFrame:
    """The rows of the wanted area(s); the kommune total is aggregated when not measured.

    ``rows`` come sorted by period and area (see :func:`_by_name`), and a selection keeps that.
    """
    areas = rows["area_id"].to_numpy(dtype=object)
    if area_id is not None and area_id != TOTAL_ID:
        return rows[areas == area_id].reset_index(drop=True)
    is_total = areas == TOTAL_ID
    measured_total = rows[is_total].reset_index(drop=True)
    parts = rows[~is_total].reset_index(drop=True)
    if indicator.area == "kommune":
        return measured_total if len(measured_total) else _sorted(_total(parts, indicator, ds))
    if area_id is None:
        return parts
    if not len(parts):
        return measured_total
    # The whole kommune: measured where it was, else aggregated from the parts of that period.
    measured = set(measured_total["period_start"])
    missing = parts[~parts["period_start"].isin(measured)]
    return _sorted(pd.concat([measured_total, _total(missing, indicator, ds)], ignore_index=True))


def _total(parts: pd.DataFrame, indicator: Indicator, ds: Dataset) -> pd.DataFrame:
    """One row per period for all areas together: sums for counts, weighted means otherwise."""
    if not len(parts):
        return parts
    keys = ["period_start", "period_end", "period"]
    if indicator.unit in SUMMED_UNITS or indicator.source == "place_observation":
        # People counted at several places add up to the people at all of them.
        out = parts.groupby(keys, as_index=False).agg(value=("value", "sum"), n=("n", _sum_all))
    else:
        weights = _weights(parts, ds)
        out = (
            parts.assign(_w=weights, _wv=weights * parts["value"])
            .groupby(keys, as_index=False)
            .agg(_w=("_w", "sum"), _wv=("_wv", "sum"), n=("n", _sum_all))
        )
        out["value"] = out["_wv"] / out["_w"]
        out = out.drop(columns=["_w", "_wv"])
    out["area_id"] = TOTAL_ID
    return out


def _sum_all(values: pd.Series) -> float:
    """The sum, or NaN when any part is unknown (a total of known and unknown n is unknown)."""
    array = values.to_numpy(dtype="float64")
    return float(array.sum()) if np.isfinite(array).all() else np.nan


def _weights(parts: pd.DataFrame, ds: Dataset) -> np.ndarray:
    """Respondents when every row has them, else population, else equal weights."""
    n = parts["n"].to_numpy(dtype="float64")
    if np.isfinite(n).all() and (n > 0).all():
        return n
    population = parts["area_id"].map(ds.population).to_numpy(dtype="float64")
    if np.isfinite(population).all() and (population > 0).all():
        return population
    return np.ones(len(parts))


def _regroup(
    rows: pd.DataFrame, indicator: Indicator, freq: str, start: date | None, end: date | None
) -> pd.DataFrame:
    """Measurements per calendar year, or one value per area over the whole window.

    Counts and hours add up; people present, scores and shares are averaged (shares weighted
    by respondents), because the same person may be counted again in the next period.
    """
    if freq == "year":
        buckets = rows["period_start"].dt.to_period("Y").dt.start_time.to_numpy()
        labels = rows["period_start"].dt.year.astype(str).to_numpy(dtype=object)
    else:
        first = start or rows["period_start"].min().date()
        buckets = np.full(len(rows), np.datetime64(pd.Timestamp(first), "ns"))
        labels = np.full(len(rows), _span_label(rows), dtype=object)
    keys = pd.MultiIndex.from_arrays([buckets, labels, rows["area_id"].to_numpy(dtype=object)])
    codes, groups = pd.factorize(keys)
    values = rows["value"].to_numpy(dtype="float64")
    n = rows["n"].to_numpy(dtype="float64")
    k = len(groups)
    summed = np.bincount(codes, weights=values, minlength=k)
    if indicator.unit not in ("antal", "timer"):
        weights = n if indicator.unit == "andel" and np.isfinite(n).all() else np.ones(len(n))
        summed = np.bincount(codes, weights=weights * values, minlength=k) / np.bincount(
            codes, weights=weights, minlength=k
        )
    n_known = np.bincount(codes, weights=np.isfinite(n), minlength=k) == np.bincount(
        codes, minlength=k
    )
    n_total = np.bincount(codes, weights=np.nan_to_num(n), minlength=k)
    out = pd.DataFrame(
        {
            "period_start": groups.get_level_values(0),
            "period": groups.get_level_values(1).astype(object),
            "area_id": groups.get_level_values(2).astype(object),
            "value": summed,
            "n": np.where(n_known, n_total, np.nan),
        }
    )
    return _sorted(out)


def _span_label(rows: pd.DataFrame) -> str:
    """'januar 2025–november 2025' for the periods in ``rows`` ('2025' when only one)."""
    ordered = rows.sort_values("period_start")["period"].astype(str)
    first, last = ordered.iloc[0], ordered.iloc[-1]
    return period_label(first) if first == last else f"{period_label(first)}–{period_label(last)}"


def _suppress_measurements(rows: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    """Hide small counts, and shares resting on fewer answers than the threshold."""
    out = rows.reset_index(drop=True).copy()
    values = out["value"].to_numpy(dtype="float64")
    if indicator.unit in COUNT_UNITS:
        # Averages (people present per count) can be fractional: anything in (0, 5) is small.
        hidden = (values > 0) & (values < threshold())
        several = out["area_id"].nunique() > 1
        if several:
            for _, idx in out.groupby("period_start").groups.items():
                pos = out.index.get_indexer(idx)
                hidden[pos] |= suppress_with_total(pd.Series(np.ceil(values[pos])))
    elif indicator.unit == "andel":
        n = out["n"].to_numpy(dtype="float64")
        hidden = np.isfinite(n) & (n < threshold())
    else:
        hidden = np.zeros(len(out), dtype=bool)
    out["suppressed"] = hidden
    out.loc[hidden, ["value", "n"]] = np.nan
    if indicator.unit in COUNT_UNITS:
        # n of a count is the count itself when not given: a hidden value must not leak via n.
        out.loc[hidden, "n"] = np.nan
    return out[SERIES_COLUMNS]


def _sorted(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.sort_values(["period_start", "area_id"]).reset_index(drop=True)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_start": pd.Series(dtype="datetime64[ns]"),
            "period_end": pd.Series(dtype="datetime64[ns]"),
            "period": pd.Series(dtype=object),
            "area_id": pd.Series(dtype=object),
            "value": pd.Series(dtype="float64"),
            "n": pd.Series(dtype="float64"),
            "suppressed": pd.Series(dtype=bool),
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
        previous_period=window_label(before_start, before_end),
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
        _, area_of = _incident_areas(ds, indicator, mask, area_id)
        counts.append(int((area_of >= 0).sum()))
    return counts[0], counts[1]


def _incident_trend(
    ds: Dataset, indicator: Indicator, filters: Filters, area_id: str
) -> pd.DataFrame:
    """Monthly values over last year's period and this one (see :func:`hide_beside_totals`)."""
    before_start, _ = filters.previous_year()
    series = indicator_series(
        ds, indicator, start=before_start, end=filters.end, area_id=area_id, freq="month"
    )
    windows = [(filters.start, filters.end), filters.previous_year()]
    series = hide_beside_totals(series, windows, whole_periods=False)
    return series[["period_start", "period", "value", "suppressed"]].reset_index(drop=True)


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
    series : rows of :func:`indicator_series` of a count (counts in ``n``, else ``value``).
    windows : the (start, end) periods, inclusive days, whose totals are shown.
    whole_periods : True when a total is made of the periods lying wholly inside its window
        (measurements); False when every period overlapping it contributes (incident months).

    Returns
    -------
    pandas.DataFrame
        A copy with ``suppressed`` extended and ``value``/``n`` blanked where hidden.
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
    out.loc[hidden, ["value", "n"]] = np.nan
    return out


def _period_ends(starts: pd.Series, periods: pd.Series) -> pd.Series:
    """Exclusive end of each period from its name: a month, a quarter or a year."""
    text = periods.astype(str)
    months = np.where(text.str.contains("Q"), 3, np.where(text.str.len() == 7, 1, 12))
    return pd.Series(
        [s + pd.DateOffset(months=int(m)) for s, m in zip(starts, months, strict=True)],
        index=starts.index,
    )


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
    cur, prev, averaged = _latest_and_year_before(ds, indicator, filters, area_id, series)
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


def _latest_and_year_before(
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
    if len(str(latest["period"])) == 7:  # '2025-05' or '2025-Q2'
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
    """One row over the periods lying wholly inside ``start``–``end`` and how many there are."""
    rows = _wholly_inside(_measurement_rows(ds, indicator, start, end), start, end)
    if not len(rows):
        return None, 0
    rows = _select_areas(rows, indicator, area_id, ds)
    if not len(rows):
        return None, 0
    one = _regroup(rows, indicator, "window", start, end)
    return _suppress_measurements(one, indicator).iloc[0], rows["period_start"].nunique()


def _year_before(series: pd.DataFrame, cur: pd.Series) -> pd.Series | None:
    """The row of the same period one year earlier (same length of period), or None."""
    wanted = pd.Timestamp(cur["period_start"]) - pd.DateOffset(years=1)
    same = series[
        (series["period_start"] == wanted) & (series["period"].str.len() == len(cur["period"]))
    ]
    return same.iloc[0] if len(same) else None


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


def with_places(indicator: Indicator, places: tuple[str, ...]) -> Indicator:
    """The same place observation at other places (e.g. every place on the Byens rum map)."""
    return replace(indicator, places=tuple(places))


def _whole(value: float) -> bool:
    return float(value) == round(float(value))


# ---- texts shared by the views -----------------------------------------------------------------
UNIT_SUFFIX: dict[str, str] = {"pr_1000": " pr. 1.000", "personer": " personer", "timer": " timer"}


def summary_text(summary: HeadlineSummary, *, previous: bool = False) -> str:
    """The latest (or last year's) value as shown, e.g. '87,3 % (n=214)' or '<5'.

    Averages per month or quarter say so ('gns. 191 personer pr. kvartal'), and a unit suffix
    makes a rate or an hour count readable outside its chart.
    """
    value = summary.previous_value if previous else summary.value
    hidden = summary.previous_suppressed if previous else summary.suppressed
    n = summary.previous_n if previous else summary.n
    unit = summary.indicator.unit
    if (previous and summary.previous_period is None) or (not previous and not summary.has_data):
        return NO_DATA_TEXT
    text = value_text(value, unit, suppressed=hidden, n=n if unit == "andel" else None)
    if hidden or not np.isfinite(value):
        return text
    text += UNIT_SUFFIX.get(unit, "")
    if summary.averaged_over:
        text = f"gns. {text} pr. {summary.averaged_over}"
    return text


def target_text(target: float | None, unit: str, higher_is_better: bool) -> str:
    """'mindst 90 %' or 'højst 15 %'; '–' without a target."""
    if target is None:
        return "–"
    shown = fmt.percent(target, 0) if unit == "andel" else fmt.number(target, unit_decimals(unit))
    return f"{'mindst' if higher_is_better else 'højst'} {shown}"


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
