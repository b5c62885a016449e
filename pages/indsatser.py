"""Indsatser: any of the 17 initiatives — description, partners, indicators, map and trends."""

import streamlit as st

from pages import ui
from tryg_geo import load_initiatives

ds = ui.dataset()
ui.require_data(ds)
filters = ui.sidebar_filters(ds)
initiatives = {i.slug: i.title for i in load_initiatives()}
slugs = list(initiatives)
slug = st.selectbox(
    "Indsats",
    slugs,
    format_func=initiatives.get,
    key="flt_initiative",
    index=slugs.index(filters.initiative) if filters.initiative in slugs else 0,
)
filters = filters.with_(initiative=slug)
ui.keep_in_url(filters)

view = ui.build(f"indsats/{slug}", ds, filters)
ui.header(view)
ui.kpis(view)
if view.map is not None:
    ui.open_district(ui.map_(view, height=460, clickable=True), filters)
ui.trends(view)
with st.expander("Tal bag figurerne"):
    ui.table(view)
ui.yardstick_section(ds, filters)  # a chosen district against the kommune and its likes
ui.notes(view)
ui.downloads(view, filters)
ui.template_button(slug)
