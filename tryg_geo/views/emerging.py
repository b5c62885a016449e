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
grey), the highlights name the districts (:func:`district_highlights`), and the CSV has one row
per district with a pattern (``district_id, district_name, category, …``).

The page's period is often 12 months: :func:`emerging_period` widens it to
:data:`DEFAULT_STEPS` steps and :func:`period_notes` says so, and says when a step that the
data's first or last day cut is left out (or kept), as the time slider marks it "(delvis)".
"""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import fmt
from ..analysis.emerging import (
    DEFAULT_STEP,
    MIN_STEPS,
    NO_PATTERN,
    PATTERN_BY_KEY,
    PATTERNS,
    STEP_MONTHS,
    STEPS,
    EmergingResult,
    emerging_hotspots,
    step_name,
)
from ..analysis.hotspots import coarser_advice, uses_rates
from ..analysis.study_grid import outside_note
from ..compute.filters import Filters
from ..compute.steps import STEP_PLURALS
from ..periods import label as period_label
from ..periods import parse as parse_period
from ..store.dataset import WGS84, Dataset
from .analyse import MAP_PARTS, analyse_categories, analyse_view
from .analysis_maps import MAP_MODE_PARAM
from .cell_features import CellClass, cell_features, cells_map
from .mapspec import FEATURE_COLUMNS
from .model import Kpi, Legend, MapSpec, Trend, View
from .sources import POLICE, data_sources, demo_mark, source_line

#: The view's files apart from the Analyse page's other files (``tryg-geo_analyse-…``).
FILE_PART = "nye-og-vedvarende-hotspots"
#: The on-screen summary's columns: one row per pattern that occurs.
SUMMARY_COLUMNS = ("Mønster", "Celler", "Betydning", "Områder (flest celler først)")
#: Districts named per pattern in the summary; the rest are counted.
NAMED_AREAS = 3

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
#: Steps shown when the chosen period holds fewer (the page's period is often 12 months).
DEFAULT_STEPS = 12
#: A place farther than this (metres) from a group of cells is not named: its district is.
NEAR_M = 1_000.0
#: The patterns the highlights speak of, in this order (the ones a meeting acts on).
HIGHLIGHTED = ("new_hot", "consecutive_hot", "intensifying_hot", "persistent_hot")
#: The patterns whose highlight says since when (the start of the cells' final hot run).
SINCE_PATTERNS = ("new_hot", "consecutive_hot")
#: The patterns the KPI tiles may show, in ArcGIS's order, and how many tiles there are.
KPI_PATTERNS = (*HIGHLIGHTED, "diminishing_hot")
KPI_TILES = 4
#: Groups of cells (place and start) named per pattern in the highlights; the rest summed.
NAMED_GROUPS = 3
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


def emerging_period(filters: Filters, step: str) -> tuple[date, date]:
    """The period of the analysis: the filters' own, widened back to :data:`DEFAULT_STEPS`
    steps ending with the filters' end when it holds fewer (12 months hold only 4 quarters)."""
    months = STEP_MONTHS[step]
    last = (filters.end.year * 12 + filters.end.month - 1) // months
    first = (filters.start.year * 12 + filters.start.month - 1) // months
    if last - first + 1 >= DEFAULT_STEPS:
        return filters.start, filters.end
    month = (last - DEFAULT_STEPS + 1) * months
    return date(month // 12, month % 12 + 1, 1), filters.end


def _step_index(day: date, step: str) -> int:
    """The step holding ``day`` (months since year 0 // months per step), as the analysis."""
    return (day.year * 12 + day.month - 1) // STEP_MONTHS[step]


def _step_days(index: int, step: str) -> tuple[date, date]:
    """The first and the last day of step ``index``."""
    first = period_start(step_name(index, step))
    following = period_start(step_name(index + 1, step))
    return first, date.fromordinal(following.toordinal() - 1)


def analysed_days(ds: Dataset, result: EmergingResult) -> tuple[date, date]:
    """The first and last day the patterns rest on: whole steps, inside the data's span."""
    first = period_start(result.periods[0])
    last = _step_days(_step_index(period_start(result.periods[-1]), result.step), result.step)[1]
    span = ds.incident_span
    return max(first, span[0]), min(last, span[1])


def _cut_step(ds: Dataset, index: int, step: str, start: date, end: date) -> tuple[str, int, int]:
    """Step ``index``'s label, its days inside ``start``–``end`` and the data, and its days."""
    first, last = _step_days(index, step)
    lo, hi = max(first, start, ds.incident_span[0]), min(last, end, ds.incident_span[1])
    inside = max((hi - lo).days + 1, 0)
    return period_label(step_name(index, step)), inside, (last - first).days + 1


def period_notes(ds: Dataset, filters: Filters, result: EmergingResult) -> list[str]:
    """In plain Danish: that the period was widened to more steps than the page's period
    holds (and why), and each end step that the chosen dates or the data cut: left out when
    less than half of its days are covered (a part of a step holds fewer incidents and would
    look like a fall), kept otherwise; the time slider marks such a step "(delvis)" alike."""
    step = result.step
    plural = STEP_PLURALS[step]
    start, end = emerging_period(filters, step)
    notes = []
    if start < filters.start:
        chosen = _step_index(filters.end, step) - _step_index(filters.start, step) + 1
        first, last = period_label(result.periods[0]), period_label(result.periods[-1])
        notes.append(
            f"Perioden er udvidet til {len(result.periods)} {plural}, {first}–{last}, fordi "
            f"mønstre kræver mindst {MIN_STEPS} perioder, og den valgte periode "
            f"({fmt.day(filters.start)}–{fmt.day(filters.end)}) rummer kun {chosen} "
            f"{plural if chosen != 1 else STEPS[step].lower()}: analysen "
            f"går {DEFAULT_STEPS} {plural} tilbage fra periodens slutning."
        )
    wanted = (_step_index(start, step), _step_index(end, step))
    used = (
        _step_index(period_start(result.periods[0]), step),
        _step_index(period_start(result.periods[-1]), step),
    )
    for index, inside in ((wanted[0], used[0]), (wanted[1], used[1])):
        label, days, whole = _cut_step(ds, index, step, start, end)
        data_days = _cut_step(ds, index, step, date.min, date.max)[1]
        if days == whole or days == 0:
            continue
        slider = f"tidslinjen viser den som '{label} (delvis)'."
        if index != inside:
            notes.append(
                f"{label} er ikke med i mønstrene: kun {fmt.number(days)} af dens "
                f"{fmt.number(whole)} dage er med i perioden og data, og en delvis periode har "
                f"færre hændelser og ville ligne et fald; {slider}"
            )
        elif data_days < whole:
            notes.append(
                f"{label} er med i mønstrene, selv om data kun dækker {fmt.number(data_days)} "
                f"af dens {fmt.number(whole)} dage (mindst halvdelen); {slider}"
            )
        else:
            notes.append(
                f"{label} er med i mønstrene som hel periode (mønstrene bruger hele "
                f"{plural}), selv om den valgte periode kun dækker {fmt.number(days)} af dens "
                f"{fmt.number(whole)} dage; {slider}"
            )
    return notes


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


# ---- words ------------------------------------------------------------------------------------
def period_start(name: str) -> date:
    """The first day of a stored period name ('2025-Q2' → 1 April 2025)."""
    period = parse_period(name)
    if period is None:
        raise ValueError(f"name={name!r} er ikke et periodenavn som '2025-Q2'.")
    return date(period.year, period.first_month, 1)


def _centres(ids: list[str]) -> np.ndarray:
    """Cell centres (EPSG:25832) of DDKN ids like ``250m_25212_2284``."""
    points = []
    for cell in ids:
        size, north, east = cell.split("_")
        metres = 1000 if size == "1km" else int(size.removesuffix("m"))
        points.append(((int(east) + 0.5) * metres, (int(north) + 0.5) * metres))
    return np.asarray(points, dtype="float64").reshape(-1, 2)


def nearest_name(ds: Dataset, x: float, y: float) -> str | None:
    """The place nearest to (x, y) within :data:`NEAR_M`, else the district it lies in."""
    point = shapely.Point(x, y)
    if ds.places is not None and len(ds.places):
        distances = ds.places.geometry.distance(point).to_numpy()
        best = int(np.argmin(distances))
        if distances[best] <= NEAR_M:
            return str(ds.places["name"].iloc[best])
    if ds.districts is not None and len(ds.districts):
        inside = ds.districts.geometry.contains(point).to_numpy()
        if inside.any():
            return str(ds.districts["name"].iloc[int(np.argmax(inside))])
    return None


def run_starts(result: EmergingResult, rows: np.ndarray) -> np.ndarray:
    """Per cell of ``rows``: the step where its final run of hot steps began (the number of
    steps when the cell is not hot in the final step)."""
    hot = result.significance[rows] > 0
    run = np.cumprod(hot[:, ::-1], axis=1).sum(axis=1)
    return len(result.periods) - run


def _clusters(ids: list[str]) -> np.ndarray:
    """A cluster number per cell: cells that touch (the 3 × 3 block of Gi*) share one."""
    keys = [tuple(int(v) for v in cell.split("_")[1:]) for cell in ids]
    position = {key: i for i, key in enumerate(keys)}
    label = np.full(len(ids), -1, dtype=np.int64)
    for first in range(len(ids)):
        if label[first] >= 0:
            continue
        label[first], todo = first, [first]
        while todo:  # flood fill over the touching cells
            north, east = keys[todo.pop()]
            for dn in (-1, 0, 1):
                for de in (-1, 0, 1):
                    other = position.get((north + dn, east + de))
                    if other is not None and label[other] < 0:
                        label[other] = first
                        todo.append(other)
    return label


def cell_groups(ds: Dataset, result: EmergingResult, key: str) -> list[tuple[int, str | None, int]]:
    """The cells of pattern ``key`` grouped by where they are and, for new and consecutive
    hot spots, by when their final run of hot steps began: ``(cells, place, start step)``,
    most cells first (newest first among equals). Touching cells that began together are one
    cluster named by the place nearest its centre (:func:`nearest_name`); clusters with the
    same name and start are one group, so a cluster that grew in two waves is told as two."""
    rows = np.flatnonzero(result.category == key)
    if not len(rows):
        return []
    ids = [str(result.ids[i]) for i in rows]
    dated = key in SINCE_PATTERNS
    starts = run_starts(result, rows) if dated else np.full(len(rows), -1)
    centres = _centres(ids)
    groups: dict[tuple[str | None, int], int] = {}
    for start in np.unique(starts):
        part = np.flatnonzero(starts == start)
        labels = _clusters([ids[i] for i in part])
        for label in np.unique(labels):
            members = part[labels == label]
            centre = centres[members].mean(axis=0)
            where = nearest_name(ds, float(centre[0]), float(centre[1]))
            groups[(where, int(start))] = groups.get((where, int(start)), 0) + len(members)
    ordered = sorted(  # named places before cells near none, among equals
        groups.items(),
        key=lambda item: (-item[1], -item[0][1], item[0][0] is None, item[0][0] or ""),
    )
    return [(n, where, start) for (where, start), n in ordered]


def plural(key: str) -> str:
    """A pattern's name in the plural, lower case ("nye hotspots", "vedvarende coldspots"):
    "ny" is the one adjective of :data:`PATTERNS` whose plural differs."""
    adjective, noun = PATTERN_BY_KEY[key].name.lower().split()
    return f"{'nye' if adjective == 'ny' else adjective} {noun}s"


def _start_label(result: EmergingResult, start: int) -> str:
    """The period a run began in, in words ('1. kvt. 2025')."""
    return period_label(result.periods[min(start, len(result.periods) - 1)])


def highlights(ds: Dataset, result: EmergingResult) -> list[str]:
    """Plain Danish, one line per acted-on pattern: how many cells, around which place, since
    when, per group of :func:`cell_groups` (at most :data:`NAMED_GROUPS`, the rest summed),
    so a new cluster is not hidden under an older one's date ("6 fortløbende hotspots omkring
    Aalborg Øst siden 1. kvt. 2025; 3 omkring Vejgaard siden 3. kvt. 2023."); a date that
    every group shares is said once ("…; 13 andre celler; alle siden 4. kvt. 2025.")."""
    lines = []
    for key in HIGHLIGHTED:
        groups = cell_groups(ds, result, key)
        if not groups:
            continue
        dated = key in SINCE_PATTERNS
        # One start for every group (every new hot spot's is the last step): said once.
        starts = {start for _, _, start in groups}
        named = any(where for _, where, _ in groups)
        parts = []
        for n, where, start in groups[:NAMED_GROUPS]:
            text = fmt.number(n)
            if not parts:
                text += " " + (plural(key) if n > 1 else PATTERN_BY_KEY[key].name.lower())
            if where:
                text += f" omkring {where}"
            elif named:
                text += " andetsteds"
            if dated and len(starts) > 1:
                text += f" siden {_start_label(result, start)}"
            parts.append(text)
        rest = sum(n for n, _, _ in groups[NAMED_GROUPS:])
        if rest:
            parts.append(f"{fmt.number(rest)} {'anden celle' if rest == 1 else 'andre celler'}")
        if dated and len(starts) == 1:
            since = f"siden {_start_label(result, starts.pop())}"
            parts[-1] += f" {since}" if len(parts) == 1 else f"; alle {since}"
        lines.append("; ".join(parts) + ".")
    if not lines:
        lines.append(
            f"Ingen nye, fortløbende, tiltagende eller vedvarende hotspots over "
            f"{len(result.periods)} perioder."
        )
    return lines


def district_highlights(result: EmergingResult) -> list[str]:
    """:func:`highlights` for districts: the acted-on patterns name their districts
    ("2 nye hotspots: Vestbyen og Kærby, siden 2. kvt. 2025")."""
    lines = []
    for key in HIGHLIGHTED:
        rows = np.flatnonzero(result.category == key)
        if not len(rows):
            continue
        word = plural(key) if len(rows) > 1 else PATTERN_BY_KEY[key].name.lower()
        names = [str(result.names[i]) for i in rows]
        dated = key in ("new_hot", "consecutive_hot")
        starts = run_starts(result, rows) if dated else np.zeros(len(rows), dtype=int)
        if len(set(starts.tolist())) > 1:
            # Each district its own start: one date for all would hide a new one behind an old.
            names = [
                f"{n} (siden {_start_label(result, int(s))})"
                for n, s in zip(names, starts, strict=True)
            ]
        text = f"{fmt.number(len(rows))} {word}: {_named(names)}"
        if dated and len(set(starts.tolist())) == 1:
            text += f", siden {_start_label(result, int(starts[0]))}"
        lines.append(text + ".")
    if not lines:
        lines.append(
            f"Ingen områder er nye, fortløbende, tiltagende eller vedvarende hotspots over "
            f"{len(result.periods)} perioder."
        )
    return lines


def text_alternative(result: EmergingResult) -> str:
    """The map in words, from the result itself (the cells drawn are the cells with a
    pattern): how many, and per pattern that occurs how many cells and what it means."""
    counts = result.counts()
    parts = [
        f"{p.name}: {fmt.number(counts[p.key])} ({p.meaning})"
        for p in PATTERNS
        if p.side and counts[p.key]
    ]
    first, last = period_label(result.periods[0]), period_label(result.periods[-1])
    size = f"{result.size}-celler" if result.size else "områder"
    head = f"Kortet viser nye og vedvarende hotspots på {size} fra {first} til {last}"
    if result.unit == "district":
        if not parts:
            return f"{head}: intet område har et hot- eller coldspot-mønster."
        drawn = len(result.ids) - counts[NO_PATTERN]
        return (
            f"{head}: {fmt.number(drawn)} af {fmt.number(len(result.ids))} områder har et "
            f"mønster; de øvrige er lysegrå (intet mønster). " + "; ".join(parts) + "."
        )
    if not parts:
        return f"{head}: ingen celler har et hot- eller coldspot-mønster, så ingen er tegnet."
    drawn = len(result.ids) - counts[NO_PATTERN]
    return (
        f"{head}: {fmt.number(drawn)} celler har et mønster og er tegnet. " + "; ".join(parts) + "."
    )


# ---- tables -------------------------------------------------------------------------------------
def cell_districts(ds: Dataset, ids: list[str]) -> np.ndarray:
    """The name of the district each cell's centre lies in ("" outside every district)."""
    names = np.full(len(ids), "", dtype=object)
    if not ids or ds.districts is None or not len(ds.districts):
        return names
    tree = shapely.STRtree(ds.districts.geometry.to_numpy())
    cell, area = tree.query(shapely.points(_centres(ids)), predicate="within")
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


def _named(names: list[str]) -> str:
    """'Vestbyen, Kærby og Hasseris', or 'Vestbyen, Kærby, Hasseris og 2 andre områder'."""
    shown, rest = names[:NAMED_AREAS], len(names) - NAMED_AREAS
    if rest > 0:
        return ", ".join(shown) + (
            f" og {fmt.number(rest)} {'andet område' if rest == 1 else 'andre områder'}"
        )
    return ", ".join(shown[:-1]) + f" og {shown[-1]}" if len(shown) > 1 else "".join(shown)


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
                        _named(part["district_name"].astype(str).tolist())
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
            "Perioder som hotspot": [fmt.number(v) for v in table["hot_steps"]],
            "Perioder som coldspot": [fmt.number(v) for v in table["cold_steps"]],
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
            frame[header] = [fmt.number(v, decimals) for v in table[column]]
    for column in [c for c in table.columns if c.startswith("z_")]:
        period = column.removeprefix("z_").upper().replace("_", "-")
        frame[f"Gi* z {period_label(period)}"] = [fmt.number(v, 2) for v in table[column]]
    return frame


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
