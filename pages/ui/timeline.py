"""The time slider: one map per month, quarter or year of a view, on one colour scale.

A Streamlit fragment: moving the slider reruns this part of the page only (not the page's
view, charts and tables), and the map keeps its component, so the step's layers are swapped in
place like a filter change's (:func:`pages.ui.render.map_`) and the zoom stays. The steps are
counted once per data version and filters inside tryg_geo (:func:`tryg_geo.stepped_maps`);
each step's map and its layers' script once per step, the shown one first and, once the
slider has been moved, the others in a thread (:func:`_warm`), so stepping on finds them made.
"""

from __future__ import annotations

import threading

import streamlit as st

from tryg_geo import (
    ANIMATION_FORMATS,
    DEFAULT_STEP,
    STEPS,
    Dataset,
    Filters,
    SteppedMaps,
    View,
    animation_bytes,
    animation_name,
    mp4_available,
    step_view,
    stepped_maps,
)

from . import cache
from .auth import role
from .cache import pinned
from .render import map_, md_text, prepared

#: The map component's key prefix: one slider map per page, apart from the page's own map.
MAP_KEY = "tid"
#: The switch that shows the slider (browser tests and the slider benchmark click it by name).
SHOW_LABEL = "Vis et kort for hver periode"


@st.fragment
def time_slider(
    view: View, ds: Dataset, filters: Filters, *, step: str | None = None, height: int = 480
) -> None:
    """'Udvikling over tid': the step (its own choice unless the page has one, as Analyse
    does: one page, one step), the slider with the periods in Danish, the step's map with its
    text alternative, and the animation's downloads."""
    st.header("Udvikling over tid")
    # Shown on request: the periods' counts and a second map cost every rerun of the page a
    # third of its time (Natteliv at 1M incidents), and most filter changes do not look at
    # them. Turning it on reruns this fragment only, and it stays on for the session.
    if not st.toggle(SHOW_LABEL, key=f"tid_vis_{view.key}"):
        st.caption(
            "Slå til for at se et kort for hver måned, kvartal eller år på samme farveskala, "
            "gå frem og tilbage i tiden og hente kortene som GIF eller MP4."
        )
        return
    if step is None:
        steps = list(STEPS)
        step = st.radio(
            "Trin",
            steps,
            index=steps.index(DEFAULT_STEP),
            format_func=STEPS.get,
            horizontal=True,
            key=f"tid_trin_{view.key}",
        )
    stepped = stepped_maps(ds, view.key, filters, step)
    if len(stepped) < 2:
        st.caption("Vælg en længere periode for at se udviklingen over tid.")
        return
    labels = list(stepped.labels)
    # A new set of periods (other filters) is a new slider, opening on the latest period.
    chosen = st.select_slider(
        "Periode",
        options=labels,
        value=labels[-1],
        key=f"tid_{view.key}_{step}_{labels[0]}_{len(labels)}",
        help="Flyt skyderen for at se kortet for hver periode. Alle perioder har samme "
        "farveskala, så en anden farve er et andet antal.",
    )
    map_(step_view(ds, stepped, labels.index(chosen)), key=MAP_KEY, height=height)
    if chosen != labels[-1]:
        # Someone is stepping through time: make the other periods now. Not on a filter
        # change that leaves the slider alone: all the steps' maps for each filter state
        # would take the server's CPU from every rerun (about half a second of wall time at 1M).
        _warm(ds, stepped)
    _animation_downloads(ds, stepped)


def _warm(ds: Dataset, stepped: SteppedMaps) -> None:
    """Make every other period's map and its layers' script now, in a thread of their own
    (once per set of steps), so the slider's first visit of a period finds them ready; the
    shown period is drawn first and never waits for this."""

    def work() -> None:
        for index in range(len(stepped)):
            prepared(step_view(ds, stepped, index))

    def start() -> threading.Thread:
        thread = threading.Thread(target=work, name="tryg-steps", daemon=True)
        thread.start()
        return thread

    cache.CHARTS.get_or_make(pinned(stepped, "warm-steps"), start)


def _animation_downloads(ds: Dataset, stepped: SteppedMaps) -> None:
    """'Hent GIF' and 'Hent MP4': made only when clicked, for this person's role."""
    who = role()  # decided on the server for this run; the file is made for this role
    columns = st.columns([1, 1, 3])
    for column, fmt in zip(columns, ANIMATION_FORMATS, strict=False):
        if fmt == "mp4" and not mp4_available():
            column.caption("MP4 kan ikke laves her (imageio-ffmpeg mangler); hent GIF.")
            continue
        column.download_button(
            f"Hent {fmt.upper()}",
            data=lambda fmt=fmt: animation_bytes(ds, stepped, fmt, role=who),
            file_name=animation_name(stepped, fmt),
            mime=ANIMATION_FORMATS[fmt],
            key=f"anim_{fmt}_{stepped.key}",
            on_click="ignore",
            help="Kortene for alle perioder som animation (1920 × 1080) til præsentationer.",
        )
    columns[2].caption(md_text(f"{len(stepped)} perioder · {stepped.source}"))
