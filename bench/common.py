"""What the bench modules share: paths, the pages, the result keys and goals, small helpers."""

from __future__ import annotations

import logging
import os
import platform
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import numpy as np

from tryg_geo.views.registry import INITIATIVES_PAGE, MAIN_VIEWS
from tryg_geo.views.registry import PAGES as REGISTRY_PAGES

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "bench" / "results.json"
PROFILE_DIR = REPO / "bench" / "out"
#: page key -> page script, from the view registry (a main view's key, or the script's name):
#: a new page is benchmarked without editing this file.
PAGES: dict[str, str] = {
    **{v.key: v.page.file for v in MAIN_VIEWS},
    Path(INITIATIVES_PAGE.file).stem: INITIATIVES_PAGE.file,
}
#: Pages measured beside the naive way (direct calls, naive reruns, payloads, profiles).
NAIVE_PAGES: tuple[str, ...] = ("tryg-bydel", "natteliv")
#: URL paths of every page of dashboard.py (st.Page url_path), opened once for peak memory.
SERVER_PAGES: tuple[str, ...] = tuple(p.url_path or "" for p in REGISTRY_PAGES)
MAP_HEIGHT = {"tryg-bydel": 520, "natteliv": 560}
ALL_DISTRICTS = "(hele kommunen)"  # pages.ui.ALL_DISTRICTS
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
REQUIRED_KEYS: tuple[str, ...] = (
    "rerun_ms_median",
    "rerun_ms_p95",
    "naive_rerun_ms_median",
    "speedup_vs_naive",
    "district_payload_bytes",
    "naive_district_payload_bytes",
    "hotspot_payload_bytes",
    "import_1m_seconds",
    "png_export_seconds_max",
    "deck_seconds",
    "peak_rss_mb",
    "rerun_ms_median_5m",
    "peak_rss_mb_5m",
    "browser_map_ms_median",
    "browser_map_ms_p95",
)
#: name -> (key in the results, comparison, limit, how the goal reads)
GOALS: dict[str, tuple[str, str, float, str]] = {
    # Issue 22: the slowest page's filter change, script done, median.
    "rerun": ("rerun_ms_median", "<=", 100.0, "≤ 100 ms median (slowest page, 1M)"),
    "rerun_5m": ("rerun_ms_median_5m", "<=", 200.0, "≤ 200 ms median (slowest page, 5M)"),
    "speedup": ("speedup_vs_naive", ">=", 10.0, "≥ 10× naive (smaller speed-up)"),
    "district": ("district_payload_share", "<=", 0.25, "≤ 25 % of naive"),
    "hotspot": ("hotspot_payload_bytes", "<=", 1_000_000, "≤ 1 MB"),
    "import": ("import_1m_seconds", "<=", 15.0, "≤ 15 s"),
    "png": ("png_export_seconds_max", "<=", 2.0, "≤ 2 s per view"),
    "deck": ("deck_seconds", "<=", 30.0, "≤ 30 s (PPTX and PDF)"),
    "memory": ("peak_rss_mb", "<=", 2000.0, "≤ 2 GB (2000 MB)"),
    "memory_5m": ("peak_rss_mb_5m", "<=", 2000.0, "≤ 2 GB (2000 MB) at 5M"),
    "browser": ("browser_map_ms_p95", "<=", 400.0, "≤ 400 ms p95 (click → map drawn)"),
}

log = logging.getLogger("bench")


# ---- small helpers ------------------------------------------------------------------------------
def say(text: str) -> None:
    print(text, flush=True)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def stats(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"median": None, "p95": None, "min": None, "max": None, "n": 0}
    arr = np.asarray(values, dtype="float64")
    return {
        "median": round(float(np.median(arr)), 2),
        "p95": round(float(np.percentile(arr, 95)), 2),
        "min": round(float(arr.min()), 2),
        "max": round(float(arr.max()), 2),
        "n": len(values),
    }


def machine_info() -> dict[str, Any]:
    """Where the numbers came from: CPUs, CPU model, memory, load, versions, commit."""
    model = ""
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    versions = {}
    for name in ("streamlit", "folium", "streamlit_folium", "geopandas", "pandas", "numpy"):
        with suppress(Exception):
            versions[name] = __import__(name).__version__
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    return {
        "hostname": socket.gethostname(),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_count": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(mem_kb / 1024**2, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "loadavg_at_start": [round(v, 2) for v in os.getloadavg()],
        "versions": versions,
        "git_commit": commit,
    }


@contextmanager
def data_env(store_dir: Path) -> Iterator[None]:
    """The dashboard reads ``TRYG_DATA_DIR``; no background tiles (``TRYG_BASEMAP=none``)."""
    saved = {k: os.environ.get(k) for k in ("TRYG_DATA_DIR", "TRYG_BASEMAP")}
    os.environ["TRYG_DATA_DIR"] = str(store_dir)
    os.environ["TRYG_BASEMAP"] = "none"
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def is_loopback(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in ("127.0.0.1", "localhost")
