"""The Knox table against a brute-force count over all pairs."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from analysis_data import X0, Y0, dataset, raw_incidents, square_districts

from tryg_geo.analysis.near_repeat import (
    KnoxTable,
    event_words,
    knox_test,
    near_repeat_table,
)
from tryg_geo.errors import UsageError

SPACE = (100.0, 200.0, 400.0, 800.0)
TIME = (7, 14, 28, 56)


def _brute_table(x, y, days, space=SPACE, time=TIME) -> np.ndarray:
    """Every pair i < j, binned with explicit half-open comparisons (no searchsorted)."""
    s_edges = [0.0, *space, np.inf]
    t_edges = [0, *time, np.inf]
    table = np.zeros((len(s_edges) - 1, len(t_edges) - 1), dtype=np.int64)
    n = len(x)
    for a in range(n):
        for b in range(a + 1, n):
            d = np.hypot(x[a] - x[b], y[a] - y[b])
            lag = abs(int(days[a]) - int(days[b]))
            s = next(k for k in range(len(s_edges) - 1) if s_edges[k] <= d < s_edges[k + 1])
            t = next(k for k in range(len(t_edges) - 1) if t_edges[k] <= lag < t_edges[k + 1])
            table[s, t] += 1
    return table


def _events(n: int = 200, seed: int = 4):
    """Burglaries with near repeats: half of them follow another within 60 m and a few days."""
    rng = np.random.default_rng(seed)
    half = n // 2
    x = rng.uniform(0, 3_000, half)
    y = rng.uniform(0, 2_000, half)
    days = rng.integers(0, 365, half)
    x = np.concatenate([x, x + rng.normal(0, 40, n - half)])
    y = np.concatenate([y, y + rng.normal(0, 40, n - half)])
    days = np.concatenate([days, days + rng.integers(0, 6, n - half)])
    return X0 + x, Y0 + y, days


def test_observed_equals_brute_force_and_expected_follows_the_same_permutations():
    x, y, days = _events()
    table = knox_test(x, y, days, permutations=49, seed=7)
    brute = _brute_table(x, y, days)
    np.testing.assert_array_equal(table.observed, brute)
    assert table.observed.sum() == len(x) * (len(x) - 1) // 2 == table.pairs
    # Expected and p from brute-force permuted tables with the documented generator.
    rng = np.random.default_rng(7)
    sims = np.array([_brute_table(x, y, days[rng.permutation(len(x))]) for _ in range(49)])
    np.testing.assert_allclose(table.expected, sims.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(table.p_value, (1 + (sims >= brute).sum(axis=0)) / 50)
    # The planted near repeats: far more close pairs than expected, as significant as 49 allows.
    assert table.ratio[0, 0] > 3
    assert table.p_value[0, 0] == pytest.approx(1 / 50)


def test_expected_is_close_to_the_exact_permutation_mean():
    """Under permuted dates the expected count of a cell is (space pairs × time pairs) / pairs."""
    x, y, days = _events(seed=11)
    table = knox_test(x, y, days, permutations=999, seed=3)
    brute = _brute_table(x, y, days)
    exact = np.outer(brute.sum(axis=1), brute.sum(axis=0)) / brute.sum()
    np.testing.assert_allclose(table.expected, exact, rtol=0.08, atol=1.0)


def test_band_edges_are_half_open():
    # Pairs at exactly 100 m and exactly 7 days belong to [100, 200) and [7, 14).
    x = np.array([0.0, 100.0, 0.0, 0.0])
    y = np.array([0.0, 0.0, 5_000.0, 5_000.0 + 99.999])
    days = np.array([0, 7, 100, 106])
    table = knox_test(X0 + x, Y0 + y, days, permutations=1)
    assert table.observed[1, 1] == 1  # 100 m, 7 days
    assert table.observed[0, 0] == 1  # 99,999 m, 6 days
    assert table.observed[-1].sum() == 4  # the other pairs are 5 km apart
    frame = table.frame()
    assert list(frame.columns) == [
        "space_from_m",
        "space_to_m",
        "time_from_days",
        "time_to_days",
        "observed",
        "expected",
        "knox_ratio",
        "p_value",
    ]
    assert len(frame) == 25
    open_space = frame["space_from_m"] == 800
    assert frame.loc[open_space, "space_to_m"].isna().all()
    assert frame.loc[~open_space, "space_to_m"].notna().all()
    open_time = frame["time_from_days"] == 56
    assert frame.loc[open_time, "time_to_days"].isna().all() and open_time.sum() == 5


def test_reading_is_computed_from_the_table():
    observed = np.zeros((5, 5), dtype=np.int64)
    expected = np.ones((5, 5))
    p = np.full((5, 5), 0.5)
    observed[0, 0], expected[0, 0], p[0, 0] = 38, 10.0, 0.001
    observed[1, 1], expected[1, 1], p[1, 1] = 30, 20.0, 0.01
    table = KnoxTable(SPACE, TIME, observed, expected, p, 999, 1, 500)
    text = table.reading(*event_words(["indbrud i beboelse"]))
    assert text.startswith(
        "Efter et indbrud er risikoen for et nyt indbrud inden for 100 m de næste 7 dage "
        "3,8 gange det forventede"
    )
    assert "p = 0,001" in text
    assert "også ved: 100–200 m og 7–14 dage." in text
    p[0, 0] = 0.3
    quiet = KnoxTable(SPACE, TIME, observed, expected, p, 999, 1, 500).reading()
    assert "Efter en hændelse" in quiet and "kan skyldes tilfældigheder (p = 0,300)" in quiet
    # More raised cells than are listed: the list ends in "…", never "…." (found in trial).
    twice = np.full((5, 5), 20, dtype=np.int64)  # every cell 2 × the expected 10, p = 0,001
    many = KnoxTable(SPACE, TIME, twice, np.full((5, 5), 10.0), np.full((5, 5), 0.001), 999, 1, 500)
    crowded = many.reading()
    assert crowded.endswith(" …") and "…." not in crowded, crowded


def test_too_few_events_give_an_empty_table_and_a_sentence():
    table = knox_test([X0], [Y0], [3], permutations=9)
    assert table.observed.sum() == 0
    assert "for få hændelser" in table.reading()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"space": (200, 100)}, r"space=\[200, 100\].*voksende positive tal i meter"),
        ({"space": ()}, r"space=\[\].*fx 100,200,400,800"),
        ({"time": (7, 3.5)}, r"time=\[7, 3.5\].*hele positive antal dage"),
        ({"time": (0, 7)}, r"time=\[0, 7\]"),
        ({"permutations": 0}, r"permutations=0.*fra 1 til 99999"),
    ],
)
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(UsageError, match=match):
        knox_test([X0, X0], [Y0, Y0], [0, 1], **kwargs)


def test_inputs_must_match():
    with pytest.raises(UsageError, match=r"x, y og days har 2, 2 og 1 værdier"):
        knox_test([X0, X0], [Y0, Y0], [0])
    with pytest.raises(UsageError, match=r"days har typen float64"):
        knox_test([X0, X0], [Y0, Y0], [0.5, 1.0])


def test_near_repeat_on_a_dataset_uses_local_dates_filters_and_districts():
    districts = square_districts(2, 1)
    xs = [X0 + 100, X0 + 130, X0 + 1_500, X0 + 1_530, X0 + 100, X0 + 100]
    ys = [Y0 + 100] * 4 + [Y0 + 5_000, Y0 + 100]
    when = [
        "2024-03-01 23:50",
        "2024-03-02 00:10",  # 20 minutes later but the next local date: lag 1 day
        "2024-03-01 12:00",
        "2024-03-20 12:00",
        "2024-03-01 12:00",  # outside every district: not an event
        "2023-03-01 12:00",  # before the period
    ]
    cats = ["indbrud i beboelse"] * 5 + ["indbrud i beboelse"]
    ds = dataset(districts, raw_incidents(xs, ys, when, cats))
    table = near_repeat_table(
        ds, start=date(2024, 1, 1), end=date(2024, 12, 31), permutations=19, seed=2
    )
    assert table.events == 4
    assert table.observed[0, 0] == 1  # 30 m, 1 day
    assert table.observed[0, 2] == 1  # 30 m, 19 days
    one = near_repeat_table(ds, start=date(2024, 1, 1), end=date(2024, 12, 31), district="d01")
    assert one.events == 2 and one.observed[0, 2] == 1
    assert (
        near_repeat_table(ds, start=date(2024, 1, 1), end=date(2024, 12, 31), district="d01") is one
    )
    none = near_repeat_table(ds, categories=("vold",))
    assert none.events == 0
    with pytest.raises(UsageError, match=r"district='x'"):
        near_repeat_table(ds, district="x")


def test_too_many_close_pairs_are_refused_before_they_are_listed():
    x, y, days = _events(n=60)
    table = knox_test(x, y, days, permutations=1)
    close = int(table.observed[:-1].sum())
    assert knox_test(x, y, days, permutations=1, max_pairs=close).observed.sum() > 0
    with pytest.raises(UsageError, match=rf"{close} par af 60 hændelser.*højst {close - 1}"):
        knox_test(x, y, days, permutations=1, max_pairs=close - 1)


def test_the_quick_floor_of_close_pairs_never_exceeds_the_count_and_refuses_without_it():
    from tryg_geo.analysis.near_repeat import _close_pairs_at_least

    x, y, days = _events(n=200)
    brute = _brute_table(x, y, days)
    close = int(brute[:-1].sum()) + int(
        sum(  # pairs at exactly the largest distance are close for the count too
            np.isclose(np.hypot(x[a] - x[b], y[a] - y[b]), SPACE[-1])
            for a in range(len(x))
            for b in range(a + 1, len(x))
        )
    )
    floor = _close_pairs_at_least(x, y, SPACE[-1])
    assert 0 < floor <= close
    # Piled-up events: the floor alone is too many, and the message says "at least".
    same = np.full(40, X0), np.full(40, Y0), np.arange(40)
    with pytest.raises(UsageError, match=r"mindst 780 par af 40 hændelser.*højst 100"):
        knox_test(*same, permutations=1, max_pairs=100)


def test_a_refused_table_is_kept_and_refused_again_with_the_same_message(monkeypatch):
    import tryg_geo.analysis.near_repeat as near_repeat

    xs = [X0 + 100 + 10 * k for k in range(30)]
    ds = dataset(square_districts(2, 1), raw_incidents(xs, [Y0 + 100] * 30, ["2024-03-01"] * 30))
    calls = []
    real = near_repeat.knox_test

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **{**kwargs, "max_pairs": 10})

    monkeypatch.setattr(near_repeat, "knox_test", counted)
    messages = []
    for _ in range(2):
        with pytest.raises(UsageError) as caught:
            near_repeat_table(ds, permutations=1)
        messages.append(caught.value.message)
    assert len(calls) == 1  # the refusal is kept per data version, not computed again
    assert messages[0] == messages[1] and "højst 10" in messages[0]
