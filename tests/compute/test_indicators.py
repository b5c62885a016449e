"""Indicator values from the three sources, suppression, change, significance and status."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest
import tiny_data
from tiny_data import X0, Y0, incidents_at, measurement

from tryg_geo.compute.filters import Filters
from tryg_geo.compute.indicators import (
    NO_DATA,
    NO_TARGET,
    OFF_TRACK,
    ON_TRACK,
    headline,
    indicator_series,
    status_of,
    summarise,
)
from tryg_geo.compute.registry import get_initiative
from tryg_geo.compute.series import SERIES_COLUMNS, TOTAL_ID, period_label
from tryg_geo.views.texts import change_sentence, change_text

YEAR = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31))
A, B, C = (X0 + 500, Y0 + 500), (X0 + 1_200, Y0 + 200), (X0 + 2_500, Y0 + 500)


def indicator(slug: str, ind_id: str):
    return next(i for i in get_initiative(slug).indicators if i.id == ind_id)


BURGLARY = indicator("tryg-bydel", "indbrud_pr_1000")
NIGHT = indicator("et-trygt-natteliv", "natteliv_vold_antal")
TRYG = indicator("tryg-bydel", "tryg_andel")


def burglaries(when: str, a: int, b: int, c: int):
    return [
        incidents_at(k, category="indbrud i beboelse", when=when, where=p)
        for k, p in ((a, A), (b, B), (c, C))
    ]


# ---- incidents -------------------------------------------------------------------------------
def test_incident_rate_per_district_with_primary_and_complementary_suppression(tmp_path):
    ds = tiny_data.build(tmp_path, incidents=burglaries("2025-03-10 12:00", 20, 3, 10))
    series = indicator_series(ds, BURGLARY, start=YEAR.start, end=YEAR.end, freq="window")
    assert list(series.columns) == SERIES_COLUMNS
    rows = series.set_index("area_id")
    assert rows.loc["a", "value"] == pytest.approx(20 / 10_000 * 1000)
    assert rows.loc["a", "n"] == 20
    assert rows.loc["b", "suppressed"] and np.isnan(rows.loc["b", "value"])
    # One hidden district beside the public kommune total: the next smallest goes too.
    assert rows.loc["c", "suppressed"] and np.isnan(rows.loc["c", "n"])
    assert not rows.loc["a", "suppressed"]
    counts = series["n"].dropna().to_numpy()  # the value is a rate: 2.0 per 1 000 is fine
    assert not ((counts >= 1) & (counts < 5)).any()


def test_incident_total_and_single_area(tmp_path):
    ds = tiny_data.build(tmp_path, incidents=burglaries("2025-03-10 12:00", 20, 3, 10))
    total = indicator_series(
        ds, BURGLARY, start=YEAR.start, end=YEAR.end, area_id=TOTAL_ID, freq="window"
    )
    assert len(total) == 1
    assert total["value"].iloc[0] == pytest.approx(33 / 17_000 * 1000)
    one = indicator_series(ds, BURGLARY, start=YEAR.start, end=YEAR.end, area_id="b")
    assert one["suppressed"].any() and set(one["area_id"]) == {"b"}


def test_incident_months_cover_the_period_with_zeros(tmp_path):
    ds = tiny_data.build(tmp_path, incidents=burglaries("2025-03-10 12:00", 20, 0, 0))
    series = indicator_series(
        ds, BURGLARY, start=YEAR.start, end=YEAR.end, area_id=TOTAL_ID, freq="month"
    )
    assert len(series) == 12
    assert list(series["period"][:3]) == ["2025-01", "2025-02", "2025-03"]
    assert series["n"].iloc[2] == 20 and series["n"].iloc[0] == 0


def test_zone_and_night_only(tmp_path):
    ds = tiny_data.build(
        tmp_path,
        incidents=[
            # Saturday 01:00 belongs to Friday's night, inside the zone: counted.
            incidents_at(7, category="vold", when="2025-06-14 01:00", where="jomfru-ane-gade"),
            # Wednesday afternoon in the zone: not a weekend night.
            incidents_at(9, category="vold", when="2025-06-11 14:00", where="jomfru-ane-gade"),
            # Weekend night but outside the zone.
            incidents_at(6, category="vold", when="2025-06-14 01:00", where=A),
            # A category the indicator does not count.
            incidents_at(8, category="tyveri", when="2025-06-14 01:00", where="jomfru-ane-gade"),
        ],
    )
    series = indicator_series(ds, NIGHT, start=YEAR.start, end=YEAR.end, freq="window")
    assert list(series["area_id"]) == ["jomfru-ane-gade"]
    assert series["value"].iloc[0] == 7


def test_zone_missing_from_places_is_no_data_not_zero(tmp_path):
    ds = tiny_data.build(tmp_path, incidents=burglaries("2025-03-10 12:00", 5, 5, 5))
    ghost = replace(NIGHT, zone="findes-ikke")
    assert indicator_series(ds, ghost, start=YEAR.start, end=YEAR.end).empty


def night_counts(now: int, before: int):
    frames = [incidents_at(now, when="2025-06-14 01:00", where="jomfru-ane-gade")]
    frames.append(incidents_at(before, when="2024-06-15 01:00", where="jomfru-ane-gade"))
    return frames


def test_significant_count_change(tmp_path):
    ds = tiny_data.build(tmp_path, incidents=night_counts(40, 20))
    h = headline(ds, get_initiative("et-trygt-natteliv"), YEAR)
    assert h.value == 40 and h.previous_value == 20
    assert h.change == pytest.approx(1.0)
    assert h.p_value < 0.05 and h.significant
    assert change_text(h) == "+100 %"
    assert "flere end samme periode sidste år (en forværring)" in change_sentence(h, "Vold")


def test_not_significant_count_change(tmp_path):
    ds = tiny_data.build(tmp_path, incidents=night_counts(25, 20))
    h = headline(ds, get_initiative("et-trygt-natteliv"), YEAR)
    assert h.change == pytest.approx(0.25)
    assert h.p_value > 0.05 and not h.significant


def test_change_from_suppressed_count_is_hidden(tmp_path):
    ds = tiny_data.build(tmp_path, incidents=night_counts(3, 30))
    h = headline(ds, get_initiative("et-trygt-natteliv"), YEAR)
    assert h.suppressed and np.isnan(h.value) and np.isnan(h.n)
    assert np.isnan(h.change) and not h.significant and h.p_value is None
    assert change_text(h) == "–"
    assert h.previous_value == 30
    # The trend hides the small month and, beside the period total, nothing leaks by subtraction.
    trend = h.trend
    assert trend["suppressed"].any()
    shown = trend["value"].dropna().to_numpy()
    assert not ((shown >= 1) & (shown < 5)).any()


def test_trend_complementary_suppression_along_months(tmp_path):
    frames = [
        incidents_at(3, when="2025-02-15 01:00", where="jomfru-ane-gade"),
        incidents_at(9, when="2025-03-15 01:00", where="jomfru-ane-gade"),
        incidents_at(12, when="2025-04-12 01:00", where="jomfru-ane-gade"),
    ]
    ds = tiny_data.build(tmp_path, incidents=frames)
    h = headline(ds, get_initiative("et-trygt-natteliv"), YEAR)
    assert h.value == 24  # the period total is shown ...
    trend = h.trend.set_index("period")
    # ... so with February hidden, March (the smallest shown month) is hidden too.
    assert trend.loc["2025-02", "suppressed"] and trend.loc["2025-03", "suppressed"]
    assert trend.loc["2025-04", "value"] == 12


# ---- measurements ------------------------------------------------------------------------------
def test_share_status_and_significance(tmp_path):
    rows = [
        measurement("tryg_andel", "kommune", "2024", 0.88, 2000),
        measurement("tryg_andel", "kommune", "2025", 0.92, 2000),
    ]
    ds = tiny_data.build(tmp_path, measurements=rows)
    h = headline(ds, get_initiative("tryg-bydel"), YEAR)
    assert h.period == "2025" and h.previous_period == "2024"
    assert h.change == pytest.approx(0.04) and h.change_unit == "procentpoint"
    assert h.significant and h.status == ON_TRACK
    assert change_text(h) == "+4,0 procentpoint"


def test_share_change_not_significant_with_few_answers(tmp_path):
    rows = [
        measurement("tryg_andel", "kommune", "2024", 0.86, 100),
        measurement("tryg_andel", "kommune", "2025", 0.88, 100),
    ]
    ds = tiny_data.build(tmp_path, measurements=rows)
    h = headline(ds, get_initiative("tryg-bydel"), YEAR)
    assert not h.significant and h.p_value > 0.05
    assert h.status == OFF_TRACK  # 0.88 < target 0.9


def test_lower_is_better_status_both_ways(tmp_path):
    ind = indicator("patientens-team", "genindlaeggelse_andel")  # target 0.15, lower is better
    good = tiny_data.build(
        tmp_path / "good",
        measurements=[measurement(ind.measurement_name, "kommune", "2025", 0.12, 300)],
    )
    bad = tiny_data.build(
        tmp_path / "bad",
        measurements=[measurement(ind.measurement_name, "kommune", "2025", 0.2, 300)],
    )
    assert summarise(good, ind, YEAR).status == ON_TRACK
    assert summarise(bad, ind, YEAR).status == OFF_TRACK


def test_status_of_rules():
    assert status_of(0.9, 0.9, True) == ON_TRACK
    assert status_of(0.89, 0.9, True) == OFF_TRACK
    assert status_of(5, 10, False) == ON_TRACK
    assert status_of(11, 10, False) == OFF_TRACK
    assert status_of(5, None, False) == NO_TARGET
    assert status_of(float("nan"), 10, False) == NO_DATA


def test_no_data_anywhere(tmp_path):
    ds = tiny_data.build(tmp_path)
    for slug in ("tryg-bydel", "et-trygt-natteliv", "sikkerhed-paa-havnefronten"):
        h = headline(ds, get_initiative(slug), YEAR)
        assert h.status == NO_DATA and not h.has_data and not h.significant


def test_district_total_aggregated_from_districts_when_not_measured(tmp_path):
    rows = [
        measurement("tryg_andel", "a", "2025", 0.9, 300),
        measurement("tryg_andel", "b", "2025", 0.8, 100),
    ]
    ds = tiny_data.build(tmp_path, measurements=rows)
    total = indicator_series(ds, TRYG, area_id=TOTAL_ID)
    assert total["value"].iloc[0] == pytest.approx((0.9 * 300 + 0.8 * 100) / 400)
    assert total["n"].iloc[0] == 400
    per_district = indicator_series(ds, TRYG)
    assert set(per_district["area_id"]) == {"a", "b"}


def test_small_measured_counts_and_tiny_samples_are_suppressed(tmp_path):
    rows = [
        measurement("patientforloeb", "kommune", "2025", 3),
        measurement("genindlaeggelse_andel", "kommune", "2025", 0.5, 4),
    ]
    ds = tiny_data.build(tmp_path, measurements=rows)
    count = indicator_series(ds, indicator("patientens-team", "patientforloeb"))
    share = indicator_series(ds, indicator("patientens-team", "genindlaeggelse_andel"))
    assert count["suppressed"].all() and count["value"].isna().all()
    assert share["suppressed"].all() and share["n"].isna().all()


def test_monthly_counts_summed_over_the_period_and_compared(tmp_path):
    rows = [
        measurement("redningshaendelser_havn", "havnefronten", f"2025-{m:02d}", 10)
        for m in range(1, 13)
    ]
    rows += [
        measurement("redningshaendelser_havn", "havnefronten", f"2024-{m:02d}", 5)
        for m in range(1, 13)
    ]
    ds = tiny_data.build(tmp_path, measurements=rows)
    h = headline(ds, get_initiative("sikkerhed-paa-havnefronten"), YEAR)
    assert h.value == 120 and h.previous_value == 60
    assert h.period == "januar 2025–december 2025"
    assert h.significant and h.change == pytest.approx(1.0)
    assert len(h.trend) == 24


def test_place_observation_only_at_its_places(tmp_path):
    ind = indicator("socialt-udsatte-i-byens-rum-og-pladser", "klager")
    rows = [
        measurement("klager", "nytorv", "2025-05", 12),
        measurement("klager", "gammeltorv", "2025-05", 8),
        measurement("klager", "kildeparken", "2025-05", 50),  # not one of the indicator's places
    ]
    ds = tiny_data.build(tmp_path, measurements=rows)
    series = indicator_series(ds, ind)
    assert set(series["area_id"]) == {"nytorv", "gammeltorv"}
    total = indicator_series(ds, ind, area_id=TOTAL_ID)
    assert total["value"].iloc[0] == 20


def test_period_labels():
    assert period_label("2025") == "2025"
    assert period_label("2025-Q3") == "3. kvt. 2025"
    assert period_label("2025-06") == "juni 2025"


def test_yearly_buckets_for_incidents_and_measurements(tmp_path):
    frames = burglaries("2024-03-10 12:00", 10, 0, 0) + burglaries("2025-03-10 12:00", 20, 0, 0)
    rows = [measurement("klager", "nytorv", f"2025-{m:02d}", 7) for m in range(1, 13)]
    ds = tiny_data.build(tmp_path, incidents=frames, measurements=rows)
    years = indicator_series(
        ds, BURGLARY, start=date(2024, 1, 1), end=YEAR.end, area_id=TOTAL_ID, freq="year"
    )
    assert list(years["period"]) == ["2024", "2025"] and list(years["n"]) == [10, 20]
    klager = indicator("socialt-udsatte-i-byens-rum-og-pladser", "klager")
    yearly = indicator_series(ds, klager, area_id="nytorv", freq="year")
    assert list(yearly["period"]) == ["2025"] and yearly["value"].iloc[0] == 84


def test_hide_beside_totals_counts_only_the_months_of_each_total():
    import pandas as pd

    from tryg_geo.compute.windows import hide_beside_totals

    months = pd.date_range("2024-12-01", "2025-12-01", freq="MS")
    values = [2.0] + [3.0] + [10.0] * 11  # Dec 2024 small, Jan 2025 small, then 10 a month
    series = pd.DataFrame(
        {
            "period_start": months,
            "period": [m.strftime("%Y-%m") for m in months],
            "area_id": "nytorv",
            "value": values,
            "n": np.nan,
            "suppressed": [v < 5 for v in values],
        }
    )
    series.loc[series["suppressed"], "value"] = np.nan
    # The window starts on 31 December: December 2024 is not wholly inside, so January is
    # the one hidden month of this total and one more month (a 10) must go with it.
    out = hide_beside_totals(series, [(date(2024, 12, 31), date(2025, 12, 30))], whole_periods=True)
    assert out["suppressed"].sum() == 3
    assert out["value"].isna().sum() == 3


def test_kept_measurement_series_equal_the_computed_ones_and_follow_the_limit(
    tmp_path, monkeypatch
):
    from tryg_geo.compute.series import _measurement_series, measurement_series

    ind = indicator("socialt-udsatte-i-byens-rum-og-pladser", "klager")
    rows = [measurement("klager", "nytorv", f"2025-{m:02d}", 4 + m) for m in range(1, 13)]
    rows += [measurement("klager", "gammeltorv", f"2025-{m:02d}", 20) for m in range(1, 13)]
    ds = tiny_data.build(tmp_path, measurements=rows)
    for args in [(None, None, None, None), (YEAR.start, YEAR.end, TOTAL_ID, "window")]:
        kept = measurement_series(ds, ind, *args)
        kept.loc[:, "value"] = -1.0  # a caller changing its copy changes nothing kept
        again = measurement_series(ds, ind, *args)
        assert again.equals(_measurement_series(ds, ind, *args))
    monthly = measurement_series(ds, ind, None, None, None, None)
    monkeypatch.setenv("TRYG_MIN_COUNT", "10")  # a new limit: a new suppression, not a kept one
    stricter = measurement_series(ds, ind, None, None, None, None)
    assert stricter.equals(_measurement_series(ds, ind, None, None, None, None))
    assert stricter["suppressed"].sum() > monthly["suppressed"].sum()


def test_period_ends_in_numpy_equal_the_calendar_offsets():
    import pandas as pd

    from tryg_geo.compute.windows import _period_ends

    starts = pd.Series(pd.to_datetime(["2024-01-01", "2024-11-01", "2025-04-01", "2023-01-01"]))
    names = pd.Series(["2024-01", "2024-11", "2025-Q2", "2023"])
    expected = [s + pd.DateOffset(months=m) for s, m in zip(starts, [1, 1, 3, 12], strict=True)]
    assert list(_period_ends(starts, names)) == expected
    late = pd.Series(pd.to_datetime(["2024-01-31"]))  # day 31: the calendar's own offset
    assert list(_period_ends(late, pd.Series(["2024-01"]))) == [pd.Timestamp("2024-02-29")]


def test_period_ends_take_the_numpy_way_in_every_time_unit(monkeypatch):
    """pandas 3 keeps dates in µs (or s): those took a DateOffset per row (a few ms per view)."""
    import pandas as pd

    from tryg_geo.compute.windows import _period_ends

    names = pd.Series(["2024-01", "2025-Q2", "2023"])
    expected = [pd.Timestamp("2024-02-01"), pd.Timestamp("2025-07-01"), pd.Timestamp("2024-01-01")]

    def per_row(*_args, **_kwargs):
        raise AssertionError("a DateOffset per row")

    monkeypatch.setattr(pd, "DateOffset", per_row)
    for unit in ("ns", "us", "s"):
        starts = pd.Series(pd.to_datetime(["2024-01-01", "2025-04-01", "2023-01-01"]).as_unit(unit))
        ends = _period_ends(starts, names)
        assert list(ends) == expected and ends.dtype == starts.dtype


def test_place_names_kept_per_version_equal_a_search_of_the_places(tmp_path):
    from tryg_geo.compute.indicators import area_name

    ds = tiny_data.build(tmp_path, measurements=[measurement("klager", "nytorv", "2025-05", 12)])
    ids = ds.places["place_id"].astype(str)
    assert len(ids)
    for place_id in [*ids, "ukendt"]:
        match = ds.places.loc[ids == place_id, "name"]
        expected = str(match.iloc[0]) if len(match) else place_id
        assert area_name(ds, place_id) == expected


def test_kept_window_rows_equal_the_computed_ones(tmp_path, monkeypatch):
    from tryg_geo.compute.windows import _computed_window_row, _window_row

    rows = [
        measurement("redningshaendelser_havn", "havnefronten", f"2025-{m:02d}", m)
        for m in range(1, 13)
    ]
    ds = tiny_data.build(tmp_path, measurements=rows)
    ind = indicator("sikkerhed-paa-havnefronten", "redningshaendelser_havn")
    for limit in ("5", "10"):
        monkeypatch.setenv("TRYG_MIN_COUNT", limit)
        for start, end in [(YEAR.start, YEAR.end), (date(2025, 1, 1), date(2025, 3, 31))]:
            row, k = _window_row(ds, ind, start, end, TOTAL_ID)
            row["value"] = -1.0  # the caller's copy
            again, k_again = _window_row(ds, ind, start, end, TOTAL_ID)
            expected, k_expected = _computed_window_row(ds, ind, start, end, TOTAL_ID)
            assert again.equals(expected) and k_again == k_expected == k
    assert _window_row(ds, ind, date(2020, 1, 1), date(2020, 12, 31), TOTAL_ID) == (None, 0)


@pytest.mark.parametrize("unit", ["antal", "andel"])
def test_kommune_total_of_parts_is_pandas_groupby_of_them(unit: str) -> None:
    """The aggregated kommune total (series._total) against pandas' own grouping: sums for
    counts, respondent-weighted means for shares, n unknown when any part's n is."""
    from types import SimpleNamespace

    from tryg_geo.compute import series

    rng = np.random.default_rng(5)
    starts = pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"])
    parts = pd.DataFrame(
        {
            "period_start": np.repeat(starts, 4),
            "period_end": np.repeat(starts + pd.offsets.MonthBegin(1), 4),
            "period": np.repeat(["2025-01", "2025-02", "2025-03"], 4).astype(object),
            "area_id": np.tile(["a", "b", "c", "d"], 3).astype(object),
            "value": rng.uniform(0, 1 if unit == "andel" else 50, 12),
            "n": rng.integers(20, 200, 12).astype("float64"),
        }
    ).sample(frac=1, random_state=1)
    parts.loc[parts.index[3], "n"] = np.nan
    indicator = SimpleNamespace(unit=unit, source="measurement")
    ds = SimpleNamespace(population=pd.Series(dtype="float64"))
    got = series._total(parts, indicator, ds).set_index("period")
    grouped = parts.groupby("period")
    if unit == "antal":
        expected = grouped["value"].sum()
    else:
        w = np.ones(len(parts))  # one part's n is unknown: equal weights (series._weights)
        expected = (parts["value"] * w).groupby(parts["period"]).sum() / pd.Series(
            w, index=parts.index
        ).groupby(parts["period"]).sum()
    np.testing.assert_allclose(got["value"].sort_index(), expected.sort_index(), rtol=1e-12)
    n_expected = grouped["n"].apply(lambda v: v.sum() if v.notna().all() else np.nan)
    np.testing.assert_allclose(got["n"].sort_index(), n_expected.sort_index(), rtol=1e-12)
    assert (got["area_id"] == series.TOTAL_ID).all() and list(got.index) == sorted(got.index)
    for column in ("period_start", "period_end"):  # each group's own dates, in the parts' unit
        assert got[column].dtype == parts[column].dtype
        assert dict(zip(got.index, got[column], strict=True)) == dict(
            zip(parts["period"], parts[column], strict=True)
        )
    # A year and its first month start on the same day: two totals, never one.
    year = parts.assign(
        period="2025", period_start=starts[0], period_end=pd.Timestamp("2026-01-01")
    )
    both = series._total(pd.concat([parts, year]), indicator, ds)
    assert list(both["period"]) == ["2025-01", "2025", "2025-02", "2025-03"]
