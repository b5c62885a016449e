"""Tryg bydel: a chosen indicator per district — a survey share, or incidents per 1 000.

One public function, :func:`tryg_bydel_view`; the helpers below each compute one part. The
survey mode is :mod:`tryg_geo.views.tryg_bydel_survey`, the parts both modes share
:mod:`tryg_geo.views.tryg_bydel_shared`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import fmt, periods
from ..analysis.change import district_count_changes, district_share_changes
from ..cache import per_version
from ..compute.counts import by_district, by_quarter, category_mask, combine, period_mask
from ..compute.filters import Filters
from ..compute.privacy import (
    complementary,
    complementary_note,
    count_text,
    hidden_rule,
    hide_periods,
    safe_change,
    shown_count,
    small,
    suppress_with_total,
    threshold,
)
from ..compute.registry import all_indicators
from ..compute.steps import is_partial
from ..store.dataset import Dataset
from .analysis_maps import (
    CHANGE_MODE,
    HOTSPOT_MODE,
    MAP_MODE_PARAM,
    apply_change_mode,
    apply_hotspot_mode,
)
from .model import Kpi, Trend, View
from .sources import POLICE
from .tryg_bydel_shared import (
    as_float,
    base_view,
    bounds_with_data,
    bydel_choropleth,
)
from .tryg_bydel_survey import chosen_period, previous_period, survey_rows, survey_view

INCIDENT_RATE = "haendelser_pr_1000"
INCIDENT_COUNT = "haendelser"
INCIDENT_LABELS: dict[str, str] = {
    INCIDENT_RATE: "Anmeldte hændelser pr. 1.000 indbyggere",
    INCIDENT_COUNT: "Anmeldte hændelser",
}
#: How the Data page and the command line import each kind (for "which file fills it").
_IMPORT = {
    "districts": "som datatype Områder på siden Data eller med python -m tryg_geo import "
    "districts FIL",
    "incidents": "som datatype Hændelser på siden Data eller med python -m tryg_geo import "
    "incidents FIL",
    "measurements": "som datatype Målinger på siden Data eller med python -m tryg_geo import "
    "measurements FIL",
}


def tryg_bydel_indicators() -> dict[str, str]:
    """Indicators the page offers, id → Danish label: the registry's district survey shares,
    incidents per 1 000 inhabitants and incident counts (for districts without population)."""
    shares = {
        ind.measurement_name: ind.label
        for _, ind in all_indicators()
        if ind.source == "measurement" and ind.area == "district" and ind.unit == "andel"
    }
    return {**shares, **INCIDENT_LABELS}


def tryg_bydel_hints(ds: Dataset, filters: Filters) -> dict[str, str | None]:
    """Per indicator: None when it has numbers for the period, else (Danish) what is missing
    and which file would fill it. The page marks those indicators; the view shows the hint.
    Kept per data version, period and categories (the page asks on every rerun)."""
    token = ("tryg-bydel-hints", filters.start, filters.end, tuple(filters.categories))
    kept = per_version(
        ds,
        "page_lookups",
        token,
        lambda: {
            i: _missing(ds, filters, i, label) for i, label in tryg_bydel_indicators().items()
        },
    )
    return dict(kept)


def tryg_bydel_indicator(ds: Dataset, filters: Filters) -> str:
    """The indicator the view shows: ``filters.indicator`` when it is one of
    :func:`tryg_bydel_indicators`; otherwise the first with numbers for the period (a survey
    share, else incidents per 1 000 when the districts have a population, else counts), and the
    first of all when none has."""
    indicators = tryg_bydel_indicators()
    if filters.indicator in indicators:
        return filters.indicator
    hints = tryg_bydel_hints(ds, filters)
    return next((i for i in indicators if hints[i] is None), next(iter(indicators)))


def tryg_bydel_view(ds: Dataset, filters: Filters) -> View:
    """The Tryg bydel view for ``filters``: choropleth, ranking, district trend, year-on-year.

    Parameters
    ----------
    ds : the loaded data.
    filters : period, categories, district (the profile shown), indicator (None: one with
        data, see :func:`tryg_bydel_indicator`) and class scheme.

    Returns
    -------
    View
        ``table`` has one row per district with the numbers on the map (none when the
        indicator has no numbers: ``missing`` then says which file would fill it).
    """
    indicators = tryg_bydel_indicators()
    indicator = tryg_bydel_indicator(ds, filters)
    mode = filters.extra.get(MAP_MODE_PARAM, "")
    if mode == HOTSPOT_MODE:  # hotspots are of incidents per 1 000, whatever the indicator
        indicator = INCIDENT_RATE
    if indicator in INCIDENT_LABELS:
        view = _incident_view(ds, filters, indicator)
    else:
        view = survey_view(ds, filters, indicator, indicators[indicator])
    missing = _missing(ds, filters, indicator, indicators[indicator])
    if missing and not (indicator == INCIDENT_RATE and _has_incidents(ds, filters)):
        view.missing = missing
        view.table = view.table.iloc[0:0]
        if view.display is not None:
            view.display = view.display.iloc[0:0]
    elif mode == HOTSPOT_MODE:
        apply_hotspot_mode(ds, filters, view)
    elif mode == CHANGE_MODE:
        _change_mode(ds, filters, view, indicator, indicators[indicator])
    return view


def _change_mode(ds: Dataset, filters: Filters, view: View, indicator: str, label: str) -> None:
    """The map "Ændring mod året før": each district's change, tested (Poisson or two shares)."""
    if indicator in INCIDENT_LABELS:
        changes = district_count_changes(
            ds, start=filters.start, end=filters.end, categories=tuple(filters.categories)
        )
        shown = view.table.set_index("district_id")["change_pct"].map(
            lambda v: fmt.signed_percent(float(v) / 100) if pd.notna(v) else "–"
        )
        apply_change_mode(ds, filters, view, changes, shown, "anmeldte hændelser")
        return
    rows = survey_rows(ds, indicator)
    period = chosen_period(rows, filters)
    table = view.table.set_index("district_id")
    before = (
        rows[rows["period"] == (previous_period(period) if period else None)]
        .set_index("area_id")
        .reindex(table.index)
    )
    shares = pd.DataFrame(
        {
            "district_id": table.index,
            "value": table["value"].astype("float64").to_numpy(),
            "n": table["n"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan),
            "previous_value": table["previous_value"].astype("float64").to_numpy(),
            "previous_n": before["n"].astype("Float64").to_numpy(dtype="float64", na_value=np.nan),
        }
    )
    changes = district_share_changes(shares, min_respondents=threshold())
    shown = table["change_pp"].map(
        lambda v: (
            f"{'+' if v > 0 else ''}{fmt.number(float(v), 1)} procentpoint" if pd.notna(v) else "–"
        )
    )
    apply_change_mode(ds, filters, view, changes, shown, label)


def _missing(ds: Dataset, filters: Filters, indicator: str, label: str) -> str | None:
    if ds.districts is None or not len(ds.districts):
        return (
            "Der er ingen områder indlæst, og Tryg bydel viser tal pr. område. Importér "
            "områderne (GeoJSON, GeoPackage eller Shapefile med id, navn og gerne befolkning) "
            f"{_IMPORT['districts']}."
        )
    if indicator in INCIDENT_LABELS:
        if not ds.has_incidents:
            return (
                f"Der er ingen hændelser indlæst. «{label}» fyldes af politiets anmeldelser: "
                "importér dem (CSV, XLSX eller GeoJSON med tidspunkt, kategori og koordinater) "
                f"{_IMPORT['incidents']}."
            )
        if not _has_incidents(ds, filters):
            chosen = (
                f" i kategorierne {', '.join(filters.categories)}" if filters.categories else ""
            )
            return (
                f"Der er ingen hændelser{chosen} i områderne i perioden "
                f"{fmt.day(filters.start)}–{fmt.day(filters.end)}. Vælg en anden periode, eller "
                f"importér politiets anmeldelser for perioden {_IMPORT['incidents']}."
            )
        if indicator == INCIDENT_RATE and not ds.population.gt(0).any():
            return _NO_POPULATION
        return None
    rows = survey_rows(ds, indicator)
    measured = rows[
        rows["area_id"].astype(str).isin(list(ds.district_names))
        & (rows["period_start"] <= pd.Timestamp(filters.end))
    ]
    if len(measured):
        return None
    return (
        f"Der er ingen målinger af «{label}» pr. område til og med {fmt.day(filters.end)}. "
        "Den fyldes af Tryghedsundersøgelsens andele pr. område: importér dem som målinger "
        f"(CSV eller XLSX med kolonnerne område, periode, indikator = {indicator}, værdi og n) "
        f"{_IMPORT['measurements'].removeprefix('som datatype Målinger ')}."
    )


_NO_POPULATION = (
    "Områderne har ingen befolkningstal, så der kan ikke regnes pr. 1.000 indbyggere. Importér "
    "områderne igen med en kolonne med befolkning (fx befolkning eller indbyggere) "
    f"{_IMPORT['districts']}."
)


def _has_incidents(ds: Dataset, filters: Filters) -> bool:
    """True when incidents of the chosen categories lie in the districts in the period."""
    if not ds.has_incidents:
        return False
    arrays = ds.arrays
    mask = combine(
        period_mask(arrays, filters.start, filters.end), category_mask(arrays, filters.categories)
    )
    return bool((arrays.district[mask] >= 0).any())


# ---- incidents per 1 000 ----------------------------------------------------------------------
def _incident_counts(ds: Dataset, filters: Filters, start, end) -> tuple[pd.Series, int]:
    arrays = ds.arrays
    mask = combine(period_mask(arrays, start, end), category_mask(arrays, filters.categories))
    return by_district(ds, mask)


def _incident_view(ds: Dataset, filters: Filters, indicator: str) -> View:
    """Incidents per district: per 1 000 inhabitants (``INCIDENT_RATE``; counts with a note
    when the districts have no population) or counts (``INCIDENT_COUNT``)."""
    now, outside = _incident_counts(ds, filters, filters.start, filters.end)
    before, outside_before = _incident_counts(ds, filters, *filters.previous_year())
    # The kommune totals (this year and last) are shown, with the count outside the districts
    # as one more part: complementary suppression over districts + outside, both years.
    parts = pd.concat([now, pd.Series({"_uden_for": outside})])
    hidden_all = suppress_with_total(parts)
    hidden, outside_hidden = hidden_all[:-1], bool(hidden_all[-1])
    # A cell hidden only to protect a small one reads "skjult", never "<5" (it is not small).
    protecting = complementary(parts, hidden_all)
    hidden_before = suppress_with_total(
        pd.concat([before, pd.Series({"_uden_for": outside_before})])
    )[:-1]
    table = _incident_table(ds, filters, now, before, hidden, hidden_before, indicator)
    total_now, total_before = int(now.sum() + outside), int(before.sum() + outside_before)
    kpis = [
        Kpi(
            "Hændelser i kommunen",
            count_text(total_now),
            fmt.signed_percent(safe_change(total_now, total_before)),
            f"Samme periode sidste år: {count_text(total_before)}",
        )
    ]
    if filters.district in table["district_id"].values:
        kpis.append(_district_kpi(table.set_index("district_id").loc[filters.district]))
    per_1000 = indicator == INCIDENT_RATE and bool(table["population"].notna().any())
    label = INCIDENT_LABELS[INCIDENT_RATE if per_1000 else INCIDENT_COUNT]
    view = base_view(ds, filters, label, ("incidents", POLICE), table, kpis)
    view.display = _incident_display(table)
    if per_1000:
        view.map = bydel_choropleth(
            ds, table, "incidents_per_1000", "oranges", "Hændelser pr. 1.000 indb.", filters
        )
    else:
        view.map = bydel_choropleth(ds, table, "incidents", "oranges", "Hændelser", filters)
        if indicator == INCIDENT_RATE:  # without population there is no rate: say why
            view.notes.append(
                "Områderne har ingen befolkningstal, så kortet viser antal hændelser, ikke "
                "hændelser pr. 1.000 indbyggere. " + _NO_POPULATION.split(". ", 1)[1]
            )
    if view.map is not None:
        view.map.bounds = bounds_with_data(ds, table, "incidents")
    trend, left_out = _incident_trend(ds, filters, per_1000=per_1000)
    view.trends = [trend]
    if left_out:
        view.notes.append(left_out)
    if outside:
        shown = shown_count(outside, outside_hidden, is_complementary=bool(protecting[-1]))
        view.notes.append(
            f"{shown} hændelser ligger uden for områderne og indgår kun i kommunens total."
        )
    # "<5" (a small count) is explained wherever it shows: a district now or last year, the
    # count outside the districts or the kommune total.
    small_now = table["suppressed"] & ~table["complementary"]
    small_before = table["previous_incidents"].isna() & ~table["previous_complementary"]
    small_outside = bool(outside) and outside_hidden and not bool(protecting[-1])
    small_total = bool(small([total_now, total_before]).any())
    if small_now.any() or small_before.any() or small_outside or small_total:
        view.notes.append(f"{hidden_rule()}.")
    if protecting.any() or table["previous_complementary"].any():
        view.notes.append(complementary_note())
    return view


def _incident_table(ds, filters, now, before, hidden, hidden_before, indicator) -> pd.DataFrame:
    population = ds.population.reindex(now.index)
    shown = now.where(~hidden).astype("Float64")
    before_shown = before.where(~hidden_before).astype("Float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        per_1000 = (shown / population.where(population > 0) * 1000).round(2)
        change = ((shown - before_shown) / before_shown.where(before_shown > 0) * 100).round(1)
    table = pd.DataFrame(
        {
            "district_id": now.index,
            "district_name": [ds.district_names.get(i, i) for i in now.index],
            "period": f"{filters.start.isoformat()}/{filters.end.isoformat()}",
            "indicator": indicator,
            "categories": ", ".join(filters.categories) or "alle",
            "population": population.astype("Int64").to_numpy(),
            "incidents": shown.to_numpy(),
            "incidents_per_1000": per_1000.to_numpy(),
            "previous_incidents": before_shown.to_numpy(),
            "change_pct": change.to_numpy(),
            "suppressed": np.asarray(hidden, dtype=bool),
            # Hidden only so that a small count cannot be worked out from the total.
            "complementary": complementary(now, hidden),
            "previous_complementary": complementary(before, hidden_before),
        }
    )
    # Shown counts first (largest rate, then count), then the hidden ones, which are at least
    # 1 ("skjult", hidden only to protect a small one, is not small: before "<5"), then the
    # districts with 0; a stable sort keeps the districts' order within each group.
    shown_any = table["incidents"].fillna(0) > 0
    group = np.select(
        [shown_any, table["complementary"], table["suppressed"]], [0, 1, 2], default=3
    )
    table["_group"] = group
    table = table.sort_values(
        ["_group", "incidents_per_1000", "incidents"],
        ascending=[True, False, False],
        na_position="last",
        kind="stable",
    )
    return table.drop(columns="_group").reset_index(drop=True)


def _incident_display(table: pd.DataFrame) -> pd.DataFrame:
    limit = threshold()
    return pd.DataFrame(
        {
            "Område": table["district_name"],
            "Hændelser": [
                shown_count(v, s, limit, is_complementary=c)
                for v, s, c in zip(
                    table["incidents"], table["suppressed"], table["complementary"], strict=True
                )
            ],
            "Pr. 1.000 indb.": [fmt.number(as_float(v), 1) for v in table["incidents_per_1000"]],
            "Samme periode sidste år": [
                # NaN last year is a hidden count (a district without incidents has 0).
                shown_count(as_float(v), pd.isna(v), limit, is_complementary=c)
                for v, c in zip(
                    table["previous_incidents"], table["previous_complementary"], strict=True
                )
            ],
            "Ændring": [fmt.signed_percent(as_float(v) / 100) for v in table["change_pct"]],
        }
    )


def _district_kpi(row: pd.Series) -> Kpi:
    change = row["change_pct"]
    return Kpi(
        f"{row['district_name']}",
        shown_count(
            as_float(row["incidents"]),
            bool(row["suppressed"]),
            is_complementary=bool(row["complementary"]),
        ),
        fmt.signed_percent(as_float(change) / 100) if pd.notna(change) else None,
        "Samme periode sidste år: "
        + shown_count(
            as_float(row["previous_incidents"]),
            pd.isna(row["previous_incidents"]),
            is_complementary=bool(row["previous_complementary"]),
        ),
    )


def _incident_trend(ds: Dataset, filters: Filters, *, per_1000: bool) -> tuple[Trend, str | None]:
    """Quarterly incidents (per 1 000, or counts) for the chosen district against the kommune.

    Returns
    -------
    (Trend, note or None)
        Whole quarters only: a last quarter that the period or the data end inside is left
        out, and the note says so (the time slider shows it as '(delvis)').
    """
    arrays = ds.arrays
    # Whole quarters only: a quarter cut by the window's start would look like a sudden drop.
    start = (pd.Timestamp(filters.end) - pd.DateOffset(years=3)).to_period(
        "Q"
    ).end_time.normalize() + pd.Timedelta(days=1)
    mask = combine(
        period_mask(arrays, start.date(), filters.end), category_mask(arrays, filters.categories)
    )
    population = ds.population
    series = [("Hele kommunen", by_quarter(arrays, mask), population.sum())]
    if filters.district in arrays.district_ids:
        code = arrays.district_ids.index(filters.district)
        series.insert(
            0,
            (
                ds.district_names.get(filters.district, filters.district),
                by_quarter(arrays, mask & (arrays.district == code)),
                population.get(filters.district),
            ),
        )
    rows = []
    windows = [(filters.start, filters.end), filters.previous_year()]
    for name, counts, pop in series:
        # Quarters add up to the totals shown beside the chart: hide beyond the small ones.
        hidden = hide_periods(counts, windows, length="Q")
        for (quarter, count), hide in zip(counts.items(), hidden, strict=True):
            if hide or (per_1000 and not pop):
                value = np.nan
            else:
                value = count / pop * 1000 if per_1000 else float(count)
            rows.append({"period": quarter, "series": name, "value": value})
    data = pd.DataFrame(rows, columns=["period", "series", "value"])
    # ... and at the end: a quarter the period or the data stop inside holds fewer incidents
    # and would look like a fall. It is left out (hidden cells stay hidden: only less is shown).
    last, note = _cut_last_quarter(ds, filters)
    if last is not None:
        data = data[data["period"] != last].reset_index(drop=True)
    if not per_1000:
        trend = Trend("Hændelser pr. kvartal", data, "antal", higher_is_better=False)
    else:
        trend = Trend(
            "Hændelser pr. 1.000 indbyggere pr. kvartal", data, "pr_1000", higher_is_better=False
        )
    return trend, note


def _cut_last_quarter(ds: Dataset, filters: Filters) -> tuple[pd.Timestamp | None, str | None]:
    """The start of the last quarter when the period or the data end inside it, and a note.

    The same test as the time slider's '(delvis)' (:func:`~tryg_geo.compute.steps.is_partial`
    on the period within the data's span).
    """
    span = ds.incident_span
    start, end = max(filters.start, span[0]), min(filters.end, span[1])
    quarter = periods.Period(end.year, quarter=(end.month - 1) // 3 + 1)
    first, last = quarter.days()
    if start > end or not is_partial(quarter, start, end):
        return None, None
    days = (end - max(first, start)).days + 1
    whole = (last - first).days + 1
    label = quarter.label()
    return pd.Timestamp(first), (
        f"{label} er ikke med i grafen over hændelser pr. kvartal: kun {fmt.number(days)} af "
        f"dens {fmt.number(whole)} dage er med i perioden og data, og en delvis periode har "
        f"færre hændelser og ville ligne et fald; tidslinjen viser den som '{label} (delvis)'."
    )
