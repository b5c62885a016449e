"""The filter changes ``make bench`` makes on each page (:data:`PLANS`, :func:`plan_of`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bench.common import (
    ALL_DISTRICTS,
)


# ---- filter changes -----------------------------------------------------------------------------
@dataclass
class Change:
    """One user action: set one or more widgets (AppTest kind, key, value), then rerun."""

    label: str
    ops: list[tuple[str, str, Any]]
    params: dict[str, str] = field(default_factory=dict)  # the page's URL after the rerun


def _pick(items: list, i: int) -> Any:
    return items[i % len(items)] if items else None


def tryg_bydel_changes(ds, k: int) -> list[Change]:
    """``k`` distinct filter changes on Tryg bydel: period, categories, district, indicator,
    class scheme (mostly with the incident indicator: that is where counting happens)."""
    from tryg_geo.views.tryg_bydel import INCIDENT_RATE, tryg_bydel_indicators

    cats = list(ds.categories)
    districts = sorted(ds.district_names, key=ds.district_names.get)
    surveys = [i for i in tryg_bydel_indicators() if i != INCIDENT_RATE]
    first, last = ds.incident_span
    custom = (max(first, date(last.year - 2, 3, 1)), date(last.year - 1, 8, 31))

    def sel(key, value):
        return ("selectbox", key, value)

    def multi(values):
        return [("multiselect", "flt_categories", values)]

    plan = [
        ("indikator: hændelser pr. 1.000", [sel("flt_indicator", INCIDENT_RATE)]),
        ("periode: år til dato", [sel("flt_preset", "ytd")]),
        (f"kategori: {_pick(cats, 9)}", multi([_pick(cats, 9)])),
        (f"område: {_pick(districts, 0)}", [sel("flt_district", _pick(districts, 0))]),
        ("periode: seneste hele år", [sel("flt_preset", "last_year")]),
        ("kategorier: 2", multi([_pick(cats, 2), _pick(cats, 7)])),
        ("klasser: naturlige brud", [("radio", "flt_scheme", "natural_breaks")]),
        (f"område: {_pick(districts, 5)}", [sel("flt_district", _pick(districts, 5))]),
        ("periode: hele perioden", [sel("flt_preset", "all")]),
        ("kategorier: alle", multi([])),
        ("periode: valgfri", [sel("flt_preset", "custom")]),
        ("datoer: valgfri", [("date_input", "flt_dates", custom)]),
        (f"område: {_pick(districts, 11)}", [sel("flt_district", _pick(districts, 11))]),
        (f"kategori: {_pick(cats, 3)}", multi([_pick(cats, 3)])),
        ("klasser: kvantiler", [("radio", "flt_scheme", "quantiles")]),
        ("periode: seneste 12 måneder", [sel("flt_preset", "12m")]),
        (f"indikator: {_pick(surveys, 0)}", [sel("flt_indicator", _pick(surveys, 0))]),
        ("område: hele kommunen", [sel("flt_district", ALL_DISTRICTS)]),
        ("indikator: hændelser pr. 1.000", [sel("flt_indicator", INCIDENT_RATE)]),
        ("kategorier: 3", multi([_pick(cats, 0), _pick(cats, 4), _pick(cats, 5)])),
        (f"område: {_pick(districts, 17)}", [sel("flt_district", _pick(districts, 17))]),
        ("periode: år til dato", [sel("flt_preset", "ytd")]),
        ("kategorier: alle", multi([])),
        ("klasser: naturlige brud", [("radio", "flt_scheme", "natural_breaks")]),
    ]
    if not surveys:  # no survey indicator: keep the plan, skip its two indicator switches
        plan = [p for p in plan if not p[0].startswith("indikator")]
    changes = [Change(label, ops) for label, ops in plan]
    i = 18
    while len(changes) < k:  # more changes wanted: walk through the districts
        i += 1
        district = _pick(districts, i)
        changes.append(Change(f"område: {district}", [sel("flt_district", district)]))
    return changes[:k]


def natteliv_changes(ds, k: int) -> list[Change]:
    """``k`` distinct filter changes on Natteliv: period, categories, cell size, nights,
    night hours, class scheme."""
    from tryg_geo.views.natteliv import zone_indicator

    night = [c for c in zone_indicator().categories if c in ds.categories] or list(ds.categories)
    first, last = ds.incident_span
    custom = (max(first, date(last.year - 1, 5, 1)), date(last.year, 4, 30))

    def sel(key, value):
        return ("selectbox", key, value)

    def cell(size):
        return [("radio", "flt_cell", size)]

    def multi(key, values):
        return [("multiselect", key, values)]

    plan = [
        ("periode: år til dato", [sel("flt_preset", "ytd")]),
        ("celle: 250m", cell("250m")),
        (f"kategori: {_pick(night, 0)}", multi("flt_categories", [_pick(night, 0)])),
        ("nætter: fre, lør, søn", multi("flt_nights", [4, 5, 6])),
        ("fra kl. 20", [sel("flt_night_start", 20)]),
        ("celle: 1km", cell("1km")),
        ("periode: seneste hele år", [sel("flt_preset", "last_year")]),
        ("til kl. 4", [sel("flt_night_end", 4)]),
        ("kategorier: 2", multi("flt_categories", [_pick(night, 0), _pick(night, 1)])),
        ("klasser: naturlige brud", [("radio", "flt_scheme", "natural_breaks")]),
        ("celle: 100m", cell("100m")),
        ("periode: hele perioden", [sel("flt_preset", "all")]),
        ("nætter: lør", multi("flt_nights", [5])),
        ("kategorier: nattens (standard)", multi("flt_categories", [])),
        ("fra kl. 22", [sel("flt_night_start", 22)]),
        ("periode: valgfri", [sel("flt_preset", "custom")]),
        ("datoer: valgfri", [("date_input", "flt_dates", custom)]),
        ("celle: 250m", cell("250m")),
        ("til kl. 6", [sel("flt_night_end", 6)]),
        ("klasser: kvantiler", [("radio", "flt_scheme", "quantiles")]),
        ("nætter: fre, lør", multi("flt_nights", [4, 5])),
        ("periode: seneste 12 måneder", [sel("flt_preset", "12m")]),
        ("celle: 100m", cell("100m")),
        (f"kategori: {_pick(night, 3)}", multi("flt_categories", [_pick(night, 3)])),
    ]
    changes = [Change(label, ops) for label, ops in plan]
    sizes = ["1km", "250m", "100m"]
    i = 0
    while len(changes) < k:  # more changes wanted: cycle the cell size
        size = sizes[i % 3]
        changes.append(Change(f"celle: {size}", cell(size)))
        i += 1
    return changes[:k]


def period_changes(ds, k: int) -> list[Change]:
    """``k`` changes of the period, the one filter every page has (as a steering group clicks
    through the presets; custom dates now and then): Overblik's plan, and any page's
    without a plan of its own."""
    first, last = ds.incident_span
    custom = (max(first, date(last.year - 1, 3, 1)), date(last.year, 2, 28))
    plan = [
        ("periode: år til dato", [("selectbox", "flt_preset", "ytd")]),
        ("periode: hele perioden", [("selectbox", "flt_preset", "all")]),
        ("periode: seneste hele år", [("selectbox", "flt_preset", "last_year")]),
        ("periode: seneste 12 måneder", [("selectbox", "flt_preset", "12m")]),
        ("periode: valgfri", [("selectbox", "flt_preset", "custom")]),
        ("datoer: valgfri", [("date_input", "flt_dates", custom)]),
    ]
    return [Change(*plan[i % len(plan)]) for i in range(k)]


def analyse_changes(ds, k: int) -> list[Change]:
    """``k`` changes on Analyse: cell size (Gi*), permutations (Knox), period, categories."""
    cats = list(ds.categories)
    plan = [
        ("celle: 250m", [("radio", "flt_cell", "250m")]),
        ("periode: seneste hele år", [("selectbox", "flt_preset", "last_year")]),
        ("permutationer: 99", [("radio", "flt_perm", 99)]),
        (f"kategori: {_pick(cats, 0)}", [("multiselect", "flt_categories", [_pick(cats, 0)])]),
        ("celle: 1km", [("radio", "flt_cell", "1km")]),
        ("periode: hele perioden", [("selectbox", "flt_preset", "all")]),
        ("kategorier: alle", [("multiselect", "flt_categories", [])]),
        ("celle: 100m", [("radio", "flt_cell", "100m")]),
    ]
    return [Change(*plan[i % len(plan)]) for i in range(k)]


def byens_rum_changes(ds, k: int) -> list[Change]:
    """``k`` changes on Byens rum: observation, period and categories."""
    from tryg_geo.views.byens_rum import place_indicators

    cats = list(ds.categories)
    kinds = list(place_indicators(ds)) or ["klager"]
    plan: list[tuple[str, list]] = []
    presets = ["ytd", "all", "last_year", "12m"]
    for i in range(max(k, 1)):
        if i % 3 == 0:
            kind = _pick(kinds, i // 3 + 1)
            plan.append((f"observation: {kind}", [("selectbox", "flt_place_indicator", kind)]))
        elif i % 3 == 1:
            preset = presets[(i // 3) % len(presets)]
            plan.append((f"periode: {preset}", [("selectbox", "flt_preset", preset)]))
        else:
            chosen = [] if (i // 3) % 2 else [_pick(cats, i)]
            plan.append(
                (f"kategorier: {chosen or 'alle'}", [("multiselect", "flt_categories", chosen)])
            )
    return [Change(label, ops) for label, ops in plan[:k]]


def indsatser_changes(ds, k: int) -> list[Change]:
    """``k`` changes on Indsatser: the indsats, the period and the district."""
    from tryg_geo.compute.registry import load_initiatives

    slugs = [i.slug for i in load_initiatives()]
    districts = sorted(ds.district_names, key=ds.district_names.get)
    presets = ["all", "12m", "ytd", "last_year"]
    plan: list[tuple[str, list]] = []
    for i in range(max(k, 1)):
        if i % 2 == 0:
            slug = _pick(slugs, i // 2 + 1)
            plan.append((f"indsats: {slug}", [("selectbox", "flt_initiative", slug)]))
        elif i % 4 == 1:
            preset = presets[(i // 4) % len(presets)]
            plan.append((f"periode: {preset}", [("selectbox", "flt_preset", preset)]))
        else:
            district = ALL_DISTRICTS if (i // 4) % 2 else _pick(districts, i)
            plan.append((f"område: {district}", [("selectbox", "flt_district", district)]))
    return [Change(label, ops) for label, ops in plan[:k]]


#: page key -> its filter changes (``plan(ds, k)``); a page without one gets
#: :func:`period_changes` (see :func:`plan_of`).
PLANS: dict[str, Callable[[Any, int], list[Change]]] = {
    "overblik": period_changes,
    "tryg-bydel": lambda ds, k: tryg_bydel_changes(ds, k),
    "natteliv": lambda ds, k: natteliv_changes(ds, k),
    "byens-rum": byens_rum_changes,
    "analyse": analyse_changes,
    "indsatser": indsatser_changes,
}


def plan_of(key: str) -> Callable[[Any, int], list[Change]]:
    """The filter changes of page ``key``: its own plan, or the period's."""
    return PLANS.get(key, period_changes)
