"""Every page of the real dashboard in Chromium, over a demo store of 20 000 incidents.

The store is made by this module (``make_demo``) with one district renamed to
``<img src=x onerror=alert(1)>``, and served by ``streamlit run dashboard.py`` with
``TRYG_BASEMAP=none``. Each test records every request, websocket and dialog of its page and
iframes and asserts that nothing leaves localhost. Screenshots go to ``test-artifacts/pages/``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from pages.ui.timeline import SHOW_LABEL
from tryg_geo.compute.filters import Filters
from tryg_geo.compute.registry import load_initiatives
from tryg_geo.demo.make import make_demo
from tryg_geo.render import csv_export, files
from tryg_geo.store.dataset import Dataset, load_dataset
from tryg_geo.store.folder import Store
from tryg_geo.views.byens_rum import PLACE_KINDS
from tryg_geo.views.model import View
from tryg_geo.views.registry import (
    DATA_PAGE,
    INITIATIVE_PREFIX,
    INITIATIVES_PAGE,
    MAIN_VIEWS,
    PageInfo,
    build_view,
    default_filters,
)
from tryg_geo.views.registry import PAGES as REGISTRY_PAGES
from tryg_geo.views.steps import step_view, stepped_maps

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
FEATURES = "path.leaflet-interactive"
TIMEOUT_MS = 30_000
XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_ID = "frejlev"  # the demo district renamed to XSS_NAME
SEED = 20240601


def _view_key(page: PageInfo) -> str | None:
    """The view a page shows for the default filters (None: the Data page, which has no map)."""
    if page == INITIATIVES_PAGE:
        return f"{INITIATIVE_PREFIX}{load_initiatives()[0].slug}"
    return next((v.key for v in MAIN_VIEWS if v.page == page), None)


#: url path -> view key, from the registry: a new page is opened here without editing this file.
PAGES: dict[str, str | None] = {p.url_path or "": _view_key(p) for p in REGISTRY_PAGES}
DEEP_LINK = {
    "preset": "custom",
    "fra": "2024-01-01",
    "til": "2024-06-30",
    "ind": "haendelser_pr_1000",
    "omr": "vejgaard",
}


# ---- fixtures and helpers ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pages-demo")
    store = Store(root)
    make_demo(store, incidents=20_000, seed=SEED)
    districts = store.read("districts")
    assert XSS_ID in set(districts["district_id"])
    districts.loc[districts["district_id"] == XSS_ID, "name"] = XSS_NAME
    meta = store.meta("districts")
    store.write(
        "districts",
        districts,
        rejected=store.read_rejected("districts"),
        report=meta.get("report", {"file": "demo"}),
        demo=True,
    )
    return root


@pytest.fixture(scope="module")
def ds(demo_store: Path) -> Dataset:
    return load_dataset(Store(demo_store))


@pytest.fixture(scope="module")
def app_url(serve_dashboard, browser, demo_store: Path) -> Iterator[str]:
    """The dashboard, warmed up: one session has run the main page (see
    test_first_deep_link_after_start_opens_without_dialog for why)."""
    with serve_dashboard(demo_store, "pages") as url:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(url)
            page.locator('[data-testid="stSidebarNav"] a').first.wait_for(timeout=TIMEOUT_MS)
            wait_until_idle(page)
        finally:
            context.close()
        yield url


@pytest.fixture(scope="module")
def shots(artifacts: Path) -> Path:
    folder = artifacts / "pages"
    folder.mkdir(exist_ok=True)
    return folder


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in LOCAL_HOSTS


def assert_local(rec) -> None:
    assert rec.requests, "no request was recorded: recording is broken"
    outside = [u for u in rec.requests + rec.websockets if not is_local(u)]
    assert not outside, f"requests leaving the machine: {outside}"


def wait_until_idle(page, quiet_ms: int = 600) -> None:
    """Wait until the Streamlit script has finished (no running indicator for ``quiet_ms``)."""
    running = '[data-testid="stStatusWidgetRunningIcon"]'
    deadline = time.monotonic() + TIMEOUT_MS / 1000 * 3
    while time.monotonic() < deadline:
        page.wait_for_timeout(quiet_ms)
        if page.locator(running).count() == 0:
            page.wait_for_timeout(quiet_ms)
            if page.locator(running).count() == 0:
                return
    pytest.fail(f"{page.url} is still running after {TIMEOUT_MS * 3 / 1000:.0f} s")


def open_page(page, url: str, n_features: int | None = None, title: str | None = None):
    """Load ``url`` and wait for the script to finish and, if given, for the map's features;
    no dialog may be open and the page title (h1) must be ``title`` if given."""
    page.goto(url)
    page.locator('[data-testid="stSidebarNav"] a').first.wait_for(timeout=TIMEOUT_MS)
    wait_until_idle(page)
    dialogs = page.locator('[data-testid="stDialog"]')
    assert dialogs.count() == 0, f"a dialog is open on {url}: {dialogs.all_inner_texts()}"
    if title is not None:
        assert page.locator("h1").first.inner_text().strip() == title
    if n_features is None:
        return None
    return map_frame(page, n_features)


def map_frame(page, n_features: int):
    """The page's map, once it has drawn ``n_features`` shapes."""
    page.locator(MAP_IFRAME).first.wait_for(timeout=TIMEOUT_MS)
    frame = page.frame_locator(MAP_IFRAME).first
    # Attached, not visible: Leaflet draws features outside the opening view as "M0 0"
    # (the Natteliv map opens on the busiest cells).
    frame.locator(FEATURES).nth(n_features - 1).wait_for(state="attached", timeout=TIMEOUT_MS)
    return frame


def url_params(page) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(page.url).query))


def shown_kpis(page) -> list[tuple[str, str]]:
    metrics = page.locator('[data-testid="stMetric"]')
    return [
        (
            metrics.nth(i).locator('[data-testid="stMetricLabel"]').inner_text().strip(),
            metrics.nth(i).locator('[data-testid="stMetricValue"]').inner_text().strip(),
        )
        for i in range(metrics.count())
    ]


def selected(page, label: str) -> str:
    """The option shown by the sidebar selectbox ``label`` (a combobox input)."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    return sidebar.get_by_role("combobox", name=label, exact=True).input_value()


def view_for(ds: Dataset, key: str, params: dict[str, str]) -> View:
    return build_view(key, ds, default_filters(ds, params))


def expected_features(ds: Dataset, key: str, params: dict[str, str] | None = None) -> int:
    """What each page's map must draw for the filters in ``params`` (default: the defaults),
    counted without the views where that is possible: every district, every shown place;
    grid cells from the view."""
    view = view_for(ds, key, params or {})
    if key in ("overblik", "tryg-bydel") or key.startswith(INITIATIVE_PREFIX):
        expected = len(ds.districts)
    elif key == "byens-rum":
        expected = int(ds.places["kind"].astype(str).isin(list(PLACE_KINDS)).sum())
    elif key == "natteliv":  # each cell with a shown count, plus one grey shape for the hidden
        hidden = view.table["suppressed"].astype(bool)
        expected = int((~hidden).sum()) + int(hidden.any())
    else:  # any other page (Analyse's Gi* cells): what its view draws, at least one shape
        expected = len(view.map.features) if view.map is not None else 0
        assert expected > 0, key
    assert view.map is not None and len(view.map.features) == expected
    return expected


def inner_point(locator) -> dict[str, float]:
    """A point on ``locator``'s shape where a click hits that shape (not a neighbour),
    relative to its bounding box: SVG paths of real districts are rarely convex."""
    point = locator.evaluate(
        """(el) => {
            const r = el.getBoundingClientRect();
            const candidates = [];
            for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
                const dx = i / 20 - 0.5, dy = j / 20 - 0.5;
                candidates.push([dx * dx + dy * dy, i / 20, j / 20]);
            }
            candidates.sort((a, b) => a[0] - b[0]);
            for (const [, fx, fy] of candidates) {
                const x = r.left + fx * r.width, y = r.top + fy * r.height;
                if (document.elementFromPoint(x, y) === el) return {x: x - r.left, y: y - r.top};
            }
            return null;
        }"""
    )
    assert point is not None, "no visible point of the shape can be clicked"
    return point


def cut_texts(page) -> list[str]:
    """Texts of the page's main part that the browser cuts with "…" (an initiative's name
    in Overblik's list, say): elements whose text overflows a box that ellipsises it."""
    return page.locator('[data-testid="stMain"]').evaluate(
        """(main) => {
            const cut = [];
            for (const el of main.querySelectorAll('*')) {
                const style = getComputedStyle(el);
                if (style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1
                        && el.innerText.trim()) {
                    cut.push(el.innerText.trim());
                }
            }
            return cut;
        }"""
    )


def features_under_legend(frame) -> list[str]:
    """The map's features whose drawn box meets the legend's box (each as "x,y w×h").

    The map is fitted beside the legend (``render.map_controls.FirstFit``): no district, cell
    or place the view is about may be hidden under it. Features Leaflet did not draw (outside
    the view, "M0 0") have no size and do not count, nor does a shape whose box is most of
    the map (Natteliv's one grey shape of all hidden cells: its box cannot miss the legend)."""
    return frame.locator(".tryg-legend").evaluate(
        """(legend, selector) => {
            const key = legend.getBoundingClientRect();
            const map = legend.closest('.leaflet-container').getBoundingClientRect();
            const hit = [];
            for (const el of document.querySelectorAll(selector)) {
                const r = el.getBoundingClientRect();
                if (r.width === 0 || r.height === 0) continue;
                if (r.width * r.height > 0.5 * map.width * map.height) continue;
                if (r.right > key.left && r.left < key.right && r.bottom > key.top
                        && r.top < key.bottom) {
                    hit.push(`${Math.round(r.left)},${Math.round(r.top)} `
                        + `${Math.round(r.width)}×${Math.round(r.height)}`);
                }
            }
            return hit;
        }""",
        FEATURES,
    )


# ---- the first visit after a start -------------------------------------------------------------
def test_first_deep_link_after_start_opens_without_dialog(
    page_and_log, serve_dashboard, demo_store: Path, ds
):
    page, rec = page_and_log
    with serve_dashboard(demo_store, "pages-fresh") as fresh:
        view = build_view("tryg-bydel", ds, default_filters(ds, DEEP_LINK))
        open_page(page, f"{fresh}/tryg-bydel?{urlencode(DEEP_LINK)}", len(ds.districts))
        assert page.locator("h1").first.inner_text().strip() == view.title
    assert_local(rec)


# ---- every page draws its map -----------------------------------------------------------------
@pytest.mark.parametrize("path", list(PAGES), ids=[p or "overblik" for p in PAGES])
def test_every_page_draws_its_map(page_and_log, app_url, ds, shots: Path, path: str):
    page, rec = page_and_log
    page.set_viewport_size({"width": 1400, "height": 2200})
    key = PAGES[path]
    title = view_for(ds, key, {}).title if key else DATA_PAGE.title
    open_page(page, f"{app_url}/{path}", None, title)
    # The filters the page opened with (Analyse opens on 1 km cells, not the URL default).
    expected = expected_features(ds, key, url_params(page)) if key else None
    frame = map_frame(page, expected) if expected else None
    assert page.get_by_text("Demodata").first.is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    assert cut_texts(page) == []
    if key is None:
        assert page.locator(MAP_IFRAME).count() == 0
    else:
        # Natteliv and Analyse show the time slider's map on request (off when the page opens);
        # Analyse also the emerging hot spot categories.
        assert page.locator(MAP_IFRAME).count() == 1 + (key == "analyse")
        assert frame.locator(FEATURES).count() == expected
        assert frame.locator("img.leaflet-tile").count() == 0  # basemap 'none'
        assert frame.locator(".tryg-legend").is_visible()
        page.wait_for_timeout(400)  # let the map finish its fitBounds animation
        assert features_under_legend(frame) == []
    page.screenshot(path=shots / f"{path or 'overblik'}.png", full_page=True)
    # Pages, the map iframe (served by this server), static Leaflet and the websocket only.
    (shots / f"requests_{path or 'overblik'}.json").write_text(
        json.dumps({"requests": rec.requests, "websockets": rec.websockets}, indent=2)
    )
    assert rec.websockets and all(is_local(u) for u in rec.websockets)
    assert_local(rec)
    if key:
        assert any(u.endswith("/app/static/leaflet/leaflet.js") for u in rec.requests)
        assert any("streamlit_folium" in f.url and is_local(f.url) for f in page.frames)
    assert rec.dialogs == []


# ---- a click on a district opens its profile ----------------------------------------------------
def test_click_on_district_opens_its_profile(page_and_log, app_url, ds, shots: Path):
    page, rec = page_and_log
    view = view_for(ds, "tryg-bydel", {})
    ids = [str(i) for i in view.map.features["feature_id"]]
    index = ids.index("vejgaard")
    frame = open_page(page, f"{app_url}/tryg-bydel", len(ids), view.title)
    district = frame.locator(FEATURES).nth(index)
    district.hover(position=inner_point(district))
    assert "Vejgaard" in frame.locator(".leaflet-tooltip").inner_text()
    district.click(position=inner_point(district))
    page.wait_for_url(lambda url: "omr=vejgaard" in url, timeout=TIMEOUT_MS)
    wait_until_idle(page)
    assert selected(page, "Område") == "Vejgaard"
    profile = view_for(ds, "tryg-bydel", url_params(page))
    assert profile.kpis[-1].label == "Vejgaard"
    assert shown_kpis(page) == [(k.label, k.value) for k in profile.kpis]
    page.screenshot(path=shots / "tryg-bydel_klik_vejgaard.png", full_page=True)
    assert_local(rec)


# ---- a filter change redraws the map in place ---------------------------------------------------
MAP_VIEW = """() => {
    const c = window.map.getCenter();
    return {zoom: window.map.getZoom(), lat: c.lat, lng: c.lng, mark: window.__trygSameFrame || null,
            drawn: performance.getEntriesByName('tryg-map-drawn').length,
            legends: Array.from(document.querySelectorAll('.tryg-legend-title'))
                .map((el) => el.textContent),
            heading: (document.getElementById('tryg-map-title') || {}).textContent || ''};
}"""


def map_document(page):
    """The map's frame (a Playwright Frame, for ``evaluate``)."""
    handle = page.locator(MAP_IFRAME).first.element_handle()
    frame = handle.content_frame()
    assert frame is not None
    return frame


def test_filter_change_keeps_the_users_zoom_and_frame(page_and_log, app_url, ds, shots: Path):
    """Zoom in and pan, then change the indicator: the new layer is drawn in the same frame
    (a mark set on its window survives, no new iframe), with the new legend only, and the map
    stays where the user put it."""
    page, rec = page_and_log
    link = {"ind": "haendelser_pr_1000"}
    before = view_for(ds, "tryg-bydel", link)
    map_page = open_page(page, f"{app_url}/tryg-bydel?{urlencode(link)}", len(ds.districts))
    frame = map_document(page)
    frame.evaluate("() => { window.__trygSameFrame = 'first'; }")
    map_page.get_by_role("button", name="Zoom ind").click()
    box = page.locator(MAP_IFRAME).first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 90, box["y"] + box["height"] / 2 + 40, steps=5)
    page.mouse.up()
    page.wait_for_timeout(600)  # the zoom animation and the drag's end
    zoomed = frame.evaluate(MAP_VIEW)
    assert zoomed["legends"] == [before.map.legend.title]
    assert zoomed["heading"] == f"Kort: {before.map.legend.title}"

    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("combobox", name="Indikator", exact=True).click()
    page.get_by_role("option").filter(has_text="Trygge i nabolaget").first.click()
    page.wait_for_url(lambda url: "ind=haendelser_pr_1000" not in url, timeout=TIMEOUT_MS)
    wait_until_idle(page)
    after = view_for(ds, "tryg-bydel", url_params(page))
    assert after.map.legend.title != before.map.legend.title
    frame.wait_for_function(
        f"() => performance.getEntriesByName('tryg-map-drawn').length > {zoomed['drawn']}",
        timeout=TIMEOUT_MS,
    )
    now = frame.evaluate(MAP_VIEW)
    assert page.locator(MAP_IFRAME).count() == 1
    assert map_document(page) == frame and now["mark"] == "first"  # the same document: no remount
    assert now["legends"] == [after.map.legend.title]  # the old legend went with its layers
    assert now["heading"] == f"Kort: {after.map.legend.title}"
    assert (now["zoom"], round(now["lat"], 6), round(now["lng"], 6)) == (
        zoomed["zoom"],
        round(zoomed["lat"], 6),
        round(zoomed["lng"], 6),
    )
    assert frame.locator(FEATURES).count() == len(after.map.features)
    page.screenshot(path=shots / "tryg-bydel_samme_kort.png", full_page=True)
    assert_local(rec)


def test_time_slider_redraws_its_map_and_keeps_the_zoom(page_and_log, app_url, ds, shots: Path):
    """Zoom the time slider's map, move the slider one period back: the same frame draws that
    period's features (counted from tryg_geo) on the shared scale, at the user's zoom."""
    page, rec = page_and_log
    path = next(p for p, key in PAGES.items() if key == "natteliv")
    open_page(page, f"{app_url}/{path}", None)
    page.get_by_text(SHOW_LABEL, exact=True).click()  # the slider is shown on request
    page.locator(MAP_IFRAME).nth(1).wait_for()
    stepped = stepped_maps(ds, "natteliv", default_filters(ds, url_params(page)), "quarter")
    labels = list(stepped.labels)
    last, previous = (step_view(ds, stepped, i).map for i in (len(labels) - 1, len(labels) - 2))
    slider_map = page.locator(MAP_IFRAME).nth(1)
    slider_map.scroll_into_view_if_needed()
    frames = page.frame_locator(MAP_IFRAME).nth(1)
    frames.locator(FEATURES).nth(len(last.features) - 1).wait_for(state="attached")
    frame = slider_map.element_handle().content_frame()
    frame.evaluate("() => { window.__trygSameFrame = 'slider'; }")
    frames.get_by_role("button", name="Zoom ind").click()
    page.wait_for_timeout(600)  # the zoom animation
    zoomed = frame.evaluate(MAP_VIEW)
    assert zoomed["legends"] == [last.legend.title] and "samme farveskala" in last.legend.title
    drawn_before = frame.evaluate(
        f"() => Array.from(document.querySelectorAll('{FEATURES}')).map(p => p.getAttribute('fill'))"
    )

    slider = page.get_by_role("slider")
    assert slider.get_attribute("aria-valuetext") == labels[-1]
    slider.focus()
    page.keyboard.press("ArrowLeft")
    frame.wait_for_function(
        f"() => performance.getEntriesByName('tryg-map-drawn').length > {zoomed['drawn']}",
        timeout=TIMEOUT_MS,
    )
    wait_until_idle(page)
    now = frame.evaluate(MAP_VIEW)
    assert slider.get_attribute("aria-valuetext") == labels[-2]
    assert now["mark"] == "slider"  # the same document: the layers were swapped in place
    assert (now["zoom"], round(now["lat"], 6), round(now["lng"], 6)) == (
        zoomed["zoom"],
        round(zoomed["lat"], 6),
        round(zoomed["lng"], 6),
    )
    assert now["legends"] == [previous.legend.title]
    assert frame.locator(FEATURES).count() == len(previous.features)
    drawn_after = frame.evaluate(
        f"() => Array.from(document.querySelectorAll('{FEATURES}')).map(p => p.getAttribute('fill'))"
    )
    assert drawn_after != drawn_before
    page.screenshot(path=shots / "natteliv_tidsskyder.png", full_page=True)
    assert_local(rec)


# ---- a deep link restores the filters -----------------------------------------------------------
def test_deep_link_restores_filters_and_numbers(page_and_log, app_url, ds, shots: Path):
    page, rec = page_and_log
    start, end = ds.incident_span
    filters = Filters.from_params(DEEP_LINK, data_start=start, data_end=end)
    view = build_view("tryg-bydel", ds, filters)
    url = f"{app_url}/tryg-bydel?{urlencode(DEEP_LINK)}"
    open_page(page, url, len(ds.districts), view.title)
    assert selected(page, "Periode") == "Valgfri periode"
    dates = page.locator('[data-testid="stSidebar"] [data-testid="stDateInput"]')
    # The date field may still be mounting when the script is idle: wait for both ends.
    dates.locator('input[type="date"]').nth(1).wait_for(state="attached", timeout=TIMEOUT_MS)
    assert [d.input_value() for d in dates.locator('input[type="date"]').all()] == [
        "2024-01-01",
        "2024-06-30",
    ]
    assert "".join(dates.inner_text().split()) == "Fra–til01.01.2024–30.06.2024"
    assert selected(page, "Indikator") == "Anmeldte hændelser pr. 1.000 indbyggere"
    assert selected(page, "Område") == "Vejgaard"
    # The link survives the first run, completed with the defaults.
    params = url_params(page)
    assert params.items() >= DEEP_LINK.items()
    assert params == filters.to_params()
    assert view.kpis and view.kpis[-1].label == "Vejgaard"
    assert shown_kpis(page) == [(k.label, k.value) for k in view.kpis]
    page.screenshot(path=shots / "tryg-bydel_deeplink.png", full_page=True)
    assert_local(rec)


# ---- "Hent CSV" --------------------------------------------------------------------------------
def test_hent_csv_downloads_the_view_on_screen(page_and_log, app_url, ds, tmp_path: Path):
    page, rec = page_and_log
    link = {"celle": "250m", "kat": "vold", "preset": "all"}
    filters = default_filters(ds, link)
    view = build_view("natteliv", ds, filters)
    open_page(page, f"{app_url}/nat?{urlencode(link)}", len(view.map.features), view.title)
    assert url_params(page).items() >= link.items()
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.get_by_role("button", name="Hent CSV").click()
    download = info.value
    assert download.suggested_filename == f"{files.file_stem(view, filters)}.csv"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.read_bytes() == csv_export.view_csv(view, "excel")
    assert_local(rec)


# ---- HTML in a district name is text ------------------------------------------------------------
def test_html_district_name_is_text(page_and_log, app_url, ds, shots: Path):
    page, rec = page_and_log
    assert ds.district_names[XSS_ID] == XSS_NAME
    link = {"ind": "haendelser_pr_1000", "omr": XSS_ID}
    view = view_for(ds, "tryg-bydel", link)
    url = f"{app_url}/tryg-bydel?{urlencode(link)}"
    frame = open_page(page, url, len(ds.districts), view.title)
    assert selected(page, "Område") == XSS_NAME
    assert (XSS_NAME, view.kpis[-1].value) in shown_kpis(page)
    ids = [str(i) for i in view.map.features["feature_id"]]
    district = frame.locator(FEATURES).nth(ids.index(XSS_ID))
    district.hover(position=inner_point(district))
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for(timeout=TIMEOUT_MS)
    assert XSS_NAME in tooltip.inner_text()
    page.wait_for_timeout(500)
    assert page.locator('img[src="x"]').count() == 0
    assert frame.locator('img[src="x"]').count() == 0
    page.screenshot(path=shots / "tryg-bydel_html_navn.png", full_page=True)
    assert rec.dialogs == []
    assert_local(rec)


# The Data page's import wizard, with a real upload, is in test_wizard_browser.py.
