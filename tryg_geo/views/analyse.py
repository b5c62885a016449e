"""Analyse: significant hotspots (Gi*) on DDKN cells and near repeat (Knox), explained in Danish.

:func:`analyse_view` is the page "Analyse" and ``export --view analyse``: the hotspot map of the
chosen cell size and the near-repeat heat table. :func:`hotspot_view` and
:func:`near_repeat_view` are the two halves on their own (``python -m tryg_geo analyse``).
Leaders see classes and Knox ratios; z-scores and p-values of single cells are analyst detail
that the page adds itself (:meth:`~tryg_geo.analysis.hotspots.HotspotResult.public_table`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import fmt, palette
from ..analysis.hotspots import HotspotResult, cell_hotspots
from ..analysis.near_repeat import (
    ALPHA,
    DEFAULT_PERMUTATIONS,
    DEFAULT_SEED,
    DEFAULT_SPACE,
    DEFAULT_TIME,
    KnoxTable,
    event_words,
    near_repeat_table,
    p_text,
)
from ..analysis.study_grid import outside_note
from ..compute.filters import Filters
from ..compute.privacy import count_text, shown_count, small
from ..errors import UsageError
from ..store.dataset import Dataset
from .analysis_maps import FDR_NOTE, hotspot_cells_map
from .model import Kpi, View
from .sources import POLICE, data_sources, demo_mark, source_line

BURGLARY = "indbrud i beboelse"
#: The data of the hotspot map: incidents in cells over the districts and the water.
MAP_PARTS = ("incidents", "districts", "places")
#: Permutation counts the page offers (URL parameter ``perm``).
PERMUTATION_CHOICES: tuple[int, ...] = (99, 999)
#: The URL's key of the number of permutations (kept in ``Filters.extra``).
PERMUTATION_PARAM = "perm"
KNOX_NOTE = (
    "Nær-gentagelse (Knox-test, som Ratcliffes Near Repeat Calculator): alle par af hændelser "
    "tælles efter afstand (meter) og tid (dage mellem datoerne). Det forventede antal par er "
    "gennemsnittet, når datoerne blandes tilfældigt mellem hændelserne; Knox-ratio = "
    "observeret/forventet. En ratio over 1 med p < 0,05 (markeret *) betyder flere par tæt på "
    "hinanden i både tid og rum, end tilfældigheder kan forklare."
)


def analyse_categories(ds: Dataset, filters: Filters) -> tuple[str, ...]:
    """The chosen categories, or burglary (the classic near-repeat crime) when none is chosen."""
    if filters.categories:
        return tuple(filters.categories)
    return (BURGLARY,) if BURGLARY in ds.categories else ()


def _category_note(chosen: tuple[str, ...], used: tuple[str, ...]) -> list[str]:
    """What the analysis counts when no category was chosen: burglary, or every category
    when the data hold no burglary."""
    if chosen:
        return []
    if used:
        return [f"Ingen kategori valgt: analysen bruger {', '.join(used)}."]
    return [f"Ingen kategori valgt, og der er ingen {BURGLARY} i data: analysen bruger alle."]


def permutations_of(filters: Filters) -> int:
    """Permutations from the URL (``perm``), one of :data:`PERMUTATION_CHOICES`, else 999."""
    try:
        value = int(filters.extra.get(PERMUTATION_PARAM, DEFAULT_PERMUTATIONS))
    except ValueError:
        return DEFAULT_PERMUTATIONS
    return value if value in PERMUTATION_CHOICES else DEFAULT_PERMUTATIONS


# ---- hotspots ---------------------------------------------------------------------------------
def hotspot_result(ds: Dataset, filters: Filters) -> HotspotResult:
    """Gi* on cells of ``filters.cell`` for the filters (period, categories, district)."""
    return cell_hotspots(
        ds,
        start=filters.start,
        end=filters.end,
        categories=tuple(filters.categories),
        district=filters.district if filters.district in ds.district_names else None,
        size=filters.cell,
    )


def hotspot_kpis(result: HotspotResult) -> list[Kpi]:
    counts = result.class_counts()
    hot = sum(v for k, v in counts.items() if k.startswith("Hot"))
    cold = sum(v for k, v in counts.items() if k.startswith("Cold"))
    if result.too_few:  # no analysis: no number, and the note says why
        hot = cold = None
    return [
        Kpi("Hotspots (celler)", fmt.number(hot), None, "Signifikante klynger, FDR-korrigeret"),
        Kpi("Cold spots (celler)", fmt.number(cold), None, "Signifikant færre end ventet"),
    ]


def hotspot_table(result: HotspotResult, source: str) -> pd.DataFrame:
    """The CSV of the hotspot analysis: ``cell_id, incidents`` (empty when small), ``gi_z``
    (2 decimals), ``p_value, p_fdr, hotspot_class, source``."""
    public = result.public_table(detail=True)
    return pd.DataFrame(
        {
            "cell_id": public["cell_id"],
            "incidents": public["incidents"].round().astype("Int64"),
            "gi_z": public["gi_z"].round(2),
            "p_value": public["p_value"],
            "p_fdr": public["p_fdr"],
            "hotspot_class": public["hotspot_class"],
            "source": source,
        }
    )


def hotspot_view(ds: Dataset, filters: Filters) -> View:
    """Hotspots alone: the map, class counts and the explanation (``analyse hotspots``)."""
    result = hotspot_result(ds, filters)
    mark = demo_mark(ds, MAP_PARTS)
    source = source_line(data_sources(ds, [("incidents", POLICE)]), demo=mark)
    view = View(
        key="analyse",
        title=f"Hotspots (Getis-Ord Gi*) på {filters.cell}-celler",
        subtitle=filters.describe(ds.district_names),
        demo=mark.demo,
        demo_label=mark.label,
        source=source,
        table=hotspot_table(result, source),
        map=hotspot_cells_map(ds, result, title=f"Hotspots, {filters.cell}-celler (Gi*)"),
        kpis=hotspot_kpis(result),
        highlights=[result.summary()],
        notes=[FDR_NOTE],
        file_part="hotspots",
    )
    if result.sparse_note:
        view.notes.insert(0, result.sparse_note)
    outside = outside_note(result.outside, result.incidents)
    if outside:  # before the method's note, after a warning on sparse data
        view.notes.insert(len(view.notes) - 1, outside)
    return view


# ---- near repeat -------------------------------------------------------------------------------
def knox_result(
    ds: Dataset,
    filters: Filters,
    *,
    space: tuple[float, ...] = DEFAULT_SPACE,
    time: tuple[int, ...] = DEFAULT_TIME,
    permutations: int | None = None,
    seed: int = DEFAULT_SEED,
) -> KnoxTable:
    return near_repeat_table(
        ds,
        start=filters.start,
        end=filters.end,
        categories=tuple(filters.categories),
        district=filters.district if filters.district in ds.district_names else None,
        space=space,
        time=time,
        permutations=permutations or permutations_of(filters),
        seed=seed,
    )


def knox_csv_table(table: KnoxTable, source: str) -> pd.DataFrame:
    """The CSV of the Knox table: observed pair counts below the limit are empty;
    ``significant`` is the screen's * (p < 0,05), so a leader's CSV, which holds no p-values
    (:mod:`tryg_geo.role_files`), still says which ratios are significant."""
    frame = table.frame()
    hidden = small(frame["observed"].to_numpy())
    frame["observed"] = frame["observed"].astype("Int64").mask(hidden)
    significant = (frame["p_value"] < ALPHA) & np.isfinite(frame["knox_ratio"])
    where = frame.columns.get_loc("knox_ratio") + 1
    frame.insert(where, "significant", significant.map({True: "ja", False: "nej"}))
    frame["source"] = source
    return frame


def knox_display(table: KnoxTable, *, detail: bool = False) -> pd.DataFrame:
    """The heat table as shown: distance bands down, time bands across, the Knox ratio in each
    cell with * when p < 0,05. With ``detail`` each cell adds observed/expected pairs (a pair
    count below the limit as '<5')."""
    ratio = table.shown_ratio
    rows = []
    for s, space_label in enumerate(table.space_labels()):
        row = {"Afstand": space_label}
        for t, time_label in enumerate(table.time_labels()):
            if math.isfinite(ratio[s, t]):
                text = fmt.number(ratio[s, t], 2)
            elif small([table.observed[s, t]])[0]:  # too few pairs to show even the ratio
                text = f"{count_text(int(table.observed[s, t]))} par"
            else:
                text = "–"
            if table.p_value[s, t] < ALPHA and math.isfinite(ratio[s, t]):
                text += " *"
            if detail:
                shown = count_text(int(table.observed[s, t]))
                text += f" ({shown}/{fmt.number(table.expected[s, t], 1)})"
            row[time_label] = text
        rows.append(row)
    return pd.DataFrame(rows)


def knox_styles(table: KnoxTable) -> pd.DataFrame:
    """CSS per cell of :func:`knox_display`: red above 1, blue below, stronger further from 1
    (log scale, full colour at 2× or ½×); significant cells in bold."""
    styles = []
    for s in range(len(table.space) + 1):
        row = {"Afstand": "font-weight: 600"}
        for t, label in enumerate(table.time_labels()):
            ratio = table.shown_ratio[s, t]
            css = ""
            if math.isfinite(ratio) and ratio > 0:
                strength = min(abs(math.log2(ratio)), 1.0)
                base = palette.rgb(palette.HOT if ratio > 1 else palette.COLD)
                mix = [round(255 + (c - 255) * strength * 0.85) for c in base]
                css = f"background-color: rgb({mix[0]}, {mix[1]}, {mix[2]});"
                css += f" color: {palette.WHITE if strength > 0.6 else palette.CELL_TEXT};"
            if table.p_value[s, t] < ALPHA:
                css += " font-weight: 700;"
            row[label] = css
        styles.append(row)
    return pd.DataFrame(styles)


def knox_kpi(table: KnoxTable) -> Kpi:
    ratio = table.shown_ratio[0, 0]
    return Kpi(
        f"Nær-gentagelse: 0–{fmt.number(table.space[0])} m, 0–{table.time[0]} dage",
        f"{fmt.number(ratio, 1)} ×" if math.isfinite(ratio) else "–",
        None,
        f"Knox-ratio; {p_text(float(table.p_value[0, 0]))}, {fmt.number(table.permutations)} "
        "permutationer",
    )


def near_repeat_view(
    ds: Dataset,
    filters: Filters,
    *,
    space: tuple[float, ...] = DEFAULT_SPACE,
    time: tuple[int, ...] = DEFAULT_TIME,
    permutations: int | None = None,
    seed: int = DEFAULT_SEED,
) -> View:
    """Near repeat alone: the heat table and its reading (``analyse near-repeat``)."""
    table = knox_result(ds, filters, space=space, time=time, permutations=permutations, seed=seed)
    mark = demo_mark(ds, ["incidents"])  # a table of incident pairs: no map
    source = source_line(data_sources(ds, [("incidents", POLICE)]), demo=mark)
    words = event_words(filters.categories)
    return View(
        key="analyse",
        title="Nær-gentagelse (Knox-test)",
        subtitle=f"{filters.describe(ds.district_names)}; {count_text(table.events)} hændelser",
        demo=mark.demo,
        demo_label=mark.label,
        source=source,
        table=knox_csv_table(table, source),
        display=knox_display(table),
        kpis=[knox_kpi(table)],
        highlights=[table.reading(*words)],
        notes=[KNOX_NOTE],
        file_part="naer-gentagelse",
    )


# ---- the page ----------------------------------------------------------------------------------
def analyse_view(ds: Dataset, filters: Filters) -> View:
    """The Analyse page: hotspot map of the chosen cells and the near-repeat table.

    Categories default to burglary ("indbrud i beboelse") when none are chosen; the near-repeat
    permutations come from the URL parameter ``perm`` (99 or 999, default 999).
    """
    chosen = filters.categories
    filters = filters.with_(categories=analyse_categories(ds, filters))
    hot = hotspot_view(ds, filters)
    view = View(
        key="analyse",
        title="Analyse – hotspots og nær-gentagelse",
        subtitle=f"{filters.describe(ds.district_names)}; {filters.cell}-celler",
        demo=hot.demo,
        demo_label=hot.demo_label,
        source=hot.source,
        table=pd.DataFrame(),
        map=hot.map,
        kpis=list(hot.kpis),
        highlights=list(hot.highlights),
        notes=[*_category_note(chosen, filters.categories), *hot.notes],
        # The page's first files (hot spot map, near-repeat table), apart from the emerging ones.
        file_part="hotspots-og-naer-gentagelse",
    )
    try:
        near = near_repeat_view(ds, filters)
    except UsageError as exc:  # too many events for a pair count: say so, keep the hotspots
        view.notes.append(f"Nær-gentagelse kunne ikke beregnes: {exc.message}")
        view.table = knox_csv_table(
            KnoxTable(
                DEFAULT_SPACE,
                DEFAULT_TIME,
                np.zeros((5, 5), dtype=np.int64),
                np.zeros((5, 5)),
                np.ones((5, 5)),
                1,
                DEFAULT_SEED,
                0,
            ),
            hot.source,
        ).iloc[0:0]
        return view
    view.table = near.table
    view.display = near.display
    view.kpis += near.kpis
    view.highlights = near.highlights + view.highlights
    view.notes += near.notes
    return view


# ---- what the page shows beside the view ---------------------------------------------------------
#: Cells listed for analysts (largest |z| first).
DETAIL_ROWS = 300


@dataclass(frozen=True)
class AnalysePanels:
    """The parts of the Analyse page beyond the View: the coloured heat table and, for analysts
    only (``detail``), the z-scores and p-values."""

    reading: str
    heat: pd.DataFrame | None
    heat_styles: pd.DataFrame | None
    hotspot_summary: str
    knox_detail: pd.DataFrame | None
    hotspot_detail: pd.DataFrame | None


def analyse_panels(ds: Dataset, filters: Filters, *, detail: bool) -> AnalysePanels:
    """What the Analyse page shows beside :func:`analyse_view` (same cached results).

    Parameters
    ----------
    ds, filters : as for the view.
    detail : the user may see analyst detail (z-scores, p-values, pair counts); leaders get
        classes, Knox ratios and the readings.
    """
    filters = filters.with_(categories=analyse_categories(ds, filters))
    hot = hotspot_result(ds, filters)
    hotspot_detail = None
    if detail:
        public = hot.public_table(detail=True)
        order = np.argsort(-np.abs(public["gi_z"].fillna(0).to_numpy()), kind="stable")
        top = public.iloc[order[:DETAIL_ROWS]]
        hotspot_detail = pd.DataFrame(
            {
                "Celle (DDKN)": top["cell_id"],
                "Hændelser": [
                    shown_count(v, h, is_complementary=c)
                    for v, h, c in zip(
                        top["incidents"],
                        top["incidents_suppressed"],
                        top["incidents_complementary"],
                        strict=True,
                    )
                ],
                "Gi* z": fmt.numbers(top["gi_z"], 2),
                "p": fmt.numbers(top["p_value"], 4),
                "p (FDR)": fmt.numbers(top["p_fdr"], 4),
                "Klasse": top["hotspot_class"],
            }
        )
    try:
        knox = knox_result(ds, filters)
    except UsageError as exc:
        return AnalysePanels(
            f"Nær-gentagelse kunne ikke beregnes: {exc.message}",
            None,
            None,
            hot.summary(),
            None,
            hotspot_detail,
        )
    knox_detail = None
    if detail:
        frame = knox_csv_table(knox, "").drop(columns="source")
        knox_detail = pd.DataFrame(
            {
                "Afstand": np.repeat(knox.space_labels(), len(knox.time) + 1),
                "Tid": knox.time_labels() * (len(knox.space) + 1),
                "Observeret": [shown_count(v, pd.isna(v)) for v in frame["observed"]],
                "Forventet": fmt.numbers(frame["expected"], 1),
                "Knox-ratio": fmt.numbers(frame["knox_ratio"], 2),
                "p": fmt.numbers(frame["p_value"], 3),
            }
        )
    too_few = knox.too_few  # the reading says nothing can be said: no coloured table either
    return AnalysePanels(
        knox.reading(*event_words(filters.categories)),
        None if too_few else knox_display(knox, detail=detail),
        None if too_few else knox_styles(knox),
        hot.summary(),
        knox_detail,
        hotspot_detail,
    )
