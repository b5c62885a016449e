"""Parsing text cells into numbers, dates and periods, with a reason for every failure.

Each parser returns the parsed values plus a reason code per row (empty string when fine), so
loaders can reject rows with a precise reason and keep everything else.
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np
import pandas as pd

from ..periods import Period
from ..store.schema import LOCAL_TZ

#: reason code -> Danish explanation, for messages and the README.
REASONS: dict[str, str] = {
    "missing_value": "feltet er tomt",
    "not_a_number": "værdien er ikke et tal",
    "not_finite": "værdien er ikke et endeligt tal (NaN eller uendelig)",
    "unparseable_date": "værdien er ikke en dato i et kendt format",
    "impossible_date": "datoen findes ikke i kalenderen",
    "future_date": "datoen ligger i fremtiden",
    "too_old_date": "datoen ligger før 1990",
    "unparseable_period": "værdien er ikke en periode som 2024, 2024-Q3 eller 2024-05",
}


def explain(reason: str, expected: str) -> str:
    """A rejection message: what is wrong with the value and what was expected."""
    text = REASONS.get(reason, reason)
    return f"{text[0].upper()}{text[1:]}; forventet {expected}."


# Formats tried for a date(time) column, Danish day-first forms before others.
DATETIME_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H.%M",
    "%d-%m-%Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H.%M",
    "%d.%m.%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%y %H:%M",
    "%d-%m-%y",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f",
)
# The shape of a date whatever its values: tells "31-02-2024" (impossible) from "i går" (unknown).
_DATE_SHAPE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})([ T].*)?$")
# A zone only counts after a clock time, so "24-12-2023" is not read as offset -20:23.
_ZONE_PARTS = re.compile(
    r"^(?P<rest>.*\d{2}[:.]\d{2}(?::\d{2}(?:\.\d+)?)?)\s*"
    r"(?P<zone>Z|(?P<sign>[+-])(?P<hh>\d{2}):?(?P<mm>\d{2}))$"
)


def parse_numbers(text: pd.Series) -> tuple[np.ndarray, np.ndarray, bool]:
    """Numbers from text with decimal point or comma (and thousands separators).

    Returns ``(values, reasons, saw_decimal_comma)``; reasons are '' or a code of
    :data:`REASONS`.
    """
    s = pd.Series(text, dtype="str").str.strip().str.replace("\u00a0", "", regex=False)
    s = s.str.replace(" ", "", regex=False)
    # Two or more dots and no comma can only be Danish thousands: 1.234.567.
    thousands_only = s.str.fullmatch(r"-?\d{1,3}(\.\d{3}){2,}")
    s = s.where(~thousands_only, s.str.replace(".", "", regex=False))
    has_comma = s.str.contains(",", regex=False)
    has_dot = s.str.contains(".", regex=False)
    danish = has_comma & (~has_dot | (s.str.rfind(",") > s.str.rfind(".")))
    english_thousands = has_comma & has_dot & ~danish
    cleaned = s.where(
        ~danish, s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    )
    cleaned = cleaned.where(~english_thousands, cleaned.str.replace(",", "", regex=False))
    values = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype="float64", copy=True)
    reasons = np.full(len(s), "", dtype=object)
    empty = (s == "").to_numpy()
    lowered = s.str.lower()
    non_finite_text = lowered.isin(
        ["nan", "inf", "-inf", "+inf", "infinity", "-infinity"]
    ).to_numpy()
    reasons[np.isnan(values) & ~empty] = "not_a_number"
    reasons[(~np.isfinite(values) & ~np.isnan(values)) | non_finite_text] = "not_finite"
    reasons[empty] = "missing_value"
    values[reasons != ""] = np.nan
    return values, reasons, bool(danish.any())


def parse_datetimes(
    dates: pd.Series, times: pd.Series | None = None, *, now: datetime | None = None
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Local date-times (naive, Europe/Copenhagen) from a date(time) column and an optional time.

    Returns ``(values, reasons, notes)``. Times with a zone (``Z``, ``+01:00``), in ISO or
    Danish form, are converted to Danish time; times without are taken as Danish time already.
    """
    date_text = pd.Series(dates, dtype="str").str.strip()
    text = date_text
    if times is not None:
        text = (date_text + " " + _normalise_clock(pd.Series(times, dtype="str"))).str.strip()
    notes: list[str] = []
    local_text, offset_minutes = _split_zone(text)
    values = _parse_wall_clock(local_text)
    zoned = ~np.isnan(offset_minutes)
    if zoned.any():
        values[zoned] = _zoned_to_local(values[zoned], offset_minutes[zoned])
        notes.append("Tidspunkter med tidszone blev omregnet til dansk tid.")
    reasons = _date_reasons(local_text, values, now or datetime.now())
    reasons[(date_text == "").to_numpy()] = "missing_value"
    values[reasons != ""] = np.datetime64("NaT")
    return values, reasons, notes


def _split_zone(text: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Text without a trailing zone, and the zone's offset in minutes (NaN when none)."""
    parts = text.str.extract(_ZONE_PARTS)
    has_zone = parts["zone"].notna().to_numpy()
    offsets = np.full(len(text), np.nan)
    if has_zone.any():
        zone = parts.loc[has_zone]
        utc = (zone["zone"] == "Z").to_numpy()
        sign = np.where(zone["sign"].to_numpy(dtype=object) == "-", -1.0, 1.0)
        hours = pd.to_numeric(zone["hh"], errors="coerce").fillna(0).to_numpy()
        minutes = pd.to_numeric(zone["mm"], errors="coerce").fillna(0).to_numpy()
        offsets[has_zone] = np.where(utc, 0.0, sign * (hours * 60 + minutes))
    local = text.where(~has_zone, parts["rest"])
    return local, offsets


def _parse_wall_clock(text: pd.Series) -> np.ndarray:
    """Parse with the format that fits most values first, then the others for the rest."""
    values = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[us]")
    todo = (text != "").to_numpy().copy()
    for fmt in _formats_by_fit(text[todo]):
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        hit = parsed.notna().to_numpy()
        idx = np.flatnonzero(todo)[hit]
        values[idx] = parsed[hit].to_numpy(dtype="datetime64[us]")
        todo[idx] = False
    return values


def _zoned_to_local(values: np.ndarray, offset_minutes: np.ndarray) -> np.ndarray:
    utc = pd.DatetimeIndex(values - offset_minutes.astype("timedelta64[m]")).tz_localize("UTC")
    return utc.tz_convert(LOCAL_TZ).tz_localize(None).to_numpy(dtype="datetime64[us]")


def _formats_by_fit(text: pd.Series) -> list[str]:
    """Formats ordered by how many of the first 500 values they parse (best first)."""
    sample = text.head(500)
    scores = []
    for fmt in DATETIME_FORMATS:
        hits = pd.to_datetime(sample, format=fmt, errors="coerce").notna().sum()
        scores.append((-int(hits), DATETIME_FORMATS.index(fmt), fmt))
    return [fmt for _, _, fmt in sorted(scores)]


def _normalise_clock(times: pd.Series) -> pd.Series:
    # "23.45", "2345" and "23:45:00" all mean a quarter to midnight.
    clock = times.str.strip().str.replace(".", ":", regex=False)
    four_digits = clock.str.fullmatch(r"\d{3,4}")
    clock = clock.where(~four_digits, clock.str.zfill(4).str[:2] + ":" + clock.str.zfill(4).str[2:])
    return clock


def _date_reasons(text: pd.Series, values: np.ndarray, now: datetime) -> np.ndarray:
    reasons = np.full(len(text), "", dtype=object)
    failed = np.isnat(values)
    shaped = text.str.match(_DATE_SHAPE).to_numpy(dtype=bool)
    reasons[failed] = "unparseable_date"
    reasons[failed & shaped] = "impossible_date"
    reasons[(text == "").to_numpy()] = "missing_value"
    ok = ~failed
    reasons[ok & (values > np.datetime64(now + pd.Timedelta(days=1)))] = "future_date"
    reasons[ok & (values < np.datetime64("1990-01-01"))] = "too_old_date"
    return reasons


# ---- periods --------------------------------------------------------------------------------
_MONTHS_DA = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "maj": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "okt": 10,
    "nov": 11,
    "dec": 12,
}
_PERIOD_PATTERNS = (
    (re.compile(r"^(\d{4})$"), lambda m: (int(m[1]), None, None)),
    (re.compile(r"^(\d{4})\s*[-_ ]?\s*[qQkK]([1-4])$"), lambda m: (int(m[1]), int(m[2]), None)),
    (re.compile(r"^[qQkK]([1-4])\s*[-_ /]?\s*(\d{4})$"), lambda m: (int(m[2]), int(m[1]), None)),
    (re.compile(r"^(\d{4})[-/.](\d{1,2})$"), lambda m: (int(m[1]), None, int(m[2]))),
    # Danmarks Statistik's StatBank writes months as 2024M05 (and quarters as 2024K2, above).
    (re.compile(r"^(\d{4})[mM](\d{2})$"), lambda m: (int(m[1]), None, int(m[2]))),
    (re.compile(r"^(\d{1,2})[-/.](\d{4})$"), lambda m: (int(m[2]), None, int(m[1]))),
)


def parse_period(text: str) -> tuple[str, pd.Timestamp, pd.Timestamp] | None:
    """Normalise one period: '2024', '2024-Q3' or '2024-05'; returns (name, start, end-exclusive)."""
    cleaned = str(text).strip()
    for pattern, fields in _PERIOD_PATTERNS:
        match = pattern.match(cleaned)
        if match:
            return _period(*fields(match))
    words = cleaned.lower().replace(".", " ").split()
    if len(words) == 2 and words[0][:3] in _MONTHS_DA and words[1].isdigit() and len(words[1]) == 4:
        return _period(int(words[1]), None, _MONTHS_DA[words[0][:3]])
    return None


def _period(
    year: int, quarter: int | None, month: int | None
) -> tuple[str, pd.Timestamp, pd.Timestamp] | None:
    if not 1990 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
        return None
    period = Period(year, quarter, month)  # the stored name is written by tryg_geo.periods
    start = pd.Timestamp(year, period.first_month, 1)
    return period.name, start, start + pd.DateOffset(months=period.months)


def parse_periods(text: pd.Series) -> tuple[pd.DataFrame, np.ndarray]:
    """Periods for a column: frame of (period, period_start, period_end) and reason codes."""
    distinct = {value: parse_period(value) for value in pd.unique(text)}
    parsed = text.map(distinct)
    reasons = np.where(parsed.isna().to_numpy(), "unparseable_period", "").astype(object)
    reasons[(text.str.strip() == "").to_numpy()] = "missing_value"
    frame = pd.DataFrame(
        {
            "period": parsed.map(lambda p: p[0] if p else None),
            "period_start": pd.to_datetime(parsed.map(lambda p: p[1] if p else None)),
            "period_end": pd.to_datetime(parsed.map(lambda p: p[2] if p else None)),
        }
    )
    return frame, reasons
