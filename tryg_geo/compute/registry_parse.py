"""Reading ``initiatives.toml`` field by field: every mistake becomes one Danish
:class:`~tryg_geo.errors.UsageError` naming the file, the indsats, the field, the value and
what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import UsageError
from .registry_model import (
    AREAS,
    CATEGORIES,
    INCIDENT_UNITS,
    MAX_INDICATORS,
    MIN_INDICATORS,
    PARTNERS,
    SOURCE_AREAS,
    SOURCES,
    UNITS,
    Indicator,
    Initiative,
    listing,
)

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")

_INITIATIVE_REQUIRED: tuple[str, ...] = (
    "slug",
    "title",
    "partners",
    "description",
    "headline",
    "data_needed",
    "indicator",
)
_INDICATOR_REQUIRED: tuple[str, ...] = (
    "id",
    "label",
    "unit",
    "source",
    "area",
    "higher_is_better",
    "help",
)
_INDICATOR_OPTIONAL: tuple[str, ...] = (
    "categories",
    "night_only",
    "zone",
    "indicator",
    "target",
    "places",
    "survey",
)
#: Optional indicator fields that only make sense for some sources.
_FIELD_SOURCES: dict[str, tuple[str, ...]] = {
    "categories": ("incidents",),
    "night_only": ("incidents",),
    "zone": ("incidents",),
    "indicator": ("measurement", "place_observation"),
    "places": ("place_observation",),
    "survey": ("measurement",),
}


def parse(data: Mapping[str, Any], file: str) -> tuple[Initiative, ...]:
    where = "filen"
    _check_keys(data, ("initiative",), file, where)
    raw = data.get("initiative")
    if not isinstance(raw, list) or not raw:
        raise UsageError(
            f"{file}: feltet 'initiative' mangler eller er tomt. Filen skal indeholde mindst én "
            f"tabel [[initiative]]."
        )
    initiatives: list[Initiative] = []
    slugs: set[str] = set()
    indicator_owner: dict[str, str] = {}
    # measurement name -> (unit, higher_is_better, where first declared)
    names: dict[str, tuple[str, bool, str]] = {}
    for number, table in enumerate(raw, start=1):
        initiative = _parse_initiative(table, number, file)
        if initiative.slug in slugs:
            raise UsageError(
                f"{file}: indsats nr. {number}: feltet 'slug' har værdien '{initiative.slug}', "
                f"som allerede er brugt af en anden indsats. Hver slug må kun bruges én gang."
            )
        slugs.add(initiative.slug)
        for ind in initiative.indicators:
            if ind.id in indicator_owner:
                raise UsageError(
                    f"{file}: indsatsen '{initiative.slug}', indikatoren '{ind.id}': feltet 'id' "
                    f"har værdien '{ind.id}', som allerede er brugt i indsatsen "
                    f"'{indicator_owner[ind.id]}'. Indikatorers id skal være unikke i hele filen."
                )
            indicator_owner[ind.id] = initiative.slug
            if ind.source != "incidents":
                _check_same_meaning(ind, initiative.slug, names, file)
        initiatives.append(initiative)
    return tuple(initiatives)


def _check_same_meaning(
    ind: Indicator, slug: str, names: dict[str, tuple[str, bool, str]], file: str
) -> None:
    """A measurement name used by several indicators must have one unit and one direction."""
    name = ind.measurement_name
    here = f"indsatsen '{slug}', indikatoren '{ind.id}'"
    if name not in names:
        names[name] = (ind.unit, ind.higher_is_better, here)
        return
    unit, higher, first = names[name]
    if ind.unit != unit:
        raise UsageError(
            f"{file}: {here}: feltet 'unit' har værdien '{ind.unit}', men målingen '{name}' "
            f"bruges også af {first} med enheden '{unit}'. Tilladt værdi: '{unit}'."
        )
    if ind.higher_is_better != higher:
        raise UsageError(
            f"{file}: {here}: feltet 'higher_is_better' har værdien {_show(ind.higher_is_better)}, "
            f"men målingen '{name}' bruges også af {first} med værdien {_show(higher)}. "
            f"Tilladt værdi: {_show(higher)}."
        )


def _parse_initiative(table: Any, number: int, file: str) -> Initiative:
    where = f"indsats nr. {number}"
    if not isinstance(table, dict):
        raise UsageError(f"{file}: {where} er ikke en tabel [[initiative]].")
    slug = _text(table, "slug", file, where)
    if not _SLUG_RE.match(slug):
        raise _not_allowed(
            file, where, "slug", slug, "små bogstaver a-z, cifre og bindestreger (fx 'tryg-bydel')"
        )
    where = f"indsatsen '{slug}'"
    _check_keys(table, _INITIATIVE_REQUIRED, file, where)
    for field in _INITIATIVE_REQUIRED:
        if field not in table:
            raise _missing(file, where, field)
    title = _text(table, "title", file, where)
    partners = _text_list(table, "partners", file, where)
    if not partners:
        raise _not_allowed(
            file, where, "partners", partners, f"en eller flere af {listing(PARTNERS)}"
        )
    for partner in partners:
        if partner not in PARTNERS:
            raise _not_allowed(file, where, "partners", partner, listing(PARTNERS))
    if len(set(partners)) != len(partners):
        raise _not_allowed(file, where, "partners", partners, "hver partner højst én gang")
    description = _text(table, "description", file, where)
    headline = _text(table, "headline", file, where)
    data_needed = _text(table, "data_needed", file, where)

    raw = table["indicator"]
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        raise _not_allowed(file, where, "indicator", raw, "tabeller [[initiative.indicator]]")
    if not MIN_INDICATORS <= len(raw) <= MAX_INDICATORS:
        raise UsageError(
            f"{file}: {where}: har {len(raw)} tabeller [[initiative.indicator]]. "
            f"Tilladt: {MIN_INDICATORS} til {MAX_INDICATORS}."
        )
    indicators = tuple(_parse_indicator(t, n, slug, file) for n, t in enumerate(raw, start=1))
    ids = [i.id for i in indicators]
    if headline not in ids:
        raise _not_allowed(file, where, "headline", headline, listing(ids))
    return Initiative(
        slug=slug,
        title=title,
        partners=tuple(partners),
        description=description,
        headline=headline,
        data_needed=data_needed,
        indicators=indicators,
    )


def _parse_indicator(table: dict[str, Any], number: int, slug: str, file: str) -> Indicator:
    where = f"indsatsen '{slug}', indikator nr. {number}"
    ind_id = _text(table, "id", file, where)
    if not _ID_RE.match(ind_id):
        raise _not_allowed(
            file, where, "id", ind_id, "små bogstaver a-z, cifre og understreger (fx 'tryg_andel')"
        )
    where = f"indsatsen '{slug}', indikatoren '{ind_id}'"
    _check_keys(table, _INDICATOR_REQUIRED + _INDICATOR_OPTIONAL, file, where)
    for field in _INDICATOR_REQUIRED:
        if field not in table:
            raise _missing(file, where, field)
    label = _text(table, "label", file, where)
    help_text = _text(table, "help", file, where)
    unit = _choice(table, "unit", UNITS, file, where)
    source = _choice(table, "source", SOURCES, file, where)
    area = _choice(table, "area", AREAS, file, where)
    higher_is_better = _bool(table, "higher_is_better", file, where)

    for field, sources in _FIELD_SOURCES.items():
        if field in table and source not in sources:
            raise UsageError(
                f"{file}: {where}: feltet '{field}' gælder ikke for source '{source}'. "
                f"Det er kun tilladt for source {listing(sources)}."
            )
    if area not in SOURCE_AREAS[source]:
        raise _not_allowed(file, where, "area", area, listing(SOURCE_AREAS[source]))

    categories: tuple[str, ...] = ()
    night_only = False
    zone: str | None = None
    name: str | None = None
    places: tuple[str, ...] = ()
    if source == "incidents":
        categories, night_only, zone = _incident_fields(table, unit, area, file, where)
    else:
        name, places = _measurement_fields(table, source, file, where)
    target = _target(table, unit, file, where)
    survey = _bool(table, "survey", file, where) if "survey" in table else False

    return Indicator(
        id=ind_id,
        label=label,
        unit=unit,
        source=source,
        area=area,
        higher_is_better=higher_is_better,
        help=help_text,
        categories=categories,
        night_only=night_only,
        zone=zone,
        indicator=name,
        target=target,
        places=places,
        survey=survey,
    )


def _incident_fields(
    table: dict[str, Any], unit: str, area: str, file: str, where: str
) -> tuple[tuple[str, ...], bool, str | None]:
    """``categories``, ``night_only`` and ``zone`` of an indicator counted from incidents."""
    night_only = False
    zone: str | None = None
    if "categories" not in table:
        raise _missing(
            file,
            where,
            "categories",
            f"en liste med værdier blandt {listing(CATEGORIES)} ([] betyder alle kategorier)",
        )
    cats = _text_list(table, "categories", file, where)
    for cat in cats:
        if cat not in CATEGORIES:
            raise _not_allowed(file, where, "categories", cat, listing(CATEGORIES))
    if len(set(cats)) != len(cats):
        raise _not_allowed(file, where, "categories", cats, "hver kategori højst én gang")
    categories = tuple(cats)
    if "night_only" in table:
        night_only = _bool(table, "night_only", file, where)
    if "zone" in table:
        zone = _place_id(table["zone"], "zone", file, where)
    if unit not in INCIDENT_UNITS:
        raise _not_allowed(file, where, "unit", unit, listing(INCIDENT_UNITS))
    if zone is not None and area != "place":
        raise _not_allowed(file, where, "area", area, "'place', når feltet 'zone' er sat")
    if zone is None and area == "place":
        raise _not_allowed(
            file, where, "area", area, "'district' eller 'kommune', når feltet 'zone' mangler"
        )
    if unit == "pr_1000" and area == "place":
        raise _not_allowed(
            file, where, "unit", unit, "'antal' for et sted (et sted har intet befolkningstal)"
        )
    return categories, night_only, zone


def _measurement_fields(
    table: dict[str, Any], source: str, file: str, where: str
) -> tuple[str, tuple[str, ...]]:
    """The measurement name and, for place observations, the place ids of an indicator."""
    places: tuple[str, ...] = ()
    if "indicator" not in table:
        raise _missing(
            file, where, "indicator", "navnet på målingen i målingstabellen (fx 'tryg_andel')"
        )
    name = _text(table, "indicator", file, where)
    if not _ID_RE.match(name):
        raise _not_allowed(
            file, where, "indicator", name, "små bogstaver a-z, cifre og understreger"
        )
    if source == "place_observation":
        if "places" not in table:
            raise _missing(file, where, "places", "en liste med steders id (fx ['nytorv'])")
        raw_places = _text_list(table, "places", file, where)
        if not raw_places:
            raise _not_allowed(file, where, "places", raw_places, "mindst ét steds id")
        places = tuple(_place_id(p, "places", file, where) for p in raw_places)
        if len(set(places)) != len(places):
            raise _not_allowed(file, where, "places", raw_places, "hvert sted højst én gang")
    return name, places


def _target(table: dict[str, Any], unit: str, file: str, where: str) -> float | None:
    """The indicator's target in the stored scale of its unit, or None."""
    target: float | None = None
    if "target" in table:
        raw_target = table["target"]
        if isinstance(raw_target, bool) or not isinstance(raw_target, int | float):
            raise _not_allowed(file, where, "target", raw_target, "et tal")
        target = float(raw_target)
        if unit == "andel" and not 0.0 <= target <= 1.0:
            raise _not_allowed(
                file,
                where,
                "target",
                raw_target,
                "et tal fra 0 til 1 for enheden 'andel' (0.9 = 90 %)",
            )
        if unit != "score" and target < 0:
            raise _not_allowed(file, where, "target", raw_target, "et tal på 0 eller derover")
    return target


# --- small checkers ---------------------------------------------------------------------------


def _show(value: object) -> str:
    """A value as it would be written in the TOML file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return repr(value)


def _not_allowed(file: str, where: str, field: str, value: object, allowed: str) -> UsageError:
    return UsageError(
        f"{file}: {where}: feltet '{field}' har værdien {_show(value)}, som ikke er tilladt. "
        f"Tilladte værdier: {allowed}."
    )


def _missing(file: str, where: str, field: str, expected: str | None = None) -> UsageError:
    tail = f" Det skal være {expected}." if expected else ""
    return UsageError(f"{file}: {where}: feltet '{field}' mangler.{tail}")


def _check_keys(table: Mapping[str, Any], allowed: Sequence[str], file: str, where: str) -> None:
    for key in table:
        if key not in allowed:
            raise UsageError(
                f"{file}: {where}: ukendt felt '{key}' med værdien {_show(table[key])}. "
                f"Tilladte felter: {listing(allowed)}."
            )


def _text(table: Mapping[str, Any], field: str, file: str, where: str) -> str:
    if field not in table:
        raise _missing(file, where, field, "en tekst")
    value = table[field]
    if not isinstance(value, str) or not value.strip():
        raise _not_allowed(file, where, field, value, "en ikke-tom tekst")
    return value.strip()


def _text_list(table: Mapping[str, Any], field: str, file: str, where: str) -> list[str]:
    value = table[field]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _not_allowed(file, where, field, value, 'en liste af tekster, fx ["a", "b"]')
    return list(value)


def _choice(
    table: Mapping[str, Any], field: str, allowed: Sequence[str], file: str, where: str
) -> str:
    value = table[field]
    if value not in allowed or not isinstance(value, str):
        raise _not_allowed(file, where, field, value, listing(allowed))
    return value


def _bool(table: Mapping[str, Any], field: str, file: str, where: str) -> bool:
    value = table[field]
    if not isinstance(value, bool):
        raise _not_allowed(file, where, field, value, "true, false")
    return value


def _place_id(value: Any, field: str, file: str, where: str) -> str:
    if not isinstance(value, str) or not _SLUG_RE.match(value):
        raise _not_allowed(
            file, where, field, value, "et steds id med små bogstaver a-z, cifre og bindestreger"
        )
    return value
