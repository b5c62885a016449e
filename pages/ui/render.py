"""Rendering a View on a page: title, key figures, map, trends, table, notes and downloads."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import streamlit as st
from streamlit_folium import st_folium

from tryg_geo import (
    DIALECTS,
    Filters,
    PrerenderedLayers,
    TrygGeoError,
    View,
    csv_table,
    file_stem,
    fmt,
    frame_map,
    page_wording,
    privacy,
    role_files,
    settings,
    suppression_problems,
    trend_chart,
    trend_text,
    view_csv,
    view_map_text,
    view_png,
)

from . import cache
from .auth import role
from .cache import pinned

T = TypeVar("T")

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
        st.info(md_text(page_wording(view.missing)))  # the page's import, not the command


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


def map_(
    view: View, *, key: str = "kort", height: int = 520, clickable: bool = False
) -> str | None:
    """Draw the view's map with its text alternative below it; with ``clickable``, return the
    feature id the user clicked last (new clicks only; Enter on a district focused with Tab
    counts as a click).

    streamlit-folium's public ``st_folium``: the frame (Leaflet, tiles, zoom buttons) is the
    same for every filter, so the component keeps its key (one per page) and its iframe; the
    view's layers go in as ``feature_group_to_add``, which the component swaps in place. No
    ``center`` or ``zoom`` is given: the map stays where the user zoomed and panned it, and only
    the first layers fit it to their data (:class:`tryg_geo.render.map_controls.FirstFit`). A map that
    is not ``clickable`` reads nothing back (``returned_objects=[]``), so a click on it never
    reruns the page.
    """
    if view.map is None:
        return None
    try:
        frame, layers, description = _map_parts(view, settings.get("basemap"))
    except TrygGeoError as exc:
        st.error(str(exc))
        return None
    component = f"{key}-{view.key}"
    result = st_folium(
        frame,
        key=component,
        height=height,
        use_container_width=True,
        returned_objects=["last_active_drawing"] if clickable else [],
        feature_group_to_add=layers,
        center=None,
        zoom=None,
    )
    if description:
        st.caption(md_text(description))
    feature = (result or {}).get("last_active_drawing") or {}
    clicked = feature.get("properties", {}).get("feature_id")
    if not clickable or clicked is None:
        return None
    clicked = html.unescape(str(clicked))
    if st.session_state.get(f"_last_click_{component}") == clicked:
        return None
    st.session_state[f"_last_click_{component}"] = clicked
    return clicked


def _map_parts(view: View, basemap: str) -> tuple[Any, Any, str | None]:
    """The map's frame, its layers and its text alternative. ``st_folium`` renders and changes
    the folium objects it is given, so both are new on every run; the layers' script is made
    once per view (:data:`cache.MAPS`), so a rerun that shows a map seen before does not render
    its GeoJSON again."""
    description, layers = prepared(view)
    return frame_map(basemap), layers.group(), description


def prepared(view: View) -> tuple[str | None, PrerenderedLayers]:
    """The text alternative and the rendered layers of ``view``'s map, made once per map
    (:data:`cache.MAPS`); safe to call from a thread without a Streamlit context."""
    return cache.MAPS.get_or_make(pinned(view.map), lambda: _layers(view))


def _layers(view: View) -> tuple[str | None, PrerenderedLayers]:
    description = view_map_text(view)
    return description, PrerenderedLayers.of_spec(view.map, description=description)


def open_district(clicked: str | None, filters: Filters) -> None:
    """A click on a district opens its profile: remember it and rerun."""
    if clicked and clicked != filters.district:
        st.session_state["_pending_district"] = clicked
        st.rerun()


def trends(view: View) -> None:
    """Each trend chart with its text alternative (a sentence below it)."""
    for trend in view.trends:
        # Kept per content of the trend, as its chart: a filter change that leaves a trend as
        # it was (Byens rum's for other categories, Overblik's sparklines) writes no new text.
        key = (cache.content_key(trend), privacy.threshold())  # the text says "<5"
        text = cache.CHARTS.get_or_make(("trend-text", key), lambda t=trend: trend_text(t))
        if trend.data.empty or trend.data["value"].notna().sum() == 0:
            st.caption(md_text(text))
            continue
        chart(trend_chart, trend, content=key)
        st.caption(md_text(text))


def chart(
    builder: Callable[..., Any],
    data: Any,
    container=st,
    *,
    content: Hashable | None = None,
    **options: Any,
) -> None:
    """Draw the Vega-Lite spec ``builder(data, **options)`` (a chart of
    tryg_geo.render.charts). The spec is made once per content of the data (a trend that a new
    period leaves as it was, say Overblik's 17 sparklines, is not built again; see
    :func:`pages.ui.cache.content_key`); ``content`` is that key when the caller has it. The
    discretion limit is in the key too: a chart's legend and tooltips name it ('<5')."""
    key = content if content is not None else (cache.content_key(data), privacy.threshold())
    spec = cache.CHARTS.get_or_make(
        (builder.__qualname__, tuple(sorted(options.items())), key),
        lambda: builder(data, **options),
    )
    container.vega_lite_chart(spec, width="stretch")


#: A formatted table of at most this many rows is shown whole, as an HTML table.
WHOLE_TABLE_ROWS = 40


def table(view: View, limit: int = 300, *, empty: str | None = None) -> None:
    """The view's table as the role may see it; long tables show their first ``limit`` rows
    (the CSV has them all); an empty one says so in Danish (``empty``, else a plain
    sentence; the header already shows :attr:`View.missing`).

    A short formatted table (Byens rum's places, Tryg bydel's districts) is an HTML table with
    its first column as row headers: headers and cells wrap, so no column is cut at the right
    edge as in the scrolling grid, and a screen reader names each cell's row and column."""
    view = as_role(view)
    shown = view.display if view.display is not None else view.table
    if shown.empty:  # Danish words, not the grid's "empty"
        st.caption(md_text(empty or "Ingen rækker at vise for de valgte filtre."))
        return
    if view.display is not None and 0 < len(view.display) <= WHOLE_TABLE_ROWS:
        st.table(view.display.set_index(view.display.columns[0]))
        return
    if len(shown) > limit:
        st.caption(f"Viser de første {limit} af {len(shown)} rækker; Hent CSV giver dem alle.")
        shown = shown.head(limit)
    st.dataframe(shown, hide_index=True, width="stretch")


def as_role(view: View) -> View:
    """``view`` as the signed-in person's role may have it (:func:`tryg_geo.role_files.for_role`),
    one copy per view and role: the same object on every rerun, so its map and its tables are
    made once (:data:`cache.MAPS`, :func:`view_part`). A role that is withheld nothing gets
    the view itself, and no entry is kept for it."""
    who = role()
    if not role_files.withholds(view.key, who):
        return view
    return cache.PARTS.get_or_make(
        pinned(view, "for_role", who), lambda: role_files.for_role(view, who)
    )


def view_part(make: Callable[[View], T], view: View) -> T:
    """``make(view)`` (a formatted table drawn from the view, say), made once per view object
    and ``make``. The role is not in the key: pass the role's copy (:func:`as_role`), which is
    another object for every role that is withheld something."""
    return cache.PARTS.get_or_make(pinned(view, make), lambda: make(view))


def notes(view: View) -> None:
    for note in view.notes:
        st.caption(md_text(page_wording(note)))
    st.caption(md_text(view.source))
    if view.as_of:
        st.caption(md_text(view.as_of))


def downloads(view: View, filters: Filters, *, part: str = "") -> None:
    """'Hent PNG' and 'Hent CSV': made only when clicked, from the same View as the screen,
    holding only what the person's role may see (``tryg_geo.role_files``). ``part`` tells
    apart two sets of buttons of one view on one page (Analyse's emerging hot spots)."""
    if view.table.empty:  # never a file of empty values (the command line refuses it too)
        st.caption("Ingen tal at hente for de valgte filtre.")
        return
    left, middle, right = st.columns([1, 1, 2])
    dialect = right.radio(
        "CSV-format",
        list(DIALECTS),
        format_func=DIALECTS.get,
        horizontal=True,
        key=f"dialect_{view.key}{part}",
        label_visibility="collapsed",
    )
    stem = file_stem(view, filters)
    who = role()  # decided on the server for this run; the files are made for this role
    left.download_button(
        "Hent PNG",
        data=lambda: view_png(view, role=who),
        file_name=f"{stem}.png",
        mime="image/png",
        key=f"png_{view.key}{part}",
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
        key=f"csv_{view.key}{part}",
        on_click="ignore",
    )


def md_text(value: object) -> str:
    """Data text safe for Streamlit's Markdown: the characters that make links, images, HTML,
    LaTeX, emphasis or tables are backslash-escaped, so a name like '<img src=x onerror=…>',
    '![](http://…)' or '$x$' is shown as typed and never fetches or runs anything. A line
    that starts like a list ('4. kvt. 2025 er …', '- 3') stays text, not a numbered list."""
    text = re.sub(r"([\\`*_\[\]<>#!$|~{}])", r"\\\1", str(value))
    text = re.sub(r"(?m)^(\s*\d+)([.)])(?=\s|$)", r"\1\\\2", text)
    return re.sub(r"(?m)^(\s*)([-+])(?=\s|$)", r"\1\\\2", text)
