"""The view of one indsats: key figures, trends with targets, maps and missing-data notes."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
import tiny_data
from tiny_data import X0, Y0, incidents_at, measurement

from tryg_geo.compute.filters import Filters
from tryg_geo.compute.registry import get_initiative, load_initiatives
from tryg_geo.errors import UsageError
from tryg_geo.views.indsatser import TABLE_COLUMNS, initiative_view
from tryg_geo.views.model import View

YEAR = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31))
SLUGS = [i.slug for i in load_initiatives()]
A, B, C = (X0 + 500, Y0 + 500), (X0 + 1_200, Y0 + 200), (X0 + 2_500, Y0 + 500)


def assert_no_small_counts(view: View) -> None:
    """No count from 1 to 4 in the table, the trends, the map labels or the key figures."""
    table = view.table
    counts = table[table["unit"].isin(("antal", "personer"))]
    values = counts["value"].dropna().to_numpy()
    assert not ((values >= 1) & (values < 5)).any()
    incidents = table[table["unit"].isin(("antal", "pr_1000"))]["n"].dropna().to_numpy()
    assert not ((incidents >= 1) & (incidents < 5)).any()
    for trend in view.trends:
        if trend.unit in ("antal", "personer"):
            v = trend.data["value"].to_numpy()
            assert not ((v >= 1) & (v < 5)).any(), trend.title
    if view.map is not None:
        assert set(view.map.features.columns) <= {
            "feature_id",
            "name",
            "label",
            "color",
            "value",
            "radius",
            "geometry",
        }
        hidden = view.map.features["label"].astype(str).str.startswith("<")
        assert view.map.features.loc[hidden, "value"].isna().all()
        assert not tiny_data.small_counts_in_text(
            label.split("(")[0] for label in view.map.features["label"]
        )
    for kpi in view.kpis:
        assert not tiny_data.small_counts_in_text([kpi.value.split("(")[0]]), kpi


@pytest.mark.parametrize("slug", SLUGS)
def test_every_indsats_without_data(tmp_path, slug):
    ds = tiny_data.build(tmp_path)
    ini = get_initiative(slug)
    view = initiative_view(ds, YEAR, slug)
    assert view.key == f"indsats/{slug}" and view.title == ini.title
    assert view.trends == [] and view.map is None
    assert ini.description in view.notes
    assert f"Der er endnu ingen data for indsatsen. {ini.data_needed}" in view.notes
    assert list(view.table.columns) == TABLE_COLUMNS and view.table.empty
    assert all(k.value == "Ingen data" for k in view.kpis)
    assert "Demodata" in view.source


def test_no_store_at_all(tmp_path):
    ds = tiny_data.build(tmp_path, with_places=False, with_districts=False)
    for slug in SLUGS:
        assert initiative_view(ds, YEAR, slug).map is None


def test_unknown_slug():
    with pytest.raises(UsageError):
        initiative_view(None, YEAR, "findes-ikke")


def test_tryg_bydel_map_trend_target_and_partial_data_note(tmp_path):
    rows = [
        measurement("tryg_andel", "a", "2024", 0.86, 300),
        measurement("tryg_andel", "a", "2025", 0.92, 300),
        measurement("tryg_andel", "b", "2025", 0.80, 25),
        measurement("tryg_andel", "kommune", "2024", 0.88, 900),
        measurement("tryg_andel", "kommune", "2025", 0.90, 900),
    ]
    ds = tiny_data.build(tmp_path, measurements=rows)
    ini = get_initiative("tryg-bydel")
    view = initiative_view(ds, YEAR.with_(district="a"), "tryg-bydel")
    assert view.map.kind == "areas" and view.map.selected == "a"
    feats = view.map.features.set_index("feature_id")
    assert feats.loc["b", "label"] == "80,0 % (n=25) (usikker: n<30)"
    trend = view.trends[0]
    assert trend.target == 0.9 and trend.higher_is_better and trend.unit == "andel"
    assert set(trend.data["series"]) == {"Aalborg Kommune", "Alfa"}
    assert view.kpis[0].value == "90,0 % (n=900)"
    assert view.kpis[0].delta == "+2,0 procentpoint"
    missing = next(n for n in view.notes if n.startswith("Der er endnu ingen data for «"))
    assert "«Tillid til at politiet hjælper»" in missing and ini.data_needed in missing
    table = view.table
    assert set(table["part"]) == {"nøgletal", "udvikling", "kort"}
    kort = table[table["part"] == "kort"].set_index("area_id")
    assert kort.loc["a", "value"] == 0.92 and kort.loc["a", "target"] == 0.9
    assert len(view.display) == len(table)


def test_incident_rates_suppressed_in_map_table_and_trend(tmp_path):
    frames = [
        incidents_at(40, category="indbrud i beboelse", when="2025-03-10 12:00", where=A),
        incidents_at(3, category="indbrud i beboelse", when="2025-03-10 12:00", where=B),
        incidents_at(12, category="indbrud i beboelse", when="2025-04-10 12:00", where=C),
        incidents_at(30, category="indbrud i beboelse", when="2024-03-10 12:00", where=A),
    ]
    rows = [measurement("tryg_andel", "kommune", "2025", 0.9, 900)]
    ds = tiny_data.build(tmp_path, incidents=frames, measurements=rows)
    view = initiative_view(ds, YEAR.with_(district="b"), "tryg-bydel")
    assert_no_small_counts(view)
    rate = view.table[view.table["indicator"] == "indbrud_pr_1000"]
    # No district survey numbers: the map falls back to burglaries per 1 000 inhabitants,
    # with Beta's 3 hidden and Gamma's 12 hidden beside it (complementary suppression).
    kort = rate[rate["part"] == "kort"].set_index("area_id")
    assert view.map.kind == "areas"
    assert list(kort["suppressed"]) == [False, True, True]
    assert kort.loc["a", "value"] == 4.0 and kort.loc["a", "n"] == 40
    labels = view.map.features.set_index("feature_id")["label"]
    # Gamma (12) is hidden only to protect Beta: "skjult", never "<5".
    assert labels["b"] == "<5" and labels["c"] == "skjult" and labels["a"] == "4,0"
    burglary_trend = next(t for t in view.trends if t.unit == "pr_1000")
    district_b = burglary_trend.data[burglary_trend.data["series"] == "Beta"]
    # Zero months are shown; March with its 3 burglaries is hidden.
    assert (district_b["value"] == 0).all()
    assert pd.Timestamp("2025-03-01") not in set(district_b["period"])


def test_natteliv_zone_places_map(tmp_path):
    frames = [
        incidents_at(25, when="2025-06-14 01:00", where="jomfru-ane-gade"),
        incidents_at(3, when="2025-07-12 01:00", where="jomfru-ane-gade"),
        incidents_at(20, when="2024-06-15 01:00", where="jomfru-ane-gade"),
    ]
    ds = tiny_data.build(tmp_path, incidents=frames)
    view = initiative_view(ds, YEAR, "et-trygt-natteliv")
    assert view.map.kind == "places"
    assert list(view.map.features["feature_id"]) == ["jomfru-ane-gade"]
    assert view.map.features["label"].iloc[0] == "28"
    assert view.kpis[0].value == "28"
    trend = view.trends[0]
    assert trend.target is None and trend.higher_is_better is False
    # June 25 is shown, July's 3 is hidden and so is the next smallest month of 2025 beside
    # the total: June itself (the only other non-zero month).
    assert not (trend.data["value"] == 3).any()
    assert not (trend.data["value"] == 25).any()
    assert_no_small_counts(view)
    assert any("(under 5)" in n or "ingen data" in n.lower() for n in view.notes) or len(trend.data)


def test_place_observations_map_and_trend_per_place(tmp_path):
    rows = [
        measurement("klager", place, f"2025-{m:02d}", value)
        for place, value in (("nytorv", 10), ("gammeltorv", 6))
        for m in range(1, 13)
    ]
    rows += [measurement("klager", "cw-obels-plads", "2025-05", 2)]
    ds = tiny_data.build(tmp_path, measurements=rows)
    view = initiative_view(ds, YEAR, "socialt-udsatte-i-byens-rum-og-pladser")
    assert view.map.kind == "places"
    feats = view.map.features.set_index("feature_id")
    assert feats.loc["nytorv", "label"] == "120"
    assert feats.loc["cw-obels-plads", "label"] == "<5"
    # With one hidden place beside the total, the next smallest place is hidden too: it is
    # not small (72), so it reads "skjult", never "<5".
    assert feats.loc["gammeltorv", "label"] == "skjult"
    assert feats.loc["nytorv", "radius"] > feats.loc["gammeltorv", "radius"]
    assert set(view.trends[0].data["series"]) == {"Nytorv", "Gammeltorv"}
    assert view.kpis[0].value == "194"
    assert_no_small_counts(view)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_indsats_on_demo_data(demo_ds, slug):
    from tryg_geo.views.registry import default_filters

    view = initiative_view(demo_ds, default_filters(demo_ds), slug)
    assert view.demo and "Demodata" in view.source
    assert view.trends, "demo data has numbers for every indsats"
    for trend in view.trends:
        assert not trend.data.empty and trend.data["value"].notna().all()
    assert len(view.kpis) == len(get_initiative(slug).indicators)
    assert_no_small_counts(view)
    assert not view.table["value"].isna().all()
    shown = view.table[~view.table["suppressed"]]
    assert np.isfinite(shown["value"]).all()
