"""A district against a yardstick: the kommune as a whole and the districts most like it.

Incidents per 1 000 inhabitants of one district beside (a) the rest of the kommune and (b) the
districts most like it: those of the same group when the data owner set one in the districts
file (a column ``gruppe`` or ``sammenlign``, kept at import as ``group``), else the
:data:`SIMILAR` nearest by population and density (both on a log scale, standardised).

The difference is tested as the change tests are (:mod:`tryg_geo.analysis.change`): the exact
Poisson test conditional on the total (:func:`tryg_geo.compute.stats.count_change_p`), with
the district's share of the population as the expected share, the two p-values adjusted
together with Benjamini–Hochberg, and no test beside a hidden count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from ..cache import per_version
from ..compute.counts import by_district, category_mask, combine, period_mask
from ..compute.privacy import small, threshold
from ..compute.stats import benjamini_hochberg, count_change_p
from ..store.dataset import Dataset
from .change import ALPHA

#: How many districts are "most like" the chosen one without a group in the districts file.
SIMILAR = 3
HIGHER, LOWER, NO_DIFFERENCE, NOT_TESTED = (
    "Markant højere",
    "Markant lavere",
    "Ingen sikker forskel",
    "For få til en test",
)
WHOLE, LIKE = "Resten af kommunen", "Lignende områder"


@dataclass(frozen=True)
class Yardstick:
    """The chosen district and its two comparisons.

    ``table``: three rows (the district, :data:`WHOLE`, :data:`LIKE`) with ``comparison,
    districts, incidents, population, incidents_per_1000, p_value, p_fdr, difference_class,
    tested``; the district's own row has no test. ``similar``: the ids compared with, and
    ``by``: 'gruppe' or 'befolkning og tæthed'.
    """

    table: pd.DataFrame
    similar: tuple[str, ...]
    by: str


def similar_districts(ds: Dataset, district_id: str, count: int = SIMILAR) -> tuple[list[str], str]:
    """The districts most like ``district_id``, and how they were found ('gruppe' or
    'befolkning og tæthed'); empty when the districts have no population. Kept per data
    version: the districts' areas cost more than a yardstick's counting."""
    found = per_version(
        ds,
        "page_lookups",
        ("similar", district_id, count),
        lambda: _similar(ds, district_id, count),
    )
    return list(found[0]), found[1]


def _similar(ds: Dataset, district_id: str, count: int) -> tuple[list[str], str]:
    districts = ds.districts
    if districts is None:
        return [], ""
    ids = districts["district_id"].astype(str)
    if "group" in districts.columns:
        groups = districts["group"].astype("string")
        own = groups[ids == district_id]
        if len(own) and pd.notna(own.iloc[0]) and str(own.iloc[0]).strip():
            same = ids[(groups == own.iloc[0]).fillna(False) & (ids != district_id)]
            if len(same):
                return list(same), "gruppe"
    population = ds.population.reindex(ids).to_numpy(dtype="float64")
    area_km2 = per_version(
        ds,
        "page_lookups",
        ("district-areas-km2",),
        lambda: districts.geometry.area.to_numpy() / 1e6,
    ).astype("float64")
    usable = (population > 0) & (area_km2 > 0)
    if not usable[(ids == district_id).to_numpy()].any():
        return [], ""
    features = np.column_stack([np.log(population), np.log(population / area_km2)])[usable]
    spread = features.std(axis=0)
    scaled = (features - features.mean(axis=0)) / np.where(spread > 0, spread, 1)
    kept = ids[usable].to_numpy()
    own_row = scaled[kept == district_id][0]
    distance = np.sqrt(((scaled - own_row) ** 2).sum(axis=1))
    order = [i for i in np.argsort(distance, kind="stable") if kept[i] != district_id]
    return [str(kept[i]) for i in order[:count]], "befolkning og tæthed"


def district_yardstick(
    ds: Dataset,
    district_id: str,
    *,
    start: date,
    end: date,
    categories: tuple[str, ...] = (),
) -> Yardstick | None:
    """Incidents per 1 000 of ``district_id`` against the rest of the kommune and the districts
    most like it, tested; None when the district has no population or is unknown. Kept per
    data version and choices: Tryg bydel asks on every rerun, and the districts' areas (for
    the likeness) cost more than the counting."""
    token = ("yardstick", district_id, start, end, tuple(categories), threshold())
    return per_version(
        ds,
        "analyses",
        token,
        lambda: _district_yardstick(ds, district_id, start=start, end=end, categories=categories),
    )


def _district_yardstick(
    ds: Dataset, district_id: str, *, start: date, end: date, categories: tuple[str, ...]
) -> Yardstick | None:
    population = ds.population
    if district_id not in population.index or not population.get(district_id, 0) > 0:
        return None
    mask = combine(period_mask(ds.arrays, start, end), category_mask(ds.arrays, categories))
    counts, _ = by_district(ds, mask)
    with_population = population[population > 0].index
    rest = [i for i in with_population if i != district_id]
    similar, by = similar_districts(ds, district_id)
    rows = [("Området", [district_id]), (WHOLE, rest), (LIKE, similar)]
    incidents = [int(counts.reindex(ids, fill_value=0).sum()) for _, ids in rows]
    people = [float(population.reindex(ids).sum()) for _, ids in rows]
    own_count, own_people = incidents[0], people[0]
    tested = np.array(
        [False]
        + [
            bool(ids) and not small([own_count])[0] and not small([n])[0] and own_count + n > 0
            for (_, ids), n in zip(rows[1:], incidents[1:], strict=True)
        ]
    )
    p = np.array(
        [np.nan]
        + [
            count_change_p(own_count, n, expected_share=own_people / (own_people + pop))
            if t
            else np.nan
            for n, pop, t in zip(incidents[1:], people[1:], tested[1:], strict=True)
        ]
    )
    p_fdr = benjamini_hochberg(p)
    rate = np.array(
        [n / pop * 1000 if pop > 0 else np.nan for n, pop in zip(incidents, people, strict=True)]
    )
    classes = [""] + [
        NOT_TESTED if not t else (HIGHER if rate[0] > r else LOWER) if q < ALPHA else NO_DIFFERENCE
        for r, q, t in zip(rate[1:], np.nan_to_num(p_fdr[1:], nan=1.0), tested[1:], strict=True)
    ]
    names = ds.district_names
    table = pd.DataFrame(
        {
            "comparison": [label for label, _ in rows],
            "districts": [
                f"alle {len(ids)} andre områder med befolkning"
                if label == WHOLE
                else ", ".join(names.get(i, i) for i in ids)
                for label, ids in rows
            ],
            "incidents": incidents,
            "population": people,
            "incidents_per_1000": rate,
            "p_value": p,
            "p_fdr": p_fdr,
            "difference_class": classes,
            "tested": tested,
        }
    )
    return Yardstick(table, tuple(similar), by)
