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


@dataclass(frozen=True)
class YardstickPart:
    """What a page shows: ``title``, ``display`` (Danish table), ``sentences`` and ``note``."""

    title: str
    display: pd.DataFrame
    sentences: list[str]
    note: str


def yardstick_part(ds: Dataset, filters: Filters) -> YardstickPart | None:
    """The chosen district (``filters.district``) against its yardsticks; None without a
    chosen district or without its population."""
    if not filters.district or not ds.has_incidents:
        return None
    found = district_yardstick(
        ds, filters.district, start=filters.start, end=filters.end, categories=filters.categories
    )
    if found is None:
        return None
    table = found.table
    name = ds.district_names.get(filters.district, filters.district)
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
    return YardstickPart(
        f"{name} sammenlignet: hændelser pr. 1.000 indbyggere", display, sentences, note
    )
