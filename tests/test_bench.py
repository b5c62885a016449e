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

from bench import common as bench_common  # noqa: E402

# The peak-memory step opens every page of a real `streamlit run` in Debian's Chromium.
pytestmark = pytest.mark.browser


#: The smallest run that still exercises every section: the fewest incidents whose demo data
#: still give every page a changed map, Gi* classes and a Knox table; two filter changes per
#: page (the browser's map timing needs a second one when the first times out on a busy
#: machine); one more size, only a little larger.
INCIDENTS, CHANGES, MORE = 2000, 2, 3000


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
            str(INCIDENTS),
            "--changes",
            str(CHANGES),
            "--out",
            str(out),
            "--work",
            str(tmp_path / "work"),
            "--profile-dir",
            str(tmp_path / "profiles"),
            "--png-views",
            "main",
            "--more",
            str(MORE),
        ],
        cwd=REPO,
        check=True,
        timeout=900,
    )
    results = json.loads(out.read_text(encoding="utf-8"))
    assert not results.get("failures")
    for key in bench_common.REQUIRED_KEYS:
        value = results[key]
        assert isinstance(value, int | float) and value > 0, (key, value)
    machine = results["machine"]
    assert machine["nproc"] >= 1 and machine["cpu_model"]
    assert set(results["pages"]) == set(bench_common.PAGES)
    for page, measured in results["pages"].items():
        changes = measured["changes"]
        assert len(changes) == CHANGES
        assert all(c["rerun_ms"] > 0 and not c["errors"] for c in changes)
        assert set(measured["by_size"]) == {str(INCIDENTS), str(MORE)}, page
    for page in bench_common.NAIVE_PAGES:
        changes = results["pages"][page]["changes"]
        assert all(c["naive_ms"] > 0 for c in changes)
        assert results["profile"][page]["page_seconds"] > 0
        assert (tmp_path / "profiles" / f"profile_{page}.txt").exists()
    assert results["larger_incidents"] == MORE
    browser = results["browser"]
    assert not browser["blocked_requests"]
    # Each page drew at least one changed map, timed from the map's own mark (a change may
    # time out on a busy machine: it is counted as an error in the results, not hidden).
    drawn = {r["page"] for r in browser["rows"] if r.get("ms") is not None}
    assert drawn == {"Tryg bydel", "Natteliv"}
    assert browser["marks"] == ["tryg-map-drawn"]  # marked from inside the map
    assert results["import"]["accepted"] == results["import"]["rows"] > 0
    assert results["server"]["errors"] == 0 and not results["server"]["blocked_requests"]
    assert results["sizes"][str(MORE)]["server"]["errors"] == 0
    assert set(results["goals"]) == set(bench_common.GOALS)
    assert "Measure" in results["table"]


def test_protocol_load_runs_on_tiny_data(tmp_path):
    """``make load`` on tiny data: users speak Streamlit's websocket protocol and every key is
    written (the real run has 20 users for 120 s on 1 000 000 incidents)."""
    out = tmp_path / "load.json"
    subprocess.run(
        [sys.executable, "-m", "bench.ws_load", "--users", "3", "--seconds", "10"]
        + ["--ramp", "1", "--incidents", "3000", "--out", str(out)],
        cwd=REPO,
        check=True,
        timeout=600,
    )
    results = json.loads(out.read_text(encoding="utf-8"))
    for key in ("users", "seconds", "changes", "errors", "server_ms_p50", "server_ms_p95"):
        assert results[key] is not None, key
    assert results["errors"] == 0, results["error_examples"]
    assert results["changes"] >= 3
    assert results["server_peak_rss_mb"] > 0
    assert results["server_cpu_seconds"] > 0 and results["client_cpu_seconds"] > 0
    pages = {c["page"] for c in results["per_change"]}
    assert pages == {"Tryg bydel", "Natteliv", "Overblik"}
    assert all(c["what"].startswith("flt_") for c in results["per_change"])
