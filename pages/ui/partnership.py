"""Whose dashboard this is, on every page: the partnership's name (and logo) in the sidebar.

The setting is ``partnerskab.toml`` in the data folder, read by the store
(:meth:`tryg_geo.Store.partnership`); a broken file stops every page with its Danish error, as a
broken ``roles.toml`` does, so no page shows a name nobody chose.
"""

from __future__ import annotations

import streamlit as st

from tryg_geo import Partnership, Store, TrygGeoError

from .render import md_text


def current_partnership() -> tuple[Partnership, str | None]:
    """The partnership of the data folder, and the problem with its file (None when fine)."""
    try:
        return Store().partnership(), None
    except TrygGeoError as exc:
        return Partnership(), exc.message


def show_partnership(partnership: Partnership, problem: str | None) -> None:
    """The logo and name in the sidebar; a broken setting stops the run with its error."""
    if problem is not None:
        st.error(problem)
        st.stop()
    if partnership.logo is not None:
        st.logo(str(partnership.logo), size="large")
    st.sidebar.markdown(f"**{md_text(partnership.name)}**")
    st.sidebar.caption(md_text(partnership.partners_line))
