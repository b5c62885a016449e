"""Analyse: significant hotspots (Gi*) and near repeat (Knox), each explained in Danish."""

import streamlit as st

from pages import ui
from tryg_geo import (
    CELL_CHOICES,
    PERMUTATION_CHOICES,
    PERMUTATION_PARAM,
    URL_KEYS,
    analyse_panels,
    permutations_of,
    role_files,
)

CELLS = list(CELL_CHOICES)

ds = ui.dataset()
ui.require_data(ds, incidents=True)
filters = ui.sidebar_filters(ds)
with st.sidebar:
    st.header("Analyse")
    cell = st.radio(
        "Cellestørrelse (hotspots)",
        CELLS,
        horizontal=True,
        key="flt_cell",
        # 1 km unless the link says otherwise: 100 m cells are mostly empty over a kommune.
        index=CELLS.index(filters.cell) if URL_KEYS["cell"] in st.query_params else 2,
    )
    permutations = st.radio(
        "Permutationer (nær-gentagelse)",
        PERMUTATION_CHOICES,
        horizontal=True,
        key="flt_perm",
        index=PERMUTATION_CHOICES.index(permutations_of(filters)),
        help="999 er standard og giver de mest præcise p-værdier; 99 er hurtigere.",
    )
filters = filters.with_(cell=cell, extra={**filters.extra, PERMUTATION_PARAM: str(permutations)})
ui.keep_in_url(filters)
# z-scores, p-values and pair counts are analyst detail (tryg_geo.role_files decides who sees them).
detail = role_files.may_see(ui.role(), "analyse", "hotspot_detail")

view = ui.build("analyse", ds, filters)
panels = analyse_panels(ds, filters, detail=detail)
ui.header(view)
if not filters.categories:
    st.caption("Ingen kategori valgt: analysen bruger indbrud i beboelse.")
ui.kpis(view)

st.header("Nær-gentagelse: kommer hændelserne i bølger?")
st.info(ui.md_text(panels.reading))
if panels.heat is not None:
    styles = panels.heat_styles
    st.dataframe(
        panels.heat.style.apply(lambda _: styles, axis=None), hide_index=True, width="stretch"
    )
    st.caption(
        "Tallene er Knox-ratioer: 1 = som forventet, 2 = dobbelt så mange par. Rødt er flere "
        "par end forventet, blåt færre; * = p < 0,05 (næppe tilfældigt)."
    )
if panels.knox_detail is not None:
    with st.expander("Observerede og forventede par (analytiker)"):
        st.dataframe(panels.knox_detail, hide_index=True, width="stretch")

st.header("Hotspots: hvor er der flere hændelser, end tilfældigheder kan forklare?")
ui.map_(view, height=560)
st.caption(ui.md_text(panels.hotspot_summary))
if panels.hotspot_detail is not None:
    with st.expander("Gi* z-værdier og p-værdier (analytiker)"):
        st.dataframe(panels.hotspot_detail, hide_index=True, width="stretch")
ui.yardstick_section(ds, filters)  # a chosen district against the kommune and its likes
ui.time_slider(view, ds, filters)
ui.notes(view)
ui.downloads(view, filters)
