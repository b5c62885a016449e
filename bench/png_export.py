"""Seconds per view for the PNG export ("Hent PNG"), on 200 000 demo incidents.

    python -m bench.png_export [--incidents N] [--size slide|a4] [--repeat R]

Makes demo data in a temporary folder, builds every view (main views and ``indsats/<slug>``)
with the dashboard's default filters, and times :func:`tryg_geo.render.png_page.view_png` — the call
behind the "Hent PNG" button — R times per view (the best run counts; the first run of a
process also pays for font and geometry caches, and is reported separately). The view itself is
built once beforehand and timed on its own. Goal: ≤ 2 s per view.

A table goes to stderr; the JSON (one object) to stdout.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from typing import Any

from bench.data import demo_dataset

GOAL_SECONDS = 2.0


def run(incidents: int, size: str, repeat: int) -> dict[str, Any]:
    """Time the PNG export of every view; returns the JSON-ready results."""
    from tryg_geo.render import png_base, png_page
    from tryg_geo.views.registry import build_view, default_filters, view_keys

    with demo_dataset(incidents, prefix="tryg-png-") as (ds, demo_seconds):
        filters = default_filters(ds, {})
        rows = [
            _time_view(key, ds, filters, size, repeat, build_view, png_page) for key in view_keys()
        ]
    slowest = max(rows, key=lambda r: r["png_seconds"])
    return {
        "incidents": incidents,
        "size": size,
        "pixels": list(png_base.png_size(size)),
        "repeat": repeat,
        "period": f"{filters.start.isoformat()}/{filters.end.isoformat()}",
        "demo_seconds": round(demo_seconds, 2),
        "views": rows,
        "png_seconds_max": slowest["png_seconds"],
        "slowest_view": slowest["view"],
        "goal_seconds": GOAL_SECONDS,
        "goal_met": slowest["png_seconds"] <= GOAL_SECONDS,
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
    }


def _time_view(key, ds, filters, size, repeat, build_view, png_page) -> dict[str, Any]:
    started = time.perf_counter()
    view = build_view(key, ds, filters)
    build = time.perf_counter() - started
    runs = []
    for _ in range(max(repeat, 1)):
        started = time.perf_counter()
        png = png_page.view_png(view, size)
        runs.append(time.perf_counter() - started)
    return {
        "view": key,
        "build_seconds": round(build, 3),
        "png_seconds": round(min(runs), 3),
        "png_seconds_first": round(runs[0], 3),
        "bytes": len(png),
    }


def _table(results: dict[str, Any]) -> str:
    lines = [
        f"PNG export ({results['size']}, {results['pixels'][0]}×{results['pixels'][1]}) on "
        f"{results['incidents']:_} demo incidents, best of {results['repeat']}:".replace("_", " "),
        f"{'view':48s} {'build s':>8s} {'PNG s':>8s} {'first s':>8s} {'kB':>6s}",
    ]
    for row in results["views"]:
        lines.append(
            f"{row['view']:48s} {row['build_seconds']:8.2f} {row['png_seconds']:8.2f} "
            f"{row['png_seconds_first']:8.2f} {row['bytes'] / 1000:6.0f}"
        )
    verdict = "met" if results["goal_met"] else "NOT met"
    lines.append(
        f"slowest: {results['slowest_view']} {results['png_seconds_max']:.2f} s "
        f"(goal ≤ {GOAL_SECONDS:.0f} s: {verdict})"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.png_export", description=__doc__)
    parser.add_argument("--incidents", type=int, default=200_000)
    parser.add_argument("--size", choices=["slide", "a4"], default="slide")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    results = run(args.incidents, args.size, args.repeat)
    print(_table(results), file=sys.stderr)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
