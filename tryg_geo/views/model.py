"""What a view is: the numbers, map, trends and words of one dashboard view.

A view is computed by a pure function (``tryg_geo.views.registry``) and then rendered three ways: by the
Streamlit page (folium map + Altair charts), as a PNG and as a CSV. All three read the same
:class:`View`, so the picture a leader pastes into slides shows exactly the numbers on screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import geopandas as gpd
import pandas as pd

from ..compute.breaks import NO_DATA_COLOR as NO_DATA_COLOR  # the views' names for the
from ..compute.breaks import SUPPRESSED_COLOR as SUPPRESSED_COLOR  # palette's greys
from ..store.partnership import Partnership


@dataclass
class Legend:
    title: str
    entries: list[tuple[str, str]]  # (hex colour, label) from low to high


@dataclass
class MapSpec:
    """A map as data: features in EPSG:4326 with their colour and the text shown for them.

    ``features`` columns: ``feature_id``, ``name``, ``label`` (value as shown, e.g. '12,5 %' or
    '<5'), ``color``; areas and places add ``value`` (the number as shown, NaN when hidden or
    missing: the map's text alternative ranks by it), places ``radius`` (pixels). Nothing finer
    than an area, a grid cell or a place is ever put here.
    """

    kind: str  # "areas" | "cells" | "places"
    features: gpd.GeoDataFrame
    legend: Legend
    outline: gpd.GeoDataFrame | None = None
    water: gpd.GeoDataFrame | None = None
    zones: gpd.GeoDataFrame | None = None
    selected: str | None = None
    #: (min lon, min lat, max lon, max lat) to open the map on; None = fit the features.
    bounds: tuple[float, float, float, float] | None = None
    #: The map's text alternative when its builder words it from its own result (the
    #: emerging hot spots' patterns); None: :func:`tryg_geo.views.alt_text.view_map_text`
    #: describes the features.
    description: str | None = None


@dataclass
class Trend:
    """A line chart: ``data`` has columns period (datetime64), series (str), value (float) and
    optionally suppressed (bool: the value is hidden for discretion, NaN in ``value``)."""

    title: str
    data: pd.DataFrame
    unit: str
    target: float | None = None
    higher_is_better: bool | None = None


@dataclass
class Kpi:
    label: str
    value: str
    delta: str | None = None
    help: str | None = None


@dataclass
class View:
    """One view, ready to render on screen, as a PNG or as a CSV.

    ``table`` holds exactly the numbers shown, with stable snake_case columns (the CSV export);
    suppressed counts are missing there and flagged in a ``suppressed`` column. ``display`` is
    the same table formatted for Danish readers.
    """

    key: str
    title: str
    subtitle: str
    demo: bool
    source: str
    table: pd.DataFrame
    display: pd.DataFrame | None = None
    map: MapSpec | None = None
    trends: list[Trend] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    highlights: list[str] = field(default_factory=list)
    heatmap: pd.DataFrame | None = (
        None  # rows: weekday names, columns: hours, values: counts or NaN
    )
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, view key) e.g. initiatives
    #: Where the numbers come from (the source line's parts, see :mod:`tryg_geo.views.sources`);
    #: the CSV's ``source`` column where the table has no per-row column of its own.
    sources: list[str] = field(default_factory=list)
    #: When the view has no numbers: what is missing and which file would fill it (Danish).
    missing: str | None = None
    #: What the view says about demo data (``demo`` is True when any part is): None, "Demodata"
    #: when every part is, or each part named — 'Områder: demodata · Hændelser: Nordjyllands
    #: Politi, udtræk 2025' (:func:`tryg_geo.views.sources.demo_mark`). The page's warning, the
    #: PNG's badge, the CSV's ``data`` column and the slides show it.
    demo_label: str | None = None
    #: Whose dashboard the view belongs to (``partnerskab.toml``): the PNG's and slide's kicker.
    #: Set by :func:`tryg_geo.views.registry.build_view` from the data.
    partnership: str = Partnership.name
    #: The partnership's colour for that kicker (None: the usual grey).
    partnership_colour: str | None = None
    #: "Data pr.: seneste hændelse … · seneste import …" (:func:`tryg_geo.store.as_of.data_as_of`),
    #: set by :func:`tryg_geo.views.registry.build_view`: under the page, on the PNG, the slide
    #: and in the CSV's ``data_as_of`` column.
    as_of: str = ""
    #: What tells this view's files apart from another view of the same key on one page
    #: (Analyse: "hotspots-og-naer-gentagelse", "nye-og-vedvarende-hotspots"): the file name's
    #: part after the key (:func:`tryg_geo.render.files.file_stem`); empty: the key alone.
    file_part: str = ""
    #: The first and last day the numbers cover when they are not the filters' (the emerging
    #: hot spots go back 12 steps): the dates of the file names. None: the filters' period.
    period: tuple[date, date] | None = None
