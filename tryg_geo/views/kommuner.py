"""Kommuner: our kommune beside the comparison kommuner, reported crimes per 1 000 inhabitants.

Shown on Overblik (under the initiatives), as one slide of the deck and as its own CSV
(``export --view kommuner``). The numbers are :func:`tryg_geo.compute.kommuner.kommune_rates`;
the chart is :func:`tryg_geo.render.charts.kommune_chart`, and :func:`chart_text` is its text
alternative.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from .. import fmt
from ..compute.filters import Filters
from ..compute.kommuner import KommuneRates, kommune_rates
from ..compute.privacy import hidden_text, shown_count
from ..geo.kommuner import kommune_name
from ..periods import label as period_label
from ..periods import parse as parse_period
from ..store.as_of import statbank_as_of
from ..store.dataset import Dataset
from .model import Kpi, View
from .sources import data_sources, demo_mark, source_line

KEY = "kommuner"
TITLE = "Kommuner"
KINDS = ("kommune_crimes", "kommune_population")
#: What the view says without both StatBank tables: how to get them (README, Data).
MISSING = (
    "Der er ingen tal fra Danmarks Statistik endnu. Hent STRAF11 (anmeldte forbrydelser pr. "
    "kommune og kvartal) og FOLK1A (befolkning pr. kommune og kvartal) i Statistikbanken "
    "(statistikbanken.dk) som semikolonsepareret CSV, og importér dem på siden Data – eller "
    "med python -m tryg_geo import kommune_crimes FIL og import kommune_population FIL. "
    "README, afsnittet Data, siger præcis hvilke valg."
)
#: A rate without a count: StatBank did not publish a quarter of the year ('..'), or the
#: export has not got it. Never drawn as 0.
NOT_PUBLISHED_TEXT = "ikke offentliggjort"
#: A rate without a population: FOLK1A has not got the area.
NO_POPULATION = "intet folketal"
#: The note under the view when a rate is :data:`NOT_PUBLISHED_TEXT`.
NOT_PUBLISHED_NOTE = (
    "'Ikke offentliggjort': Danmarks Statistik har ikke offentliggjort tallet for alle fire "
    "kvartaler ('..' i Statistikbanken), så der er ingen rate."
)


def kommune_view(ds: Dataset, filters: Filters) -> View:
    """Our kommune, the comparison kommuner and the whole country, per type of offence.

    ``filters`` is not used: StatBank's numbers have their own periods (the latest rolling
    year), named in the subtitle.
    """
    sources = data_sources(
        ds,
        [
            ("kommune_crimes", "Danmarks Statistik, Statistikbanken STRAF11"),
            ("kommune_population", "Danmarks Statistik, Statistikbanken FOLK1A"),
        ],
    )
    mark = demo_mark(ds, KINDS)
    rates = kommune_rates(ds)
    view = View(
        key=KEY,
        title=f"{kommune_name(ds.partnership.kommune_code)} og andre kommuner",
        subtitle="Anmeldte forbrydelser pr. 1.000 indbyggere (Statistikbanken)",
        demo=mark.demo,
        demo_label=mark.label,
        source=source_line(sources, demo=mark),
        sources=sources,
        table=pd.DataFrame(),
        # StatBank's quarters and imports, not the incidents': page, CSV, PNG and slide.
        as_of=statbank_as_of(ds),
    )
    if rates is None or rates.table.empty:
        view.missing = MISSING
        return view
    view.table = rates.table
    view.period = _span(rates)
    view.subtitle = (
        f"Anmeldte forbrydelser pr. 1.000 indbyggere, {_window(rates)} (et rullende år), "
        "pr. type af overtrædelse"
    )
    view.display = _display(rates.table)
    view.kpis = _kpis(rates)
    view.highlights = chart_text(rates.table)
    view.notes = [
        "Sammenligningskommunerne vælges med sammenlign i partnerskab.toml; uden den er det de "
        "største kommuner efter folketal (FOLK1A). Befolkningen er fra seneste kvartal i "
        "perioden. Anmeldelser afhænger også af, hvor mange der anmelder."
    ]
    if (rates.table["incidents"].isna() & ~rates.table["suppressed"]).any():
        view.notes.append(NOT_PUBLISHED_NOTE)
    return view


def _window(rates: KommuneRates) -> str:
    if not rates.periods:
        return ""
    return f"{period_label(rates.periods[0])}–{period_label(rates.periods[-1])}"


def _span(rates: KommuneRates) -> tuple[date, date] | None:
    """The first and last day of the quarters summed (the file names' and slide's period)."""
    if not rates.periods:
        return None
    first, last = (parse_period(p) for p in (rates.periods[0], rates.periods[-1]))
    if first is None or last is None:
        return None
    return first.days()[0], last.days()[1]


def rate_text(row) -> str:
    """One area's rate as every picture and text writes it: '50,4', 'skjult (<5 anmeldelser)'
    under the threshold, :data:`NOT_PUBLISHED_TEXT` for a year StatBank did not publish in full
    ('..'), :data:`NO_POPULATION` without FOLK1A's number — never 0 for a number not known.

    ``row``: a row of :attr:`tryg_geo.compute.kommuner.KommuneRates.table` (a mapping).
    """
    if row["suppressed"]:  # the count is hidden, and the rate with it
        return f"skjult ({hidden_text()} anmeldelser)"
    if pd.isna(row["incidents"]):
        return NOT_PUBLISHED_TEXT
    value = row["incidents_per_1000"]
    return NO_POPULATION if pd.isna(value) else fmt.number(value, 1)


def _display(table: pd.DataFrame) -> pd.DataFrame:
    """The table in Danish: one row per kommune, one column per type of offence."""
    shown = table.assign(
        rate=[rate_text(row) for _, row in table.iterrows()],
        Kommune=table["area_name"],
    )
    wide = shown.pivot_table(
        index="Kommune", columns="category", values="rate", aggfunc="first", sort=False
    )
    wide.columns.name = None
    return wide.reset_index()


def main_category(table: pd.DataFrame) -> str:
    """The category for the key figures: the one with most reports in our kommune (the total,
    'Straffelov i alt', when the export has it); the first when none is shown."""
    own = table[table["own"]]
    counts = own.groupby("category", sort=False)["incidents"].sum(min_count=1).dropna()
    return str(counts.idxmax()) if len(counts) else str(table["category"].iloc[0])


def _kpis(rates: KommuneRates) -> list[Kpi]:
    table = rates.table[rates.table["category"] == main_category(rates.table)]
    kpis = []
    for _, row in table.head(4).iterrows():
        kpis.append(
            Kpi(
                row["area_name"],
                rate_text(row),
                help=f"{row['category']} pr. 1.000 indbyggere ("
                f"{shown_count(row['incidents'], bool(row['suppressed']))} anmeldelser).",
            )
        )
    return kpis


def chart_text(table: pd.DataFrame) -> list[str]:
    """The chart's text alternative: per type of offence, each area's rate, highest first."""
    sentences = []
    for category, rows in table.groupby("category", sort=False):
        ranked = rows.sort_values("incidents_per_1000", ascending=False, na_position="last")
        parts = [f"{row['area_name']} {rate_text(row)}" for _, row in ranked.iterrows()]
        sentences.append(f"{category} pr. 1.000 indbyggere: {', '.join(parts)}.")
    return sentences
