"""Our kommune beside others: reported crimes per 1 000 inhabitants from StatBank's tables.

The crimes (STRAF11, quarterly, kind ``kommune_crimes``) of the latest :data:`WINDOW_QUARTERS`
quarters every shown area has, summed per type of offence, over the population (FOLK1A, kind
``kommune_population``) of the newest quarter up to the window's end. A count under the
threshold setting is hidden, and its rate with it (the rate times the population would give
it away), as everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..geo.kommuner import WHOLE_COUNTRY_CODE, kommune_name
from ..store.dataset import Dataset
from .privacy import small

#: A year of quarters: the comparison is a rolling year, so a season does not decide it.
WINDOW_QUARTERS = 4
#: How many kommuner are compared without a ``sammenlign`` setting: the largest beside ours,
#: so that ours and these are the six largest when ours is among them.
DEFAULT_COMPARED = 5


@dataclass(frozen=True)
class KommuneRates:
    """The comparison's numbers.

    ``table``: one row per area and type of offence — ``area_code, area_name, category,
    period, incidents, population, incidents_per_1000, suppressed, own`` (counts hidden under
    the threshold: NaN with ``suppressed`` True; a year with a quarter StatBank did not publish
    or the file lacks: NaN with ``suppressed`` False). ``periods``: the quarters summed.
    """

    table: pd.DataFrame
    periods: tuple[str, ...]
    own: str
    compared: tuple[str, ...]


def has_statbank(ds: Dataset) -> bool:
    """True when both StatBank tables are loaded (crimes and population)."""
    return all(
        frame is not None and len(frame) for frame in (ds.kommune_crimes, ds.kommune_population)
    )


def latest_population(ds: Dataset, until: str | None = None) -> pd.Series:
    """Population per area code in the newest quarter up to ``until`` (a stored period name;
    the newest of all when None or when no quarter is that early)."""
    pop = ds.kommune_population
    if pop is None or not len(pop):
        return pd.Series(dtype="float64")
    pop = pop.sort_values("period_start")
    early = pop[pop["period"] <= until] if until else pop
    pop = early if len(early) else pop
    return pop.groupby("area_code")["value"].last()


def comparison_codes(ds: Dataset) -> tuple[str, ...]:
    """The kommuner beside ours: ``sammenlign`` in ``partnerskab.toml``, else the
    :data:`DEFAULT_COMPARED` largest by the newest FOLK1A population (ours and the whole
    country left out)."""
    own = ds.partnership.kommune_code
    if ds.partnership.compare:
        return tuple(c for c in ds.partnership.compare if c != own)
    population = latest_population(ds).drop([own, WHOLE_COUNTRY_CODE], errors="ignore")
    largest = population.sort_values(ascending=False, kind="stable").head(DEFAULT_COMPARED)
    return tuple(largest.index)


def kommune_rates(ds: Dataset) -> KommuneRates | None:
    """Crimes per 1 000 inhabitants for ours, the comparison kommuner and the whole country, per
    type of offence, over the latest rolling year; None without both StatBank tables."""
    if not has_statbank(ds):
        return None
    own = ds.partnership.kommune_code
    compared = comparison_codes(ds)
    areas = [own, *compared, WHOLE_COUNTRY_CODE]
    crimes = ds.kommune_crimes
    crimes = crimes[crimes["area_code"].isin(areas)]
    # The latest quarters that our kommune has: the others are compared over the same ones.
    periods = sorted(crimes.loc[crimes["area_code"] == own, "period"].unique())[-WINDOW_QUARTERS:]
    window = crimes[crimes["period"].isin(periods)]
    summed = window.groupby(["area_code", "category"], sort=False).agg(
        incidents=("value", "sum"), quarters=("period", "nunique")
    )
    # Every area of the file beside every type of offence: a year StatBank did not publish
    # ('..', rejected at import) is a row without a count, not a row left out.
    grid = pd.MultiIndex.from_product(
        [list(dict.fromkeys(crimes["area_code"])), list(dict.fromkeys(window["category"]))],
        names=["area_code", "category"],
    )
    summed = summed.reindex(summed.index.append(grid).unique()).fillna({"quarters": 0})
    summed = summed.reset_index()
    # An area missing a quarter of the window would look lower than it is: no rate then.
    summed.loc[summed["quarters"] < len(periods), "incidents"] = np.nan
    population = latest_population(ds, periods[-1] if periods else None)
    summed["population"] = summed["area_code"].map(population)
    counts = summed["incidents"].to_numpy(dtype="float64")
    hidden = small(np.nan_to_num(counts, nan=0.0))
    summed["suppressed"] = hidden
    summed.loc[hidden, "incidents"] = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        summed["incidents_per_1000"] = summed["incidents"] / summed["population"] * 1000
    summed["area_name"] = summed["area_code"].map(kommune_name)
    summed["own"] = summed["area_code"] == own
    summed["period"] = f"{periods[0]}–{periods[-1]}" if periods else ""
    # Types of offence as the file lists them (StatBank puts the total first), areas as shown.
    categories = {c: i for i, c in enumerate(dict.fromkeys(crimes["category"]))}
    order = {code: i for i, code in enumerate(areas)}
    summed["_category"] = summed["category"].map(categories)
    summed["_order"] = summed["area_code"].map(order)
    summed["incidents"] = summed["incidents"].round().astype("Int64")
    summed["population"] = summed["population"].round().astype("Int64")
    summed["incidents_per_1000"] = summed["incidents_per_1000"].astype("float64").round(2)
    table = summed.sort_values(["_category", "_order"], kind="stable")[
        [
            "area_code",
            "area_name",
            "category",
            "period",
            "incidents",
            "population",
            "incidents_per_1000",
            "suppressed",
            "own",
        ]
    ].reset_index(drop=True)
    return KommuneRates(table, tuple(periods), own, compared)
