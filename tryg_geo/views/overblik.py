"""Overblik: all 17 indsatser at a glance, for analysts and for the steering group.

One row per indsats with its headline number, the same period last year, the change and the
status against the target; a map of how safe people feel per district; a sparkline per
indsats; and a few plain Danish sentences naming only the changes that are more than chance.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from .. import settings
from ..compute.filters import Filters, no_previous_text, previous_year_covered
from ..compute.indicators import (
    ALPHA,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    HeadlineSummary,
    headline,
    indicator_series,
    latest_period,
    rounded,
    rounded_change,
    trend_frame,
)
from ..compute.privacy import hidden_rule
from ..compute.registry import Indicator, all_indicators, load_initiatives
from ..compute.series import period_label, window_label
from ..compute.stats import benjamini_hochberg
from ..store.dataset import Dataset
from .mapspec import district_choropleth, unit_formatter, value_text
from .model import Kpi, MapSpec, Trend, View
from .sources import (
    POLICE,
    REGISTRATIONS,
    SURVEY,
    data_sources,
    demo_mark,
    indicator_source,
    source_line,
)
from .texts import change_sentence, change_text, summary_text, target_text

KEY = "overblik"
MAP_INDICATOR = "tryg_andel"
MAP_PALETTE = "blues"
#: The data the view counts and draws: the indicators and the districts' map.
USED = ("incidents", "measurements", "districts")
MAX_HIGHLIGHTS, MIN_HIGHLIGHTS = 5, 3

TABLE_COLUMNS = [
    "slug",
    "title",
    "indicator",
    "unit",
    "period",
    "value",
    "n",
    "previous_period",
    "previous_value",
    "change",
    "change_unit",
    "target",
    "status",
    "significant",
    "suppressed",
    "previous_suppressed",
    "source",
]


def overblik_view(ds: Dataset, filters: Filters) -> View:
    """All 17 indsatser: headline numbers, status, a tryghed map, sparklines and highlights.

    Parameters
    ----------
    ds : the loaded data.
    filters : the period (compared with the same period last year); ``indicator`` picks the
        map's district indicator when it is one (default 'tryg_andel'); ``scheme`` its classes;
        ``district`` is highlighted on the map.

    Returns
    -------
    View
        ``table`` one row per indsats in the registry's order (see :data:`TABLE_COLUMNS`);
        ``links`` one (title, 'indsats/<slug>') per indsats in the same order.
    """
    initiatives = load_initiatives()
    summaries = [headline(ds, ini, filters) for ini in initiatives]
    view_map, map_note = tryghed_map(ds, filters)
    notes = _notes(summaries)
    marked = marked_changes(summaries)
    if map_note:
        notes.insert(0, map_note)
    if ds.has_incidents and not previous_year_covered(filters, ds.incident_span[0]):
        notes.insert(0, no_previous_text(filters, ds.incident_span[0]))
    sources = data_sources(
        ds, [("incidents", POLICE), ("measurements", SURVEY), ("measurements", REGISTRATIONS)]
    )
    mark = demo_mark(ds, USED)
    return View(
        key=KEY,
        title=f"Overblik over {ds.partnership.genitive} indsatser",
        subtitle=(
            f"Periode {window_label(filters.start, filters.end)} sammenlignet med samme "
            f"periode året før · hele {ds.partnership.kommune}"
        ),
        demo=mark.demo,
        demo_label=mark.label,
        source=source_line(sources, demo=mark),
        sources=sources,
        table=_table(ds, summaries, marked),
        display=_display(summaries, marked),
        map=view_map,
        trends=[_sparkline(s) for s in summaries],
        kpis=_kpis(summaries, marked),
        notes=notes,
        highlights=highlights(summaries, marked),
        links=[(ini.title, f"indsats/{ini.slug}") for ini in initiatives],
    )


# ---- table --------------------------------------------------------------------------------------
def _table(
    ds: Dataset, summaries: list[HeadlineSummary], marked: list[HeadlineSummary]
) -> pd.DataFrame:
    rows = []
    for s in summaries:
        ini, ind = s.initiative, s.indicator
        rows.append(
            {
                "slug": ini.slug,
                "title": ini.title,
                "indicator": ind.id,
                "unit": ind.unit,
                "period": s.period,
                "value": rounded(s.value, ind.unit),
                "n": s.n if ind.unit == "andel" else np.nan,
                "previous_period": s.previous_period,
                "previous_value": rounded(s.previous_value, ind.unit),
                "change": rounded_change(s.change, s.change_unit),
                "change_unit": s.change_unit,
                "target": s.target,
                "status": s.status,
                "significant": any(s is m for m in marked),
                "suppressed": s.suppressed,
                "previous_suppressed": s.previous_suppressed,
                "source": indicator_source(ds, ind),
            }
        )
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    for column in ("value", "n", "previous_value", "change", "target"):
        table[column] = table[column].astype("float64")
    return table


def _display(summaries: list[HeadlineSummary], marked: list[HeadlineSummary]) -> pd.DataFrame:
    rows = []
    for s in summaries:
        ind = s.indicator
        rows.append(
            {
                "Indsats": s.initiative.title,
                "Indikator": ind.label,
                "Periode": s.period or "–",
                "Seneste": summary_text(s),
                "Samme periode sidste år": summary_text(s, previous=True),
                "Ændring": change_text(s),
                "Markant ændring": _yes_no(s, any(s is m for m in marked)),
                "Mål": target_text(s.target, ind.unit, ind.higher_is_better),
                "Status": s.status.capitalize(),
            }
        )
    return pd.DataFrame(rows)


def _yes_no(s: HeadlineSummary, marked: bool) -> str:
    if not np.isfinite(s.change) or s.p_value is None:
        return "–"
    return "Ja" if marked else "Nej"


# ---- highlights ---------------------------------------------------------------------------------
#: Level of the Benjamini–Hochberg adjusted p-values behind a highlight.
HIGHLIGHT_ALPHA = 0.05


def marked_changes(summaries: list[HeadlineSummary]) -> list[HeadlineSummary]:
    """The headline changes called markant: significant after Benjamini–Hochberg across all
    the headline numbers, most certain first. The one test behind the KPI "Markante
    ændringer", the table's ``significant`` column and the highlights."""
    adjusted = benjamini_hochberg([np.nan if s.p_value is None else s.p_value for s in summaries])
    return sorted(
        (
            s
            for s, p in zip(summaries, adjusted, strict=True)
            if s.significant and np.nan_to_num(p, nan=1.0) < HIGHLIGHT_ALPHA
        ),
        key=lambda s: (s.p_value, s.initiative.title),
    )


def highlights(
    summaries: list[HeadlineSummary], marked: list[HeadlineSummary] | None = None
) -> list[str]:
    """3–5 plain Danish sentences naming only the statistically meaningful changes.

    The tests are those of the district changes (exact Poisson for counts, two proportions for
    shares, :mod:`tryg_geo.compute.stats`), and, as there, their p-values are adjusted with
    Benjamini–Hochberg across all the headline numbers before a change is called markant. The
    most certain changes (smallest p) come first. With fewer than three, the sentences say that
    the rest are within normal variation, so a quiet year reads as quiet, not empty.
    """
    significant = marked_changes(summaries) if marked is None else marked
    sentences = [change_sentence(s, _name(s)) for s in significant[:MAX_HIGHLIGHTS]]
    if len(significant) > MAX_HIGHLIGHTS:
        sentences[-1] = sentences[-1].rstrip(".") + (
            f". Yderligere {len(significant) - MAX_HIGHLIGHTS} indsatser har markante ændringer "
            "(se tabellen)."
        )
    compared = sum(1 for s in summaries if np.isfinite(s.change))
    if len(significant) < MIN_HIGHLIGHTS:
        if compared == 0:
            sentences.append(
                "Der er endnu ikke tal nok til at sammenligne med samme periode sidste år."
            )
        elif not significant:
            sentences.append(
                "Ingen af indsatsernes hovedtal har ændret sig markant i forhold til samme "
                "periode sidste år: udsvingene ligger inden for den normale variation."
            )
        else:
            sentences.append(
                "De øvrige indsatsers hovedtal ligger inden for den normale variation i forhold "
                "til samme periode sidste år."
            )
    return sentences


def _name(s: HeadlineSummary) -> str:
    return f"{s.initiative.title} – {s.indicator.label}"


# ---- KPIs and notes -----------------------------------------------------------------------------
def _kpis(summaries: list[HeadlineSummary], marked: list[HeadlineSummary]) -> list[Kpi]:
    total = len(summaries)
    with_data = sum(1 for s in summaries if s.has_data)
    with_target = [s for s in summaries if s.target is not None and s.status != NO_DATA]
    on_track = sum(1 for s in with_target if s.status == ON_TRACK)
    off_track = sum(1 for s in with_target if s.status == OFF_TRACK)
    significant = len(marked)
    return [
        Kpi(
            "Indsatser med data",
            f"{with_data} af {total}",
            help="Indsatser hvor hovedindikatoren har tal i perioden.",
        ),
        Kpi(
            "På sporet",
            f"{on_track} af {on_track + off_track}",
            help="Indsatser med et mål, hvor det seneste tal når målet.",
        ),
        Kpi(
            "Markante ændringer",
            str(significant),
            help=(
                "Ændringer mod samme periode sidste år, som næppe skyldes tilfældigheder "
                f"(p < {str(ALPHA).replace('.', ',')} efter Benjamini–Hochberg-korrektion for "
                f"de {total} samtidige test) – de samme som i «Det vigtigste»."
            ),
        ),
    ]


def _notes(summaries: list[HeadlineSummary]) -> list[str]:
    notes = [
        "Hver indsats vises med sin hovedindikator. Hændelser tælles i den valgte periode og "
        "sammenlignes med samme periode året før; målinger vises for den seneste periode (år) "
        "eller lægges sammen over periodens hele måneder og kvartaler (antal og timer) – "
        "personer, andele og scorer vises da som gennemsnit pr. måned eller kvartal.",
        "En ændring kaldes markant, når den næppe skyldes tilfældigheder (p < 0,05, korrigeret "
        "med Benjamini–Hochberg for, at alle indsatsernes hovedtal testes på én gang): antal "
        "testes med en eksakt Poisson-test, andele med en test for to andele.",
        f"{hidden_rule()} og indgår ikke i ændringer; andele med under "
        f"{settings.get('min_respondents')} svar er markeret som usikre.",
    ]
    missing = [s.initiative.title for s in summaries if not s.has_data]
    if missing:
        notes.append(
            "Ingen data endnu for: " + ", ".join(missing) + ". Se den enkelte indsats for, "
            "hvilke data der skal til."
        )
    return notes


# ---- sparklines ---------------------------------------------------------------------------------
def _sparkline(s: HeadlineSummary) -> Trend:
    """The headline's trend, titled with the indsats title (the page matches on it)."""
    data = trend_frame(s.trend, s.indicator.label).dropna(subset=["value"])
    return Trend(
        title=s.initiative.title,
        data=data.reset_index(drop=True),
        unit=s.indicator.unit,
        target=s.target,
        higher_is_better=s.indicator.higher_is_better,
    )


# ---- the tryghed map ----------------------------------------------------------------------------
def map_indicator(filters: Filters) -> Indicator:
    """The district indicator asked for: ``filters.indicator`` if it is one, else tryg_andel."""
    district = {ind.id: ind for _, ind in all_indicators() if ind.area == "district"}
    return district.get(filters.indicator or "") or district[MAP_INDICATOR]


def _map_rows(ds: Dataset, ind: Indicator, filters: Filters) -> pd.DataFrame:
    if ind.source == "incidents":
        return indicator_series(ds, ind, start=filters.start, end=filters.end, freq="window")
    return latest_period(indicator_series(ds, ind, end=filters.end))


def _has_values(rows: pd.DataFrame) -> bool:
    """True when at least one area has a value to show: hidden counts alone draw grey shapes
    and "Ingen data", not a map (and rates without a population are no values either)."""
    return bool(len(rows)) and bool(rows["value"].notna().any())


def _as_counts(ind: Indicator) -> Indicator:
    """A rate per 1 000 inhabitants as plain counts of the same incidents, for districts
    without a population (where no rate can be worked out)."""
    base = ind.label.removesuffix(" pr. 1.000 indbyggere")
    return replace(ind, unit="antal", label=base if base != ind.label else f"{ind.label} (antal)")


def _candidates(ds: Dataset, asked: Indicator) -> list[tuple[Indicator, Indicator]]:
    """The indicators the map may show, in order: the one asked for, then the registry's other
    district indicators; each as (shown, registry indicator). A rate per 1 000 is counted
    instead when no district has a population."""
    others = [i for _, i in all_indicators() if i.area == "district" and i.id != asked.id]
    no_population = not ds.population.gt(0).any()
    return [
        (_as_counts(ind) if ind.unit == "pr_1000" and no_population else ind, ind)
        for ind in [asked, *others]
    ]


def _map_note(asked: Indicator, shown: Indicator, source: Indicator) -> str | None:
    """Why the map shows what it shows (None when it shows what was asked for)."""
    missing = f"der er ikke tal for «{asked.label}» pr. område i perioden"
    if shown is not source:  # counts for a rate: the districts have no population
        why = "Områderne har intet folketal"
        if source is not asked:
            why = f"{missing[0].upper()}{missing[1:]}, og områderne har intet folketal"
        return f"{why}, så kortet viser antal hændelser («{shown.label}») og ikke «{source.label}»."
    return None if shown is asked else f"Kortet viser «{shown.label}», fordi {missing}."


def tryghed_map(ds: Dataset, filters: Filters) -> tuple[MapSpec | None, str | None]:
    """District choropleth of the latest year (surveys) or the period (incidents).

    The map follows the data: when the indicator asked for (:func:`map_indicator`) has no
    shown number in any area, the first district indicator of the registry that has is shown
    instead (e.g. burglaries per 1 000 for a user with police data and no survey), with a
    note; a rate per 1 000 becomes counts of the same incidents when the districts have no
    population, and the note says so.

    Returns
    -------
    (MapSpec or None, note or None)
        No map, and a note saying so, when there are no districts or no values.
    """
    asked = map_indicator(filters)
    found = None
    for shown, source in _candidates(ds, asked):
        rows = _map_rows(ds, shown, filters)
        if _has_values(rows):
            found = shown, source, rows
            break
    if ds.districts_wgs84 is None or found is None:
        return None, f"Kortet mangler: der er ingen tal for «{asked.label}» pr. område i perioden."
    ind, source, rows = found
    note = _map_note(asked, ind, source)
    rows = rows.set_index("area_id")
    labels = pd.Series(
        [
            value_text(v, ind.unit, suppressed=h, n=n if ind.unit == "andel" else None)
            for v, n, h in zip(rows["value"], rows["n"], rows["suppressed"], strict=True)
        ],
        index=rows.index,
    )
    period = str(rows["period"].iloc[0])
    spec = district_choropleth(
        ds,
        rows["value"],
        labels,
        scheme=filters.scheme,
        palette=MAP_PALETTE if ind.higher_is_better else "oranges",
        legend_title=f"{ind.label}, {period_label(period)}",
        value_fmt=unit_formatter(ind.unit),
        selected=filters.district,
        suppressed=rows["suppressed"],
    )
    return spec, note
