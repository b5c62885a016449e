"""Indsatser: any of the 17 initiatives — description, partners, indicators, map and trends."""

import streamlit as st

from pages import common
from tryg_geo.initiatives import load_initiatives

ds = common.dataset()
common.require_data(ds)
filters = common.sidebar_filters(ds)
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
common.keep_in_url(filters)

view = common.build(f"indsats/{slug}", ds, filters)
common.header(view)
common.kpis(view)
if view.map is not None:
    common.open_district(common.map_(view, height=460), filters)
common.trends(view)
with st.expander("Tal bag figurerne"):
    common.table(view)
common.notes(view)
common.downloads(view, filters)
