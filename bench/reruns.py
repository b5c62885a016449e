"""Reruns of the real pages through AppTest, the same filters as direct calls and the naive
way, payload sizes, and pyinstrument profiles of the reruns."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.common import (
    MAP_HEIGHT,
    PAGES,
    REPO,
    ms,
    say,
    stats,
)
from bench.plans import Change, plan_of


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
        self.gc_seconds: list[float] = []  # Python's garbage collection inside each run
        self._depth = 0
        self._gc = [0.0, 0.0]  # seconds so far, start of the collection under way

    def _collecting(self, phase: str, _info: dict) -> None:
        if phase == "start":
            self._gc[1] = time.perf_counter()
        else:
            self._gc[0] += time.perf_counter() - self._gc[1]

    def __enter__(self) -> ScriptClock:
        import gc

        from streamlit.navigation.page import StreamlitPage

        gc.callbacks.append(self._collecting)

        self._cls, self._original = StreamlitPage, StreamlitPage.run
        clock = self

        def run(page):
            clock._depth += 1
            outer = clock._depth == 1
            if outer and clock.profiler is not None:
                clock.profiler.start()
            started, cpu, collected = time.perf_counter(), time.thread_time(), clock._gc[0]
            try:
                return clock._original(page)
            finally:
                clock._depth -= 1
                if outer:
                    clock.seconds.append(time.perf_counter() - started)
                    clock.cpu_seconds.append(time.thread_time() - cpu)
                    clock.gc_seconds.append(clock._gc[0] - collected)
                    if clock.profiler is not None:
                        clock.profiler.stop()

        StreamlitPage.run = run
        return self

    def __exit__(self, *exc) -> None:
        import gc

        self._cls.run = self._original
        gc.callbacks.remove(self._collecting)


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
                    "gc_ms": ms(clock.gc_seconds[-1]) if clock.gc_seconds else None,
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
        "gc_ms": stats([r["gc_ms"] for r in rows if r.get("gc_ms") is not None]),
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
