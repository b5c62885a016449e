"""Tryg bydel: a choropleth per district of a chosen indicator, ranking and district profile."""

import streamlit as st

from pages import ui
from tryg_geo import tryg_bydel_indicators

ds = ui.dataset()
ui.require_data(ds)
filters = ui.sidebar_filters(ds)
indicators = tryg_bydel_indicators()
indicator = st.sidebar.selectbox(
    "Indikator",
    list(indicators),
    format_func=indicators.get,
    key="flt_indicator",
    index=list(indicators).index(filters.indicator) if filters.indicator in indicators else 0,
)
filters = filters.with_(indicator=indicator, scheme=ui.scheme_widget(filters))
ui.keep_in_url(filters)

view = ui.build("tryg-bydel", ds, filters)
ui.header(view)
ui.kpis(view)
left, right = st.columns([3, 2])
with left:
    ui.open_district(ui.map_(view), filters)
    st.caption("Klik på et område for at se dets profil og udvikling.")
with right:
    ui.trends(view)
st.subheader("Rangering")
ui.table(view)
ui.notes(view)
ui.downloads(view, filters)
