"""Overblik: 17 indsatser at a glance, the tryghed map and the significant-only highlights."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import tiny_data
from tiny_data import incidents_at, measurement

from tryg_geo.compute.filters import Filters
from tryg_geo.compute.registry import load_initiatives
from tryg_geo.views.model import View
from tryg_geo.views.overblik import TABLE_COLUMNS, overblik_view

IN_C = (tiny_data.X0 + 2_300, tiny_data.Y0 + 300)
YEAR = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31))
COUNT_UNITS = ("antal", "personer", "pr_1000")


def assert_no_small_counts(view: View) -> None:
    table = view.table
    counts = table[table["unit"].isin(("antal", "personer"))]
    for column in ("value", "previous_value"):
        values = counts[column].dropna().to_numpy()
        assert not ((values >= 1) & (values < 5)).any(), column
    if view.map is not None:
        assert not tiny_data.small_counts_in_text(
            label.split("(")[0] for label in view.map.features["label"]
        )


def test_empty_store_gives_all_17_without_data(tmp_path):
    ds = tiny_data.build(tmp_path)
    view = overblik_view(ds, YEAR)
    assert view.key == "overblik" and view.demo
    assert list(view.table.columns) == TABLE_COLUMNS
    assert len(view.table) == 17 and len(view.display) == 17 and len(view.trends) == 17
    assert set(view.table["status"]) == {"ingen data"}
    assert view.map is None and any("Kortet mangler" in n for n in view.notes)
    assert view.highlights == [
        "Der er endnu ikke tal nok til at sammenligne med samme periode sidste år."
    ]
    assert view.links == [(i.title, f"indsats/{i.slug}") for i in load_initiatives()]
    assert "Demodata" in view.source
    assert {"Seneste", "Ændring", "Status"} <= set(view.display.columns)


def test_highlights_only_significant_and_rest_within_normal_variation(tmp_path):
    frames = [
        incidents_at(40, when="2025-06-14 01:00", where="jomfru-ane-gade"),
        incidents_at(20, when="2024-06-15 01:00", where="jomfru-ane-gade"),
    ]
    rows = [
        measurement("redningshaendelser_havn", "havnefronten", f"{y}-{m:02d}", v)
        for y, v in ((2024, 9), (2025, 10))
        for m in range(1, 13)
    ]
    ds = tiny_data.build(tmp_path, incidents=frames, measurements=rows)
    view = overblik_view(ds, YEAR)
    assert len(view.highlights) == 2
    first = view.highlights[0]
    assert first.startswith("Et trygt natteliv")
    assert "100 % flere end samme periode sidste år (en forværring)" in first
    assert "normale variation" in view.highlights[1]
    assert not any("havnefronten" in h for h in view.highlights)
    table = view.table.set_index("slug")
    assert table.loc["et-trygt-natteliv", "significant"]
    assert table.loc["et-trygt-natteliv", "change"] == 1.0
    assert table.loc["sikkerhed-paa-havnefronten", "value"] == 120
    assert not table.loc["sikkerhed-paa-havnefronten", "significant"]
    assert view.kpis[2].value == "1"


def test_suppressed_headline_count_and_its_change(tmp_path):
    frames = [
        incidents_at(3, when="2025-06-14 01:00", where="jomfru-ane-gade"),
        incidents_at(30, when="2024-06-15 01:00", where="jomfru-ane-gade"),
    ]
    ds = tiny_data.build(tmp_path, incidents=frames)
    view = overblik_view(ds, YEAR)
    row = view.table.set_index("slug").loc["et-trygt-natteliv"]
    assert row["suppressed"] and np.isnan(row["value"]) and np.isnan(row["change"])
    shown = view.display.set_index("Indsats").loc["Et trygt natteliv"]
    assert shown["Seneste"] == "<5" and shown["Ændring"] == "–"
    assert not any(h.startswith("Et trygt natteliv") for h in view.highlights)
    assert_no_small_counts(view)
    spark = next(t for t in view.trends if t.title == "Et trygt natteliv")
    assert not ((spark.data["value"] >= 1) & (spark.data["value"] < 5)).any()


def test_map_latest_year_small_n_flag_and_status(tmp_path):
    rows = [
        measurement("tryg_andel", "a", "2024", 0.80, 300),
        measurement("tryg_andel", "a", "2025", 0.873, 214),
        measurement("tryg_andel", "b", "2025", 0.75, 20),
        measurement("tryg_andel", "kommune", "2024", 0.85, 900),
        measurement("tryg_andel", "kommune", "2025", 0.91, 900),
    ]
    ds = tiny_data.build(tmp_path, measurements=rows)
    view = overblik_view(ds, YEAR.with_(district="a"))
    feats = view.map.features.set_index("feature_id")
    assert feats.loc["a", "label"] == "87,3 % (n=214)"
    assert feats.loc["b", "label"] == "75,0 % (n=20) (usikker: n<30)"
    assert feats.loc["c", "label"] == "Ingen data"
    assert view.map.legend.title.endswith("2025")
    assert view.map.selected == "a"
    table = view.table.set_index("slug")
    assert table.loc["tryg-bydel", "status"] == "på sporet"
    assert table.loc["tryg-bydel", "significant"]  # 85 % → 91 % with 900 answers each
    assert table.loc["tryg-bydel", "change_unit"] == "procentpoint"
    assert any("procentpoint højere" in h for h in view.highlights)


def test_demo_overblik(demo_ds):
    from tryg_geo.views.registry import default_filters

    view = overblik_view(demo_ds, default_filters(demo_ds))
    assert len(view.table) == 17 and view.demo and "Demodata" in view.source
    assert view.map is not None and len(view.map.features) > 10
    assert 1 <= len(view.highlights) <= 6
    assert_no_small_counts(view)
    for trend in view.trends:
        assert list(trend.data.columns) == ["period", "series", "value"]


def test_map_counts_burglaries_when_districts_have_no_population(tmp_path, monkeypatch):
    # The trial: postal areas without population and police burglaries, no survey. The rate
    # per 1 000 has no value anywhere, so the map counts the burglaries and says why.
    plain = tiny_data.districts
    monkeypatch.setattr(
        tiny_data, "districts", lambda: plain().assign(population=pd.array([None] * 3, "Int64"))
    )
    frames = [
        incidents_at(40, category="indbrud i beboelse", when="2025-03-01 12:00"),
        incidents_at(12, category="indbrud i beboelse", when="2025-03-01 12:00", where=IN_C),
    ]
    ds = tiny_data.build(tmp_path, incidents=frames, with_places=False)
    view = overblik_view(ds, YEAR)
    assert view.map is not None
    labels = view.map.features.set_index("feature_id")["label"]
    assert labels["a"] == "40" and labels["c"] == "12"
    assert "Indbrud i beboelse, " in view.map.legend.title
    assert "pr. 1.000" not in view.map.legend.title
    assert (
        "Der er ikke tal for «Trygge i nabolaget» pr. område i perioden, og områderne har intet "
        "folketal, så kortet viser antal hændelser («Indbrud i beboelse») og ikke «Indbrud i "
        "beboelse pr. 1.000 indbyggere»."
    ) in view.notes
    assert_no_small_counts(view)


def test_hidden_cells_alone_are_no_values_for_the_map():
    # Grey shapes and "Ingen data" are no map: the fallback must go on to the next indicator.
    from tryg_geo.views.overblik import _has_values

    hidden = pd.DataFrame({"value": [np.nan, np.nan], "suppressed": [True, False]})
    assert not _has_values(hidden)
    assert _has_values(hidden.assign(value=[np.nan, 0.0]))
