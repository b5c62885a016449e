"""Charts as Vega-Lite specs (JSON-ready dicts), built by pure functions from a View's parts.

Vega draws them in the browser from the copy Streamlit bundles: no CDN is involved.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import altair as alt
import pandas as pd

from .. import fmt, palette
from ..compute.privacy import shown_count
from ..views.model import Trend
from ..views.natteliv import heat_classes, protected_cells

# Okabe–Ito hues, darkened where needed: each line has at least 3:1 against white (WCAG 2.1
# 1.4.11) and the lines stay apart with protanopia, deuteranopia and tritanopia
# (tests/render/test_a11y_colours.py); each series also has its own dash pattern.
SERIES_COLOURS = palette.SERIES
SERIES_DASHES = ([1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4])
TARGET_COLOUR = palette.TARGET
#: Axis, legend and title text: 12.6:1 on white (Vega's default grey has 3.7:1).
TEXT_COLOUR = palette.CHART_TEXT

_AXIS_FORMAT = {
    "andel": ".0%",
    "antal": ",.0f",
    "pr_1000": ",.1f",
    "personer": ",.0f",
    "timer": ",.0f",
    "score": ",.0f",
    "celler": ",.0f",
}
_UNIT_TITLE = {
    "andel": "Andel",
    "antal": "Antal",
    "pr_1000": "Pr. 1.000 indbyggere",
    "personer": "Personer",
    "timer": "Timer",
    "score": "Score",
    "celler": "Celler",
}

# Danish number and time format for Vega (d3-format / d3-time-format locales): 1.234,5 and
# month names in Danish on every axis and tooltip.
DANISH_LOCALE = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " kr."]},
    "time": {
        "dateTime": "%A den %d. %B %Y %X",
        "date": "%d.%m.%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        # d3 counts weekdays from Sunday.
        "days": [fmt.WEEKDAYS_DA[6], *fmt.WEEKDAYS_DA[:6]],
        "shortDays": [d[:3] for d in (fmt.WEEKDAYS_DA[6], *fmt.WEEKDAYS_DA[:6])],
        "months": list(fmt.MONTHS_DA),
        "shortMonths": [m[:3] for m in fmt.MONTHS_DA],
    },
}


#: Danish number and date formats and dark text (WCAG 2.1 AA contrast) on every chart.
CHART_CONFIG: dict[str, Any] = {
    "locale": DANISH_LOCALE,
    "axis": {"labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR},
    "legend": {"labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR},
    "title": {"color": TEXT_COLOUR},
}
#: The Vega-Lite version the specs are written for (the one Streamlit's Altair speaks).
SCHEMA = alt.SCHEMA_URL


def danish(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The Vega-Lite spec of an Altair ``chart`` with :data:`CHART_CONFIG`."""
    return chart.configure(**CHART_CONFIG).to_dict()


def _spec(body: dict[str, Any]) -> dict[str, Any]:
    # A copy of the config in each spec: a spec is cached and handed to Streamlit.
    return {"$schema": SCHEMA, "config": copy.deepcopy(CHART_CONFIG), **body}


def _series_legend() -> dict[str, Any]:
    """The series' names under the chart, whole: Vega-Lite cuts labels at 160 px by default
    ("Klager fra naboer og forr…"); ``labelLimit=0`` lifts that."""
    return {"orient": "bottom", "labelLimit": 0}


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON values: missing numbers are null (a break in a line, never a zero)."""
    return json.loads(frame.to_json(orient="records", date_format="iso", date_unit="s"))


def trend_chart(trend: Trend, *, height: int = 260, compact: bool = False) -> dict[str, Any]:
    """A line per series with a dashed target line when the indicator has a target (a
    Vega-Lite spec).

    Missing values (suppressed counts) break the line instead of being drawn as zero. The
    spec is written as JSON, not built with Altair: Altair took a quarter of a Natteliv rerun
    (``bench/PROFILE.md``); tests validate every spec against Vega-Lite's schema.
    """
    data = trend.data[["period", "series", "value"]].copy()
    data["period"] = pd.to_datetime(data["period"])
    series = list(dict.fromkeys(data["series"]))
    legend = None if compact else _series_legend()
    number = _AXIS_FORMAT.get(trend.unit, ",.1f")
    lines = {
        "mark": {"type": "line", "point": not compact, "strokeWidth": 2},
        "encoding": {
            "x": {
                "field": "period",
                "type": "temporal",
                "title": None,
                "axis": None if compact else {"format": "%Y", "tickCount": "year"},
            },
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": None if compact else _UNIT_TITLE.get(trend.unit),
                "axis": None if compact else {"format": number},
            },
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": series,
                    "range": [_cycle(SERIES_COLOURS, i) for i in range(len(series))],
                },
                "legend": legend,
            },
            "strokeDash": {  # merged with the colours into one legend
                "field": "series",
                "type": "nominal",
                "title": None,
                "scale": {
                    "domain": series,
                    "range": [list(_cycle(SERIES_DASHES, i)) for i in range(len(series))],
                },
                "legend": legend,
            },
            "tooltip": [
                {"field": "series", "type": "nominal", "title": "Serie"},
                {"field": "period", "type": "temporal", "title": "Periode", "format": "%m.%Y"},
                {"field": "value", "type": "quantitative", "title": "Værdi", "format": number},
            ],
        },
    }
    layers: list[dict[str, Any]] = [lines]
    if trend.target is not None:
        layers.append(
            {
                "data": {"values": [{"target": trend.target, "label": "Mål"}]},
                "mark": {"type": "rule", "strokeDash": [6, 4], "color": TARGET_COLOUR},
                "encoding": {"y": {"field": "target", "type": "quantitative"}},
            }
        )
    return _spec(
        {
            "data": {"values": _records(data)},
            "layer": layers,
            "height": height,
            "title": "" if compact else trend.title,
        }
    )


def _cycle(values: tuple, index: int):
    return values[index % len(values)]


def heatmap_chart(
    grid: pd.DataFrame, *, title: str = "Hændelser pr. time og ugedag"
) -> dict[str, Any]:
    """Hour × weekday table coloured by count (a Vega-Lite spec); suppressed cells (NaN) are
    grey and say '<5' (or 'skjult' where :func:`~tryg_geo.views.natteliv.protected_cells`
    marks a cell hidden only to protect a small one). All seven weekdays are labelled on the
    y axis."""
    classes, legend = heat_classes(grid)
    hidden = protected_cells(grid)
    values = grid.to_numpy()
    order = [str(day) for day in grid.index]
    rows = [
        {
            "ugedag": day,
            "time": str(hour),
            # A cell hidden only to protect a small one reads "skjult", never "<5".
            "vist": shown_count(values[i, j], pd.isna(values[i, j]), is_complementary=hidden[i, j]),
            "klasse": classes.iat[i, j],
        }
        for j, hour in enumerate(grid.columns)  # column by column, as a table is read
        for i, day in enumerate(order)
    ]
    labels = [label for _, label in legend.entries]
    return _spec(
        {
            "data": {"values": rows},
            "mark": {"type": "rect"},
            "encoding": {
                "x": {"field": "time", "type": "ordinal", "title": "Time på døgnet"},
                # Every weekday named: Vega drops overlapping labels (every other day on a
                # short chart) unless told not to.
                "y": {
                    "field": "ugedag",
                    "type": "ordinal",
                    "title": None,
                    "sort": order,
                    "axis": {"values": order, "labelOverlap": False, "labelLimit": 0},
                },
                # Whole-number classes (views.natteliv.heat_classes), never a continuous ramp
                # that a table of zeros turns into one solid colour with a legend of '0,000000'.
                "color": {
                    "field": "klasse",
                    "type": "nominal",
                    "title": legend.title,
                    "sort": labels,
                    "scale": {"domain": labels, "range": [c for c, _ in legend.entries]},
                },
                "tooltip": [
                    {"field": "ugedag", "type": "ordinal", "title": "Ugedag"},
                    {"field": "time", "type": "ordinal", "title": "Time"},
                    {"field": "vist", "type": "nominal", "title": "Hændelser"},
                ],
            },
            "height": 220,
            "title": title,
        }
    )


def kommune_chart(table: pd.DataFrame, *, height: int = 150) -> dict[str, Any]:
    """Reported crimes per 1 000 inhabitants: one bar per kommune, one panel per type of offence
    (the Kommuner view's ``table``); our kommune in the first series colour, the others grey.

    A hidden count has no bar; its text alternative
    (:func:`tryg_geo.views.kommuner.chart_text`) says "skjult".
    """
    data = table.copy()
    data["incidents_per_1000"] = data["incidents_per_1000"].astype("float64")
    data["vist"] = data["incidents_per_1000"].map(lambda v: fmt.number(v, 1) if v == v else "")
    data["hvem"] = data["own"].map({True: "Vores kommune", False: "Andre"})
    areas = list(dict.fromkeys(data["area_name"]))
    categories = list(dict.fromkeys(data["category"]))
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "incidents_per_1000:Q", title="Pr. 1.000 indbyggere", axis=alt.Axis(format=",.1f")
            ),
            y=alt.Y("area_name:N", title=None, sort=areas),
            color=alt.Color(
                "hvem:N",
                title=None,
                scale=alt.Scale(
                    domain=["Vores kommune", "Andre"], range=[SERIES_COLOURS[0], palette.LIGHT]
                ),
                legend=alt.Legend(**_series_legend()),
            ),
            tooltip=[
                alt.Tooltip("area_name:N", title="Kommune"),
                alt.Tooltip("category:N", title="Type"),
                alt.Tooltip("vist:N", title="Pr. 1.000 indbyggere"),
            ],
        )
        .properties(height=height)
    )
    chart = bars.facet(
        row=alt.Row(
            "category:N",
            sort=categories,
            title=None,
            header=alt.Header(
                labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top"
            ),
        )
    ).resolve_scale(x="independent")
    return danish(chart)
