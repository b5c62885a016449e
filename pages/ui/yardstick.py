"""The yardstick of a chosen district (``tryg_geo.views.yardstick``): every page where a
district is chosen shows it under its own table."""

from __future__ import annotations

import streamlit as st

from tryg_geo import Dataset, Filters, yardstick_part

from .render import md_text


def yardstick_section(ds: Dataset, filters: Filters) -> None:
    """The chosen district against the rest of the kommune and the districts most like it;
    nothing when no district is chosen, and why not when it has no population."""
    part = yardstick_part(ds, filters)
    if part is None:
        return
    st.header(md_text(part.title))
    if part.missing:  # no population: say why, and which column to import
        st.info(md_text(part.missing))
        return
    st.table(part.display.set_index(part.display.columns[0]))
    for sentence in part.sentences:
        st.markdown(f"- {md_text(sentence)}")
    st.caption(md_text(part.note))
