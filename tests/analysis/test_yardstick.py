"""A chosen district against the rest of the kommune and the districts most like it."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest

from tryg_geo.analysis.yardstick import (
    LIKE,
    NOT_TESTED,
    WHOLE,
    district_yardstick,
    similar_districts,
)
from tryg_geo.compute.privacy import hidden_text, threshold
from tryg_geo.compute.stats import benjamini_hochberg, count_change_p
from tryg_geo.store.dataset import Dataset
from tryg_geo.views.registry import default_filters
from tryg_geo.views.yardstick import HIDDEN_RATE, yardstick_part


@pytest.fixture(scope="module")
def chosen(demo_ds: Dataset) -> str:
    return next(i for i, name in demo_ds.district_names.items() if name == "Aalborg Midtby")


def test_the_test_is_the_change_test_with_population_shares(demo_ds: Dataset, chosen: str) -> None:
    f = default_filters(demo_ds)
    found = district_yardstick(demo_ds, chosen, start=f.start, end=f.end)
    table = found.table.set_index("comparison")
    own = table.loc["Området"]
    assert list(table.index) == ["Området", WHOLE, LIKE]
    p = [
        count_change_p(
            int(own["incidents"]),
            int(table.loc[row, "incidents"]),
            expected_share=own["population"] / (own["population"] + table.loc[row, "population"]),
        )
        for row in (WHOLE, LIKE)
    ]
    assert table.loc[[WHOLE, LIKE], "p_value"].tolist() == pytest.approx(p)
    assert table.loc[[WHOLE, LIKE], "p_fdr"].tolist() == pytest.approx(benjamini_hochberg(p))
    # The whole kommune is every other district with a population.
    others = demo_ds.population.drop(chosen)
    assert table.loc[WHOLE, "population"] == others[others > 0].sum()
    assert own["incidents_per_1000"] == pytest.approx(own["incidents"] / own["population"] * 1000)


def test_similar_districts_by_population_and_density_or_by_group(demo_ds: Dataset, chosen) -> None:
    similar, by = similar_districts(demo_ds, chosen)
    assert len(similar) == 3 and chosen not in similar and by == "befolkning og tæthed"
    districts = demo_ds.districts.copy()
    ids = districts["district_id"].astype(str)
    group = np.where(ids.isin([chosen, ids.iloc[-1]]), "midtby", None)
    grouped = replace(demo_ds, districts=districts.assign(group=group))
    assert similar_districts(grouped, chosen) == ([ids.iloc[-1]], "gruppe")


def test_small_counts_are_neither_shown_nor_tested(demo_ds: Dataset, chosen: str) -> None:
    f = default_filters(demo_ds)
    # The first day (going back from the end) on which the district has 1–4 incidents.
    for back in range(60):
        day = f.end - timedelta(days=back)
        found = district_yardstick(demo_ds, chosen, start=day, end=day)
        if 0 < found.table["incidents"].iloc[0] < threshold():
            break
    else:
        pytest.fail("no day with a small count in 60 days of demo data")
    assert set(found.table["difference_class"].iloc[1:]) == {NOT_TESTED}
    assert found.table["p_value"].isna().all()
    part = yardstick_part(demo_ds, f.with_(start=day, end=day, district=chosen))
    assert part.display["Hændelser"].iloc[0] == hidden_text()
    assert part.display["Pr. 1.000 indbyggere"].iloc[0] == HIDDEN_RATE
    assert part.sentences == []


def test_the_part_is_shown_only_for_a_chosen_district(demo_ds: Dataset, chosen: str) -> None:
    f = default_filters(demo_ds)
    assert yardstick_part(demo_ds, f) is None
    part = yardstick_part(demo_ds, f.with_(district=chosen))
    assert part.title == "Aalborg Midtby sammenlignet: hændelser pr. 1.000 indbyggere"
    assert list(part.display.columns) == [
        "Sammenligning", "Områder", "Hændelser", "Pr. 1.000 indbyggere", "Forskel",
    ]  # fmt: skip
    assert part.sentences and "Poisson" in part.note


def test_the_group_column_of_the_districts_file_is_kept_and_used(tmp_path) -> None:
    from tryg_geo.demo.districts import make_districts
    from tryg_geo.ingest.importer import import_file
    from tryg_geo.store.dataset import load_dataset
    from tryg_geo.store.folder import Store

    districts = make_districts().head(6)
    districts["sammenlign"] = ["midtby", "midtby", "midtby", "", "forstad", "forstad"]
    path = tmp_path / "omraader.geojson"
    districts.to_crs(4326).to_file(path, driver="GeoJSON")
    import_file("districts", path, store=Store(tmp_path / "data"))
    ds = load_dataset(Store(tmp_path / "data"))
    ids = list(ds.districts["district_id"])
    assert ds.districts["group"].isna().tolist() == [False, False, False, True, False, False]
    assert similar_districts(ds, ids[0]) == ([ids[1], ids[2]], "gruppe")
    assert similar_districts(ds, ids[3])[1] == "befolkning og tæthed"  # no group: by likeness


@pytest.mark.parametrize(
    ("populations", "says"),
    [
        ((None, None, None), "områdefilen har ingen kolonne med folketal"),
        ((10_000, None, 2_000), "området Beta har intet folketal i områdefilen"),
    ],
)
def test_without_population_the_part_says_why_and_what_to_import(
    tmp_path, monkeypatch, populations, says
) -> None:
    """A chosen district without population gets no silent gap: one Danish line says why
    and which column to import (the README's population aliases and --population-col)."""
    import pandas as pd
    import tiny_data
    from tiny_data import X0, Y0, incidents_at

    from tryg_geo.compute.filters import Filters

    districts = tiny_data.districts()
    districts["population"] = pd.array(list(populations), dtype="Int64")
    monkeypatch.setattr(tiny_data, "districts", lambda: districts)
    ds = tiny_data.build(
        tmp_path,
        incidents=[incidents_at(20, when="2025-03-01 12:00", where=(X0 + 1_300, Y0 + 300))],
        with_places=False,
    )
    filters = Filters(
        start=pd.Timestamp("2025-01-01").date(), end=pd.Timestamp("2025-12-31").date()
    )
    part = yardstick_part(ds, filters.with_(district="b"))
    assert part is not None and part.display.empty and part.sentences == []
    assert part.missing.startswith("Sammenligning pr. 1.000 indbyggere kræver folketal")
    assert says in part.missing
    assert "befolkning" in part.missing and "--population-col" in part.missing
    assert "import districts" in part.missing
    assert yardstick_part(ds, filters) is None  # no district chosen: nothing at all
