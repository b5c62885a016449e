"""Rendering a View on a page: title, key figures, map, trends, table, notes and downloads."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import streamlit as st
import streamlit_folium

from tryg_geo import (
    DIALECTS,
    Filters,
    TrygGeoError,
    View,
    csv_table,
    file_stem,
    fmt,
    role_files,
    settings,
    spec_map,
    suppression_problems,
    trend_chart,
    view_csv,
    view_map_text,
    view_png,
    view_trend_texts,
)

from . import cache
from .auth import role
from .cache import pinned

# ---- rendering -------------------------------------------------------------------------------


def header(view: View) -> None:
    st.title(md_text(view.title))
    if view.demo and view.demo_label not in (None, "Demodata"):
        st.warning(
            "**Demodata** i en del af visningen – kun de dele, der står som demodata, er "
            f"genererede eksempeldata: {md_text(view.demo_label)}.",
            icon="⚠️",
        )
    elif view.demo:
        st.warning("**Demodata** – genererede eksempeldata, ikke rigtige tal.", icon="⚠️")
    st.caption(md_text(view.subtitle))
    if view.missing:
        st.info(md_text(view.missing))


def kpis(view: View) -> None:
    if not view.kpis:
        return
    for column, kpi in zip(st.columns(len(view.kpis)), view.kpis, strict=True):
        # The arrow is given, so the text keeps its typographic minus ('−18 %').
        delta, arrow = fmt.metric_delta(kpi.delta)
        column.metric(
            md_text(kpi.label),
            kpi.value,
            delta,
            help=kpi.help and md_text(kpi.help),
            delta_color="off",
            delta_arrow=arrow,
        )


def map_(view: View, *, key: str = "kort", height: int = 520) -> str | None:
    """Draw the view's map with its text alternative below it; return the feature id the user
    clicked last (new clicks only; Enter on a district focused with Tab counts as a click)."""
    if view.map is None:
        return None
    basemap = settings.get("basemap")
    try:
        args, description = cache.MAPS.get_or_make(
            pinned(view.map, basemap, key, height),
            lambda: _map_args(view, basemap, key=key, height=height),
        )
    except TrygGeoError as exc:
        st.error(str(exc))
        return None
    result = streamlit_folium._component_func(**args)
    if description:
        st.caption(md_text(description))
    feature = (result or {}).get("last_active_drawing") or {}
    clicked = feature.get("properties", {}).get("feature_id")
    if clicked is None:
        return None
    clicked = html.unescape(str(clicked))
    if st.session_state.get(f"_last_click_{key}") == clicked:
        return None
    st.session_state[f"_last_click_{key}"] = clicked
    return clicked


def _map_args(view: View, basemap: str, *, key: str, height: int) -> tuple[dict, str | None]:
    """The map component's arguments and the map's text alternative (made once per map)."""
    description = view_map_text(view)
    folium_map = spec_map(view.map, basemap=basemap, description=description)
    return folium_args(folium_map, key=key, height=height), description


def open_district(clicked: str | None, filters: Filters) -> None:
    """A click on a district opens its profile: remember it and rerun."""
    if clicked and clicked != filters.district:
        st.session_state["_pending_district"] = clicked
        st.rerun()


def trends(view: View) -> None:
    """Each trend chart with its text alternative (a sentence below it)."""
    for trend, text in zip(view.trends, view_trend_texts(view), strict=True):
        if trend.data.empty or trend.data["value"].notna().sum() == 0:
            st.caption(md_text(text))
            continue
        chart(trend_chart, trend)
        st.caption(md_text(text))


def chart(builder: Callable[..., Any], data: Any, container=st, **options: Any) -> None:
    """Draw ``builder(data, **options)`` (an Altair chart of tryg_geo.render.charts) from its
    Vega-Lite spec. The spec is made once per content of the data (a trend that a new period
    leaves as it was, say Overblik's 17 sparklines, is not built again; see
    :func:`pages.ui.cache.content_key`) and without schema validation: the charts are tested in
    tryg_geo, and building and validating them on every rerun costs tens of milliseconds."""
    spec = cache.CHARTS.get_or_make(
        (builder.__qualname__, tuple(sorted(options.items())), cache.content_key(data)),
        lambda: builder(data, **options).to_dict(validate=False),
    )
    container.vega_lite_chart(spec, width="stretch")


#: A formatted table of at most this many rows is shown whole, as an HTML table.
WHOLE_TABLE_ROWS = 40


def table(view: View, limit: int = 300) -> None:
    """The view's table as the role may see it; long tables show their first ``limit`` rows
    (the CSV has them all).

    A short formatted table (Byens rum's places, Tryg bydel's districts) is an HTML table with
    its first column as row headers: headers and cells wrap, so no column is cut at the right
    edge as in the scrolling grid, and a screen reader names each cell's row and column."""
    view = role_files.for_role(view, role())
    if view.display is not None and 0 < len(view.display) <= WHOLE_TABLE_ROWS:
        st.table(view.display.set_index(view.display.columns[0]))
        return
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
    """'Hent PNG' and 'Hent CSV': made only when clicked, from the same View as the screen,
    holding only what the person's role may see (``tryg_geo.role_files``)."""
    if view.table.empty:  # never a file of empty values (the command line refuses it too)
        st.caption("Ingen tal at hente for de valgte filtre.")
        return
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
    who = role()  # decided on the server for this run; the files are made for this role
    left.download_button(
        "Hent PNG",
        data=lambda: view_png(view, role=who),
        file_name=f"{stem}.png",
        mime="image/png",
        key=f"png_{view.key}",
        on_click="ignore",
    )
    problems = cache.CHARTS.get_or_make(
        pinned(view, "suppression_problems"), lambda: suppression_problems(csv_table(view))
    )
    if problems:  # the CSV would refuse to be made: say why instead of failing on click
        middle.caption("CSV kan ikke hentes: " + "; ".join(problems))
        return
    middle.download_button(
        "Hent CSV",
        data=lambda: view_csv(view, dialect, role=who),
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


def folium_args(folium_map, *, key: str, height: int) -> dict[str, Any]:
    """The arguments ``streamlit_folium.st_folium`` gives its component for ``folium_map``
    (``returned_objects=["last_active_drawing"]``, full width), made the way it makes them
    (streamlit-folium 0.27): the map rendered, its HTML, header and script, the component key
    hashed from the script, except that the map is rendered once, not twice (the second
    render changes nothing). Kept per view (:data:`cache.MAPS`), so a rerun that shows a map
    seen before sends it without rendering folium again."""
    sf = streamlit_folium
    folium_map.get_root().render()
    html_text = sf._get_html(folium_map)
    header = sf._get_header(folium_map)
    leaflet = sf._get_map_string(folium_map)
    returned = ["last_active_drawing"]
    js_links: list[str] = []
    css_links: list[str] = []

    def walk(element) -> None:  # every element's scripts and styles (only Leaflet's: render.maps)
        css_links.extend(href for _, href in getattr(element, "default_css", []))
        js_links.extend(src for _, src in getattr(element, "default_js", []))
        for child in getattr(element, "_children", {}).values():
            walk(child)

    walk(folium_map)
    return {
        "script": leaflet,
        "header": header,
        "html": html_text,
        "id": sf.get_full_id(folium_map),
        "key": sf.generate_js_hash(leaflet, key, False),
        "height": height,
        "width": "stretch",
        "returned_objects": returned,
        "default": {"last_active_drawing": None},
        "zoom": None,
        "center": None,
        "feature_group": None,
        "return_on_hover": False,
        "layer_control": None,
        "pixelated": False,
        "css_links": list(dict.fromkeys(css_links)),
        "js_links": list(dict.fromkeys(js_links)),
        "wrap_longitude": False,
    }
