"""DDKN cells, district assignment on boundaries and import-time enrichment."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import box

from tryg_geo.errors import UsageError
from tryg_geo.geo.enrich import enrich_incidents, outside_count
from tryg_geo.geo.grid import cell_names, cell_polygon, cell_size
from tryg_geo.geo.spatial import assign_districts
from tryg_geo.store.schema import COLUMNS

# Jomfru Ane Gade, Aalborg (EPSG:25832).
E, N = 555_702, 6_323_433


def districts() -> gpd.GeoDataFrame:
    """D2 | D1 side by side (shared edge x = 555 700), D3 above both; file order not by id."""
    return gpd.GeoDataFrame(
        {"district_id": ["D2", "D1", "D3"], "name": ["Vest", "Øst", "Nord"]},
        geometry=[
            box(555600, 6323400, 555700, 6323500),
            box(555700, 6323400, 555800, 6323500),
            box(555600, 6323500, 555800, 6323600),
        ],
        crs="EPSG:25832",
    )


# ---- DDKN -----------------------------------------------------------------------------------------
def test_jomfru_ane_gade_cell():
    assert list(cell_names(np.array([E]), np.array([N]))) == ["100m_63234_5557"]


@pytest.mark.parametrize(
    ("size", "name"),
    [
        ("100m", "100m_63234_5557"),
        ("250m", "250m_25293_2222"),
        ("1km", "1km_6323_555"),
        ("10km", "10km_632_55"),
    ],
)
def test_cell_names_for_every_size(size, name):
    assert list(cell_names(np.array([E]), np.array([N]), size)) == [name]


def test_cell_edges_belong_to_the_cell_to_the_north_east():
    x = np.array([555700.0, 555699.999, 555799.999])
    y = np.array([6323400.0, 6323399.999, 6323499.999])
    assert list(cell_names(x, y)) == ["100m_63234_5557", "100m_63233_5556", "100m_63234_5557"]


def test_missing_coordinates_give_missing_cells():
    names = cell_names(np.array([E, np.nan, E, np.inf]), np.array([N, N, np.nan, N]))
    assert names[0] == "100m_63234_5557"
    assert pd.isna(names[1]) and pd.isna(names[2]) and pd.isna(names[3])
    assert len(cell_names(np.array([]), np.array([]))) == 0


def test_cell_names_accept_read_only_arrays():
    x, y = np.array([E, E + 100.0]), np.array([N, N])
    x.setflags(write=False)
    y.setflags(write=False)
    assert list(cell_names(x, y)) == ["100m_63234_5557", "100m_63234_5558"]


def test_cell_polygon_round_trip():
    assert cell_polygon("100m_63234_5557").bounds == (555700.0, 6323400.0, 555800.0, 6323500.0)
    assert cell_polygon("1km_6323_555").bounds == (555000.0, 6323000.0, 556000.0, 6324000.0)
    name = cell_names(np.array([E]), np.array([N]), "250m")[0]
    assert cell_polygon(name).contains(gpd.points_from_xy([E], [N])[0])


@pytest.mark.parametrize("name", ["63234_5557", "100m_abc_5557", "100m-63234-5557", ""])
def test_bad_cell_names(name):
    with pytest.raises(UsageError, match="er ikke et DDKN-navn som '100m_63234_5557'"):
        cell_polygon(name)


def test_cell_name_with_unknown_size():
    with pytest.raises(UsageError, match="Ukendt cellestørrelse '5m'"):
        cell_polygon("5m_1_2")


def test_cell_size():
    assert [cell_size(s) for s in ("100m", "250m", "1km", "10km")] == [100, 250, 1000, 10000]
    with pytest.raises(UsageError, match="Ukendt cellestørrelse '500m'"):
        cell_size("500m")


def test_250m_cells_are_named_from_coordinates():
    # 250 m is not a multiple of 100 m: a 250 m cell is not a union of 100 m cells.
    x, y = np.array([555_740.0, 555_760.0]), np.array([6_323_433.0, 6_323_433.0])
    assert list(cell_names(x, y, "100m")) == ["100m_63234_5557", "100m_63234_5557"]
    assert list(cell_names(x, y, "250m")) == ["250m_25293_2222", "250m_25293_2223"]


# ---- districts ------------------------------------------------------------------------------------
def test_shared_boundary_goes_to_lowest_district_id():
    x = np.array([555700, 555650, 555750, 555700, 555650, 555700, 556000, np.nan])
    y = np.array([6323450, 6323450, 6323450, 6323500, 6323500, 6323600, 6324000, N])
    ids = assign_districts(x, y, districts())
    assert [None if pd.isna(v) else v for v in ids] == [
        "D1",  # edge D1|D2
        "D2",
        "D1",
        "D1",  # corner of all three
        "D2",  # edge D2|D3
        "D3",  # outer edge of D3
        None,  # outside every district
        None,  # no coordinates
    ]
    assert list(ids.categories) == ["D1", "D2", "D3"]


def test_assignment_does_not_depend_on_file_order():
    x = np.array([555700.0, 555700.0])
    y = np.array([6323450.0, 6323500.0])
    shuffled = districts().iloc[[2, 0, 1]]
    assert list(assign_districts(x, y, shuffled)) == list(assign_districts(x, y, districts()))


def incident_frame(points: list[tuple[float, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "incident_id": [str(i) for i in range(len(points))],
            "time": pd.to_datetime(["2024-06-07 23:30"] * len(points)),
            "category": ["vold"] * len(points),
            "x": [p[0] for p in points],
            "y": [p[1] for p in points],
            "source": ["Politi"] * len(points),
            "initiative": [None] * len(points),
        }
    )


def test_enrich_adds_district_cell_hour_weekday():
    out = enrich_incidents(incident_frame([(555750, 6323450), (E - 1000, N)]), districts())
    assert [None if pd.isna(v) else v for v in out["district_id"]] == ["D1", None]
    assert out["cell_100m"].astype(str).tolist() == ["100m_63234_5557", "100m_63234_5547"]
    assert out["hour"].tolist() == [23, 23]
    assert out["weekday"].tolist() == [4, 4]  # Friday
    assert outside_count(out) == 1
    assert tuple(out.columns) == COLUMNS["incidents"]


def test_enrich_without_districts_counts_everything_outside():
    out = enrich_incidents(incident_frame([(E, N)] * 3), None)
    assert outside_count(out) == 3
    assert isinstance(out["district_id"].dtype, pd.CategoricalDtype)


def test_distinct_cells_without_sorting_equal_numpy_unique():
    from tryg_geo.geo.grid import _distinct

    rng = np.random.default_rng(3)
    cases = [
        (rng.integers(63_000, 63_400, 5_000), rng.integers(5_400, 5_700, 5_000)),  # a kommune
        (rng.integers(-3, 4, 500), rng.integers(-20, 20, 500)),  # negative indices
        (rng.integers(0, 10, 50), np.array([0, 900_000] * 25)),  # a box far larger: sorted
        (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)),
    ]
    for north, east in cases:
        north, east = north.astype(np.int64), east.astype(np.int64)
        keys = north * 1_000_000 + east
        unique, inverse = _distinct(north, east, keys)
        expected_unique, expected_inverse = np.unique(keys, return_inverse=True)
        np.testing.assert_array_equal(unique, expected_unique)
        np.testing.assert_array_equal(inverse, expected_inverse)
