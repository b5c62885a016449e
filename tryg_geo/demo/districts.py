"""Demo districts: real Aalborg names at their approximate centres, Voronoi-cell shapes clipped to
the kommune and the Limfjord.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..store.schema import STORE_CRS
from .common import to_utm


@dataclass(frozen=True)
class DemoDistrict:
    """One demo district: real name, approximate real centre, invented population.

    ``kind`` drives where crime happens: centre (shops, nightlife), city (dense housing), villa
    (detached houses, burglary), social (social housing, lower tryghed), uni (students), town
    (a village or small town with its countryside). ``spread`` is the standard deviation in
    metres of incident positions around the centre.
    """

    district_id: str
    name: str
    lat: float
    lon: float
    population: int
    kind: str
    spread: float
    shopping: bool = False


DISTRICTS: tuple[DemoDistrict, ...] = (
    # South of the Limfjord: Aalborg itself and the southern towns.
    DemoDistrict("aalborg-midtby", "Aalborg Midtby", 57.047, 9.921, 12_500, "centre", 420, True),
    DemoDistrict("vestbyen", "Vestbyen", 57.049, 9.902, 11_000, "city", 450),
    DemoDistrict("kaerby", "Kærby", 57.035, 9.909, 6_500, "city", 450),
    DemoDistrict("groenlandskvarteret", "Grønlandskvarteret", 57.033, 9.922, 4_500, "city", 350),
    DemoDistrict("hasseris", "Hasseris", 57.039, 9.885, 11_500, "villa", 600),
    DemoDistrict("moelholm", "Mølholm", 57.045, 9.877, 6_000, "villa", 450),
    DemoDistrict("sofiendal", "Sofiendal", 57.026, 9.876, 4_000, "villa", 500),
    DemoDistrict("skalborg", "Skalborg", 57.016, 9.885, 8_000, "city", 600, True),
    DemoDistrict("vejgaard", "Vejgaard", 57.044, 9.947, 14_800, "city", 600),
    DemoDistrict("noerre-tranders", "Nørre Tranders", 57.040, 9.963, 7_500, "villa", 500),
    DemoDistrict("smedegaard", "Smedegård", 57.039, 9.976, 4_500, "city", 400),
    DemoDistrict("tornhoej", "Tornhøj", 57.030, 9.974, 4_000, "social", 400, True),
    DemoDistrict("universitetsomraadet", "Universitetsområdet", 57.016, 9.978, 6_500, "uni", 600),
    DemoDistrict("gug", "Gug", 57.013, 9.933, 8_500, "villa", 700),
    DemoDistrict("gistrup", "Gistrup", 56.991, 10.014, 6_600, "villa", 800),
    DemoDistrict("klarup", "Klarup", 57.010, 10.050, 6_000, "villa", 800),
    DemoDistrict("aalborg-oest", "Aalborg Øst", 57.036, 10.008, 9_500, "social", 600),
    DemoDistrict("svenstrup", "Svenstrup", 56.975, 9.853, 8_700, "town", 900),
    DemoDistrict("frejlev", "Frejlev", 57.005, 9.820, 3_800, "town", 900),
    DemoDistrict("nibe", "Nibe", 56.983, 9.639, 8_000, "town", 1_200),
    DemoDistrict("storvorde", "Storvorde", 57.003, 10.100, 5_000, "town", 1_000),
    DemoDistrict("hou", "Hou", 56.915, 10.253, 2_000, "town", 1_200),
    # North of the Limfjord: Nørresundby and the northern towns.
    DemoDistrict("noerresundby-midtby", "Nørresundby Midtby", 57.058, 9.925, 11_000, "city", 450),
    DemoDistrict("loevvangen", "Løvvangen", 57.070, 9.929, 6_500, "social", 400),
    DemoDistrict("lindholm", "Lindholm", 57.071, 9.894, 9_000, "city", 600),
    DemoDistrict("noerre-uttrup", "Nørre Uttrup", 57.075, 9.943, 7_500, "villa", 600),
    DemoDistrict("vodskov", "Vodskov", 57.104, 10.025, 6_600, "town", 1_000),
    DemoDistrict("vestbjerg", "Vestbjerg", 57.127, 9.957, 4_300, "town", 900),
    DemoDistrict("vadum", "Vadum", 57.117, 9.857, 4_900, "town", 900),
    DemoDistrict("sulsted", "Sulsted", 57.163, 9.978, 2_800, "town", 900),
    DemoDistrict("vester-hassing", "Vester Hassing", 57.067, 10.125, 4_000, "town", 1_000),
    DemoDistrict("hals", "Hals", 57.002, 10.310, 6_600, "town", 900),
)

#: A coarse outline of Aalborg Kommune (lon, lat), ≈ 1 100 km² like the real one.
_KOMMUNE_LONLAT: tuple[tuple[float, float], ...] = (
    (9.560, 56.990),
    (9.600, 56.935),
    (9.720, 56.905),
    (9.880, 56.885),
    (10.030, 56.880),
    (10.180, 56.865),
    (10.300, 56.880),
    (10.345, 56.950),
    (10.345, 57.010),
    (10.260, 57.070),
    (10.130, 57.120),
    (10.040, 57.180),
    (9.950, 57.205),
    (9.860, 57.175),
    (9.780, 57.120),
    (9.700, 57.080),
    (9.580, 57.045),
)

#: The Limfjord's centre line (lon, lat) and half its width in metres at each point: wide in
#: the west (Nibe Bredning), a few hundred metres between Aalborg and Nørresundby, narrow again
#: at the mouth by Hals. It runs past both ends of the outline so it cuts the kommune in two.
_FJORD_LINE: tuple[tuple[float, float, float], ...] = (
    (9.450, 57.020, 2_600),
    (9.640, 57.016, 1_500),
    (9.750, 57.040, 1_200),
    (9.830, 57.058, 600),
    (9.880, 57.058, 300),
    (9.920, 57.0545, 180),
    (9.960, 57.0550, 250),
    (10.000, 57.0600, 380),
    (10.050, 57.0630, 450),
    (10.120, 57.0450, 600),
    (10.200, 57.0250, 600),
    (10.270, 57.0000, 400),
    (10.310, 56.9900, 300),
    (10.450, 56.9850, 2_000),
)

_TOP = 57.5  # north edge of the "north of the fjord" half plane, far beyond the kommune


def kommune_outline() -> shapely.Polygon:
    """The coarse kommune outline in EPSG:25832."""
    lon, lat = np.array(_KOMMUNE_LONLAT).T
    x, y = to_utm(lon, lat)
    return shapely.Polygon(np.column_stack([x, y]))


def fjord_edges() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centre line, north bank and south bank of the Limfjord as (k, 2) arrays in metres."""
    lon, lat, half = np.array(_FJORD_LINE).T
    x, y = to_utm(lon, lat)
    centre = np.column_stack([x, y])
    # Offsets straight north/south keep the banks simple and never cross for a west-east band.
    north = centre + np.column_stack([np.zeros_like(half), half])
    south = centre - np.column_stack([np.zeros_like(half), half])
    return centre, north, south


def limfjord() -> shapely.Polygon:
    """The simplified Limfjord polygon in EPSG:25832."""
    _, north, south = fjord_edges()
    return shapely.Polygon(np.vstack([north, south[::-1]]))


def _north_of_fjord() -> shapely.Polygon:
    """Everything north of the fjord's centre line (a half plane cut off far away)."""
    centre, _, _ = fjord_edges()
    _, top = to_utm(centre[:, 0] * 0 + 10.0, np.full(len(centre), _TOP))
    corners = np.array([[centre[-1, 0], top[0]], [centre[0, 0], top[0]]])
    return shapely.Polygon(np.vstack([centre, corners]))


def _voronoi_cells(points: np.ndarray, land: shapely.Geometry) -> list[shapely.Geometry]:
    """Voronoi cell of every point (in input order), clipped to ``land``."""
    if len(points) == 1:
        return [land]
    cells = shapely.voronoi_polygons(
        shapely.multipoints(points), extend_to=shapely.envelope(land).buffer(10_000), ordered=True
    )
    return [shapely.intersection(cell, land) for cell in shapely.get_parts(cells)]


def _as_multipolygon(geometry: shapely.Geometry) -> shapely.MultiPolygon:
    """Keep only the polygon parts (clipping can leave lines or points on shared edges)."""
    parts = shapely.get_parts(shapely.make_valid(geometry))
    polygons = [p for p in parts if p.geom_type == "Polygon" and p.area > 1.0]
    return shapely.MultiPolygon(polygons)


def make_districts() -> gpd.GeoDataFrame:
    """The demo districts as stored: id, name, population and a MultiPolygon in EPSG:25832.

    Districts north of the fjord share the land north of it and those south of it the land
    south of it, so no district reaches across the water and together they tile the kommune.
    """
    land = shapely.difference(kommune_outline(), limfjord())
    north_half = _north_of_fjord()
    sides = {True: shapely.intersection(land, north_half), False: land.difference(north_half)}
    x, y = to_utm([d.lon for d in DISTRICTS], [d.lat for d in DISTRICTS])
    is_north = shapely.contains_xy(north_half, x, y)
    geometry: list[shapely.Geometry | None] = [None] * len(DISTRICTS)
    for side, side_land in sides.items():
        members = np.flatnonzero(is_north == side)
        cells = _voronoi_cells(np.column_stack([x[members], y[members]]), side_land)
        for index, cell in zip(members, cells, strict=True):
            geometry[index] = _as_multipolygon(cell)
    return gpd.GeoDataFrame(
        {
            "district_id": [d.district_id for d in DISTRICTS],
            "name": [d.name for d in DISTRICTS],
            "population": pd.array([d.population for d in DISTRICTS], dtype="Int64"),
        },
        geometry=geometry,
        crs=STORE_CRS,
    )
