"""Analyse's emerging hot spots: is a hot spot new, growing, lasting or fading?

:func:`emerging_view` is the section "Nye og vedvarende hotspots" of the Analyse page and
``export --view analyse --map emerging`` (the URL's ``kort=emerging``, the step in ``trin``):
the category map of :mod:`tryg_geo.analysis.emerging` on the chosen cells with its text
alternative (from the patterns, :attr:`~tryg_geo.views.model.MapSpec.description`), its legend,
plain Danish highlights that name the nearest place, the patterns summed up on screen (cells,
meaning and the districts they lie in: :attr:`View.display`) and one CSV row per cell with a
pattern (:attr:`View.table`). The z-series and the trend statistics (``mk_*``,
``z_<periode>``) are analyst detail that :mod:`tryg_geo.role_files` takes out for leaders in
every file; :func:`emerging_detail` is the analysts' per-cell table on screen, in Danish.

Per district (the URL's ``enhed=omraade``, :data:`UNIT_PARAM`; ``--unit district``): every
district is drawn in its pattern's colour (:func:`emerging_districts_map`, "intet mønster" light
grey), the highlights name the districts
(:func:`~tryg_geo.views.emerging_words.district_highlights`), and the CSV has one row
per district with a pattern (``district_id, district_name, category, …``).

The page's period is often 12 months: :func:`~tryg_geo.views.emerging_words.emerging_period`
widens it to :data:`~tryg_geo.views.emerging_words.DEFAULT_STEPS` steps and
:func:`~tryg_geo.views.emerging_words.period_notes` says so, and says when a step that the
data's first or last day cut is left out (or kept), as the time slider marks it "(delvis)".
The words (highlights, the map's text alternative, the period notes) are in
:mod:`tryg_geo.views.emerging_words`.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import fmt
from ..analysis.emerging import (
    DEFAULT_STEP,
    NO_PATTERN,
    PATTERN_BY_KEY,
    PATTERNS,
    STEPS,
    EmergingResult,
    emerging_hotspots,
)
from ..analysis.hotspots import coarser_advice, uses_rates
from ..analysis.study_grid import outside_note
from ..compute.filters import Filters
from ..compute.steps import STEP_PLURALS
from ..periods import label as period_label
from ..store.dataset import WGS84, Dataset
from .analyse import MAP_PARTS, analyse_categories, analyse_view
from .analysis_maps import MAP_MODE_PARAM
from .cell_features import CellClass, cell_features, cells_map
from .emerging_words import (
    HIGHLIGHTED,
    NAMED_AREAS,
    analysed_days,
    area_list,
    cell_centres,
    district_highlights,
    emerging_period,
    highlights,
    period_notes,
    period_start,
    plural,
    text_alternative,
)
from .mapspec import FEATURE_COLUMNS
from .model import Kpi, Legend, MapSpec, Trend, View
from .sources import POLICE, data_sources, demo_mark, source_line

#: The view's files apart from the Analyse page's other files (``tryg-geo_analyse-…``).
FILE_PART = "nye-og-vedvarende-hotspots"
#: The on-screen summary's columns: one row per pattern that occurs.
SUMMARY_COLUMNS = ("Mønster", "Celler", "Betydning", "Områder (flest celler først)")

#: The URL's map mode of the emerging section (``kort=emerging``; ``--map emerging``).
EMERGING_MODE = "emerging"
#: The URL's key of the time step (``trin``): one of :data:`~tryg_geo.analysis.emerging.STEPS`.
STEP_PARAM = "trin"
#: The URL's key of the unit (``enhed``): grid cells (``celle``, the default) or districts
#: (``omraade``); ``analyse emerging --unit`` and ``export --unit`` take the analysis' words.
UNIT_PARAM = "enhed"
#: The URL's value of each unit of :data:`~tryg_geo.analysis.emerging.UNITS` and its Danish word
#: on the page's radio (the one home of both).
UNIT_VALUES: dict[str, str] = {"cell": "celle", "district": "omraade"}
UNIT_LABELS: dict[str, str] = {"cell": "Celler", "district": "Områder"}
#: The districts' file part beside :data:`FILE_PART` (the cells' files keep their names).
DISTRICT_FILE_PART = "omraader"
#: The on-screen summary's columns for districts: one row per pattern that occurs.
DISTRICT_SUMMARY_COLUMNS = ("Mønster", "Områder", "Betydning", "Hvilke områder")
#: The patterns the KPI tiles may show, in ArcGIS's order, and how many tiles there are.
KPI_PATTERNS = (*HIGHLIGHTED, "diminishing_hot")
KPI_TILES = 4
EMERGING_NOTE = (
    "Nye og vedvarende hotspots (som ArcGIS' Emerging Hot Spot Analysis): Gi* beregnes for hver "
    "periode med samme naboskab og FDR-korrektion som hotspot-kortet, derefter testes "
    "z-værdierne i hver celle eller hvert område for en tendens over tid (Mann–Kendall), og "
    "hver får ét mønster. "
    "Ny: hotspot i sidste periode og aldrig før. Tiltagende/aftagende: hotspot i mindst 90 % af "
    "perioderne og signifikant stigende/faldende. Vedvarende: hotspot i mindst 90 % uden "
    "tendens. Historisk: ikke længere hotspot. Cold spots læses på samme måde."
)


def step_of(filters: Filters) -> str:
    """The step from the URL (``trin``), else :data:`~tryg_geo.analysis.emerging.DEFAULT_STEP`."""
    value = filters.extra.get(STEP_PARAM, DEFAULT_STEP)
    return value if value in STEPS else DEFAULT_STEP


def unit_of(filters: Filters) -> str:
    """The analysis' unit from the URL (``enhed``): ``district`` for ``omraade``, else ``cell``."""
    value = filters.extra.get(UNIT_PARAM)
    return next((unit for unit, url in UNIT_VALUES.items() if url == value), "cell")


def emerging_units(ds: Dataset) -> dict[str, str]:
    """The units the page offers, URL value → Danish word: districts only when loaded."""
    has_districts = ds.districts is not None and len(ds.districts) > 0
    return {
        UNIT_VALUES[unit]: label
        for unit, label in UNIT_LABELS.items()
        if unit == "cell" or has_districts
    }


def is_emerging(filters: Filters) -> bool:
    """Whether the filters ask for the emerging section (``kort=emerging``)."""
    return filters.extra.get(MAP_MODE_PARAM) == EMERGING_MODE


def emerging_result(ds: Dataset, filters: Filters) -> EmergingResult:
    """The emerging hot spots of the filters: the Analyse categories (burglary when none is
    chosen), the step of ``trin``, ``filters.cell`` cells or every district (``enhed``; a
    chosen district is then marked on the map, as Gi* needs its neighbours) (cached)."""
    step = step_of(filters)
    start, end = emerging_period(filters, step)
    unit = unit_of(filters)
    cells = unit == "cell"
    return emerging_hotspots(
        ds,
        step=step,
        start=start,
        end=end,
        categories=analyse_categories(ds, filters),
        unit=unit,
        size=filters.cell if cells else "1km",  # the districts' analysis has no cell size
        district=filters.district if cells and filters.district in ds.district_names else None,
    )


# ---- the map --------------------------------------------------------------------------------
def emerging_legend(result: EmergingResult) -> Legend:
    """The patterns that occur, cold first and hot last (legends read from low to high),
    each named; "intet mønster" is not drawn and not listed for cells, and comes first for
    districts (every district is drawn)."""
    counts = result.counts()
    shown = [p for p in PATTERNS if p.side and counts[p.key]]
    order = [p for p in reversed(shown) if p.side == "cold"] + [p for p in shown if p.side == "hot"]
    if result.unit == "district" and counts[NO_PATTERN]:
        order.insert(0, PATTERN_BY_KEY[NO_PATTERN])
    title = f"Mønster over {len(result.periods)} perioder ({STEPS[result.step].lower()})"
    return Legend(title, [(p.colour, f"{p.name} ({fmt.number(counts[p.key])})") for p in order])


def emerging_cells_map(ds: Dataset, result: EmergingResult) -> MapSpec:
    """Cells with a pattern coloured by it; the popup names the pattern and its meaning. The
    first :data:`~tryg_geo.views.cell_features.MAX_CELL_FEATURES` cells (hot patterns first) are
    features of their own, the rest one shape per pattern."""
    keep = result.category != "none"
    keys = result.category[keep]
    rank = np.array([[p.key for p in PATTERNS].index(k) for k in keys], dtype=np.int64)
    order = np.argsort(rank, kind="stable")
    keys = keys[order]
    names = list(result.ids[keep][order])
    shapes = ds.cell_shapes(names) if names else np.array([], dtype=object)
    features = cell_features(
        names,
        shapes,
        keys,
        lambda i: [f"{PATTERN_BY_KEY[k].name}: {PATTERN_BY_KEY[k].meaning}" for k in keys[i]],
        {
            p.key: CellClass(p.colour, f"moenster-{p.key}", f"Øvrige celler: {p.name}", p.name)
            for p in PATTERNS
        },
    )
    return cells_map(
        ds, features, emerging_legend(result), shapes, description=text_alternative(result)
    )


def emerging_districts_map(
    ds: Dataset, result: EmergingResult, *, selected: str | None = None
) -> MapSpec:
    """Every district coloured by its pattern ("intet mønster" in its own light grey); the
    popup names the district, the pattern and its meaning ("Vestbyen: Sporadisk hotspot –
    …"). ``selected``: the district chosen in the filters, outlined."""
    shapes = ds.districts_wgs84
    keys = pd.Series(result.category, index=result.ids.astype(str))
    ids = shapes["district_id"].astype(str)
    patterns = [PATTERN_BY_KEY[k] for k in keys.reindex(ids).fillna(NO_PATTERN)]
    features = gpd.GeoDataFrame(
        {
            "feature_id": ids.to_numpy(),
            "name": shapes["name"].astype(str).to_numpy(),
            "label": [f"{p.name} – {p.meaning}" for p in patterns],
            "color": [p.colour for p in patterns],
        },
        geometry=shapes.geometry.to_numpy(),
        crs=WGS84,
    )[FEATURE_COLUMNS]
    return MapSpec(
        kind="areas",
        features=features,
        legend=emerging_legend(result),
        water=ds.water_wgs84,
        selected=selected,
        description=text_alternative(result),
    )


def emerging_map(ds: Dataset, result: EmergingResult, filters: Filters) -> MapSpec:
    """The category map of the result's unit: cells, or districts."""
    if result.unit == "district":
        return emerging_districts_map(ds, result, selected=filters.district)
    return emerging_cells_map(ds, result)


# ---- tables -------------------------------------------------------------------------------------
def cell_districts(ds: Dataset, ids: list[str]) -> np.ndarray:
    """The name of the district each cell's centre lies in ("" outside every district)."""
    names = np.full(len(ids), "", dtype=object)
    if not ids or ds.districts is None or not len(ds.districts):
        return names
    tree = shapely.STRtree(ds.districts.geometry.to_numpy())
    cell, area = tree.query(shapely.points(cell_centres(ids)), predicate="within")
    # Reversed: where districts overlap, the first one in the file names the cell.
    names[cell[::-1]] = ds.districts["name"].astype(str).to_numpy()[area[::-1]]
    return names


def z_column(period: str) -> str:
    """The CSV column of a period's Gi* z ('2025-Q1' → ``z_2025_q1``: snake_case as every
    CSV column; the ``z_`` prefix is what :mod:`tryg_geo.role_files` withholds)."""
    return "z_" + period.lower().replace("-", "_")


def emerging_table(ds: Dataset, result: EmergingResult) -> pd.DataFrame:
    """The CSV: one row per cell with a pattern (cells without one, "intet mønster", are
    the rest of the study area and are not listed), hot patterns first in ArcGIS's order:
    ``cell_id, district_name, category, category_key, hot_steps, cold_steps``, then the
    analysts' ``mk_s, mk_tau, mk_p, mk_z`` and ``z_<periode>``. Districts alike, one row per
    district with a pattern: ``district_id, district_name, category, …``."""
    keep = result.category != NO_PATTERN
    frame = result.table(detail=True)[keep]
    rank = frame["category_key"].map({p.key: i for i, p in enumerate(PATTERNS)})
    frame = frame.assign(_rank=rank).sort_values(["_rank", "location_id"], kind="stable")
    ids = frame["location_id"].astype(str).tolist()
    names = frame["location_name"].astype(str).to_numpy()
    frame = frame.drop(columns=["_rank", "location_id", "location_name"])
    frame = frame.rename(columns={f"z_{name}": z_column(name) for name in result.periods})
    cells = result.unit == "cell"
    frame.insert(0, "cell_id" if cells else "district_id", ids)
    frame.insert(1, "district_name", cell_districts(ds, ids) if cells else names)
    return frame.reset_index(drop=True)


def _areas(names: pd.Series) -> str:
    """'Centrum (5), Vestbyen (3), Øst (2) og 4 andre områder' (most cells first)."""
    counts = names[names != ""].value_counts(sort=True)
    if counts.empty:
        return "–"
    shown = [f"{name} ({fmt.number(n)})" for name, n in counts.iloc[:NAMED_AREAS].items()]
    rest = len(counts) - len(shown)
    text = ", ".join(shown)
    if rest:
        text += f" og {fmt.number(rest)} {'andet område' if rest == 1 else 'andre områder'}"
    return text


def pattern_summary(table: pd.DataFrame) -> pd.DataFrame:
    """The screen's table: one row per pattern that occurs (ArcGIS's order, hot first) with
    its Danish name, its number of cells, its meaning and the districts of its cells; for a
    district table (``district_id``) its number of districts, meaning and their names."""
    districts = "cell_id" not in table
    columns = DISTRICT_SUMMARY_COLUMNS if districts else SUMMARY_COLUMNS
    rows = []
    for pattern in PATTERNS:
        part = table[table["category_key"] == pattern.key]
        if not pattern.side or part.empty:
            continue
        rows.append(
            dict(
                zip(
                    columns,
                    (
                        pattern.name,
                        fmt.number(len(part)),
                        pattern.meaning[:1].upper() + pattern.meaning[1:] + ".",
                        area_list(part["district_name"].astype(str).tolist())
                        if districts
                        else _areas(part["district_name"]),
                    ),
                    strict=True,
                )
            )
        )
    return pd.DataFrame(rows, columns=list(columns))


def emerging_detail(view: View) -> pd.DataFrame:
    """The analysts' per-cell table on screen, from the view's table as the role may have it
    (:func:`tryg_geo.role_files.for_role`): Danish headers and numbers (decimal comma)."""
    table = view.table
    where = {"Celle (DDKN)": table["cell_id"]} if "cell_id" in table else {}
    frame = pd.DataFrame(
        {
            **where,
            "Område": table["district_name"],
            "Mønster": table["category"],
            "Perioder som hotspot": fmt.numbers(table["hot_steps"]),
            "Perioder som coldspot": fmt.numbers(table["cold_steps"]),
        }
    )
    headers = {
        "mk_s": ("Mann–Kendall S", 0),
        "mk_tau": ("Kendalls tau", 3),
        "mk_p": ("Tendens p", 4),
        "mk_z": ("Tendens z", 2),
    }
    for column, (header, decimals) in headers.items():
        if column in table:
            frame[header] = fmt.numbers(table[column], decimals)
    z_columns = {
        f"Gi* z {period_label(c.removeprefix('z_').upper().replace('_', '-'))}": fmt.numbers(
            table[c], 2
        )
        for c in table.columns
        if c.startswith("z_")
    }
    # One concat, not a column at a time: a frame grown by a dozen inserts is copied each time.
    return pd.concat([frame, pd.DataFrame(z_columns, index=frame.index)], axis=1)


def emerging_trend(result: EmergingResult) -> Trend:
    """Cells (or districts) that are a significant hot spot, and a cold spot, in each period
    (locations, not incidents: no count of incidents is shown)."""
    starts = [pd.Timestamp(period_start(name)) for name in result.periods]
    noun = "celler" if result.unit == "cell" else "områder"
    rows = [
        {"period": start, "series": name, "value": float(count), "suppressed": False}
        for name, sign in ((f"Hotspot-{noun}", 1), (f"Coldspot-{noun}", -1))
        for start, count in zip(starts, (result.significance == sign).sum(axis=0), strict=True)
    ]
    data = pd.DataFrame(rows, columns=["period", "series", "value", "suppressed"])
    return Trend(f"Signifikante {noun} pr. {STEPS[result.step].lower()}", data, noun)


def emerging_kpis(result: EmergingResult) -> list[Kpi]:
    """:data:`KPI_TILES` tiles of the hot patterns a meeting acts on (:data:`KPI_PATTERNS`):
    those that occur first, in ArcGIS's order, then those at zero, so the news (9 fortløbende
    hotspots) is never crowded out by tiles saying 0."""
    counts = result.counts()
    ordered = sorted(KPI_PATTERNS, key=lambda k: counts[k] == 0)  # stable: ArcGIS's order
    return [
        Kpi(
            plural(k).capitalize(),
            fmt.number(counts[k]),
            None,
            PATTERN_BY_KEY[k].meaning,
        )
        for k in ordered[:KPI_TILES]
    ]


# ---- the view ---------------------------------------------------------------------------------
def district_note(ds: Dataset, filters: Filters) -> str:
    """How the districts are analysed: neighbours that share a border, and rates per 1 000
    inhabitants when every district has a population (as the districts' hot spots); a chosen
    district is outlined, as every district is analysed."""
    population = ds.population.reindex(ds.districts["district_id"].astype(str))
    basis = (
        "hændelser pr. 1.000 indbyggere"
        if uses_rates(population.to_numpy(dtype="float64"))
        else "antal hændelser (ikke alle områder har et indbyggertal)"
    )
    chosen = ds.district_names.get(filters.district or "")
    marked = (
        f" {chosen} er markeret på kortet; alle områder indgår, for Gi* bruger naboerne."
        if chosen
        else ""
    )
    return (
        f"Pr. område: Gi* beregnes på {basis}, og et områdes naboer er de områder, det deler "
        f"grænse med. Et område uden mønster er lysegråt på kortet.{marked}"
    )


def emerging_view(ds: Dataset, filters: Filters) -> View:
    """The emerging hot spot section: map (with its text alternative), legend, KPIs,
    highlights, the patterns summed up (``display``) and per cell (``table``, the CSV), and
    notes on the period (``kort=emerging``)."""
    filters = filters.with_(categories=analyse_categories(ds, filters))
    result = emerging_result(ds, filters)
    mark = demo_mark(ds, MAP_PARTS)
    sources = data_sources(ds, [("incidents", POLICE)])
    first, last = period_label(result.periods[0]), period_label(result.periods[-1])
    days = analysed_days(ds, result)
    subtitle = filters.with_(start=days[0], end=days[1]).describe(ds.district_names)
    widened = " (udvidet fra den valgte periode, se noten)" if days[0] < filters.start else ""
    table = emerging_table(ds, result)
    cells = result.unit == "cell"
    notes = [
        *period_notes(ds, filters, result),
        *filter(None, [outside_note(result.outside, result.incidents)]),
        EMERGING_NOTE,
    ]
    if not cells:
        notes.append(district_note(ds, filters))
    view = View(
        key="analyse",
        title=f"Nye og vedvarende hotspots, {f'{filters.cell}-celler' if cells else 'områder'}",
        subtitle=f"{subtitle}; {len(result.periods)} {STEP_PLURALS[result.step]}, "
        f"{first}–{last}{widened}",
        demo=mark.demo,
        demo_label=mark.label,
        source=source_line(sources, demo=mark),
        table=table,
        display=pattern_summary(table),
        map=emerging_map(ds, result, filters),
        kpis=emerging_kpis(result),
        trends=[emerging_trend(result)],
        highlights=[
            *(highlights(ds, result) if cells else district_highlights(result)),
            result.summary(),
        ],
        notes=notes,
        sources=sources,
        file_part=FILE_PART if cells else f"{FILE_PART}-{DISTRICT_FILE_PART}",
        period=days,
    )
    if table.empty and not cells:
        view.missing = (
            f"Intet område har et hot- eller coldspot-mønster over de {len(result.periods)} "
            f"{STEP_PLURALS[result.step]}, så der er ingen områder at hente. Prøv flere "
            "kategorier, en længere periode eller celler i stedet for områder."
        )
    elif table.empty:
        view.missing = (
            f"Ingen celler har et hot- eller coldspot-mønster over de {len(result.periods)} "
            f"{STEP_PLURALS[result.step]}, så der er ingen celler at vise eller hente. "
            + coarser_advice(filters.cell, "flere kategorier")
        )
    return view


def analyse_page_view(ds: Dataset, filters: Filters) -> View:
    """The Analyse view of the registry: the emerging section with ``kort=emerging``, else the
    hot spots and near repeat of :func:`~tryg_geo.views.analyse.analyse_view`."""
    return emerging_view(ds, filters) if is_emerging(filters) else analyse_view(ds, filters)
