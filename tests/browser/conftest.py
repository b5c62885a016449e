"""Browser-test harness: real ``streamlit run`` servers and Debian's Chromium.

Two apps are served: ``map_app.py`` (the district map of tryg_geo.render.maps over a tiny store with
three districts and the Limfjord) and the real ``dashboard.py`` over the full demo data.
Playwright never downloads a browser here: it drives ``/usr/bin/chromium``, which
``make test`` installs. Screenshots and server logs go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from tryg_geo.store.folder import Store
from tryg_geo.store.schema import REJECTED_COLUMNS, STORE_CRS

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
XSS_NAME = "<img src=x onerror=alert(1)>"
#: Three side-by-side districts south of the Limfjord (EPSG:25832), west to east.
DISTRICTS = (
    ("D1", "Vestbyen", 12000, (551000, 6318000, 554500, 6321800)),
    ("D2", "Midtbyen", 23000, (554500, 6318000, 558000, 6321800)),
    ("D3", XSS_NAME, 5000, (558000, 6318000, 561500, 6321800)),
)
WATER = (550000, 6321900, 562500, 6323200)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_tiny_store(root: Path) -> Store:
    """Districts and one water place, marked as demo data."""
    store = Store(root)
    rejected = pd.DataFrame(columns=list(REJECTED_COLUMNS))
    districts = gpd.GeoDataFrame(
        {
            "district_id": [d[0] for d in DISTRICTS],
            "name": [d[1] for d in DISTRICTS],
            "population": pd.array([d[2] for d in DISTRICTS], dtype="Int64"),
        },
        geometry=[shapely.MultiPolygon([shapely.box(*d[3])]) for d in DISTRICTS],
        crs=STORE_CRS,
    )
    places = gpd.GeoDataFrame(
        {"place_id": ["P1"], "name": ["Limfjorden"], "kind": ["vand"]},
        geometry=[shapely.MultiPolygon([shapely.box(*WATER)])],
        crs=STORE_CRS,
    )
    report = {"file": "browser-test", "rows": 3}
    store.write("districts", districts, rejected=rejected, report=report, demo=True)
    store.write("places", places, rejected=rejected, report={**report, "rows": 1}, demo=True)
    return store


@pytest.fixture(scope="session")
def districts_spec() -> tuple[tuple[str, str, int, tuple[int, int, int, int]], ...]:
    """``(district_id, name, population, box)`` of the tiny store, west to east."""
    return DISTRICTS


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@contextmanager
def serve(script: Path, data: Path, log_path: Path) -> Iterator[str]:
    """``streamlit run script`` on a free port over the store ``data``, without tiles.

    The working directory is the repository, so ``.streamlit/config.toml`` applies.
    """
    port = _free_port()
    env = {**os.environ, "TRYG_DATA_DIR": str(data), "TRYG_BASEMAP": "none"}
    # The dashboard starts the way `make dashboard` starts it (serve.py); other apps plainly.
    launcher = (
        [str(REPO / "serve.py")]
        if Path(script).resolve() == REPO / "dashboard.py"
        else ["-m", "streamlit", "run", str(script)]
    )
    command = [
        sys.executable,
        *launcher,
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        # Watching the repo (with .venv) costs seconds and thousands of inotify watches.
        "--server.fileWatcherType",
        "none",
    ]
    url = f"http://127.0.0.1:{port}"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(proc, f"{url}/_stcore/health", log_path)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="session")
def map_app_url(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[str]:
    """The one-page map app (``map_app.py``, run from a temporary copy) over the tiny store."""
    data = tmp_path_factory.mktemp("store")
    write_tiny_store(data)
    app_dir = tmp_path_factory.mktemp("app")
    shutil.copy(HERE / "map_app.py", app_dir / "map_app.py")
    with serve(app_dir / "map_app.py", data, artifacts / "streamlit-map_app.log") as url:
        yield url


@pytest.fixture(scope="session")
def dashboard_url(tmp_path_factory: pytest.TempPathFactory, artifacts: Path) -> Iterator[str]:
    """The real ``dashboard.py`` over the full demo data (``python -m tryg_geo demo``)."""
    data = tmp_path_factory.mktemp("demo")
    done = subprocess.run(
        [sys.executable, "-m", "tryg_geo", "demo"],
        cwd=REPO,
        env={**os.environ, "TRYG_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.fail(f"'python -m tryg_geo demo' failed:\n{done.stdout}\n{done.stderr}")
    with serve(REPO / "dashboard.py", data, artifacts / "streamlit-dashboard.log") as url:
        yield url


@pytest.fixture(scope="session")
def serve_dashboard(artifacts: Path):
    """Start the real ``dashboard.py`` over a store of a test module's own making:
    ``with serve_dashboard(data, "name") as url`` (log: ``streamlit-name.log``)."""

    def start(data: Path, name: str):
        return serve(REPO / "dashboard.py", data, artifacts / f"streamlit-{name}.log")

    return start


def _wait_healthy(proc: subprocess.Popen, health: str, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit stopped (exit {proc.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(health, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"streamlit did not answer {health} within {timeout:.0f} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (sync API)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}. Run `make test`: it installs Debian's "
            "chromium package before running the tests (Playwright never downloads one)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Recorder:
    """Every request, websocket and dialog of one page and all its frames."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.websockets: list[str] = []
        self.dialogs: list[str] = []


@pytest.fixture()
def page_and_log(browser) -> Iterator[tuple[object, Recorder]]:
    """A fresh page (own context) with request, websocket and dialog recording."""
    context = browser.new_context(viewport={"width": 1280, "height": 1100})
    rec = Recorder()
    # Context-level "request" covers the page, its iframes and any worker it starts.
    context.on("request", lambda req: rec.requests.append(req.url))
    page = context.new_page()
    page.on("websocket", lambda ws: rec.websockets.append(ws.url))

    def on_dialog(dialog) -> None:
        rec.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield page, rec
    finally:
        context.close()
