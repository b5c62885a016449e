"""Analyse's emerging hot spots: is a hot spot new, growing, lasting or fading?

:func:`emerging_view` is the section "Nye og vedvarende hotspots" of the Analyse page and
``export --view analyse --map emerging`` (the URL's ``kort=emerging``, the step in ``trin``):
the category map of :mod:`tryg_geo.analysis.emerging` on the chosen cells, its legend, plain
Danish highlights that name the nearest place, and the table of locations per category. The
z-series and the trend statistics (``mk_*``, ``z_<periode>``) are analyst detail that
:mod:`tryg_geo.role_files` takes out for leaders in every file.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import shapely

from .. import fmt
from ..analysis.emerging import (
    DEFAULT_STEP,
    PATTERN_BY_KEY,
    PATTERNS,
    STEP_MONTHS,
    STEPS,
    EmergingResult,
    emerging_hotspots,
)
from ..compute.filters import Filters
from ..periods import label as period_label
from ..periods import parse as parse_period
from ..store.dataset import Dataset
from .analyse import MAP_PARTS, analyse_categories, analyse_view
from .analysis_maps import MAP_MODE_PARAM
from .cell_features import CellClass, cell_features, cells_map
from .model import Kpi, Legend, MapSpec, Trend, View
from .sources import POLICE, data_sources, demo_mark, source_line

#: The URL's map mode of the emerging section (``kort=emerging``; ``--map emerging``).
EMERGING_MODE = "emerging"
#: The URL's key of the time step (``trin``): one of :data:`~tryg_geo.analysis.emerging.STEPS`.
STEP_PARAM = "trin"
#: Steps shown when the chosen period holds fewer (the page's period is often 12 months).
DEFAULT_STEPS = 12
#: A place farther than this (metres) from a group of cells is not named: its district is.
NEAR_M = 1_000.0
#: The patterns the highlights speak of, in this order (the ones a meeting acts on).
HIGHLIGHTED = ("new_hot", "consecutive_hot", "intensifying_hot", "persistent_hot")
EMERGING_NOTE = (
    "Nye og vedvarende hotspots (som ArcGIS' Emerging Hot Spot Analysis): Gi* beregnes for hver "
    "periode med samme naboskab og FDR-korrektion som hotspot-kortet, derefter testes hver "
    "celles z-værdier for en tendens over tid (Mann–Kendall), og hver celle får ét mønster. "
    "Ny: hotspot i sidste periode og aldrig før. Tiltagende/aftagende: hotspot i mindst 90 % af "
    "perioderne og signifikant stigende/faldende. Vedvarende: hotspot i mindst 90 % uden "
    "tendens. Historisk: ikke længere hotspot. Cold spots læses på samme måde."
)


def step_of(filters: Filters) -> str:
    """The step from the URL (``trin``), else :data:`~tryg_geo.analysis.emerging.DEFAULT_STEP`."""
    value = filters.extra.get(STEP_PARAM, DEFAULT_STEP)
    return value if value in STEPS else DEFAULT_STEP


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


def emerging_result(ds: Dataset, filters: Filters) -> EmergingResult:
    """The emerging hot spots of the filters: the Analyse categories (burglary when none is
    chosen), ``filters.cell`` cells, the step of ``trin`` (cached)."""
    step = step_of(filters)
    start, end = emerging_period(filters, step)
    return emerging_hotspots(
        ds,
        step=step,
        start=start,
        end=end,
        categories=analyse_categories(ds, filters),
        unit="cell",
        size=filters.cell,
        district=filters.district if filters.district in ds.district_names else None,
    )


# ---- the map --------------------------------------------------------------------------------
def emerging_legend(result: EmergingResult) -> Legend:
    """The patterns that occur, cold first and hot last (legends read from low to high),
    each named; "intet mønster" is not drawn and not listed."""
    counts = result.counts()
    shown = [p for p in PATTERNS if p.side and counts[p.key]]
    order = [p for p in reversed(shown) if p.side == "cold"] + [p for p in shown if p.side == "hot"]
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
    return cells_map(ds, features, emerging_legend(result), shapes)


# ---- words ------------------------------------------------------------------------------------
def period_start(name: str) -> date:
    """The first day of a stored period name ('2025-Q2' → 1 April 2025)."""
    period = parse_period(name)
    if period is None:
        raise ValueError(f"name={name!r} er ikke et periodenavn som '2025-Q2'.")
    return date(period.year, period.first_month, 1)


def _centres(result: EmergingResult, ids: list[str]) -> np.ndarray:
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


def _since(result: EmergingResult, rows: np.ndarray) -> str:
    """The first period of the final run of hot steps of the cells ``rows`` (earliest)."""
    hot = result.significance[rows] > 0
    run = np.cumprod(hot[:, ::-1], axis=1).sum(axis=1)
    first = len(result.periods) - int(run.max())
    return period_label(result.periods[max(first, 0)])


def plural(key: str) -> str:
    """A pattern's name in the plural, lower case ("nye hotspots", "vedvarende coldspots"):
    "ny" is the one adjective of :data:`PATTERNS` whose plural differs."""
    adjective, noun = PATTERN_BY_KEY[key].name.lower().split()
    return f"{'nye' if adjective == 'ny' else adjective} {noun}s"


def highlights(ds: Dataset, result: EmergingResult) -> list[str]:
    """Plain Danish: how many cells of each acted-on pattern, around which place, since when
    ("3 nye hotspots omkring Jomfru Ane Gade siden 2. kvt. 2025")."""
    lines = []
    for key in HIGHLIGHTED:
        rows = np.flatnonzero(result.category == key)
        if not len(rows):
            continue
        pattern = PATTERN_BY_KEY[key]
        centre = _centres(result, [str(result.ids[i]) for i in rows]).mean(axis=0)
        where = nearest_name(ds, float(centre[0]), float(centre[1]))
        word = plural(key) if len(rows) > 1 else pattern.name.lower()
        text = f"{fmt.number(len(rows))} {word}"
        if where:
            text += f" omkring {where}"
        if key in ("new_hot", "consecutive_hot"):
            text += f" siden {_since(result, rows)}"
        lines.append(text + ".")
    if not lines:
        lines.append(
            f"Ingen nye, fortløbende, tiltagende eller vedvarende hotspots over "
            f"{len(result.periods)} perioder."
        )
    return lines


def text_alternative(result: EmergingResult) -> str:
    """The map in words: each pattern that occurs, how many cells, and what it means."""
    counts = result.counts()
    parts = [
        f"{p.name}: {fmt.number(counts[p.key])} ({p.meaning})"
        for p in PATTERNS
        if p.side and counts[p.key]
    ]
    first, last = period_label(result.periods[0]), period_label(result.periods[-1])
    head = f"Kortet viser mønstret i hver celle fra {first} til {last}. "
    return head + ("; ".join(parts) + "." if parts else "Ingen celler har et mønster.")


def emerging_trend(result: EmergingResult) -> Trend:
    """Cells that are a significant hot spot, and a cold spot, in each period (cells, not
    incidents: no count of incidents is shown)."""
    starts = [pd.Timestamp(period_start(name)) for name in result.periods]
    rows = [
        {"period": start, "series": name, "value": float(count), "suppressed": False}
        for name, sign in (("Hotspot-celler", 1), ("Coldspot-celler", -1))
        for start, count in zip(starts, (result.significance == sign).sum(axis=0), strict=True)
    ]
    data = pd.DataFrame(rows, columns=["period", "series", "value", "suppressed"])
    return Trend(f"Signifikante celler pr. {STEPS[result.step].lower()}", data, "celler")


def emerging_kpis(result: EmergingResult) -> list[Kpi]:
    counts = result.counts()
    return [
        Kpi(
            plural(k).capitalize(),
            fmt.number(counts[k]),
            None,
            PATTERN_BY_KEY[k].meaning,
        )
        for k in ("new_hot", "intensifying_hot", "persistent_hot", "diminishing_hot")
    ]


# ---- the view ---------------------------------------------------------------------------------
def emerging_view(ds: Dataset, filters: Filters) -> View:
    """The emerging hot spot section: map, legend, KPIs, highlights, table (``kort=emerging``)."""
    filters = filters.with_(categories=analyse_categories(ds, filters))
    result = emerging_result(ds, filters)
    mark = demo_mark(ds, MAP_PARTS)
    source = source_line(data_sources(ds, [("incidents", POLICE)]), demo=mark)
    first, last = period_label(result.periods[0]), period_label(result.periods[-1])
    start, end = emerging_period(filters, result.step)
    subtitle = filters.with_(start=start, end=end).describe(ds.district_names)
    return View(
        key="analyse",
        title=f"Nye og vedvarende hotspots, {filters.cell}-celler",
        subtitle=f"{subtitle}; {len(result.periods)} perioder ({STEPS[result.step].lower()}), "
        f"{first}–{last}",
        demo=mark.demo,
        demo_label=mark.label,
        source=source,
        table=result.table(detail=True).assign(source=source),
        map=emerging_cells_map(ds, result),
        kpis=emerging_kpis(result),
        trends=[emerging_trend(result)],
        highlights=[*highlights(ds, result), result.summary()],
        notes=[text_alternative(result), EMERGING_NOTE],
    )


def analyse_page_view(ds: Dataset, filters: Filters) -> View:
    """The Analyse view of the registry: the emerging section with ``kort=emerging``, else the
    hot spots and near repeat of :func:`~tryg_geo.views.analyse.analyse_view`."""
    return emerging_view(ds, filters) if is_emerging(filters) else analyse_view(ds, filters)
