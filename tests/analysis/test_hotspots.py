"""Gi* hotspots against PySAL's esda and libpysal, on cells and districts."""

from __future__ import annotations

from datetime import date

import esda
import geopandas as gpd
import libpysal
import numpy as np
import pytest
import shapely
from analysis_data import X0, Y0, dataset, raw_incidents, square_districts

from tryg_geo.analysis.hotspots import (
    HOTSPOT_CLASSES,
    NOT_SIGNIFICANT,
    cell_hotspots,
    coarser_advice,
    district_hotspots,
    gi_star,
    hotspot_classes,
    two_sided_p,
)
from tryg_geo.analysis.study_grid import cell_weights, district_weights, study_grid
from tryg_geo.errors import UsageError
from tryg_geo.store.schema import STORE_CRS


def _l_shape() -> shapely.Geometry:
    """An L of 100 m cells with a hole-like notch: irregular neighbourhoods at the edges."""
    return shapely.union_all(
        [
            shapely.box(X0, Y0, X0 + 1_200, Y0 + 500),
            shapely.box(X0, Y0 + 500, X0 + 400, Y0 + 1_100),
        ]
    )


def _libpysal_queen_with_self(grid) -> libpysal.weights.W:
    """Independent weights: libpysal's Queen contiguity of the cells' squares, plus self."""
    squares = [
        shapely.box(c * grid.metres, r * grid.metres, (c + 1) * grid.metres, (r + 1) * grid.metres)
        for r, c in zip(grid.rows, grid.cols, strict=True)
    ]
    frame = gpd.GeoDataFrame(geometry=squares, crs=STORE_CRS)
    w = libpysal.weights.Queen.from_dataframe(frame, use_index=False, silence_warnings=True)
    return libpysal.weights.fill_diagonal(w, 1.0)


def test_cell_weights_equal_libpysal_queen_with_self():
    grid = study_grid(_l_shape(), "100m")
    assert len(grid.rows) == 12 * 5 + 4 * 6
    ours = grid.weights.toarray()
    theirs = _libpysal_queen_with_self(grid).full()[0]
    np.testing.assert_array_equal(ours, theirs)
    # Outer corners 4, edges 6, the inner corner of the L 8 and its sides 7, inner cells 9.
    assert sorted(set(ours.sum(axis=1).astype(int))) == [4, 6, 7, 8, 9]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gi_star_equals_esda_g_local_star_binary(seed):
    grid = study_grid(_l_shape(), "100m")
    rng = np.random.default_rng(seed)
    x = rng.poisson(1.5, len(grid.rows)).astype("float64")
    x[:6] += 12  # a cluster at the south-west corner
    w = _libpysal_queen_with_self(grid)
    expected = esda.G_Local(x, w, transform="B", star=True, permutations=0).Zs
    np.testing.assert_allclose(gi_star(x, grid.weights), expected, rtol=1e-10, atol=1e-12)


def test_gi_star_equals_esda_on_a_full_lattice_from_lat2w():
    """Weights built by libpysal's lattice code, not ours: rows and cols in lat2W's order."""
    rows, cols = np.divmod(np.arange(7 * 9), 9)
    w = libpysal.weights.fill_diagonal(libpysal.weights.lat2W(7, 9, rook=False), 1.0)
    x = np.random.default_rng(5).gamma(2.0, 3.0, 63)
    expected = esda.G_Local(x, w, transform="B", star=True, permutations=0).Zs
    np.testing.assert_allclose(gi_star(x, cell_weights(rows, cols)), expected, rtol=1e-10)


def test_gi_star_is_nan_when_undefined_and_checks_shape():
    grid = study_grid(_l_shape(), "100m")
    assert np.isnan(gi_star(np.zeros(len(grid.rows)), grid.weights)).all()
    with pytest.raises(UsageError, match=r"weights har formen \(84, 84\).*3 værdier"):
        gi_star(np.ones(3), grid.weights)


def test_two_sided_p_and_classes_by_hand():
    z = np.array([3.0, 2.0, 1.7, 0.5, -1.7, -2.0, -3.0, np.nan])
    p = two_sided_p(z)
    np.testing.assert_allclose(p[:3], [0.0026998, 0.0455003, 0.0891309], rtol=1e-5)
    assert list(hotspot_classes(z, p)) == [
        "Hot spot 99 %",
        "Hot spot 95 %",
        "Hot spot 90 %",
        NOT_SIGNIFICANT,
        "Cold spot 90 %",
        "Cold spot 95 %",
        "Cold spot 99 %",
        NOT_SIGNIFICANT,
    ]
    assert set(hotspot_classes(z, p)) <= set(HOTSPOT_CLASSES)


def _cluster_dataset():
    """Three 1 km districts; a burglary cluster in one 100 m cell of the first, a spread of
    single incidents elsewhere, and incidents outside every district that must not count."""
    districts = square_districts(3, 1)
    rng = np.random.default_rng(3)
    xs, ys, when = [], [], []
    for _ in range(40):  # cluster around (X0 + 450, Y0 + 450)
        xs.append(X0 + 450 + rng.uniform(-40, 40))
        ys.append(Y0 + 450 + rng.uniform(-40, 40))
        when.append("2024-03-01 12:00")
    for _ in range(60):  # background all over the three districts
        xs.append(X0 + rng.uniform(0, 3_000))
        ys.append(Y0 + rng.uniform(0, 1_000))
        when.append("2024-05-01 12:00")
    for _ in range(30):  # outside (north of) every district, in 2024
        xs.append(X0 + 450)
        ys.append(Y0 + 1_450)
        when.append("2024-03-01 12:00")
    xs.append(X0 + 2_500)  # one in 2023, filtered away by the period
    ys.append(Y0 + 500)
    when.append("2023-03-01 12:00")
    return dataset(districts, raw_incidents(xs, ys, when))


def test_cell_hotspots_study_area_values_and_classes():
    ds = _cluster_dataset()
    result = cell_hotspots(ds, start=date(2024, 1, 1), end=date(2024, 12, 31), size="100m")
    table = result.table
    assert len(table) == 300  # 3 km² of 100 m cells whose centres lie inside
    assert result.incidents == 100 == table["incidents"].sum()  # not the 30 outside, nor 2023
    hot = table.loc[table["cell_id"] == "100m_63224_5544"]
    assert hot["incidents"].item() >= 30
    assert hot["hotspot_class"].item() == "Hot spot 99 %"
    # Same z as esda on the same values (the end-to-end numbers, not only the formula).
    w = _libpysal_queen_with_self(study_grid(shapely.box(X0, Y0, X0 + 3_000, Y0 + 1_000), "100m"))
    expected = esda.G_Local(
        table["incidents"].to_numpy(float), w, transform="B", star=True, permutations=0
    ).Zs
    np.testing.assert_allclose(table["gi_z"], expected, rtol=1e-10)
    # FDR: classes come from the adjusted p-values, which are never below the raw ones.
    assert (table["p_fdr"] >= table["p_value"] - 1e-15).all()
    raw = cell_hotspots(ds, start=date(2024, 1, 1), end=date(2024, 12, 31), size="100m", fdr=False)
    n_sig = lambda r: (r.table["hotspot_class"] != NOT_SIGNIFICANT).sum()  # noqa: E731
    assert n_sig(raw) >= n_sig(result)
    assert "Benjamini–Hochberg" in result.summary()
    assert "uden korrektion" in raw.summary()


def test_cell_hotspots_one_district_and_other_sizes():
    ds = _cluster_dataset()
    one = cell_hotspots(ds, district="d00", size="250m")
    assert len(one.table) == 16
    assert one.incidents == ds.arrays.district.tolist().count(ds.arrays.district_ids.index("d00"))
    km = cell_hotspots(ds, size="1km")
    assert list(km.table["cell_id"]) == ["1km_6322_554", "1km_6322_555", "1km_6322_556"]
    assert km.table["incidents"].sum() == 101


def test_public_table_hides_small_counts_and_detail():
    ds = _cluster_dataset()
    result = cell_hotspots(ds, start=date(2024, 1, 1), end=date(2024, 12, 31), size="100m")
    leader = result.public_table(detail=False)
    assert "gi_z" not in leader and "p_value" not in leader and "p_fdr" not in leader
    shown = leader["incidents"].dropna()
    assert ((shown == 0) | (shown >= 5)).all()
    assert leader["incidents_suppressed"].sum() > 0
    analyst = result.public_table(detail=True)
    assert {"gi_z", "p_value", "p_fdr", "hotspot_class"} <= set(analyst.columns)
    assert analyst["incidents"].isna().sum() == leader["incidents_suppressed"].sum()


def test_wrong_size_and_district_are_named():
    ds = _cluster_dataset()
    with pytest.raises(UsageError, match=r"cell='500m'.*100m, 250m, 1km"):
        cell_hotspots(ds, size="500m")
    with pytest.raises(UsageError, match=r"district='nowhere'.*d00"):
        cell_hotspots(ds, district="nowhere")


def test_results_are_cached_per_filter():
    ds = _cluster_dataset()
    a = cell_hotspots(ds, size="100m", categories=("indbrud i beboelse",))
    assert cell_hotspots(ds, size="100m", categories=("indbrud i beboelse",)) is a
    assert cell_hotspots(ds, size="100m") is not a


def test_district_weights_equal_libpysal_queen_and_gi_equals_esda():
    districts = square_districts(4, 3)
    ours = district_weights(districts).toarray()
    w = libpysal.weights.Queen.from_dataframe(districts, use_index=False, silence_warnings=True)
    w = libpysal.weights.fill_diagonal(w, 1.0)
    np.testing.assert_array_equal(ours, w.full()[0])
    rng = np.random.default_rng(9)
    n = 400
    xs = X0 + rng.uniform(0, 4_000, n)
    ys = Y0 + rng.uniform(0, 3_000, n)
    ds = dataset(districts, raw_incidents(xs, ys, ["2024-01-01"] * n))
    result = district_hotspots(ds)
    assert result.basis == "pr_1000"
    table = result.table
    pop = np.arange(1, 13) * 1_000
    np.testing.assert_allclose(table["incidents_per_1000"], table["incidents"] / pop * 1_000)
    expected = esda.G_Local(
        table["incidents_per_1000"].to_numpy(), w, transform="B", star=True, permutations=0
    ).Zs
    np.testing.assert_allclose(table["gi_z"], expected, rtol=1e-10)


def test_district_hotspots_on_counts_without_population_and_touching_with_a_gap():
    districts = square_districts(2, 1, population=False)
    # A hairline gap (0.3 m) between the two squares still makes them neighbours.
    districts.loc[1, "geometry"] = shapely.MultiPolygon(
        [shapely.box(X0 + 1_000.3, Y0, X0 + 2_000, Y0 + 1_000)]
    )
    assert district_weights(districts).toarray().tolist() == [[1, 1], [1, 1]]
    ds = dataset(districts, raw_incidents([X0 + 10] * 7, [Y0 + 10] * 7, ["2024-01-01"] * 7))
    result = district_hotspots(ds)
    assert result.basis == "antal"
    assert result.table["incidents"].tolist() == [7, 0]


def test_night_window_counts_only_night_incidents():
    districts = square_districts(1, 1)
    when = ["2024-03-01 23:30"] * 6 + ["2024-03-01 12:00"] * 9  # a Friday
    ds = dataset(districts, raw_incidents([X0 + 50] * 15, [Y0 + 50] * 15, when))
    night = cell_hotspots(ds, size="1km", night=((4, 5), 22, 6))
    assert night.incidents == 6
    assert cell_hotspots(ds, size="1km").incidents == 15


def test_sparse_cells_carry_a_warning_dense_ones_do_not():
    ds = _cluster_dataset()
    sparse = cell_hotspots(ds, size="100m")
    assert sparse.sparse_note and sparse.sparse_note.endswith(
        "Vælg større celler (250m) eller en længere periode."
    )
    assert cell_hotspots(ds, size="1km").sparse_note is None


def test_the_advice_never_names_the_cell_size_already_chosen():
    """The next larger size of CELL_CHOICES, and at the largest only a longer period."""
    assert coarser_advice("100m") == "Vælg større celler (250m) eller en længere periode."
    assert coarser_advice("250m") == "Vælg større celler (1km) eller en længere periode."
    assert coarser_advice("1km") == "Vælg en længere periode."
    assert coarser_advice(None, "flere kategorier") == (
        "Vælg flere kategorier eller en længere periode."
    )


def test_study_cell_lookup_equals_a_binary_search_in_the_sorted_keys():
    from shapely.geometry import Polygon

    from tryg_geo.analysis.study_grid import KEY, study_grid

    area = Polygon([(X0, Y0), (X0 + 3_000, Y0), (X0 + 1_500, Y0 + 2_600)])  # cells missing
    rng = np.random.default_rng(5)
    x = np.concatenate([rng.uniform(X0 - 800, X0 + 3_800, 4_000), [np.nan, X0 + 10]])
    y = np.concatenate([rng.uniform(Y0 - 800, Y0 + 3_400, 4_000), [Y0 + 10, np.inf]])
    for size in ("100m", "250m", "1km"):
        grid = study_grid(area, size)
        keys = grid.keys
        wanted = np.floor_divide(np.nan_to_num(y), grid.metres).astype(np.int64) * KEY
        wanted += np.floor_divide(np.nan_to_num(x), grid.metres).astype(np.int64)
        pos = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        expected = np.where(np.isfinite(x) & np.isfinite(y) & (keys[pos] == wanted), pos, -1)
        np.testing.assert_array_equal(grid.index_of(x, y), expected)
        assert (expected >= 0).any() and (expected < 0).any()


def test_incidents_in_cells_whose_centre_is_outside_are_counted_and_said():
    """One district 1.4 km wide: the second 1 km cell's centre (1.5 km) lies outside it, so its
    incidents inside the district fall out of the study; they are counted, not those outside
    every district, and the note says how many and what share (the trial lost 5.8 % silently)."""
    from tryg_geo.analysis.study_grid import outside_note
    from tryg_geo.compute.privacy import threshold

    district = square_districts(columns=1)
    district["geometry"] = [shapely.MultiPolygon([shapely.box(X0, Y0, X0 + 1_400, Y0 + 1_000)])]
    xs = [X0 + 500] * 30 + [X0 + 1_200] * 10 + [X0 + 1_800] * 4  # in, cut off, outside
    ds = dataset(district, raw_incidents(xs, [Y0 + 500] * 44, ["2024-05-01 12:00"] * 44))
    result = cell_hotspots(ds, size="1km")
    assert (result.incidents, result.outside) == (30, 10)
    assert outside_note(result.outside, result.incidents) == (
        "10 hændelser (25,0 %) ligger i celler, hvis midtpunkt er uden for områderne, og indgår "
        "ikke: kun celler med midtpunkt inde i områderne er med, så en celle, der mest ligger i "
        "vandet eller uden for områderne, ikke ligner et coldspot."
    )
    assert outside_note(0, 30) is None
    hidden = outside_note(threshold() - 1, 30)
    assert hidden is not None and "%" not in hidden  # a share would tell the hidden count


def test_signs_are_the_classes_rule_and_p_is_scipys_normal_tail() -> None:
    """The emerging hot spots' signs say what the class names say; the tails are scipy's."""
    from scipy import stats

    from tryg_geo.analysis.hotspots import (
        NOT_SIGNIFICANT,
        hotspot_classes,
        significant_signs,
        two_sided_p,
    )

    rng = np.random.default_rng(3)
    z = rng.normal(0, 2, 2_000)
    z[:20] = np.nan
    z[20:30] = 0.0
    p = two_sided_p(z)
    np.testing.assert_allclose(p[30:], 2 * stats.norm.sf(np.abs(z[30:])), rtol=1e-12)
    assert np.isnan(p[:20]).all()
    classes = hotspot_classes(z, p)
    expected = np.where(classes != NOT_SIGNIFICANT, np.sign(np.nan_to_num(z)), 0)
    assert (significant_signs(z, p) == expected).all()
    assert set(np.unique(significant_signs(z, p))) == {-1, 0, 1}
