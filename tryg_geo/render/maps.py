"""Folium maps that work on a closed network: no CDN, no outside request unless asked for.

How Leaflet reaches the browser
-------------------------------
``streamlit-folium`` (0.27.4) does not bundle Leaflet. Its component iframe
(``/component/streamlit_folium.st_folium/index.html``) loads one React bundle of its own and
then, in ``loadScripts``, adds a ``<script src>`` for every URL in ``js_links`` and a
``<link rel=stylesheet>`` for every URL in ``css_links``. ``st_folium`` fills those lists in
Python by walking the map and collecting ``default_js``/``default_css`` of every
``JSCSSMixin`` element (``folium.Map`` carries Leaflet, jQuery, Bootstrap, Font Awesome and
awesome-markers, all from CDNs) and it prepends d3 from two CDNs whenever the map holds a
branca ``ColorMap``. ``<script src>`` and stylesheet links in the folium header are stripped.

So the one correct hook is ``Map.default_js``/``default_css``: :func:`configure_offline_folium`
replaces them with Leaflet alone, served by Streamlit's static file serving from the copy that
:func:`install_static_assets` puts in ``<app dir>/static/leaflet/``. The iframe is served by
the same Streamlit server, so ``/app/static/leaflet/leaflet.js`` needs no outside network.
Nothing here uses a folium plugin or a branca colormap; the legend is plain HTML.

Everything drawn comes from aggregated district data: feature properties are the district id,
its name, a formatted value and a fill colour. Text from data is HTML-escaped, because
Leaflet tooltips insert it as HTML.
"""

from __future__ import annotations

import html
import json
import math
import re
import uuid
from contextvars import ContextVar
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import shapely
from jinja2 import Template
from pyproj import Transformer

from .. import palette
from ..errors import UsageError
from ..store.schema import STORE_CRS
from . import map_text
from .map_access import MapAccess, MapFrameAccess
from .map_assets import current_url_prefix, offline_assets
from .map_controls import DrawnMark, FirstFit, Legend, MetricScale, TimingMark, entries_html
from .map_text import Text, TextMacroElement

BACKGROUND_COLOR = palette.MAP_BACKGROUND
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-bidragydere'
)
SIMPLIFY_TOLERANCE_M = 1.0
COORD_DECIMALS = 6

# A light background for maps without tiles (``div.`` outranks leaflet.css, whichever loads
# last). Focus: no box around a clicked district (Chrome draws one around the bounding box of a
# focused SVG path, which looks like a wrong border), but a thick black border around a district
# reached with the keyboard, and a visible ring around the map itself (WCAG 2.4.7).
# ``tryg-sr-only``: text for screen readers only (the heading and description in the frame).
_MAP_CSS = (
    f"<style>div.leaflet-container {{ background: {BACKGROUND_COLOR}; }}"
    " path.leaflet-interactive:focus { outline: none; }"
    f" path.leaflet-interactive:focus-visible {{ stroke: {palette.BLACK}; stroke-width: 4px;"
    " stroke-opacity: 1; }"
    f" div.leaflet-container:focus-visible {{ outline: 3px solid {palette.FOCUS};"
    " outline-offset: -3px; }"
    " .tryg-sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0;"
    " overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }</style>"
)
_XYZ_URL = re.compile(r"^https?://[^\s/]+/\S*$")
_TO_WGS84 = Transformer.from_crs(STORE_CRS, "EPSG:4326", always_xy=True)


# ---- base map -----------------------------------------------------------------------------
def check_basemap(basemap: str) -> str:
    """Return ``'osm'``, ``'none'`` or a valid XYZ URL, else raise :class:`UsageError`."""
    value = (basemap or "").strip()
    if value.lower() in ("osm", "none"):
        return value.lower()
    if _XYZ_URL.match(value) and all(p in value for p in ("{z}", "{x}", "{y}")):
        return value
    raise UsageError(
        f"TRYG_BASEMAP={basemap!r} er ikke tilladt. Brug 'osm' (OpenStreetMap), 'none' "
        "(intet baggrundskort, til lukkede net) eller en XYZ-adresse, der begynder med "
        "http:// eller https:// og indeholder {z}, {x} og {y}, "
        "fx https://kort.example.dk/{z}/{x}/{y}.png."
    )


class ZoomableMap(folium.Map, TextMacroElement):
    """``folium.Map`` without its zoom-blocking viewport tag.

    folium writes ``<meta name="viewport" … maximum-scale=1.0, user-scalable=no>`` into the
    head of the map's page (the component frame), which stops people from zooming in with
    their fingers or the browser (WCAG 2.1 1.4.4). The frame's own page already has a
    viewport tag that allows zooming, so the map's is removed.
    """

    def render(self, **kwargs: Any) -> None:
        super().render(**kwargs)
        header = self.get_root().header
        name = self.get_name()
        element = header._children.get(name)
        if element is not None:
            text = _VIEWPORT_META.sub("", element.render())
            header.add_child(Text(text), name=name)


_VIEWPORT_META = re.compile(r"<meta\s+name=[\"']viewport[\"'][^>]*>", re.IGNORECASE)


#: Where a map frame opens (Aalborg Kommune) until its first layers fit it to their data.
OPENING_BOUNDS: tuple[tuple[float, float], tuple[float, float]] = ((56.85, 9.55), (57.20, 10.35))


def frame_map(basemap: str) -> folium.Map:
    """The map's frame: Leaflet, background tiles, scale bar, Danish zoom buttons and the main
    landmark (:class:`~tryg_geo.render.map_access.MapFrameAccess`), and no data.

    The frame is the same for every view and every filter (it depends on ``basemap`` only), so
    the dashboard keeps one map component per page: ``st_folium`` keys its component by a hash
    of this script, and a filter change only replaces the layers of :func:`spec_layers`
    (``feature_group_to_add``). The map keeps the user's zoom and position; only the first
    layers a frame shows fit it to their data (:class:`FirstFit`).

    Raises
    ------
    UsageError
        When ``basemap`` is not allowed (see :func:`check_basemap`).
    """
    choice = check_basemap(basemap)
    (south, west), (north, east) = OPENING_BOUNDS
    m = ZoomableMap(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=10,
        tiles=None,
        zoom_snap=0.5,  # half zoom steps: the districts fill the map better after fitting
        zoom_control=False,  # MapFrameAccess adds one with Danish titles
    )
    m.default_js, m.default_css = offline_assets(current_url_prefix())
    m.get_root().header.add_child(Text(_MAP_CSS), name="tryg_map_css")
    MetricScale().add_to(m)
    if choice == "osm":
        folium.TileLayer(
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            attr=OSM_ATTRIBUTION,
            name="OpenStreetMap",
            max_zoom=19,
        ).add_to(m)
    elif choice != "none":
        host = html.escape(choice.split("/")[2])
        folium.TileLayer(choice, attr=f"Baggrundskort: {host}", name="Baggrundskort").add_to(m)
    MapFrameAccess().add_to(m)
    return m


# ---- geometry ----------------------------------------------------------------------------
def web_geometries(geoms: gpd.GeoSeries, tolerance: float = SIMPLIFY_TOLERANCE_M) -> np.ndarray:
    """Simplify (topology-preserving, in metres) and reproject to rounded lon/lat.

    Shared district borders stay shared: ``shapely.coverage_simplify`` (Visvalingam-Whyatt)
    simplifies each border once, removing vertices whose triangle is smaller than about
    ``tolerance``² m². Polygons that do not form a valid coverage (overlaps, borders whose
    vertices differ) are simplified one by one with Douglas-Peucker, ``preserve_topology=True``.
    Points and lines are only reprojected. Coordinates are rounded to 6 decimals (~0.1 m).
    A series without CRS is taken to be in EPSG:25832.
    """
    series = geoms.set_crs(STORE_CRS, allow_override=True) if geoms.crs is None else geoms
    metric = series.to_crs(STORE_CRS).to_numpy()
    polygonal = bool(np.isin(shapely.get_type_id(metric), (3, 6)).all())  # (Multi)Polygon
    try:
        coverage = polygonal and bool(shapely.coverage_is_valid(metric))
    except shapely.errors.GEOSException:
        coverage = False
    if coverage:
        simple = shapely.coverage_simplify(metric, tolerance)
    else:
        simple = shapely.simplify(metric, tolerance, preserve_topology=True)
    lonlat = gpd.GeoSeries(simple, crs=STORE_CRS).to_crs("EPSG:4326").to_numpy()
    return shapely.transform(lonlat, lambda xy: np.round(xy, COORD_DECIMALS))


def lonlat_geometries(geoms: gpd.GeoSeries) -> np.ndarray:
    """Geometries ready to send: as they are when already in lon/lat (the views send shapes
    simplified and rounded once per data version), else via :func:`web_geometries`.

    Reprojecting in a rerun is costly: Streamlit runs each rerun in a new thread, and PROJ
    sets itself up again in every thread (~150 ms).
    """
    if geoms.crs is not None and geoms.crs.to_epsg() == 4326:
        return geoms.to_numpy()
    return web_geometries(geoms)


def _feature_collection(geoms: np.ndarray, properties: list[dict[str, Any]]) -> dict[str, Any]:
    # GeoJSON text from GEOS in one vectorised call: per-feature mapping() in Python was the
    # largest cost of a map with thousands of grid cells.
    keep = [i for i, g in enumerate(geoms) if g is not None and not g.is_empty]
    texts = shapely.to_geojson(np.asarray([geoms[i] for i in keep], dtype=object))
    sink = _GEOMETRY_TEXTS.get()
    if sink is not None:  # PrerenderedLayers puts the text into the finished script itself
        # A running "id" lets folium's style function tell features apart.
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": i,
                    "geometry": sink.add(text, geoms[i].geom_type),
                    "properties": properties[i],
                }
                for i, text in zip(keep, texts, strict=True)
            ],
        }
    body = ",".join(
        f'{{"type":"Feature","id":{i},"geometry":{text},"properties":{json.dumps(properties[i])}}}'
        for i, text in zip(keep, texts, strict=True)
    )
    return {"type": "FeatureCollection", "features": json.loads(f"[{body}]")}


class _GeometryTexts:
    """Geometries kept as GEOS's GeoJSON text while folium renders a placeholder for each:
    parsing them into Python lists for folium to write them out again (and Jinja to read the
    result as a template) was most of the cost of a new map."""

    def __init__(self) -> None:
        self.token = f"tryg-geometry-{uuid.uuid4().hex}-"
        self.texts: list[str] = []

    def add(self, text: str, kind: str) -> dict[str, str]:
        """A placeholder geometry of type ``kind`` (folium reads the type) for ``text``."""
        self.texts.append(text)
        return {"type": kind, "coordinates": f"{self.token}{len(self.texts) - 1}"}

    def fill(self, script: str) -> str:
        """``script`` with each placeholder (as folium writes it: JSON, keys sorted) replaced
        by its geometry; raises when one is left (a folium that writes JSON otherwise)."""
        token = re.escape(self.token)
        pattern = re.compile(r'\{\s*"coordinates":\s*"' + token + r'(\d+)",\s*"type":\s*"\w+"\s*\}')
        filled = pattern.sub(lambda match: self.texts[int(match.group(1))], script)
        if self.token in filled:
            raise RuntimeError("folium wrote a map geometry in a form Tryg Geo does not know")
        return filled


_GEOMETRY_TEXTS: ContextVar[_GeometryTexts | None] = ContextVar("geometry_texts", default=None)


# ---- layers --------------------------------------------------------------------------------
def outline_layer(
    districts: gpd.GeoDataFrame | None, water: gpd.GeoDataFrame | None = None
) -> folium.FeatureGroup:
    """Thin grey district borders (and light-blue water) for orientation.

    Always drawn, so a map without background tiles is still readable. The layer carries
    geometry only (no properties) and is not interactive: clicks fall through to the
    choropleth underneath, so add it after the choropleth.
    """
    group = map_text.FeatureGroup(name="Orientering", control=False)
    if water is not None and len(water):
        water_geo = _feature_collection(lonlat_geometries(water.geometry), [{}] * len(water))
        map_text.GeoJson(
            water_geo,
            style_function=lambda _: {
                "color": palette.WATER_LINE,
                "weight": 0.5,
                "fillColor": palette.WATER_FILL,
                "fillOpacity": 0.9,
            },
            interactive=False,
            name="Vand",
        ).add_to(group)
    if districts is None or not len(districts):
        return group
    outline = _feature_collection(lonlat_geometries(districts.geometry), [{}] * len(districts))
    map_text.GeoJson(
        outline,
        style_function=lambda _: {"color": palette.OUTLINE, "weight": 1, "fill": False},
        interactive=False,
        name="Områdegrænser",
    ).add_to(group)
    return group


# ---- maps from a MapSpec (tryg_geo.views.model) ------------------------------------------------------
def spec_map(spec: Any, *, basemap: str, description: str | None = None) -> folium.Map:
    """Render a :class:`tryg_geo.views.model.MapSpec` (features already in EPSG:4326) with folium:
    the :func:`frame_map` with the :func:`spec_layers` on it.

    Raises
    ------
    UsageError
        When ``basemap`` is not allowed (see :func:`check_basemap`).
    """
    m = frame_map(basemap)
    spec_layers(spec, description=description).add_to(m)
    return m


def spec_layers(spec: Any, *, description: str | None = None) -> folium.FeatureGroup:
    """Everything a :class:`tryg_geo.views.model.MapSpec` draws on a :func:`frame_map`, in one
    group: what changes with the filters.

    Areas and cells are filled polygons, places are circles of ``radius`` pixels; the
    ``selected`` feature gets a dark border. Water, the outline (or, for areas, the features'
    own borders) and zones are drawn for orientation and are not clickable. Every feature
    carries exactly ``feature_id``, ``name``, ``label`` (HTML-escaped) and ``fill``;
    ``html.unescape(properties['feature_id'])`` gives the id back after a click. The legend
    comes and goes with the group; the first group a frame shows fits it (:class:`FirstFit`)
    to the spec's ``bounds``, or to the features, or else to the outline.

    The map's page is made accessible by :class:`MapAccess`: the main landmark's heading (the
    legend's title) and ``description`` (the text alternative, see
    :func:`tryg_geo.views.alt_text.view_map_text`), and districts and places that are reached
    with Tab and opened with Enter like a click.
    """
    group = map_text.FeatureGroup(name="Tryg Geo", control=False)
    TimingMark("tryg-map-start").add_to(group)
    FirstFit(_opening_bounds(spec)).add_to(group)
    places = spec.kind == "places"
    # Borders for orientation: the spec's outline. Areas draw their own borders (a second
    # layer of the same shapes would double the bytes sent); grid cells never get borders.
    orientation = outline_layer(spec.outline, spec.water)
    if places:
        orientation.add_to(group)
    if spec.features is not None and len(spec.features):
        spec_layer(spec).add_to(group)
    if not places:
        orientation.add_to(group)
    if spec.zones is not None and len(spec.zones):
        zones = _feature_collection(lonlat_geometries(spec.zones.geometry), [{}] * len(spec.zones))
        map_text.GeoJson(
            zones,
            style_function=lambda _: {
                "color": palette.ZONE,
                "weight": 2,
                "dashArray": "6 4",
                "fill": False,
            },
            interactive=False,
            name="Zoner",
        ).add_to(group)
    Legend(entries_html(spec.legend.title, spec.legend.entries)).add_to(group)
    MapAccess(
        f"Kort: {spec.legend.title}", description or "", keyboard=spec.kind != "cells"
    ).add_to(group)
    shown_features = len(spec.features) if spec.features is not None else 0
    DrawnMark("tryg-map-drawn", shown_features, paint=True).add_to(group)
    return group


class PrerenderedLayers:
    """A group of layers rendered to JavaScript once (folium's own rendering), to be drawn again
    and again: :meth:`group` gives a new, light :class:`folium.FeatureGroup` holding that script.

    ``st_folium`` renders the group it is given on every run; a view's group holds the GeoJSON
    of every feature (up to a few hundred kB), so the dashboard keeps this per view instead.
    """

    def __init__(
        self, layers: folium.FeatureGroup, geometries: _GeometryTexts | None = None
    ) -> None:
        # Thrown away: only the inside is kept. Our map class renders its parts as text (a
        # plain folium.Map compiles them as Jinja templates again, for every new view).
        holder = ZoomableMap(location=[0, 0], tiles=None)
        layers.add_to(holder)
        figure = holder.get_root()
        figure.render()
        own_add = layers._children.get(layers.get_name() + "_add")
        inside = {e.get_name() for e in _descendants(layers) if e is not own_add}
        #: How the script calls the group (a variable made to point at the group drawn).
        self.name = layers.get_name()
        #: The script of every layer inside the group, as folium rendered it into the page.
        self.body = "\n".join(
            element.render() for key, element in figure.script._children.items() if key in inside
        )
        if geometries is not None:
            self.body = geometries.fill(self.body)

    @classmethod
    def of_spec(cls, spec: Any, *, description: str | None = None) -> PrerenderedLayers:
        """The :func:`spec_layers` of ``spec``, rendered with their geometries written straight
        from GEOS's GeoJSON text into the script (the same numbers, a fraction of the work)."""
        geometries = _GeometryTexts()
        token = _GEOMETRY_TEXTS.set(geometries)
        try:
            layers = spec_layers(spec, description=description)
        finally:
            _GEOMETRY_TEXTS.reset(token)
        return cls(layers, geometries)

    def group(self) -> folium.FeatureGroup:
        """A new group drawing these layers (``st_folium`` changes the group it is given)."""
        group = map_text.FeatureGroup(name="Tryg Geo", control=False)
        _ScriptLayers(self).add_to(group)
        return group


def _descendants(element: Any) -> list[Any]:
    found = []
    for child in getattr(element, "_children", {}).values():
        found.append(child)
        found.extend(_descendants(child))
    return found


class _ScriptLayers(TextMacroElement):
    """The script of :class:`PrerenderedLayers`, run with its group's variable pointing at the
    group it is added to (as finished text: hundreds of kB of GeoJSON compiled as a template
    on every run cost more than the rest of the map)."""

    _template = Template(
        """{% macro script(this, kwargs) %}(function () {
        var {{ this.layers.name }} = {{ this._parent.get_name() }};
        {{ this.layers.body }}
        })();{% endmacro %}"""
    )

    def __init__(self, layers: PrerenderedLayers) -> None:
        super().__init__()
        self._name = "ScriptLayers"
        self.layers = layers


def _opening_bounds(spec: Any) -> list[list[float]]:
    """[[south, west], [north, east]] a map of ``spec`` opens on."""
    shown = [g for g in (spec.features, spec.outline) if g is not None and len(g)]
    bounds = getattr(spec, "bounds", None)
    if bounds is not None:  # the view knows where the interesting part is (lon/lat)
        return [[bounds[1], bounds[0]], [bounds[3], bounds[2]]]
    if shown:  # fit to what carries the information; the outline only when nothing else
        return _padded_latlon_bounds(shown[0])
    return [list(corner) for corner in OPENING_BOUNDS]  # nothing to show: Aalborg Kommune


def _padded_latlon_bounds(frame: gpd.GeoDataFrame, min_span_m: float = 1500.0) -> list[list[float]]:
    """[[south, west], [north, east]] of lon/lat features, widened to at least ``min_span_m``
    (a single place, say). Degrees are turned into metres by hand: no PROJ in a rerun."""
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        frame = (
            frame.to_crs("EPSG:4326")
            if frame.crs is not None
            else frame.set_crs(STORE_CRS).to_crs("EPSG:4326")
        )
    west, south, east, north = (float(v) for v in frame.total_bounds)
    metres_per_degree_lat = 111_320.0
    metres_per_degree_lon = metres_per_degree_lat * math.cos(math.radians((south + north) / 2))
    pad_lat = max(0.0, (min_span_m / metres_per_degree_lat - (north - south)) / 2)
    pad_lon = max(0.0, (min_span_m / metres_per_degree_lon - (east - west)) / 2)
    return [[south - pad_lat, west - pad_lon], [north + pad_lat, east + pad_lon]]


def spec_layer(spec: Any) -> folium.GeoJson:
    """The clickable layer of a MapSpec: polygons, or circles for ``kind='places'``."""
    features = spec.features
    if features.crs is None:
        features = features.set_crs("EPSG:4326")
    if "radius" in features:  # big circles first, so small ones stay visible and clickable
        features = features.sort_values("radius", ascending=False, kind="stable")
    selected = html.escape(str(spec.selected)) if spec.selected is not None else None
    escaped = {
        k: [html.escape(str(v)) for v in features[k]] for k in ("feature_id", "name", "label")
    }
    radii = features["radius"].astype(float).tolist() if "radius" in features else None
    props = [
        {"feature_id": fid, "name": name, "label": label, "fill": str(colour)}
        | ({"radius": radii[i]} if radii is not None else {})
        for i, (fid, name, label, colour) in enumerate(
            zip(
                escaped["feature_id"],
                escaped["name"],
                escaped["label"],
                features["color"],
                strict=True,
            )
        )
    ]
    data = _feature_collection(lonlat_geometries(features.geometry), props)
    noun = "Sted" if spec.kind == "places" else "Område"

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        p = feature["properties"]
        chosen = p["feature_id"] == selected
        # Grid cells are small: a border in their own colour keeps them visible when zoomed
        # out (a dark one would hide the colour).
        cells = spec.kind == "cells"
        edge = p["fill"] if cells else palette.EDGE
        out = {
            "fill": True,  # folium's CircleMarker defaults to no fill
            "fillColor": p["fill"],
            "fillOpacity": 0.85 if spec.kind == "places" else 0.75,
            "color": palette.CHOSEN if chosen else edge,
            "weight": 3 if chosen else 1.5 if cells else 0.8,
        }
        if p["fill"] == palette.NO_DATA:  # told apart from the lightest class by more than colour
            out |= {"dashArray": "4 3", "color": palette.EDGE, "weight": max(out["weight"], 1.2)}
        return out | ({"radius": p["radius"]} if "radius" in p else {})

    return map_text.GeoJson(
        data,
        name=spec.legend.title,
        style_function=style,
        highlight_function=lambda _: {"weight": 3, "color": palette.HOVER},
        tooltip=map_text.GeoJsonTooltip(
            fields=["name", "label"], aliases=[noun, html.escape(spec.legend.title)], sticky=True
        ),
        marker=folium.CircleMarker() if spec.kind == "places" else None,
    )
