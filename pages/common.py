"""What every page shares: the sidebar filters (kept in the URL), and rendering a View.

Pages stay thin: read widgets here, make one call into ``tryg_geo``, render with these helpers.
"""

from __future__ import annotations

import html
import logging
from datetime import date

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from tryg_geo import charts, export, maps, settings
from tryg_geo.dataset import Dataset, load_dataset
from tryg_geo.errors import TrygGeoError
from tryg_geo.filters import PRESETS, SCHEMES, Filters
from tryg_geo.fmt import day
from tryg_geo.store import Store
from tryg_geo.view import View
from tryg_geo.views import build_view, default_filters

ALL_DISTRICTS = "(hele kommunen)"


def dataset() -> Dataset:
    """The current data; loaded once per data version (cached inside tryg_geo)."""
    try:
        return load_dataset(Store())
    except TrygGeoError as exc:
        st.error(str(exc))
        st.stop()


def build(key: str, ds: Dataset, filters: Filters) -> View:
    """The view ``key`` — the one boundary where an error becomes a Danish sentence."""
    try:
        return build_view(key, ds, filters)
    except TrygGeoError as exc:
        st.error(str(exc))
    except Exception:  # a bug: say so plainly; the details go to the server log only
        logging.getLogger("tryg_geo").exception("Visningen %s fejlede", key)
        st.error(
            "Visningen kunne ikke vises på grund af en fejl i Tryg Geo (ikke i jeres data). "
            "Prøv andre filtre, og giv udviklerne besked med tidspunktet."
        )
    st.stop()


def require_data(ds: Dataset, *, incidents: bool = False) -> None:
    if ds.districts is None and ds.incidents is None and ds.measurements is None:
        st.info(
            "Der er ingen data endnu. Kør `make dashboard` (laver demodata), eller importér "
            "jeres egne filer på siden **Data**."
        )
        st.stop()
    if incidents and not ds.has_incidents:
        st.info("Der er ingen hændelser indlæst. Importér en fil med hændelser på siden **Data**.")
        st.stop()


# ---- filters <-> URL -------------------------------------------------------------------------
def sidebar_filters(ds: Dataset, *, categories: bool = True, district: bool = True) -> Filters:
    """Period, category and district widgets; their state is mirrored in the URL."""
    current = default_filters(ds, dict(st.query_params))
    _apply_pending_click()
    data_start, data_end = ds.incident_span
    with st.sidebar:
        st.subheader("Filtre")
        preset = st.selectbox(
            "Periode",
            list(PRESETS),
            index=list(PRESETS).index(current.preset),
            format_func=PRESETS.get,
            key="flt_preset",
            help=f"Forudindstillinger regnes fra sidste dag med data ({day(data_end)}).",
        )
        start, end = Filters.preset_period(preset, data_end, data_start)
        if preset == "custom":
            picked = st.date_input(
                "Fra – til",
                value=(current.start, current.end),
                min_value=data_start,
                max_value=data_end,
                format="DD.MM.YYYY",
                key="flt_dates",
            )
            if isinstance(picked, tuple | list) and len(picked) == 2:
                start, end = picked
        chosen_categories = current.categories
        if categories and ds.categories:
            chosen_categories = tuple(
                st.multiselect(
                    "Kategorier",
                    ds.categories,
                    default=[c for c in current.categories if c in ds.categories],
                    key="flt_categories",
                    placeholder="Alle kategorier",
                )
            )
        chosen_district = current.district
        if district and ds.district_names:
            chosen_district = _district_widget(ds, current.district)
    filters = current.with_(
        preset=preset,
        start=_as_date(start),
        end=_as_date(end),
        categories=chosen_categories,
        district=chosen_district,
    )
    return filters


def _district_widget(ds: Dataset, current: str | None) -> str | None:
    ids = [ALL_DISTRICTS, *sorted(ds.district_names, key=lambda i: ds.district_names[i])]
    if "flt_district" not in st.session_state:
        st.session_state["flt_district"] = current if current in ids else ALL_DISTRICTS
    picked = st.selectbox(
        "Område",
        ids,
        key="flt_district",
        format_func=lambda i: i if i == ALL_DISTRICTS else ds.district_names.get(i, i),
    )
    return None if picked == ALL_DISTRICTS else picked


def _apply_pending_click() -> None:
    # A map click arrives after the district widget exists; it is applied on the next run.
    pending = st.session_state.pop("_pending_district", None)
    if pending is not None:
        st.session_state["flt_district"] = pending


def keep_in_url(filters: Filters) -> None:
    """Write the filters to the URL so a copied link opens the same view."""
    wanted = filters.to_params()
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def scheme_widget(filters: Filters) -> str:
    return st.sidebar.radio(
        "Klasseinddeling",
        list(SCHEMES),
        index=list(SCHEMES).index(filters.scheme),
        format_func=SCHEMES.get,
        key="flt_scheme",
        horizontal=True,
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
        folium_map = maps.spec_map(view.map, basemap=settings.get("basemap"))
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
        chart(charts.trend_chart(trend))


def chart(altair_chart, container=st) -> None:
    """Draw an Altair chart from its Vega-Lite spec, built once without schema validation:
    the charts are made by tryg_geo.charts (tested there), and validating on every rerun
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
        list(export.DIALECTS),
        format_func=export.DIALECTS.get,
        horizontal=True,
        key=f"dialect_{view.key}",
        label_visibility="collapsed",
    )
    stem = export.file_stem(view, filters)
    left.download_button(
        "Hent PNG",
        data=lambda: export.view_png(view),
        file_name=f"{stem}.png",
        mime="image/png",
        key=f"png_{view.key}",
        on_click="ignore",
    )
    problems = export.suppression_problems(export.csv_table(view))
    if problems:  # the CSV would refuse to be made: say why instead of failing on click
        middle.caption("CSV kan ikke hentes: " + "; ".join(problems))
        return
    middle.download_button(
        "Hent CSV",
        data=lambda: export.view_csv(view, dialect),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"csv_{view.key}",
        on_click="ignore",
    )


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else pd.Timestamp(value).date()


def md_text(value: object) -> str:
    """Data text safe for Streamlit's Markdown: the characters that make links, images, HTML,
    LaTeX, emphasis or tables are backslash-escaped, so a name like '<img src=x onerror=…>',
    '![](http://…)' or '$x$' is shown as typed and never fetches or runs anything."""
    import re

    return re.sub(r"([\\`*_\[\]<>#!$|~{}])", r"\\\1", str(value))
