"""Parsing numbers, Danish and ISO date-times and periods, each failure with its reason."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
import pytest

from tryg_geo.ingest.parse import (
    REASONS,
    explain,
    parse_datetimes,
    parse_numbers,
    parse_period,
    parse_periods,
)

NOW = datetime(2025, 1, 1, 12, 0)


def one_number(text: str) -> tuple[float, str]:
    values, reasons, _ = parse_numbers(pd.Series([text]))
    return values[0], reasons[0]


def one_time(text: str, time: str | None = None, now: datetime = NOW) -> tuple[object, str]:
    times = None if time is None else pd.Series([time])
    values, reasons, _ = parse_datetimes(pd.Series([text]), times, now=now)
    value = None if np.isnat(values[0]) else pd.Timestamp(values[0]).to_pydatetime()
    return value, reasons[0]


# ---- numbers --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("57,0488", 57.0488),
        ("57.0488", 57.0488),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("12 345", 12345.0),
        ("12\u00a0345,6", 12345.6),
        ("  87 ", 87.0),
        ("-3", -3.0),
        ("-0,5", -0.5),
        ("1e3", 1000.0),
        ("0", 0.0),
    ],
)
def test_numbers_with_decimal_comma_or_point(text, expected):
    value, reason = one_number(text)
    assert reason == ""
    assert value == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "missing_value"),
        ("   ", "missing_value"),
        ("abc", "not_a_number"),
        ("12,5 %", "not_a_number"),
        ("1,2,3x", "not_a_number"),
        ("NaN", "not_finite"),
        ("nan", "not_finite"),
        ("inf", "not_finite"),
        ("-inf", "not_finite"),
        ("Infinity", "not_finite"),
        ("1e999", "not_finite"),
    ],
)
def test_numbers_that_fail_have_a_reason(text, reason):
    value, got = one_number(text)
    assert got == reason
    assert np.isnan(value)


def test_parse_numbers_reports_decimal_comma_and_returns_writable_values():
    values, reasons, comma = parse_numbers(pd.Series(["1,5", "2"]))
    assert comma is True
    assert values.flags.writeable
    values[0] = 0.0  # callers may modify the result
    _, _, comma = parse_numbers(pd.Series(["1.5", "2"]))
    assert comma is False


def test_parse_numbers_accepts_a_read_only_backed_series():
    data = np.array(["1,5", "x", ""], dtype=object)
    data.setflags(write=False)
    values, reasons, _ = parse_numbers(pd.Series(data))
    assert values[0] == 1.5
    assert list(reasons) == ["", "not_a_number", "missing_value"]


def test_danish_thousands_dots_without_decimals():
    assert one_number("1.234.567") == (1234567.0, "")


# ---- date-times -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24-12-2023 23:45", datetime(2023, 12, 24, 23, 45)),
        ("24-12-2023 23:45:10", datetime(2023, 12, 24, 23, 45, 10)),
        ("24-12-2023 23.45", datetime(2023, 12, 24, 23, 45)),
        ("24-12-2023", datetime(2023, 12, 24)),
        ("24.12.2023 23:45", datetime(2023, 12, 24, 23, 45)),
        ("24.12.2023", datetime(2023, 12, 24)),
        ("24/12/2023 23:45", datetime(2023, 12, 24, 23, 45)),
        ("24-12-23", datetime(2023, 12, 24)),
        ("2023-12-24 23:45:00", datetime(2023, 12, 24, 23, 45)),
        ("2023-12-24T23:45", datetime(2023, 12, 24, 23, 45)),
        ("2023-12-24", datetime(2023, 12, 24)),
        ("2024-06-01 12:00:00.5", datetime(2024, 6, 1, 12, 0, 0, 500000)),
        ("05-01-2024", datetime(2024, 1, 5)),  # day first: 5 January, never 1 May
        ("29-02-2024", datetime(2024, 2, 29)),
    ],
)
def test_danish_and_iso_datetimes(text, expected):
    assert one_time(text) == (expected, "")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "missing_value"),
        ("31-02-2024", "impossible_date"),
        ("29-02-2023", "impossible_date"),
        ("2024-13-01", "impossible_date"),
        ("00-00-0000", "impossible_date"),
        ("i går", "unparseable_date"),
        ("december", "unparseable_date"),
        ("01-01-2030 10:00", "future_date"),
        ("31-12-9999 23:59", "future_date"),
        ("31-12-1989 23:59", "too_old_date"),
        ("0001-01-01", "too_old_date"),
    ],
)
def test_datetimes_that_fail_have_a_reason(text, reason):
    assert one_time(text) == (None, reason)


def test_future_means_more_than_a_day_after_now():
    now = datetime(2024, 6, 1, 12, 0)
    assert one_time("02-06-2024 11:00", now=now)[1] == ""
    assert one_time("02-06-2024 12:01", now=now)[1] == "future_date"
    assert one_time("01-01-1990 00:00", now=now)[1] == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Winter time (CET, UTC+1) and summer time (CEST, UTC+2) around both 2024 switches.
        ("2024-03-31T00:30:00Z", datetime(2024, 3, 31, 1, 30)),
        ("2024-03-31T01:30:00Z", datetime(2024, 3, 31, 3, 30)),
        ("2024-10-27T00:30:00Z", datetime(2024, 10, 27, 2, 30)),
        ("2024-10-27T01:30:00Z", datetime(2024, 10, 27, 2, 30)),
        ("2024-01-15T12:00:00+00:00", datetime(2024, 1, 15, 13, 0)),
        ("2024-07-01T12:00:00+02:00", datetime(2024, 7, 1, 12, 0)),
        ("2024-07-01T05:00:00-05:00", datetime(2024, 7, 1, 12, 0)),
        ("2024-06-01 12:00 +0200", datetime(2024, 6, 1, 12, 0)),
    ],
)
def test_times_with_zone_become_copenhagen_time(text, expected):
    values, reasons, notes = parse_datetimes(pd.Series([text]), now=NOW)
    assert reasons[0] == ""
    assert pd.Timestamp(values[0]).to_pydatetime() == expected
    assert notes == ["Tidspunkter med tidszone blev omregnet til dansk tid."]


def test_times_without_zone_are_kept_and_give_no_zone_note():
    values, reasons, notes = parse_datetimes(pd.Series(["2024-07-01 12:00"]), now=NOW)
    assert pd.Timestamp(values[0]) == pd.Timestamp("2024-07-01 12:00")
    assert notes == []


def test_zone_aware_impossible_date():
    assert one_time("2024-02-30T10:00:00Z") == (None, "impossible_date")


def test_danish_date_with_zone():
    assert one_time("24-12-2023 23:45 +01:00") == (datetime(2023, 12, 24, 23, 45), "")


@pytest.mark.parametrize("clock", ["23:45", "23.45", "2345", "23:45:00", " 23:45 "])
def test_separate_time_column_in_any_clock_spelling(clock):
    assert one_time("24-12-2023", clock) == (datetime(2023, 12, 24, 23, 45), "")


def test_separate_time_column_three_digits_and_empty():
    assert one_time("24-12-2023", "945") == (datetime(2023, 12, 24, 9, 45), "")
    assert one_time("24-12-2023", "") == (datetime(2023, 12, 24), "")
    assert one_time("", "")[1] == "missing_value"


def test_mixed_formats_in_one_column():
    values, reasons, _ = parse_datetimes(
        pd.Series(["24-12-2023 23:45", "2023-12-25T08:00", "26.12.2023", "x", ""]), now=NOW
    )
    assert list(reasons) == ["", "", "", "unparseable_date", "missing_value"]
    assert [str(pd.Timestamp(v)) for v in values[:3]] == [
        "2023-12-24 23:45:00",
        "2023-12-25 08:00:00",
        "2023-12-26 00:00:00",
    ]
    assert np.isnat(values[3]) and np.isnat(values[4])


# ---- periods --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "name", "start", "end"),
    [
        ("2024", "2024", "2024-01-01", "2025-01-01"),
        (" 2024 ", "2024", "2024-01-01", "2025-01-01"),
        ("2024-Q3", "2024-Q3", "2024-07-01", "2024-10-01"),
        ("2024 K3", "2024-Q3", "2024-07-01", "2024-10-01"),
        ("2024q4", "2024-Q4", "2024-10-01", "2025-01-01"),
        ("Q3 2024", "2024-Q3", "2024-07-01", "2024-10-01"),
        ("k1-2024", "2024-Q1", "2024-01-01", "2024-04-01"),
        ("2024-05", "2024-05", "2024-05-01", "2024-06-01"),
        ("2024/5", "2024-05", "2024-05-01", "2024-06-01"),
        ("05-2024", "2024-05", "2024-05-01", "2024-06-01"),
        ("maj 2024", "2024-05", "2024-05-01", "2024-06-01"),
        ("Okt. 2024", "2024-10", "2024-10-01", "2024-11-01"),
        ("december 2024", "2024-12", "2024-12-01", "2025-01-01"),
    ],
)
def test_periods(text, name, start, end):
    assert parse_period(text) == (name, pd.Timestamp(start), pd.Timestamp(end))


@pytest.mark.parametrize(
    "text", ["", "abc", "1989", "2101", "2024-13", "2024-Q5", "2024-00", "maj", "mai 2024"]
)
def test_unparseable_periods(text):
    assert parse_period(text) is None


def test_parse_periods_column_with_reasons():
    frame, reasons = parse_periods(pd.Series(["2024", "2024-Q3", "", "x", "2024"]))
    assert list(reasons) == ["", "", "missing_value", "unparseable_period", ""]
    assert frame["period"].tolist()[:2] == ["2024", "2024-Q3"]
    assert frame["period_start"].iloc[1] == pd.Timestamp("2024-07-01")
    assert frame["period_end"].iloc[0] == pd.Timestamp("2025-01-01")
    assert frame["period_start"].isna().tolist() == [False, False, True, True, False]


# ---- messages -------------------------------------------------------------------------------------
def test_explain_is_a_danish_sentence():
    assert explain("impossible_date", "en dato") == (
        "Datoen findes ikke i kalenderen; forventet en dato."
    )
    assert explain("egen_kode", "noget") == "Egen_kode; forventet noget."
    assert all(text and text[0].islower() for text in REASONS.values())
