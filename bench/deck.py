"""Seconds to make the steering-group deck (PowerPoint and PDF), as the Overblik buttons do.

    python -m bench.deck [--incidents N ...]

For each size: demo data in a temporary folder, the dataset loaded (and its caches warmed, as in
a running dashboard), then :func:`tryg_geo.make_deck` with the dashboard's default filters
— every view computed, checked and drawn — timed for PPTX and for PDF. ``deck_seconds`` is the
slower of the two (wall clock; ``cpu_seconds`` beside it shows what a shared machine's load
added), on the largest size. Goal: ≤ 30 s on 1 000 000 incidents.

``make bench`` calls :func:`deck_bench` on its own 1M dataset (``bench/run.py``). A table goes to
stderr; the JSON (one object) to stdout.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from typing import Any

from bench.data import demo_dataset

GOAL_SECONDS = 30.0


def deck_bench(ds: Any) -> dict[str, Any]:
    """Time the deck on a loaded dataset ``ds``.

    Parameters
    ----------
    ds : a :class:`tryg_geo.dataset.Dataset`.

    Returns
    -------
    dict
        ``deck_seconds`` (the slower of PPTX and PDF), ``runs`` (format, seconds, slides,
        bytes) and the goal.
    """
    from tryg_geo import default_filters, make_deck

    filters = default_filters(ds, {})
    runs = []
    for fmt in ("pptx", "pdf"):
        started, cpu = time.perf_counter(), time.process_time()
        deck = make_deck(ds, filters, fmt)
        runs.append(
            {
                "format": fmt,
                "seconds": round(time.perf_counter() - started, 2),
                "cpu_seconds": round(time.process_time() - cpu, 2),
                "slides": len(deck.slides),
                "bytes": len(deck.data),
            }
        )
    seconds = max(r["seconds"] for r in runs)
    return {
        "period": f"{filters.start.isoformat()}/{filters.end.isoformat()}",
        "runs": runs,
        "deck_seconds": seconds,
        "goal_seconds": GOAL_SECONDS,
        "goal_met": seconds <= GOAL_SECONDS,
    }


def run(sizes: list[int]) -> dict[str, Any]:
    """Demo data of each size, then :func:`deck_bench` on it."""
    out: dict[str, Any] = {"sizes": []}
    for incidents in sizes:
        with demo_dataset(incidents, prefix="tryg-deck-") as (ds, _):
            _ = ds.arrays, ds.place_members, ds.districts_wgs84, ds.places_wgs84
            result = deck_bench(ds)
        out["sizes"].append({"incidents": incidents, **result})
    largest = out["sizes"][-1]
    out.update(
        deck_seconds=largest["deck_seconds"],
        incidents=largest["incidents"],
        goal_seconds=GOAL_SECONDS,
        goal_met=largest["goal_met"],
        machine={"python": platform.python_version(), "platform": platform.platform()},
    )
    return out


def _table(results: dict[str, Any]) -> str:
    lines = [f"{'incidents':>10s} {'format':>6s} {'s':>7s} {'cpu s':>7s} {'slides':>6s} {'kB':>7s}"]
    for size in results["sizes"]:
        for row in size["runs"]:
            lines.append(
                f"{size['incidents']:10d} {row['format']:>6s} "
                f"{row['seconds']:7.2f} {row['cpu_seconds']:7.2f} {row['slides']:6d} {row['bytes'] / 1000:7.0f}"
            )
    verdict = "met" if results["goal_met"] else "NOT met"
    lines.append(
        f"deck_seconds {results['deck_seconds']:.1f} s on {results['incidents']:,} incidents "
        f"(goal ≤ {GOAL_SECONDS:.0f} s: {verdict})"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.deck", description=__doc__)
    parser.add_argument("--incidents", type=int, nargs="+", default=[200_000, 1_000_000])
    args = parser.parse_args(argv)
    results = run(args.incidents)
    print(_table(results), file=sys.stderr)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
