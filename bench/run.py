"""``make bench``: Tryg Geo on 1 000 000 demo incidents, each number beside the naive way (issue 5).

    python -m bench.run [--incidents N] [--changes K] [--out bench/results.json]

One run, one process, one data set:

1. demo data with N incidents (:func:`tryg_geo.demo.make.make_demo`) in a temporary store;
2. per page (Tryg bydel, Natteliv) K filter changes through the real ``dashboard.py`` with
   Streamlit's AppTest, timing ``at.run()`` (filter change → page script finished, server side);
3. the same filters again as direct calls: ``build_view`` → ``maps.spec_map`` → folium
   ``get_root().render()``, and the bytes ``st_folium`` would send for the map;
4. the same filters the naive way (:mod:`bench.naive`: sjoin of all points on every rerun, then
   groupby) and the naive map payloads (raw-geometry GeoJson, HeatMap of raw points);
5. pyinstrument profiles of both pages' reruns (``bench/out/profile_*.txt|html``);
6. import of an N-row Danish Excel CSV (:mod:`bench.import_csv`);
7. PNG export of every view;
8. peak memory (VmHWM) of a real ``streamlit run dashboard.py`` on loopback after headless
   Chromium opened every page once.

Prints a table and writes the JSON (keys in :data:`REQUIRED_KEYS`, plus ``machine``). The numbers
of the two pages are reported per page; the top-level ``rerun_ms_*`` are those of the slower page
and ``speedup_vs_naive`` that of the page with the smaller speed-up.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from bench.server import dashboard_server, proc_status
from tryg_geo.views.registry import INITIATIVES_PAGE, MAIN_VIEWS
from tryg_geo.views.registry import PAGES as REGISTRY_PAGES

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "bench" / "results.json"
PROFILE_DIR = REPO / "bench" / "out"
#: page key -> page script, from the view registry (a main view's key, or the script's name):
#: a new page is benchmarked without editing this file.
PAGES: dict[str, str] = {
    **{v.key: v.page.file for v in MAIN_VIEWS},
    Path(INITIATIVES_PAGE.file).stem: INITIATIVES_PAGE.file,
}
#: Pages measured beside the naive way (direct calls, naive reruns, payloads, profiles).
NAIVE_PAGES: tuple[str, ...] = ("tryg-bydel", "natteliv")
#: URL paths of every page of dashboard.py (st.Page url_path), opened once for peak memory.
SERVER_PAGES: tuple[str, ...] = tuple(p.url_path or "" for p in REGISTRY_PAGES)
MAP_HEIGHT = {"tryg-bydel": 520, "natteliv": 560}
ALL_DISTRICTS = "(hele kommunen)"  # pages.ui.ALL_DISTRICTS
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
REQUIRED_KEYS: tuple[str, ...] = (
    "rerun_ms_median",
    "rerun_ms_p95",
    "naive_rerun_ms_median",
    "speedup_vs_naive",
    "district_payload_bytes",
    "naive_district_payload_bytes",
    "hotspot_payload_bytes",
    "import_1m_seconds",
    "png_export_seconds_max",
    "deck_seconds",
    "peak_rss_mb",
    "rerun_ms_median_5m",
    "peak_rss_mb_5m",
    "browser_map_ms_median",
    "browser_map_ms_p95",
)
#: name -> (key in the results, comparison, limit, how the goal reads)
GOALS: dict[str, tuple[str, str, float, str]] = {
    "rerun": ("rerun_ms_median", "<=", 150.0, "≤ 150 ms median (slowest page, 1M)"),
    "rerun_5m": ("rerun_ms_median_5m", "<=", 300.0, "≤ 300 ms median (slowest page, 5M)"),
    "speedup": ("speedup_vs_naive", ">=", 10.0, "≥ 10× naive (smaller speed-up)"),
    "district": ("district_payload_share", "<=", 0.25, "≤ 25 % of naive"),
    "hotspot": ("hotspot_payload_bytes", "<=", 1_000_000, "≤ 1 MB"),
    "import": ("import_1m_seconds", "<=", 15.0, "≤ 15 s"),
    "png": ("png_export_seconds_max", "<=", 2.0, "≤ 2 s per view"),
    "deck": ("deck_seconds", "<=", 30.0, "≤ 30 s (PPTX and PDF)"),
    "memory": ("peak_rss_mb", "<=", 2000.0, "≤ 2 GB (2000 MB)"),
    "memory_5m": ("peak_rss_mb_5m", "<=", 2000.0, "≤ 2 GB (2000 MB) at 5M"),
    "browser": ("browser_map_ms_p95", "<=", 1000.0, "≤ 1 000 ms p95 (click → map drawn)"),
}

log = logging.getLogger("bench")


# ---- small helpers ------------------------------------------------------------------------------
def say(text: str) -> None:
    print(text, flush=True)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def stats(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"median": None, "p95": None, "min": None, "max": None, "n": 0}
    arr = np.asarray(values, dtype="float64")
    return {
        "median": round(float(np.median(arr)), 2),
        "p95": round(float(np.percentile(arr, 95)), 2),
        "min": round(float(arr.min()), 2),
        "max": round(float(arr.max()), 2),
        "n": len(values),
    }


def machine_info() -> dict[str, Any]:
    """Where the numbers came from: CPUs, CPU model, memory, load, versions, commit."""
    model = ""
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    versions = {}
    for name in ("streamlit", "folium", "streamlit_folium", "geopandas", "pandas", "numpy"):
        with suppress(Exception):
            versions[name] = __import__(name).__version__
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    return {
        "hostname": socket.gethostname(),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_count": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(mem_kb / 1024**2, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "loadavg_at_start": [round(v, 2) for v in os.getloadavg()],
        "versions": versions,
        "git_commit": commit,
    }


@contextmanager
def data_env(store_dir: Path) -> Iterator[None]:
    """The dashboard reads ``TRYG_DATA_DIR``; no background tiles (``TRYG_BASEMAP=none``)."""
    saved = {k: os.environ.get(k) for k in ("TRYG_DATA_DIR", "TRYG_BASEMAP")}
    os.environ["TRYG_DATA_DIR"] = str(store_dir)
    os.environ["TRYG_BASEMAP"] = "none"
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# ---- filter changes -----------------------------------------------------------------------------
@dataclass
class Change:
    """One user action: set one or more widgets (AppTest kind, key, value), then rerun."""

    label: str
    ops: list[tuple[str, str, Any]]
    params: dict[str, str] = field(default_factory=dict)  # the page's URL after the rerun


def _pick(items: list, i: int) -> Any:
    return items[i % len(items)] if items else None


def tryg_bydel_changes(ds, k: int) -> list[Change]:
    """``k`` distinct filter changes on Tryg bydel: period, categories, district, indicator,
    class scheme (mostly with the incident indicator: that is where counting happens)."""
    from tryg_geo.views.tryg_bydel import INCIDENT_RATE, tryg_bydel_indicators

    cats = list(ds.categories)
    districts = sorted(ds.district_names, key=ds.district_names.get)
    surveys = [i for i in tryg_bydel_indicators() if i != INCIDENT_RATE]
    first, last = ds.incident_span
    custom = (max(first, date(last.year - 2, 3, 1)), date(last.year - 1, 8, 31))

    def sel(key, value):
        return ("selectbox", key, value)

    def multi(values):
        return [("multiselect", "flt_categories", values)]

    plan = [
        ("indikator: hændelser pr. 1.000", [sel("flt_indicator", INCIDENT_RATE)]),
        ("periode: år til dato", [sel("flt_preset", "ytd")]),
        (f"kategori: {_pick(cats, 9)}", multi([_pick(cats, 9)])),
        (f"område: {_pick(districts, 0)}", [sel("flt_district", _pick(districts, 0))]),
        ("periode: seneste hele år", [sel("flt_preset", "last_year")]),
        ("kategorier: 2", multi([_pick(cats, 2), _pick(cats, 7)])),
        ("klasser: naturlige brud", [("radio", "flt_scheme", "natural_breaks")]),
        (f"område: {_pick(districts, 5)}", [sel("flt_district", _pick(districts, 5))]),
        ("periode: hele perioden", [sel("flt_preset", "all")]),
        ("kategorier: alle", multi([])),
        ("periode: valgfri", [sel("flt_preset", "custom")]),
        ("datoer: valgfri", [("date_input", "flt_dates", custom)]),
        (f"område: {_pick(districts, 11)}", [sel("flt_district", _pick(districts, 11))]),
        (f"kategori: {_pick(cats, 3)}", multi([_pick(cats, 3)])),
        ("klasser: kvantiler", [("radio", "flt_scheme", "quantiles")]),
        ("periode: seneste 12 måneder", [sel("flt_preset", "12m")]),
        (f"indikator: {_pick(surveys, 0)}", [sel("flt_indicator", _pick(surveys, 0))]),
        ("område: hele kommunen", [sel("flt_district", ALL_DISTRICTS)]),
        ("indikator: hændelser pr. 1.000", [sel("flt_indicator", INCIDENT_RATE)]),
        ("kategorier: 3", multi([_pick(cats, 0), _pick(cats, 4), _pick(cats, 5)])),
        (f"område: {_pick(districts, 17)}", [sel("flt_district", _pick(districts, 17))]),
        ("periode: år til dato", [sel("flt_preset", "ytd")]),
        ("kategorier: alle", multi([])),
        ("klasser: naturlige brud", [("radio", "flt_scheme", "natural_breaks")]),
    ]
    if not surveys:  # no survey indicator: keep the plan, skip its two indicator switches
        plan = [p for p in plan if not p[0].startswith("indikator")]
    changes = [Change(label, ops) for label, ops in plan]
    i = 18
    while len(changes) < k:  # more changes wanted: walk through the districts
        i += 1
        district = _pick(districts, i)
        changes.append(Change(f"område: {district}", [sel("flt_district", district)]))
    return changes[:k]


def natteliv_changes(ds, k: int) -> list[Change]:
    """``k`` distinct filter changes on Natteliv: period, categories, cell size, nights,
    night hours, class scheme."""
    from tryg_geo.views.natteliv import zone_indicator

    night = [c for c in zone_indicator().categories if c in ds.categories] or list(ds.categories)
    first, last = ds.incident_span
    custom = (max(first, date(last.year - 1, 5, 1)), date(last.year, 4, 30))

    def sel(key, value):
        return ("selectbox", key, value)

    def cell(size):
        return [("radio", "flt_cell", size)]

    def multi(key, values):
        return [("multiselect", key, values)]

    plan = [
        ("periode: år til dato", [sel("flt_preset", "ytd")]),
        ("celle: 250m", cell("250m")),
        (f"kategori: {_pick(night, 0)}", multi("flt_categories", [_pick(night, 0)])),
        ("nætter: fre, lør, søn", multi("flt_nights", [4, 5, 6])),
        ("fra kl. 20", [sel("flt_night_start", 20)]),
        ("celle: 1km", cell("1km")),
        ("periode: seneste hele år", [sel("flt_preset", "last_year")]),
        ("til kl. 4", [sel("flt_night_end", 4)]),
        ("kategorier: 2", multi("flt_categories", [_pick(night, 0), _pick(night, 1)])),
        ("klasser: naturlige brud", [("radio", "flt_scheme", "natural_breaks")]),
        ("celle: 100m", cell("100m")),
        ("periode: hele perioden", [sel("flt_preset", "all")]),
        ("nætter: lør", multi("flt_nights", [5])),
        ("kategorier: nattens (standard)", multi("flt_categories", [])),
        ("fra kl. 22", [sel("flt_night_start", 22)]),
        ("periode: valgfri", [sel("flt_preset", "custom")]),
        ("datoer: valgfri", [("date_input", "flt_dates", custom)]),
        ("celle: 250m", cell("250m")),
        ("til kl. 6", [sel("flt_night_end", 6)]),
        ("klasser: kvantiler", [("radio", "flt_scheme", "quantiles")]),
        ("nætter: fre, lør", multi("flt_nights", [4, 5])),
        ("periode: seneste 12 måneder", [sel("flt_preset", "12m")]),
        ("celle: 100m", cell("100m")),
        (f"kategori: {_pick(night, 3)}", multi("flt_categories", [_pick(night, 3)])),
    ]
    changes = [Change(label, ops) for label, ops in plan]
    sizes = ["1km", "250m", "100m"]
    i = 0
    while len(changes) < k:  # more changes wanted: cycle the cell size
        size = sizes[i % 3]
        changes.append(Change(f"celle: {size}", cell(size)))
        i += 1
    return changes[:k]


def period_changes(ds, k: int) -> list[Change]:
    """``k`` changes of the period, the one filter every page has (as a steering group clicks
    through the presets; custom dates now and then): Overblik's plan, and any page's
    without a plan of its own."""
    first, last = ds.incident_span
    custom = (max(first, date(last.year - 1, 3, 1)), date(last.year, 2, 28))
    plan = [
        ("periode: år til dato", [("selectbox", "flt_preset", "ytd")]),
        ("periode: hele perioden", [("selectbox", "flt_preset", "all")]),
        ("periode: seneste hele år", [("selectbox", "flt_preset", "last_year")]),
        ("periode: seneste 12 måneder", [("selectbox", "flt_preset", "12m")]),
        ("periode: valgfri", [("selectbox", "flt_preset", "custom")]),
        ("datoer: valgfri", [("date_input", "flt_dates", custom)]),
    ]
    return [Change(*plan[i % len(plan)]) for i in range(k)]


def analyse_changes(ds, k: int) -> list[Change]:
    """``k`` changes on Analyse: cell size (Gi*), permutations (Knox), period, categories."""
    cats = list(ds.categories)
    plan = [
        ("celle: 250m", [("radio", "flt_cell", "250m")]),
        ("periode: seneste hele år", [("selectbox", "flt_preset", "last_year")]),
        ("permutationer: 99", [("radio", "flt_perm", 99)]),
        (f"kategori: {_pick(cats, 0)}", [("multiselect", "flt_categories", [_pick(cats, 0)])]),
        ("celle: 1km", [("radio", "flt_cell", "1km")]),
        ("periode: hele perioden", [("selectbox", "flt_preset", "all")]),
        ("kategorier: alle", [("multiselect", "flt_categories", [])]),
        ("celle: 100m", [("radio", "flt_cell", "100m")]),
    ]
    return [Change(*plan[i % len(plan)]) for i in range(k)]


def byens_rum_changes(ds, k: int) -> list[Change]:
    """``k`` changes on Byens rum: observation, period and categories."""
    from tryg_geo.views.byens_rum import place_indicators

    cats = list(ds.categories)
    kinds = list(place_indicators(ds)) or ["klager"]
    plan: list[tuple[str, list]] = []
    presets = ["ytd", "all", "last_year", "12m"]
    for i in range(max(k, 1)):
        if i % 3 == 0:
            kind = _pick(kinds, i // 3 + 1)
            plan.append((f"observation: {kind}", [("selectbox", "flt_place_indicator", kind)]))
        elif i % 3 == 1:
            preset = presets[(i // 3) % len(presets)]
            plan.append((f"periode: {preset}", [("selectbox", "flt_preset", preset)]))
        else:
            chosen = [] if (i // 3) % 2 else [_pick(cats, i)]
            plan.append(
                (f"kategorier: {chosen or 'alle'}", [("multiselect", "flt_categories", chosen)])
            )
    return [Change(label, ops) for label, ops in plan[:k]]


def indsatser_changes(ds, k: int) -> list[Change]:
    """``k`` changes on Indsatser: the indsats, the period and the district."""
    from tryg_geo.compute.registry import load_initiatives

    slugs = [i.slug for i in load_initiatives()]
    districts = sorted(ds.district_names, key=ds.district_names.get)
    presets = ["all", "12m", "ytd", "last_year"]
    plan: list[tuple[str, list]] = []
    for i in range(max(k, 1)):
        if i % 2 == 0:
            slug = _pick(slugs, i // 2 + 1)
            plan.append((f"indsats: {slug}", [("selectbox", "flt_initiative", slug)]))
        elif i % 4 == 1:
            preset = presets[(i // 4) % len(presets)]
            plan.append((f"periode: {preset}", [("selectbox", "flt_preset", preset)]))
        else:
            district = ALL_DISTRICTS if (i // 4) % 2 else _pick(districts, i)
            plan.append((f"område: {district}", [("selectbox", "flt_district", district)]))
    return [Change(label, ops) for label, ops in plan[:k]]


#: page key -> its filter changes (``plan(ds, k)``); a page without one gets
#: :func:`period_changes` (see :func:`plan_of`).
PLANS: dict[str, Callable[[Any, int], list[Change]]] = {
    "overblik": period_changes,
    "tryg-bydel": lambda ds, k: tryg_bydel_changes(ds, k),
    "natteliv": lambda ds, k: natteliv_changes(ds, k),
    "byens-rum": byens_rum_changes,
    "analyse": analyse_changes,
    "indsatser": indsatser_changes,
}


def plan_of(key: str) -> Callable[[Any, int], list[Change]]:
    """The filter changes of page ``key``: its own plan, or the period's."""
    return PLANS.get(key, period_changes)


# ---- the real page through AppTest --------------------------------------------------------------
class ScriptClock:
    """Times (and optionally profiles) each whole script run inside AppTest's script thread.

    ``StreamlitPage.run`` executes ``dashboard.py`` and, nested in it, the page; the outermost
    call is one rerun. pyinstrument samples the thread it is started in, so it is started here.
    """

    def __init__(self, profiler=None) -> None:
        self.profiler = profiler
        self.seconds: list[float] = []
        self.cpu_seconds: list[float] = []  # CPU time of the script thread: robust to load
        self._depth = 0

    def __enter__(self) -> ScriptClock:
        from streamlit.navigation.page import StreamlitPage

        self._cls, self._original = StreamlitPage, StreamlitPage.run
        clock = self

        def run(page):
            clock._depth += 1
            outer = clock._depth == 1
            if outer and clock.profiler is not None:
                clock.profiler.start()
            started, cpu = time.perf_counter(), time.thread_time()
            try:
                return clock._original(page)
            finally:
                clock._depth -= 1
                if outer:
                    clock.seconds.append(time.perf_counter() - started)
                    clock.cpu_seconds.append(time.thread_time() - cpu)
                    if clock.profiler is not None:
                        clock.profiler.stop()

        StreamlitPage.run = run
        return self

    def __exit__(self, *exc) -> None:
        self._cls.run = self._original


def open_page(page_path: str, timeout: float):
    """An AppTest of ``dashboard.py`` showing ``page_path`` (first runs are not timed)."""
    from streamlit import config
    from streamlit.testing.v1 import AppTest

    # AppTest reads no .streamlit/config.toml: serve on loopback as `make dashboard` does, so
    # the sign-in gate runs the pages in Lokal tilstand (an unset address is refused).
    config.set_option("server.address", "127.0.0.1")
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=timeout)
    at.run()
    _raise_on_exception(at, "Overblik")
    at.switch_page(page_path)
    at.run()
    _raise_on_exception(at, page_path)
    return at


def _raise_on_exception(at, where: str) -> None:
    if len(at.exception):
        raise RuntimeError(f"{where}: {at.exception[0].value}")


def apply(at, change: Change) -> None:
    for kind, key, value in change.ops:
        getattr(at, kind)(key=key).set_value(value)


def _params(at) -> dict[str, str]:
    return {k: v if isinstance(v, str) else v[-1] for k, v in dict(at.query_params).items()}


def apptest_reruns(page_path: str, changes: list[Change], timeout: float) -> dict[str, Any]:
    """Time ``at.run()`` after every change; remember the URL (the filters) each one left."""
    at = open_page(page_path, timeout)
    initial = _params(at)
    rows = []
    with ScriptClock() as clock:
        for change in changes:
            apply(at, change)
            started = time.perf_counter()
            at.run()
            wall = time.perf_counter() - started
            change.params = _params(at)
            errors = [str(e.value) for e in at.exception]
            rows.append(
                {
                    "change": change.label,
                    "rerun_ms": ms(wall),
                    "script_ms": ms(clock.seconds[-1]) if clock.seconds else None,
                    "script_cpu_ms": ms(clock.cpu_seconds[-1]) if clock.cpu_seconds else None,
                    "errors": errors,
                }
            )
    return {"initial_params": initial, "rows": rows}


# ---- direct calls and payloads -----------------------------------------------------------------
def page_map_payload(spec, height: int) -> int:
    """Bytes the page's ``st_folium`` call sends for the map of ``spec``: the frame and the
    view's layers (``pages.ui.render.map_``)."""
    from tryg_geo.render import maps

    layers = maps.PrerenderedLayers.of_spec(spec).group()
    return st_folium_payload(maps.frame_map("none"), height, layers=layers)


def st_folium_payload(folium_map, height: int, layers=None) -> int:
    """Bytes of the component arguments ``st_folium`` sends for ``folium_map`` (JSON), with
    ``layers`` as its ``feature_group_to_add``.

    ``streamlit_folium._component_func`` is swapped for a recorder during the call, so the
    arguments are exactly those of the page's ``st_folium`` call; Streamlit serialises them
    with ``json.dumps``.
    """
    import streamlit_folium

    # Outside a script run Streamlit warns about the missing ScriptRunContext: expected here.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR
    )
    captured: dict[str, Any] = {}

    def record(**kwargs):
        captured.update(kwargs)
        return kwargs.get("default")

    original = streamlit_folium._component_func
    streamlit_folium._component_func = record
    try:
        streamlit_folium.st_folium(
            folium_map,
            returned_objects=["last_active_drawing"],
            key="kort",
            height=height,
            use_container_width=True,
            feature_group_to_add=layers,
        )
    finally:
        streamlit_folium._component_func = original
    captured.pop("on_change", None)
    return len(json.dumps(captured).encode())


def direct_calls(key: str, ds, params_list: list[dict[str, str]]) -> list[dict[str, Any]]:
    """``build_view`` → ``spec_map`` → ``get_root().render()`` for each filter state, and the
    bytes ``st_folium`` sends for that map."""
    from tryg_geo.render import maps
    from tryg_geo.views.registry import build_view, default_filters

    rows = []
    for params in params_list:
        filters = default_filters(ds, params)
        t0 = time.perf_counter()
        view = build_view(key, ds, filters)
        t1 = time.perf_counter()
        folium_map = maps.spec_map(view.map, basemap="none")
        t2 = time.perf_counter()
        html = folium_map.get_root().render()
        t3 = time.perf_counter()
        payload = page_map_payload(view.map, MAP_HEIGHT[key])
        t4 = time.perf_counter()
        layer = len(json.dumps(maps.spec_layer(view.map).data).encode())
        rows.append(
            {
                "view_ms": ms(t1 - t0),
                "spec_map_ms": ms(t2 - t1),
                "render_ms": ms(t3 - t2),
                "direct_ms": ms(t3 - t0),
                "spec_map_and_st_folium_ms": ms(t4 - t3),
                "render_bytes": len(html.encode()),
                "payload_bytes": payload,
                "layer_bytes": layer,
                "features": len(view.map.features),
                "_view": view,
                "_filters": filters,
            }
        )
    return rows


def fresh_thread(key: str, ds, params: dict[str, str], threads: int = 3) -> dict[str, Any]:
    """View, map and render in a new thread, twice: Streamlit runs every rerun in a new
    ScriptRunner thread, so whatever is set up once per thread is paid on every rerun."""
    import threading

    from tryg_geo.render import maps
    from tryg_geo.views.registry import build_view, default_filters

    filters = default_filters(ds, params)
    runs: dict[str, list[dict[str, float]]] = {"first": [], "second": []}

    def work() -> None:
        for attempt in ("first", "second"):
            t0 = time.perf_counter()
            view = build_view(key, ds, filters)
            t1 = time.perf_counter()
            folium_map = maps.spec_map(view.map, basemap="none")
            t2 = time.perf_counter()
            folium_map.get_root().render()
            t3 = time.perf_counter()
            runs[attempt].append(
                {"view_ms": ms(t1 - t0), "spec_map_ms": ms(t2 - t1), "render_ms": ms(t3 - t2)}
            )

    for _ in range(threads):
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
    return {
        attempt: {k: stats([r[k] for r in rows])["median"] for k in rows[0]}
        for attempt, rows in runs.items()
    }


def naive_reruns(key: str, ds, filters_list: list) -> list[dict[str, Any]]:
    """The same filter states the naive way (one untimed warm-up first)."""
    from bench import naive

    zones = None
    if ds.places is not None:
        zones = ds.places[ds.places["kind"] == "nattelivszone"]

    def once(filters):
        if key == "tryg-bydel":
            return naive.tryg_bydel_rerun(ds.incidents, ds.districts, ds.measurements, filters)
        return naive.natteliv_rerun(ds.incidents, zones, filters)

    once(filters_list[0])
    rows = []
    for filters in filters_list:
        started = time.perf_counter()
        result = once(filters)
        rows.append({"naive_ms": ms(time.perf_counter() - started), "_result": result})
    return rows


def naive_agrees(key: str, direct: dict[str, Any], naive_row: dict[str, Any]) -> bool | None:
    """Do the naive numbers match ours? (Counts per district, or the number of grid cells.)"""
    view, result = direct["_view"], naive_row["_result"]
    if key == "tryg-bydel":
        if "incidents" not in view.table or "incidents" not in result:
            return None
        ours = view.table.set_index("district_id")
        shown = ours["incidents"].notna()
        theirs = result["incidents"].reindex(ours.index)
        return bool((ours.loc[shown, "incidents"].astype("int64") == theirs[shown]).all())
    return len(view.table) == len(result)


def naive_payloads(ds, bydel: dict[str, Any], nat: dict[str, Any]) -> dict[str, Any]:
    """Bytes of the naive maps for the pages' opening filters."""
    from bench import naive

    view = bydel["direct"][0]["_view"]
    features = view.map.features.set_index("feature_id")
    district_map = naive.district_geojson_map(ds.districts, features["label"], features["color"])
    district = st_folium_payload(district_map, MAP_HEIGHT["tryg-bydel"])
    points = naive.night_points(ds.incidents, nat["direct"][0]["_filters"])
    hotspot = st_folium_payload(naive.heatmap_map(points), MAP_HEIGHT["natteliv"])
    return {
        "naive_district_payload_bytes": district,
        "naive_hotspot_payload_bytes": hotspot,
        "naive_hotspot_points": len(points),
    }


DAGI = REPO.parent / "shared" / "data" / "dagi"
#: The 19 postal areas of Aalborg Kommune in DAGI's postnumre.geojson (see tests/ingest/test_dagi.py).
AALBORG_POSTAL_CODES = (
    "9000", "9200", "9210", "9220", "9230", "9240", "9260", "9270", "9280", "9293",
    "9310", "9362", "9370", "9380", "9381", "9382", "9400", "9430", "9530",
)  # fmt: skip


def real_boundary_payloads(work: Path) -> dict[str, Any] | None:
    """The district payload again on real boundaries: DAGI's 19 postal areas of Aalborg.

    The demo districts are Voronoi cells with ~230 vertices in all: nothing to simplify. Real
    boundaries are drawn in detail; these (DAGI 1:500 000) show how the two ways compare on
    them. Skipped (None) when ``../shared/data/dagi`` is not there.
    """
    source = DAGI / "postnumre.geojson"
    if not source.exists():
        return None
    from bench import naive
    from tryg_geo.ingest.districts import load_districts
    from tryg_geo.store.dataset import Dataset
    from tryg_geo.views.mapspec import district_choropleth

    body = json.loads(source.read_text(encoding="utf-8"))
    body["features"] = [
        f for f in body["features"] if f["properties"]["POSTNR_TXT"] in AALBORG_POSTAL_CODES
    ]
    path = work / "aalborg_postnumre.geojson"
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    frame = load_districts(path).frame
    ds = Dataset("dagi", False, frame, None, None, None)
    ids = frame["district_id"].astype(str)
    values = pd_series(np.arange(len(ids), dtype="float64") * 3.7 % 17, ids)
    labels = pd_series([f"{v:.1f} pr. 1.000" for v in values], ids)
    spec = district_choropleth(
        ds, values, labels, legend_title="Hændelser pr. 1.000", value_fmt=lambda v: f"{v:.1f}"
    )
    ours = page_map_payload(spec, MAP_HEIGHT["tryg-bydel"])
    features = spec.features.set_index("feature_id")
    raw = naive.district_geojson_map(frame, features["label"], features["color"])
    theirs = st_folium_payload(raw, MAP_HEIGHT["tryg-bydel"])
    import shapely

    return {
        "districts": len(frame),
        "vertices_raw": int(shapely.get_num_coordinates(frame.geometry.to_numpy()).sum()),
        "vertices_sent": int(
            shapely.get_num_coordinates(ds.districts_wgs84.geometry.to_numpy()).sum()
        ),
        "district_payload_bytes": ours,
        "naive_district_payload_bytes": theirs,
        "share": round(ours / theirs, 4),
    }


def pd_series(values, index):
    import pandas as pd

    return pd.Series(list(values), index=list(index))


def rerun_summary(rows: list[dict[str, Any]], initial: dict[str, str]) -> dict[str, Any]:
    """Medians of the AppTest reruns; also split by whether the page had been shown with the
    same filters before in this process (the page caches views per data version and filters:
    a repeat is drawn without counting again)."""
    seen = [initial]
    first, repeat = [], []
    for row in rows:
        (repeat if row["params"] in seen else first).append(row["rerun_ms"])
        seen.append(row["params"])
    return {
        "rerun_ms": stats([r["rerun_ms"] for r in rows]),
        "rerun_ms_first_visit": stats(first),
        "rerun_ms_repeat": stats(repeat),
        "script_ms": stats([r["script_ms"] for r in rows if r["script_ms"] is not None]),
        "script_cpu_ms": stats(
            [r["script_cpu_ms"] for r in rows if r["script_cpu_ms"] is not None]
        ),
        "errors": sum(len(r["errors"]) for r in rows),
    }


def measure_reruns(key: str, ds, k: int, timeout: float) -> dict[str, Any]:
    """AppTest reruns only: ``k`` filter changes of page ``key`` (any data size)."""
    changes = plan_of(key)(ds, k)
    say(f"  {key}: {len(changes)} filter changes through AppTest …")
    app = apptest_reruns(PAGES[key], changes, timeout)
    rows = [{**r, "params": c.params} for r, c in zip(app["rows"], changes, strict=True)]
    return {"summary": rerun_summary(rows, app["initial_params"]), "changes": rows}


def measure_page(key: str, ds, changes: list[Change], timeout: float) -> dict[str, Any]:
    """AppTest reruns, then direct calls, then the naive reruns, for the same filter states."""
    say(f"  {key}: {len(changes)} filter changes through AppTest …")
    app = apptest_reruns(PAGES[key], changes, timeout)
    states = [app["initial_params"]] + [c.params for c in changes]
    say(f"  {key}: direct calls and payloads …")
    direct = direct_calls(key, ds, states)
    say(f"  {key}: the naive way …")
    naive_rows = naive_reruns(key, ds, [d["_filters"] for d in direct[1:]])
    rows = []
    for change, change_row, d, n in zip(changes, app["rows"], direct[1:], naive_rows, strict=True):
        row = {**change_row, **{k: v for k, v in d.items() if not k.startswith("_")}}
        row["params"] = change.params
        row["naive_ms"] = n["naive_ms"]
        row["naive_agrees"] = naive_agrees(key, d, n)
        rows.append(row)
    summary = rerun_summary(rows, app["initial_params"])
    naive_stats = stats([r["naive_ms"] for r in rows])
    summary.update(
        {
            "direct_ms": stats([r["direct_ms"] for r in rows]),
            "view_ms": stats([r["view_ms"] for r in rows]),
            "spec_map_ms": stats([r["spec_map_ms"] for r in rows]),
            "render_ms": stats([r["render_ms"] for r in rows]),
            "naive_ms": naive_stats,
            "speedup_vs_naive": round(naive_stats["median"] / summary["rerun_ms"]["median"], 2),
            "payload_bytes_opening": direct[0]["payload_bytes"],
            "payload_bytes_max": max(d["payload_bytes"] for d in direct),
            "layer_bytes_max": max(d["layer_bytes"] for d in direct),
            "naive_disagreements": sum(r["naive_agrees"] is False for r in rows),
        }
    )
    summary["fresh_thread"] = fresh_thread(key, ds, states[0])
    return {"summary": summary, "changes": rows, "direct": direct}


# ---- profiles -----------------------------------------------------------------------------------
def profile_page(key: str, changes: list[Change], timeout: float, out_dir: Path) -> dict:
    """Replay the changes with pyinstrument in the script thread; write text and HTML."""
    from pyinstrument import Profiler

    at = open_page(PAGES[key], timeout)
    profiler = Profiler(interval=0.001)
    with ScriptClock(profiler):
        for change in changes:
            apply(at, change)
            at.run()
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"profile_{key}"
    Path(f"{stem}.txt").write_text(profiler.output_text(unicode=True, color=False))
    Path(f"{stem}.html").write_text(profiler.output_html())
    return {"files": [f"{stem}.txt", f"{stem}.html"], **breakdown(profiler.last_session, key)}


def breakdown(session, key: str, depth: int = 2) -> dict[str, Any]:
    """Seconds under each call made by the page module (all reruns summed), two levels deep."""
    page_file = PAGES[key].split("/")[-1]
    pages: list = []

    def find(frame) -> None:
        if frame.function == "<module>" and frame.file_path.endswith(page_file):
            pages.append(frame)
            return
        for child in frame.children:
            find(child)

    root = session.root_frame()
    find(root)
    total = sum(f.time for f in pages)

    def merge(frames, level: int) -> list[dict[str, Any]]:
        groups: dict[str, list] = {}
        for frame in frames:
            for child in frame.children:
                where = Path(child.file_path).name if child.file_path else "?"
                name = f"{child.function} ({where}:{child.line_no})"
                groups.setdefault(name, []).append(child)
        items = []
        for name, group in groups.items():
            seconds = sum(f.time for f in group)
            if seconds < 0.02 * total:
                continue
            item = {"call": name, "seconds": round(seconds, 3), "share": round(seconds / total, 3)}
            if level < depth:
                item["calls"] = merge(group, level + 1)
            items.append(item)
        return sorted(items, key=lambda i: -i["seconds"])

    return {
        "page_seconds": round(total, 3),
        "profiled_seconds": round(root.time, 3),
        "calls": merge(pages, 1),
    }


# ---- PNG export ---------------------------------------------------------------------------------
def png_exports(ds, which: str) -> list[dict[str, Any]]:
    """Seconds of ``png_page.view_png`` per view (the view is built first and not timed)."""
    from tryg_geo.render import png_page
    from tryg_geo.views.registry import MAIN_VIEWS, build_view, default_filters, view_keys
    from tryg_geo.views.tryg_bydel import INCIDENT_RATE

    keys = view_keys() if which == "all" else [v.key for v in MAIN_VIEWS]
    filters = default_filters(ds)
    jobs = [(k, k, filters) for k in keys]
    rate = filters.with_(indicator=INCIDENT_RATE)
    jobs.insert(2, ("tryg-bydel (hændelser pr. 1.000)", "tryg-bydel", rate))
    rows = []
    for label, key, f in jobs:
        view = build_view(key, ds, f)
        started = time.perf_counter()
        png = png_page.view_png(view)
        rows.append(
            {"view": label, "seconds": round(time.perf_counter() - started, 3), "bytes": len(png)}
        )
    return rows


# ---- the real server ----------------------------------------------------------------------------
def is_loopback(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in ("127.0.0.1", "localhost")


def wait_for_page(page, timeout_ms: float) -> None:
    """Until the script run is over and the page title is drawn (every page has one; the
    state is also 'notRunning' before the first run starts), then until any map has features."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-test-script-state]');
            return app && app.getAttribute('data-test-script-state') === 'notRunning'
                && document.querySelector('[data-testid="stMain"] h1') !== null;
        }""",
        timeout=timeout_ms,
    )
    if page.locator(MAP_IFRAME).count():
        frame = page.frame_locator(MAP_IFRAME).first
        frame.locator("path.leaflet-interactive").first.wait_for(timeout=timeout_ms)


def server_peak_memory(store_dir: Path, work: Path, page_timeout: float) -> dict[str, Any]:
    """VmHWM of ``streamlit run dashboard.py`` after Chromium opened every page once."""
    from bench.browser_map import loopback_context

    log_path = work / "streamlit-bench.log"
    pages = []
    blocked: list[str] = []
    with dashboard_server(store_dir, log_path) as server:
        url, proc = server.url, server.proc
        idle = proc_status(proc.pid)
        with loopback_context({"width": 1400, "height": 1100}, blocked) as context:
            page = context.new_page()
            for path in SERVER_PAGES:
                started = time.perf_counter()
                error = None
                try:
                    page.goto(f"{url}/{path}", timeout=page_timeout * 1000)
                    wait_for_page(page, page_timeout * 1000)
                    exceptions = page.locator('[data-testid="stException"]').count()
                    if exceptions:
                        error = f"{exceptions} exception box(es) on the page"
                except Exception as exc:  # noqa: BLE001 - reported, not fatal
                    error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
                pages.append(
                    {
                        "page": "/" + path,
                        "seconds": round(time.perf_counter() - started, 2),
                        "error": error,
                        "rss_mb": round(proc_status(proc.pid)["VmRSS"] * 1024 / 1e6, 1),
                    }
                )
                say(f"    /{path:<12} {pages[-1]['seconds']:6.1f} s  {error or ''}")
            page.wait_for_timeout(1000)
            status = proc_status(proc.pid)
    return {
        "peak_rss_mb": round(status["VmHWM"] * 1024 / 1e6, 1),
        "rss_after_pages_mb": round(status["VmRSS"] * 1024 / 1e6, 1),
        "idle_rss_mb": round(idle["VmRSS"] * 1024 / 1e6, 1),
        "pages": pages,
        "errors": sum(p["error"] is not None for p in pages),
        "blocked_requests": blocked,
        "log": str(log_path),
    }


# ---- the run ------------------------------------------------------------------------------------
def step(results: dict, name: str, fn: Callable[[], Any]) -> Any:
    """Run one part; a failure is recorded (and printed) instead of ending the benchmark."""
    started = time.perf_counter()
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001
        log.exception("step %s failed", name)
        results.setdefault("failures", {})[name] = f"{type(exc).__name__}: {exc}"
        say(f"  !! {name} failed: {type(exc).__name__}: {exc}")
        return None
    finally:
        results.setdefault("step_seconds", {})[name] = round(time.perf_counter() - started, 1)


def run(args: argparse.Namespace) -> dict[str, Any]:
    from bench.analysis import run_analysis
    from bench.deck import deck_bench
    from bench.import_csv import run_import
    from tryg_geo.demo.make import make_demo
    from tryg_geo.store.dataset import load_dataset
    from tryg_geo.store.folder import Store

    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR
    )
    results: dict[str, Any] = {
        "machine": machine_info(),
        "incidents": args.incidents,
        "changes_per_page": args.changes,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="tryg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    store_dir = work / "store"
    try:
        say(f"demo data: {args.incidents:,} incidents (seed {args.seed}) in {store_dir}")
        started = time.perf_counter()
        shutil.rmtree(store_dir, ignore_errors=True)
        make_demo(Store(store_dir), incidents=args.incidents, seed=args.seed)
        results["demo_seconds"] = round(time.perf_counter() - started, 2)

        started = time.perf_counter()
        ds = load_dataset(Store(store_dir))
        _ = ds.arrays, ds.place_members, ds.districts_wgs84, ds.places_wgs84
        results["dataset_load_seconds"] = round(time.perf_counter() - started, 2)

        with data_env(store_dir):
            pages: dict[str, Any] = {}
            plans = {key: plan_of(key)(ds, args.changes) for key in PAGES}
            say("page reruns:")
            for key, changes in plans.items():
                clear_page_caches()  # every page starts cold
                measure = measure_page if key in NAIVE_PAGES else None
                pages[key] = step(
                    results,
                    f"page_{key}",
                    lambda k=key, c=changes, m=measure: (
                        m(k, ds, c, 300) if m else measure_reruns(k, ds, args.changes, 300)
                    ),
                )
            if all(pages.get(k) for k in NAIVE_PAGES):
                payloads = step(
                    results,
                    "naive_payloads",
                    lambda: naive_payloads(ds, pages["tryg-bydel"], pages["natteliv"]),
                )
                results.update(payloads or {})
            results["real_boundaries"] = step(
                results, "real_boundaries", lambda: real_boundary_payloads(work)
            )
            results["pages"] = {
                k: {
                    "summary": v["summary"],
                    "changes": v["changes"],
                    "by_size": {str(args.incidents): v["summary"]},
                }
                for k, v in pages.items()
                if v
            }
            if args.profile:
                say("profiles (pyinstrument) …")
                results["profile"] = {}
                for key in NAIVE_PAGES:
                    clear_page_caches()
                    results["profile"][key] = step(
                        results,
                        f"profile_{key}",
                        lambda k=key: profile_page(k, plans[k], 300, Path(args.profile_dir)),
                    )

        if args.browser:
            say("time to map in Chromium (one user, both map pages) …")
            results["browser"] = step(
                results, "browser", lambda: browser_map_times(store_dir, work, args.changes)
            )

        say(f"import of a {len(ds.incidents):,}-row Danish Excel CSV …")
        results["import"] = step(
            results, "import", lambda: run_import(ds.incidents, ds.districts, work / "import")
        )
        say("PNG export per view …")
        results["png"] = step(results, "png", lambda: png_exports(ds, args.png_views))
        say("steering-group deck, PowerPoint and PDF (bench/deck.py) …")
        results["deck"] = step(results, "deck", lambda: deck_bench(ds))
        say("analyses: Gi* and near repeat (bench/analysis.py) …")
        results.update(step(results, "analysis", lambda: run_analysis(ds)) or {})
        if args.server:
            say("peak memory of streamlit run dashboard.py (headless Chromium, every page) …")
            results["server"] = step(
                results, "server", lambda: server_peak_memory(store_dir, work, args.page_timeout)
            )

        # ---- other parts of the dashboard: one call each (see README, Benchmarks) ----------

        # ---- the same pages on more data -------------------------------------------------------
        for size in args.more:
            results.setdefault("sizes", {})[str(size)] = step(
                results, f"size_{size}", lambda n=size: larger_data(n, args, work, results)
            )
    finally:
        results["machine"]["loadavg_at_end"] = [round(v, 2) for v in os.getloadavg()]
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    summarise(results)
    return results


def clear_page_caches() -> None:
    """Empty the pages' view, chart and map caches (pages.ui.cache), so a page starts cold."""
    from pages.ui import cache

    for lru in (cache.VIEWS, cache.CHARTS, cache.MAPS):
        lru.clear()


def larger_data(incidents: int, args: argparse.Namespace, work: Path, results: dict) -> dict:
    """Every page's AppTest reruns and the server's peak memory on ``incidents`` incidents."""
    from tryg_geo.demo.make import make_demo
    from tryg_geo.store.dataset import load_dataset
    from tryg_geo.store.folder import Store

    store_dir = work / f"store_{incidents}"
    say(f"demo data: {incidents:,} incidents (seed {args.seed}) in {store_dir}")
    started = time.perf_counter()
    shutil.rmtree(store_dir, ignore_errors=True)
    make_demo(Store(store_dir), incidents=incidents, seed=args.seed)
    out: dict[str, Any] = {"demo_seconds": round(time.perf_counter() - started, 2)}
    started = time.perf_counter()
    ds = load_dataset(Store(store_dir))
    _ = ds.arrays, ds.place_members, ds.districts_wgs84, ds.places_wgs84
    out["dataset_load_seconds"] = round(time.perf_counter() - started, 2)
    with data_env(store_dir):
        say(f"page reruns at {incidents:,} incidents:")
        for key in PAGES:
            clear_page_caches()
            measured = step(
                results,
                f"page_{key}_{incidents}",
                lambda k=key: measure_reruns(k, ds, args.changes, 600),
            )
            if measured and key in results.get("pages", {}):
                results["pages"][key]["by_size"][str(incidents)] = measured["summary"]
                results["pages"][key].setdefault("changes_by_size", {})[str(incidents)] = measured[
                    "changes"
                ]
    clear_page_caches()
    if args.server:
        say(f"peak memory at {incidents:,} incidents …")
        out["server"] = step(
            results,
            f"server_{incidents}",
            lambda: server_peak_memory(store_dir, work, args.page_timeout),
        )
    if not args.keep and not args.work:
        shutil.rmtree(store_dir, ignore_errors=True)
    return out


def browser_map_times(store_dir: Path, work: Path, changes: int) -> dict[str, Any]:
    """:mod:`bench.browser_map` against the real dashboard over ``store_dir``."""
    from bench.browser_map import drive
    from bench.server import dashboard_server

    with dashboard_server(store_dir, work / "streamlit-browser.log") as server:
        return drive(server.url, changes)


def summarise(results: dict[str, Any]) -> None:
    """The top-level keys and the goals (None where a step failed)."""
    pages = {k: v["summary"] for k, v in results.get("pages", {}).items()}
    for key in REQUIRED_KEYS:
        results.setdefault(key, None)
    if pages:
        slower = max(pages, key=lambda k: pages[k]["rerun_ms"]["median"])
        results.update(
            rerun_ms_median=pages[slower]["rerun_ms"]["median"],
            rerun_ms_p95=max(p["rerun_ms"]["p95"] for p in pages.values()),
            rerun_page=slower,
        )
    compared = {k: p for k, p in pages.items() if "speedup_vs_naive" in p}
    if compared:
        weaker = min(compared, key=lambda k: compared[k]["speedup_vs_naive"])
        results.update(
            naive_rerun_ms_median=compared[weaker]["naive_ms"]["median"],
            speedup_vs_naive=compared[weaker]["speedup_vs_naive"],
            speedup_page=weaker,
        )
    growth = {}
    for size, info in (results.get("sizes") or {}).items():
        if not info:
            continue
        medians = {
            k: v["by_size"][size]["rerun_ms"]["median"]
            for k, v in results.get("pages", {}).items()
            if size in v.get("by_size", {})
        }
        if medians:
            worst = max(medians, key=medians.get)
            results[f"rerun_ms_median_{_size_label(size)}"] = medians[worst]
            results[f"rerun_page_{_size_label(size)}"] = worst
            growth[size] = {
                k: round(m / pages[k]["rerun_ms"]["median"], 2)
                for k, m in medians.items()
                if k in pages
            }
        if info.get("server"):
            results[f"peak_rss_mb_{_size_label(size)}"] = info["server"]["peak_rss_mb"]
    if growth:
        results["rerun_growth_vs_base"] = growth
    larger = [int(n) for n, info in (results.get("sizes") or {}).items() if info]
    if larger:  # the ``_5m`` keys are those of the largest extra size (5M unless --more says)
        label = _size_label(max(larger))
        results["larger_incidents"] = max(larger)
        results["rerun_ms_median_5m"] = results.get(f"rerun_ms_median_{label}")
        results["peak_rss_mb_5m"] = results.get(f"peak_rss_mb_{label}")
    browser = results.get("browser") or {}
    if browser:
        results["browser_map_ms_median"] = browser.get("browser_map_ms_median")
        results["browser_map_ms_p95"] = browser.get("browser_map_ms_p95")
    if "tryg-bydel" in pages:
        results["district_payload_bytes"] = pages["tryg-bydel"]["payload_bytes_max"]
    if "natteliv" in pages:
        results["hotspot_payload_bytes"] = pages["natteliv"]["payload_bytes_max"]
        results["hotspot_layer_bytes"] = pages["natteliv"]["layer_bytes_max"]
    if results.get("district_payload_bytes") and results.get("naive_district_payload_bytes"):
        results["district_payload_share"] = round(
            results["district_payload_bytes"] / results["naive_district_payload_bytes"], 4
        )
    if results.get("import"):
        results["import_1m_seconds"] = round(results["import"]["seconds"], 2)
        results["import_rows"] = results["import"]["rows"]
    if results.get("png"):
        results["png_export_seconds_max"] = max(r["seconds"] for r in results["png"])
    if results.get("deck"):
        results["deck_seconds"] = results["deck"]["deck_seconds"]
    if results.get("server"):
        results["peak_rss_mb"] = results["server"]["peak_rss_mb"]
    goals = {}
    for name, (key, op, limit, text) in GOALS.items():
        value = results.get(key)
        met = None if value is None else (value <= limit if op == "<=" else value >= limit)
        goals[name] = {"key": key, "value": value, "goal": text, "met": met}
    results["goals"] = goals


def _size_label(size: str | int) -> str:
    """'5m' for 5 000 000 (the suffix of the per-size keys), '250k' for 250 000."""
    n = int(size)
    return f"{n // 1_000_000}m" if n % 1_000_000 == 0 else f"{n // 1000}k"


def _fmt_bytes(value) -> str:
    if value is None:
        return "–"
    return f"{value / 1e6:.2f} MB" if value >= 100_000 else f"{value / 1e3:.1f} kB"


def table(results: dict[str, Any]) -> str:
    """The results as a plain-text table."""
    pages = {k: v["summary"] for k, v in results.get("pages", {}).items()}
    goals = results["goals"]
    lines = []
    m = results["machine"]
    lines.append(
        f"Machine: {m['hostname']}, nproc {m['nproc']}, {m['cpu_model']}, {m['memory_gib']} GiB; "
        f"load {m['loadavg_at_start']} → {m.get('loadavg_at_end')}; commit {m['git_commit']}"
    )
    lines.append(
        f"Data: {results['incidents']:,} demo incidents; {results['changes_per_page']} filter "
        f"changes per page"
    )
    rows = [("Measure", "Ours", "Naive", "Goal", "Met")]

    def met(name):
        value = goals[name]["met"]
        return "–" if value is None else ("yes" if value else "NO")

    for key, p in pages.items():
        r = p["rerun_ms"]
        first, again = p["rerun_ms_first_visit"], p["rerun_ms_repeat"]
        if "naive_ms" in p:
            n = p["naive_ms"]
            rows.append(
                (
                    f"{key}: filter change → script done (AppTest), median / p95",
                    f"{r['median']:.0f} / {r['p95']:.0f} ms",
                    f"{n['median']:.0f} / {n['p95']:.0f} ms",
                    "≤ 150 ms, ≥ 10×",
                    f"{'yes' if r['median'] <= 150 else 'NO'}, {p['speedup_vs_naive']:.1f}×",
                )
            )
        else:
            rows.append(
                (
                    f"{key}: filter change → script done (AppTest), median / p95",
                    f"{r['median']:.0f} / {r['p95']:.0f} ms",
                    "",
                    "≤ 150 ms",
                    "yes" if r["median"] <= 150 else "NO",
                )
            )
        rows.append(
            (
                f"{key}: first visit of a filter state / repeat, median (n)",
                f"{_num(first['median'])} ({first['n']}) / {_num(again['median'])} ({again['n']}) ms",
                "",
                "",
                "views cached per data version + filters",
            )
        )
        for size, other in results["pages"][key].get("by_size", {}).items():
            if int(size) == results["incidents"]:
                continue
            o = other["rerun_ms"]
            rows.append(
                (
                    f"{key} at {int(size):,} incidents: median / p95",
                    f"{_num(o['median'])} / {_num(o['p95'])} ms",
                    "",
                    "≤ 300 ms",
                    f"{'yes' if (o['median'] or 1e9) <= 300 else 'NO'} "
                    f"(×{o['median'] / r['median']:.1f} vs {results['incidents']:,})",
                )
            )
        c = p["script_cpu_ms"]
        rows.append(
            (
                f"{key}: CPU time of the script thread, median / p95",
                f"{_num(c['median'])} / {_num(c['p95'])} ms",
                "",
                "",
                "less sensitive to other load",
            )
        )
        ft = p.get("fresh_thread") or {}
        if ft:
            rows.append(
                (
                    f"{key}: view / spec_map / render, new thread: 1st vs 2nd call",
                    " / ".join(f"{v:.0f}" for v in ft["first"].values()) + " ms",
                    "",
                    "",
                    " / ".join(f"{v:.0f}" for v in ft["second"].values()) + " ms",
                )
            )
        if "direct_ms" in p:
            d = p["direct_ms"]
            rows.append(
                (
                    f"{key}: direct view + spec_map + render, median / p95",
                    f"{d['median']:.0f} / {d['p95']:.0f} ms",
                    "",
                    "",
                    f"view {p['view_ms']['median']:.0f}, map {p['spec_map_ms']['median']:.0f}, "
                    f"render {p['render_ms']['median']:.0f}",
                )
            )
    rows.append(
        (
            "Rerun, slowest page: median / p95",
            f"{_num(results['rerun_ms_median'])} / {_num(results['rerun_ms_p95'])} ms",
            f"{_num(results['naive_rerun_ms_median'])} ms",
            goals["rerun"]["goal"],
            met("rerun"),
        )
    )
    rows.append(
        (
            "Speed-up vs naive (smaller of the pages)",
            f"{_num(results['speedup_vs_naive'], 1)}×",
            "",
            goals["speedup"]["goal"],
            met("speedup"),
        )
    )
    rows.append(
        (
            f"Rerun, slowest page at {results.get('larger_incidents') or 0:,} incidents",
            f"{_num(results['rerun_ms_median_5m'])} ms ({results.get('rerun_page_5m', '–')})",
            "",
            goals["rerun_5m"]["goal"],
            met("rerun_5m"),
        )
    )
    b = results.get("browser") or {}
    rows.append(
        (
            "Chromium: click → map drawn with new data, median / p95",
            f"{_num(results['browser_map_ms_median'])} / {_num(results['browser_map_ms_p95'])} ms",
            "",
            goals["browser"]["goal"],
            met("browser") + (f" ({b.get('errors')} errors)" if b else ""),
        )
    )
    share = results.get("district_payload_share")
    rows.append(
        (
            "District choropleth payload (st_folium)",
            _fmt_bytes(results["district_payload_bytes"]),
            _fmt_bytes(results["naive_district_payload_bytes"]),
            goals["district"]["goal"],
            f"{met('district')} ({share:.1%})" if share is not None else met("district"),
        )
    )
    rows.append(
        (
            "Natteliv hotspot map payload (max over changes)",
            _fmt_bytes(results["hotspot_payload_bytes"]),
            _fmt_bytes(results.get("naive_hotspot_payload_bytes")),
            goals["hotspot"]["goal"],
            met("hotspot"),
        )
    )
    real = results.get("real_boundaries")
    if real:
        rows.append(
            (
                f"  same on DAGI's {real['districts']} Aalborg postal areas (info)",
                _fmt_bytes(real["district_payload_bytes"]),
                _fmt_bytes(real["naive_district_payload_bytes"]),
                goals["district"]["goal"],
                f"{'yes' if real['share'] <= 0.25 else 'NO'} ({real['share']:.1%})",
            )
        )
    imp = results.get("import") or {}
    rows.append(
        (
            f"Import of {imp.get('rows', 0):,}-row CSV",
            f"{_num(results['import_1m_seconds'], 1)} s"
            + (f" ({imp['rows_per_second']:,.0f} rows/s)" if imp else ""),
            "",
            goals["import"]["goal"],
            met("import"),
        )
    )
    png = results.get("png") or []
    slowest = max(png, key=lambda r: r["seconds"])["view"] if png else "–"
    rows.append(
        (
            f"PNG export, slowest of {len(png)} views ({slowest})",
            f"{_num(results['png_export_seconds_max'], 2)} s",
            "",
            goals["png"]["goal"],
            met("png"),
        )
    )
    deck = results.get("deck") or {}
    rows.append(
        (
            f"Meeting deck, {deck.get('runs', [{}])[0].get('slides', 0)} slides (slower of PPTX/PDF)",
            f"{_num(results['deck_seconds'], 1)} s",
            "",
            goals["deck"]["goal"],
            met("deck"),
        )
    )
    rows.append(
        (
            "Peak RSS, streamlit run + every page (VmHWM)",
            f"{_num(results['peak_rss_mb'], 0)} MB",
            "",
            goals["memory"]["goal"],
            met("memory"),
        )
    )
    rows.append(
        (
            f"Peak RSS at {results.get('larger_incidents') or 0:,} incidents",
            f"{_num(results['peak_rss_mb_5m'], 0)} MB",
            "",
            goals["memory_5m"]["goal"],
            met("memory_5m"),
        )
    )
    widths = [max(len(str(r[i])) for r in rows) for i in range(5)]
    out = [" | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    out.insert(1, "-+-".join("-" * w for w in widths))
    if results.get("failures"):
        out.append(f"FAILED STEPS: {results['failures']}")
    return "\n".join(lines + [""] + out)


def _num(value, decimals: int = 0) -> str:
    return "–" if value is None else f"{value:,.{decimals}f}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--incidents", type=int, default=1_000_000, help="demo incidents (1M)")
    parser.add_argument("--changes", type=int, default=24, help="filter changes per page (≥20)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results JSON")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None, help="work folder (kept)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    parser.add_argument("--profile-dir", default=str(PROFILE_DIR))
    parser.add_argument("--no-server", dest="server", action="store_false", help="skip RSS")
    parser.add_argument("--png-views", choices=["all", "main"], default="all")
    parser.add_argument("--page-timeout", type=float, default=180, help="seconds per page")
    parser.add_argument(
        "--more",
        type=int,
        nargs="*",
        default=[5_000_000],
        help="more data sizes: every page's reruns and peak memory again (default 5M)",
    )
    parser.add_argument("--no-browser", dest="browser", action="store_false", help="skip Chromium")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    results = run(args)
    text = table(results)
    say("")
    say(text)
    results["table"] = text
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    say(f"\nwrote {args.out}")
    return results


if __name__ == "__main__":
    main()
