"""Demo data for a benchmark run on its own, and the median of repeated runs.

``python -m bench.analysis``, ``bench.emerging``, ``bench.deck`` and ``bench.png_export`` each
time their work on fresh demo data in a temporary folder; :func:`demo_dataset` is the one way
they make and load it (``make bench`` hands them its own dataset instead).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple


class DemoData(NamedTuple):
    """A loaded dataset of demo data and the seconds its making took."""

    ds: Any
    demo_seconds: float


@contextmanager
def demo_dataset(
    incidents: int, *, seed: int | None = None, prefix: str = "tryg-bench-"
) -> Iterator[DemoData]:
    """Demo data with ``incidents`` incidents (``seed``: the generator's default when None) in
    a temporary folder named ``prefix…``, loaded; the folder is removed on exit."""
    from tryg_geo.demo.make import make_demo
    from tryg_geo.store.dataset import load_dataset
    from tryg_geo.store.folder import Store

    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        store = Store(Path(folder) / "data")
        started = time.perf_counter()
        make_demo(store, incidents=incidents, **({} if seed is None else {"seed": seed}))
        seconds = time.perf_counter() - started
        yield DemoData(load_dataset(store), seconds)


def median_seconds(function: Callable[[], Any], repeat: int) -> tuple[float, list[float], Any]:
    """Median seconds of ``repeat`` calls after one warm-up call, the runs and the last result."""
    result = function()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), runs, result
