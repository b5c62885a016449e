"""The yardstick of a chosen district, in words and as a table: against the rest of the
kommune and the districts most like it (:mod:`tryg_geo.analysis.yardstick`), per 1 000
inhabitants, with the test's verdict. Every page where a district is chosen shows it."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import fmt
from ..analysis.yardstick import LIKE, NOT_TESTED, WHOLE, district_yardstick
from ..compute.filters import Filters
from ..compute.privacy import shown_count, small
from ..ingest.columns import ALIASES, OPTION
from ..store.dataset import Dataset

#: How the test is explained under the table.
TEST_NOTE = (
    "Forskellen er testet som ændringerne: en eksakt Poisson-test af områdets antal mod "
    "sammenligningens, givet indbyggertallene, korrigeret for to test (Benjamini–Hochberg, "
    "p < 0,05). Tal under diskretionsgrænsen vises ikke og testes ikke."
)


#: A rate beside a hidden count: hidden too (rate × population would give the count away).
HIDDEN_RATE = "skjult"


def _rate_text(rate: float, hidden: bool) -> str:
    if hidden:
        return HIDDEN_RATE
    return fmt.number(rate, 1)


#: The columns of the yardstick's table (also of the empty one beside ``missing``).
COLUMNS = ("Sammenligning", "Områder", "Hændelser", "Pr. 1.000 indbyggere", "Forskel")
#: How many districts without population the explanation names before "og N andre".
NAMED = 5


@dataclass(frozen=True)
class YardstickPart:
    """What a page shows: ``title``, ``display`` (Danish table), ``sentences`` and ``note``;
    ``missing`` instead of a table: why there is no comparison and how to get one."""

    title: str
    display: pd.DataFrame
    sentences: list[str]
    note: str
    missing: str | None = None


def population_missing(ds: Dataset, district_id: str) -> str | None:
    """Why a comparison per 1 000 inhabitants of ``district_id`` cannot be made (Danish, one
    line: which districts lack a population, and which column to import); None when it has
    its population, or is no district."""
    names = ds.district_names
    if district_id not in names:
        return None
    population = ds.population.reindex(list(names))
    with_population = population.gt(0).fillna(False)
    if bool(with_population.get(district_id, False)):
        return None
    *first, last = ALIASES["population"][1:4]  # the Danish names the import recognises
    aliases = f"{', '.join(first)} eller {last}"
    fix = (
        f"Importér områderne igen med en kolonne med folketal (fx {aliases}) som datatype "
        "Områder på siden Data eller med python -m tryg_geo import districts FIL "
        f"(--{OPTION['population']} KOLONNE, hvis kolonnen hedder noget andet)."
    )
    if not with_population.any():
        why = "områdefilen har ingen kolonne med folketal"
    else:
        lacking = [names[i] for i in population.index[~with_population.to_numpy()]]
        listed = ", ".join(lacking[:NAMED])
        if len(lacking) > NAMED:
            listed += f" og {fmt.number(len(lacking) - NAMED)} andre"
        word = "området" if len(lacking) == 1 else "områderne"
        why = f"{word} {listed} har intet folketal i områdefilen"
    return f"Sammenligning pr. 1.000 indbyggere kræver folketal for området, men {why}. {fix}"


def yardstick_part(ds: Dataset, filters: Filters) -> YardstickPart | None:
    """The chosen district (``filters.district``) against its yardsticks; None without a
    chosen district. Without its population: no table, and ``missing`` says why and which
    column to import (:func:`population_missing`)."""
    if not filters.district or not ds.has_incidents:
        return None
    name = ds.district_names.get(filters.district, filters.district)
    title = f"{name} sammenlignet: hændelser pr. 1.000 indbyggere"
    found = district_yardstick(
        ds, filters.district, start=filters.start, end=filters.end, categories=filters.categories
    )
    if found is None:
        why = population_missing(ds, filters.district)
        if why is None:
            return None
        return YardstickPart(title, pd.DataFrame(columns=list(COLUMNS)), [], "", missing=why)
    table = found.table
    hidden = small(table["incidents"].to_numpy())
    rates = [
        _rate_text(r, bool(h)) for h, r in zip(hidden, table["incidents_per_1000"], strict=True)
    ]
    display = pd.DataFrame(
        {
            "Sammenligning": [name if i == 0 else c for i, c in enumerate(table["comparison"])],
            "Områder": table["districts"],
            "Hændelser": [
                shown_count(n, bool(h)) for n, h in zip(table["incidents"], hidden, strict=True)
            ],
            "Pr. 1.000 indbyggere": rates,
            "Forskel": ["" if i == 0 else c for i, c in enumerate(table["difference_class"])],
        }
    )
    how = "samme gruppe i områdefilen" if found.by == "gruppe" else "befolkning og tæthed"
    sentences = [
        f"{name}: {rates[0]} hændelser pr. 1.000 indbyggere mod {rates[i]} i "
        f"{WHOLE.lower() if label == WHOLE else 'de lignende områder'} – "
        f"{table['difference_class'].iloc[i].lower()}."
        for i, label in enumerate(table["comparison"])
        if i > 0 and table["districts"].iloc[i] and table["difference_class"].iloc[i] != NOT_TESTED
    ]
    note = f"{LIKE} er fundet efter {how}. {TEST_NOTE}"
    return YardstickPart(title, display, sentences, note)
