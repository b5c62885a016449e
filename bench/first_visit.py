"""The first visitor after a start: time to a drawn map in Chromium (not in make test).

    python -m bench.first_visit [--incidents 1000000] [--visitors 3]

One dashboard (``serve.py``) on 127.0.0.1 over demo data, waited for until its health check
says 200 — which, with ``readiness.py``, is after the warm-up. Then ``--visitors`` fresh
Chromium contexts (no cache, no cookies) one after the other open Tryg bydel; each time is from
``goto`` to the map's own ``tryg-map-drawn`` mark (``bench.browser_map.open_page``). Goal: the
first ≤ 1,5 s, and no slower than the later ones. Writes ``bench/out/first_visit.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.browser_map import CHROMIUM, CHROMIUM_ARGS, INIT_SCRIPT, open_page
from bench.server import REPO, dashboard_server, make_demo_store

DEFAULT_OUT = REPO / "bench" / "out" / "first_visit.json"


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="tryg-first-"))
    try:
        make_demo_store(work / "store", args.incidents)
        started = time.monotonic()
        with dashboard_server(work / "store", work / "server.log", timeout=600) as server:
            healthy_s = round(time.monotonic() - started, 1)
            times = []
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    for _ in range(args.visitors):
                        context = browser.new_context(viewport={"width": 1400, "height": 1000})
                        context.add_init_script(INIT_SCRIPT)
                        page = context.new_page()
                        times.append(round(open_page(page, server.url, "tryg-bydel", 60), 2))
                        context.close()
                finally:
                    browser.close()
            warm_line = [
                line
                for line in (work / "server.log").read_text(errors="replace").splitlines()
                if "opvarmning" in line
            ]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "incidents": args.incidents,
        "start_to_healthy_s": healthy_s,
        "warm_up_log": warm_line,
        "first_visitor_map_s": times[0],
        "later_visitors_map_s": times[1:],
        "goal": {"first_visitor_map_s": "≤ 1.5", "met": times[0] <= 1.5},
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m bench.first_visit", description=__doc__)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--visitors", type=int, default=3)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    results = measure(args)
    print(json.dumps(results, ensure_ascii=False), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
