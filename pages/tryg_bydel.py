"""Tryg bydel: a choropleth per district of a chosen indicator, ranking and district profile."""

import streamlit as st

from pages import ui
from tryg_geo import (
    CHANGE_MODE,
    HOTSPOT_MODE,
    MAP_MODE_PARAM,
    tryg_bydel_hints,
    tryg_bydel_indicator,
    tryg_bydel_indicators,
)

ds = ui.dataset()
ui.require_data(ds)
filters = ui.sidebar_filters(ds)
indicators = tryg_bydel_indicators()
hints = tryg_bydel_hints(ds, filters)  # None: has numbers for the period
indicator = st.sidebar.selectbox(
    "Indikator",
    list(indicators),
    format_func=lambda i: indicators[i] + ("" if hints[i] is None else " (ingen data)"),
    key="flt_indicator",
    index=list(indicators).index(tryg_bydel_indicator(ds, filters)),
    help="Indikatorer uden tal i perioden er markeret; vælg en for at se, hvilken fil der mangler.",
)
MODES = {"": "Indikator", HOTSPOT_MODE: "Hotspots (Gi*)", CHANGE_MODE: "Ændring mod året før"}
mode = st.sidebar.radio(
    "Kort",
    list(MODES),
    format_func=MODES.get,
    key="flt_map_mode",
    index=list(MODES).index(filters.extra.get(MAP_MODE_PARAM, ""))
    if filters.extra.get(MAP_MODE_PARAM, "") in MODES
    else 0,
    help="Hotspots: signifikante klynger af hændelser pr. 1.000 indbyggere (Getis-Ord Gi*). "
    "Ændring: hvert områdes ændring mod samme periode året før, testet.",
)
extra = {k: v for k, v in filters.extra.items() if k != MAP_MODE_PARAM}
extra |= {MAP_MODE_PARAM: mode} if mode else {}
filters = filters.with_(indicator=indicator, scheme=ui.scheme_widget(filters), extra=extra)
ui.keep_in_url(filters)

view = ui.build("tryg-bydel", ds, filters)
ui.header(view)
ui.kpis(view)
left, right = st.columns([3, 2])
with left:
    ui.open_district(ui.map_(view, clickable=True), filters)
    st.caption("Klik på et område for at se dets profil og udvikling.")
with right:
    ui.trends(view)
st.header("Rangering")
ui.table(view)
ui.yardstick_section(ds, filters)  # the chosen district against the kommune and its likes
ui.notes(view)
ui.downloads(view, filters)
