"""The naive way, measured beside ours in the same run on the same data (issue 5).

Nothing here is used by the dashboard. These are the straightforward implementations a first
version of the pages would have: every rerun turns all incidents into shapely points, joins
them spatially with ``geopandas.sjoin`` and counts with pandas ``groupby``; maps send the raw
geometry (``folium.GeoJson``) or the raw points (``folium.plugins.HeatMap``).

They only read the raw stored columns (``x``, ``y``, ``time``, ``category``) and never the codes
that the import precomputes (``district_id``, ``cell_100m``, ``hour``, ``weekday``).

The naive reruns compute only the numbers (counts, rates, trend, hour × weekday), not the rest
of the page (charts, tables, map): a naive page would do all of that as well, so the speed-up
measured against them is a lower bound.
"""

from __future__ import annotations

from datetime import date, timedelta

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd

from tryg_geo.compute.filters import Filters
from tryg_geo.store.schema import STORE_CRS
from tryg_geo.views.natteliv import zone_indicator
from tryg_geo.views.tryg_bydel import INCIDENT_RATE

WGS84 = "EPSG:4326"
CELL_METRES = {"100m": 100, "250m": 250, "1km": 1000}


# ---- reruns -----------------------------------------------------------------------------------
def all_points(incidents: pd.DataFrame) -> gpd.GeoDataFrame:
    """Every incident as a shapely point (built again on every rerun)."""
    return gpd.GeoDataFrame(
        {"time": incidents["time"].to_numpy(), "category": incidents["category"].to_numpy()},
        geometry=gpd.points_from_xy(incidents["x"].to_numpy(), incidents["y"].to_numpy()),
        crs=STORE_CRS,
    )


def _join(points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, column: str) -> pd.DataFrame:
    """``geopandas.sjoin`` of all points; a point on a shared border keeps its first match."""
    joined = gpd.sjoin(points, polygons[[column, "geometry"]], how="left", predicate="intersects")
    return pd.DataFrame(joined[~joined.index.duplicated(keep="first")].drop(columns="geometry"))


def _in_period(frame: pd.DataFrame, start: date, end: date) -> pd.Series:
    return (frame["time"] >= pd.Timestamp(start)) & (
        frame["time"] < pd.Timestamp(end + timedelta(days=1))
    )


def _one_year_before(value: date) -> date:
    try:
        return value.replace(year=value.year - 1)
    except ValueError:
        return value.replace(year=value.year - 1, day=28)


def tryg_bydel_rerun(
    incidents: pd.DataFrame,
    districts: gpd.GeoDataFrame,
    measurements: pd.DataFrame | None,
    filters: Filters,
) -> pd.DataFrame:
    """Tryg bydel the naive way: one row per district with the numbers of the map and table.

    Incidents per 1 000: sjoin of all points to the districts, then ``groupby`` for this
    period, the same period last year and the quarterly trend. A survey indicator needs no
    incidents: its rows are filtered from the measurements with pandas.
    """
    if filters.indicator != INCIDENT_RATE and measurements is not None:
        rows = measurements[measurements["indicator"] == filters.indicator]
        end = pd.Timestamp(filters.end) + pd.Timedelta(days=1)
        chosen = rows[rows["period_start"] < end].sort_values("period_start")
        latest = chosen["period"].iloc[-1] if len(chosen) else None
        return rows[rows["period"] == latest].groupby("area_id")[["value", "n"]].first()
    joined = _join(all_points(incidents), districts, "district_id")
    if filters.categories:
        joined = joined[joined["category"].isin(filters.categories)]
    now = joined[_in_period(joined, filters.start, filters.end)].groupby("district_id").size()
    previous = _one_year_before(filters.start), _one_year_before(filters.end)
    before = joined[_in_period(joined, *previous)].groupby("district_id").size()
    trend_start = (pd.Timestamp(filters.end) - pd.DateOffset(years=3)).date()
    window = joined[_in_period(joined, trend_start, filters.end)]
    trend = window.groupby([window["time"].dt.to_period("Q"), "district_id"]).size()
    population = districts.set_index("district_id")["population"].astype("float64")
    table = pd.DataFrame({"incidents": now, "previous": before}).reindex(population.index)
    table = table.fillna(0).astype("int64")
    table["per_1000"] = table["incidents"] / population * 1000
    table.attrs["trend_rows"] = len(trend)
    table.attrs["outside"] = int(joined["district_id"].isna().sum())
    return table


def natteliv_rerun(
    incidents: pd.DataFrame, zones: gpd.GeoDataFrame | None, filters: Filters
) -> pd.Series:
    """Natteliv the naive way: night incidents per grid cell, zone counts and trends.

    All points are joined to the nattelivszone with ``sjoin`` (the spatial question of this
    page); hour and weekday are taken from the timestamps on every rerun; cells come from
    flooring the coordinates and counting with ``groupby``.
    """
    categories = filters.categories or tuple(zone_indicator().categories)
    points = all_points(incidents)
    if zones is not None and len(zones):
        joined = _join(points, zones.assign(zone=1), "zone")
    else:
        joined = pd.DataFrame(points.drop(columns="geometry")).assign(zone=np.nan)
    joined["x"] = incidents["x"].to_numpy()
    joined["y"] = incidents["y"].to_numpy()
    hour = joined["time"].dt.hour
    weekday = joined["time"].dt.dayofweek
    evening, morning = hour >= filters.night_start, hour < filters.night_end
    night_of = weekday.where(~(morning & ~evening), (weekday - 1) % 7)
    in_window = (
        (evening | morning) if filters.night_start > filters.night_end else (evening & morning)
    )
    kinds = joined["category"].isin(categories)
    nights = in_window & night_of.isin(filters.nights) & kinds
    now = joined[nights & _in_period(joined, filters.start, filters.end)]
    before = joined[
        nights & _in_period(joined, *map(_one_year_before, (filters.start, filters.end)))
    ]
    metres = CELL_METRES[filters.cell]
    cells = now.groupby(
        [np.floor_divide(now["y"], metres).astype("int64"), np.floor_divide(now["x"], metres)]
    ).size()
    trend_start = min(filters.start, (pd.Timestamp(filters.end) - pd.DateOffset(years=2)).date())
    window = joined[nights & _in_period(joined, trend_start, filters.end)]
    months = window.groupby([window["time"].dt.to_period("M"), window["zone"].notna()]).size()
    day = joined[kinds & _in_period(joined, filters.start, filters.end)]
    grid = pd.crosstab(day["time"].dt.dayofweek, day["time"].dt.hour)
    cells.attrs.update(
        before=len(before),
        zone_now=int(now["zone"].notna().sum()),
        zone_before=int(before["zone"].notna().sum()),
        trend_rows=len(months),
        grid_cells=int(grid.size),
    )
    return cells


def night_points(incidents: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The raw x/y of the incidents the natteliv map shows for ``filters`` (for the heat map)."""
    categories = filters.categories or tuple(zone_indicator().categories)
    time = incidents["time"]
    hour, weekday = time.dt.hour, time.dt.dayofweek
    evening, morning = hour >= filters.night_start, hour < filters.night_end
    night_of = weekday.where(~(morning & ~evening), (weekday - 1) % 7)
    in_window = (
        (evening | morning) if filters.night_start > filters.night_end else (evening & morning)
    )
    mask = (
        in_window
        & night_of.isin(filters.nights)
        & incidents["category"].isin(categories)
        & _in_period(incidents, filters.start, filters.end)
    )
    return incidents.loc[mask, ["x", "y"]]


# ---- maps -------------------------------------------------------------------------------------
def _map(bounds_wgs84) -> folium.Map:
    minx, miny, maxx, maxy = bounds_wgs84
    m = folium.Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=11, tiles=None)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


def district_geojson_map(
    districts: gpd.GeoDataFrame, labels: pd.Series, colours: pd.Series
) -> folium.Map:
    """A choropleth as ``folium.GeoJson`` of the raw district geometry (reprojected only).

    ``labels`` and ``colours`` are indexed by district id; the properties match ours (id,
    name, label, fill colour), so the difference in bytes is the geometry.
    """
    raw = districts[["district_id", "name", "geometry"]].to_crs(WGS84)
    raw["label"] = raw["district_id"].map(labels).fillna("").astype(str)
    raw["fill"] = raw["district_id"].map(colours).fillna("#d9d9d9").astype(str)
    m = _map(raw.total_bounds)
    folium.GeoJson(
        raw,
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.75,
            "color": "#4d4d4d",
            "weight": 0.8,
        },
        tooltip=folium.GeoJsonTooltip(fields=["name", "label"]),
    ).add_to(m)
    return m


def heatmap_map(points_xy: pd.DataFrame) -> folium.Map:
    """A ``folium.plugins.HeatMap`` of the raw points (lat, lon): the naive hotspot layer."""
    lonlat = gpd.GeoSeries(
        gpd.points_from_xy(points_xy["x"].to_numpy(), points_xy["y"].to_numpy()), crs=STORE_CRS
    ).to_crs(WGS84)
    lat, lon = lonlat.y.to_numpy(), lonlat.x.to_numpy()
    if len(lat):
        m = _map((lon.min(), lat.min(), lon.max(), lat.max()))
    else:
        m = _map((9.55, 56.85, 10.35, 57.2))
    folium.plugins.HeatMap(np.column_stack([lat, lon]).tolist(), radius=12).add_to(m)
    return m
