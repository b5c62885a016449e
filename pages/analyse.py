"""Analyse: significant hotspots (Gi*) and near repeat (Knox), each explained in Danish."""

import streamlit as st

from pages import ui
from tryg_geo import (
    CELL_CHOICES,
    DEFAULT_STEP,
    EMERGING_MODE,
    MAP_MODE_PARAM,
    PERMUTATION_CHOICES,
    PERMUTATION_PARAM,
    STEP_PARAM,
    STEPS,
    UNIT_PARAM,
    URL_KEYS,
    analyse_panels,
    emerging_detail,
    emerging_units,
    opening_cell,
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
        # The view's opening size (1 km) unless the link says otherwise.
        index=CELLS.index(
            filters.cell if URL_KEYS["cell"] in st.query_params else opening_cell("analyse")
        ),
    )
    permutations = st.radio(
        "Permutationer (nær-gentagelse)",
        PERMUTATION_CHOICES,
        horizontal=True,
        key="flt_perm",
        index=PERMUTATION_CHOICES.index(permutations_of(filters)),
        help="999 er standard og giver de mest præcise p-værdier; 99 er hurtigere.",
    )
    steps = list(STEPS)
    step = st.radio(
        "Tidstrin (nye og vedvarende hotspots og tidslinjen)",
        steps,
        format_func=STEPS.get,
        horizontal=True,
        key="flt_step",
        index=steps.index(filters.extra.get(STEP_PARAM, DEFAULT_STEP))
        if filters.extra.get(STEP_PARAM) in steps
        else steps.index(DEFAULT_STEP),
        help="Gi* beregnes for hver periode; mindst 8 perioder. Tidslinjen under kortet går "
        "frem i de samme trin.",
    )
    units = emerging_units(ds)  # districts only when loaded
    unit = st.radio(
        "Enhed (nye og vedvarende hotspots)",
        list(units),
        format_func=units.get,
        horizontal=True,
        key="flt_unit",
        index=list(units).index(filters.extra.get(UNIT_PARAM))
        if filters.extra.get(UNIT_PARAM) in units
        else 0,
        help="Celler viser mønstrene i kvadratnettet; områder pr. område (pr. 1.000 indbyggere, "
        "når indbyggertallet findes).",
    )
extra = {**filters.extra, PERMUTATION_PARAM: str(permutations), STEP_PARAM: step, UNIT_PARAM: unit}
filters = filters.with_(cell=cell, extra=extra)
ui.keep_in_url(filters)
# z-scores, p-values and pair counts are analyst detail (tryg_geo.role_files decides who sees them).
detail = role_files.may_see(ui.role(), "analyse", "hotspot_detail")

view = ui.build("analyse", ds, filters)
panels = ui.derived(
    f"analyse-panels-{detail}", ds, filters, lambda: analyse_panels(ds, filters, detail=detail)
)
ui.header(view)
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
# The notes (the advice on too few incidents per cell among them) and files of the hot spots
# and near repeat, under them and before the time slider's section.
ui.notes(view)
ui.downloads(view, filters)
ui.yardstick_section(ds, filters)  # a chosen district against the kommune and its likes
ui.time_slider(view, ds, filters, step=step)  # the page's one step choice

st.header("Nye og vedvarende hotspots: er mønstret nyt, voksende, varigt eller aftagende?")
# The same view as `export --view analyse --map emerging`; what the role may see is decided here,
# on the server, by tryg_geo.role_files (leaders: map and patterns; analysts: z-series too).
emerging_filters = filters.with_(extra={**filters.extra, MAP_MODE_PARAM: EMERGING_MODE})
emerging = ui.as_role(ui.build("analyse", ds, emerging_filters))
st.caption(ui.md_text(emerging.subtitle))  # the period analysed: often wider than the page's
for line in emerging.highlights:
    st.markdown(f"- {ui.md_text(line)}")
ui.map_(emerging, key="emerging", height=560)
st.subheader(f"{units[unit]} pr. mønster")
ui.table(emerging, empty=emerging.missing)  # one row per pattern; the CSV has one per location
if not emerging.table.empty and role_files.may_see(ui.role(), "analyse", "emerging_detail"):
    with st.expander(f"Z-værdier pr. periode og tendens, {units[unit].lower()} (analytiker)"):
        st.dataframe(ui.view_part(emerging_detail, emerging), hide_index=True, width="stretch")
ui.notes(emerging)
ui.downloads(emerging, emerging_filters, part="-emerging")
