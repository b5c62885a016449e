"""Shared map builders and value texts for the views: one district choropleth, one places map.

Every view that draws districts or places builds its :class:`~tryg_geo.views.model.MapSpec` here, so
colours, legends, the "<5" text and the grey of suppressed areas look the same on every page
and in every PNG. The features carry only aggregated properties: an id, a name, the label as
shown, a colour and (for places) a radius. No incident position ever reaches a MapSpec.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd

from .. import fmt, settings
from ..cache import per_version
from ..compute.breaks import (
    NO_DATA_COLOR,
    SUPPRESSED_COLOR,
    classify,
    colours,
    member_entries,
)
from ..compute.indicators import unit_decimals
from ..compute.privacy import hidden_legend, shown_count
from ..store.dataset import WGS84, Dataset
from .model import Legend, MapSpec

#: Text of an area or place without any data.
NO_DATA_TEXT = "Ingen data"
#: Place kinds that are water: drawn for orientation, never as a place with a value.
WATER_KIND = "vand"
#: Place kind drawn as a zone outline (the nattelivszone), not as a point.
ZONE_KIND = "nattelivszone"
#: Radius in pixels of the smallest and largest place circle; places without a value get MIN.
MIN_RADIUS, MAX_RADIUS = 6.0, 26.0

FEATURE_COLUMNS = ["feature_id", "name", "label", "color", "geometry"]


# ---- value texts ------------------------------------------------------------------------------
def small_n(n: float | None) -> bool:
    """True when a survey share rests on fewer respondents than ``min_respondents``."""
    return n is not None and not _missing(n) and float(n) < int(settings.get("min_respondents"))


def value_text(
    value: float | None,
    unit: str,
    *,
    suppressed: bool = False,
    n: float | None = None,
    complementary: bool = False,
) -> str:
    """A value as shown in Danish for its registry unit.

    Parameters
    ----------
    value : the number in the stored scale (shares as 0–1); NaN or None means no data.
    unit : 'andel' | 'antal' | 'pr_1000' | 'personer' | 'timer' | 'score'.
    suppressed : the value is hidden by the discretion rule: shown as '<5'.
    n : respondents behind a share; adds '(n=214)' and flags '(usikker: n<30)'.
    complementary : the value is hidden only so that a small one cannot be worked out from
        the total: shown as 'skjult', not '<5'.

    Returns
    -------
    str
        e.g. '87,3 % (n=214)', '1.234', '4,2', '<5' or 'Ingen data'.
    """
    if suppressed:
        return shown_count(None, True, is_complementary=bool(complementary))
    if value is None or _missing(value):
        return NO_DATA_TEXT
    if unit == "andel":
        text = fmt.percent(float(value))
        if n is not None and not _missing(n):
            text += f" (n={fmt.number(int(n))})"
            if small_n(n):
                text += f" (usikker: n<{int(settings.get('min_respondents'))})"
        return text
    return fmt.number(float(value), unit_decimals(unit, value))


def unit_formatter(unit: str) -> Callable[[float], str]:
    """A formatter for legend bounds in ``unit`` (no n, no suppression)."""
    if unit == "andel":
        return lambda v: fmt.percent(v, 1)
    if unit in ("pr_1000", "score"):
        return lambda v: fmt.number(v, 1)
    return lambda v: fmt.number(v, 0 if float(v) == round(float(v)) else 1)


# ---- district choropleth ----------------------------------------------------------------------
def district_choropleth(
    ds: Dataset,
    values: pd.Series,
    labels: pd.Series,
    *,
    scheme: str = "quantiles",
    palette: str = "blues",
    legend_title: str,
    value_fmt: Callable[[float], str],
    selected: str | None = None,
    suppressed: pd.Series | None = None,
    complementary: pd.Series | None = None,
) -> MapSpec | None:
    """A choropleth of every district, classed by ``values``.

    Parameters
    ----------
    ds : the loaded data; its ``districts_wgs84`` gives the shapes.
    values : number per district id; NaN means no data or suppressed (not classed).
    labels : the text shown per district id (e.g. '87,3 % (n=214)' or '<5'); districts
        without a label show 'Ingen data'.
    scheme : 'quantiles' or 'natural_breaks'.
    palette : a key of :data:`tryg_geo.compute.breaks.PALETTES`.
    legend_title : the legend's heading, Danish.
    value_fmt : formats the class bounds in the legend.
    selected : a district id to highlight.
    suppressed : True per district id whose value is hidden: drawn grey with its own legend
        entry, so a hidden count is told apart from a missing one.
    complementary : True per district id hidden only to protect a small count (complementary
        suppression, :func:`~tryg_geo.compute.privacy.complementary`): the legend says so.

    Returns
    -------
    MapSpec or None
        ``kind='areas'``; None when the data has no districts.
    """
    drawn = _district_shapes(ds)
    if drawn is None:
        return None
    ids, names, geometry = drawn
    numbers = _aligned(values, ids, np.nan).astype("float64")
    hidden = _aligned(suppressed, ids, False).astype(bool) if suppressed is not None else None
    protecting = (
        _aligned(complementary, ids, False).astype(bool) if complementary is not None else None
    )
    fills, entries = _classed_colours(numbers, scheme, palette, value_fmt, hidden, protecting)
    texts = _aligned(labels, ids, NO_DATA_TEXT).astype(object)
    texts = [NO_DATA_TEXT if _missing(t) else str(t) for t in texts]
    features = gpd.GeoDataFrame(
        {
            "feature_id": ids.to_numpy(),
            "name": names,
            "label": texts,
            "color": fills,
            "value": _shown_values(numbers, hidden),
        },
        geometry=geometry,
        crs=WGS84,
    )
    return MapSpec(
        kind="areas",
        features=features,  # columns in FEATURE_COLUMNS' order, "value" before the geometry
        legend=Legend(legend_title, entries),
        outline=None,
        water=ds.water_wgs84,
        zones=None,
        selected=selected,
    )


# ---- places map -------------------------------------------------------------------------------
def places_map(
    ds: Dataset,
    values: pd.Series,
    labels: pd.Series,
    *,
    legend_title: str,
    palette: str = "oranges",
    value_fmt: Callable[[float], str] | None = None,
    scheme: str = "quantiles",
    suppressed: pd.Series | None = None,
    selected: str | None = None,
    complementary: pd.Series | None = None,
) -> MapSpec | None:
    """Places drawn as circles coloured and sized by ``values``.

    Parameters
    ----------
    ds : the loaded data; its ``places_wgs84`` gives the places.
    values : number per place id; only these places are drawn; NaN = no data or suppressed.
    labels : the text shown per place id.
    legend_title : the legend's heading, Danish.
    palette : a key of :data:`tryg_geo.compute.breaks.PALETTES`.
    value_fmt : formats the class bounds in the legend (default: Danish whole numbers).
    scheme : 'quantiles' or 'natural_breaks'.
    suppressed : True per place id whose value is hidden (grey, smallest circle).
    selected : a place id to highlight.
    complementary : True per place id hidden only to protect a small value (the legend
        says so).

    Returns
    -------
    MapSpec or None
        ``kind='places'``: features are points (a point inside each place's shape, so a long
        quay gets its circle on the quay) with ``radius`` in pixels, growing with the square
        root of the value so the circle's area is proportional to it. District borders are
        the ``outline``, water the ``water`` and the nattelivszone the ``zones``. None when
        there are no places to draw.
    """
    drawn = _place_points(ds, tuple(str(i) for i in values.index))
    if drawn is None:
        return None
    ids, names, points = drawn
    numbers = _aligned(values, ids, np.nan).astype("float64")
    hidden = _aligned(suppressed, ids, False).astype(bool) if suppressed is not None else None
    protecting = (
        _aligned(complementary, ids, False).astype(bool) if complementary is not None else None
    )
    value_fmt = value_fmt or (lambda v: fmt.number(v, 0 if float(v) == round(float(v)) else 1))
    fills, entries = _classed_colours(numbers, scheme, palette, value_fmt, hidden, protecting)
    texts = _aligned(labels, ids, NO_DATA_TEXT).astype(object)
    features = gpd.GeoDataFrame(
        {
            "feature_id": ids.to_numpy(),
            "name": names,
            "label": [NO_DATA_TEXT if _missing(t) else str(t) for t in texts],
            "color": fills,
            "value": _shown_values(numbers, hidden),
            "radius": radii(numbers),
        },
        geometry=points,
        crs=WGS84,
    )
    return MapSpec(
        kind="places",
        features=features,  # FEATURE_COLUMNS' order, "value" and "radius" before the geometry
        legend=Legend(legend_title, entries),
        outline=_outline(ds),
        water=ds.water_wgs84,
        zones=zones(ds),
        selected=selected,
    )


def _district_shapes(ds: Dataset) -> tuple[pd.Series, np.ndarray, np.ndarray] | None:
    """Ids, names and lon/lat shapes of the districts, kept per data version (read only)."""

    def select() -> tuple[pd.Series, np.ndarray, np.ndarray] | None:
        shapes = ds.districts_wgs84
        if shapes is None or not len(shapes):
            return None
        ids = shapes["district_id"].astype(str)
        return ids, shapes["name"].astype(str).to_numpy(), shapes.geometry.to_numpy()

    return per_version(ds, "page_lookups", ("district_shapes",), select)


def _place_points(
    ds: Dataset, wanted: tuple[str, ...]
) -> tuple[pd.Series, np.ndarray, np.ndarray] | None:
    """Ids, names and a point inside each of the ``wanted`` places (water left out), kept per
    data version and set of places: a filter change draws the same places again."""

    def select() -> tuple[pd.Series, np.ndarray, np.ndarray] | None:
        shapes = ds.places_wgs84
        if shapes is None or not len(shapes):
            return None
        keep = shapes["place_id"].astype(str).isin(list(wanted)) & (shapes["kind"] != WATER_KIND)
        shapes = shapes[keep]
        if not len(shapes):
            return None
        ids = shapes["place_id"].astype(str)
        names = shapes["name"].astype(str).to_numpy()
        return ids, names, shapes.geometry.representative_point().to_numpy()

    return per_version(ds, "page_lookups", ("place_points", wanted), select)


def radii(values: np.ndarray) -> np.ndarray:
    """Circle radius in pixels: area proportional to the value; NaN and 0 get the minimum."""
    values = np.asarray(values, dtype="float64")
    out = np.full(len(values), MIN_RADIUS)
    ok = np.isfinite(values) & (values > 0)
    if ok.any():
        top = values[ok].max()
        out[ok] = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * np.sqrt(values[ok] / top)
    return np.round(out, 1)


def zones(ds: Dataset) -> gpd.GeoDataFrame | None:
    """The nattelivszone outline(s) in lon/lat, or None (kept per data version; shared: read
    it only)."""
    return per_version(ds, "page_lookups", ("zones",), lambda: _select_zones(ds))


def _select_zones(ds: Dataset) -> gpd.GeoDataFrame | None:
    shapes = ds.places_wgs84
    if shapes is None:
        return None
    zone = shapes[shapes["kind"] == ZONE_KIND]
    return zone[["place_id", "name", "geometry"]] if len(zone) else None


def _outline(ds: Dataset) -> gpd.GeoDataFrame | None:
    """The district borders in lon/lat (kept per data version; shared: read it only)."""

    def select() -> gpd.GeoDataFrame | None:
        shapes = ds.districts_wgs84
        return shapes[["district_id", "name", "geometry"]] if shapes is not None else None

    return per_version(ds, "page_lookups", ("outline",), select)


# ---- helpers ----------------------------------------------------------------------------------
def _classed_colours(
    numbers: np.ndarray,
    scheme: str,
    palette: str,
    value_fmt: Callable[[float], str],
    hidden: np.ndarray | None,
    protecting: np.ndarray | None = None,
) -> tuple[list[str], list[tuple[str, str]]]:
    """Fill colour per value and the legend entries (classes, then hidden, then no data).

    Each class reads the smallest and largest shown value it holds
    (:func:`~tryg_geo.compute.breaks.member_entries`), so no range reaches into hidden counts;
    ``protecting`` (hidden only to protect a small count) gives the grey entry its reason.
    """
    numbers = np.array(numbers, dtype="float64")  # a copy: the caller's array stays as it was
    if hidden is not None:
        numbers[hidden] = np.nan
    with warnings.catch_warnings():
        # A handful of places often has fewer distinct values than classes; mapclassify then
        # merges classes and says so, which is expected here.
        warnings.simplefilter("ignore", UserWarning)
        finite = numbers[np.isfinite(numbers)]
        # Whole numbers (counts) get whole-number classes that never overlap ('0', '1 – 12').
        whole = bool(len(finite)) and bool((finite == np.round(finite)).all()) and finite.max() > 1
        classes, bins = classify(numbers, scheme, whole=whole)
    fills = colours(classes, palette, len(bins))
    entries = member_entries(numbers, classes, bins, palette, value_fmt)
    if hidden is not None and hidden.any():
        fills = [SUPPRESSED_COLOR if h else f for f, h in zip(fills, hidden, strict=True)]
        protects = hidden & protecting if protecting is not None else np.zeros_like(hidden)
        entries.append(
            (SUPPRESSED_COLOR, hidden_legend(bool((hidden & ~protects).any()), protects.any()))
        )
    no_data = ~np.isfinite(numbers) & (~hidden if hidden is not None else True)
    if no_data.any():
        entries.append((NO_DATA_COLOR, NO_DATA_TEXT))
    return fills, entries


def _shown_values(numbers: np.ndarray, hidden: np.ndarray | None) -> np.ndarray:
    """The numbers as shown (for the map's text alternative): NaN where a value is hidden."""
    numbers = np.array(numbers, dtype="float64")
    if hidden is not None:
        numbers[hidden] = np.nan
    return numbers


def _aligned(series: pd.Series | None, ids: pd.Series, fill: object) -> np.ndarray:
    """``series`` reordered to ``ids`` (ids as strings), ``fill`` where an id is absent."""
    if series is None:
        return np.full(len(ids), fill, dtype=object)
    keyed = pd.Series(series.to_numpy(), index=series.index.astype(str))
    keyed = keyed[~keyed.index.duplicated()]
    return keyed.reindex(ids.to_numpy()).where(lambda s: s.notna(), fill).to_numpy()


def _missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False
