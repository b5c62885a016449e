"""Natteliv: night-time incidents as a hotspot grid, an hour × weekday table and a trend."""

from __future__ import annotations

import warnings
from functools import partial

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .. import fmt
from ..cache import per_version
from ..compute.breaks import SUPPRESSED_COLOR, classify, colours, member_entries
from ..compute.counts import (
    by_cell,
    by_month,
    category_mask,
    combine,
    hour_weekday,
    night_mask,
    period_mask,
)
from ..compute.filters import (
    NIGHT_END,
    NIGHT_START,
    NIGHTS,
    Filters,
    no_previous_text,
    previous_year_covered,
)
from ..compute.privacy import (
    complementary,
    complementary_note,
    count_text,
    hidden_legend,
    hidden_text,
    hide_periods,
    safe_change,
    shown_count,
    small,
    suppress_with_total,
    threshold,
)
from ..compute.registry import Indicator, all_indicators
from ..geo.grid import cell_size, covering_cells
from ..store.dataset import WGS84, Dataset
from .analysis_maps import HOTSPOT_LAYER, LAYER_PARAM, night_hotspot_map
from .cell_features import by_class, table_cell_features
from .mapspec import zones
from .model import Kpi, Legend, MapSpec, Trend, View
from .sources import POLICE, data_sources, demo_mark, source_line

PALETTE = "oranges"
#: The data the view counts and draws: incidents in cells over districts, zones and water.
USED = ("incidents", "districts", "places")
#: The registry's indicator of night incidents in the zone: its categories are the page's
#: default, so "Et trygt natteliv" on Overblik and this page's zone figure are one number.
ZONE_INDICATOR = "natteliv_vold_antal"


def zone_indicator() -> Indicator:
    """The registry indicator that defines the nightlife figure (one definition, one home)."""
    return next(ind for _, ind in all_indicators() if ind.id == ZONE_INDICATOR)


def zone_label(filters: Filters, present: list[str]) -> str:
    """The zone figure's name: the indicator's own when the choices are its definition (its
    categories among those ``present`` in the data), otherwise a name that says what is
    counted instead."""
    ind = zone_indicator()
    defined = {c for c in ind.categories if c in present}
    same = (
        bool(defined)
        and set(filters.categories) == defined
        and tuple(filters.nights) == NIGHTS
        and (filters.night_start, filters.night_end) == (NIGHT_START, NIGHT_END)
    )
    if same:
        return ind.label
    chosen = ", ".join(filters.categories) or "alle kategorier"
    return f"Heraf i nattelivszonen ({chosen}; valgte nætter og timer)"


def natteliv_view(ds: Dataset, filters: Filters) -> View:
    """Night-time incidents for ``filters`` (default categories: vold, trusler, orden, …).

    Parameters
    ----------
    ds : the loaded data.
    filters : period, categories, night window (nights, night_start, night_end) and cell size.

    Returns
    -------
    View
        ``table`` has one row per grid cell with incidents; cells below the threshold carry no
        count.
    """
    # The indicator's categories found in the data; none of them (another police export's
    # names): every category, and the zone figure's name says so.
    categories = filters.categories or tuple(
        c for c in zone_indicator().categories if c in ds.categories
    )
    filters = filters.with_(categories=categories)
    arrays = ds.arrays
    nights = night_mask(arrays, filters.nights, filters.night_start, filters.night_end)
    kinds = category_mask(arrays, categories)
    now = combine(period_mask(arrays, filters.start, filters.end), kinds, nights)
    before = combine(period_mask(arrays, *filters.previous_year()), kinds, nights)
    cells = _cells(arrays, now, filters.cell)
    table = _cell_table(cells, filters)
    sources = data_sources(ds, [("incidents", POLICE)])
    mark = demo_mark(ds, USED)
    view = View(
        key="natteliv",
        title="Et trygt natteliv – hændelser om natten",
        subtitle=f"{filters.describe()}; {filters.describe_nights()}",
        demo=mark.demo,
        demo_label=mark.label,
        source=source_line(sources, demo=mark),
        sources=sources,
        table=table,
        display=_display(table),
        trends=[_night_trend(ds, filters, kinds, nights)],
        kpis=_kpis(ds, filters, now, before, zone_label(filters, ds.categories)),
        heatmap=_heatmap(
            arrays, combine(period_mask(arrays, filters.start, filters.end), kinds), filters
        ),
    )
    view.notes.append(
        f"Celler med færre end {threshold()} hændelser vises som '{hidden_text()}' uden tal. "
        "Tabellen over timer og ugedage viser alle døgnets timer."
    )
    if table["complementary"].any() or protected_cells(view.heatmap).any():
        view.notes.append(complementary_note())
    if filters.extra.get(LAYER_PARAM) == HOTSPOT_LAYER:  # the "Hotspots" toggle: Gi* classes
        view.map, notes = night_hotspot_map(ds, filters)
        view.notes += notes
    else:  # the counts map (made only when shown); is its grey coarser than the cells?
        view.map = _hotspot_map(ds, table, filters)
        if grey := _grey_note(table, filters.cell):
            view.notes.append(grey)
    return view


def _cells(arrays, mask: np.ndarray, size: str) -> pd.Series:
    return by_cell(arrays, mask, size)


def _cell_table(cells: pd.Series, filters: Filters) -> pd.DataFrame:
    # The cells add up to the night total shown as a KPI: complementary suppression.
    hidden = suppress_with_total(cells.to_numpy())
    table = pd.DataFrame(
        {
            "cell_id": cells.index.astype(str),
            "cell_size": filters.cell,
            "period": f"{filters.start.isoformat()}/{filters.end.isoformat()}",
            "categories": ", ".join(filters.categories),
            "incidents": pd.array(np.where(hidden, np.nan, cells.to_numpy()), dtype="Float64"),
            "suppressed": hidden,
            # Hidden only so that a small cell cannot be worked out from the night total.
            "complementary": complementary(cells.to_numpy(), hidden),
        }
    )
    return table.sort_values(
        ["incidents", "cell_id"], ascending=[False, True], na_position="last"
    ).reset_index(drop=True)


def _display(table: pd.DataFrame) -> pd.DataFrame:
    limit = threshold()
    hidden = shown_count(None, True, limit)
    protecting = shown_count(None, True, limit, is_complementary=True)
    complementary_cells = (
        table["complementary"].to_numpy(dtype=bool)
        if "complementary" in table
        else np.zeros(len(table), dtype=bool)
    )
    # Thousands of cells share a few dozen counts: each distinct count is written once.
    shown_counts = table.loc[~table["suppressed"].to_numpy(dtype=bool), "incidents"]
    texts = {v: shown_count(v, False, limit) for v in pd.unique(shown_counts)}
    return pd.DataFrame(
        {
            "Celle (DDKN)": table["cell_id"],
            "Hændelser": [
                (protecting if c else hidden) if s else texts[v]
                for v, s, c in zip(
                    table["incidents"], table["suppressed"], complementary_cells, strict=True
                )
            ],
        }
    )


def _hotspot_map(ds: Dataset, table: pd.DataFrame, filters: Filters) -> MapSpec:
    """Cells with a shown count, each its own feature (the busiest; the rest one shape per
    class); hidden cells as grey shapes, the small ones and those hidden to protect them
    (:mod:`.cell_features`)."""
    hidden = table["suppressed"].to_numpy(dtype=bool)
    shown = table[~hidden]
    values = shown["incidents"].astype("float64").to_numpy(na_value=np.nan)
    classes, bins = classify(values, filters.scheme, whole=True)
    entries = member_entries(values, classes, bins, PALETTE, fmt.number)
    features, shown_shapes, protecting = table_cell_features(
        ds,
        table,
        classes,
        by_class(entries, len(bins), PALETTE),
        partial(_hidden_area, ds, filters.cell),
    )
    entries = [*entries, (SUPPRESSED_COLOR, hidden_legend(True, protecting))]
    return MapSpec(
        kind="cells",
        features=gpd.GeoDataFrame(features, geometry="geometry", crs=WGS84),
        legend=Legend(f"Hændelser pr. {filters.cell}-celle", entries),
        outline=ds.districts_wgs84,
        water=ds.water_wgs84,
        zones=zones(ds),
        bounds=_hotspot_bounds(gpd.GeoSeries(shown_shapes, crs=WGS84), values),
    )


#: Hidden cells are drawn as their own squares up to the first limit; beyond it, as the 250 m
#: squares they touch; beyond the second, as the 1 km squares holding them (which paint whole
#: districts grey: the last resort). The map stays quick to send and draw: the default view at
#: 1M incidents hides 3 911 of 4 161 cells, 230 kB of corners as their own squares, about
#: 70 kB as 250 m squares. Coarser grey also tells less about where the small counts are.
HIDDEN_SQUARES: tuple[tuple[int, str | None], ...] = ((1_500, None), (5_000, "250m"))
HIDDEN_LAST_RESORT = "1km"


def _grey_size(hidden: int, cell: str) -> str | None:
    """The squares ``hidden`` hidden cells of size ``cell`` are drawn as (None: their own)."""
    size = next((s for most, s in HIDDEN_SQUARES if hidden <= most), HIDDEN_LAST_RESORT)
    return None if size is None or cell_size(size) <= cell_size(cell) else size


def _hidden_area(ds: Dataset, cell: str, cell_ids: pd.Series, shapes: np.ndarray):
    """One grey shape covering the hidden cells (of size ``cell``): their own squares, or the
    coarser squares of :data:`HIDDEN_SQUARES` they touch."""
    size = _grey_size(len(cell_ids), cell)
    if size is None:
        return shapely.coverage_union_all(shapes)
    return shapely.coverage_union_all(ds.cell_shapes(covering_cells(cell_ids, size)))


def _grey_note(table: pd.DataFrame, cell: str) -> str | None:
    """Said on the page when the hidden cells are drawn as coarser squares: the grey then
    reaches beyond them (the same groups as the map's two grey shapes)."""
    hidden = table["suppressed"].to_numpy(dtype=bool)
    protecting = table["complementary"].to_numpy(dtype=bool) & hidden
    sizes = {_grey_size(int(group.sum()), cell) for group in (hidden & ~protecting, protecting)}
    coarse = sorted((s for s in sizes if s is not None), key=cell_size)
    if not coarse:
        return None
    words = " og ".join(_square_words(s) for s in coarse)
    return (
        f"Der er mange skjulte celler: de er tegnet som de {words}, de ligger i, så kortet er "
        "hurtigt at hente. De grå felter er derfor større end de skjulte celler."
    )


def _square_words(size: str) -> str:
    metres = cell_size(size)
    return f"{metres // 1000} km-kvadrater" if metres >= 1000 else f"{metres} m-kvadrater"


def _hotspot_bounds(shapes: gpd.GeoSeries, values: np.ndarray) -> tuple | None:
    """Open the map on the busiest cells (top fifth), with a margin, not on every stray cell."""
    finite = np.isfinite(values)
    if not finite.any():
        return None
    busy = shapes[finite & (values >= np.nanquantile(values, 0.8))]
    minx, miny, maxx, maxy = busy.total_bounds
    margin = 0.01  # about 1 km
    return (minx - margin, miny - margin / 2, maxx + margin, maxy + margin / 2)


def _zone_mask(ds: Dataset) -> np.ndarray | None:
    """Incidents inside any nattelivszone, computed once per data version."""
    return per_version(ds, "night_zone_mask", (), lambda: _inside_zones(ds))


def _inside_zones(ds: Dataset) -> np.ndarray | None:
    shapes = zones(ds)
    if shapes is None or not ds.has_incidents:
        return None
    inside = np.zeros(len(ds.incidents), dtype=bool)
    for place_id in shapes["place_id"]:
        inside[ds.place_members.get(str(place_id), [])] = True
    return inside


def _heatmap(arrays, mask: np.ndarray, filters: Filters) -> pd.DataFrame:
    grid = hour_weekday(arrays, mask).astype("float64")
    hidden = small(grid.ravel()).reshape(grid.shape)
    # The night hours add up to the night total shown as a KPI: complementary suppression there.
    night = _night_cells(filters)
    hidden[night] = suppress_with_total(grid[night], hidden=hidden[night])
    protecting = complementary(grid.ravel(), hidden.ravel()).reshape(grid.shape)
    grid[hidden] = np.nan
    index, columns = list(fmt.WEEKDAYS_DA), [f"{h:02d}" for h in range(24)]
    frame = pd.DataFrame(grid, index=index, columns=columns)
    # Which hidden cells are hidden only to protect a small one ("skjult", not "<5").
    # A frozenset of (weekday, hour) labels: pandas compares attrs when it reshapes a frame,
    # which an array or a frame in attrs would make ambiguous.
    frame.attrs["complementary"] = frozenset(
        (index[d], columns[h]) for d, h in zip(*np.nonzero(protecting), strict=True)
    )
    return frame


def protected_cells(grid: pd.DataFrame) -> np.ndarray:
    """The hour × weekday cells hidden only to protect a small one (``grid.attrs
    ["complementary"]``: (weekday, hour) labels), as a boolean array of ``grid``'s shape."""
    marked = grid.attrs.get("complementary", frozenset())
    return np.array(
        [[(day, hour) in marked for hour in grid.columns] for day in grid.index], dtype=bool
    ).reshape(grid.shape)


def heat_classes(grid: pd.DataFrame) -> tuple[pd.DataFrame, Legend]:
    """The hour × weekday table's colour classes: the class label of every cell and the legend.

    Counts get whole-number classes that never overlap (quantiles, like the maps); hidden
    cells (NaN) get the grey of "Skjult (<5)" (and its reason when some are hidden only to
    protect a small one: ``grid.attrs["complementary"]``). A table with one value only (e.g.
    all zero after a small import) is one light class, never one solid dark colour.
    """
    values = grid.to_numpy(dtype="float64").ravel()
    with warnings.catch_warnings():  # many equal counts merge quantile classes: expected
        warnings.simplefilter("ignore", UserWarning)
        classes, bins = classify(values, "quantiles", whole=True)
    # Each class named by the counts it holds: with 1–4 hidden, a class "1 – 5" beside
    # "Skjult (<5)" would promise counts that are never shown.
    entries = member_entries(values, classes, bins, PALETTE, fmt.number)
    colour_names = dict(entries)
    ramp = colours(np.arange(len(bins)), PALETTE, len(bins))
    names = {c: colour_names[colour] for c, colour in enumerate(ramp) if colour in colour_names}
    missing = ~np.isfinite(values)
    protects = protected_cells(grid).ravel() & missing
    hidden = hidden_legend(bool((missing & ~protects).any()), bool(protects.any()))
    cells = [names[c] if c >= 0 else hidden for c in classes]
    if missing.any():
        entries.append((SUPPRESSED_COLOR, hidden))
    frame = pd.DataFrame(np.array(cells, dtype=object).reshape(grid.shape), index=grid.index)
    frame.columns = grid.columns
    return frame, Legend("Hændelser", entries)


def _night_cells(filters: Filters) -> np.ndarray:
    """The (weekday, hour) cells of the chosen nights, as a 7 × 24 mask."""
    cells = np.zeros((7, 24), dtype=bool)
    for evening in filters.nights:
        for hour in range(24):
            if filters.night_start > filters.night_end:
                if hour >= filters.night_start:
                    cells[evening, hour] = True
                if hour < filters.night_end:
                    cells[(evening + 1) % 7, hour] = True
            elif filters.night_start <= hour < filters.night_end:
                cells[evening, hour] = True
    return cells


def _night_trend(ds: Dataset, filters: Filters, kinds, nights) -> Trend:
    """Monthly night incidents in the whole kommune and inside the nattelivszone."""
    arrays = ds.arrays
    # Whole months only: a month cut by the window's start would look like a sudden drop.
    two_years = pd.Timestamp(filters.end) - pd.DateOffset(years=2)
    start = min(filters.start, (two_years + pd.offsets.MonthBegin(1)).date())
    mask = combine(period_mask(arrays, start, filters.end), kinds, nights)
    series = [("Hele kommunen", by_month(arrays, mask))]
    inside = _zone_mask(ds)
    if inside is not None:
        series.append(("Nattelivszonen", by_month(arrays, mask & inside)))
    windows = [(filters.start, filters.end), filters.previous_year()]
    rows = []
    for name, counts in series:
        hidden = np.asarray(hide_periods(counts, windows), dtype=bool)
        # Hidden only so that a small month cannot be worked out from the window's total.
        protecting = complementary(counts.to_numpy(), hidden)
        rows += [
            {
                "period": month,
                "series": name,
                "value": np.nan if hide else float(count),
                "suppressed": bool(hide),
                "complementary": bool(protects),
            }
            for month, count, hide, protects in zip(
                counts.index, counts.to_numpy(), hidden, protecting, strict=True
            )
        ]
    data = pd.DataFrame(rows, columns=["period", "series", "value", "suppressed", "complementary"])
    return Trend("Hændelser i weekendnætter pr. måned", data, "antal", higher_is_better=False)


def _kpis(
    ds: Dataset, filters: Filters, now: np.ndarray, before: np.ndarray, zone_name: str
) -> list[Kpi]:
    covered = ds.has_incidents and previous_year_covered(filters, ds.incident_span[0])

    def kpi(label: str, count_now: int, count_before: int) -> Kpi:
        if not covered:  # nothing to compare with: no change, and the help says why
            help_text = no_previous_text(filters, ds.incident_span[0]) if ds.has_incidents else None
            return Kpi(label, count_text(count_now), None, help_text)
        return Kpi(
            label,
            count_text(count_now),
            fmt.signed_percent(safe_change(count_now, count_before)),
            f"Samme periode sidste år: {count_text(count_before)}",
        )

    kpis = [kpi("Hændelser om natten", int(now.sum()), int(before.sum()))]
    inside = _zone_mask(ds)
    if inside is not None:
        kpis.append(kpi(zone_name, int((now & inside).sum()), int((before & inside).sum())))
    return kpis
