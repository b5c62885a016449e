"""Demodata: a realistic, fully synthetic Aalborg to show and test the dashboard without real data.

Everything here is invented. The districts carry real Aalborg names at their approximate real
centres, but their shapes are Voronoi cells, their populations are rounded guesses and every
incident and measurement is drawn from a random generator. The store marks each kind as demo
data and every report carries the warning "Demodata", so no view can pass them off as real.

The output depends only on ``seed`` (``numpy.random.default_rng``); "now" is pinned to the end
of 2025, so two runs with the same seed write identical tables.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from ..compute.registry import Indicator, all_indicators
from ..geo.enrich import enrich_incidents, outside_count
from ..ingest.parse import parse_periods
from ..ingest.result import LoadResult
from ..store.folder import Store
from ..store.schema import COLUMNS, REJECTED_COLUMNS, STORE_CRS

DEFAULT_SEED = 20180530  # Tryg Aalborg was founded on 30 May 2018
DEMO_WARNING = "Demodata"
FIRST_DAY = "2015-01-01"
LAST_DAY = "2025-12-31"  # "now" for the demo: nothing is later than the end of 2025
SURVEY_YEARS = range(2015, 2026)
#: Initiative numbers start after Tryg Aalborg was founded (May 2018).
ACTIVITY_START = pd.Timestamp("2018-07-01")
SOURCE = "Nordjyllands Politi"

_TO_UTM = Transformer.from_crs("EPSG:4326", STORE_CRS, always_xy=True)


def to_utm(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """Lon/lat (WGS84 degrees) to EPSG:25832 metres."""
    x, y = _TO_UTM.transform(np.asarray(lon, dtype="float64"), np.asarray(lat, dtype="float64"))
    return np.asarray(x), np.asarray(y)


# ---- the districts ---------------------------------------------------------------------------


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


def _fjord_edges() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
    _, north, south = _fjord_edges()
    return shapely.Polygon(np.vstack([north, south[::-1]]))


def _north_of_fjord() -> shapely.Polygon:
    """Everything north of the fjord's centre line (a half plane cut off far away)."""
    centre, _, _ = _fjord_edges()
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


# ---- the places ------------------------------------------------------------------------------

#: Small squares and parks: (place_id, name, kind, lon, lat, width m, height m).
_SMALL_PLACES: tuple[tuple[str, str, str, float, float, float, float], ...] = (
    ("nytorv", "Nytorv", "torv", 9.9214, 57.0486, 70, 45),
    ("gammeltorv", "Gammeltorv", "torv", 9.9180, 57.0494, 55, 40),
    ("cw-obels-plads", "C.W. Obels Plads", "plads", 9.9197, 57.0477, 50, 40),
    ("jf-kennedys-plads", "J.F. Kennedys Plads", "plads", 9.9177, 57.0429, 90, 60),
    ("kildeparken", "Kildeparken", "park", 9.9140, 57.0443, 300, 200),
)
#: The nattelivszone around Jomfru Ane Gade: centre and size in metres (the street runs E-W).
JOMFRU_ANE_GADE = (9.9182, 57.0510)
_ZONE_SIZE = (340.0, 160.0)
#: The southern quay (Havnefronten) from Vestbyen to the east harbour, just inside the bank.
_QUAY_LON = (9.900, 9.950)
_QUAY_SETBACK, _QUAY_HALF_WIDTH = 45.0, 30.0


def _box_around(lon: float, lat: float, width: float, height: float) -> shapely.Polygon:
    x, y = to_utm(lon, lat)
    return shapely.box(x - width / 2, y - height / 2, x + width / 2, y + height / 2)


def havnefront_line() -> shapely.LineString:
    """The southern quay as a line a little south of the fjord's south bank (EPSG:25832)."""
    _, _, south = _fjord_edges()
    x0, x1 = to_utm(np.array(_QUAY_LON), np.array([57.05, 57.05]))[0]
    x = np.linspace(x0, x1, 26)
    # The bank is piecewise linear in x, so interpolating its vertices follows it exactly.
    y = np.interp(x, south[:, 0], south[:, 1]) - _QUAY_SETBACK
    return shapely.LineString(np.column_stack([x, y]))


def make_places() -> gpd.GeoDataFrame:
    """The demo places as stored: place_id, name, kind and a polygon in EPSG:25832."""
    rows = [
        (pid, name, kind, _box_around(lon, lat, w, h))
        for pid, name, kind, lon, lat, w, h in _SMALL_PLACES
    ]
    rows.append(
        (
            "jomfru-ane-gade",
            "Jomfru Ane Gade nattelivszone",
            "nattelivszone",
            _box_around(*JOMFRU_ANE_GADE, *_ZONE_SIZE),
        )
    )
    quay = shapely.buffer(havnefront_line(), _QUAY_HALF_WIDTH, cap_style="flat")
    rows.append(("havnefronten", "Havnefronten", "havnefront", quay))
    # The fjord is drawn for orientation when there is no basemap; only the part near the kommune.
    frame = shapely.envelope(kommune_outline()).buffer(3_000)
    rows.append(("limfjorden", "Limfjorden", "vand", shapely.intersection(limfjord(), frame)))
    ids, names, kinds, geometry = zip(*rows, strict=True)
    return gpd.GeoDataFrame(
        {"place_id": list(ids), "name": list(names), "kind": list(kinds)},
        geometry=list(geometry),
        crs=STORE_CRS,
    )


# ---- the incidents ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Category:
    """How one incident category behaves in the demo.

    share: part of all incidents; trend: yearly factor (0.97 = 3 % fewer each year);
    season: a key of _seasons() (month weights); profile: a key of _hour_profiles();
    zone: how likely a Friday/Saturday-night incident of this category is to happen inside the
    nattelivszone; place_factor: district kind -> weight on top of population.
    """

    name: str
    share: float
    trend: float
    season: str
    profile: str
    zone: float
    place_factor: dict[str, float]


_NIGHT_PLACES = {"centre": 3.0, "city": 1.0, "social": 1.6, "uni": 1.2, "villa": 0.5, "town": 0.7}
_HOME_PLACES = {"centre": 0.4, "city": 0.9, "social": 0.8, "uni": 0.6, "villa": 2.0, "town": 1.4}
_SHOP_PLACES = {"centre": 2.0, "city": 0.6, "social": 0.8, "uni": 0.6, "villa": 0.3, "town": 0.5}
_SHOPPING_BOOST = 2.5  # districts with a shopping centre (Midtby, City Syd, Aalborg Storcenter)
_EVEN = {"centre": 1.5, "city": 1.0, "social": 1.3, "uni": 1.0, "villa": 0.8, "town": 0.8}

CATEGORIES: tuple[_Category, ...] = (
    _Category("vold", 0.10, 1.000, "summer_december", "nightlife", 0.85, _NIGHT_PLACES),
    _Category("trusler", 0.06, 1.020, "flat", "evening", 0.35, _NIGHT_PLACES),
    _Category("indbrud i beboelse", 0.10, 0.970, "dark", "daytime", 0.0, _HOME_PLACES),
    _Category("tyveri", 0.29, 0.980, "december", "shops", 0.04, _SHOP_PLACES),
    _Category("tyveri fra bil", 0.09, 0.950, "dark", "night", 0.0, _EVEN),
    _Category("hærværk", 0.12, 0.990, "summer_december", "nightlife", 0.35, _NIGHT_PLACES),
    _Category("røveri", 0.015, 0.960, "dark", "evening", 0.25, _NIGHT_PLACES),
    _Category("narkotika", 0.09, 1.050, "summer_december", "nightlife", 0.45, _NIGHT_PLACES),
    _Category(
        "ordensforstyrrelse", 0.085, 1.010, "summer_december", "nightlife", 0.70, _NIGHT_PLACES
    ),
    _Category("brandstiftelse", 0.02, 1.000, "flat", "evening", 0.0, _EVEN),
)

#: Share of incidents placed outside every district: in the fjord or beyond the kommune.
OUTSIDE_SHARE = 0.002
#: Points just beyond the kommune (lon, lat): Brønderslev, Skørping, Aars, Hadsund-vejen.
_BEYOND = ((9.94, 57.27), (9.89, 56.83), (9.52, 56.80), (10.20, 56.80))
#: Months when nightlife was shut or limited by covid-19 restrictions (year, month).
_LOCKDOWN = {(2020, m) for m in (3, 4, 5, 12)} | {(2021, m) for m in (1, 2, 3, 4, 5)}


def _friday_saturday_nights() -> np.ndarray:
    """(7, 24) weight of the nightlife peak: Friday and Saturday nights, 00-04 highest.

    The hours after midnight belong to the weekday they fall on, so Friday night peaks on
    Saturday 00-04 and Saturday night on Sunday 00-04. Thursday is Aalborg's student night.
    """
    night = np.zeros((7, 24))
    for evening, morning, weight in ((4, 5, 1.0), (5, 6, 1.0), (3, 4, 0.3)):
        night[evening, 22:24] = [0.35 * weight, 0.6 * weight]
        night[morning, 0:4] = weight
        night[morning, 4:6] = [0.5 * weight, 0.2 * weight]
    return night


def _hour_profiles() -> dict[str, np.ndarray]:
    """(7, 24) hour-of-week weights per profile name (row 0 = Monday)."""
    hours = np.arange(24)
    weekday = np.array([1.0, 1.0, 1.0, 1.0, 1.05, 0.95, 0.8])
    late = ((hours >= 22) | (hours < 6)).astype(float)
    evening = np.exp(-0.5 * ((hours - 20) / 3.5) ** 2) + 0.15
    daytime = np.exp(-0.5 * ((hours - 13) / 3.0) ** 2) + 0.06
    shops = np.where(
        (hours >= 10) & (hours < 18), 1.0, np.where((hours >= 8) & (hours < 20), 0.4, 0.04)
    )
    nights = _friday_saturday_nights()
    open_days = np.array([1.0, 1.0, 1.0, 1.0, 1.2, 1.3, 0.6])  # Sundays: fewer shops open
    return {
        "nightlife": np.outer(weekday, 0.3 * evening + 0.3 * late) + 3.0 * nights,
        "evening": np.outer(weekday, evening + 0.2 * late) + 0.4 * nights,
        "daytime": np.outer(np.array([1, 1, 1, 1, 1, 0.8, 0.7]), daytime),
        "shops": np.outer(open_days, shops),
        "night": np.outer(weekday, 0.2 + late),
    }


def _seasons() -> dict[str, np.ndarray]:
    """Month weights (12,) per season name."""
    month = np.arange(12)
    dark = 1 + 0.3 * np.cos(2 * np.pi * (month - 0.5) / 12)  # Dec-Jan high, Jun-Jul low
    summer = 1 + 0.15 * np.cos(2 * np.pi * (month - 6) / 12)
    december = np.ones(12)
    december[11] = 1.25
    return {
        "flat": np.ones(12),
        "dark": dark,
        "december": december,
        "summer_december": summer * december,
    }


@dataclass(frozen=True)
class _Calendar:
    """Every day of the demo period with the attributes the weights need."""

    days: np.ndarray  # datetime64[D]
    year: np.ndarray  # years since 2015
    month: np.ndarray  # 0-11
    weekday: np.ndarray  # 0 = Monday
    dst_gap: np.ndarray  # the spring-forward Sunday: 02:00-03:00 does not exist
    lockdown: np.ndarray


def _calendar() -> _Calendar:
    index = pd.date_range(FIRST_DAY, LAST_DAY, freq="D")
    month = index.month.to_numpy()
    weekday = index.day_of_week.to_numpy()
    last_sunday_of_march = (month == 3) & (weekday == 6) & (index.day.to_numpy() >= 25)
    lockdown = np.array([(y, m) in _LOCKDOWN for y, m in zip(index.year, month, strict=True)])
    return _Calendar(
        days=index.to_numpy().astype("datetime64[D]"),
        year=index.year.to_numpy() - index.year[0],
        month=month - 1,
        weekday=weekday,
        dst_gap=last_sunday_of_march,
        lockdown=lockdown,
    )


def _sample_times(
    rng: np.random.Generator, category: _Category, count: int, cal: _Calendar
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``count`` (day index, hour) pairs from the category's calendar weights.

    One weight per (day, hour) cell -- trend x season x hour-of-week -- and one inverse-CDF
    lookup for all incidents at once, so a million draws cost one ``searchsorted``.
    """
    day_weight = category.trend**cal.year * _seasons()[category.season][cal.month]
    if category.zone > 0:  # nightlife categories fell while bars were closed
        day_weight = day_weight * np.where(cal.lockdown, 0.75, 1.0)
    weights = day_weight[:, None] * _hour_profiles()[category.profile][cal.weekday]
    cdf = np.cumsum(weights.ravel())
    cell = np.searchsorted(cdf, rng.random(count) * cdf[-1], side="right")
    day, hour = np.divmod(cell, 24)
    hour = np.where(cal.dst_gap[day] & (hour == 2), 3, hour)
    return day, hour


@dataclass(frozen=True)
class _Geography:
    """Where incidents can happen, precomputed once per run."""

    x: np.ndarray  # district centres
    y: np.ndarray
    spread: np.ndarray
    population: np.ndarray
    kinds: np.ndarray
    shopping: np.ndarray
    land: shapely.Geometry  # union of the districts, prepared for fast point tests
    zone: tuple[float, float]  # Jomfru Ane Gade
    quay: shapely.LineString


def _spread(districts: gpd.GeoDataFrame) -> np.ndarray:
    """Scatter around each centre: the district's own, but at most a quarter of the cell's size.

    In the dense city the Voronoi cells are 1-3 km² and a wide scatter would put a district's
    incidents in its neighbours; out in the towns the cell is mostly fields and the town sets it.
    """
    area = districts.set_index("district_id").area.reindex([d.district_id for d in DISTRICTS])
    own = np.array([d.spread for d in DISTRICTS], dtype="float64")
    return np.minimum(own, 0.25 * np.sqrt(area.to_numpy()))


def _geography(districts: gpd.GeoDataFrame) -> _Geography:
    x, y = to_utm([d.lon for d in DISTRICTS], [d.lat for d in DISTRICTS])
    land = shapely.union_all(districts.geometry.to_numpy())
    shapely.prepare(land)
    zx, zy = to_utm(*JOMFRU_ANE_GADE)
    return _Geography(
        x=x,
        y=y,
        spread=_spread(districts),
        population=np.array([d.population for d in DISTRICTS], dtype="float64"),
        kinds=np.array([d.kind for d in DISTRICTS]),
        shopping=np.array([d.shopping for d in DISTRICTS]),
        land=land,
        zone=(float(zx), float(zy)),
        quay=havnefront_line(),
    )


def _zone_time() -> np.ndarray:
    """(7, 24) chance factor that a nightlife incident happens in the nattelivszone."""
    late = np.zeros(24)
    late[np.r_[0:6, 22:24]] = 0.25
    return np.clip(np.maximum(_friday_saturday_nights(), late[None, :]), 0.04, 1.0)


def _where_kind(
    rng: np.random.Generator, category: _Category, day: np.ndarray, hour: np.ndarray, cal: _Calendar
) -> np.ndarray:
    """0 = somewhere in a district, 1 = nattelivszone, 2 = Havnefronten, per incident."""
    weekday = cal.weekday[day]
    p_zone = category.zone * _zone_time()[weekday, hour] * np.where(cal.lockdown[day], 0.2, 1.0)
    # The quay draws crowds on summer evenings (May-August).
    summer = np.where((cal.month[day] >= 4) & (cal.month[day] <= 7), 1.0, 0.2)
    evening = np.where((hour >= 16) | (hour <= 2), 1.0, 0.2)
    p_quay = 0.12 * (category.zone > 0) * summer * evening
    u = rng.random(len(day))
    return np.where(u < p_zone, 1, np.where(u < p_zone + p_quay, 2, 0)).astype(np.int8)


def _district_points(
    rng: np.random.Generator, category: _Category, count: int, geo: _Geography
) -> tuple[np.ndarray, np.ndarray]:
    """Points around district centres, weighted by population and the category's taste."""
    factor = np.array([category.place_factor[k] for k in geo.kinds])
    if category.profile == "shops":  # shoplifting follows the shopping centres
        factor = factor * np.where(geo.shopping, _SHOPPING_BOOST, 1.0)
    weights = geo.population * factor
    index = rng.choice(len(weights), size=count, p=weights / weights.sum())
    x = geo.x[index] + rng.normal(0.0, 1.0, count) * geo.spread[index]
    y = geo.y[index] + rng.normal(0.0, 1.0, count) * geo.spread[index]
    # A point that landed in the fjord or beyond the kommune is drawn again (a few rounds, then
    # the centre): only the deliberate outside share may end up outside every district.
    todo = np.arange(count)
    for _ in range(6):
        todo = todo[~shapely.contains_xy(geo.land, x[todo], y[todo])]
        if len(todo) == 0:
            break
        x[todo] = geo.x[index[todo]] + rng.normal(0.0, 1.0, len(todo)) * geo.spread[index[todo]]
        y[todo] = geo.y[index[todo]] + rng.normal(0.0, 1.0, len(todo)) * geo.spread[index[todo]]
    todo = todo[~shapely.contains_xy(geo.land, x[todo], y[todo])]
    x[todo], y[todo] = geo.x[index[todo]], geo.y[index[todo]]
    return x, y


def _zone_points(
    rng: np.random.Generator, count: int, geo: _Geography
) -> tuple[np.ndarray, np.ndarray]:
    """A tight cluster along Jomfru Ane Gade (east-west), most inside the zone polygon."""
    return geo.zone[0] + rng.normal(0, 95, count), geo.zone[1] + rng.normal(0, 38, count)


def _quay_points(
    rng: np.random.Generator, count: int, geo: _Geography
) -> tuple[np.ndarray, np.ndarray]:
    """Points along the southern quay, within a few metres of the line."""
    points = shapely.line_interpolate_point(geo.quay, rng.random(count), normalized=True)
    x, y = shapely.get_x(points), shapely.get_y(points)
    return x, y + rng.normal(0, 12, count)


def _outside_points(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Points in no district: half on the fjord by the city, half just beyond the kommune."""
    centre, north, _ = _fjord_edges()
    in_fjord = count // 2
    x0, x1 = to_utm(np.array([9.80, 10.10]), np.array([57.05, 57.05]))[0]
    fx = rng.uniform(x0, x1, in_fjord)
    half = np.interp(fx, north[:, 0], north[:, 1]) - np.interp(fx, centre[:, 0], centre[:, 1])
    fy = np.interp(fx, centre[:, 0], centre[:, 1]) + rng.uniform(-0.6, 0.6, in_fjord) * half
    bx, by = to_utm(*np.array(_BEYOND).T)
    anchor = rng.integers(0, len(_BEYOND), count - in_fjord)
    ax = bx[anchor] + rng.normal(0, 1_500, len(anchor))
    ay = by[anchor] + rng.normal(0, 1_500, len(anchor))
    return np.concatenate([fx, ax]), np.concatenate([fy, ay])


def _category_incidents(
    rng: np.random.Generator, category: _Category, count: int, cal: _Calendar, geo: _Geography
) -> dict[str, np.ndarray]:
    """Times, positions and where-kind of ``count`` incidents of one category."""
    day, hour = _sample_times(rng, category, count, cal)
    where = _where_kind(rng, category, day, hour, cal)
    x = np.empty(count)
    y = np.empty(count)
    for kind, make in ((1, _zone_points), (2, _quay_points)):
        mask = where == kind
        x[mask], y[mask] = make(rng, int(mask.sum()), geo)
    mask = where == 0
    x[mask], y[mask] = _district_points(rng, category, int(mask.sum()), geo)
    seconds = cal.days[day].astype("datetime64[s]") + (
        hour.astype(np.int64) * 3600 + rng.integers(0, 3600, count)
    ).astype("timedelta64[s]")
    return {"time": seconds, "x": x, "y": y, "where": where}


def _initiative_tags(
    rng: np.random.Generator, where: np.ndarray, time: np.ndarray, slugs: set[str]
) -> np.ndarray:
    """Mark a few zone and quay incidents as registered under the initiative working there."""
    tags = np.full(len(where), None, dtype=object)
    started = time >= np.datetime64(ACTIVITY_START)
    tagged = started & (rng.random(len(where)) < 0.15)
    for kind, slug in ((1, "et-trygt-natteliv"), (2, "sikkerhed-paa-havnefronten")):
        if slug in slugs:
            tags[tagged & (where == kind)] = slug
    return tags


def make_incidents(
    districts: gpd.GeoDataFrame,
    *,
    count: int = 200_000,
    rng: np.random.Generator,
    initiative_slugs: set[str] | None = None,
) -> pd.DataFrame:
    """Synthetic police incidents 2015-2025, enriched to the store's incident columns.

    Parameters
    ----------
    districts : the demo districts (for the land the points fall on and for enrichment).
    count : number of incidents.
    rng : the generator; all randomness comes from it.
    initiative_slugs : slugs that may appear in the ``initiative`` column.

    Returns
    -------
    pandas.DataFrame
        The store's incident columns, sorted by time, ids ``D0000001`` upwards.
    """
    cal = _calendar()
    geo = _geography(districts)
    shares = np.array([c.share for c in CATEGORIES])
    counts = rng.multinomial(count, shares / shares.sum())
    parts = [
        _category_incidents(rng, category, int(k), cal, geo)
        for category, k in zip(CATEGORIES, counts, strict=True)
    ]
    time = np.concatenate([p["time"] for p in parts]).astype("datetime64[us]")
    x = np.concatenate([p["x"] for p in parts])
    y = np.concatenate([p["y"] for p in parts])
    where = np.concatenate([p["where"] for p in parts])
    del parts  # the concatenated copies are all that is needed from here on
    codes = np.repeat(np.arange(len(CATEGORIES), dtype=np.int8), counts)
    # A small fixed share lies in no district, so "outside" is never zero in the demo.
    outside = rng.choice(
        count, size=min(count, max(1, round(count * OUTSIDE_SHARE))), replace=False
    )
    x[outside], y[outside] = _outside_points(rng, len(outside))
    where[outside] = 0
    tags = _initiative_tags(rng, where, time, initiative_slugs or set())
    order = np.argsort(time, kind="stable")
    ids = "D" + pd.Series(np.arange(1, count + 1)).astype(str).str.zfill(7)
    frame = pd.DataFrame(
        {
            "incident_id": ids,  # a str Series: no million Python strings
            "time": time[order],
            "category": pd.Categorical.from_codes(codes[order], [c.name for c in CATEGORIES]),
            "x": x[order],
            "y": y[order],
            "source": pd.Categorical.from_codes(np.zeros(count, dtype=np.int8), [SOURCE]),
            "initiative": tags[order],
        }
    )
    return enrich_incidents(frame, districts)


# ---- the measurements ------------------------------------------------------------------------

#: The two core questions of Tryghedsundersøgelsen, asked every year in every district; the
#: value is how far below tryghed the share usually lies.
SURVEY_INDICATORS: dict[str, float] = {"tryg_andel": 0.0, "tillid_politi_andel": -0.02}
#: Typical share of trygge by district kind around 2015 (Løvvangen measured 82,5 % in 2014).
_SURVEY_BASE = {
    "centre": 0.85,
    "city": 0.875,
    "villa": 0.915,
    "town": 0.905,
    "uni": 0.865,
    "social": 0.835,
}
_SURVEY_OVERRIDE = {"loevvangen": 0.823}
#: Respondents per inhabitant in a district survey (Vejgaard: ≈ 330 answers).
_RESPONDENTS_PER_PERSON = 1 / 45
_KOMMUNE_RESPONDENTS = (1_350, 1_650)

#: How often each unit is reported: shares and scores yearly, people quarterly, activity monthly.
_FREQUENCY = {
    "andel": "year",
    "score": "year",
    "pr_1000": "year",
    "personer": "quarter",
    "antal": "month",
    "timer": "month",
}
#: Typical kommune-level value per (unit, frequency) when the registry gives no target.
_LEVELS: dict[tuple[str, str], tuple[float, float]] = {
    ("andel", "year"): (0.35, 0.75),
    ("score", "year"): (50.0, 70.0),
    ("pr_1000", "year"): (2.0, 15.0),
    ("personer", "quarter"): (20.0, 250.0),
    ("antal", "month"): (3.0, 40.0),
    ("timer", "month"): (80.0, 400.0),
    ("personer", "month"): (5.0, 60.0),
    ("andel", "month"): (0.3, 0.7),
    ("score", "month"): (40.0, 70.0),
    ("pr_1000", "month"): (0.5, 5.0),
    # Observations at one place are smaller: complaints, rescues, people counted on a round.
    ("antal", "place"): (1.0, 10.0),
    ("personer", "place"): (5.0, 40.0),
    ("timer", "place"): (10.0, 60.0),
}
_COUNT_UNITS = ("antal", "personer", "timer")


def _rng_for(seed: int, name: str) -> np.random.Generator:
    """A generator per indicator, so adding one to the registry leaves the others unchanged."""
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def _survey_frame(seed: int, name: str, offset: float) -> pd.DataFrame:
    """Yearly survey shares per district (n ≈ population / 45) and for the kommune (n ≈ 1 500).

    True shares drift slowly upwards; the stored value is a binomial draw, so small districts
    jump around and some years fall below 30 answers (the dashboard's small-n flag).
    """
    rng = _rng_for(seed, name)
    years = np.array(SURVEY_YEARS)
    elapsed = years - years[0]
    base = np.array([_SURVEY_OVERRIDE.get(d.district_id, _SURVEY_BASE[d.kind]) for d in DISTRICTS])
    base = base + offset + rng.normal(0, 0.008, len(base))
    drift = rng.uniform(0.0008, 0.0032, len(base))
    share = np.clip(base[:, None] + drift[:, None] * elapsed[None, :], 0.5, 0.99)
    population = np.array([d.population for d in DISTRICTS], dtype="float64")
    scale = rng.uniform(0.4, 1.3, share.shape)
    n = np.maximum(8, np.round(population[:, None] * _RESPONDENTS_PER_PERSON * scale)).astype(int)
    kommune_share = population @ share / population.sum()
    kommune_n = rng.integers(*_KOMMUNE_RESPONDENTS, len(years), endpoint=True)
    n_all = np.vstack([n, kommune_n])
    value = rng.binomial(n_all, np.vstack([share, kommune_share])) / n_all
    areas = [d.district_id for d in DISTRICTS] + ["kommune"]
    return pd.DataFrame(
        {
            "area_id": np.repeat(areas, len(years)),
            "period": np.tile(years.astype(str), len(areas)),
            "indicator": name,
            "value": value.ravel(),
            "n": n_all.ravel(),
        }
    )


def _period_names(frequency: str, start: pd.Timestamp) -> tuple[list[str], np.ndarray]:
    """Period names from ``start`` to the end of 2025 and each period's month (0-11)."""
    last = pd.Timestamp(LAST_DAY)
    if frequency == "year":
        years = range(start.year, last.year + 1)
        return [str(y) for y in years], np.full(len(years), 6)
    if frequency == "quarter":
        quarters = pd.period_range(start, last, freq="Q")
        names = [f"{q.year}-Q{q.quarter}" for q in quarters]
        return names, (quarters.quarter.to_numpy() - 1) * 3 + 1
    months = pd.period_range(start, last, freq="M")
    return [m.strftime("%Y-%m") for m in months], months.month.to_numpy() - 1


def _is_place(indicator: Indicator) -> bool:
    """Observed at places (monthly, outdoors) rather than per district or kommune."""
    return indicator.source == "place_observation" or indicator.area == "place"


def _start_end(
    rng: np.random.Generator, indicator: Indicator, frequency: str
) -> tuple[float, float]:
    """Kommune-level value at the first and last period, moving the good way on the whole.

    With a target, the series starts on the wrong side of it; about three in five indicators
    cross it by the end, the others get closer but miss, so the dashboard shows both.
    """
    good = 1.0 if indicator.higher_is_better else -1.0
    target = indicator.target
    if target is not None:
        if indicator.unit == "andel":
            gap = min(0.06, 0.4 * min(target, 1 - target))
        else:
            gap = 0.25 * abs(target) if indicator.unit != "score" else 0.1 * abs(target)
        met = rng.random() < 0.6
        return target - good * gap, target + good * gap * (0.4 if met else -0.4)
    key = "place" if _is_place(indicator) and indicator.unit in _COUNT_UNITS else frequency
    low, high = _LEVELS.get((indicator.unit, key), (5.0, 50.0))
    start = rng.uniform(low, high)
    if indicator.unit == "andel":
        return start, start + good * rng.uniform(0.03, 0.10)
    if indicator.unit == "score":
        return start, start + good * rng.uniform(2.0, 8.0)
    return start, start * (1 + good * rng.uniform(0.15, 0.5))


def _season(month: np.ndarray, frequency: str, outdoors: bool) -> np.ndarray:
    """Monthly factor: activities pause in July; outdoor observations peak in summer."""
    if frequency != "month":
        return np.ones(len(month))
    if outdoors:
        return 1 + 0.35 * np.cos(2 * np.pi * (month - 6) / 12)
    factor = np.ones(len(month))
    factor[month == 6] = 0.55
    factor[month == 11] = 0.8
    return factor


def _observe(
    rng: np.random.Generator, unit: str, level: np.ndarray, frequency: str
) -> tuple[np.ndarray, np.ndarray]:
    """Stored values and n for true levels (areas x periods), with the noise of the unit."""
    missing = np.full(level.shape, -1)
    if unit == "andel":
        per_year = {"year": 1, "quarter": 4, "month": 12}[frequency]
        n = rng.integers(60, 600, level.shape) // per_year + 5
        return rng.binomial(n, np.clip(level, 0.005, 0.995)) / n, n
    if unit == "score":
        n = rng.integers(40, 250, level.shape)
        noise = rng.normal(0, 1, level.shape) * 15 / np.sqrt(n)
        return np.round(np.clip(level + noise, 0, 100), 1), n
    if unit in _COUNT_UNITS:
        return rng.poisson(np.maximum(level, 0)).astype("float64"), missing
    return np.round(np.maximum(level * (1 + rng.normal(0, 0.05, level.shape)), 0), 2), missing


def _indicator_frame(
    seed: int, indicator: Indicator, areas: list[str], weights: np.ndarray, outdoors: bool
) -> pd.DataFrame:
    """Every period of one registry indicator for ``areas`` (weights scale counts per area)."""
    rng = _rng_for(seed, f"{indicator.measurement_name}:{','.join(areas)}")
    frequency = "month" if outdoors else _FREQUENCY.get(indicator.unit, "year")
    names, month = _period_names(frequency, ACTIVITY_START)
    start, end = _start_end(rng, indicator, frequency)
    path = np.linspace(start, end, len(names)) * _season(month, frequency, outdoors)
    if indicator.unit in _COUNT_UNITS or indicator.unit == "pr_1000":
        level = path[None, :] * weights[:, None]
    else:  # shares and scores differ a little between areas, not in proportion to their size
        spread = 0.02 if indicator.unit == "andel" else 2.0
        level = path[None, :] + rng.normal(0, spread, (len(areas), 1))
    value, n = _observe(rng, indicator.unit, level, frequency)
    return pd.DataFrame(
        {
            "area_id": np.repeat(areas, len(names)),
            "period": np.tile(names, len(areas)),
            "indicator": indicator.measurement_name,
            "value": value.ravel(),
            "n": n.ravel(),
        }
    )


def _areas_of(
    indicator: Indicator, places: gpd.GeoDataFrame, rng: np.random.Generator
) -> tuple[list[str], np.ndarray]:
    """Area ids an indicator is measured for, and how each area scales a typical count."""
    if _is_place(indicator):
        ids = list(indicator.places) or [
            p for p, k in zip(places.place_id, places.kind, strict=True) if k != "vand"
        ]
        return ids, rng.lognormal(0, 0.4, len(ids))
    if indicator.area == "district":
        population = np.array([d.population for d in DISTRICTS], dtype="float64")
        return [d.district_id for d in DISTRICTS], population / population.mean()
    return ["kommune"], np.ones(1)


def make_measurements(
    places: gpd.GeoDataFrame, *, seed: int, indicators: list[Indicator] | None = None
) -> pd.DataFrame:
    """Survey shares 2015-2025 and every measurement and place indicator of the registry.

    Parameters
    ----------
    places : the demo places (place observations without a place list use all of them).
    seed : base seed; every indicator gets its own generator derived from it and its name.
    indicators : the registry's indicators (default: all of them).

    Returns
    -------
    pandas.DataFrame
        The store's measurement columns, one row per area, period and indicator.
    """
    if indicators is None:
        indicators = [ind for _, ind in all_indicators()]
    frames = [_survey_frame(seed, name, offset) for name, offset in SURVEY_INDICATORS.items()]
    done = set(SURVEY_INDICATORS)
    for indicator in indicators:
        if indicator.source == "incidents" or indicator.measurement_name in done:
            continue
        outdoors = _is_place(indicator)
        areas, weights = _areas_of(indicator, places, _rng_for(seed, indicator.id))
        frames.append(_indicator_frame(seed, indicator, areas, weights, outdoors))
        if not outdoors:  # place names can be shared by indicators at different places
            done.add(indicator.measurement_name)
    rows = pd.concat(frames, ignore_index=True)
    rows = rows.drop_duplicates(["area_id", "period", "indicator"], ignore_index=True)
    periods, _ = parse_periods(rows["period"])
    out = pd.DataFrame(
        {
            "area_id": rows["area_id"].astype(str),
            "period": periods["period"].astype(str),
            "period_start": periods["period_start"].astype("datetime64[us]"),
            "period_end": periods["period_end"].astype("datetime64[us]"),
            "indicator": rows["indicator"].astype(str),
            "value": rows["value"].astype("float64"),
            "n": pd.array(rows["n"].where(rows["n"] >= 0), dtype="Int64"),
        }
    )
    out = out.sort_values(["indicator", "area_id", "period_start"], kind="stable")
    return out[list(COLUMNS["measurements"])].reset_index(drop=True)


# ---- writing it all --------------------------------------------------------------------------


def _report(kind: str, frame: pd.DataFrame, outside: int = 0) -> dict[str, Any]:
    result = LoadResult(
        kind=kind,
        file="demo",
        frame=frame,
        rejected=_no_rejections(),
        rows_read=len(frame),
        outside_districts=outside,
        warnings=[DEMO_WARNING],
    )
    result.check_counts()
    return result.report()


def _no_rejections() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in REJECTED_COLUMNS})


def make_demo(
    store: Store, *, incidents: int = 200_000, seed: int = DEFAULT_SEED
) -> dict[str, dict[str, Any]]:
    """Write demo districts, places, incidents and measurements to ``store``.

    Parameters
    ----------
    store : the data folder to write to; each kind is written atomically and marked demo.
    incidents : number of incidents (1 000 000 takes a few seconds).
    seed : the only source of randomness; the same seed gives identical tables.

    Returns
    -------
    dict
        kind -> the import report of that kind (with "Demodata" among its warnings).
    """
    rng = np.random.default_rng(seed)
    districts = make_districts()
    places = make_places()
    registry = all_indicators()
    slugs = {ini.slug for ini, _ in registry}
    frames = {
        "districts": districts,
        "places": places,
        "incidents": make_incidents(districts, count=incidents, rng=rng, initiative_slugs=slugs),
        "measurements": make_measurements(places, seed=seed, indicators=[i for _, i in registry]),
    }
    reports = {}
    for kind, frame in frames.items():
        outside = outside_count(frame) if kind == "incidents" else 0
        reports[kind] = _report(kind, frame, outside)
        store.write(kind, frame, rejected=_no_rejections(), report=reports[kind], demo=True)
    return reports
