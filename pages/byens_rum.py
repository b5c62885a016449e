"""Byens rum: torve, pladser and the harbour front by observations, complaints and incidents."""

import streamlit as st

from pages import ui
from tryg_geo import place_indicators

ds = ui.dataset()
ui.require_data(ds)
filters = ui.sidebar_filters(ds, district=False)
options = place_indicators(ds)
if options:
    keys = list(options)
    chosen = st.sidebar.selectbox(
        "Observation",
        keys,
        format_func=options.get,
        key="flt_place_indicator",
        index=keys.index(filters.place_indicator) if filters.place_indicator in keys else 0,
    )
    filters = filters.with_(place_indicator=chosen)
ui.keep_in_url(filters)

view = ui.build("byens-rum", ds, filters)
ui.header(view)
ui.kpis(view)
left, right = st.columns([3, 2])
with left:
    ui.map_(view, height=520)
with right:
    ui.trends(view)
st.header("Steder")
ui.table(view)
ui.notes(view)
ui.downloads(view, filters)
