"""Indsatser: one clear picture per indsats — what it is, who is behind it, and its numbers.

For each of the indsats' indicators: a key figure against the same period last year and the
target, a trend with the target line, and where the data is geographic a map (districts for
district measurements and incident rates, places for place observations and zone counts).
Where data is missing, the view says so in Danish and names the data the indsats needs,
instead of drawing an empty chart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import periods, settings
from ..compute.filters import Filters
from ..compute.indicators import (
    HeadlineSummary,
    area_name,
    indicator_series,
    latest_period,
    rounded,
    summarise,
)
from ..compute.privacy import complementary_note, hidden_rule, threshold
from ..compute.registry import Indicator, Initiative, get_initiative
from ..compute.series import COUNT_UNITS, TOTAL_ID, period_label, window_label
from ..compute.windows import hide_beside_totals
from ..store.dataset import Dataset
from .mapspec import district_choropleth, places_map, unit_formatter, value_text
from .model import Kpi, MapSpec, Trend, View
from .sources import (
    POLICE,
    REGISTRATIONS,
    SURVEY,
    data_sources,
    demo_mark,
    indicator_part,
    indicator_source,
    source_line,
)
from .texts import change_text, summary_text, target_text

#: The registry's partners by name; "Kommune" is the partnership's kommune (partnerskab.toml).
PARTNER_NAMES: dict[str, str] = {
    "Politi": "Nordjyllands Politi",
    "Psykiatri": "Psykiatrien i Region Nordjylland",
}


def partner_name(ds: Dataset, key: str) -> str:
    """The name of the registry's partner ``key`` ('Kommune' → 'Aalborg Kommune')."""
    return ds.partnership.kommune if key == "Kommune" else PARTNER_NAMES[key]


#: Views that show more of an indsats' data.
RELATED_VIEWS: dict[str, list[tuple[str, str]]] = {
    "tryg-bydel": [("Tryg bydel", "tryg-bydel")],
    "et-trygt-natteliv": [("Natteliv", "natteliv")],
    "sikkerhed-paa-havnefronten": [("Byens rum", "byens-rum")],
    "socialt-udsatte-i-byens-rum-og-pladser": [("Byens rum", "byens-rum")],
}
TABLE_COLUMNS = [
    "part",
    "indicator",
    "unit",
    "area_id",
    "area_name",
    "period",
    "value",
    "n",
    "target",
    "suppressed",
    "complementary",
    "source",
]
PART_KPI, PART_TREND, PART_MAP = "nøgletal", "udvikling", "kort"


@dataclass
class _Rows:
    """Rows of :func:`indicator_series` for one part of the view, with their indicator."""

    part: str
    indicator: Indicator
    rows: pd.DataFrame


def initiative_view(ds: Dataset, filters: Filters, slug: str) -> View:
    """The view of one indsats.

    Parameters
    ----------
    ds : the loaded data.
    filters : the period (compared with the same period last year); ``district`` adds the
        district's own line to district indicators' trends and is highlighted on the map;
        ``scheme`` sets the map's classes.
    slug : the indsats, e.g. 'et-trygt-natteliv'.

    Returns
    -------
    View
        key 'indsats/<slug>'; ``table`` holds every number shown (key figures, trend points,
        map values) with the columns :data:`TABLE_COLUMNS`.

    Raises
    ------
    UsageError
        When no indsats has that slug.
    """
    ini = get_initiative(slug)
    summaries = _leading_with_data(
        [summarise(ds, ind, filters, initiative=ini) for ind in ini.indicators]
    )
    indicators = [s.indicator for s in summaries]
    trend_rows = [_trend_rows(ds, ind, filters) for ind in indicators]
    trends = [_trend(ind, rows, ds) for ind, rows in zip(indicators, trend_rows, strict=True)]
    map_rows = _map_rows(ds, ini, filters)
    parts = [_Rows(PART_KPI, s.indicator, _kpi_rows(s)) for s in summaries]
    parts += [_Rows(PART_TREND, ind, r) for ind, r in zip(indicators, trend_rows, strict=True)]
    if map_rows is not None:
        parts.append(map_rows)
    table = _table(ds, parts)
    sources = _sources(ds, ini)
    used = [indicator_part(ind)[0] for ind in ini.indicators]
    mark = demo_mark(ds, used + (["districts", "places"] if map_rows is not None else []))
    return View(
        key=f"indsats/{slug}",
        title=ini.title,
        subtitle=(
            f"{' · '.join(partner_name(ds, p) for p in ini.partners)} · Periode "
            f"{window_label(filters.start, filters.end)} sammenlignet med samme periode året før"
        ),
        demo=mark.demo,
        demo_label=mark.label,
        source=source_line(sources, demo=mark),
        sources=sources,
        table=table,
        display=_display(table, ds),
        map=_map(ds, map_rows, filters),
        trends=[t for t in trends if t is not None],
        kpis=[_kpi(s) for s in summaries],
        notes=_notes(ds, ini, summaries, trend_rows)
        + ([complementary_note()] if table["complementary"].any() else []),
        links=[("Overblik", "overblik"), *RELATED_VIEWS.get(slug, [])],
    )


# ---- key figures ------------------------------------------------------------------------------
def _leading_with_data(summaries: list[HeadlineSummary]) -> list[HeadlineSummary]:
    """The summaries in the registry's order, except that the view never leads with an
    indicator without numbers while another has: the first with numbers then comes first."""
    if not summaries or summaries[0].has_data:
        return summaries
    first = next((i for i, s in enumerate(summaries) if s.has_data), None)
    if first is None:
        return summaries
    return [summaries[first], *summaries[:first], *summaries[first + 1 :]]


def _kpi(s: HeadlineSummary) -> Kpi:
    ind = s.indicator
    change = change_text(s)
    bits = [ind.help]
    if s.period:
        bits.append(f"Periode: {s.period}.")
    if s.previous_period:
        bits.append(
            f"Samme periode sidste år ({s.previous_period}): {summary_text(s, previous=True)}."
        )
    if s.target is not None:
        bits.append(f"Mål: {target_text(s.target, ind.unit, ind.higher_is_better)} – {s.status}.")
    if s.p_value is not None and np.isfinite(s.change):
        bits.append(
            "Ændringen er markant (p < 0,05)."
            if s.significant
            else "Ændringen ligger inden for den normale variation."
        )
    return Kpi(
        label=ind.label,
        value=summary_text(s),
        delta=None if change == "–" else change,
        help=" ".join(bits),
    )


def _kpi_rows(s: HeadlineSummary) -> pd.DataFrame:
    if not s.has_data:
        return pd.DataFrame(
            columns=["period_start", "period", "area_id", "value", "n", "suppressed"]
        )
    return pd.DataFrame(
        {
            "period_start": [pd.NaT],
            "period": [s.period],
            "area_id": [s.area_id],
            "value": [s.value],
            "n": [s.n if s.indicator.unit == "andel" else np.nan],
            "suppressed": [s.suppressed],
        }
    )


# ---- trends -----------------------------------------------------------------------------------
def _trend_rows(ds: Dataset, ind: Indicator, filters: Filters) -> pd.DataFrame:
    """The points of the indicator's trend: the kommune (or the places), and the district.

    Monthly numbers are shown for last year's period and this one, where the period totals
    beside them call for complementary suppression; quarterly and yearly numbers keep their
    whole history up to the period's end, so a survey shows its full development.
    """
    before_start, _ = filters.previous_year()
    areas = [TOTAL_ID]
    if ind.area == "place":
        areas = [None]  # every place (or the zone) on its own line
    elif ind.area == "district" and filters.district in ds.district_names:
        areas.append(filters.district)
    frames = []
    for area in areas:
        if ind.source == "incidents":
            rows = indicator_series(
                ds, ind, start=before_start, end=filters.end, area_id=area, freq="month"
            )
        else:
            rows = indicator_series(ds, ind, end=filters.end, area_id=area)
            latest = periods.parse(rows["period"].iloc[-1]) if len(rows) else None
            if latest is not None and latest.months < 12:  # months or quarters
                rows = rows[rows["period_start"] >= pd.Timestamp(before_start).replace(day=1)]
        if ind.source == "incidents" or ind.unit in COUNT_UNITS:
            windows = [(filters.start, filters.end), filters.previous_year()]
            rows = hide_beside_totals(rows, windows, whole_periods=ind.source != "incidents")
        frames.append(rows)
    return pd.concat(frames, ignore_index=True) if frames else frames


def _trend(ind: Indicator, rows: pd.DataFrame, ds: Dataset) -> Trend | None:
    """A Trend with the target line, or None when there is nothing to draw."""
    shown = rows.dropna(subset=["value"])
    if not len(shown):
        return None
    data = pd.DataFrame(
        {
            "period": pd.to_datetime(shown["period_start"]).to_numpy(),
            "series": [area_name(ds, a, ind) for a in shown["area_id"]],
            "value": shown["value"].astype("float64").to_numpy(),
        }
    )
    return Trend(
        title=ind.label,
        data=data.reset_index(drop=True),
        unit=ind.unit,
        target=ind.target,
        higher_is_better=ind.higher_is_better,
    )


# ---- map ----------------------------------------------------------------------------------------
def _map_rows(ds: Dataset, ini: Initiative, filters: Filters) -> _Rows | None:
    """The first geographic indicator with numbers (headline first) and its values per area."""
    ordered = sorted(ini.indicators, key=lambda i: i.id != ini.headline)
    for ind in ordered:
        if ind.area == "kommune":
            continue
        if ind.source == "incidents" or ind.source == "place_observation":
            rows = indicator_series(ds, ind, start=filters.start, end=filters.end, freq="window")
        else:
            rows = latest_period(indicator_series(ds, ind, end=filters.end))
        if len(rows) and (rows["value"].notna().any() or rows["suppressed"].any()):
            return _Rows(PART_MAP, ind, rows)
    return None


def _map(ds: Dataset, found: _Rows | None, filters: Filters) -> MapSpec | None:
    if found is None:
        return None
    ind, rows = found.indicator, found.rows.set_index("area_id")
    # Hidden only so that a small value cannot be worked out from the total: "skjult".
    protecting = (
        rows["complementary"].fillna(False).astype(bool)
        if "complementary" in rows
        else pd.Series(False, index=rows.index)
    )
    labels = pd.Series(
        [
            value_text(
                v, ind.unit, suppressed=h, n=n if ind.unit == "andel" else None, complementary=c
            )
            for v, n, h, c in zip(
                rows["value"], rows["n"], rows["suppressed"], protecting, strict=True
            )
        ],
        index=rows.index,
    )
    title = f"{ind.label}, {period_label(str(rows['period'].iloc[0]))}"
    palette = "blues" if ind.higher_is_better else "oranges"
    if ind.area == "district":
        return district_choropleth(
            ds,
            rows["value"],
            labels,
            scheme=filters.scheme,
            palette=palette,
            legend_title=title,
            value_fmt=unit_formatter(ind.unit),
            selected=filters.district,
            suppressed=rows["suppressed"],
            complementary=protecting,
        )
    return places_map(
        ds,
        rows["value"],
        labels,
        legend_title=title,
        palette=palette,
        value_fmt=unit_formatter(ind.unit),
        scheme=filters.scheme,
        suppressed=rows["suppressed"],
        complementary=protecting,
    )


# ---- table and display ------------------------------------------------------------------------
def _table(ds: Dataset, parts: list[_Rows]) -> pd.DataFrame:
    frames = []
    for part in parts:
        rows, ind = part.rows, part.indicator
        if not len(rows):
            continue
        frames.append(
            pd.DataFrame(
                {
                    "part": part.part,
                    "indicator": ind.id,
                    "unit": ind.unit,
                    "area_id": rows["area_id"].astype(str).to_numpy(),
                    "area_name": [area_name(ds, str(a), ind) for a in rows["area_id"]],
                    "period": rows["period"].astype(str).to_numpy(),
                    "value": [rounded(v, ind.unit) for v in rows["value"]],
                    "n": rows["n"].astype("float64").to_numpy(),
                    "target": ind.target if ind.target is not None else np.nan,
                    "suppressed": rows["suppressed"].astype(bool).to_numpy(),
                    "complementary": (
                        rows["complementary"].fillna(False).astype(bool).to_numpy()
                        if "complementary" in rows
                        else np.zeros(len(rows), dtype=bool)
                    ),
                    "source": indicator_source(ds, ind),
                }
            )
        )
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=_DTYPES.get(c, object)) for c in TABLE_COLUMNS})
    table = pd.concat(frames, ignore_index=True)[TABLE_COLUMNS]
    for column in ("value", "n", "target"):
        table[column] = table[column].astype("float64")
    return table


_DTYPES = {
    "value": "float64",
    "n": "float64",
    "target": "float64",
    "suppressed": bool,
    "complementary": bool,
}


def _display(table: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    from ..compute.registry import all_indicators

    labels = {ind.id: ind for _, ind in all_indicators()}
    rows = []
    for row in table.itertuples(index=False):
        ind = labels.get(row.indicator)
        unit = row.unit
        rows.append(
            {
                "Del": row.part.capitalize(),
                "Indikator": ind.label if ind else row.indicator,
                "Område": row.area_name,
                "Periode": period_label(row.period),
                "Værdi": value_text(
                    row.value,
                    unit,
                    suppressed=row.suppressed,
                    n=row.n if unit == "andel" else None,
                    complementary=row.complementary,
                ),
                "Mål": target_text(
                    None if np.isnan(row.target) else row.target,
                    unit,
                    ind.higher_is_better if ind else True,
                ),
            }
        )
    return pd.DataFrame(rows, columns=["Del", "Indikator", "Område", "Periode", "Værdi", "Mål"])


# ---- notes and sources ------------------------------------------------------------------------
def _notes(
    ds: Dataset, ini: Initiative, summaries: list[HeadlineSummary], trend_rows: list[pd.DataFrame]
) -> list[str]:
    notes = [
        ini.description,
        "Partnere: " + ", ".join(partner_name(ds, p) for p in ini.partners) + ".",
    ]
    missing = [s.indicator for s in summaries if not s.has_data]
    if len(missing) == len(summaries):
        notes.append(f"Der er endnu ingen data for indsatsen. {ini.data_needed}")
    elif missing:
        names = " og ".join(f"«{ind.label}»" for ind in missing)
        notes.append(f"Der er endnu ingen data for {names}. {ini.data_needed}")
    for s, rows in zip(summaries, trend_rows, strict=True):
        if s.has_data and len(rows) and rows["value"].isna().all():
            notes.append(
                f"Tallene for «{s.indicator.label}» er så små, at de ikke vises (under {threshold()})."
            )
    for ind in ini.indicators:
        notes.append(f"{ind.label}: {ind.help}")
    notes.append(
        f"{hidden_rule()}; andele med under {settings.get('min_respondents')} svar er markeret "
        "som usikre. En ændring "
        "kaldes markant, når den næppe skyldes tilfældigheder (p < 0,05)."
    )
    return notes


def _sources(ds: Dataset, ini: Initiative) -> list[str]:
    """The sources of the indsats' loaded data: police first, then the survey, then the rest."""
    order = [("incidents", POLICE), ("measurements", SURVEY), ("measurements", REGISTRATIONS)]
    parts = {indicator_part(ind) for ind in ini.indicators}
    return data_sources(ds, [part for part in order if part in parts])
