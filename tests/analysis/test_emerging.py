"""Emerging hot spots checked independently: Gi* per step with esda, Mann–Kendall with
pymannkendall, and ArcGIS's pattern definitions written out again here, one location at a time,
on a fixture whose designed blocks have known answers."""

from __future__ import annotations

import esda
import geopandas as gpd
import libpysal
import numpy as np
import pandas as pd
import pymannkendall
import pytest
import shapely
from analysis_data import X0, Y0, dataset, raw_incidents
from scipy import stats

from tryg_geo.analysis.emerging import (
    MIN_STEPS,
    PATTERN_BY_KEY,
    PATTERNS,
    emerging_hotspots,
    mann_kendall,
)
from tryg_geo.errors import UsageError
from tryg_geo.store.schema import STORE_CRS

STEPS, SIDE, CELL = 12, 18, 250.0
QUARTERS = pd.period_range("2022Q1", periods=STEPS, freq="Q")
#: The centre cell (row, col) of each designed 3 × 3 block and the pattern it must get.
BLOCKS: dict[tuple[int, int], str] = {
    (1, 1): "new_hot",
    (1, 4): "consecutive_hot",
    (1, 7): "intensifying_hot",
    (1, 10): "persistent_hot",
    (4, 1): "diminishing_hot",
    (4, 4): "sporadic_hot",
    (4, 7): "oscillating_hot",
    (4, 10): "historical_hot",
    (7, 1): "new_cold",
    (7, 4): "persistent_cold",
    (7, 7): "consecutive_cold",
    (7, 10): "historical_cold",
    (10, 1): "none",
    (10, 4): "none",
}
BASE, HOT, SEED = 8, 10, 0


def _counts() -> np.ndarray:
    """Incidents per cell (row, col) and quarter: Poisson background, designed blocks."""
    counts = np.random.default_rng(SEED).poisson(BASE, (SIDE, SIDE, STEPS))
    t = np.arange(STEPS)
    for (r, c), design in BLOCKS.items():
        block = counts[r - 1 : r + 2, c - 1 : c + 2]  # a view: edits land in counts
        strong = int(1.5 * HOT)
        every = list(range(STEPS))
        shape, _, side = design.partition("_")
        heat = {
            "new": [11],
            "consecutive": [9, 10, 11],
            "persistent": every,
            "sporadic": [2, 6, 11],
            "oscillating": [5, 11],
            "historical": every[:-1],
        }
        cool = {"new": [11], "persistent": every, "consecutive": [8, 9, 10, 11]}
        if side == "hot" and shape in heat:
            block[:, :, heat[shape]] += strong
        if shape == "intensifying":
            block += (HOT * (1.0 + 0.08 * t)).astype(int)
        if shape == "diminishing":
            block += (HOT * (1.9 - 0.08 * t)).astype(int)
        if shape == "oscillating":
            block[:, :, [1, 3]] = 0
        if side == "cold":
            block[:, :, cool.get(shape, every[:-1])] = 0
    return counts


@pytest.fixture(scope="module")
def fixture():
    counts = _counts()
    rows, cols, steps = np.nonzero(counts)
    n = counts[rows, cols, steps]
    rows, cols, steps = (np.repeat(a, n) for a in (rows, cols, steps))
    days = np.arange(len(rows)) % 90  # spread over each quarter: the data cover every day
    when = QUARTERS[steps].start_time + pd.to_timedelta(days, unit="D")
    raw = raw_incidents(
        X0 + (cols + 0.5) * CELL, Y0 + (rows + 0.5) * CELL, when, category="indbrud i beboelse"
    )
    area = shapely.MultiPolygon([shapely.box(X0, Y0, X0 + SIDE * CELL, Y0 + SIDE * CELL)])
    districts = gpd.GeoDataFrame(
        {"district_id": ["d"], "name": ["Området"], "population": pd.array([1000], "Int64")},
        geometry=[area],
        crs=STORE_CRS,
    )
    ds = dataset(districts, raw)
    return ds, counts


def _expected_pattern(sig: list[int], s: float, p: float, alpha: float = 0.05) -> str:
    """ArcGIS's definitions, one location at a time, written independently of the package."""
    n = len(sig)
    for side, sign in (("hot", 1), ("cold", -1)):
        this = [v == sign for v in sig]
        other = [v == -sign for v in sig]
        if not this[-1]:
            continue
        count = sum(this)
        most = count / n >= 0.9 - 1e-12
        run = 0
        for v in reversed(this):
            if not v:
                break
            run += 1
        up = p < alpha and (s > 0 if sign > 0 else s < 0)
        down = p < alpha and (s < 0 if sign > 0 else s > 0)
        if count == 1:
            return f"new_{side}"
        if run >= 2 and count == run and not most:
            return f"consecutive_{side}"
        if most and up:
            return f"intensifying_{side}"
        if most and not up and not down:
            return f"persistent_{side}"
        if most and down:
            return f"diminishing_{side}"
        if not most and not any(other):
            return f"sporadic_{side}"
        return f"oscillating_{side}"
    for side, sign in (("hot", 1), ("cold", -1)):
        if sum(v == sign for v in sig) / n >= 0.9 - 1e-12:
            return f"historical_{side}"
    return "none"


def test_every_location_follows_from_esda_and_pymannkendall(fixture):
    ds, counts = fixture
    result = emerging_hotspots(ds, step="quarter", unit="cell", size="250m")
    assert result.periods == tuple(f"{q.year}-Q{q.quarter}" for q in QUARTERS)
    assert len(result.ids) == SIDE * SIDE
    # Independent weights: libpysal's queen lattice plus self, in the grid's row-major order.
    w = libpysal.weights.fill_diagonal(libpysal.weights.lat2W(SIDE, SIDE, rook=False), 1.0)
    values = counts.reshape(SIDE * SIDE, STEPS).astype("float64")
    z = np.column_stack(
        [
            esda.G_Local(values[:, t], w, transform="B", star=True, permutations=0).Zs
            for t in range(STEPS)
        ]
    )
    np.testing.assert_allclose(result.z, z, rtol=1e-9, atol=1e-12)
    significance = np.zeros_like(z, dtype=int)
    for t in range(STEPS):
        p_fdr = stats.false_discovery_control(2 * stats.norm.sf(np.abs(z[:, t])))
        significance[:, t] = np.where(p_fdr < 0.10, np.sign(z[:, t]), 0)
    np.testing.assert_array_equal(result.significance, significance)
    table = result.table(detail=True)
    expected = []
    for i in range(len(values)):
        mk = pymannkendall.original_test(z[i])
        assert table["mk_s"][i] == mk.s
        assert result.trend.p[i] == pytest.approx(mk.p, abs=1e-12)
        assert result.trend.tau[i] == pytest.approx(mk.Tau, abs=1e-12)
        expected.append(_expected_pattern(list(significance[i]), mk.s, mk.p))
    assert list(result.category) == expected
    # The designed blocks have the known answers (and the fixture meets every shape above).
    known = {design: result.category[r * SIDE + c] for (r, c), design in BLOCKS.items()}
    assert known == {design: design for design in BLOCKS.values()}
    assert table["category"][0] == PATTERN_BY_KEY[result.category[0]].name


def test_mann_kendall_with_ties_and_gaps_matches_pymannkendall():
    rng = np.random.default_rng(7)
    series = rng.integers(0, 4, (40, 15)).astype("float64")  # many ties
    series[3, [2, 9]] = np.nan
    series[5] = 2.0  # all tied: S = 0, p = 1
    ours = mann_kendall(series)
    for i, row in enumerate(series):
        theirs = pymannkendall.original_test(row)
        assert ours.s[i] == theirs.s
        assert ours.var_s[i] == pytest.approx(theirs.var_s)
        assert ours.z[i] == pytest.approx(theirs.z)
        assert ours.p[i] == pytest.approx(theirs.p)


def test_fewer_than_eight_steps_is_a_danish_message(fixture):
    ds, _ = fixture
    with pytest.raises(UsageError, match=rf"mindst {MIN_STEPS} perioder.*giver kun 3"):
        emerging_hotspots(ds, step="year")
    with pytest.raises(
        UsageError, match=r"^step='uge' er ikke tilladt; vælg month, quarter eller year\.$"
    ):
        emerging_hotspots(ds, step="uge")


def test_patterns_are_one_registry_hot_and_cold_alike():
    keys = [p.key for p in PATTERNS]
    assert len(keys) == len(set(keys)) == 17
    assert {p.side for p in PATTERNS} == {"hot", "cold", ""}
    names = {p.key: p.name for p in PATTERNS}
    assert names["new_hot"] == "Ny hotspot" and names["persistent_hot"] == "Vedvarende hotspot"
    assert names["none"] == "Intet mønster"
    assert len({p.colour for p in PATTERNS}) == 17


def test_districts_and_cache(fixture):
    ds, _ = fixture
    first = emerging_hotspots(ds, step="month", unit="district")
    assert first is emerging_hotspots(ds, step="month", unit="district")  # cached
    assert len(first.periods) == 36 and list(first.ids) == ["d"]
    assert first.table(detail=False).columns.tolist() == [
        "location_id",
        "location_name",
        "category",
        "category_key",
        "hot_steps",
        "cold_steps",
    ]
