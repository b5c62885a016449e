"""Folium structure of tryg_geo.render.maps: offline assets, layers, legend, escaping, settings."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import branca.colormap
import folium
import geopandas as gpd
import pandas as pd
import pytest
import shapely

from tryg_geo import settings
from tryg_geo.errors import UsageError
from tryg_geo.render import map_assets, map_controls, maps
from tryg_geo.store.schema import STORE_CRS

XSS = "<img src=x onerror=alert(1)>"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture()
def districts() -> gpd.GeoDataFrame:
    boxes = [
        (551000, 6318000, 554500, 6321800),
        (554500, 6318000, 558000, 6321800),
        (558000, 6318000, 561500, 6321800),
    ]
    return gpd.GeoDataFrame(
        {
            "district_id": ["D1", "D2", "D3"],
            "name": ["Vestbyen", "Midtbyen", XSS],
            "population": pd.array([12000, None, 5000], dtype="Int64"),
            # Columns that must never reach the browser:
            "x": [556123.456, 556200.0, 556300.0],
            "y": [6320123.789, 6320200.0, 6320300.0],
            "incident_id": ["i1", "i2", "i3"],
        },
        geometry=[shapely.MultiPolygon([shapely.box(*b)]) for b in boxes],
        crs=STORE_CRS,
    )


@pytest.fixture()
def water() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"place_id": ["P1"], "name": ["Limfjorden"], "kind": ["vand"]},
        geometry=[shapely.box(550000, 6321900, 562500, 6323200)],
        crs=STORE_CRS,
    )


def walk(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from walk(child)


def children_of_type(m: folium.Map, kind: type) -> list:
    return [e for e in walk(m) if isinstance(e, kind)]


# ---- offline assets -------------------------------------------------------------------------
def test_default_assets_are_local_leaflet_only():
    map_assets.configure_offline_folium()
    urls = [u for _, u in folium.Map.default_js + folium.Map.default_css]
    assert urls == ["/app/static/leaflet/leaflet.js", "/app/static/leaflet/leaflet.css"]


def test_no_element_of_the_map_loads_anything_from_a_url(districts, water):
    """What st_folium collects for its iframe: default_js/css of every element of the map."""
    map_assets.configure_offline_folium()
    m = maps.spec_map(_spec("places", districts, water), basemap="none")
    links = [u for e in walk(m) for _, u in getattr(e, "default_js", [])]
    links += [u for e in walk(m) for _, u in getattr(e, "default_css", [])]
    assert links and all(u.startswith("/app/static/leaflet/") for u in links)
    assert not children_of_type(m, branca.colormap.ColorMap)
    rendered = m.get_root().render()
    assert not re.search(r"https?://", rendered), re.findall(r"https?://\S+", rendered)


def test_base_url_path_is_honoured():
    assert map_assets.leaflet_url_prefix("") == "/app/static/leaflet"
    assert map_assets.leaflet_url_prefix("/tryg/") == "/tryg/app/static/leaflet"


def test_install_static_assets_is_idempotent(tmp_path):
    target = map_assets.install_static_assets(tmp_path)
    assert target == tmp_path / "static" / "leaflet"
    for rel in map_assets.LEAFLET_FILES:
        assert (target / rel).stat().st_size > 0
    mtime = (target / "leaflet.js").stat().st_mtime_ns
    map_assets.install_static_assets(tmp_path)
    assert (target / "leaflet.js").stat().st_mtime_ns == mtime
    (target / "leaflet.css").write_text("broken")
    map_assets.install_static_assets(tmp_path)
    assert (target / "leaflet.css").stat().st_size > 1000


# ---- base map ------------------------------------------------------------------------------
def test_basemap_none_has_no_tiles(districts, water):
    m = maps.spec_map(_spec("areas", districts, water), basemap="none")
    assert not children_of_type(m, folium.TileLayer)
    assert children_of_type(m, map_controls.FirstFit)
    (south, west), (north, east) = children_of_type(m, map_controls.FirstFit)[0].bounds
    assert 56.9 < south < north < 57.1 and 9.7 < west < east < 10.1  # Aalborg


def test_basemap_osm_has_tiles_and_attribution(districts, water):
    m = maps.spec_map(_spec("areas", districts, water), basemap="osm")
    (tiles,) = children_of_type(m, folium.TileLayer)
    assert tiles.tiles == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "OpenStreetMap" in tiles.options["attribution"]


def test_basemap_xyz_url(districts, water):
    url = "https://kort.example.dk/wmts/{z}/{x}/{y}.png"
    m = maps.spec_map(_spec("areas", districts, water), basemap=url)
    (tiles,) = children_of_type(m, folium.TileLayer)
    assert tiles.tiles == url
    assert "kort.example.dk" in tiles.options["attribution"]


@pytest.mark.parametrize(
    "value",
    [
        "satellite",
        "",
        "ftp://kort.example.dk/{z}/{x}/{y}.png",
        "https://kort.example.dk/tiles.png",
        "https://kort.example.dk/{z}/{x}.png",
        "javascript:alert(1)//{z}/{x}/{y}",
    ],
)
def test_basemap_setting_is_validated(districts, water, value):
    with pytest.raises(UsageError, match=r"TRYG_BASEMAP=.*'osm'.*'none'.*\{z\}"):
        maps.spec_map(_spec("areas", districts, water), basemap=value)


def test_basemap_from_environment(monkeypatch, districts, water):
    from tryg_geo import settings

    monkeypatch.setenv("TRYG_BASEMAP", "NONE")
    assert maps.check_basemap(settings.get("basemap")) == "none"
    monkeypatch.setenv("TRYG_BASEMAP", "kort.example.dk")
    with pytest.raises(UsageError, match="kort.example.dk"):
        maps.spec_map(_spec("areas", districts, water), basemap=settings.get("basemap"))


# ---- layers --------------------------------------------------------------------------------


def test_outline_layer_is_not_interactive_and_carries_no_data(districts, water):
    group = maps.outline_layer(districts, water)
    layers = list(group._children.values())
    assert [g.layer_name for g in layers] == ["Vand", "Områdegrænser"]
    for layer in layers:
        assert layer.options["interactive"] is False
        assert all(f["properties"] == {} for f in layer.data["features"])


def test_geometry_is_simplified_and_rounded(districts):
    # A 0.3 m bump between vertices 2 m apart and a collinear vertex: both below 1 m.
    ring = [(551000, 6318000), (551001, 6318000.3), (551002, 6318000), (553000, 6318000)]
    ring += [(554500, 6318000), (554500, 6321800), (551000, 6321800)]
    frame = districts.iloc[:1].set_geometry([shapely.Polygon(ring)], crs=STORE_CRS)
    (geom,) = maps.web_geometries(frame.geometry)
    coords = shapely.get_coordinates(geom)
    assert len(coords) == 5  # a closed four-corner ring is left
    assert (coords.round(6) == coords).all()
    assert coords[:, 0].min() > 9.7 and coords[:, 1].max() < 57.1


def test_overlapping_polygons_are_simplified_one_by_one(districts):
    overlapping = districts.geometry.buffer(10)
    geoms = maps.web_geometries(overlapping)
    assert len(geoms) == 3 and all(g.is_valid and not g.is_empty for g in geoms)


def test_shared_borders_stay_shared(districts):
    geoms = maps.web_geometries(districts.geometry)
    assert shapely.intersection(geoms[0], geoms[1]).length > 0
    assert shapely.intersection(geoms[0], geoms[1]).area == pytest.approx(0, abs=1e-12)


def test_package_does_not_import_streamlit():
    modules = sorted((REPO / "tryg_geo").rglob("*.py"))
    assert len(modules) > 40
    for module in modules:
        source = module.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+streamlit", source, re.M), module


# ---- MapSpec rendering -------------------------------------------------------------------------
def _spec(kind: str, districts, water):
    from tryg_geo.views.model import Legend, MapSpec

    wgs = districts.to_crs("EPSG:4326")
    features = gpd.GeoDataFrame(
        {
            "feature_id": ["D1", "D2", "D3"],
            "name": ["Vestbyen", "Midtbyen", XSS],
            "label": ["12.000", "<5", "Ingen data"],
            "color": ["#eff3ff", "#d9d9d9", "#08519c"],
        },
        geometry=wgs.geometry.to_numpy()
        if kind == "areas"
        else districts.centroid.to_crs("EPSG:4326").to_numpy(),
        crs="EPSG:4326",
    )
    if kind == "places":
        features["radius"] = [4.0, 12.0, 8.0]
    return MapSpec(
        kind=kind,
        features=features,
        legend=Legend("Hændelser <b>", [("#eff3ff", "≤ 6"), ("#08519c", "6 – 12")]),
        outline=wgs if kind == "places" else None,
        water=water.to_crs("EPSG:4326"),
        zones=wgs.iloc[:1] if kind == "places" else None,
        selected="D2",
    )


def test_spec_map_areas(districts, water):
    m = maps.spec_map(_spec("areas", districts, water), basemap="none")
    (layer,) = [g for g in children_of_type(m, folium.GeoJson) if g.layer_name.startswith("H")]
    props = [f["properties"] for f in layer.data["features"]]
    assert [set(p) for p in props] == [{"feature_id", "name", "label", "fill"}] * 3
    assert props[1]["label"] == "&lt;5" and props[2]["name"] == html.escape(XSS)
    styles = [layer.style_function(f) for f in layer.data["features"]]
    assert [s["weight"] for s in styles] == [0.8, 3, 0.8]  # D2 is selected
    (legend,) = children_of_type(m, map_controls.Legend)
    assert "Hændelser &lt;b&gt;" in legend.html and "6 – 12" in legend.html
    rendered = m.get_root().render()
    assert not re.search(r"https?://", rendered) and "<img" not in rendered


def test_spec_map_places(districts, water):
    m = maps.spec_map(_spec("places", districts, water), basemap="none")
    geojsons = children_of_type(m, folium.GeoJson)
    assert [g.layer_name for g in geojsons] == ["Vand", "Områdegrænser", "Hændelser <b>", "Zoner"]
    circles = geojsons[2]
    assert isinstance(circles.marker, folium.CircleMarker)
    radii = [f["properties"]["radius"] for f in circles.data["features"]]
    assert radii == [12.0, 8.0, 4.0]  # big circles first, small ones on top
    style = circles.style_function(circles.data["features"][0])
    assert style["fill"] is True and style["radius"] == 12.0
    assert geojsons[3].options["interactive"] is False
    (south, west), (north, east) = children_of_type(m, map_controls.FirstFit)[0].bounds
    assert north - south < 0.05  # fitted to the places, not to the whole outline


# ---- accessibility of the map's page ------------------------------------------------------------
def test_map_page_is_danish_zoomable_and_keyboard_ready(districts, water):
    """No zoom-blocking viewport tag (WCAG 1.4.4); the MapAccess script sets lang="da", a main
    landmark with a heading and the description, Danish zoom titles and keyboard buttons;
    every text reaches the script as escaped JSON, never as HTML."""
    m = maps.spec_map(
        _spec("areas", districts, water), basemap="none", description=f"Højest: {XSS}"
    )
    page = m.get_root().render()
    assert "user-scalable=no" not in page and "maximum-scale" not in page
    assert 'doc.documentElement.lang = "da"' in page
    assert 'region.setAttribute("role", "main")' in page
    assert "heading.textContent = title" in page and "text.textContent = description" in page
    assert '"Zoom ind"' in page and '"Zoom ud"' in page
    assert 'var title = "Kort: H\\u00e6ndelser \\u003cb\\u003e"' in page
    assert 'description = "H\\u00f8jest: \\u003cimg src=x onerror=alert(1)\\u003e"' in page
    assert XSS not in page
    assert "if (!true)" in page  # districts are keyboard buttons


def test_grid_cells_stay_out_of_the_tab_order(districts, water):
    spec = _spec("areas", districts, water)
    spec.kind = "cells"
    page = maps.spec_map(spec, basemap="none").get_root().render()
    assert "if (!false)" in page


# ---- layers that change with the filters ---------------------------------------------------------
def test_frame_holds_no_data_and_layers_hold_everything_that_changes(districts, water):
    """The frame is what st_folium keys its component by: nothing of a view may be in it, so a
    filter change keeps the component; the data, legend and texts come and go as one group."""
    frame = maps.frame_map("none")
    script = frame.get_root().render()
    assert "Hændelser" not in script and "feature_id" not in script
    assert 'region.setAttribute("role", "main")' in script
    group = maps.spec_layers(_spec("areas", districts, water), description="Tekst")
    kinds = [type(e) for e in walk(group)]
    for kind in (
        map_controls.FirstFit,
        map_controls.Legend,
        maps.MapAccess,
        map_controls.DrawnMark,
        folium.GeoJson,
    ):
        assert any(issubclass(k, kind) for k in kinds), kind
    # The legend and the access texts follow the data layer, so its features exist then.
    watched = (folium.GeoJson, maps.MapAccess, map_controls.DrawnMark)
    order = [k for k in kinds if issubclass(k, watched)]
    assert order[-2:] == [maps.MapAccess, map_controls.DrawnMark]


def test_prerendered_layers_draw_into_the_group_they_are_given(districts, water):
    spec = _spec("areas", districts, water)
    layers = maps.PrerenderedLayers(maps.spec_layers(spec, description="Tekst"))
    for _ in range(2):  # one script, drawn again into a new group each time
        m = maps.frame_map("none")
        group = layers.group().add_to(m)
        page = m.get_root().render()
        assert f"var {layers.name} = {group.get_name()};" in page
        assert page.count('"feature_id": "D1"') == 1 and "\\u003cb\\u003e" in page
        assert "map.fitBounds(" in page and "if (map._trygFitted) return;" in page
        assert "this._control.remove()" in page  # the legend leaves with its layers
        assert not re.search(r"https?://", page)


def test_prerendered_geometries_are_the_ones_folium_writes(districts, water):
    """of_spec writes GEOS's GeoJSON text into the script instead of folium's copy of it: the
    data each layer adds are the same, feature for feature, number for number."""
    add = re.compile(r"_add\((\{.*?\})\);\n", re.S)
    for kind in ("areas", "places"):
        spec = _spec(kind, districts, water)
        plain = maps.PrerenderedLayers(maps.spec_layers(spec, description="Tekst"))
        fast = maps.PrerenderedLayers.of_spec(spec, description="Tekst")
        payloads = [json.loads(text) for text in add.findall(plain.body)]
        assert len(payloads) >= 2  # water, the features (places: outline and zones too)
        assert [json.loads(text) for text in add.findall(fast.body)] == payloads
        assert "tryg-geometry-" not in fast.body


def test_by_default_the_map_fetches_nothing_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    # "Send nothing anywhere": without TRYG_BASEMAP the browser asks no tile server for the area
    # an analyst is looking at; only links (attribution) may name other sites, never a source.
    monkeypatch.delenv("TRYG_BASEMAP", raising=False)
    monkeypatch.setattr(settings, "_settings_file", dict)
    page = maps.frame_map(settings.get("basemap")).get_root().render()
    sources = re.findall(r"""(?:src|url)\s*[=(:]\s*["']?(https?://[^"')\s]+)""", page)
    assert sources == [] and "tile.openstreetmap.org" not in page


def test_a_name_written_like_a_template_stays_text(districts, water):
    """A district named '{{ 7*7 }}' (an imported file decides the names) is drawn as typed:
    the map's rendered scripts are never read as Jinja templates again (map_text), so a name
    can neither compute nor reach Python objects on the server."""
    spec = _spec("areas", districts, water)
    spec.features.loc[0, "name"] = "{{ 7*7 }} {{ cycler.__init__ }}"
    description = "Højest: {{ 7*7 }} {{ cycler.__init__ }} med 12 hændelser."  # the alt text
    layers = maps.PrerenderedLayers.of_spec(spec, description=description)
    m = maps.frame_map("none")
    layers.group().add_to(m)
    page = m.get_root().render()
    assert "{{ 7*7 }} {{ cycler.__init__ }}" in layers.body
    assert page.count("{{ 7*7 }} {{ cycler.__init__ }}") >= 2  # the feature and the alt text
