"""The demo data: deterministic, realistic Aalborg, covering every indicator of the registry."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import shapely

from tryg_geo.compute.registry import all_indicators
from tryg_geo.compute.registry_model import CATEGORIES
from tryg_geo.demo.common import DEMO_WARNING, to_utm
from tryg_geo.demo.districts import DISTRICTS
from tryg_geo.demo.make import make_demo
from tryg_geo.store.folder import Store
from tryg_geo.store.schema import COLUMNS
from tryg_geo.store.schema import LOCAL_KINDS as KINDS  # what demodata makes

N = 5_000
REAL_DISTRICTS = [
    "Aalborg Midtby",
    "Vestbyen",
    "Kærby",
    "Grønlandskvarteret",
    "Hasseris",
    "Mølholm",
    "Sofiendal",
    "Skalborg",
    "Vejgaard",
    "Nørre Tranders",
    "Smedegård",
    "Tornhøj",
    "Universitetsområdet",
    "Gug",
    "Gistrup",
    "Klarup",
    "Nørresundby Midtby",
    "Løvvangen",
    "Lindholm",
    "Nørre Uttrup",
]
NORTH = {"noerresundby-midtby", "loevvangen", "lindholm", "noerre-uttrup"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, dict]:
    store = Store(tmp_path_factory.mktemp("demo"))
    return store, make_demo(store, incidents=N)


@pytest.fixture(scope="module")
def store(demo: tuple[Store, dict]) -> Store:
    return demo[0]


@pytest.fixture(scope="module")
def incidents(store: Store) -> pd.DataFrame:
    return store.read("incidents")


@pytest.fixture(scope="module")
def measurements(store: Store) -> pd.DataFrame:
    return store.read("measurements")


@pytest.fixture(scope="module")
def places(store: Store):
    return store.read("places").set_index("place_id")


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    if "geometry" in a:
        assert shapely.equals_exact(a.geometry.to_numpy(), b.geometry.to_numpy(), 0).all()
        a, b = a.drop(columns="geometry"), b.drop(columns="geometry")
    pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b))


# --- determinism ------------------------------------------------------------------------------


def test_same_seed_gives_identical_tables(store: Store, tmp_path) -> None:
    again = Store(tmp_path / "again")
    make_demo(again, incidents=N)
    for kind in KINDS:
        _same(store.read(kind), again.read(kind))


def test_other_seed_gives_other_tables(store: Store, tmp_path) -> None:
    other = Store(tmp_path / "other")
    make_demo(other, incidents=N, seed=7)
    for kind in ("incidents", "measurements"):
        a, b = store.read(kind), other.read(kind)
        assert len(a) != len(b) or not a.equals(b), kind
    assert not np.array_equal(store.read("incidents")["x"], other.read("incidents")["x"])


# --- districts and places ---------------------------------------------------------------------


def test_districts_are_real_aalborg_districts(store: Store) -> None:
    districts = store.read("districts")
    assert list(districts.columns) == list(COLUMNS["districts"])
    assert len(districts) >= 20
    assert set(REAL_DISTRICTS) <= set(districts["name"])
    for slug in districts["district_id"]:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
    assert {"aalborg-midtby", "noerresundby-midtby", "vejgaard"} <= set(districts["district_id"])
    population = districts.set_index("district_id")["population"]
    assert str(population.dtype) == "Int64"
    assert population["vejgaard"] == 14_800
    assert population.sum() == pytest.approx(222_600, rel=0.01)


def test_districts_tile_without_overlap(store: Store) -> None:
    districts = store.read("districts")
    assert districts.crs.to_epsg() == 25832
    assert (districts.geom_type == "MultiPolygon").all()
    assert districts.is_valid.all()
    union = shapely.union_all(districts.geometry.to_numpy())
    assert districts.area.sum() == pytest.approx(union.area, rel=1e-9)
    # Every district holds its own real centre.
    by_id = districts.set_index("district_id").geometry
    for d in DISTRICTS:
        x, y = to_utm(d.lon, d.lat)
        assert by_id[d.district_id].contains(shapely.Point(float(x), float(y))), d.district_id


def test_the_fjord_splits_aalborg_from_noerresundby(store: Store, places) -> None:
    districts = store.read("districts").set_index("district_id")
    fjord = places.geometry["limfjorden"]
    assert districts.intersection(fjord).area.max() < 1.0  # nobody owns the water
    _, fjord_y = map(float, to_utm(9.92, 57.0545))  # the fjord between the two town centres
    assert districts.geometry["noerresundby-midtby"].bounds[1] > fjord_y
    assert districts.geometry["aalborg-midtby"].bounds[3] < fjord_y
    # The way from a northern district to the Midtby (and from the southern town centres to
    # Nørresundby) crosses the water.
    centre = {d.district_id: shapely.Point(*map(float, to_utm(d.lon, d.lat))) for d in DISTRICTS}
    for d in DISTRICTS:
        other = "aalborg-midtby" if d.district_id in NORTH else "noerresundby-midtby"
        if d.district_id in NORTH | {"aalborg-midtby", "vejgaard", "hasseris"}:
            path = shapely.LineString([centre[d.district_id], centre[other]])
            assert path.intersects(fjord), d.district_id


def test_places_are_the_known_places(places) -> None:
    expected = {
        "nytorv": "torv",
        "gammeltorv": "torv",
        "cw-obels-plads": "plads",
        "jf-kennedys-plads": "plads",
        "jomfru-ane-gade": "nattelivszone",
        "havnefronten": "havnefront",
        "kildeparken": "park",
        "limfjorden": "vand",
    }
    assert places["kind"].to_dict() == expected
    assert places.crs.to_epsg() == 25832
    zone = places.geometry["jomfru-ane-gade"]
    assert zone.contains(shapely.Point(555_702, 6_323_433))  # Jomfru Ane Gade, DOMAIN.md
    assert 30_000 < zone.area < 200_000  # a few hundred metres across
    assert (
        places.geometry["nytorv"].distance(shapely.Point(*map(float, to_utm(9.9214, 57.0486)))) == 0
    )


# --- incidents --------------------------------------------------------------------------------


def test_incident_columns_and_dtypes(incidents: pd.DataFrame) -> None:
    assert list(incidents.columns) == list(COLUMNS["incidents"])
    assert len(incidents) == N
    assert incidents["incident_id"].is_unique
    assert incidents["incident_id"].str.fullmatch(r"D\d{7}").all()
    assert incidents["time"].dtype.kind == "M"
    assert incidents["time"].min() >= pd.Timestamp("2015-01-01")
    assert incidents["time"].max() < pd.Timestamp("2026-01-01")
    assert incidents["time"].is_monotonic_increasing
    for column in ("category", "district_id", "cell_100m", "source", "initiative"):
        assert isinstance(incidents[column].dtype, pd.CategoricalDtype), column
    assert set(incidents["category"].cat.categories) == set(CATEGORIES)
    assert incidents["category"].notna().all()
    for column in ("x", "y"):
        assert incidents[column].dtype == np.float64
    for column in ("hour", "weekday"):
        assert incidents[column].dtype == np.int8
    assert (incidents["source"] == "Nordjyllands Politi").all()
    assert incidents["initiative"].isna().mean() > 0.9
    assert incidents["cell_100m"].str.fullmatch(r"100m_\d{5}_\d{4}").all()


def test_night_violence_peaks_friday_saturday_near_jomfru_ane_gade(
    incidents: pd.DataFrame, places
) -> None:
    vold = incidents[incidents["category"] == "vold"]
    grid = pd.crosstab(vold["weekday"], vold["hour"]).reindex(
        index=range(7), columns=range(24), fill_value=0
    )
    # Friday and Saturday nights: the hours 00-04 of Saturday (5) and Sunday (6).
    weekend_nights = grid.loc[[5, 6], 0:3].to_numpy()
    rest = grid.to_numpy().sum() - weekend_nights.sum()
    assert weekend_nights.mean() > 5 * rest / (7 * 24 - 8)
    busiest = grid.stack().idxmax()
    assert busiest[0] in (5, 6) and busiest[1] < 4
    night = vold[vold["weekday"].isin([5, 6]) & (vold["hour"] < 4)]
    zone = places.geometry["jomfru-ane-gade"]
    assert shapely.contains_xy(zone, night["x"], night["y"]).mean() > 0.5
    day = vold[vold["hour"].between(9, 16)]
    assert shapely.contains_xy(zone, day["x"], day["y"]).mean() < 0.2


def test_burglary_is_residential_and_falling(incidents: pd.DataFrame, store: Store) -> None:
    burglary = incidents[incidents["category"] == "indbrud i beboelse"]
    population = store.read("districts").set_index("district_id")["population"].astype(float)
    rate = (
        burglary["district_id"].value_counts().reindex(population.index, fill_value=0) / population
    )
    assert rate[["hasseris", "gug", "gistrup", "klarup"]].mean() > 1.5 * rate["aalborg-midtby"]
    years = burglary["time"].dt.year
    assert (years <= 2017).sum() > (years >= 2023).sum()
    assert burglary["hour"].between(8, 18).mean() > 0.6


def test_some_incidents_lie_outside_every_district(incidents: pd.DataFrame, demo) -> None:
    outside = int(incidents["district_id"].isna().sum())
    assert 0 < outside < 0.01 * N
    assert demo[1]["incidents"]["outside_districts"] == outside


# --- measurements -----------------------------------------------------------------------------


def test_measurement_columns_and_periods(measurements: pd.DataFrame) -> None:
    assert list(measurements.columns) == list(COLUMNS["measurements"])
    assert str(measurements["n"].dtype) == "Int64"
    assert measurements["value"].dtype == np.float64
    assert (measurements["period_end"] > measurements["period_start"]).all()
    assert not measurements.duplicated(["area_id", "period", "indicator"]).any()
    q3 = measurements[measurements["period"] == "2024-Q3"]
    assert len(q3)
    assert (q3["period_start"] == pd.Timestamp("2024-07-01")).all()
    assert (q3["period_end"] == pd.Timestamp("2024-10-01")).all()
    assert measurements["period"].str.fullmatch(r"\d{4}(-Q[1-4]|-\d{2})?").all()


def test_every_registry_indicator_has_rows(measurements: pd.DataFrame, store: Store) -> None:
    district_ids = set(store.read("districts")["district_id"])
    by_name = measurements.groupby("indicator")["area_id"].agg(set)
    for _, ind in all_indicators():
        if ind.source == "incidents":
            continue
        assert ind.measurement_name in by_name, ind.id
        areas = by_name[ind.measurement_name]
        if ind.source == "place_observation":
            assert set(ind.places) <= areas, ind.id
        elif ind.area == "district":
            assert district_ids <= areas, ind.id
        else:
            assert "kommune" in areas, ind.id


def test_values_fit_their_units(measurements: pd.DataFrame) -> None:
    units = {}
    for _, ind in all_indicators():
        if ind.source != "incidents":
            units.setdefault(ind.measurement_name, ind.unit)
    for name, rows in measurements.groupby("indicator"):
        unit = units.get(name, "andel")
        values = rows["value"]
        assert values.notna().all() and (values >= 0).all(), name
        if unit == "andel":
            assert values.le(1).all(), name
            assert rows["n"].notna().all(), name
        if unit in ("antal", "personer", "timer"):
            assert (values == values.round()).all(), name


def test_tryghed_survey_is_realistic(measurements: pd.DataFrame) -> None:
    tryg = measurements[measurements["indicator"] == "tryg_andel"]
    assert set(tryg["period"]) == {str(y) for y in range(2015, 2026)}
    kommune = tryg[tryg["area_id"] == "kommune"]
    assert kommune["value"].between(0.85, 0.95).all()
    assert kommune["n"].between(1_300, 1_700).all()
    assert kommune["value"].iloc[-3:].mean() > kommune["value"].iloc[:3].mean()  # upward drift
    loevvangen = tryg[tryg["area_id"] == "loevvangen"]["value"]
    assert loevvangen.median() < kommune["value"].median()
    assert (tryg["n"] < 30).any()  # the small-n flag has something to show
    assert "tillid_politi_andel" in set(measurements["indicator"])


def test_targets_are_met_by_some_and_missed_by_others(measurements: pd.DataFrame) -> None:
    outcome = []
    for _, ind in all_indicators():
        if ind.target is None or ind.source == "incidents":
            continue
        rows = measurements[measurements["indicator"] == ind.measurement_name]
        if (rows["area_id"] == "kommune").any():
            rows = rows[rows["area_id"] == "kommune"]
        last = rows.sort_values("period_start").groupby("area_id")["value"].last().mean()
        outcome.append(last >= ind.target if ind.higher_is_better else last <= ind.target)
    assert any(outcome) and not all(outcome)


# --- metadata ---------------------------------------------------------------------------------


def test_everything_is_marked_demo(store: Store, demo) -> None:
    assert store.is_demo()
    reports = demo[1]
    assert set(reports) == set(KINDS)
    for kind in KINDS:
        assert store.meta(kind)["demo"] is True
        assert DEMO_WARNING in reports[kind]["warnings"]
        assert reports[kind]["file"] == "demo"
        assert reports[kind]["rejected"] == 0
        assert reports[kind]["accepted"] == store.meta(kind)["rows"]
