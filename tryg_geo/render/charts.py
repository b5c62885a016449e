"""Charts as Altair objects, built by pure functions from a View's parts.

Altair renders in the browser with Vega, which Streamlit bundles: no CDN is involved.
"""

from __future__ import annotations

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


def danish(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart with Danish number and date formats and dark text (WCAG 2.1 AA contrast)."""
    return (
        chart.configure(locale=DANISH_LOCALE)
        .configure_axis(labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR)
        .configure_legend(labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR)
        .configure_title(color=TEXT_COLOUR)
    )


def _series_legend() -> alt.Legend:
    """The series' names under the chart, whole: Vega-Lite cuts labels at 160 px by default
    ("Klager fra naboer og forr…"); ``labelLimit=0`` lifts that."""
    return alt.Legend(orient="bottom", labelLimit=0)


def trend_chart(
    trend: Trend, *, height: int = 260, compact: bool = False
) -> alt.Chart | alt.LayerChart:
    """A line per series with a dashed target line when the indicator has a target.

    Missing values (suppressed counts) break the line instead of being drawn as zero.
    """
    data = trend.data.copy()
    data["period"] = pd.to_datetime(data["period"])
    series = list(dict.fromkeys(data["series"]))
    colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(
            domain=series, range=[_cycle(SERIES_COLOURS, i) for i in range(len(series))]
        ),
        legend=None if compact else _series_legend(),
    )
    dash = alt.StrokeDash(
        "series:N",
        title=None,
        scale=alt.Scale(
            domain=series, range=[_cycle(SERIES_DASHES, i) for i in range(len(series))]
        ),
        legend=None if compact else _series_legend(),  # merged with the colours
    )
    fmt = _AXIS_FORMAT.get(trend.unit, ",.1f")
    lines = (
        alt.Chart(data)
        .mark_line(point=not compact, strokeWidth=2)
        .encode(
            x=alt.X(
                "period:T",
                title=None,
                axis=None if compact else alt.Axis(format="%Y", tickCount="year"),
            ),
            y=alt.Y(
                "value:Q",
                title=None if compact else _UNIT_TITLE.get(trend.unit),
                axis=None if compact else alt.Axis(format=fmt),
            ),
            color=colour,
            strokeDash=dash,
            tooltip=[
                alt.Tooltip("series:N", title="Serie"),
                alt.Tooltip("period:T", title="Periode", format="%m.%Y"),
                alt.Tooltip("value:Q", title="Værdi", format=fmt),
            ],
        )
    )
    layers = [lines]
    if trend.target is not None:
        target = pd.DataFrame({"target": [trend.target], "label": ["Mål"]})
        layers.append(
            alt.Chart(target).mark_rule(strokeDash=[6, 4], color=TARGET_COLOUR).encode(y="target:Q")
        )
    chart = alt.layer(*layers).properties(height=height, title="" if compact else trend.title)
    return danish(chart)


def _cycle(values: tuple, index: int):
    return values[index % len(values)]


def heatmap_chart(grid: pd.DataFrame, *, title: str = "Hændelser pr. time og ugedag") -> alt.Chart:
    """Hour × weekday table coloured by count; suppressed cells (NaN) are grey and say '<5'
    (or 'skjult' where :func:`~tryg_geo.views.natteliv.protected_cells` marks a cell hidden
    only to protect a small one). All seven weekdays are labelled on the y axis."""
    long = grid.reset_index(names="ugedag").melt(
        id_vars="ugedag", var_name="time", value_name="antal"
    )
    long["skjult"] = protected_cells(grid).ravel(order="F")  # melt goes column by column
    # A cell hidden only to protect a small one reads "skjult", never "<5".
    long["vist"] = [
        shown_count(v, pd.isna(v), is_complementary=p)
        for v, p in zip(long["antal"], long["skjult"], strict=True)
    ]
    classes, legend = heat_classes(grid)
    long["klasse"] = classes.reset_index(names="ugedag").melt(
        id_vars="ugedag", var_name="time", value_name="klasse"
    )["klasse"]
    order = list(grid.index)
    base = alt.Chart(long).encode(
        x=alt.X("time:O", title="Time på døgnet"),
        # Every weekday named: Vega drops overlapping labels (every other day on a short
        # chart) unless told not to.
        y=alt.Y(
            "ugedag:O",
            title=None,
            sort=order,
            axis=alt.Axis(values=order, labelOverlap=False, labelLimit=0),
        ),
    )
    cells = base.mark_rect().encode(
        # Whole-number classes (views.natteliv.heat_classes), never a continuous ramp that a
        # table of zeros turns into one solid colour with a legend of '0,000000'.
        color=alt.Color(
            "klasse:N",
            title=legend.title,
            sort=[label for _, label in legend.entries],
            scale=alt.Scale(
                domain=[label for _, label in legend.entries],
                range=[colour for colour, _ in legend.entries],
            ),
        ),
        tooltip=[
            alt.Tooltip("ugedag:O", title="Ugedag"),
            alt.Tooltip("time:O", title="Time"),
            alt.Tooltip("vist:N", title="Hændelser"),
        ],
    )
    return danish(cells.properties(title=title, height=220))


def kommune_chart(table: pd.DataFrame, *, height: int = 150) -> alt.FacetChart:
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
                legend=_series_legend(),
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
