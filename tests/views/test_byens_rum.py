"""Byens rum: places by observation and incidents, with suppression beside the totals."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
import tiny_data
from tiny_data import incidents_at, measurement

from tryg_geo.compute.filters import Filters
from tryg_geo.views.byens_rum import ALL_ID, TABLE_COLUMNS, byens_rum_view, place_indicators

YEAR = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31))


def complaints(place: str, per_month: int, year: int = 2025) -> list[dict]:
    return [measurement("klager", place, f"{year}-{m:02d}", per_month) for m in range(1, 13)]


@pytest.fixture
def ds(tmp_path):
    rows = complaints("nytorv", 10) + complaints("gammeltorv", 6) + complaints("nytorv", 5, 2024)
    rows += [measurement("personer_til_stede", "havnefronten", "2025-06", 40.5)]
    frames = [
        incidents_at(12, category="vold", when="2025-05-01 23:00", where="nytorv"),
        incidents_at(3, category="vold", when="2025-05-01 23:00", where="gammeltorv"),
        incidents_at(8, category="vold", when="2025-05-01 23:00", where="havnefronten"),
        incidents_at(20, category="tyveri", when="2025-05-01 12:00", where="kildeparken"),
        incidents_at(6, category="vold", when="2024-05-01 23:00", where="nytorv"),
    ]
    return tiny_data.build(tmp_path, incidents=frames, measurements=rows)


def test_table_values_changes_and_totals(ds):
    view = byens_rum_view(ds, YEAR)
    assert view.key == "byens-rum" and view.demo
    assert list(view.table.columns) == TABLE_COLUMNS
    table = view.table.set_index("place_id")
    assert "limfjorden" not in table.index and "jomfru-ane-gade" not in table.index
    assert table.loc["nytorv", "value"] == 120 and table.loc["nytorv", "previous_value"] == 60
    assert table.loc["nytorv", "change_pct"] == 1.0
    assert table.loc["gammeltorv", "value"] == 72
    assert np.isnan(table.loc["kildeparken", "value"])  # no complaints recorded there
    assert table.loc[ALL_ID, "value"] == 192
    assert table.loc["nytorv", "incidents"] == 12
    assert table.loc["nytorv", "incidents_change_pct"] == 1.0
    assert table.loc[ALL_ID, "incidents"] == 43
    assert view.kpis[0].value == "192" and view.kpis[0].delta == "+220 %"


def test_small_incident_counts_hidden_with_complementary_cell(ds):
    view = byens_rum_view(ds, YEAR)
    table = view.table.set_index("place_id")
    # Gammeltorv's 3 is hidden; beside the shown total the next smallest (the quay's 8) too.
    assert table.loc["gammeltorv", "incidents_suppressed"]
    assert table.loc["havnefronten", "incidents_suppressed"]
    assert np.isnan(table.loc["gammeltorv", "incidents"])
    assert np.isnan(table.loc["havnefronten", "incidents"])
    assert table.loc["gammeltorv", "suppressed"]
    counts = view.table["incidents"].dropna().to_numpy()
    assert not ((counts >= 1) & (counts < 5)).any()
    labels = view.map.features.set_index("feature_id")["label"]
    assert labels["gammeltorv"] == "72 · hændelser: <5"
    assert not tiny_data.small_counts_in_text(labels)
    shown = view.display.set_index("Sted")
    assert shown.loc["Gammeltorv", "Hændelser"] == "<5"


def test_total_hidden_when_small(tmp_path):
    frames = [incidents_at(2, category="vold", when="2025-05-01 23:00", where="nytorv")]
    ds = tiny_data.build(tmp_path, incidents=frames, measurements=complaints("nytorv", 10))
    view = byens_rum_view(ds, YEAR)
    assert view.kpis[1].value == "<5"
    assert view.table.set_index("place_id").loc[ALL_ID, "incidents_suppressed"]


def test_category_filter_applies_to_incidents(ds):
    view = byens_rum_view(ds, YEAR.with_(categories=("tyveri",)))
    table = view.table.set_index("place_id")
    assert table.loc["kildeparken", "incidents"] == 20
    assert table.loc["nytorv", "incidents"] == 0
    assert "tyveri" in view.subtitle


def test_map_coloured_and_sized_by_observation(ds):
    spec = byens_rum_view(ds, YEAR).map
    assert spec.kind == "places"
    feats = spec.features.set_index("feature_id")
    assert set(feats.index) == {
        "nytorv",
        "gammeltorv",
        "cw-obels-plads",
        "jf-kennedys-plads",
        "kildeparken",
        "havnefronten",
    }
    assert feats.loc["nytorv", "radius"] > feats.loc["gammeltorv", "radius"]
    assert feats.loc["nytorv", "color"] != feats.loc["gammeltorv", "color"]
    assert spec.zones is not None and list(spec.zones["place_id"]) == ["jomfru-ane-gade"]
    assert set(spec.features.columns) == {
        "feature_id",
        "name",
        "label",
        "color",
        "value",
        "radius",
        "geometry",
    }


def test_trend_per_place_monthly(ds):
    view = byens_rum_view(ds, YEAR)
    titles = [t.title for t in view.trends]
    assert titles == ["Nytorv", "Gammeltorv"]
    nytorv = view.trends[0].data
    assert len(nytorv) == 24 and set(nytorv["value"]) == {5.0, 10.0}


def test_people_present_is_an_average(ds):
    view = byens_rum_view(ds, YEAR.with_(place_indicator="personer_til_stede"))
    table = view.table.set_index("place_id")
    assert table.loc["havnefronten", "value"] == 40.5
    assert any("gennemsnit" in n for n in view.notes)


def test_place_indicators(ds):
    options = place_indicators(ds)
    assert list(options)[:2] == ["klager", "personer_til_stede"]
    assert "redningshaendelser_havn" in options
    assert options["klager"].startswith("Klager")


def test_no_observations_and_no_incidents(tmp_path):
    ds = tiny_data.build(tmp_path)
    view = byens_rum_view(ds, YEAR)
    assert view.map is not None and (view.map.features["label"].str.startswith("Ingen data")).all()
    assert any("ingen registreringer" in n for n in view.notes)
    assert any("ingen hændelser" in n for n in view.notes)
    assert view.trends == []
    assert view.kpis[0].value == "Ingen data"


def test_no_places(tmp_path):
    ds = tiny_data.build(tmp_path, with_places=False)
    view = byens_rum_view(ds, YEAR)
    assert view.map is None and view.table.empty and view.notes


def test_demo_data(demo_ds):
    from tryg_geo.views.registry import default_filters

    ds = demo_ds
    filters = default_filters(ds)
    for name in place_indicators(ds):
        view = byens_rum_view(ds, filters.with_(place_indicator=name))
        assert view.demo and "Demodata" in view.source
        counts = view.table[["incidents", "previous_incidents"]].to_numpy().ravel()
        counts = counts[np.isfinite(counts)]
        assert not ((counts >= 1) & (counts < 5)).any()
        assert view.trends


def test_hidden_months_are_gaps_not_a_zero_line(tmp_path):
    # 18 complaints a year in months of 0–4: the small months are hidden (<5), the zero
    # months are real. Hidden months must stay in the trend as gaps (NaN), never be dropped
    # (which leaves the zeros joined into a flat 0 line) nor be drawn as 0.
    months = [0, 3, 2, 0, 4, 1, 2, 0, 3, 1, 2, 0]
    rows = [measurement("klager", "nytorv", f"2025-{m:02d}", v) for m, v in enumerate(months, 1)]
    rows += [measurement("klager", "nytorv", f"2024-{m:02d}", v) for m, v in enumerate(months, 1)]
    ds = tiny_data.build(tmp_path, measurements=rows)
    view = byens_rum_view(ds, YEAR)
    (trend,) = view.trends
    data = trend.data.set_index("period")["value"]
    assert len(data) == 24
    shown = data.dropna()
    assert not ((shown >= 1) & (shown < 5)).any()
    assert data.isna().sum() >= 16  # every month of 1–4 is a gap
    assert data.loc[pd.Timestamp("2025-02-01")] != 0 and np.isnan(
        data.loc[pd.Timestamp("2025-02-01")]
    )


def test_hidden_months_break_the_chart_line(tmp_path):
    from tryg_geo.render import png_trends
    from tryg_geo.render.charts import trend_chart

    months = [0, 3, 2, 0, 4, 1, 2, 0, 3, 1, 2, 0]
    rows = [measurement("klager", "nytorv", f"2025-{m:02d}", v) for m, v in enumerate(months, 1)]
    ds = tiny_data.build(tmp_path, measurements=rows)
    (trend,) = byens_rum_view(ds, YEAR).trends
    spec = trend_chart(trend)
    values = spec["data"]["values"]
    assert len(values) == len(trend.data)
    assert sum(v["value"] is None for v in values) == int(trend.data["value"].isna().sum())
    wide, gaps = png_trends.series_frame(trend)
    assert gaps and wide.iloc[:, 0].isna().sum() == int(trend.data["value"].isna().sum())


def test_chart_legend_shows_long_series_names_whole(tmp_path):
    """ "Klager fra naboer og forretninger" under the chart, not "Klager fra naboer og forr…"."""
    from tryg_geo.render.charts import trend_chart

    rows = [measurement("klager", "nytorv", f"2025-{m:02d}", 10 + m) for m in range(1, 13)]
    ds = tiny_data.build(tmp_path, measurements=rows)
    (trend,) = byens_rum_view(ds, YEAR).trends
    spec = trend_chart(trend)
    legends = [
        enc["legend"]
        for layer in spec["layer"]
        for enc in layer.get("encoding", {}).values()
        if isinstance(enc, dict) and enc.get("legend")
    ]
    assert legends and all(legend["labelLimit"] == 0 for legend in legends)
    assert trend_chart(trend, compact=True)["layer"][0]["encoding"]["color"]["legend"] is None
