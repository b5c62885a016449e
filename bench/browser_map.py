"""Time to map in a real browser: widget change → map drawn with the new data (issue 14).

    python -m bench.browser_map [--incidents 1000000 | --data DIR] [--changes 22]

One user (one Chromium page, Debian's ``/usr/bin/chromium`` through Playwright, never a
download) on the real dashboard (``serve.py`` on 127.0.0.1). On Tryg bydel and on Natteliv it
makes ``--changes`` filter changes through the sidebar as a user would (a click on a radio
option, a selectbox option, a multiselect option) and measures each one from the click to the
moment the map inside its iframe has added the layer with the new data.

Both ends are browser clocks on one time line (``performance.timeOrigin + now``, epoch ms):

* the click: a capture-phase ``click`` listener in the page (the click on the option that
  changes the value);
* the map: ``performance.mark('tryg-map-drawn')``, set by a tiny inline script in the map's
  own HTML right after Leaflet added the data layer (:mod:`tryg_geo` maps). When a map has no
  such mark (an older build), a hook on ``window.initComponent`` of streamlit-folium — which
  it calls right after the map script — marks ``tryg-map-init`` instead.

Where the time goes, per change: ``server`` (click → the page's script state back to
``notRunning``, i.e. the rerun and the messages), ``frame`` (click → the map iframe's
navigation start; a new iframe means streamlit-folium's component was created again),
``boot`` (iframe start → map script start: its HTML, React bundle and Leaflet), ``map``
(map script start → layer added: parsing the GeoJSON and Leaflet drawing it) and ``paint``
(layer added → the next animation frame).
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.server import REPO, dashboard_arguments, drive_demo_dashboard

#: Debian's Chromium (``CHROMIUM`` elsewhere), driven through Playwright; never a download.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MAP_FRAME_URL = "streamlit_folium"
DRAWN_MARKS = ("tryg-map-drawn", "tryg-map-init")  # preferred first
TIMEOUT_MS = int(os.environ.get("BENCH_TIMEOUT_MS", 60_000))
DEFAULT_OUT = REPO / "bench" / "out" / "browser_map.json"

# Runs in every frame before its own scripts. The page records the time of each click and of
# each change of Streamlit's script state; a map frame gets the fallback initComponent hook.
INIT_SCRIPT = """(() => {
  const now = () => performance.timeOrigin + performance.now();
  if (window === window.top) {
    window.__tryg = {click: null, states: []};
    document.addEventListener('click', () => { window.__tryg.click = now(); }, true);
    const watch = () => {
      const app = document.querySelector('[data-test-script-state]');
      if (!app) { setTimeout(watch, 20); return; }
      let last = app.getAttribute('data-test-script-state');
      new MutationObserver(() => {
        const state = app.getAttribute('data-test-script-state');
        if (state !== last) { window.__tryg.states.push([state, now()]); last = state; }
      }).observe(app, {attributes: true});
    };
    watch();
  } else {
    let init;
    Object.defineProperty(window, 'initComponent', {
      configurable: true,
      get() { return init; },
      set(fn) {
        init = function (...args) {
          performance.mark('tryg-map-init');
          return fn.apply(this, args);
        };
      },
    });
  }
})();"""

# Read inside a map frame: its time origin, the marks (epoch ms) and how its files loaded.
FRAME_STATE = """() => ({
  origin: performance.timeOrigin,
  marks: performance.getEntriesByType('mark')
    .filter((m) => m.name.startsWith('tryg-'))
    .map((m) => [m.name, performance.timeOrigin + m.startTime, m.detail]),
  resources: performance.getEntriesByType('resource').map((r) => [
    r.name.split('/').pop(), Math.round(r.duration), r.transferSize,
  ]),
})"""


@dataclass
class Step:
    """One user action: ``kind`` is radio, select or multi; ``option`` a text or an index."""

    label: str
    kind: str
    widget: str
    option: str | int


ALL = ("periode: hele perioden", "select", "Periode", "Hele perioden")
LAST_12 = ("periode: seneste 12 måneder", "select", "Periode", "Seneste 12 måneder")


def tryg_bydel_plan() -> list[Step]:
    """22 changes, each of which changes the map (values, colours or the selected border).

    The period alternates between the whole period and the last 12 months: on demo data that
    end on 31 December, "år til dato" and "seneste hele år" are the same 12 months."""
    rate = "Anmeldte hændelser pr. 1.000 indbyggere"
    return [
        Step("indikator: hændelser", "select", "Indikator", rate),
        Step(*ALL),
        Step("klasser: naturlige brud", "radio", "Klasseinddeling", "Naturlige brud"),
        Step("område: nr. 2", "select", "Område", 2),
        Step(*LAST_12),
        Step("kategori: +1", "multi", "Kategorier", 0),
        Step("klasser: kvantiler", "radio", "Klasseinddeling", "Kvantiler"),
        Step("område: nr. 4", "select", "Område", 4),
        Step(*ALL),
        Step("kategori: +1", "multi", "Kategorier", 1),
        Step("indikator: trygge", "select", "Indikator", "Trygge i nabolaget"),
        Step("område: hele kommunen", "select", "Område", 0),
        Step("indikator: hændelser", "select", "Indikator", rate),
        Step(*LAST_12),
        Step("klasser: naturlige brud", "radio", "Klasseinddeling", "Naturlige brud"),
        Step("område: nr. 6", "select", "Område", 6),
        Step(*ALL),
        Step("kategori: +1", "multi", "Kategorier", 2),
        Step("klasser: kvantiler", "radio", "Klasseinddeling", "Kvantiler"),
        Step("indikator: tillid", "select", "Indikator", "Tillid til at politiet hjælper"),
        Step("område: nr. 8", "select", "Område", 8),
        Step("indikator: hændelser", "select", "Indikator", rate),
    ]


def natteliv_plan() -> list[Step]:
    """22 changes of cell size, period, night hours, nights, categories and classes."""
    return [
        Step("celle: 250m", "radio", "Cellestørrelse", "250m"),
        Step(*ALL),
        Step("fra kl. 20", "select", "Fra kl.", "20"),
        Step("klasser: naturlige brud", "radio", "Klasseinddeling", "Naturlige brud"),
        Step("nætter: +torsdag", "multi", "Nætter (aftenens ugedag)", "torsdag"),
        Step("celle: 1km", "radio", "Cellestørrelse", "1km"),
        Step("til kl. 4", "select", "Til kl. (morgen)", "4"),
        Step(*LAST_12),
        Step("klasser: kvantiler", "radio", "Klasseinddeling", "Kvantiler"),
        Step("celle: 100m", "radio", "Cellestørrelse", "100m"),
        Step("kategori: +1", "multi", "Kategorier", 0),
        Step("fra kl. 22", "select", "Fra kl.", "22"),
        Step("celle: 250m", "radio", "Cellestørrelse", "250m"),
        Step(*ALL),
        Step("til kl. 6", "select", "Til kl. (morgen)", "6"),
        Step("nætter: +søndag", "multi", "Nætter (aftenens ugedag)", "søndag"),
        Step("celle: 100m", "radio", "Cellestørrelse", "100m"),
        Step("klasser: naturlige brud", "radio", "Klasseinddeling", "Naturlige brud"),
        Step(*LAST_12),
        Step("celle: 1km", "radio", "Cellestørrelse", "1km"),
        Step("fra kl. 21", "select", "Fra kl.", "21"),
        Step("klasser: kvantiler", "radio", "Klasseinddeling", "Kvantiler"),
    ]


PLANS = {"tryg-bydel": ("Tryg bydel", tryg_bydel_plan), "nat": ("Natteliv", natteliv_plan)}


def chosen(page, step: Step) -> bool:
    """Whether the sidebar widget of ``step`` shows its choice (a select's text, a radio's
    checked button); a multiselect's pick is taken as made."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    try:
        if step.kind == "radio":
            group = sidebar.get_by_role("radiogroup", name=step.widget)
            button = group.get_by_role("radio", name=str(step.option), exact=True)
            return button.is_checked(timeout=5_000)
        if step.kind == "select" and isinstance(step.option, str):
            combobox = sidebar.get_by_role("combobox", name=step.widget, exact=True)
            return combobox.input_value(timeout=5_000).startswith(step.option)
    except Exception:  # noqa: BLE001 - the widget cannot be read: the choice is not shown
        return False
    return True


def act(page, step: Step) -> None:
    """Do ``step`` in the sidebar the way a user does."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    if step.kind == "radio":
        group = sidebar.get_by_role("radiogroup", name=step.widget)
        group.get_by_text(str(step.option), exact=True).click(timeout=TIMEOUT_MS)
        return
    combobox = sidebar.get_by_role("combobox", name=step.widget, exact=True)
    # A list at the window's bottom edge does not open (Natteliv's hours on a 1000 px window):
    # bring it to the middle first, as a user scrolls to it.
    combobox.evaluate("(e) => e.scrollIntoView({block: 'center'})")
    combobox.click(timeout=TIMEOUT_MS)
    options = page.get_by_role("option")
    try:
        options.first.wait_for(timeout=2_000)
    except Exception:  # noqa: BLE001 - the click only focused it (right after a multiselect)
        combobox.press("ArrowDown")  # open the list by key, as a keyboard user does
    if isinstance(step.option, int):  # the n-th real option (a multiselect offers "Select all")
        options.first.wait_for(timeout=TIMEOUT_MS)
        texts = options.all_inner_texts()
        real = [i for i, text in enumerate(texts) if text.strip() != "Select all"]
        options.nth(real[step.option % len(real)]).click(timeout=TIMEOUT_MS)
    else:
        options.filter(has_text=step.option).first.click(timeout=TIMEOUT_MS)
    if step.kind == "multi":  # close the list again (a key: the click time stays the option's)
        page.keyboard.press("Escape")


def map_frames(page) -> list:
    return [f for f in page.frames if MAP_FRAME_URL in f.url]


def frame_states(page) -> list[dict[str, Any]]:
    states = []
    for frame in map_frames(page):
        try:
            states.append(frame.evaluate(FRAME_STATE))
        except Exception:  # noqa: BLE001 - a frame that went away meanwhile
            continue
    return states


class MapUnchanged(Exception):
    """The rerun finished and no map frame started or drew anything new: same map."""


def wait_for_map(
    page, after: float, timeout_s: float, grace_s: float | None = None
) -> tuple[dict[str, Any], str, float]:
    """The map frame whose drawn mark is later than ``after`` (epoch ms).

    With ``grace_s``: when the page's script run has finished for that long (or none started)
    and no map frame was created after ``after`` nor drew anything, the map did not change
    (:class:`MapUnchanged`).
    """
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        states = frame_states(page)
        for state in states:
            for name in DRAWN_MARKS:
                times = [t for n, t, _ in state["marks"] if n == name and t > after]
                if times:
                    return state, name, min(times)
        if grace_s is not None and not any(s["origin"] > after for s in states):
            finished = page.evaluate(
                """(after) => {
                    const app = document.querySelector('[data-test-script-state]');
                    const idle = app.getAttribute('data-test-script-state') === 'notRunning';
                    // The value picked was the one already chosen: no rerun at all.
                    if (idle && window.__tryg.states.length === 0) return after;
                    const done = window.__tryg.states.filter(
                        ([s, t]) => s === 'notRunning' && t > after);
                    return idle && done.length ? done[done.length - 1][1] : null;
                }""",
                after,
            )
            now = page.evaluate("() => performance.timeOrigin + performance.now()")
            if finished is not None and now - finished > grace_s * 1000:
                raise MapUnchanged("the rerun left the map as it was")
        page.wait_for_timeout(25)
    raise TimeoutError(f"no map drawn with new data within {timeout_s:.0f} s")


def measure_change(page, step: Step, timeout_s: float) -> dict[str, Any]:
    """Do one change and take it apart (all times in ms from the click)."""
    page.evaluate("() => { window.__tryg.click = null; window.__tryg.states = []; }")
    act(page, step)
    click = page.evaluate("() => window.__tryg.click")
    if click is None:
        raise RuntimeError("the click was not seen by the page")
    state, mark, drawn = wait_for_map(page, click, timeout_s, grace_s=3.0)
    marks = {n: t for n, t, _ in state["marks"] if t > click}
    details = [d for n, t, d in state["marks"] if n == mark and t == drawn]
    states = page.evaluate("() => window.__tryg.states")
    done = [t for s, t in states if s == "notRunning" and t > click]
    start = marks.get("tryg-map-start")
    painted = marks.get("tryg-map-painted")
    origin = state["origin"]
    new_frame = origin > click

    def since(t):
        return round(t - click, 1) if t is not None else None

    return {
        "change": step.label,
        "ms": round(drawn - click, 1),
        "mark": mark,
        "server_ms": since(done[0]) if done else None,
        "new_iframe": new_frame,
        "frame_ms": since(origin) if new_frame else None,
        "boot_ms": round(start - origin, 1) if start and new_frame else None,
        "map_script_ms": round(drawn - start, 1) if start else None,
        "paint_ms": round(painted - drawn, 1) if painted else None,
        "features": (details[0] or {}).get("features") if details else None,
        "resources": state["resources"][-6:] if new_frame else [],
    }


def open_page(page, base_url: str, path: str, timeout_s: float) -> float:
    """Open ``path`` and wait for its first map; returns the seconds it took."""
    started = time.perf_counter()
    page.goto(f"{base_url}/{path}", timeout=timeout_s * 1000)
    now = page.evaluate("() => performance.timeOrigin")
    wait_for_map(page, now, timeout_s)
    return time.perf_counter() - started


@contextmanager
def loopback_context(viewport: dict[str, int], blocked: list[str] | None = None) -> Iterator[Any]:
    """A Playwright context of :data:`CHROMIUM` that reaches the dashboard on loopback only:
    any other request is aborted (and its URL added to ``blocked``), so a benchmark never
    leaves the machine. The browser is closed on exit."""
    from playwright.sync_api import sync_playwright

    from bench.common import is_loopback

    if not CHROMIUM.exists():
        raise RuntimeError(f"Chromium is missing at {CHROMIUM} (make chromium installs it)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=viewport)

            def guard(route) -> None:
                if is_loopback(route.request.url):
                    route.continue_()
                else:
                    if blocked is not None:
                        blocked.append(route.request.url)
                    route.abort()

            context.route("**/*", guard)
            yield context
        finally:
            browser.close()


def drive(base_url: str, changes: int, timeout_s: float = 30) -> dict[str, Any]:
    """Both pages, ``changes`` changes each, in one Chromium page; returns rows and stats."""
    from bench.common import stats

    rows: list[dict[str, Any]] = []
    blocked: list[str] = []
    opened: dict[str, float] = {}
    with loopback_context({"width": 1400, "height": 1000}, blocked) as context:
        context.add_init_script(INIT_SCRIPT)
        page = context.new_page()
        for path, (title, plan) in PLANS.items():
            opened[title] = round(open_page(page, base_url, path, timeout_s), 2)
            steps = plan()
            for i in range(changes):
                step = steps[i % len(steps)]
                try:
                    row = measure_change(page, step, timeout_s)
                    row["error"] = None
                except MapUnchanged:
                    # Unchanged only when the widget shows the choice: a click that chose
                    # nothing is the benchmark's error, not a map that stayed the same.
                    shown = chosen(page, step)
                    row = {
                        "change": step.label,
                        "ms": None,
                        "error": None if shown else "the choice was not made (widget unchanged)",
                        "unchanged": shown,
                    }
                except Exception as exc:  # noqa: BLE001 - recorded, the run goes on
                    row = {"change": step.label, "ms": None, "error": f"{exc}"[:300]}
                    page.goto(f"{base_url}/{path}", timeout=timeout_s * 1000)
                    page.wait_for_timeout(2000)
                row["page"] = title
                rows.append(row)
    ok = [r for r in rows if r["error"] is None and not r.get("unchanged")]

    def part(key: str, subset: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        return stats([r[key] for r in (subset or ok) if r.get(key) is not None])

    pages = {}
    for title in opened:
        mine = [r for r in ok if r["page"] == title]
        pages[title] = {
            "open_seconds": opened[title],
            "map_ms": part("ms", mine) if mine else stats([]),
            "server_ms": part("server_ms", mine) if mine else stats([]),
            "boot_ms": part("boot_ms", mine) if mine else stats([]),
            "map_script_ms": part("map_script_ms", mine) if mine else stats([]),
            "new_iframe_share": round(sum(r["new_iframe"] for r in mine) / max(len(mine), 1), 2),
        }
    all_ms = stats([r["ms"] for r in ok])
    return {
        "browser_map_ms_median": all_ms["median"],
        "browser_map_ms_p95": all_ms["p95"],
        "map_ms": all_ms,
        "parts": {k: part(k) for k in ("server_ms", "frame_ms", "boot_ms", "map_script_ms")},
        "pages": pages,
        "changes": len(rows),
        "errors": sum(r["error"] is not None for r in rows),
        "unchanged": sum(bool(r.get("unchanged")) for r in rows),
        "marks": sorted({r["mark"] for r in ok}),
        "blocked_requests": blocked[:20],
        "rows": rows,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        prog="python -m bench.browser_map", description=__doc__.split("\n")[0]
    )
    dashboard_arguments(parser, DEFAULT_OUT)
    parser.add_argument("--changes", type=int, default=22, help="changes per page (≥ 20)")
    args = parser.parse_args(argv)
    return drive_demo_dashboard(lambda url: drive(url, args.changes), args, "tryg-browsermap-")


if __name__ == "__main__":
    main()
