"""Tryg bydel: a choropleth per district of a chosen indicator, ranking and district profile."""

import streamlit as st

from pages import common
from tryg_geo.tryg_bydel import tryg_bydel_indicators

ds = common.dataset()
common.require_data(ds)
filters = common.sidebar_filters(ds)
indicators = tryg_bydel_indicators()
indicator = st.sidebar.selectbox(
    "Indikator",
    list(indicators),
    format_func=indicators.get,
    key="flt_indicator",
    index=list(indicators).index(filters.indicator) if filters.indicator in indicators else 0,
)
filters = filters.with_(indicator=indicator, scheme=common.scheme_widget(filters))
common.keep_in_url(filters)

view = common.build("tryg-bydel", ds, filters)
common.header(view)
common.kpis(view)
left, right = st.columns([3, 2])
with left:
    common.open_district(common.map_(view), filters)
    st.caption("Klik på et område for at se dets profil og udvikling.")
with right:
    common.trends(view)
st.subheader("Rangering")
common.table(view)
common.notes(view)
common.downloads(view, filters)
