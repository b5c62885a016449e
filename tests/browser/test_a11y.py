"""WCAG 2.1 AA in the browser: axe-core on every page and inside every frame, the document's
language, and a keyboard-only walk.

axe-core comes bundled with ``axe-playwright-python`` (no download); it is injected into the top
document and, separately, into each frame (the folium map's component iframe and any other), so
every frame is checked with its own document. A violation of impact "serious" or "critical"
fails the test; every violation, of any impact, is written to ``test-artifacts/a11y/`` with a
screenshot of the page. The pages are found in the sidebar navigation, so a page added later
is checked without editing this file.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000
BLOCKING = ("serious", "critical")
NAV_LINKS = '[data-testid="stSidebarNav"] a'
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
#: Pages every test run must find in the navigation (more are welcome and are checked too).
KNOWN_PAGES = ("", "tryg-bydel", "nat", "byens-rum", "indsats", "data-import")


# ---- helpers ----------------------------------------------------------------------------------
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


def open_page(page, url: str) -> None:
    page.goto(url)
    page.locator(NAV_LINKS).first.wait_for(timeout=TIMEOUT_MS)
    wait_until_idle(page)
    if page.locator(MAP_IFRAME).count():
        frame = page.frame_locator(MAP_IFRAME).first
        frame.locator(".leaflet-container").wait_for(timeout=TIMEOUT_MS)
        page.wait_for_timeout(500)  # fitBounds animation


def page_paths(page, base: str) -> list[str]:
    """The url path of every page in the sidebar navigation, in its order."""
    hrefs = page.locator(NAV_LINKS).evaluate_all("(links) => links.map((a) => a.href)")
    return [urlsplit(h).path.strip("/") for h in hrefs]


def run_axe(target) -> list[dict]:
    """Violations found by axe-core in ``target`` (a Playwright page or frame), this document
    only: frames are checked one by one with their own copy of axe."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    target.evaluate(axe.axe_script)
    result = target.evaluate(
        "async () => (await axe.run(document, {iframes: false, resultTypes: ['violations']}))"
        ".violations"
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "tags": [t for t in v["tags"] if t.startswith("wcag")],
            "nodes": [
                {
                    "target": n["target"],
                    "html": n["html"][:300],
                    "summary": n.get("failureSummary", "")[:400],
                }
                for n in v["nodes"]
            ],
        }
        for v in result
    ]


def frames_to_check(page) -> list[tuple[str, object]]:
    """("top", main frame) and ("frame: <title>", frame) for every iframe with a document."""
    found = [("top", page.main_frame)]
    for handle in page.locator("iframe").element_handles():
        frame = handle.content_frame()
        if frame is None:
            continue
        title = handle.get_attribute("title") or handle.get_attribute("src") or "iframe"
        found.append((f"frame: {title}", frame))
    return found


def audit(page) -> dict[str, dict]:
    """Language and axe violations of the page and each of its frames."""
    report: dict[str, dict] = {}
    for name, frame in frames_to_check(page):
        report[name] = {
            "lang": frame.evaluate("document.documentElement.lang"),
            "violations": run_axe(frame),
        }
    return report


def summary(path: str, report: dict[str, dict]) -> str:
    lines = []
    for name, part in report.items():
        lines.append(f"/{path} [{name}] lang={part['lang']!r}")
        for v in part["violations"]:
            lines.append(
                f"  {v['impact']:<8} {v['id']} ({len(v['nodes'])}×) {v['help']} {v['tags']}"
            )
            for node in v["nodes"][:4]:
                lines.append(f"           {node['target']} {node['html'][:140]!r}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def a11y_dir(artifacts: Path) -> Path:
    folder = artifacts / "a11y"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def a11y_page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="module")
def all_paths(a11y_page, dashboard_url: str) -> list[str]:
    open_page(a11y_page, dashboard_url)
    paths = page_paths(a11y_page, dashboard_url)
    missing = [p for p in KNOWN_PAGES if p not in paths]
    assert not missing, f"pages missing from the navigation: {missing} (found {paths})"
    return paths


# ---- axe on every page and frame --------------------------------------------------------------
def test_every_page_passes_axe_and_is_danish(
    a11y_page, dashboard_url: str, all_paths: list[str], a11y_dir: Path
) -> None:
    page = a11y_page
    problems: list[str] = []
    everything: dict[str, dict] = {}
    for path in all_paths:
        open_page(page, f"{dashboard_url}/{path}")
        name = path or "overblik"
        page.screenshot(path=a11y_dir / f"{name}.png", full_page=True)
        report = audit(page)
        everything[path or "/"] = report
        (a11y_dir / f"{name}.txt").write_text(summary(path, report) + "\n")
        assert len(report) >= 1
        # Streamlit's own skip link before the page, served in Danish (serve.py, DanishHtml).
        skip = page.locator('[data-testid="stSkipToContent"]')
        skip_text = skip.first.text_content() if skip.count() else None
        if skip_text != "Gå til hovedindhold":
            problems.append(f"/{path}: skip link {skip_text!r}, expected 'Gå til hovedindhold'")
        # Names screen readers say, from Streamlit's own scripts, in Danish too.
        english = page.evaluate(
            """() => Array.from(document.querySelectorAll('[aria-label]'))
                .map(e => e.getAttribute('aria-label'))
                .filter(l => /^(Main menu|Collapse sidebar|Expand sidebar|Link to heading|Help for)/.test(l))"""
        )
        if english:
            problems.append(f"/{path}: English names for screen readers: {sorted(set(english))}")
        for part_name, part in report.items():
            if part["lang"] != "da":
                problems.append(f"/{path} [{part_name}]: lang={part['lang']!r}, expected 'da'")
            for v in part["violations"]:
                if v["impact"] in BLOCKING:
                    problems.append(
                        f"/{path} [{part_name}]: {v['impact']} {v['id']} – {v['help']} "
                        f"({len(v['nodes'])}×, e.g. {v['nodes'][0]['target']})"
                    )
    (a11y_dir / "axe.json").write_text(json.dumps(everything, indent=1, ensure_ascii=False))
    assert not problems, "axe / language problems:\n" + "\n".join(problems)


# ---- keyboard only ----------------------------------------------------------------------------
FOCUSED = """() => {
    let el = document.activeElement;
    while (el && el.tagName === 'IFRAME' && el.contentDocument) el = el.contentDocument.activeElement;
    if (!el) return {};
    return {tag: el.tagName, role: el.getAttribute('role') || '', label: el.getAttribute('aria-label') || '',
            text: (el.innerText || '').trim().slice(0, 60), value: el.value || ''};
}"""


def tab_to(page, wanted, limit: int = 150) -> dict:
    """Press Tab until ``wanted(focused)`` holds for the focused element (inside frames too)."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if wanted(focused):
            return focused
        seen.append(focused.get("label") or focused.get("text") or focused.get("tag"))
    pytest.fail(f"not reached with {limit} Tab presses; focus went through {seen}")


def test_keyboard_only_changes_the_period_and_downloads_a_csv(
    a11y_page, dashboard_url: str, a11y_dir: Path, tmp_path: Path
) -> None:
    """Tab to the period, choose another with the arrow keys and Enter, Tab to 'Hent CSV' and
    press Enter: the file arrives and holds the newly chosen period. No mouse is used."""
    page = a11y_page
    open_page(page, f"{dashboard_url}/tryg-bydel")
    page.mouse.move(0, 0)
    before = dict(parse_qsl(urlsplit(page.url).query))
    period = tab_to(page, lambda f: f.get("role") == "combobox" and f.get("label") == "Periode")
    page.keyboard.press("ArrowDown")  # opens the list
    page.get_by_role("listbox").wait_for(timeout=TIMEOUT_MS)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "preset=" in url and f"preset={before['preset']}" not in url)
    wait_until_idle(page)
    after = dict(parse_qsl(urlsplit(page.url).query))
    assert after["preset"] != before["preset"]
    combobox = page.get_by_role("combobox", name="Periode", exact=True)
    assert combobox.input_value() != period["value"]
    # Focus stays on the period after the rerun; walk on to the download.
    tab_to(page, lambda f: f.get("tag") == "BUTTON" and f.get("text") == "Hent CSV")
    page.screenshot(path=a11y_dir / "keyboard_hent_csv_focus.png")
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.keyboard.press("Enter")
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    text = target.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("view;")
    assert f"{after['fra']}" in info.value.suggested_filename or after["fra"][:4] in text


def test_keyboard_opens_a_district_profile_from_the_map(
    a11y_page, dashboard_url: str, a11y_dir: Path
) -> None:
    """Tab into the map: each district is a button named by its tooltip text; Enter opens
    its profile (the same as a click), with a visible focus border."""
    page = a11y_page
    open_page(page, f"{dashboard_url}/tryg-bydel")
    page.mouse.move(0, 0)
    district = tab_to(page, lambda f: f.get("tag") == "path" and f.get("role") == "button")
    name = district["label"].split(":")[0]
    assert name and ":" in district["label"]
    page.screenshot(path=a11y_dir / "keyboard_district_focus.png")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "omr=" in url, timeout=TIMEOUT_MS)
    wait_until_idle(page)
    assert page.get_by_role("combobox", name="Område", exact=True).input_value() == name
