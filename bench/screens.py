"""Screenshots for a reviewer: every page and every slide, in one folder.

``make screens`` (``python -m bench.screens``) makes, under ``test-artifacts/screens/``:

- ``demo/`` and ``import/``: a tall screenshot of every page of the view registry
  (``<page>.png``), taken in Debian's Chromium (Playwright, ``/usr/bin/chromium``) from the
  dashboard served in Lokal tilstand on 127.0.0.1 — first on demo data, then after importing the
  small real-format police CSV ``tests/data/wizard/politi_udtraek.csv`` (cp1252, ``;``, decimal
  comma, dd-mm-yyyy, EPSG:25832) over it, as a new user would;
- ``<demo|import>/slides/deck-NN.png``: every page of the meeting deck (``python -m tryg_geo
  deck --out møde.pdf``), made into PNGs by ``pdftoppm`` (Debian's poppler-utils), plus the
  ``.pptx`` and ``.pdf`` themselves.

Nothing here is a test: it is for looking. It sends nothing anywhere but 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
from pathlib import Path

from bench.server import REPO, dashboard_server, make_demo_store, tryg_geo_cli
from tryg_geo.views.registry import PAGES

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
POLICE_CSV = REPO / "tests" / "data" / "wizard" / "politi_udtraek.csv"
OUT = REPO / "test-artifacts" / "screens"


def _cli(store: Path, *args: str) -> None:
    print(tryg_geo_cli(store, *args).strip())


def import_police_csv(store: Path) -> None:
    """The police CSV through the CLI, as the wizard would read it."""
    _cli(
        store,
        "import",
        "incidents",
        str(POLICE_CSV),
        *("--id-col", "Journalnr", "--date-col", "Anmeldelsesdato"),
        *("--time-col", "Klokkeslæt", "--category-col", "Gerningskode"),
        *("--x-col", "X_koordinat", "--y-col", "Y_koordinat", "--crs", "EPSG:25832"),
        "--source",
        "Nordjyllands Politi, testudtræk 2025",
    )


def slides(store: Path, folder: Path) -> int:
    """The deck as .pptx and .pdf, and every PDF page as a PNG; returns the number of pages."""
    folder.mkdir(parents=True, exist_ok=True)
    _cli(store, "deck", "--out", str(folder / "deck.pptx"))
    _cli(store, "deck", "--out", str(folder / "deck.pdf"))
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", str(folder / "deck.pdf"), str(folder / "deck")],
        check=True,
    )
    return len(list(folder.glob("deck-*.png")))


def pages(store: Path, folder: Path, log: Path) -> int:
    """A tall screenshot of every page; returns how many were taken."""
    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    taken = 0
    with dashboard_server(store, log) as server, sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="da-DK")
        for info in PAGES:
            path = info.url_path or ""
            page.set_viewport_size({"width": 1440, "height": 900})
            page.goto(f"{server.url}/{path}", wait_until="domcontentloaded")
            _settle(page)
            height = page.evaluate(
                """() => {
                    const main = document.querySelector('[data-testid="stMain"]');
                    const inner = main && main.firstElementChild;
                    return Math.max(main ? main.scrollHeight : 0,
                                    inner ? inner.scrollHeight : 0,
                                    document.body.scrollHeight);
                }"""
            )
            page.set_viewport_size({"width": 1440, "height": min(int(height) + 40, 16000)})
            _settle(page)
            page.screenshot(path=str(folder / f"{path or 'overblik'}.png"), full_page=True)
            taken += 1
        browser.close()
    return taken


def _settle(page) -> None:
    """Wait until the script has run (no 'Running' widget) and the maps have drawn."""
    page.wait_for_selector("h1", timeout=90_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000
    )
    page.wait_for_timeout(1500)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--incidents", type=int, default=20_000)
    args = parser.parse_args(argv)
    if args.out.exists():
        shutil.rmtree(args.out)
    store = args.out / "_data"
    make_demo_store(store, args.incidents)
    for label in ("demo", "import"):
        if label == "import":
            import_police_csv(store)
        folder = args.out / label
        count = pages(store, folder, args.out / f"dashboard-{label}.log")
        decks = slides(store, folder / "slides")
        print(f"{label}: {count} sider og {decks} dias i {folder}")
    shutil.rmtree(store)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
