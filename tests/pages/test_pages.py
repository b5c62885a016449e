"""Every page of the dashboard in Streamlit's AppTest, over a small demo store.

What is checked, per page: it runs without an exception and says "Demodata"; the numbers it
shows are those of the view computed in Python for the filters in the URL; changing a sidebar
filter changes the numbers and is written back to the URL; a URL set before the run (a deep
link) restores the widgets and the numbers; an empty data folder gives the Danish "no data"
guidance.

AppTest limits, and how they are handled:

* It opens the default page (Overblik) first: pages registered with a ``url_path`` can only be
  reached with ``switch_page`` after one run. A deep link is therefore set before that first
  run and must survive Overblik unchanged (asserted) before the page itself reads it. The real
  browser opens deep links directly in ``tests/browser/test_pages_browser.py``.
* It cannot drive ``st.file_uploader``. The Data page's import wizard is run in
  ``test_data_wizard.py`` with ``st.file_uploader`` replaced by a stand-in returning an uploaded
  file, which exercises the page's own import code but not the upload widget; the browser test
  ``tests/browser/test_wizard_browser.py`` uploads a real file.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tryg_geo import fmt
from tryg_geo.compute.filters import Filters
from tryg_geo.compute.registry import load_initiatives
from tryg_geo.store.as_of import data_as_of
from tryg_geo.store.dataset import Dataset
from tryg_geo.store.folder import Store
from tryg_geo.store.schema import REJECTED_COLUMNS
from tryg_geo.views.alt_text import view_map_text
from tryg_geo.views.model import View
from tryg_geo.views.registry import (
    INITIATIVE_PREFIX,
    INITIATIVES_PAGE,
    MAIN_VIEWS,
    PageInfo,
    build_view,
    default_filters,
)
from tryg_geo.views.registry import PAGES as REGISTRY_PAGES
from tryg_geo.views.steps import step_view, stepped_maps

REPO = Path(__file__).resolve().parents[2]
DASHBOARD = str(REPO / "dashboard.py")


def _page_name(page: PageInfo) -> str:
    """A page's name in these tests: its view's key, or its URL path (Indsatser, Data)."""
    view = next((v for v in MAIN_VIEWS if v.page == page), None)
    return view.key if view is not None else str(page.url_path)


#: page name -> (page file, view key: "indsats/" for the initiatives, None for the Data page),
#: from the registry, so a new page is tested here without editing this file.
PAGES: dict[str, tuple[str, str | None]] = {
    _page_name(p): (
        p.file,
        next((v.key for v in MAIN_VIEWS if v.page == p), None)
        or (INITIATIVE_PREFIX if p == INITIATIVES_PAGE else None),
    )
    for p in REGISTRY_PAGES
}
DEFAULT_PAGE = next(_page_name(p) for p in REGISTRY_PAGES if p.default)
VIEW_PAGES = [p for p, (_, key) in PAGES.items() if key]
NO_DATA = "Der er ingen data endnu"


# ---- fixtures and helpers ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def ds(demo_ds: Dataset) -> Dataset:
    return demo_ds


@pytest.fixture()
def demo_env(monkeypatch: pytest.MonkeyPatch, demo_dir: Path) -> Path:
    monkeypatch.setenv("TRYG_DATA_DIR", str(demo_dir))
    monkeypatch.setenv("TRYG_BASEMAP", "none")
    return demo_dir


def open_page(page: str, params: dict[str, str] | None = None) -> AppTest:
    """Run the dashboard and switch to ``page``; ``params`` is the URL it is opened with."""
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params.update(params or {})
    at.run()
    assert not at.exception, at.exception
    if page != DEFAULT_PAGE:
        at.switch_page(PAGES[page][0]).run()
        assert not at.exception, at.exception
    return at


def params_of(at: AppTest) -> dict[str, str]:
    return {k: v if isinstance(v, str) else ",".join(v) for k, v in at.query_params.items()}


def unescape_md(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def shown_tables(at: AppTest) -> list[pd.DataFrame]:
    """The page's tables: scrolling grids (``st.dataframe``) and whole HTML tables
    (``st.table``, the first column as row headers: put back as a column)."""
    grids = [df.value for df in at.dataframe]
    whole = [t.value.reset_index() for t in at.table]
    return grids + whole


def shown(at: AppTest) -> tuple:
    """Everything the page shows that carries a number: KPIs, tables and markdown text."""
    return (
        tuple((m.label, m.value) for m in at.metric),
        tuple(frame.to_csv(index=False) for frame in shown_tables(at)),
        tuple(m.value for m in at.markdown),
    )


def expected_view(page: str, ds: Dataset, params: dict[str, str]) -> View:
    """The view a page should show for the filters in its URL, computed in Python."""
    filters = default_filters(ds, params)
    key = PAGES[page][1]
    if key == INITIATIVE_PREFIX:
        key += filters.initiative or load_initiatives()[0].slug
    return build_view(key, ds, filters)


def assert_shows_view(at: AppTest, page: str, ds: Dataset) -> View:
    """The KPIs and the table on screen are those of the view for the URL's filters."""
    view = expected_view(page, ds, params_of(at))
    if page != "overblik":  # see test_overblik_shows_its_kpis
        assert [(m.label, m.value) for m in at.metric] == [(k.label, k.value) for k in view.kpis]
    table = view.display if view.display is not None else view.table
    if page == "overblik":  # the table is laid out as rows of markdown cells
        cells = {unescape_md(m.value) for m in at.markdown}
        latest = [str(v) for v in table["Seneste"] if str(v)]
        assert latest and set(latest) <= cells
    else:  # the view's table, beside any other table the page shows (Analyse's panels)
        candidates = [f for f in shown_tables(at) if list(f.columns) == list(table.columns)]
        if not candidates and page == "analyse":
            # Too few incidents for near repeat: the page says so and shows no Knox table
            # (tests/agreement: the reading and the table never disagree).
            assert any("for få hændelser" in i.value for i in at.info), "no table, no reason"
            return view
        (frame,) = candidates
        shown_frame = frame.reset_index(drop=True).astype(str)
        expected = table.reset_index(drop=True).astype(str)
        if not shown_frame.equals(expected):
            # A page may show a value with its detail in parentheses, or without the view's
            # (Analyse: "2,72 (<5/0,4)" for the analyst); the numbers before it must agree.
            shown_frame, expected = (
                f.replace(r" \(.*\)$", "", regex=True) for f in (shown_frame, expected)
            )
        pd.testing.assert_frame_equal(shown_frame, expected, check_dtype=False)
    return view


# ---- every page runs over demo data -----------------------------------------------------------
@pytest.mark.parametrize("page", list(PAGES))
def test_page_runs_and_announces_demodata(demo_env, ds, page):
    at = open_page(page)
    assert any("Demodata" in w.value for w in at.warning)
    # Every page, the Data page too, says how fresh its data is (tryg_geo.store.as_of).
    assert any(unescape_md(c.value) == data_as_of(ds) for c in at.caption)
    if PAGES[page][1] is None:  # the Data page shows no view
        return
    assert at.title[0].value == expected_view(page, ds, params_of(at)).title
    params = params_of(at)
    data_start, data_end = ds.incident_span
    assert params["preset"] == "12m" and params["til"] == data_end.isoformat()
    assert_shows_view(at, page, ds)


def test_overblik_shows_its_kpis(demo_env, ds):
    at = open_page("overblik")
    view = expected_view("overblik", ds, params_of(at))
    assert view.kpis
    assert [(m.label, m.value) for m in at.metric] == [(k.label, k.value) for k in view.kpis]


# ---- a filter change changes the numbers and the URL -------------------------------------------
#: (page, widget kind, widget key, new value, URL key, URL value after the change)
CHANGES = [
    ("overblik", "selectbox", "flt_preset", "all", "preset", "all"),
    ("tryg-bydel", "selectbox", "flt_indicator", "tryg_andel", "ind", "tryg_andel"),
    ("tryg-bydel", "selectbox", "flt_district", "vejgaard", "omr", "vejgaard"),
    ("tryg-bydel", "multiselect", "flt_categories", ["vold"], "kat", "vold"),
    ("natteliv", "radio", "flt_cell", "1km", "celle", "1km"),
    ("natteliv", "multiselect", "flt_categories", ["vold"], "kat", "vold"),
    ("natteliv", "multiselect", "flt_nights", [5], "naetter", "5"),
    ("natteliv", "selectbox", "flt_night_start", 20, "nat", "20-6"),
    ("byens-rum", "selectbox", "flt_preset", "all", "preset", "all"),
    ("byens-rum", "multiselect", "flt_categories", ["vold"], "kat", "vold"),
    ("indsats", "selectbox", "flt_district", "vejgaard", "omr", "vejgaard"),
    ("indsats", "selectbox", "flt_initiative", "et-trygt-natteliv", "indsats", "et-trygt-natteliv"),
]


@pytest.mark.parametrize(
    ("page", "kind", "key", "value", "param", "param_value"),
    CHANGES,
    ids=[f"{c[0]}-{c[2]}" for c in CHANGES],
)
def test_filter_change_changes_numbers_and_url(
    demo_env, ds, page, kind, key, value, param, param_value
):
    # Categories only count for incident indicators; the survey share ignores them.
    at = open_page(page, {"ind": "haendelser_pr_1000"} if page == "tryg-bydel" else None)
    before = shown(at)
    widget = getattr(at, kind)(key=key)
    assert widget.value != value
    widget.set_value(value).run()
    assert not at.exception, at.exception
    assert getattr(at, kind)(key=key).value == value
    assert params_of(at)[param] == param_value
    assert shown(at) != before, f"changing {key} on {page} changed no number"
    # The URL carries the whole state: the view for its filters is exactly what is shown.
    assert_shows_view(at, page, ds)


def test_preset_all_writes_the_data_period_to_the_url(demo_env, ds):
    at = open_page("tryg-bydel")
    at.selectbox(key="flt_preset").set_value("all").run()
    data_start, data_end = ds.incident_span
    assert params_of(at)["fra"] == data_start.isoformat()
    assert params_of(at)["til"] == data_end.isoformat()


def test_custom_period_dates_reach_the_url(demo_env, ds):
    at = open_page("tryg-bydel", {"ind": "haendelser_pr_1000"})
    at.selectbox(key="flt_preset").set_value("custom").run()
    before = shown(at)
    at.date_input(key="flt_dates").set_value((date(2024, 3, 1), date(2024, 5, 31))).run()
    assert not at.exception
    params = params_of(at)
    assert (params["preset"], params["fra"], params["til"]) == (
        "custom",
        "2024-03-01",
        "2024-05-31",
    )
    assert shown(at) != before
    assert_shows_view(at, "tryg-bydel", ds)


# ---- deep links ---------------------------------------------------------------------------------
DEEP_LINKS = {
    "overblik": {"preset": "custom", "fra": "2024-01-01", "til": "2024-06-30"},
    "tryg-bydel": {
        "preset": "custom",
        "fra": "2024-01-01",
        "til": "2024-06-30",
        "ind": "haendelser_pr_1000",
        "omr": "vejgaard",
        "kat": "vold,tyveri",
        "klasser": "natural_breaks",
    },
    "natteliv": {
        "preset": "last_year",
        "celle": "250m",
        "naetter": "3,4,5",
        "nat": "21-5",
        "kat": "vold",
    },
    "byens-rum": {"preset": "all", "sted_ind": "klager", "kat": "vold"},
    "indsats": {"preset": "all", "indsats": "et-trygt-natteliv", "omr": "aalborg-midtby"},
}
#: page -> [(widget kind, key, value the deep link must restore)]
RESTORED = {
    "overblik": [
        ("selectbox", "flt_preset", "custom"),
        ("date_input", "flt_dates", (date(2024, 1, 1), date(2024, 6, 30))),
    ],
    "tryg-bydel": [
        ("selectbox", "flt_preset", "custom"),
        ("date_input", "flt_dates", (date(2024, 1, 1), date(2024, 6, 30))),
        ("selectbox", "flt_indicator", "haendelser_pr_1000"),
        ("selectbox", "flt_district", "vejgaard"),
        ("multiselect", "flt_categories", ["vold", "tyveri"]),
        ("radio", "flt_scheme", "natural_breaks"),
    ],
    "natteliv": [
        ("selectbox", "flt_preset", "last_year"),
        ("radio", "flt_cell", "250m"),
        ("multiselect", "flt_nights", [3, 4, 5]),
        ("selectbox", "flt_night_start", 21),
        ("selectbox", "flt_night_end", 5),
        ("multiselect", "flt_categories", ["vold"]),
    ],
    "byens-rum": [
        ("selectbox", "flt_preset", "all"),
        ("selectbox", "flt_place_indicator", "klager"),
        ("multiselect", "flt_categories", ["vold"]),
    ],
    "indsats": [
        ("selectbox", "flt_preset", "all"),
        ("selectbox", "flt_initiative", "et-trygt-natteliv"),
        ("selectbox", "flt_district", "aalborg-midtby"),
    ],
}


@pytest.mark.parametrize("page", list(DEEP_LINKS))
def test_deep_link_restores_widgets_and_numbers(demo_env, ds, page):
    link = DEEP_LINKS[page]
    assert set(link.get("kat", "").split(",")) <= {"", *ds.categories}
    at = open_page(page, link)
    for kind, key, value in RESTORED[page]:
        assert getattr(at, kind)(key=key).value == value, key
    # Round trip: the URL after the run is the link, completed with the defaults.
    params = params_of(at)
    assert params.items() >= link.items()
    start, end = ds.incident_span
    assert params == Filters.from_params(link, data_start=start, data_end=end).to_params()
    view = assert_shows_view(at, page, ds)
    # ... and the deep link is not the default view.
    default = expected_view(page, ds, {})
    assert (default.kpis, default.table.to_csv()) != (view.kpis, view.table.to_csv())
    if page == "tryg-bydel":
        assert any(m.label == "Vejgaard" for m in at.metric)
        assert "Vejgaard" in view.subtitle
    if "omr" in link:  # a chosen district is shown against the kommune and its likes
        name = ds.district_names[link["omr"]]
        heading = f"{name} sammenlignet: hændelser pr. 1.000 indbyggere"
        assert heading in [h.value for h in at.header]


def test_broken_deep_link_falls_back_to_defaults(demo_env, ds):
    at = open_page(
        "natteliv",
        {"preset": "nope", "fra": "2024-13-45", "celle": "7km", "naetter": "x", "nat": "99-1"},
    )
    assert at.selectbox(key="flt_preset").value == "12m"
    assert at.radio(key="flt_cell").value == "100m"
    assert at.multiselect(key="flt_nights").value == [4, 5]
    assert_shows_view(at, "natteliv", ds)


def test_map_click_opens_the_district_profile(demo_env, ds):
    """A map click is applied through session state on the next run (what st_folium sends
    cannot be faked in AppTest; the browser test clicks the real map)."""
    at = open_page("tryg-bydel")
    at.session_state["_pending_district"] = "vejgaard"
    at.run()
    assert at.selectbox(key="flt_district").value == "vejgaard"
    assert params_of(at)["omr"] == "vejgaard"
    assert any(m.label == "Vejgaard" for m in at.metric)


def test_filter_change_keeps_the_map_component(demo_env, ds):
    """A filter change sends the map component new layers under the same identity (same key,
    so the browser keeps its iframe and the user's zoom); the browser test watches the frame."""

    def map_component(at: AppTest) -> tuple[str, dict]:
        # The page's map is the first; Natteliv's time slider has a map of its own below it.
        component = at.get("component_instance")[0]
        assert component.proto.component_name == "streamlit_folium.st_folium"
        return component.proto.id, json.loads(component.proto.json_args)

    at = open_page("natteliv")
    first, args = map_component(at)
    at.radio(key="flt_cell").set_value("250m").run()
    second, new_args = map_component(at)
    assert second == first
    assert new_args["script"] == args["script"]  # the frame: Leaflet, tiles, zoom buttons
    assert new_args["feature_group"] != args["feature_group"]  # the layers: the new cells
    assert "250m-celle" in new_args["feature_group"] and "250m-celle" not in args["feature_group"]
    assert new_args["returned_objects"] == []  # nothing is read back from this map
    at.switch_page(PAGES["tryg-bydel"][0]).run()
    _, bydel = map_component(at)
    assert bydel["returned_objects"] == ["last_active_drawing"]  # a click opens a district


def test_time_slider_swaps_the_step_map_in_place(demo_env, ds):
    """Moving the time slider sends the slider's map the layers of another period under the
    same component identity (the zoom stays; the browser test watches it), with the legend
    saying the scale is shared, and leaves the page's own map as it was."""
    at = open_page("natteliv", {"preset": "all", "celle": "1km"})
    # The slider is shown on request: until then the page draws its own map only.
    assert len(at.get("component_instance")) == 1 and not at.select_slider
    at.toggle(key="tid_vis_natteliv").set_value(True).run()
    assert not at.exception, at.exception
    page_map, slider_map = at.get("component_instance")
    (slider,) = [s for s in at.select_slider if s.label == "Periode"]
    assert slider.value == slider.options[-1] and len(slider.options) >= 2
    before = json.loads(slider_map.proto.json_args)["feature_group"]
    assert "samme farveskala for alle perioder" in before
    slider.set_value(slider.options[-3]).run()
    assert not at.exception, at.exception
    new_page_map, new_slider_map = at.get("component_instance")
    assert new_slider_map.proto.id == slider_map.proto.id
    after = json.loads(new_slider_map.proto.json_args)["feature_group"]
    assert after != before and "samme farveskala for alle perioder" in after
    assert new_page_map.proto.json_args == page_map.proto.json_args
    # The text alternative below the map is that step's, computed in Python.
    stepped = stepped_maps(ds, "natteliv", default_filters(ds, params_of(at)), "quarter")
    step = step_view(ds, stepped, list(stepped.labels).index(slider.options[-3]))
    assert view_map_text(step) in [unescape_md(c.value) for c in at.caption]


# ---- the Data page ------------------------------------------------------------------------------
def status_table(at: AppTest) -> pd.DataFrame:
    frames = [df.value for df in at.dataframe if {"Datatype", "Rækker"} <= set(df.value.columns)]
    assert len(frames) == 1
    return frames[0].set_index("Datatype")


def test_data_page_lists_what_is_loaded(demo_env, ds):
    at = open_page("data-import")
    table = status_table(at)
    assert len(ds.incidents) >= 1000  # shown with the Danish thousands dot, e.g. "200.000"
    assert table.loc["hændelser", "Rækker"] == fmt.number(len(ds.incidents))
    assert "." in table.loc["hændelser", "Rækker"]
    assert table.loc["områder", "Rækker"] == fmt.number(len(ds.districts))
    assert table.loc["steder", "Rækker"] == fmt.number(len(ds.places))
    assert set(table["Demodata"]) == {"ja"}
    assert any(str(demo_env) in c.value for c in at.caption)


# The import wizard (file → preview → columns → dry run → Importér) is tested in
# test_data_wizard.py.


# ---- no data at all -----------------------------------------------------------------------------
@pytest.mark.parametrize("page", list(PAGES))
def test_empty_data_folder_gives_guidance(monkeypatch, tmp_path, page):
    monkeypatch.setenv("TRYG_DATA_DIR", str(tmp_path / "tom"))
    monkeypatch.setenv("TRYG_BASEMAP", "none")
    at = open_page(page)
    assert not at.error
    texts = [i.value for i in at.info]
    assert any(NO_DATA in t and "Data" in t for t in texts), texts


def test_districts_without_incidents_explain_natteliv(monkeypatch, tmp_path, demo_dir):
    """Only districts loaded: Natteliv says that incidents are missing and where to add them."""
    store = Store(tmp_path)
    source = Store(demo_dir)
    store.write(
        "districts",
        source.read("districts"),
        rejected=pd.DataFrame(columns=list(REJECTED_COLUMNS)),
        report={"file": "områder.geojson"},
    )
    monkeypatch.setenv("TRYG_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TRYG_BASEMAP", "none")
    at = open_page("natteliv")
    assert any("ingen hændelser indlæst" in i.value for i in at.info)


def test_every_page_names_the_partnership_of_the_data_folder(monkeypatch, tmp_path, demo_dir):
    """partnerskab.toml's name in the sidebar of every page; a broken file stops in Danish."""
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(demo_dir, folder)
    (folder / "partnerskab.toml").write_text('navn = "Tryg Aarhus"\n', encoding="utf-8")
    monkeypatch.setenv("TRYG_DATA_DIR", str(folder))
    monkeypatch.setenv("TRYG_BASEMAP", "none")
    at = open_page("overblik")
    assert "**Tryg Aarhus**" in [m.value for m in at.sidebar.markdown]
    assert at.title[0].value == "Overblik over Tryg Aarhus' indsatser"
    (folder / "partnerskab.toml").write_text('farve = "blå"\n', encoding="utf-8")
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert not at.exception, at.exception
    (error,) = [e.value for e in at.error]
    assert "partnerskab.toml: farve = 'blå' kan ikke bruges" in error
    assert not at.title  # no page is drawn under a name nobody chose


def _all_text(at: AppTest) -> str:
    """Every text of the run: metrics, tables, markdown, captions, notes and charts' specs."""
    parts = [f"{m.label} {m.value}" for m in at.metric]
    parts += [frame.to_csv(index=False) for frame in shown_tables(at)]
    parts += [e.value for kind in ("markdown", "caption", "info", "warning") for e in at.get(kind)]
    parts += [json.dumps(e.proto.spec) for e in at.get("arrow_vega_lite_chart")]
    return "\n".join(map(str, parts))


@pytest.mark.parametrize("page", ["natteliv"])  # hidden cells: its map, table, heat map, notes
def test_a_new_discretion_limit_holds_on_the_next_rerun(demo_env, ds, monkeypatch, page):
    """The limit raised while the server runs (settings.toml or TRYG_MIN_COUNT): the next rerun
    hides at 10 — no view, chart or sentence kept from the run before still says '<5'."""
    monkeypatch.setenv("TRYG_MIN_COUNT", "5")
    at = open_page(page)
    assert "<5" in _all_text(at)
    monkeypatch.setenv("TRYG_MIN_COUNT", "10")
    at.run()
    assert not at.exception, at.exception
    text = _all_text(at)
    assert "<5" not in text and "<10" in text
