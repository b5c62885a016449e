"""Filters (URL round trip, presets) and counting on precomputed codes (night windows)."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
import tiny_data

from tryg_geo import fmt
from tryg_geo.compute import counts
from tryg_geo.compute.filters import Filters
from tryg_geo.compute.privacy import safe_change, suppress_with_total
from tryg_geo.store.dataset import IncidentArrays

SPAN = {"data_start": date(2015, 1, 1), "data_end": date(2025, 12, 31)}


def test_filters_round_trip_through_url_parameters():
    filters = Filters(
        start=date(2024, 2, 1),
        end=date(2024, 6, 30),
        preset="custom",
        categories=("vold", "hærværk"),
        district="vejgaard",
        indicator="haendelser_pr_1000",
        scheme="natural_breaks",
        cell="250m",
        nights=(3, 4, 5),
        night_start=21,
        night_end=5,
        place_indicator="personer_til_stede",
        initiative="tryg-bydel",
    )
    assert Filters.from_params(filters.to_params(), **SPAN) == filters


@pytest.mark.parametrize(
    ("preset", "start", "end"),
    [
        ("12m", date(2025, 1, 1), date(2025, 12, 31)),
        ("ytd", date(2025, 1, 1), date(2025, 12, 31)),
        ("last_year", date(2025, 1, 1), date(2025, 12, 31)),
        ("all", date(2015, 1, 1), date(2025, 12, 31)),
    ],
)
def test_presets_count_back_from_the_last_day_with_data(preset, start, end):
    filters = Filters.from_params({"preset": preset}, **SPAN)
    assert (filters.start, filters.end) == (start, end)


def test_broken_url_values_fall_back_to_defaults():
    filters = Filters.from_params(
        {
            "preset": "custom",
            "fra": "i går",
            "til": "2031-99-01",
            "celle": "5m",
            "nat": "x-y",
            "naetter": "9",
            "klasser": "<script>",
        },
        **SPAN,
    )
    assert filters.cell == "100m" and filters.scheme == "quantiles"
    assert (filters.night_start, filters.night_end, filters.nights) == (22, 6, (4, 5))
    assert filters.start >= SPAN["data_start"] and filters.end <= SPAN["data_end"]


def test_custom_period_is_clipped_to_the_data():
    filters = Filters.from_params(
        {"preset": "custom", "fra": "2010-01-01", "til": "2030-01-01"}, **SPAN
    )
    assert (filters.start, filters.end) == (SPAN["data_start"], SPAN["data_end"])


def test_previous_year_handles_29_february():
    filters = Filters(start=date(2024, 2, 29), end=date(2024, 3, 31))
    assert filters.previous_year() == (date(2023, 2, 28), date(2023, 3, 31))


def test_describe_uses_district_names():
    filters = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31), district="a")
    assert "område: Alfa" in filters.describe({"a": "Alfa"})
    assert filters.describe().startswith("Periode 01.01.2025–31.12.2025")


def _arrays(times: list[str]) -> IncidentArrays:
    stamps = pd.to_datetime(times)
    frame = pd.DataFrame(
        {
            "time": stamps,
            "category": pd.Categorical(["vold"] * len(times)),
            "district_id": pd.Categorical(["a"] * len(times)),
            "cell_100m": pd.Categorical(["100m_1_1"] * len(times)),
            "hour": stamps.hour.astype("int8"),
            "weekday": stamps.day_of_week.astype("int8"),
            "x": 555_702.0,
            "y": 6_323_433.0,
        }
    )
    return IncidentArrays.of(frame)


def test_night_window_belongs_to_the_evening_it_started():
    arrays = _arrays(
        [
            "2025-06-13 22:30",  # Friday evening
            "2025-06-14 02:00",  # Saturday 02:00 = Friday's night
            "2025-06-14 06:30",  # Saturday morning after the night
            "2025-06-15 03:00",  # Sunday 03:00 = Saturday's night
            "2025-06-16 01:00",  # Monday 01:00 = Sunday's night
            "2025-06-12 23:00",  # Thursday evening
        ]
    )
    mask = counts.night_mask(arrays, (4, 5), 22, 6)
    assert mask.tolist() == [True, True, False, True, False, False]
    assert counts.night_mask(arrays, (3,), 22, 6).tolist() == [False] * 5 + [True]


def test_period_mask_includes_whole_last_day():
    arrays = _arrays(["2025-01-31 23:59", "2025-02-01 00:00"])
    assert counts.period_mask(arrays, date(2025, 1, 1), date(2025, 1, 31)).tolist() == [True, False]


def test_counts_by_district_keep_zero_districts_and_count_outside(tmp_path):
    ds = tiny_data.build(
        tmp_path,
        incidents=[tiny_data.incidents_at(7), tiny_data.incidents_at(2, where=(100.0, 100.0))],
        with_places=False,
    )
    mask = np.ones(len(ds.incidents), dtype=bool)
    per_district, outside = counts.by_district(ds, mask)
    assert per_district.to_dict() == {"a": 7, "b": 0, "c": 0}
    assert outside == 2


def test_complementary_suppression_hides_a_second_cell_when_a_total_is_shown():
    hidden = suppress_with_total(pd.Series([3, 40, 12, 0]))
    assert hidden.tolist() == [True, False, True, False]  # 3 is small, 12 is the next smallest
    assert suppress_with_total(pd.Series([3, 2, 40])).tolist() == [True, True, False]
    assert suppress_with_total(pd.Series([30, 40])).tolist() == [False, False]


def test_change_is_withheld_next_to_a_small_count():
    assert safe_change(10, 4) is None and safe_change(3, 10) is None and safe_change(8, 0) is None
    assert safe_change(12, 10) == pytest.approx(0.2)


@pytest.mark.parametrize(
    ("value", "text"),
    [(1234.5, "1.234,5"), (-0.004, "−0,4 %"), (0.12, "+12 %"), (0.0, "±0 %")],
)
def test_danish_number_forms(value, text):
    shown = (
        fmt.number(value, 1) if text.count(",") and "%" not in text else fmt.signed_percent(value)
    )
    assert shown == text


def test_a_link_entirely_after_the_data_still_shows_data():
    filters = Filters.from_params(
        {"preset": "custom", "fra": "2030-01-01", "til": "2031-01-01"}, **SPAN
    )
    assert filters.start <= filters.end == SPAN["data_end"]


def test_discretion_cannot_be_switched_off(monkeypatch):
    from tryg_geo import settings
    from tryg_geo.errors import UsageError

    monkeypatch.setenv("TRYG_MIN_COUNT", "1")
    with pytest.raises(UsageError, match="TRYG_MIN_COUNT='1' er for lav; den skal være mindst 3"):
        settings.get("min_count")


def test_by_quarter_counts_every_quarter_as_pandas_does_and_keeps_the_empty_ones() -> None:
    from types import SimpleNamespace

    from tryg_geo.compute.counts import by_quarter

    rng = np.random.default_rng(11)
    days = rng.integers(0, 3 * 365, 5_000)
    times = (np.datetime64("2023-01-01") + days.astype("timedelta64[D]")).astype("datetime64[us]")
    times = times[(times < np.datetime64("2024-04-01")) | (times >= np.datetime64("2024-07-01"))]
    mask = rng.random(len(times)) < 0.7
    counts = by_quarter(SimpleNamespace(time=times), mask)
    expected = pd.Series(pd.PeriodIndex(times[mask], freq="Q")).value_counts().sort_index()
    expected.index = expected.index.to_timestamp()
    assert counts[counts > 0].to_dict() == expected.to_dict()
    assert counts[pd.Timestamp("2024-04-01")] == 0  # an empty quarter is a 0, not a gap
    assert (np.diff(counts.index.month) % 3 == 0).all() and len(counts) == 12
    assert by_quarter(SimpleNamespace(time=times), np.zeros(len(times), bool)).empty
