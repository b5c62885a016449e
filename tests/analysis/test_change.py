"""Tested changes per district against scipy, and Benjamini–Hochberg against a hand example."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from analysis_data import X0, Y0, dataset, raw_incidents, square_districts
from scipy import stats

from tryg_geo.analysis.change import (
    DOWN,
    NO_CHANGE,
    NOT_TESTED,
    UP,
    district_count_changes,
    district_share_changes,
)
from tryg_geo.compute.stats import benjamini_hochberg, count_change_p
from tryg_geo.errors import UsageError


def test_benjamini_hochberg_by_hand():
    # m = 5: p·m/rank = 0.05, 0.075, 0.0667, 0.1, 0.6 → running minimum from the top.
    p = [0.01, 0.03, 0.04, 0.08, 0.6]
    np.testing.assert_allclose(benjamini_hochberg(p), [0.05, 0.2 / 3, 0.2 / 3, 0.1, 0.6])
    # Order does not matter, NaN stays NaN and is not counted in m.
    shuffled = benjamini_hochberg([0.6, np.nan, 0.01, 0.08, 0.04, 0.03])
    np.testing.assert_allclose(shuffled, [0.6, np.nan, 0.05, 0.1, 0.2 / 3, 0.2 / 3])


def test_benjamini_hochberg_equals_scipy():
    p = np.random.default_rng(1).uniform(0, 0.2, 300) ** 2
    np.testing.assert_allclose(benjamini_hochberg(p), stats.false_discovery_control(p))


def test_benjamini_hochberg_names_a_bad_value():
    with pytest.raises(UsageError, match=r"p_values indeholder 1.5.*fra 0 til 1"):
        benjamini_hochberg([0.1, 1.5])


@pytest.mark.parametrize(
    ("now", "before", "share"), [(30, 12, 0.5), (3, 0, 0.5), (40, 45, 366 / 731)]
)
def test_count_change_p_is_the_exact_conditional_binomial(now, before, share):
    expected = stats.binomtest(now, now + before, share).pvalue
    assert count_change_p(now, before, share) == pytest.approx(expected)


def _changes_dataset():
    """Four districts: d00 doubles (60 → 120), d01 steady (50 → 52), d02 falls (80 → 30),
    d03 has 3 incidents this year (sensitive: not tested)."""
    districts = square_districts(4, 1)
    counts = {"d00": (60, 120), "d01": (50, 52), "d02": (80, 30), "d03": (10, 3)}
    xs, ys, when = [], [], []
    for k, (before, now) in enumerate(counts.values()):
        for n, year in ((before, 2023), (now, 2024)):
            xs += [X0 + 1_000 * k + 500] * n
            ys += [Y0 + 500] * n
            when += [f"{year}-06-15 12:00"] * n
    return dataset(districts, raw_incidents(xs, ys, when, "vold"))


def test_district_count_changes_tested_and_adjusted():
    ds = _changes_dataset()
    table = district_count_changes(ds, start=date(2024, 1, 1), end=date(2024, 12, 31))
    table = table.set_index("district_id")
    assert table.loc["d00", ["incidents", "previous_incidents"]].tolist() == [120, 60]
    # 2024 has 366 days, 2023 365: the test uses the share of the days, not 1/2.
    share = 366 / (366 + 365)
    raw = [stats.binomtest(a, a + b, share).pvalue for a, b in ((120, 60), (52, 50), (30, 80))]
    np.testing.assert_allclose(table.loc[["d00", "d01", "d02"], "p_value"], raw)
    np.testing.assert_allclose(
        table.loc[["d00", "d01", "d02"], "p_fdr"], stats.false_discovery_control(raw)
    )
    assert table["change_class"].to_dict() == {
        "d00": UP,
        "d01": NO_CHANGE,
        "d02": DOWN,
        "d03": NOT_TESTED,
    }
    assert not table.loc["d03", "tested"] and np.isnan(table.loc["d03", "p_value"])
    assert np.isnan(table.loc["d03", "change_pct"])
    assert table.loc["d00", "change_pct"] == pytest.approx(1.0)


def test_district_share_changes_against_scipy_chi_square():
    shares = pd.DataFrame(
        {
            "district_id": ["a", "b", "c"],
            "value": [0.70, 0.88, 0.9],
            "n": [400, 300, 10],
            "previous_value": [0.80, 0.87, 0.5],
            "previous_n": [420, 310, 0],
        }
    )
    out = district_share_changes(shares, min_respondents=30).set_index("district_id")
    for d in ("a", "b"):
        row = shares.set_index("district_id").loc[d]
        yes = [row["value"] * row["n"], row["previous_value"] * row["previous_n"]]
        no = [row["n"] - yes[0], row["previous_n"] - yes[1]]
        chi = stats.chi2_contingency(np.array([yes, no]), correction=False)
        assert out.loc[d, "p_value"] == pytest.approx(chi.pvalue, rel=1e-9)
    assert out.loc["a", "change_class"] == DOWN
    assert out.loc["b", "change_class"] == NO_CHANGE
    assert out.loc["c", "change_class"] == NOT_TESTED
    assert out.loc["a", "change_pp"] == pytest.approx(-10.0)
    with pytest.raises(UsageError, match=r"shares mangler kolonnen 'previous_n'"):
        district_share_changes(shares.drop(columns="previous_n"))
