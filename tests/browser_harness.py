"""Browser-test harness: real ``streamlit run`` servers and Debian's Chromium.

One harness for every test that needs a browser or a running dashboard (``tests/browser/``, the
attack suite in ``tests/security/``): ``tests/conftest.py`` makes its fixtures available, so a
test run starts Playwright (and Chromium) once.

The real ``dashboard.py`` is served over the full demo data.
Playwright never downloads a browser here: it drives ``/usr/bin/chromium``, which
``make test`` installs. Screenshots and server logs go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@contextmanager
def serve(
    script: Path,
    data: Path,
    log_path: Path,
    *,
    port: int | None = None,
    secrets: Path | None = None,
) -> Iterator[str]:
    """``streamlit run script`` on ``port`` (default: a free one) over the store ``data``,
    without tiles.

    The working directory is the repository, so ``.streamlit/config.toml`` applies. Secrets
    come from ``secrets`` only (a developer's own ``.streamlit/secrets.toml`` never switches
    sign-in on for a test); without it the dashboard runs in Lokal tilstand.
    """
    port = port or _free_port()
    secrets = secrets or data.parent / f"{data.name}-no-secrets.toml"
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
        "--secrets.files",
        str(secrets),
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
    ``with serve_dashboard(data, "name") as url`` (log: ``streamlit-name.log``); ``port`` and
    ``secrets`` (a secrets file with ``[auth]``) as in :func:`serve`."""

    def start(data: Path, name: str, **options: Any):
        return serve(REPO / "dashboard.py", data, artifacts / f"streamlit-{name}.log", **options)

    return start


def _wait_healthy(proc: subprocess.Popen, health: str, log: Path, timeout: float = 180) -> None:
    # Health says 200 only after the warm-up (readiness.py): data loaded, every page built once.
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
