"""Natteliv: night-time incidents in the DDKN grid, hour × weekday and the weekend-night trend."""

import streamlit as st

from pages import ui
from tryg_geo import (
    CELL_CHOICES,
    HOTSPOT_LAYER,
    LAYER_PARAM,
    NIGHT_ENDS,
    NIGHT_STARTS,
    fmt,
    heatmap_chart,
)

ds = ui.dataset()
ui.require_data(ds, incidents=True)
filters = ui.sidebar_filters(ds, district=False)
with st.sidebar:
    st.header("Nat")
    cell = st.radio(
        "Cellestørrelse",
        list(CELL_CHOICES),
        horizontal=True,
        key="flt_cell",
        index=CELL_CHOICES.index(filters.cell),
    )
    nights = st.multiselect(
        "Nætter (aftenens ugedag)",
        list(range(7)),
        default=list(filters.nights),
        format_func=lambda d: fmt.WEEKDAYS_DA[d],
        key="flt_nights",
    )
    begin_col, end_col = st.columns(2)
    night_start = begin_col.selectbox(
        "Fra kl.",
        list(NIGHT_STARTS),
        key="flt_night_start",
        # Filters.from_params keeps the hours inside these ranges: the URL's hour is offered.
        index=NIGHT_STARTS.index(filters.night_start),
    )
    night_end = end_col.selectbox(
        "Til kl. (morgen)",
        list(NIGHT_ENDS),
        key="flt_night_end",
        index=NIGHT_ENDS.index(filters.night_end),
    )
    hotspots = st.toggle(
        "Hotspots (Gi*)",
        value=filters.extra.get(LAYER_PARAM) == HOTSPOT_LAYER,
        key="flt_hotspots",
        help="Kortet viser signifikante klynger (Getis-Ord Gi*, FDR-korrigeret) i stedet for "
        "antal pr. celle.",
    )
layer = {LAYER_PARAM: HOTSPOT_LAYER} if hotspots else {}
filters = filters.with_(
    extra={k: v for k, v in filters.extra.items() if k != LAYER_PARAM} | layer,
    cell=cell,
    nights=tuple(nights) or filters.nights,
    night_end=night_end,
    night_start=night_start,
    scheme=ui.scheme_widget(filters),
)
ui.keep_in_url(filters)

view = ui.build("natteliv", ds, filters)
ui.header(view)
ui.kpis(view)
ui.map_(view, height=560)
ui.time_slider(view, ds, filters)
left, right = st.columns(2)
with left:
    ui.chart(heatmap_chart, view.heatmap)
with right:
    ui.trends(view)
with st.expander("Celler med flest hændelser"):
    ui.table(view)
ui.notes(view)
ui.downloads(view, filters)
