"""Stepped maps: one map per month, quarter or year on ONE colour scale (the time slider, the
animation).

For a view's filters, :func:`stepped_maps` counts the view's selection per step and cell in
one pass (:func:`tryg_geo.compute.steps.step_counts`), hides small counts per step and cell
(:mod:`tryg_geo.compute.privacy`, with the step's total in the text alternative) and fixes one
set of class breaks over every shown count of every step, so a change in colour between two
steps is a change in the data. :func:`step_view` is one step as a :class:`View` (its map, a
table of its cells and a text alternative), made once per step and kept per data version.

The selection is the view's own: Natteliv's nights and categories (the zone indicator's by
default), Analyse's analysed incidents (the chosen categories or burglary, inside the
districts or the chosen one).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import fmt
from ..cache import per_version
from ..compute.breaks import SUPPRESSED_COLOR, classify, member_entries
from ..compute.counts import category_mask, combine, night_mask, period_mask
from ..compute.filters import Filters
from ..compute.privacy import (
    complementary,
    complementary_note,
    count_text,
    hidden_legend,
    hidden_text,
    suppress_with_total,
    threshold,
)
from ..compute.steps import STEPS, StepCounts, check_step, is_partial, step_counts
from ..errors import UsageError
from ..store.dataset import WGS84, Dataset
from .analyse import MAP_PARTS as ANALYSE_PARTS
from .analyse import analyse_categories
from .cell_features import by_class, table_cell_features
from .mapspec import zones as mapspec_zones
from .model import Legend, MapSpec, View
from .natteliv import PALETTE, zone_indicator
from .natteliv import USED as NATTELIV_PARTS
from .sources import POLICE, data_sources, demo_mark, source_line

#: The views with a time slider, and what their steps count (Danish, for titles).
STEPPED_VIEWS: dict[str, str] = {
    "natteliv": "Hændelser om natten",
    "analyse": "Analyserede hændelser",
}
#: The words of the legend that say the scale is shared.
SHARED_SCALE = "samme farveskala for alle perioder"


@dataclass(frozen=True)
class SteppedMaps:
    """Every step of one view's selection, counted and classed once.

    Attributes
    ----------
    key : the view key ('natteliv' or 'analyse'); role rules apply as to that view.
    filters : the filters the steps were counted under.
    step : 'month', 'quarter' or 'year'.
    counts : incidents per step and cell (:class:`~tryg_geo.compute.steps.StepCounts`).
    hidden : per step and cell, True where the count is not shown (discretion).
    bins : the shared class bounds (whole counts) over every shown count of every step.
    lowest : the smallest shown count (the first class's start), None when none is shown.
    labels : each step in Danish ('2. kvt. 2025'; '(delvis)' when the chosen dates or the
        data's own first and last day cut it, as the emerging hot spots leave such a step out).
    demo, demo_label, source : as the view's (:mod:`tryg_geo.views.sources`).
    bounds : one extent for every step (:func:`step_bounds`: Analyse's study area, Natteliv's
        cells with an incident), so every frame shows the same place whichever cells it shows.
    """

    key: str
    filters: Filters
    step: str
    counts: StepCounts
    hidden: np.ndarray
    bins: tuple[float, ...]
    lowest: float | None
    labels: tuple[str, ...]
    demo: bool
    demo_label: str | None
    source: str
    bounds: tuple[float, float, float, float] | None

    def __len__(self) -> int:
        return len(self.labels)


def step_labels(counts: StepCounts) -> tuple[str, ...]:
    """The steps in Danish, '(delvis)' after a step the chosen dates cut."""
    return tuple(
        p.label() + (" (delvis)" if cut else "")
        for p, cut in zip(counts.periods, counts.partial, strict=True)
    )


def stepped_maps(ds: Dataset, key: str, filters: Filters, step: str) -> SteppedMaps:
    """The steps of view ``key`` under ``filters``, counted once per data version and filters.

    Parameters
    ----------
    ds : the loaded data.
    key : 'natteliv' or 'analyse' (:data:`STEPPED_VIEWS`).
    filters : the page's filters (period, categories, district, cell size, nights).
    step : 'month', 'quarter' or 'year'.

    Raises
    ------
    UsageError
        When ``key`` has no time slider or ``step`` is not a step.
    """
    if key not in STEPPED_VIEWS:
        raise UsageError(f"--view {key!r} har ingen tidsskyder; vælg {', '.join(STEPPED_VIEWS)}.")
    check_step(step, "--step")
    # The threshold is read on every call (a setting): part of the key, so no old one is kept.
    token = (key, filters, tuple(sorted(filters.extra.items())), step, threshold())
    return per_version(ds, "stepped_maps", token, lambda: _stepped(ds, key, filters, step))


def _selection(ds: Dataset, key: str, filters: Filters) -> tuple[np.ndarray, Filters, tuple]:
    """The incidents view ``key`` counts, its filters as it reads them and the data it uses."""
    arrays = ds.arrays
    if key == "natteliv":
        categories = filters.categories or tuple(
            c for c in zone_indicator().categories if c in ds.categories
        )
        nights = night_mask(arrays, filters.nights, filters.night_start, filters.night_end)
        mask = combine(
            period_mask(arrays, filters.start, filters.end),
            category_mask(arrays, categories),
            nights,
        )
        return mask, filters.with_(categories=categories), NATTELIV_PARTS
    categories = analyse_categories(ds, filters)
    district = filters.district if filters.district in ds.district_names else None
    inside = (
        arrays.district == arrays.district_ids.index(district)
        if district in arrays.district_ids
        else arrays.district >= 0
    )
    mask = combine(
        period_mask(arrays, filters.start, filters.end),
        category_mask(arrays, categories) if categories else np.zeros(len(arrays.time), bool),
        inside,
    )
    return mask, filters.with_(categories=categories), ANALYSE_PARTS


def _stepped(ds: Dataset, key: str, filters: Filters, step: str) -> SteppedMaps:
    mask, filters, parts = _selection(ds, key, filters)
    counts = step_counts(ds.arrays, mask, filters.cell, filters.start, filters.end, step)
    counts = replace(counts, partial=partial_steps(ds, counts, filters))
    # Per step, the cells add up to the step's total (said in the text alternative):
    # complementary suppression within each step.
    hidden = np.zeros(counts.counts.shape, dtype=bool)
    for row, values in enumerate(counts.counts):
        hidden[row] = suppress_with_total(values)
    shown = counts.counts[~hidden & (counts.counts > 0)].astype("float64")
    _, bins = classify(shown, filters.scheme, whole=True)
    mark = demo_mark(ds, parts)
    return SteppedMaps(
        key=key,
        filters=filters,
        step=step,
        counts=counts,
        hidden=hidden,
        bins=tuple(bins),
        lowest=float(shown.min()) if len(shown) else None,
        labels=step_labels(counts),
        demo=mark.demo,
        demo_label=mark.label,
        source=source_line(data_sources(ds, [("incidents", POLICE)]), demo=mark),
        bounds=step_bounds(ds, key, counts, filters),
    )


def partial_steps(ds: Dataset, counts: StepCounts, filters: Filters) -> tuple[bool, ...]:
    """Per step, True when the chosen dates or the data's own span leave out some of its
    days: a step the data end in the middle of holds fewer incidents, and says so."""
    span = ds.incident_span
    start, end = max(filters.start, span[0]), min(filters.end, span[1])
    return tuple(is_partial(p, start, end) for p in counts.periods)


def step_bounds(ds: Dataset, key: str, counts: StepCounts, filters: Filters) -> tuple | None:
    """One extent for every step, with a margin of about 1 km, so stepping keeps one view:
    Analyse's study area (the chosen district, else every district: the kommune); Natteliv's
    (and Analyse's without districts) every cell with an incident in some step, shown or hidden
    (a hidden cell is drawn too, in grey) — never only the few cells shown in some step."""
    areas = ds.districts_wgs84
    if key == "analyse" and areas is not None and len(areas):
        chosen = areas[areas["district_id"].astype(str) == str(filters.district)]
        shapes = (chosen if len(chosen) else areas).geometry.to_numpy()
    elif counts.counts.any():
        anywhere = (counts.counts > 0).any(axis=0)
        shapes = ds.cell_shapes([c for c, on in zip(counts.cells, anywhere, strict=True) if on])
    else:
        return None
    minx, miny, maxx, maxy = shapely.total_bounds(shapes)
    margin = 0.01
    return (minx - margin, miny - margin / 2, maxx + margin, maxy + margin / 2)


def step_view(ds: Dataset, stepped: SteppedMaps, index: int) -> View:
    """Step ``index`` of ``stepped`` as a View: its map on the shared scale, a table of its
    cells (``cell_id, period, incidents, suppressed``) and the words around them; made once
    per step and kept per data version."""
    if not 0 <= index < len(stepped):
        raise UsageError(
            f"trin={index} findes ikke; vælg 0–{len(stepped) - 1} ({len(stepped)} perioder)."
        )
    token = (stepped.key, stepped.filters, stepped.step, index, stepped.bins, threshold())
    return per_version(ds, "step_views", token, lambda: _step_view(ds, stepped, index))


def _step_view(ds: Dataset, stepped: SteppedMaps, index: int) -> View:
    filters = stepped.filters
    values = stepped.counts.counts[index]
    hidden = stepped.hidden[index]
    present = values > 0
    cells = np.asarray(stepped.counts.cells, dtype=object)[present]
    table = pd.DataFrame(
        {
            "cell_id": cells.astype(str),
            "period": stepped.counts.periods[index].name,
            "incidents": pd.array(
                np.where(hidden[present], np.nan, values[present]), dtype="Float64"
            ),
            "suppressed": hidden[present],
            # Hidden only so that a small cell cannot be worked out from the step's total.
            "complementary": complementary(values[present], hidden[present]),
        }
    )
    table = table.sort_values(
        ["incidents", "cell_id"], ascending=[False, True], na_position="last"
    ).reset_index(drop=True)
    label = stepped.labels[index]
    total = count_text(int(values.sum()))
    view = View(
        key=stepped.key,
        title=f"{STEPPED_VIEWS[stepped.key]} – {label}",
        subtitle=(
            f"{filters.describe(ds.district_names)}; trin: {STEPS[stepped.step].lower()}; "
            f"{total} hændelser i perioden"
        ),
        demo=stepped.demo,
        demo_label=stepped.demo_label,
        source=stepped.source,
        table=table,
        map=_step_map(ds, stepped, table),
        notes=[
            f"Kortene har {SHARED_SCALE}: en anden farve betyder et andet antal. "
            f"Celler med færre end {threshold()} hændelser i perioden vises som "
            f"'{hidden_text()}' uden tal."
        ],
    )
    if table["complementary"].any():
        view.notes.append(complementary_note())
    view.partnership = ds.partnership.name
    view.partnership_colour = ds.partnership.colour
    return view


def _step_map(ds: Dataset, stepped: SteppedMaps, table: pd.DataFrame) -> MapSpec:
    """Shown cells coloured on the shared breaks; hidden cells as grey shapes."""
    bins = list(stepped.bins)
    hidden = table["suppressed"].to_numpy(dtype=bool)
    shown = table[~hidden]
    values = shown["incidents"].astype("float64").to_numpy(na_value=np.nan)
    # The shared breaks: the same class rule as classify(whole=True), on fixed bounds.
    classes = np.minimum(np.searchsorted(np.asarray(bins), values, side="left"), len(bins) - 1)
    entries = _shared_entries(stepped)
    features, _, _ = table_cell_features(ds, table, classes, by_class(entries, len(bins), PALETTE))
    # One legend for every step: the grey entry names both kinds whenever any step has both.
    all_hidden = stepped.hidden & (stepped.counts.counts > 0)
    any_protecting = bool(complementary(stepped.counts.counts, all_hidden).any())
    entries = [*entries, (SUPPRESSED_COLOR, hidden_legend(True, any_protecting))]
    zones = mapspec_zones(ds) if stepped.key == "natteliv" else None
    return MapSpec(
        kind="cells",
        features=gpd.GeoDataFrame(features, geometry="geometry", crs=WGS84),
        legend=Legend(f"Hændelser pr. {stepped.filters.cell}-celle ({SHARED_SCALE})", entries),
        outline=ds.districts_wgs84,
        water=ds.water_wgs84,
        zones=zones,
        bounds=stepped.bounds,
    )


def _shared_entries(stepped: SteppedMaps) -> list[tuple[str, str]]:
    """The shared legend's classes, each read from the counts it holds in any step (shown
    counts only): no class range reaches into the hidden counts."""
    bins = list(stepped.bins)
    counts = stepped.counts.counts
    shown = counts[~stepped.hidden & (counts > 0)].astype("float64")
    classes = np.minimum(np.searchsorted(np.asarray(bins), shown, side="left"), len(bins) - 1)
    return member_entries(shown, classes, bins, PALETTE, fmt.number)
