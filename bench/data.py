"""Demo data for a benchmark run on its own, and the median of repeated runs.

``python -m bench.analysis``, ``bench.emerging``, ``bench.deck`` and ``bench.png_export`` each
time their work on fresh demo data in a temporary folder; :func:`demo_dataset` is the one way
they make and load it (``make bench`` hands them its own dataset instead), and
:func:`run_alone` the one command line of the analysis benchmarks.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
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


def run_alone(
    argv: list[str] | None,
    doc: str,
    prefix: str,
    run: Callable[[Any, int], dict[str, Any]],
    summary: Callable[[dict[str, Any]], str],
) -> dict[str, Any]:
    """A benchmark module on its own (``--incidents N --repeat R --seed S``): ``run(ds, R)`` on
    fresh demo data (:func:`demo_dataset`, its incident columns read first, as in a running
    dashboard), ``summary`` of the results to stderr and the JSON (one object) to stdout."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    with demo_dataset(args.incidents, seed=args.seed, prefix=prefix) as (ds, _):
        _ = ds.arrays
        results = {"incidents": args.incidents, **run(ds, args.repeat)}
    print(summary(results), file=sys.stderr)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return results
