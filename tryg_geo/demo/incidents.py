"""Demo incidents: per category a calendar (season, weekday, hour), a geography and a trend, drawn
from a seeded generator.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..geo.enrich import enrich_incidents
from .common import ACTIVITY_START, FIRST_DAY, LAST_DAY, SOURCE, to_utm
from .districts import DISTRICTS, fjord_edges
from .places import JOMFRU_ANE_GADE, havnefront_line


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
    centre, north, _ = fjord_edges()
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
