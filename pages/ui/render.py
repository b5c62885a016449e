"""Rendering a View on a page: title, key figures, map, trends, table, notes and downloads."""

from __future__ import annotations

import html
import re

import streamlit as st
from streamlit_folium import st_folium

from tryg_geo import (
    DIALECTS,
    Filters,
    TrygGeoError,
    View,
    csv_table,
    file_stem,
    settings,
    spec_map,
    suppression_problems,
    trend_chart,
    view_csv,
    view_png,
)

# ---- rendering -------------------------------------------------------------------------------


def header(view: View) -> None:
    st.title(md_text(view.title))
    if view.demo:
        st.warning("**Demodata** – genererede eksempeldata, ikke rigtige tal.", icon="⚠️")
    st.caption(md_text(view.subtitle))


def kpis(view: View) -> None:
    if not view.kpis:
        return
    for column, kpi in zip(st.columns(len(view.kpis)), view.kpis, strict=True):
        delta = (
            kpi.delta if kpi.delta not in (None, "–") and not kpi.delta.startswith("±") else None
        )
        # st.metric reads the direction from a leading ASCII minus, not the typographic one.
        delta = delta.replace("−", "-") if delta else None
        column.metric(
            md_text(kpi.label),
            kpi.value,
            delta,
            help=kpi.help and md_text(kpi.help),
            delta_color="off",
        )


def map_(view: View, *, key: str = "kort", height: int = 520) -> str | None:
    """Draw the view's map; return the feature id the user clicked last (new clicks only)."""
    if view.map is None:
        return None
    try:
        folium_map = spec_map(view.map, basemap=settings.get("basemap"))
    except TrygGeoError as exc:
        st.error(str(exc))
        return None
    result = st_folium(
        folium_map,
        returned_objects=["last_active_drawing"],
        key=key,
        height=height,
        width="stretch",
    )
    feature = (result or {}).get("last_active_drawing") or {}
    clicked = feature.get("properties", {}).get("feature_id")
    if clicked is None:
        return None
    clicked = html.unescape(str(clicked))
    if st.session_state.get(f"_last_click_{key}") == clicked:
        return None
    st.session_state[f"_last_click_{key}"] = clicked
    return clicked


def open_district(clicked: str | None, filters: Filters) -> None:
    """A click on a district opens its profile: remember it and rerun."""
    if clicked and clicked != filters.district:
        st.session_state["_pending_district"] = clicked
        st.rerun()


def trends(view: View) -> None:
    for trend in view.trends:
        if trend.data.empty or trend.data["value"].notna().sum() == 0:
            st.caption(md_text(f"{trend.title}: for få tal til at vise en udvikling."))
            continue
        chart(trend_chart(trend))


def chart(altair_chart, container=st) -> None:
    """Draw an Altair chart from its Vega-Lite spec, built once without schema validation:
    the charts are made by tryg_geo.render.charts (tested there), and validating on every rerun
    costs tens of milliseconds."""
    container.vega_lite_chart(altair_chart.to_dict(validate=False), width="stretch")


def table(view: View, limit: int = 300) -> None:
    """The view's table; long tables show their first ``limit`` rows (the CSV has them all)."""
    shown = view.display if view.display is not None else view.table
    if len(shown) > limit:
        st.caption(f"Viser de første {limit} af {len(shown)} rækker; Hent CSV giver dem alle.")
        shown = shown.head(limit)
    st.dataframe(shown, hide_index=True, width="stretch")


def notes(view: View) -> None:
    for note in view.notes:
        st.caption(md_text(note))
    st.caption(md_text(view.source))


def downloads(view: View, filters: Filters) -> None:
    """'Hent PNG' and 'Hent CSV': made only when clicked, from the same View as the screen."""
    left, middle, right = st.columns([1, 1, 2])
    dialect = right.radio(
        "CSV-format",
        list(DIALECTS),
        format_func=DIALECTS.get,
        horizontal=True,
        key=f"dialect_{view.key}",
        label_visibility="collapsed",
    )
    stem = file_stem(view, filters)
    left.download_button(
        "Hent PNG",
        data=lambda: view_png(view),
        file_name=f"{stem}.png",
        mime="image/png",
        key=f"png_{view.key}",
        on_click="ignore",
    )
    problems = suppression_problems(csv_table(view))
    if problems:  # the CSV would refuse to be made: say why instead of failing on click
        middle.caption("CSV kan ikke hentes: " + "; ".join(problems))
        return
    middle.download_button(
        "Hent CSV",
        data=lambda: view_csv(view, dialect),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"csv_{view.key}",
        on_click="ignore",
    )


def md_text(value: object) -> str:
    """Data text safe for Streamlit's Markdown: the characters that make links, images, HTML,
    LaTeX, emphasis or tables are backslash-escaped, so a name like '<img src=x onerror=…>',
    '![](http://…)' or '$x$' is shown as typed and never fetches or runs anything."""
    return re.sub(r"([\\`*_\[\]<>#!$|~{}])", r"\\\1", str(value))
