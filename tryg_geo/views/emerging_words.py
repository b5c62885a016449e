"""The words of Analyse's emerging hot spots (:mod:`tryg_geo.views.emerging`).

Plain Danish highlights that name the nearest place to each group of cells
(:func:`highlights`) or the districts (:func:`district_highlights`), the map's text
alternative (:func:`text_alternative`), and the period the patterns rest on: widened to
:data:`DEFAULT_STEPS` steps (:func:`emerging_period`, :func:`analysed_days`) and said so, with
the cut end steps, in :func:`period_notes`. Imported by :mod:`tryg_geo.views.emerging`, never
the reverse.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import shapely

from .. import fmt
from ..analysis.emerging import (
    MIN_STEPS,
    NO_PATTERN,
    PATTERN_BY_KEY,
    PATTERNS,
    STEP_MONTHS,
    STEPS,
    EmergingResult,
    step_name,
)
from ..compute.filters import Filters
from ..compute.steps import STEP_PLURALS
from ..periods import label as period_label
from ..periods import parse as parse_period
from ..store.dataset import Dataset

#: Districts named per pattern in the summary; the rest are counted.
NAMED_AREAS = 3
#: Steps shown when the chosen period holds fewer (the page's period is often 12 months).
DEFAULT_STEPS = 12
#: A place farther than this (metres) from a group of cells is not named: its district is.
NEAR_M = 1_000.0
#: The patterns the highlights speak of, in this order (the ones a meeting acts on).
HIGHLIGHTED = ("new_hot", "consecutive_hot", "intensifying_hot", "persistent_hot")
#: The patterns whose highlight says since when (the start of the cells' final hot run).
SINCE_PATTERNS = ("new_hot", "consecutive_hot")
#: Groups of cells (place and start) named per pattern in the highlights; the rest summed.
NAMED_GROUPS = 3


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


def period_start(name: str) -> date:
    """The first day of a stored period name ('2025-Q2' → 1 April 2025)."""
    period = parse_period(name)
    if period is None:
        raise ValueError(f"name={name!r} er ikke et periodenavn som '2025-Q2'.")
    return date(period.year, period.first_month, 1)


def cell_centres(ids: list[str]) -> np.ndarray:
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
    centres = cell_centres(ids)
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
        text = f"{fmt.number(len(rows))} {word}: {area_list(names)}"
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


def area_list(names: list[str]) -> str:
    """'Vestbyen, Kærby og Hasseris', or 'Vestbyen, Kærby, Hasseris og 2 andre områder'."""
    shown, rest = names[:NAMED_AREAS], len(names) - NAMED_AREAS
    if rest > 0:
        return ", ".join(shown) + (
            f" og {fmt.number(rest)} {'andet område' if rest == 1 else 'andre områder'}"
        )
    return ", ".join(shown[:-1]) + f" og {shown[-1]}" if len(shown) > 1 else "".join(shown)
