"""``make bench`` runs end to end, on tiny data. No timing is asserted: only that every part
ran and wrote its numbers (the real numbers come from ``make bench`` on 1 000 000 incidents)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import run as bench_run  # noqa: E402

# The peak-memory step opens every page of a real `streamlit run` in Debian's Chromium.
pytestmark = pytest.mark.browser


def test_bench_runs_on_tiny_data(tmp_path):
    out = tmp_path / "results.json"
    # A process of its own: Playwright's sync API refuses to start inside another test's
    # browser session (asyncio loop), and `make bench` runs it as a process too.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--incidents",
            "3000",
            "--changes",
            "3",
            "--out",
            str(out),
            "--work",
            str(tmp_path / "work"),
            "--profile-dir",
            str(tmp_path / "profiles"),
            "--png-views",
            "main",
        ],
        cwd=REPO,
        check=True,
        timeout=900,
    )
    results = json.loads(out.read_text(encoding="utf-8"))
    assert not results.get("failures")
    for key in bench_run.REQUIRED_KEYS:
        value = results[key]
        assert isinstance(value, int | float) and value > 0, (key, value)
    machine = results["machine"]
    assert machine["nproc"] >= 1 and machine["cpu_model"]
    for page in ("tryg-bydel", "natteliv"):
        changes = results["pages"][page]["changes"]
        assert len(changes) == 3
        assert all(c["rerun_ms"] > 0 and c["naive_ms"] > 0 and not c["errors"] for c in changes)
        assert results["profile"][page]["page_seconds"] > 0
        assert (tmp_path / "profiles" / f"profile_{page}.txt").exists()
    assert results["import"]["accepted"] == results["import"]["rows"] > 0
    assert results["server"]["errors"] == 0 and not results["server"]["blocked_requests"]
    assert set(results["goals"]) == set(bench_run.GOALS)
    assert "Measure" in results["table"]
