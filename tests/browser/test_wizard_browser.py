"""The Data page's import wizard in Chromium, with a real upload (AppTest cannot upload).

A hand-made police export (cp1252, ';', decimal comma, dd-mm-yyyy, UTM coordinates in columns
named X_koordinat/Y_koordinat that no alias knows) is uploaded into a demo store of this
module's own: the page shows its first rows, proposes every column (x/y by content, saying
why), checks it by itself and stores it with one click. Screenshots of each step go to
``test-artifacts/wizard/``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tryg_geo.demo.make import make_demo
from tryg_geo.store.folder import Store

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
POLICE = REPO / "tests" / "data" / "wizard" / "politi_udtraek.csv"
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("wizard")
    make_demo(Store(root), incidents=500, seed=11)
    return root


@pytest.fixture(scope="module")
def app_url(serve_dashboard, store_dir: Path) -> Iterator[str]:
    with serve_dashboard(store_dir, "wizard") as url:
        yield url


@pytest.fixture(scope="module")
def shots(artifacts: Path) -> Path:
    folder = artifacts / "wizard"
    folder.mkdir(exist_ok=True)
    return folder


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


def shot(page, locator, path: Path) -> None:
    """A screenshot of the window with ``locator`` at its top."""
    locator.evaluate("element => element.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    page.screenshot(path=path)


def test_police_export_is_uploaded_checked_and_imported(
    page_and_log, app_url: str, shots: Path, store_dir: Path
) -> None:
    page, rec = page_and_log
    page.goto(f"{app_url}/data-import")
    page.get_by_text("Vælg en fil").first.wait_for(timeout=TIMEOUT_MS)
    wait_until_idle(page)
    # Streamlit's English uploader words are covered by Danish ones (pages/ui/chrome.py).
    zone = page.locator('[data-testid="stFileUploaderDropzone"]')
    assert "per file" not in zone.inner_text() and "upload" not in zone.inner_text().lower()
    assert zone.get_by_role("button", name="Vælg fil").count() == 1
    after = zone.locator('[data-testid="stFileUploaderDropzoneInstructions"] > div').evaluate(
        "el => getComputedStyle(el, '::after').content"
    )
    assert after.startswith('"Højst 200 MB pr. fil · CSV, TXT'), after
    button = zone.locator("button").evaluate("el => getComputedStyle(el, '::after').content")
    assert button == '"Vælg fil"', button
    page.locator('input[type="file"]').set_input_files(POLICE)
    # 0. No kind chosen: the file is recognised as incidents, and the page says why.
    page.get_by_text("Genkendt som hændelser: kolonner med dato og koordinater").wait_for(
        timeout=TIMEOUT_MS
    )
    # 1. Right after the upload: the first rows and the column names.
    preview = page.get_by_text("1. Filens første rækker")
    preview.wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("40 af 42 rækker ville blive godkendt").wait_for(timeout=TIMEOUT_MS)
    wait_until_idle(page)
    shot(page, page.get_by_text("Importér en fil"), shots / "wizard-1-fil.png")
    shot(page, preview, shots / "wizard-2-forhaandsvisning.png")
    # 2. The proposed columns, with the reason for those found by content.
    columns = page.get_by_text("2. Kolonner", exact=True)
    shot(page, columns, shots / "wizard-3-kolonner.png")
    body = page.locator("body").inner_text()
    assert "'X_koordinat' indeholder tal som" in body
    assert "østkoordinater i Danmark i EPSG:25832" in body
    assert "--" not in body.split("2. Kolonner")[1].split("3. Kontrol")[0]
    # 3. The dry run, by itself: counts, reasons and the small map.
    report = page.get_by_text("3. Kontrol — intet er gemt endnu")
    shot(page, report, shots / "wizard-4-kontrol.png")
    assert page.locator('[data-testid="stImage"] img').count() == 1
    assert not Store(store_dir).meta("incidents").get("file", "").endswith("politi_udtraek.csv")
    # 4. The source, and one click.
    kilde = page.get_by_role("textbox", name="Kilde", exact=True)
    kilde.fill("Nordjyllands Politi, udtræk 2024")
    kilde.press("Enter")
    wait_until_idle(page)
    page.get_by_role("button", name="Importér").click()
    done = page.get_by_text("40 hændelser er gemt og bruges nu")
    done.wait_for(timeout=TIMEOUT_MS)
    wait_until_idle(page)
    shot(page, done, shots / "wizard-5-importeret.png")
    # Done: the check and its "Importér" are gone; a new import can be started.
    assert page.get_by_text("3. Kontrol — intet er gemt endnu").count() == 0
    assert page.get_by_role("button", name="Importér", exact=True).count() == 0
    assert page.get_by_role("button", name="Start en ny import").count() == 1
    stored = Store(store_dir).read("incidents")
    assert len(stored) == 40
    assert Store(store_dir).meta("incidents")["source"] == "Nordjyllands Politi, udtræk 2024"
    outside = [
        u
        for u in rec.requests + rec.websockets
        if urlsplit(u).hostname not in (None, "127.0.0.1", "localhost")
    ]
    assert outside == [] and rec.dialogs == []


DAGI = REPO.parent / "shared" / "data" / "dagi" / "postnumre.geojson"


@pytest.mark.skipif(not DAGI.exists(), reason="the DAGI files are not beside the project")
def test_real_dagi_file_is_proposed_and_checked(page_and_log, app_url: str, shots: Path) -> None:
    page, _ = page_and_log
    page.goto(f"{app_url}/data-import")
    page.get_by_text("Vælg en fil").first.wait_for(timeout=TIMEOUT_MS)
    wait_until_idle(page)
    page.locator('input[type="file"]').set_input_files(DAGI)
    page.get_by_text("592 af 805 rækker ville blive godkendt").wait_for(timeout=TIMEOUT_MS)
    wait_until_idle(page)
    shot(page, page.get_by_text("2. Kolonner", exact=True), shots / "wizard-6-dagi.png")
    assert page.locator('[data-testid="stImage"] img').count() == 1
