"""Overblik's comparison with other kommuner (StatBank): chart, its text, table and files.

The numbers are the view ``kommuner`` (``tryg_geo.views.kommuner``); without StatBank's tables
the view's ``missing`` says, in Danish, which tables to fetch and how to import them.
"""

from __future__ import annotations

import streamlit as st

from tryg_geo import Dataset, Filters, kommune_chart, page_wording

from .render import chart, downloads, md_text, notes, table
from .state import build


def kommune_section(ds: Dataset, filters: Filters) -> None:
    """The section "<kommune> og andre kommuner" of Overblik."""
    view = build("kommuner", ds, filters)
    st.header(md_text(view.title))
    if view.missing:
        st.info(md_text(page_wording(view.missing)))  # the page's import, not the command
        return
    st.caption(md_text(view.subtitle))
    chart(kommune_chart, view.table)
    with st.expander("Diagrammet som tekst"):
        for sentence in view.highlights:
            st.markdown(f"- {md_text(sentence)}")
    table(view)
    notes(view)
    downloads(view, filters)
