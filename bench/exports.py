"""PNG export per view, and the peak memory of the real server after every page opened once."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bench.common import (
    MAP_IFRAME,
    SERVER_PAGES,
    say,
)
from bench.server import dashboard_server, proc_status


# ---- PNG export ---------------------------------------------------------------------------------
def png_exports(ds, which: str) -> list[dict[str, Any]]:
    """Seconds of ``png_page.view_png`` per view (the view is built first and not timed)."""
    from tryg_geo.render import png_page
    from tryg_geo.views.registry import MAIN_VIEWS, build_view, default_filters, view_keys
    from tryg_geo.views.tryg_bydel import INCIDENT_RATE

    keys = view_keys() if which == "all" else [v.key for v in MAIN_VIEWS]
    filters = default_filters(ds)
    jobs = [(k, k, filters) for k in keys]
    rate = filters.with_(indicator=INCIDENT_RATE)
    jobs.insert(2, ("tryg-bydel (hændelser pr. 1.000)", "tryg-bydel", rate))
    rows = []
    for label, key, f in jobs:
        view = build_view(key, ds, f)
        started = time.perf_counter()
        png = png_page.view_png(view)
        rows.append(
            {"view": label, "seconds": round(time.perf_counter() - started, 3), "bytes": len(png)}
        )
    return rows


def wait_for_page(page, timeout_ms: float) -> None:
    """Until the script run is over and the page title is drawn (every page has one; the
    state is also 'notRunning' before the first run starts), then until any map has features."""
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-test-script-state]');
            return app && app.getAttribute('data-test-script-state') === 'notRunning'
                && document.querySelector('[data-testid="stMain"] h1') !== null;
        }""",
        timeout=timeout_ms,
    )
    if page.locator(MAP_IFRAME).count():
        frame = page.frame_locator(MAP_IFRAME).first
        frame.locator("path.leaflet-interactive").first.wait_for(timeout=timeout_ms)


def server_peak_memory(store_dir: Path, work: Path, page_timeout: float) -> dict[str, Any]:
    """VmHWM of ``streamlit run dashboard.py`` after Chromium opened every page once."""
    from bench.browser_map import loopback_context

    log_path = work / "streamlit-bench.log"
    pages = []
    blocked: list[str] = []
    with dashboard_server(store_dir, log_path) as server:
        url, proc = server.url, server.proc
        idle = proc_status(proc.pid)
        with loopback_context({"width": 1400, "height": 1100}, blocked) as context:
            page = context.new_page()
            for path in SERVER_PAGES:
                started = time.perf_counter()
                error = None
                try:
                    page.goto(f"{url}/{path}", timeout=page_timeout * 1000)
                    wait_for_page(page, page_timeout * 1000)
                    exceptions = page.locator('[data-testid="stException"]').count()
                    if exceptions:
                        error = f"{exceptions} exception box(es) on the page"
                except Exception as exc:  # noqa: BLE001 - reported, not fatal
                    error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
                pages.append(
                    {
                        "page": "/" + path,
                        "seconds": round(time.perf_counter() - started, 2),
                        "error": error,
                        "rss_mb": round(proc_status(proc.pid)["VmRSS"] * 1024 / 1e6, 1),
                    }
                )
                say(f"    /{path:<12} {pages[-1]['seconds']:6.1f} s  {error or ''}")
            page.wait_for_timeout(1000)
            status = proc_status(proc.pid)
    return {
        "peak_rss_mb": round(status["VmHWM"] * 1024 / 1e6, 1),
        "rss_after_pages_mb": round(status["VmRSS"] * 1024 / 1e6, 1),
        "idle_rss_mb": round(idle["VmRSS"] * 1024 / 1e6, 1),
        "pages": pages,
        "errors": sum(p["error"] is not None for p in pages),
        "blocked_requests": blocked,
        "log": str(log_path),
    }
