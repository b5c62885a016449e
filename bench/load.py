"""``make load``: 20 browser users changing filters for 60 s against one server (issue 6).

    python -m bench.load [--users 20] [--seconds 60] [--incidents N] [--data DIR]

One ``streamlit run dashboard.py`` on 127.0.0.1 over N demo incidents (default 1 000 000; or an
existing store with ``--data``), one headless Chromium with one browser context per user. The
server is warmed up with one visit first; users then arrive over ``--ramp`` seconds and keep
changing filters until the time is up, alternating two ways a filter changes:

* a deep link: ``page.goto`` of Tryg bydel or Natteliv with filters in the URL (a shared link
  opened; a new session, the full page script);
* a widget: a click on a sidebar radio (cell size on Natteliv, class scheme on both pages);
  the rerun of an open session.

Each action is timed from the change until the script has finished and the map iframe holds
its features ("map ready"). Reported: actions, errors (goal 0: failed or timed-out actions,
exception boxes, page errors), latency median/p95/max overall and per kind, the server's peak
memory (VmHWM) and how the CPU time divided between the server and the rest of the machine
(Chromium runs on the same cores). Requests that would leave the machine are blocked and
counted. Everything is bounded in time: the run stops at ``--seconds`` and every wait has a
timeout.

Prints a table and writes ``bench/load_results.json``. Not part of ``make test``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.browser_map import CHROMIUM, CHROMIUM_ARGS
from bench.common import MAP_IFRAME, REPO, is_loopback, machine_info, stats
from bench.server import dashboard_server, proc_status

DEFAULT_OUT = REPO / "bench" / "load_results.json"
ACTION_TIMEOUT_S = 60.0

# Resolves once the current script run is over: the app's script state goes to 'notRunning'
# after having been anything else (set up before the click, awaited after it).
_WATCH_RERUN = """() => {
    const app = document.querySelector('[data-test-script-state]');
    window.__trygRerun = new Promise((resolve) => {
        let seen = false;
        const observer = new MutationObserver(() => {
            const state = app.getAttribute('data-test-script-state');
            if (state !== 'notRunning') seen = true;
            else if (seen) { observer.disconnect(); resolve(true); }
        });
        observer.observe(app, {attributes: true});
    });
}"""
_READY = """() => {
    const app = document.querySelector('[data-test-script-state]');
    return app && app.getAttribute('data-test-script-state') === 'notRunning'
        && document.querySelector('[data-testid="stMain"] h1') !== null;
}"""


def deep_links(ds) -> list[tuple[str, dict[str, str]]]:
    """(url path, query) pairs a user may open: both map pages with varied filters."""
    districts = sorted(ds.district_names)
    cats = list(ds.categories)
    links = []
    for preset in ("12m", "ytd", "last_year", "all"):
        for i, cell in enumerate(("100m", "250m", "1km")):
            links.append(
                (
                    "nat",
                    {
                        "preset": preset,
                        "celle": cell,
                        "naetter": ("4,5", "5", "4,5,6")[i],
                        "nat": ("22-6", "20-4", "23-5")[i],
                        **({"kat": cats[i]} if cats and preset == "ytd" else {}),
                    },
                )
            )
        for i, district in enumerate(districts[:: max(1, len(districts) // 3)][:3]):
            links.append(
                (
                    "tryg-bydel",
                    {
                        "preset": preset,
                        "ind": ("haendelser_pr_1000", "tryg_andel", "haendelser_pr_1000")[i],
                        "omr": district,
                        "klasser": ("quantiles", "natural_breaks", "quantiles")[i],
                        **({"kat": cats[-1 - i]} if cats and preset == "all" else {}),
                    },
                )
            )
    return links


async def wait_map_ready(page, timeout_ms: float) -> None:
    """Script done, title drawn, and the map iframe (both pages have one) holds features."""
    await page.wait_for_function(_READY, timeout=timeout_ms)
    await page.locator(MAP_IFRAME).first.wait_for(timeout=timeout_ms)
    frame = page.frame_locator(MAP_IFRAME).first
    await frame.locator("path.leaflet-interactive").first.wait_for(timeout=timeout_ms)


async def click_radio(page, label: str, timeout_ms: float) -> None:
    """Click a sidebar radio option and wait for the rerun and the map."""
    await page.evaluate(_WATCH_RERUN)
    sidebar = page.locator('[data-testid="stSidebar"]')
    await sidebar.get_by_text(label, exact=True).first.click(timeout=timeout_ms)
    await page.wait_for_function("() => window.__trygRerun", timeout=timeout_ms)
    await page.evaluate("() => window.__trygRerun")
    await wait_map_ready(page, timeout_ms)


async def user(
    number: int, browser, url: str, links: list, deadline: float, blocked: list[str], delay: float
) -> dict[str, Any]:
    """One user: deep link, a widget click, deep link, … until ``deadline``."""
    rng = random.Random(number)
    await asyncio.sleep(delay)  # users arrive one after another, not all in the same instant
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})

    async def guard(route):
        if is_loopback(route.request.url):
            await route.continue_()
        else:
            blocked.append(route.request.url)
            await route.abort()

    await context.route("**/*", guard)
    page = await context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    actions: list[dict[str, Any]] = []
    where, cell, scheme = None, "100m", "quantiles"
    timeout_ms = ACTION_TIMEOUT_S * 1000
    i = 0
    while time.monotonic() < deadline:
        widget = where is not None and i % 2 == 1
        started = time.perf_counter()
        error = None
        try:
            if widget and where == "nat" and rng.random() < 0.6:
                cell = rng.choice([c for c in ("100m", "250m", "1km") if c != cell])
                kind, label = "widget", cell
                await click_radio(page, cell, timeout_ms)
            elif widget:
                scheme = "natural_breaks" if scheme == "quantiles" else "quantiles"
                kind, label = "widget", scheme
                await click_radio(
                    page,
                    "Naturlige brud" if scheme == "natural_breaks" else "Kvantiler",
                    timeout_ms,
                )
            else:
                path, query = rng.choice(links)
                kind, label = "deep_link", f"/{path}?{urlencode(query)}"
                await page.goto(f"{url}/{path}?{urlencode(query)}", timeout=timeout_ms)
                await wait_map_ready(page, timeout_ms)
                where = path
                cell, scheme = query.get("celle", "100m"), query.get("klasser", "quantiles")
            boxes = await page.locator('[data-testid="stException"]').count()
            if boxes:
                error = f"{boxes} exception box(es)"
        except Exception as exc:  # noqa: BLE001 - counted as an error of this action
            error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
            where = None  # start again from a deep link
        actions.append(
            {
                "user": number,
                "kind": kind,
                "what": label,
                "ms": round((time.perf_counter() - started) * 1000, 1),
                "error": error,
                "late": time.monotonic() > deadline,
            }
        )
        i += 1
    await context.close()
    return {"actions": actions, "page_errors": page_errors}


def cpu_seconds(pid: int | None = None) -> float:
    """CPU seconds (user + system) of ``pid``, or busy seconds of the whole machine."""
    tick = os.sysconf("SC_CLK_TCK")
    if pid is not None:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick
    cpu = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(v) for v in cpu]
    return (sum(values) - values[3] - values[4]) / tick  # all but idle and iowait


async def drive(
    url: str, links: list, users: int, seconds: float, ramp: float, proc
) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    blocked: list[str] = []
    peak_samples: list[float] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            # Warm up once (imports, loading the data set), so users measure a running server.
            warm = await browser.new_page()
            for path in ("tryg-bydel", "nat"):
                await warm.goto(f"{url}/{path}", timeout=300_000)
                await wait_map_ready(warm, 300_000)
            await warm.close()
            deadline = time.monotonic() + seconds
            server_cpu, machine_cpu = cpu_seconds(proc.pid), cpu_seconds()

            async def sample() -> None:
                while time.monotonic() < deadline + ACTION_TIMEOUT_S:
                    peak_samples.append(proc_status(proc.pid)["VmRSS"] * 1024 / 1e6)
                    await asyncio.sleep(1)

            sampler = asyncio.create_task(sample())
            done = await asyncio.gather(
                *(
                    user(n, browser, url, links, deadline, blocked, ramp * n / max(users, 1))
                    for n in range(users)
                )
            )
            sampler.cancel()
            server_cpu = cpu_seconds(proc.pid) - server_cpu
            machine_cpu = cpu_seconds() - machine_cpu
        finally:
            await browser.close()
    return {
        "users": done,
        "blocked": blocked,
        "rss_samples_mb": peak_samples,
        "server_cpu_seconds": round(server_cpu, 1),
        "machine_busy_cpu_seconds": round(machine_cpu, 1),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    from tryg_geo.demo.make import make_demo
    from tryg_geo.store.dataset import load_dataset
    from tryg_geo.store.folder import Store

    if not CHROMIUM.exists():
        raise SystemExit(f"Chromium is missing at {CHROMIUM}: run `make chromium`.")
    work = Path(tempfile.mkdtemp(prefix="tryg-load-"))
    try:
        store_dir = Path(args.data) if args.data else work / "store"
        if not args.data:
            print(f"demo data: {args.incidents:,} incidents in {store_dir}", flush=True)
            make_demo(Store(store_dir), incidents=args.incidents, seed=args.seed)
        ds = load_dataset(Store(store_dir))
        links = deep_links(ds)
        incidents = len(ds.incidents) if ds.incidents is not None else 0
        with dashboard_server(store_dir, work / "streamlit-load.log") as server:
            url, proc = server.url, server.proc
            print(f"{args.users} users for {args.seconds:.0f} s against {url} …", flush=True)
            started = time.perf_counter()
            driven = asyncio.run(drive(url, links, args.users, args.seconds, args.ramp, proc))
            wall = time.perf_counter() - started
            status = proc_status(proc.pid)
            log_tail = (work / "streamlit-load.log").read_text(errors="replace")[-3000:]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    actions = [a for u in driven["users"] for a in u["actions"]]
    ok = [a for a in actions if a["error"] is None]
    errors = [a for a in actions if a["error"] is not None]
    page_errors = [e for u in driven["users"] for e in u["page_errors"]]
    by_kind = {
        kind: stats([a["ms"] for a in ok if a["kind"] == kind]) for kind in ("deep_link", "widget")
    }
    return {
        "machine": machine_info(),
        "incidents": incidents,
        "users": args.users,
        "seconds": args.seconds,
        "wall_seconds": round(wall, 1),
        "actions": len(actions),
        "actions_per_second": round(len(actions) / wall, 2),
        "errors": len(errors) + len(page_errors),
        "error_examples": sorted({a["error"] for a in errors})[:10] + page_errors[:5],
        "map_ready_ms": stats([a["ms"] for a in ok]),
        "map_ready_ms_by_kind": by_kind,
        "p95_map_ready_ms": stats([a["ms"] for a in ok])["p95"],
        "peak_rss_mb": round(status["VmHWM"] * 1024 / 1e6, 1),
        # Where the CPU went while users were active: the server, or everything else on the
        # machine (Chromium rendering 20 pages, other processes).
        "server_cpu_seconds": driven["server_cpu_seconds"],
        "machine_busy_cpu_seconds": driven["machine_busy_cpu_seconds"],
        "server_cpu_share": round(
            driven["server_cpu_seconds"] / max(driven["machine_busy_cpu_seconds"], 1e-9), 3
        ),
        "rss_samples_mb_max": round(max(driven["rss_samples_mb"], default=0), 1),
        "blocked_requests": driven["blocked"][:20],
        "server_log_tail": log_tail if errors else "",
        "per_action": actions,
    }


def table(results: dict[str, Any]) -> str:
    m = results["machine"]
    lat = results["map_ready_ms"]
    rows = [
        ("Machine", f"nproc {m['nproc']}, {m['cpu_model']}, load {m['loadavg_at_start']}"),
        ("Data", f"{results['incidents']:,} incidents"),
        ("Users × time", f"{results['users']} × {results['seconds']:.0f} s"),
        ("Actions (filter changes)", f"{results['actions']} ({results['actions_per_second']}/s)"),
        ("Errors (goal 0)", str(results["errors"])),
        (
            "Change → map ready, median / p95 / max",
            f"{lat['median']} / {lat['p95']} / {lat['max']} ms",
        ),
    ]
    for kind, s in results["map_ready_ms_by_kind"].items():
        rows.append((f"  {kind}: n, median / p95", f"{s['n']}, {s['median']} / {s['p95']} ms"))
    rows.append(("Server peak RSS (VmHWM)", f"{results['peak_rss_mb']:.0f} MB"))
    rows.append(
        (
            "CPU: server / whole machine",
            f"{results['server_cpu_seconds']} s / {results['machine_busy_cpu_seconds']} s "
            f"({results['server_cpu_share']:.0%} server)",
        )
    )
    rows.append(("Requests blocked (not loopback)", str(len(results["blocked_requests"]))))
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{a.ljust(width)} | {b}" for a, b in rows)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--ramp", type=float, default=10, help="seconds over which users arrive")
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", default=None, help="use this store instead of new demo data")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    results = run(args)
    text = table(results)
    print("\n" + text, flush=True)
    results["table"] = text
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwrote {args.out}")
    return results


if __name__ == "__main__":
    main()
