"""Seconds for emerging hot spots (analysis/emerging.py) on 1 000 000 demo incidents.

    python -m bench.emerging [--incidents N] [--repeat R] [--seed S]

- ``emerging_cold_seconds``: 12 quarters ending with the data's last full quarter, every
  category, on 1 km cells (the Analyse page's default) and on 100 m cells, with every cache of
  the data version emptied first (study grid, incidents' cells and steps, results): counting,
  Gi* and FDR per quarter, Mann–Kendall and the patterns. Goal: ≤ 3 s.
- ``emerging_cached_seconds``: the same filters again (the page's rerun, a second user): served
  from the cache of :mod:`tryg_geo.cache`.
- Against a naive way in the same run: the same z-series through ``pymannkendall`` one location
  at a time (what a notebook would do), as a ratio to the vectorised Mann–Kendall and to the
  whole cold analysis.

Each is run once to warm up (imports), then R times; the median counts. JSON to stdout.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

from bench.data import median_seconds, run_alone

GOAL_SECONDS = 3.0
QUARTERS = 12
#: Locations the naive loop is timed on (then scaled to all): pymannkendall takes ~0.1 ms each.
NAIVE_SAMPLE = 5_000


def _period(ds: Any) -> tuple[date, date]:
    """The last :data:`QUARTERS` full quarters of the data."""
    last = ds.incident_span[1]
    quarter = (last.year * 12 + last.month - 1) // 3  # quarters since year 0
    following = quarter + 1
    end = date(following // 4, following % 4 * 3 + 1, 1) - timedelta(days=1)
    if last < end:  # the last quarter is not full
        end, quarter = date(quarter // 4, quarter % 4 * 3 + 1, 1) - timedelta(days=1), quarter - 1
    first = quarter - QUARTERS + 1
    return date(first // 4, first % 4 * 3 + 1, 1), end


def run_emerging(ds: Any, repeat: int = 3) -> dict[str, Any]:
    """Time emerging hot spots on ``ds`` (a loaded Dataset), cold and cached, and the naive
    per-location Mann–Kendall, in one run."""
    import numpy as np
    import pymannkendall

    from tryg_geo import cache
    from tryg_geo.analysis.emerging import emerging_hotspots, mann_kendall

    start, end = _period(ds)

    def cold(size: str) -> Any:
        for owner in (ds, ds.arrays):
            cache.of(owner, "analyses").clear()
        return emerging_hotspots(ds, step="quarter", start=start, end=end, size=size)

    out: dict[str, Any] = {"period": [start.isoformat(), end.isoformat()], "sizes": {}}
    for size in ("1km", "100m"):
        cold_s, cold_runs, result = median_seconds(lambda size=size: cold(size), repeat)
        cached_s, _, _ = median_seconds(
            lambda size=size: emerging_hotspots(
                ds, step="quarter", start=start, end=end, size=size
            ),
            repeat,
        )
        mk_s, _, _ = median_seconds(lambda result=result: mann_kendall(result.z), repeat)
        sample = result.z[:NAIVE_SAMPLE]
        started = time.perf_counter()
        for row in sample:
            pymannkendall.original_test(row)
        naive_mk_s = (time.perf_counter() - started) * len(result.z) / len(sample)
        # The two agree (the test suite checks every value; here a sanity check of the run).
        theirs = [pymannkendall.original_test(row).s for row in sample[:200]]
        assert np.array_equal(mann_kendall(sample[:200]).s, theirs)
        out["sizes"][size] = {
            "locations": len(result.ids),
            "periods": len(result.periods),
            "incidents": result.incidents,
            "patterns": {k: v for k, v in result.counts().items() if v},
            "cold_seconds": round(cold_s, 3),
            "cold_runs_seconds": [round(r, 3) for r in cold_runs],
            "cached_seconds": round(cached_s, 6),
            "mann_kendall_seconds": round(mk_s, 4),
            "naive_mann_kendall_seconds": round(naive_mk_s, 3),
            "naive_over_vectorised_mann_kendall": round(naive_mk_s / mk_s, 1),
            "naive_total_over_ours_cold": round((cold_s - mk_s + naive_mk_s) / cold_s, 1),
            "cold_over_cached": round(cold_s / max(cached_s, 1e-9)),
            "goal_met": cold_s <= GOAL_SECONDS,
        }
    worst = max(v["cold_seconds"] for v in out["sizes"].values())
    return {
        "emerging_cold_seconds": worst,
        "emerging_cached_seconds": max(v["cached_seconds"] for v in out["sizes"].values()),
        "emerging": out,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    return run_alone(
        argv,
        __doc__,
        "tryg-emerging-",
        run_emerging,
        lambda r: (
            f"emerging hot spots cold {r['emerging_cold_seconds']:.3f} s (goal ≤ "
            f"{GOAL_SECONDS:g} s), cached {r['emerging_cached_seconds'] * 1e6:.0f} µs"
        ),
    )


if __name__ == "__main__":
    main()
