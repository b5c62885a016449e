"""The real dashboard on loopback for the benchmarks: demo data, ``serve.py``, /proc readings.

The server starts the way ``make dashboard`` starts it (``serve.py``, see there why) and the way
``tests/browser_harness.py`` does: headless, ``127.0.0.1`` on a free port, no file watcher,
no map tiles (``TRYG_BASEMAP=none``), so nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Server:
    """A running dashboard: its base URL and process."""

    url: str
    proc: subprocess.Popen

    @property
    def pid(self) -> int:
        return self.proc.pid


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tryg_geo_cli(store_dir: Path, *args: str) -> str:
    """``python -m tryg_geo ARGS`` over the data folder ``store_dir``, as a user would run it;
    returns its output, or raises with the output when it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "tryg_geo", *args],
        cwd=REPO,
        env={**os.environ, "TRYG_DATA_DIR": str(store_dir)},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"python -m tryg_geo {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        )
    return done.stdout


def make_demo_store(store_dir: Path, incidents: int, seed: int = 1) -> float:
    """Demo data with ``incidents`` incidents in ``store_dir`` (through the CLI, as a user
    would); returns the seconds it took."""
    started = time.perf_counter()
    tryg_geo_cli(store_dir, "demo", "--incidents", str(incidents), "--seed", str(seed))
    return time.perf_counter() - started


@contextmanager
def dashboard_server(
    store_dir: Path, log_path: Path, timeout: float = 120, extra_env: dict[str, str] | None = None
) -> Iterator[Server]:
    """``serve.py`` (the dashboard) on 127.0.0.1 over ``store_dir``; stopped on exit."""
    port = free_port()
    env = {
        **os.environ,
        "TRYG_DATA_DIR": str(store_dir),
        "TRYG_BASEMAP": "none",
        **(extra_env or {}),
    }
    command = [
        sys.executable,
        str(REPO / "serve.py"),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    url = f"http://127.0.0.1:{port}"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log_file:
        proc = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"the dashboard stopped: {log_path.read_text()[-2000:]}")
                with (
                    suppress(OSError),
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp,
                ):
                    if resp.status == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the dashboard did not start within {timeout:.0f} s")
                time.sleep(0.3)
            yield Server(url, proc)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def dashboard_arguments(parser: argparse.ArgumentParser, out: Path) -> None:
    """The options of a browser benchmark on the dashboard: ``--incidents``, ``--data`` and
    ``--out`` (see :func:`drive_demo_dashboard`)."""
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--data", default=None, help="an existing data folder instead")
    parser.add_argument("--out", type=Path, default=out)


def drive_demo_dashboard(
    drive: Callable[[str], dict[str, Any]], args: argparse.Namespace, prefix: str
) -> dict[str, Any]:
    """``drive`` (a browser run against a base URL) on the real dashboard: over ``args.data``
    (an existing data folder) or over fresh demo data with ``args.incidents`` incidents, in a
    temporary folder named ``prefix…`` that is removed after. The results go to ``args.out`` as
    JSON and, without their ``rows``, to stdout; they are returned too."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        store = Path(args.data) if args.data else work / "store"
        if not args.data:
            make_demo_store(store, args.incidents)
        with dashboard_server(store, work / "streamlit.log") as server:
            results = drive(server.url)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: v for k, v in results.items() if k != "rows"}, indent=1))
    return results


def proc_status(pid: int) -> dict[str, int]:
    """``VmHWM`` (peak) and ``VmRSS`` of ``pid`` in kB, from /proc."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmHWM", "VmRSS"):
            values[name] = int(rest.split()[0])
    return values


def cpu_seconds(pid: int | None = None) -> float:
    """CPU seconds (user + system) of ``pid``, or the busy seconds of the whole machine."""
    tick = os.sysconf("SC_CLK_TCK")
    if pid is not None:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / tick  # all but idle and iowait
