"""Cells as map features in one place (views/cell_features.py): the first cells each a
feature, the rest one shape per class, the hidden cells one grey shape; no second copy."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import shapely

from tryg_geo.compute.breaks import SUPPRESSED_COLOR
from tryg_geo.views import cell_features as cf
from tryg_geo.views.cell_features import (
    CellClass,
    by_class,
    cell_features,
    count_cell_features,
    with_hidden_cells,
)

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / "tryg_geo" / "views" / "cell_features.py"


def squares(n: int) -> np.ndarray:
    """``n`` touching unit squares in a row (a coverage, as grid cells are)."""
    return np.array([shapely.box(i, 0, i + 1, 1) for i in range(n)], dtype=object)


def test_the_first_cells_keep_a_popup_and_the_rest_merge_per_class(monkeypatch):
    monkeypatch.setattr(cf, "MAX_CELL_FEATURES", 2)
    asked = []

    def labels(positions: np.ndarray) -> list[str]:
        asked.extend(positions.tolist())
        return [f"celle {i}" for i in positions]

    classes = {
        "varm": CellClass("#aa0000", "klasse-1", "Øvrige celler: varm", "varm"),
        "kold": CellClass("#0000aa", "klasse-2", "Øvrige celler: kold", "kold"),
    }
    groups = np.array(["kold", "varm", "varm", "kold", "varm"], dtype=object)
    ids = [f"c{i}" for i in range(5)]
    features = cell_features(ids, squares(5), groups, labels, classes)

    assert asked == [0, 1]  # texts only for the cells drawn one by one
    # The merged shapes first (beneath), in the order of the classes, then the first cells.
    assert features["feature_id"].tolist() == ["klasse-1", "klasse-2", "c0", "c1"]
    assert features["color"].tolist() == ["#aa0000", "#0000aa", "#0000aa", "#aa0000"]
    assert features["label"].tolist() == ["varm", "kold", "celle 0", "celle 1"]
    assert features.geometry.iloc[0].equals(
        shapely.union(shapely.box(2, 0, 3, 1), shapely.box(4, 0, 5, 1))
    )
    assert features.geometry.iloc[1].equals(shapely.box(3, 0, 4, 1))


def test_counted_cells_busiest_first_with_the_legend_words(monkeypatch):
    monkeypatch.setattr(cf, "MAX_CELL_FEATURES", 2)
    monkeypatch.setenv("TRYG_MIN_COUNT", "7")
    entries = [("#c6dbef", "5 – 7"), ("#08519c", "8 – 14")]
    values = np.array([6.0, 14.0, 5.0, 9.0])
    features = count_cell_features(
        np.array(["a", "b", "c", "d"]), squares(4), values, np.array([0, 1, 0, 1]), entries, None
    )
    assert features["feature_id"].tolist() == ["klasse-1", "b", "d"]
    assert features["label"].tolist() == [
        "5 – 7 hændelser pr. celle",
        "14 hændelser",
        "9 hændelser",
    ]
    assert features["name"].iloc[0] == "Celler i klassen 5 – 7"
    assert features["color"].tolist() == ["#c6dbef", "#08519c", "#08519c"]


def test_every_class_by_index_with_the_words_of_the_classes_that_hold_cells():
    ramp = by_class([], 3, "blues")
    assert [w for _, w in ramp] == ["", "", ""] and len({c for c, _ in ramp}) == 3
    entries = [(ramp[2][0], "8 – 14")]
    assert by_class(entries, 3, "blues")[2] == (ramp[2][0], "8 – 14")


def test_hidden_cells_are_grey_shapes_worded_from_the_setting(monkeypatch):
    """Small counts read "<10"; cells hidden only to protect them read "skjult" (they hold
    no small count): two grey shapes, each worded from the threshold setting."""
    monkeypatch.setenv("TRYG_MIN_COUNT", "10")
    entries = [("#08519c", "10 – 12")]
    one = (np.array(["a"]), squares(1), np.array([12.0]), np.array([0]), entries)
    features = count_cell_features(*one, None)
    assert features["feature_id"].tolist() == ["a"]
    assert with_hidden_cells(features, None) is features
    both = count_cell_features(*one, shapely.box(5, 0, 6, 1), shapely.box(7, 0, 8, 1))
    assert both["feature_id"].tolist() == ["skjulte-celler", "skjulte-celler-total", "a"]
    assert (both["color"].iloc[:2] == SUPPRESSED_COLOR).all()
    assert both["name"].iloc[0] == "Celler med færre end 10 hændelser"
    assert both["label"].iloc[0] == "<10 hændelser pr. celle"
    assert both["label"].iloc[1].startswith("skjult") and "<10" not in both["label"].iloc[1]


@pytest.mark.parametrize(
    "copy",
    [
        r"MAX_\w*FEATURES\s*=",  # the limit
        r"[\"']skjulte-celler[\"']",  # the grey shape of hidden cells
        r"~top\s*&",  # merging the cells beyond the first
    ],
)
def test_cell_features_are_built_in_one_place(copy):
    found = []
    for path in sorted((ROOT / "tryg_geo").rglob("*.py")):
        if path == HOME:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(copy, line) and not line.lstrip().startswith("#"):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_many_hidden_cells_are_covered_by_coarser_grey_squares():
    """Natteliv's grey shape: its own squares for a few hidden cells; beyond the first limit
    the 250 m squares each hidden cell touches (a 100 m cell can straddle two), beyond the
    second 1 km squares — every hidden cell stays wholly grey, with far fewer corners."""
    import pandas as pd

    from tryg_geo.geo.grid import cell_polygon, covering_cells
    from tryg_geo.views import natteliv

    assert covering_cells(["100m_0_0"], "250m") == ["250m_0_0"]
    assert covering_cells(["100m_2_7"], "250m") == [  # 200–300 m × 700–800 m
        "250m_0_2",
        "250m_0_3",
        "250m_1_2",
        "250m_1_3",
    ]
    assert covering_cells(["100m_63234_5557", "100m_63239_5551"], "1km") == ["1km_6323_555"]
    # The same as working it out cell by cell from the squares' own corners.
    some = [f"100m_{a}_{b}" for a, b in np.random.default_rng(3).integers(0, 900, size=(300, 2))]
    by_hand = {
        f"250m_{n // 250}_{e // 250}"
        for cell in some
        for n in (int(cell.split("_")[1]) * 100, int(cell.split("_")[1]) * 100 + 99)
        for e in (int(cell.split("_")[2]) * 100, int(cell.split("_")[2]) * 100 + 99)
    }
    assert covering_cells(some, "250m") == sorted(
        by_hand, key=lambda s: tuple(map(int, s.split("_")[1:]))
    )

    class Grid:  # the squares in metres, as Dataset.cell_shapes gives them in lon/lat
        def cell_shapes(self, names):
            return np.array([cell_polygon(n) for n in names], dtype=object)

    rng = np.random.default_rng(7)
    (few, _), (more, _) = natteliv.HIDDEN_SQUARES
    for n, corners_at_most in ((few, None), (more, 0.6), (more + 1, 0.1)):
        cells = {f"100m_{a}_{b}" for a, b in rng.integers(0, 400, size=(n * 2, 2))}
        ids = pd.Series(sorted(cells)[:n])
        own = Grid().cell_shapes(list(ids))
        grey = natteliv._hidden_area(Grid(), "100m", ids, own)
        assert all(grey.covers(square) for square in own)
        own_corners = shapely.get_num_coordinates(shapely.coverage_union_all(own))
        if corners_at_most is None:  # its own squares, exactly
            assert grey.equals(shapely.coverage_union_all(own))
        else:
            assert shapely.get_num_coordinates(grey) <= corners_at_most * own_corners


def test_the_grey_250m_squares_are_made_with_the_first_250m_squares(demo_ds):
    """Every 250 m square a 100 m cell with incidents touches is made with the size's first
    squares (the warm-up): the grey of a filter change never reprojects in a rerun (PROJ sets
    itself up again in each new thread: ~150 ms)."""
    from tryg_geo import cache
    from tryg_geo.geo.grid import covering_cells

    touched = covering_cells(demo_ds.arrays.cell_names, "250m")
    demo_ds.cell_shapes(touched[:1])
    made = cache.peek(demo_ds, "cell_shapes", "250m")
    assert set(touched) <= set(made)


def test_the_page_says_when_the_grey_is_coarser_than_the_cells():
    """Natteliv's note: only when hidden cells are drawn as larger squares, naming the size
    each grey shape uses; never for few hidden cells or for 1 km cells."""
    import pandas as pd

    from tryg_geo.views import natteliv

    (few, _), (more, _) = natteliv.HIDDEN_SQUARES

    def table(small: int, protecting: int) -> pd.DataFrame:
        n = small + protecting + 10
        return pd.DataFrame(
            {
                "suppressed": [True] * (small + protecting) + [False] * 10,
                "complementary": [False] * small + [True] * protecting + [False] * 10,
            },
            index=range(n),
        )

    assert natteliv._grey_note(table(few, few), "100m") is None
    note = natteliv._grey_note(table(few + 1, 3), "100m")
    assert "250 m-kvadrater" in note and "km" not in note and "større end" in note
    both = natteliv._grey_note(table(more + 1, few + 1), "100m")
    assert "250 m-kvadrater og 1 km-kvadrater" in both
    assert natteliv._grey_note(table(more + 1, 0), "1km") is None  # 1 km cells stay themselves
    assert "1 km-kvadrater" in natteliv._grey_note(table(more + 1, 0), "250m")
