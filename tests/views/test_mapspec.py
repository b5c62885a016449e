"""Shared map builders: district choropleth, places map and the value texts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import tiny_data

from tryg_geo import fmt
from tryg_geo.compute.breaks import NO_DATA_COLOR, SUPPRESSED_COLOR
from tryg_geo.views.mapspec import (
    MAX_RADIUS,
    MIN_RADIUS,
    NO_DATA_TEXT,
    district_choropleth,
    places_map,
    radii,
    value_text,
)


@pytest.fixture
def ds(tiny_ds):
    return tiny_ds


def test_value_text_units_and_flags():
    assert value_text(0.873, "andel", n=214) == "87,3 % (n=214)"
    assert value_text(0.873, "andel", n=20) == "87,3 % (n=20) (usikker: n<30)"
    assert value_text(3, "antal", suppressed=True) == "<5"
    assert value_text(1234, "antal") == "1.234"
    assert value_text(4.25, "pr_1000") == "4,2" or value_text(4.25, "pr_1000") == "4,3"
    assert value_text(float("nan"), "antal") == NO_DATA_TEXT
    assert value_text(None, "score") == NO_DATA_TEXT


def test_district_choropleth_features_and_legend(ds):
    values = pd.Series({"a": 0.9, "b": 0.8, "c": np.nan})
    labels = pd.Series({"a": "90,0 % (n=300)", "b": "80,0 % (n=20) (usikker: n<30)"})
    spec = district_choropleth(
        ds,
        values,
        labels,
        scheme="quantiles",
        palette="blues",
        legend_title="Trygge",
        value_fmt=fmt.percent,
        selected="a",
    )
    assert spec.kind == "areas"
    assert list(spec.features.columns) == [
        "feature_id",
        "name",
        "label",
        "color",
        "value",
        "geometry",
    ]
    assert spec.features.crs.to_epsg() == 4326
    feats = spec.features.set_index("feature_id")
    assert feats.loc["c", "label"] == NO_DATA_TEXT
    assert feats.loc["c", "color"] == NO_DATA_COLOR
    assert feats.loc["a", "color"] != feats.loc["b", "color"]
    assert (NO_DATA_COLOR, NO_DATA_TEXT) in spec.legend.entries
    assert spec.selected == "a"
    assert spec.water is not None  # the fjord for orientation


def test_district_choropleth_suppressed_is_grey_not_classed(ds):
    values = pd.Series({"a": 40.0, "b": np.nan, "c": 12.0})
    hidden = pd.Series({"a": False, "b": True, "c": False})
    labels = pd.Series({"a": "40", "b": "<5", "c": "12"})
    spec = district_choropleth(
        ds, values, labels, legend_title="Antal", value_fmt=fmt.number, suppressed=hidden
    )
    feats = spec.features.set_index("feature_id")
    assert feats.loc["b", "color"] == SUPPRESSED_COLOR
    assert feats.loc["b", "label"] == "<5"
    assert any("Skjult" in label for _, label in spec.legend.entries)
    assert not any(label == NO_DATA_TEXT for _, label in spec.legend.entries)


def test_district_choropleth_without_districts(tmp_path):
    ds = tiny_data.build(tmp_path, with_districts=False)
    spec = district_choropleth(
        ds, pd.Series(dtype=float), pd.Series(dtype=str), legend_title="x", value_fmt=str
    )
    assert spec is None


def test_places_map_points_radius_and_no_water(ds):
    values = pd.Series({"nytorv": 40.0, "gammeltorv": 10.0, "limfjorden": 99.0, "havnefronten": 0})
    labels = pd.Series({"nytorv": "40", "gammeltorv": "10", "havnefronten": "0"})
    spec = places_map(ds, values, labels, legend_title="Klager", palette="oranges")
    assert spec.kind == "places"
    feats = spec.features.set_index("feature_id")
    assert "limfjorden" not in feats.index  # water is never a place with a value
    assert set(feats.index) == {"nytorv", "gammeltorv", "havnefronten"}
    assert (spec.features.geometry.geom_type == "Point").all()
    assert feats.loc["nytorv", "radius"] == MAX_RADIUS
    assert MIN_RADIUS < feats.loc["gammeltorv", "radius"] < MAX_RADIUS
    assert feats.loc["havnefronten", "radius"] == MIN_RADIUS
    assert list(spec.features.columns) == [
        "feature_id",
        "name",
        "label",
        "color",
        "value",
        "radius",
        "geometry",
    ]
    assert spec.zones is not None and list(spec.zones["place_id"]) == ["jomfru-ane-gade"]
    # Only aggregates: the incidents' positions never appear as features.
    assert len(spec.features) == 3


def test_radii_area_proportional():
    r = radii(np.array([100.0, 25.0, np.nan, 0.0]))
    assert r[0] == MAX_RADIUS
    assert r[1] == pytest.approx(MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * 0.5, abs=0.1)
    assert r[2] == MIN_RADIUS and r[3] == MIN_RADIUS


def test_inputs_not_modified(ds):
    values = pd.Series({"a": 1.0, "b": 2.0, "c": 3.0})
    before = values.copy()
    hidden = pd.Series({"a": True, "b": False, "c": False})
    district_choropleth(
        ds, values, values.astype(str), legend_title="x", value_fmt=str, suppressed=hidden
    )
    pd.testing.assert_series_equal(values, before)
