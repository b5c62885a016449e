"""Text from data is data: names with HTML never become markup in the browser, stay literal in
tables and CSV files, and are drawn literally (no mathtext) in PNGs.

A store whose districts, places and incident categories are named
``<img src=x onerror=alert(1)>``, a 10 000-character name and a name with matplotlib mathtext
(``$\\foo$``) is shown through every view: the rendered folium HTML, ``view.display`` and
``view.table``, both CSV dialects and the PNG.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
import tiny_data
from matplotlib.text import Text
from tiny_data import X0, Y0, incidents_at, measurement

from tryg_geo.errors import ExportError
from tryg_geo.geo.enrich import enrich_incidents
from tryg_geo.render import csv_export, maps, png_page
from tryg_geo.store.dataset import Dataset, load_dataset
from tryg_geo.store.folder import Store
from tryg_geo.store.schema import COLUMNS, REJECTED_COLUMNS
from tryg_geo.views.model import View
from tryg_geo.views.registry import build_view, default_filters, view_keys

matplotlib.use("Agg")

XSS = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert('x')</script> & Co"
LONG = "Langt navn " + "x" * (10_000 - len("Langt navn "))
MATH = r"Havn $\foo$ & 5 kr"  # two dollars: mathtext would parse it, and fail on \foo
FILTER_SETS = {
    "default": {},
    "hostile category and district": {"kat": f"{XSS},vold", "omr": "a"},
}


def hostile_store(root: Path, names: tuple[str, str, str]) -> Dataset:
    """The three test districts named ``names``; Nytorv, Gammeltorv and C.W. Obels Plads named
    the same; categories named like the first and last name; the nattelivszone and the fjord
    named with HTML."""
    store = Store(root)
    empty = pd.DataFrame(columns=list(REJECTED_COLUMNS))
    districts = tiny_data.districts()
    districts["name"] = list(names)
    store.write("districts", districts, rejected=empty, report={})
    places = tiny_data.places().set_index("place_id")
    for place, name in zip(("nytorv", "gammeltorv", "cw-obels-plads"), names, strict=True):
        places.loc[place, "name"] = name
    places.loc["jomfru-ane-gade", "name"] = SCRIPT  # the nattelivszone, drawn on night maps
    places.loc["limfjorden", "name"] = XSS  # water
    store.write("places", places.reset_index(), rejected=empty, report={})
    raw = pd.concat(
        [
            incidents_at(20, category=names[0], where=(X0 + 157.3, Y0 + 143.9)),
            incidents_at(12, when="2025-06-14 02:00", where=(X0 + 1_457.3, Y0 + 443.9)),
            incidents_at(
                9, category=names[2], when="2025-05-14 02:00", where=(X0 + 2_457.3, Y0 + 43.9)
            ),
            incidents_at(
                7, category=SCRIPT, when="2025-06-14 23:00", where=(X0 + 507.3, Y0 + 797.1)
            ),
        ],
        ignore_index=True,
    )
    raw["incident_id"] = [f"i{i}" for i in range(len(raw))]
    raw["source"] = XSS
    raw["initiative"] = None
    store.write("incidents", enrich_incidents(raw, districts), rejected=empty, report={})
    rows = [measurement("tryg_andel", a, "2025", 0.8, 100) for a in "abc"]
    rows += [measurement("tryg_andel", a, "2024", 0.7, 90) for a in "abc"]
    places_with_complaints = ("nytorv", "gammeltorv", "cw-obels-plads")
    rows += [measurement("klager", p, "2025-05", 10) for p in places_with_complaints]
    frame = pd.DataFrame(rows, columns=list(COLUMNS["measurements"]))
    frame["n"] = pd.array(frame["n"].astype("Float64").round(), dtype="Int64")
    store.write("measurements", frame, rejected=empty, report={})
    return load_dataset(store)


@pytest.fixture(scope="module")
def ds(tmp_path_factory) -> Dataset:
    return hostile_store(tmp_path_factory.mktemp("hostile"), (XSS, LONG, SCRIPT))


@pytest.fixture(scope="module")
def math_ds(tmp_path_factory) -> Dataset:
    return hostile_store(tmp_path_factory.mktemp("mathtext"), (MATH, "Beta", "Gamma"))


def build_all(ds: Dataset) -> dict[str, list[View]]:
    return {
        name: [build_view(key, ds, default_filters(ds, params)) for key in view_keys()]
        for name, params in FILTER_SETS.items()
    }


@pytest.fixture(scope="module")
def views(ds) -> dict[str, list[View]]:
    return build_all(ds)


@pytest.fixture(scope="module")
def math_views(math_ds) -> dict[str, list[View]]:
    return {"default": [build_view(key, math_ds, default_filters(math_ds)) for key in view_keys()]}


def test_the_hostile_names_are_in_the_data(ds, math_ds):
    assert {XSS, LONG, SCRIPT} <= set(ds.districts["name"]) & set(ds.places["name"])
    assert {XSS, SCRIPT} <= set(ds.categories)
    assert MATH in set(math_ds.districts["name"]) & set(math_ds.places["name"])


# ---- the browser ------------------------------------------------------------------------------
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def as_the_browser_reads_it(rendered: str) -> str:
    """The page with JSON string escapes (``\\u003c``, ``\\u0026``) resolved: what Leaflet
    puts into a tooltip's HTML."""
    return _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), rendered)


def rendered_maps(views: list[View]) -> dict[str, str]:
    return {
        v.key: as_the_browser_reads_it(maps.spec_map(v.map, basemap="none").get_root().render())
        for v in views
        if v.map is not None
    }


@pytest.mark.parametrize("filters", FILTER_SETS)
def test_map_html_holds_no_markup_from_the_data(views, filters):
    pages = rendered_maps(views[filters])
    assert len(pages) >= 5
    for key, page in pages.items():
        assert "<img" not in page, key
        assert "<script>alert" not in page, key
        assert "onerror=alert(1)>" not in page, key
        assert "&amp;lt;" not in page, key  # escaped once, not twice


def test_names_reach_the_map_escaped_not_dropped(views):
    pages = rendered_maps(views["default"])
    escaped = html.escape(XSS)
    assert escaped in pages["tryg-bydel"]  # a district's name
    assert escaped in pages["byens-rum"]  # a place's name
    assert html.escape(SCRIPT) in pages["tryg-bydel"]
    assert LONG[:1000] in pages["tryg-bydel"]  # the long name is text too


def test_mathtext_names_reach_the_map_as_text(math_views):
    pages = rendered_maps(math_views["default"])
    assert html.escape(MATH).replace("\\", "\\\\") in pages["tryg-bydel"]  # JSON: \\foo
    for key, page in pages.items():
        assert "<img" not in page and "<script>alert" not in page, key


# ---- tables and CSV ---------------------------------------------------------------------------
def cells(frame: pd.DataFrame | None) -> list[str]:
    if frame is None:
        return []
    return [str(v) for v in frame.astype(str).to_numpy().ravel()]


def test_tables_and_display_keep_names_as_text(views):
    shown = {v.key: cells(v.display) + cells(v.table) for v in views["default"]}
    assert XSS in shown["tryg-bydel"] and SCRIPT in shown["tryg-bydel"]
    assert XSS in shown["byens-rum"] and LONG in shown["byens-rum"]
    for key, texts in shown.items():
        assert not any("&lt;" in t or "&amp;" in t for t in texts), key


@pytest.mark.parametrize("dialect", csv_export.DIALECTS)
def test_csv_keeps_names_as_text(views, dialect):
    found = set()
    for view in views["default"]:
        try:
            data = csv_export.view_csv(view, dialect)
        except ExportError:
            continue
        text = data.decode("utf-8-sig")
        assert "&lt;" not in text, view.key
        found |= {name for name in (XSS, SCRIPT, LONG) if name in text}
        table = pd.read_csv(io.BytesIO(data), sep=";" if dialect == "excel" else ",", dtype=str)
        assert len(table) == len(view.table), view.key
    assert found == {XSS, SCRIPT, LONG}


# ---- PNG --------------------------------------------------------------------------------------
def drawn_texts(view: View) -> list[str]:
    """Draw the view's PNG (as :func:`png_page.view_png` does) and return every text drawn."""
    figure = png_page.view_figure(view)
    try:
        figure.savefig(io.BytesIO(), format="png", dpi=40)  # drawing is where mathtext would run
        return [t.get_text() for t in figure.findobj(Text) if t.get_visible()]
    finally:
        plt.close(figure)


def test_mathtext_in_a_name_would_break_an_ordinary_matplotlib_text():
    """Sanity: MATH really is dangerous for matplotlib, so the PNG test below means something."""
    figure = plt.figure()
    figure.text(0.1, 0.5, MATH)
    try:
        with pytest.raises(ValueError):
            figure.savefig(io.BytesIO(), format="png")
    finally:
        plt.close(figure)


@pytest.fixture(scope="module")
def drawn(views) -> dict[str, dict[str, list[str]]]:
    """filter set -> view key -> texts drawn in its PNG, for the views that draw names (those
    with a map) and one without."""
    return {
        name: {
            v.key: drawn_texts(v) for v in built if v.map is not None or v.key == "indsats/fri-tid"
        }
        for name, built in views.items()
    }


@pytest.mark.parametrize("filters", FILTER_SETS)
def test_png_draws_names_literally(drawn, filters):
    everything = [t for texts in drawn[filters].values() for t in texts]
    assert not any("&lt;" in t or "&amp;" in t for t in everything)
    assert any(XSS in t for t in everything)
    assert any(SCRIPT in t for t in everything)
    assert any(t.startswith(LONG[:20]) for t in everything)


def test_png_clips_long_names(drawn):
    for key, texts in drawn["default"].items():
        assert max(len(t) for t in texts) < 1_000, key


def test_png_draws_mathtext_names_literally(math_views):
    drawn = {}
    for view in math_views["default"]:
        if view.map is not None:
            drawn[view.key] = drawn_texts(view)
    assert any(MATH in t for texts in drawn.values() for t in texts)


def test_png_bytes_of_views_with_hostile_names(views):
    for view in views["hostile category and district"][:3]:
        png = png_page.view_png(view)
        assert png.startswith(b"\x89PNG") and len(png) > 10_000, view.key


def test_subtitle_keeps_the_category_filter_as_text(views):
    natteliv = next(v for v in views["hostile category and district"] if v.key == "natteliv")
    assert XSS in natteliv.subtitle
    assert XSS in " ".join(drawn_texts(natteliv))
