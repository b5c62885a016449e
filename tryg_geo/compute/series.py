"""The tidy series of one indicator, from its source: incidents counted per period and area, or
measurements and place observations selected, regrouped and suppressed; and the labels of
periods.

Used by :mod:`.indicators`; discretion is applied here (see that module).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from .. import fmt, periods
from ..cache import per_version
from ..store.dataset import Dataset
from .counts import category_mask, combine, night_mask, period_mask

# The nights of ``night_only`` indicators are the default night of the filters.
from .filters import NIGHT_END, NIGHT_START, NIGHTS
from .privacy import complementary as protecting_cells
from .privacy import small, suppress_with_total, threshold
from .registry import Indicator

#: area_id of the whole kommune (and of "all places together" for place indicators).
TOTAL_ID = "kommune"

#: Units that are counts of something (people, events): small values are suppressed.
COUNT_UNITS: frozenset[str] = frozenset({"antal", "personer"})
#: Units whose values add up over periods and areas; the others are averaged.
SUMMED_UNITS: frozenset[str] = frozenset({"antal", "timer", "pr_1000"})
#: ``complementary``: hidden only so that a small count cannot be worked out from the total
#: (privacy.complementary) — shown as "skjult", not "<5".
SERIES_COLUMNS = [
    "period_start",
    "period",
    "area_id",
    "value",
    "n",
    "suppressed",
    "complementary",
]


def period_label(period: str) -> str:
    """A stored period in Danish: '2025', '3. kvt. 2025', 'juni 2025' (others as they are)."""
    return periods.label(period)


def window_label(start: date, end: date) -> str:
    """'01.12.2024–30.11.2025'."""
    return f"{fmt.day(start)}–{fmt.day(end)}"


# ---- incidents ----------------------------------------------------------------------------------
def incident_mask(ds: Dataset, indicator: Indicator) -> np.ndarray:
    """Incidents the indicator counts (categories, weekend nights, zone), any time.

    Kept per data version and (categories, nights, zone): a view asks for the same mask for
    this period, last year's and the trend (read only: callers combine it into new arrays).
    """
    key = (tuple(indicator.categories), bool(indicator.night_only), indicator.zone)
    return per_version(ds, "incident_masks", key, lambda: _incident_mask(ds, indicator))


def _incident_mask(ds: Dataset, indicator: Indicator) -> np.ndarray:
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


def incident_series(
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
    areas, area_of = incident_areas(ds, indicator, mask, area_id)
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
    frame["complementary"] = protecting_cells(frame["count"], frame["suppressed"])
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


def incident_areas(
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
def measurement_series(
    ds: Dataset,
    indicator: Indicator,
    start: date | None,
    end: date | None,
    area_id: str | None,
    freq: str | None,
) -> pd.DataFrame:
    """The measurement series (see ``indicators.indicator_series``), kept per data version.

    A page asks for the same few series on every rerun whatever filter changed (Byens rum:
    five per rerun, none depending on the incident categories), and each is a pandas pipeline
    of milliseconds; the key holds the discretion limit, so a new limit is never served an old
    suppression. Callers get a copy: the kept frame is never changed.
    """
    key = ("measurement-series", indicator, start, end, area_id, freq, threshold())
    kept = per_version(
        ds,
        "measurement_series",
        key,
        lambda: _measurement_series(ds, indicator, start, end, area_id, freq),
    )
    return kept.copy()


def _measurement_series(
    ds: Dataset,
    indicator: Indicator,
    start: date | None,
    end: date | None,
    area_id: str | None,
    freq: str | None,
) -> pd.DataFrame:
    """:func:`measurement_series` computed (the rows, areas, regrouping and suppression)."""
    rows = measurement_rows(ds, indicator, start, end)
    if freq == "window" and start is not None and end is not None:
        # Months and quarters wholly inside the period, so a window total matches the key
        # figure of the same period; yearly numbers that only overlap it are kept otherwise.
        inside = wholly_inside(rows, start, end)
        rows = inside if len(inside) else rows
    if not len(rows):
        return _empty()
    rows = select_areas(rows, indicator, area_id, ds)
    if not len(rows):
        return _empty()
    if freq in ("year", "window"):
        rows = regroup(rows, indicator, freq, start, end)
    return suppress_measurements(rows, indicator)


def wholly_inside(rows: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Rows whose period lies wholly inside ``start``–``end`` (inclusive days)."""
    inside = (rows["period_start"] >= pd.Timestamp(start)) & (
        rows["period_end"] <= pd.Timestamp(end) + pd.Timedelta(days=1)
    )
    return rows[inside].reset_index(drop=True)


def measurement_rows(
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


def _by_name(ds: Dataset) -> dict[str, pd.DataFrame]:
    """The measurements split by indicator name in plain columns, once per loaded dataset.

    Every summary reads a few of these; splitting the table once keeps a 17-indsats overview
    in tens of milliseconds.
    """
    return per_version(ds, "measurements_by_name", (), lambda: _split_by_name(ds))


def _split_by_name(ds: Dataset) -> dict[str, pd.DataFrame]:
    """The split itself (see :func:`_by_name`)."""
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
            split[str(name)] = rows.sort_values(["period_start", "area_id"]).reset_index(drop=True)
    return split


def select_areas(
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
    """One row per period for all areas together: sums for counts, weighted means otherwise;
    ``n`` is the sum, or NaN when any part's is unknown (a total of known and unknown n is
    unknown). Grouped with one factorize and bincounts, as :func:`regroup` (a pandas
    aggregation with a Python function per group cost a Byens rum rerun 10 ms)."""
    if not len(parts):
        return parts
    codes, groups = _groups(
        _as_int64(parts["period_start"]),
        _as_int64(parts["period_end"]),
        parts["period"].astype(str).to_numpy(dtype=object),
    )
    k = len(groups)
    values = parts["value"].to_numpy(dtype="float64")
    n = parts["n"].to_numpy(dtype="float64")
    if indicator.unit in SUMMED_UNITS or indicator.source == "place_observation":
        # People counted at several places add up to the people at all of them.
        total = np.bincount(codes, weights=values, minlength=k)
    else:
        weights = _weights(parts, ds)
        total = np.bincount(codes, weights=weights * values, minlength=k) / np.bincount(
            codes, weights=weights, minlength=k
        )
    n_known = np.bincount(codes, weights=np.isfinite(n), minlength=k) == np.bincount(
        codes, minlength=k
    )
    starts, ends, periods = (list(level) for level in zip(*groups, strict=True))
    return pd.DataFrame(
        {
            "period_start": np.array(starts, dtype="int64").view(parts["period_start"].dtype),
            "period_end": np.array(ends, dtype="int64").view(parts["period_end"].dtype),
            "period": pd.Series(periods, dtype=object),
            "value": total,
            "n": np.where(
                n_known, np.bincount(codes, weights=np.nan_to_num(n), minlength=k), np.nan
            ),
            "area_id": TOTAL_ID,
        }
    )


def _groups(*columns: np.ndarray) -> tuple[np.ndarray, list[tuple]]:
    """Group number of each row by the values of ``columns`` (dates as int64), and the groups,
    sorted: a pandas MultiIndex factorized for a few dozen rows cost milliseconds per rerun."""
    keys = list(zip(*(column.tolist() for column in columns), strict=True))
    groups = sorted(set(keys))
    number = {key: i for i, key in enumerate(groups)}
    return np.array([number[key] for key in keys], dtype=np.int64), groups


def _as_int64(dates: pd.Series | np.ndarray) -> np.ndarray:
    return np.asarray(dates).view("int64")


def _weights(parts: pd.DataFrame, ds: Dataset) -> np.ndarray:
    """Respondents when every row has them, else population, else equal weights."""
    n = parts["n"].to_numpy(dtype="float64")
    if np.isfinite(n).all() and (n > 0).all():
        return n
    population = parts["area_id"].map(ds.population).to_numpy(dtype="float64")
    if np.isfinite(population).all() and (population > 0).all():
        return population
    return np.ones(len(parts))


def regroup(
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
    areas = rows["area_id"].to_numpy(dtype=object)
    codes, groups = _groups(_as_int64(buckets), labels, areas)
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
    starts, periods, area_ids = (
        (list(level) for level in zip(*groups, strict=True)) if groups else ([], [], [])
    )
    out = pd.DataFrame(
        {
            "period_start": np.array(starts, dtype="int64").view(buckets.dtype),
            "period": pd.Series(periods, dtype=object),
            "area_id": pd.Series(area_ids, dtype=object),
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


def suppress_measurements(rows: pd.DataFrame, indicator: Indicator) -> pd.DataFrame:
    """Hide small counts, and shares resting on fewer answers than the threshold."""
    out = rows.reset_index(drop=True).copy()
    values = out["value"].to_numpy(dtype="float64")
    if indicator.unit in COUNT_UNITS:
        # Averages (people present per count) can be fractional: privacy.small hides them too.
        hidden = small(values)
        several = out["area_id"].nunique() > 1
        if several:
            for _, idx in out.groupby("period_start").groups.items():
                pos = out.index.get_indexer(idx)
                hidden[pos] |= suppress_with_total(pd.Series(np.ceil(values[pos])))
    elif indicator.unit == "andel":
        n = out["n"].to_numpy(dtype="float64")
        # A share of no answers is no number either; otherwise the one rule of privacy.small.
        hidden = small(n) | (n == 0)
    else:
        hidden = np.zeros(len(out), dtype=bool)
    out["suppressed"] = hidden
    # Counts only: a share hidden for few answers is small itself.
    out["complementary"] = (
        protecting_cells(np.ceil(values), hidden)
        if indicator.unit in COUNT_UNITS
        else np.zeros(len(out), dtype=bool)
    )
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
            "complementary": pd.Series(dtype=bool),
        }
    )
