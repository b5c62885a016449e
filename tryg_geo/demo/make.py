"""Demodata: a realistic, fully synthetic Aalborg to show and test the dashboard without real data.

Everything here is invented. The districts carry real Aalborg names at their approximate real
centres, but their shapes are Voronoi cells, their populations are rounded guesses and every
incident and measurement is drawn from a random generator. The store marks each kind as demo
data and every report carries the warning "Demodata", so no view can pass them off as real.

The output depends only on ``seed`` (``numpy.random.default_rng``); "now" is pinned to the end
of 2025, so two runs with the same seed write identical tables.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..compute.registry import all_indicators
from ..geo.enrich import outside_count
from ..ingest.result import LoadResult
from ..store.folder import Store
from ..store.schema import REJECTED_COLUMNS
from .common import DEFAULT_SEED, DEMO_WARNING
from .districts import make_districts
from .incidents import make_incidents
from .measurements import make_measurements
from .places import make_places


def _report(kind: str, frame: pd.DataFrame, outside: int = 0) -> dict[str, Any]:
    result = LoadResult(
        kind=kind,
        file="demo",
        frame=frame,
        rejected=_no_rejections(),
        rows_read=len(frame),
        outside_districts=outside,
        warnings=[DEMO_WARNING],
    )
    result.check_counts()
    return result.report()


def _no_rejections() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in REJECTED_COLUMNS})


def make_demo(
    store: Store, *, incidents: int = 200_000, seed: int = DEFAULT_SEED
) -> dict[str, dict[str, Any]]:
    """Write demo districts, places, incidents and measurements to ``store``.

    Parameters
    ----------
    store : the data folder to write to; each kind is written atomically and marked demo.
    incidents : number of incidents (1 000 000 takes a few seconds).
    seed : the only source of randomness; the same seed gives identical tables.

    Returns
    -------
    dict
        kind -> the import report of that kind (with "Demodata" among its warnings).
    """
    rng = np.random.default_rng(seed)
    districts = make_districts()
    places = make_places()
    registry = all_indicators()
    slugs = {ini.slug for ini, _ in registry}
    frames = {
        "districts": districts,
        "places": places,
        "incidents": make_incidents(districts, count=incidents, rng=rng, initiative_slugs=slugs),
        "measurements": make_measurements(places, seed=seed, indicators=[i for _, i in registry]),
    }
    reports = {}
    for kind, frame in frames.items():
        outside = outside_count(frame) if kind == "incidents" else 0
        reports[kind] = _report(kind, frame, outside)
        store.write(kind, frame, rejected=_no_rejections(), report=reports[kind], demo=True)
    return reports
