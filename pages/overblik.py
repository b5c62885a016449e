"""Overblik: all 17 initiatives at a glance, for steering-group meetings."""

import streamlit as st

from pages import ui
from tryg_geo import trend_chart

ds = ui.dataset()
ui.require_data(ds)
filters = ui.sidebar_filters(ds, categories=False, district=False)
ui.keep_in_url(filters)

view = ui.build("overblik", ds, filters)
ui.header(view)
ui.show_alerts()
ui.kpis(view)
if view.highlights:
    st.header("Det vigtigste")
    for sentence in view.highlights:
        st.markdown(f"- {ui.md_text(sentence)}")

left, right = st.columns([3, 2])
with right:
    st.header("Tryghed pr. område")
    ui.map_(view, height=460)
with left:
    st.header("Indsatserne")
    display = (view.display if view.display is not None else view.table).to_dict("records")
    sparks = {t.title: t for t in view.trends}
    # Column headers, so "212" reads as the number of something (named under it).
    for col, heading in zip(
        st.columns([3, 2, 2, 2]),
        ("Indsats", "Seneste", "Ændring mod året før", "Status"),
        strict=True,
    ):
        col.markdown(f"**{heading}**")
    for (label, key), shown in zip(view.links, display, strict=False):
        cols = st.columns([3, 2, 2, 2])
        cols[0].page_link(
            "pages/indsatser.py",
            label=label,
            query_params=filters.with_(initiative=key.removeprefix("indsats/")).to_params(),
        )
        cols[1].markdown(ui.md_text(shown.get("Seneste", shown.get("value", ""))))
        if shown.get("Indikator"):
            cols[1].caption(ui.md_text(shown["Indikator"]))
        cols[2].markdown(ui.md_text(shown.get("Ændring", "")))
        cols[3].markdown(ui.md_text(shown.get("Status", "")))
        if label in sparks and not sparks[label].data.empty:
            ui.chart(trend_chart, sparks[label], cols[0], height=40, compact=True)
ui.notes(view)
ui.downloads(view, filters)
ui.kommune_section(ds, filters)  # beside other kommuner (StatBank), with its own files
ui.deck_downloads(ds, filters)
