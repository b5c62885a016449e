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

Prints a table and writes the JSON (keys in :data:`bench.common.REQUIRED_KEYS`, plus
``machine``). The numbers of the two pages are reported per page; the top-level ``rerun_ms_*``
are those of the slower page and ``speedup_vs_naive`` that of the page with the smaller speed-up.
The parts live in :mod:`bench.plans`, :mod:`bench.reruns`, :mod:`bench.exports` and
:mod:`bench.report`; this module keeps the arguments and the order of the run.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import (
    DEFAULT_OUT,
    NAIVE_PAGES,
    PAGES,
    PROFILE_DIR,
    data_env,
    log,
    machine_info,
    say,
)
from bench.exports import png_exports, server_peak_memory
from bench.plans import plan_of
from bench.report import summarise, table
from bench.reruns import (
    measure_page,
    measure_reruns,
    naive_payloads,
    profile_page,
    real_boundary_payloads,
)


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

        ds = ready_dataset(store_dir, results)

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


def ready_dataset(store_dir: Path, out: dict[str, Any]):
    """The data of ``store_dir`` as a replica holds it when it reports ready (readiness.py):
    loaded, then warmed up (every page's first view, every cell size's map squares). Seconds
    go into ``out``."""
    from tryg_geo.store.dataset import load_dataset
    from tryg_geo.store.folder import Store
    from tryg_geo.views.warm import warm_up

    started = time.perf_counter()
    ds = load_dataset(Store(store_dir))
    _ = ds.arrays, ds.place_members, ds.districts_wgs84, ds.places_wgs84
    out["dataset_load_seconds"] = round(time.perf_counter() - started, 2)
    with data_env(store_dir):
        out["warm_up_seconds"] = warm_up(Store(store_dir))
    return ds


def clear_page_caches() -> None:
    """Empty the pages' caches (pages.ui.cache: views, their parts, charts, maps), so a page
    starts cold."""
    from pages.ui import cache

    for lru in cache.ALL:
        lru.clear()


def larger_data(incidents: int, args: argparse.Namespace, work: Path, results: dict) -> dict:
    """Every page's AppTest reruns and the server's peak memory on ``incidents`` incidents."""
    from tryg_geo.demo.make import make_demo
    from tryg_geo.store.folder import Store

    store_dir = work / f"store_{incidents}"
    say(f"demo data: {incidents:,} incidents (seed {args.seed}) in {store_dir}")
    started = time.perf_counter()
    shutil.rmtree(store_dir, ignore_errors=True)
    make_demo(Store(store_dir), incidents=incidents, seed=args.seed)
    out: dict[str, Any] = {"demo_seconds": round(time.perf_counter() - started, 2)}
    ds = ready_dataset(store_dir, out)
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
