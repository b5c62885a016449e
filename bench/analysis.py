"""Seconds for the analyses of issue 12 on 1 000 000 demo incidents, warm.

    python -m bench.analysis [--incidents N] [--repeat R] [--seed S]

- ``hotspots_seconds``: Gi* on 100 m cells over the whole kommune for the last full year, every
  category (the study grid and every incident's cell are cached per data version, as in the
  dashboard; the counting, Gi*, p-values, FDR and classes are timed, not a cached result).
- ``near_repeat_seconds``: the Knox table (5 × 5 bands, 999 permutations, seed 1) of the
  burglaries ("indbrud i beboelse") of that year inside the districts: event selection, KD-tree,
  observed pairs and the permutations.

Each is run once to warm up, then R times; the median counts. Goal: ≤ 2 s each.
:func:`run_analysis` is what ``bench/run.py`` calls on its dataset; on its own this module makes
the demo data in a temporary folder first. JSON (one object) goes to stdout.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bench.data import median_seconds, run_alone

GOAL_SECONDS = 2.0
BURGLARY = "indbrud i beboelse"


def run_analysis(ds: Any, repeat: int = 3) -> dict[str, Any]:
    """Time Gi* on 100 m cells and the near-repeat table on ``ds`` (a loaded Dataset).

    Returns
    -------
    dict
        ``hotspots_seconds``, ``near_repeat_seconds`` (medians, rounded to 3 decimals) and an
        ``analysis`` entry with the runs, sizes and goals.
    """
    from tryg_geo.analysis.hotspots import _cell_hotspots
    from tryg_geo.analysis.near_repeat import event_mask, knox_test
    from tryg_geo.analysis.study_grid import incident_cells

    last = ds.incident_span[1]
    year = last.year if (last.month, last.day) == (12, 31) else last.year - 1
    start, end = date(year, 1, 1), date(year, 12, 31)

    incident_cells(ds, "100m", None)  # per data version, like the dashboard's first visit
    hot_s, hot_runs, hot = median_seconds(
        lambda: _cell_hotspots(ds, start, end, (), None, "100m", True), repeat
    )

    def knox() -> Any:
        mask = event_mask(ds, start=start, end=end, categories=(BURGLARY,), district=None)
        days = ds.arrays.time[mask].astype("datetime64[D]").astype("int64")
        return knox_test(ds.arrays.x[mask], ds.arrays.y[mask], days, permutations=999, seed=1)

    near_s, near_runs, table = median_seconds(knox, max(1, repeat - 1))
    return {
        "hotspots_seconds": round(hot_s, 3),
        "near_repeat_seconds": round(near_s, 3),
        "analysis": {
            "year": year,
            "hotspots": {
                "cells": len(hot.table),
                "incidents": hot.incidents,
                "classes": hot.class_counts(),
                "runs_seconds": [round(r, 3) for r in hot_runs],
                "goal_met": hot_s <= GOAL_SECONDS,
            },
            "near_repeat": {
                "events": table.events,
                "pairs_within_largest_band": int(table.observed[:-1].sum()),
                "permutations": table.permutations,
                "reading": table.reading("et indbrud", "et nyt indbrud"),
                "runs_seconds": [round(r, 3) for r in near_runs],
                "goal_met": near_s <= GOAL_SECONDS,
            },
        },
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    return run_alone(
        argv,
        __doc__,
        "tryg-analysis-",
        run_analysis,
        lambda r: (
            f"hotspots {r['hotspots_seconds']:.3f} s, near repeat {r['near_repeat_seconds']:.3f} s "
            f"(goal ≤ {GOAL_SECONDS:g} s each)"
        ),
    )


if __name__ == "__main__":
    main()
