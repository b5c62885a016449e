"""Page state: the data, the sidebar filters (mirrored in the URL) and the one boundary where
a view's errors become a Danish sentence."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TypeVar

import pandas as pd
import streamlit as st

from tryg_geo import (
    DATA_UNAVAILABLE,
    PRESETS,
    SCHEMES,
    Dataset,
    Filters,
    Store,
    TrygGeoError,
    View,
    build_view,
    default_filters,
    fmt,
    load_dataset,
    period_caption,
    privacy,
)

from . import cache
from .auth import can, require
from .cache import pinned

ALL_DISTRICTS = "(hele kommunen)"
T = TypeVar("T")


def dataset() -> Dataset:
    """The current data; loaded once per data version (cached inside tryg_geo).

    Only for a role that may see the views (``require("view")``): a page script run without
    ``dashboard.py``'s gate (``streamlit run`` without ``serve.py`` treats ``pages/`` as pages
    of their own) still gets no data.
    """
    require("view")
    try:
        return load_dataset(Store())
    except TrygGeoError as exc:
        data_error(exc)
        st.stop()


def data_error(exc: TrygGeoError) -> None:
    """Why the data cannot be read: in full (files, cause, repair command) for the data
    steward, who can repair it; every other role gets :data:`DATA_UNAVAILABLE` and no paths."""
    logging.getLogger("tryg_geo").error("Data kunne ikke indlæses: %s", exc.message)
    if can("rollback"):
        st.error(plain_markdown(exc.message))
    else:
        st.error(DATA_UNAVAILABLE)


def build(key: str, ds: Dataset, filters: Filters) -> View:
    """The view ``key`` — the one boundary where an error becomes a Danish sentence.

    Views are shared between reruns and sessions per data version and filters (see
    :mod:`pages.ui.cache`): a filter state seen before is drawn without counting again.
    """
    try:
        return cache.VIEWS.get_or_make(
            _state_key(key, ds, filters), lambda: build_view(key, ds, filters)
        )
    except TrygGeoError as exc:
        st.error(str(exc))
    except Exception:  # a bug: say so plainly; the details go to the server log only
        logging.getLogger("tryg_geo").exception("Visningen %s fejlede", key)
        st.error(
            "Visningen kunne ikke vises på grund af en fejl i Tryg Geo (ikke i jeres data). "
            "Prøv andre filtre, og giv udviklerne besked med tidspunktet."
        )
    st.stop()


def derived(name: str, ds: Dataset, filters: Filters, make: Callable[[], T]) -> T:
    """``make()``, a part of a page that depends on the data version and the filters alone
    (Analyse's panels beside its view), kept like the views (:data:`cache.PARTS`)."""
    return cache.PARTS.get_or_make(_state_key(name, ds, filters), make)


def _state_key(name: str, ds: Dataset, filters: Filters) -> tuple:
    # The preset only names the period; the view depends on the dates (on data that end on
    # 31 December, "seneste 12 måneder", "år til dato" and "seneste hele år" are one view).
    # The discretion limit is part of the key: a settings.toml raised to 10 while the server
    # runs must never be answered with views hidden at 5.
    same = filters.with_(preset="")
    extra = tuple(sorted(filters.extra.items()))
    return pinned(ds, (name, ds.version, same, extra, privacy.threshold()))


def require_data(ds: Dataset, *, incidents: bool = False) -> None:
    if ds.districts is None and ds.incidents is None and ds.measurements is None:
        st.info(
            # The page's import first: a municipal user has no shell; `make dashboard` is the
            # demo-data hint for whoever installed it.
            "Der er ingen data endnu. Importér jeres egne filer på siden **Data**. Demodata fås "
            "ved at køre `make dashboard` i en tom data-mappe (for den, der har installeret "
            "dashboardet)."
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
        st.header("Filtre")
        preset = st.selectbox(
            "Periode",
            list(PRESETS),
            index=list(PRESETS).index(current.preset),
            format_func=PRESETS.get,
            key="flt_preset",
            help=f"Forudindstillinger regnes fra sidste dag med data ({fmt.day(data_end)}).",
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
    # Each date inside the data's span, as Filters.from_params does for the command line: a
    # preset reaching before the first day with data starts on that day in both.
    start = min(max(_as_date(start), data_start), data_end)
    end = min(max(_as_date(end), data_start), data_end)
    filters = current.with_(
        preset=preset,
        start=min(start, end),
        end=max(start, end),
        categories=chosen_categories,
        district=chosen_district,
    )
    # The period's name says what the data cover when the preset reaches before them.
    caption = period_caption(filters, ds)
    if caption != PRESETS.get(preset):
        st.sidebar.caption(caption)
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


def plain_markdown(text: str) -> str:
    """``text`` shown as written: paths and version names hold ``_`` and ``*``."""
    for mark in ("\\", "_", "*", "`", "[", "]", "<"):
        text = text.replace(mark, "\\" + mark)
    return text.replace("\n", "  \n")


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else pd.Timestamp(value).date()
