"""The on-screen charts are Vega-Lite specs written as JSON (tryg_geo.render.charts): each is
valid against the schema of the Vega-Lite version Altair and Streamlit speak, in Danish, with
the view's numbers and nothing else."""

from __future__ import annotations

import json

import jsonschema
import numpy as np
import pandas as pd
import pytest
from altair.vegalite.v6.schema import load_schema

from tryg_geo import fmt
from tryg_geo.render.charts import (
    CHART_CONFIG,
    SCHEMA,
    heatmap_chart,
    kommune_chart,
    trend_chart,
)
from tryg_geo.views.model import Trend


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = load_schema()
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def trend(target: float | None = None, unit: str = "antal") -> Trend:
    periods = pd.date_range("2024-01-01", periods=6, freq="MS")
    data = pd.DataFrame(
        {
            "period": list(periods) * 2,
            "series": ["Hele kommunen"] * 6 + ["Nattelivszonen"] * 6,
            "value": [10.0, 12.0, np.nan, 9.0, 11.0, 14.0, 3.0, 4.0, 5.0, np.nan, 6.0, 7.0],
            "suppressed": [False, False, True, False, False, False] * 2,
        }
    )
    return Trend(title="Hændelser pr. måned", unit=unit, data=data, target=target)


def heat_grid() -> pd.DataFrame:
    days = list(fmt.WEEKDAYS_DA)
    hours = [f"{h:02d}" for h in range(24)]
    grid = pd.DataFrame(
        np.arange(7 * 24, dtype="float64").reshape(7, 24), index=days, columns=hours
    )
    grid.iloc[2, 5] = np.nan
    return grid


@pytest.mark.parametrize("options", [{}, {"compact": True, "height": 40}])
@pytest.mark.parametrize("target", [None, 12.5])
def test_trend_spec_is_valid_vega_lite_with_the_trends_values(validator, options, target):
    spec = trend_chart(trend(target), **options)
    assert not list(validator.iter_errors(spec))
    assert spec["$schema"] == SCHEMA and spec["config"] == CHART_CONFIG
    json.dumps(spec, allow_nan=False)  # plain JSON: a NaN would break the chart in the browser
    values = spec["data"]["values"]
    assert [v["value"] for v in values] == [
        None if pd.isna(v) else v for v in trend(target).data["value"]
    ]
    assert values[0]["period"] == "2024-01-01T00:00:00"
    assert {v["series"] for v in values} == {"Hele kommunen", "Nattelivszonen"}
    lines = spec["layer"][0]["encoding"]
    assert lines["color"]["scale"]["domain"] == ["Hele kommunen", "Nattelivszonen"]
    assert (lines["x"]["axis"] is None) == bool(options)
    rules = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    assert [r["data"]["values"][0]["target"] for r in rules] == ([target] if target else [])


def test_heatmap_spec_is_valid_vega_lite_with_one_row_per_cell(validator):
    grid = heat_grid()
    spec = heatmap_chart(grid)
    assert not list(validator.iter_errors(spec))
    rows = spec["data"]["values"]
    assert len(rows) == grid.size
    by_cell = {(r["ugedag"], r["time"]): r for r in rows}
    assert by_cell[(grid.index[2], "05")]["vist"] == "<5"
    assert by_cell[(grid.index[6], "23")]["vist"] == fmt.number(grid.iloc[6, 23], 0)
    assert set(r["klasse"] for r in rows) <= set(spec["encoding"]["color"]["scale"]["domain"])


def test_every_chart_speaks_danish(validator):
    """Danish decimal comma and month names on every chart, the Altair-built one too."""
    table = pd.DataFrame(
        {
            "area_name": ["Aalborg", "Aarhus"],
            "category": ["Vold", "Vold"],
            "incidents_per_1000": [1.5, 2.25],
            "own": [True, False],
        }
    )
    for spec in (trend_chart(trend()), heatmap_chart(heat_grid()), kommune_chart(table)):
        assert not list(validator.iter_errors(spec))
        assert spec["config"]["locale"]["number"]["decimal"] == ","
        assert spec["config"]["locale"]["time"]["months"][2] == "marts"
