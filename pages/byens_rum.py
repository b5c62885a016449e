"""Byens rum: torve, pladser and the harbour front by observations, complaints and incidents."""

import streamlit as st

from pages import common
from tryg_geo.byens_rum import place_indicators

ds = common.dataset()
common.require_data(ds)
filters = common.sidebar_filters(ds, district=False)
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
common.keep_in_url(filters)

view = common.build("byens-rum", ds, filters)
common.header(view)
common.kpis(view)
left, right = st.columns([3, 2])
with left:
    common.map_(view, height=520)
with right:
    common.trends(view)
st.subheader("Steder")
common.table(view)
common.notes(view)
common.downloads(view, filters)
