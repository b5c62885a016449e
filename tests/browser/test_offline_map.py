"""Maps in a real browser, with no background tiles and no internet.

The test walks every page of the real dashboard over the full demo data and checks that the
browser only ever talks to the local server (escaping and the map of each page are tested in
``test_pages_browser.py``).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT_MS = 30_000


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in LOCAL_HOSTS


def wait_until_idle(page, quiet_ms: int = 700) -> None:
    """Wait until the Streamlit script has finished (no running indicator for ``quiet_ms``)."""
    running = '[data-testid="stStatusWidgetRunningIcon"]'
    deadline = time.monotonic() + TIMEOUT_MS / 1000 * 4
    while time.monotonic() < deadline:
        page.wait_for_timeout(quiet_ms)
        if page.locator(running).count() == 0:
            page.wait_for_timeout(quiet_ms)
            if page.locator(running).count() == 0:
                return
    pytest.fail(f"{page.url} is still running after {TIMEOUT_MS * 4 / 1000:.0f} s")


def test_every_dashboard_page_stays_local(page_and_log, dashboard_url, artifacts: Path):
    """Each page of the real dashboard (found in its navigation), over the demo data."""
    page, rec = page_and_log
    page.goto(dashboard_url)
    page.locator('[data-testid="stSidebarNav"] a').first.wait_for(timeout=TIMEOUT_MS)
    wait_until_idle(page)
    links = page.eval_on_selector_all(
        '[data-testid="stSidebarNav"] a', "links => links.map(a => a.href)"
    )
    maps_seen = 0
    for link in links:
        page.goto(link)
        page.locator('[data-testid="stApp"]').wait_for(timeout=TIMEOUT_MS)
        wait_until_idle(page)
        if page.locator(MAP_IFRAME).count():
            maps_seen += 1
            frame = page.frame_locator(MAP_IFRAME).first
            frame.locator(".leaflet-container").wait_for(timeout=TIMEOUT_MS)
            page.wait_for_timeout(1000)
        page.screenshot(
            path=artifacts / f"dashboard_{urlsplit(link).path.strip('/') or 'start'}.png"
        )
    (artifacts / "dashboard_requests.json").write_text(
        json.dumps(
            {"pages": links, "requests": rec.requests, "websockets": rec.websockets}, indent=2
        )
    )
    outside = [u for u in rec.requests + rec.websockets if not is_local(u)]
    assert not outside, f"requests leaving the machine: {outside}"
    assert maps_seen, "no page of the dashboard showed a map over the demo data"
    assert any(u.endswith("/app/static/leaflet/leaflet.js") for u in rec.requests)
