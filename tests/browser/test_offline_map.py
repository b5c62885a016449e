"""Maps in a real browser, with no background tiles and no internet.

The map tests drive ``map_app.py`` over the tiny store (three districts, one of them named
``<img src=x onerror=alert(1)>``); the last test walks every page of the real dashboard over
the full demo data and checks that the browser only ever talks to the local server.
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
XSS_NAME = "<img src=x onerror=alert(1)>"  # the third district of the tiny store


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in LOCAL_HOSTS


def open_map(page, url: str, n_districts: int = 3):
    """Load the dashboard and return the map iframe once every district is drawn."""
    page.goto(url)
    page.wait_for_selector(MAP_IFRAME, timeout=TIMEOUT_MS)
    frame = page.frame_locator(MAP_IFRAME)
    paths = frame.locator("path.leaflet-interactive")
    paths.nth(n_districts - 1).wait_for(timeout=TIMEOUT_MS)
    return frame


def test_map_draws_every_district_with_legend(
    page_and_log, map_app_url, districts_spec, artifacts: Path
):
    page, _ = page_and_log
    frame = open_map(page, map_app_url)
    assert frame.locator("path.leaflet-interactive").count() == len(districts_spec)
    legend = frame.locator(".tryg-legend")
    assert legend.is_visible()
    assert "Indbyggere" in legend.inner_text()
    assert frame.locator("img.leaflet-tile").count() == 0  # basemap 'none': no tiles
    page.screenshot(path=artifacts / "offline_map.png", full_page=True)


def test_only_local_requests(page_and_log, map_app_url, artifacts: Path):
    page, rec = page_and_log
    open_map(page, map_app_url)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)  # late requests (fonts, tiles, images) would show up here
    urls = rec.requests + rec.websockets
    (artifacts / "offline_requests.json").write_text(
        json.dumps({"requests": rec.requests, "websockets": rec.websockets}, indent=2)
    )
    assert rec.websockets, "the Streamlit websocket was not recorded: recording is broken"
    outside = [u for u in urls if not is_local(u)]
    assert not outside, f"requests leaving the machine: {outside}"
    assert any(u.endswith("/app/static/leaflet/leaflet.js") for u in urls)


def test_click_shows_district_name(page_and_log, map_app_url, districts_spec, artifacts: Path):
    page, _ = page_and_log
    frame = open_map(page, map_app_url)
    frame.locator("path.leaflet-interactive").nth(1).click()
    chosen = page.get_by_text(f"Valgt område: {districts_spec[1][1]}")
    chosen.wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_text("id D2").first.is_visible()
    assert page.get_by_text("23.000 indbyggere").first.is_visible()
    page.screenshot(path=artifacts / "click_district.png", full_page=True)


def test_html_in_names_is_text(page_and_log, map_app_url, districts_spec, artifacts: Path):
    assert districts_spec[2][1] == XSS_NAME
    page, rec = page_and_log
    frame = open_map(page, map_app_url)
    xss = frame.locator("path.leaflet-interactive").nth(2)
    xss.hover()
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=TIMEOUT_MS)
    assert XSS_NAME in tooltip.inner_text()
    assert frame.locator('img[src="x"]').count() == 0
    page.screenshot(path=artifacts / "html_name_tooltip.png", full_page=True)
    xss.click()
    page.get_by_text(f"Valgt område: {XSS_NAME}").wait_for(timeout=TIMEOUT_MS)
    assert page.locator('img[src="x"]').count() == 0
    page.wait_for_timeout(500)
    assert rec.dialogs == []
    # The recorder does see dialogs raised inside the map iframe:
    map_frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    map_frame.evaluate("window.alert('probe')")
    assert rec.dialogs == ["alert: probe"]
    page.screenshot(path=artifacts / "html_name_clicked.png", full_page=True)


def test_demodata_is_announced(page_and_log, map_app_url):
    page, _ = page_and_log
    open_map(page, map_app_url)
    assert page.get_by_text("Demodata").first.is_visible()


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
