"""Finding the columns a data kind needs, by name, with Danish and English aliases.

Matching ignores case, spaces, dashes, underscores and a UTF-8 BOM. A column named explicitly by
the user (``--lat-col`` etc.) always wins and must exist.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from ..errors import ColumnError, UsageError

#: The names of a police case or report number: an incident's own id.
_CASE_IDS: tuple[str, ...] = (
    "journalnr",
    "journalnummer",
    "jnr",
    "sagsnr",
    "sagsnummer",
    "anmeldelsesnr",
    "anmeldelsesnummer",
    "incidentid",
    "haendelsesid",
    "hændelsesid",
)

#: role -> accepted names (normalised: lower case, letters and digits only).
ALIASES: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "districtid",
        "omraadeid",
        "områdeid",
        "omrid",
        "kode",
        "code",
        "postnr",
        "postnrtxt",
        "komkode",
        "placeid",
        "stedid",
        *_CASE_IDS,
        "fid",
    ),
    "name": (
        "name",
        "navn",
        "områdenavn",
        "omraadenavn",
        "postbynavn",
        "komnavn",
        "stednavn",
        "placename",
        "districtname",
        "bydel",
    ),
    "population": ("population", "befolkning", "indbyggere", "folketal", "antalindbyggere", "pop"),
    # the data owner's grouping of districts for the yardstick (tryg_geo.analysis.yardstick)
    "group": ("gruppe", "sammenlign", "sammenligning", "områdegruppe", "omraadegruppe", "group"),
    # A "-tidspunkt" column holding date and time beats a date alone, but police exports call
    # the time of day alone "Gerningstidspunkt" beside a "Gerningsdato": such names are also
    # names of the time role, and the cells decide (find_columns' ``fit``).
    "datetime": (
        "datetime",
        "timestamp",
        "tidspunkt",
        "gerningstidspunkt",
        "anmeldt",
        "anmeldelsestidspunkt",
        "dato",
        "date",
        "gerningsdato",
        "anmeldelsesdato",
    ),
    "time": (
        "time",
        "tid",
        "klokkeslæt",
        "klokkeslaet",
        "kl",
        "gerningsklokkeslæt",
        "gerningsklokkeslaet",
        "gerningstidspunkt",
        "tidspunkt",
        "anmeldelsestidspunkt",
    ),
    "category": (
        "category",
        "kategori",
        "type",
        "hændelsestype",
        "haendelsestype",
        "overtrædelse",
        "overtraedelse",
        "gerningskode",
        "forbrydelse",
        "crimetype",
    ),
    "lat": ("lat", "latitude", "breddegrad", "bredde", "y_wgs84", "ywgs84"),
    "lon": (
        "lon",
        "lng",
        "long",
        "longitude",
        "længdegrad",
        "laengdegrad",
        "længde",
        "x_wgs84",
        "xwgs84",
    ),
    "x": (
        "x",
        "easting",
        "øst",
        "oest",
        "east",
        "utmx",
        "x25832",
        "etrs89x",
        "østutm32",
        "oestutm32",
    ),
    "y": ("y", "northing", "nord", "north", "utmy", "y25832", "etrs89y", "nordutm32"),
    "source": ("source", "kilde", "datakilde"),
    "initiative": ("initiative", "indsats", "initiativ"),
    "area": (
        "area",
        "areaid",
        "område",
        "omraade",
        "områdeid",
        "omraadeid",
        "district",
        "districtid",
        "sted",
        "stedid",
        "placeid",
        "bydel",
    ),
    # "tid" and "indhold" are Danmarks Statistik's column names (TID, INDHOLD in StatBank tables).
    "period": (
        "period",
        "periode",
        "år",
        "aar",
        "year",
        "kvartal",
        "måned",
        "maaned",
        "month",
        "tid",
        "undersøgelsesår",
        "maaleaar",
        "måleår",
    ),
    "indicator": ("indicator", "indikator", "måling", "maaling", "mål", "spørgsmål"),
    "value": (
        "value",
        "værdi",
        "vaerdi",
        "andel",
        "antal",
        "resultat",
        "score",
        "indhold",
        "pct",
        "procent",
    ),
    "n": ("n", "antalsvar", "svar", "respondenter", "besvarelser", "base", "grundlag"),
    "kind": ("kind", "art", "slags", "stedtype", "placetype", "type"),
}

#: A kind's own order of names for a role, where the shared list would mislead: an incident's
#: id is its case number, never a postal code or a kommune code (those are districts' ids).
KIND_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "incidents": {"id": (*_CASE_IDS, "id", "fid")},
}

#: How well a column's content fits a role: (role, column) -> 2 the cells read as that role,
#: 1 cannot tell, 0 the cells belong elsewhere (a time of day alone is never the date).
Fit = Callable[[str, str], int]

#: CLI option name for each role (``--<option>``), used in messages.
OPTION: dict[str, str] = {
    "id": "id-col",
    "name": "name-col",
    "population": "population-col",
    "group": "group-col",
    "datetime": "date-col",
    "time": "time-col",
    "category": "category-col",
    "lat": "lat-col",
    "lon": "lon-col",
    "x": "x-col",
    "y": "y-col",
    "area": "area-col",
    "period": "period-col",
    "indicator": "indicator-col",
    "value": "value-col",
    "n": "n-col",
    "kind": "kind-col",
    "source": "source-col",
    "initiative": "initiative-col",
}


def normalise(name: object) -> str:
    """Lower-case ``name`` and keep only letters and digits (æøå kept)."""
    return re.sub(r"[^0-9a-zæøå]", "", str(name).replace("\ufeff", "").strip().lower())


def aliases(role: str, kind: str | None = None) -> tuple[str, ...]:
    """The accepted names of ``role`` for data ``kind``, most likely first."""
    return KIND_ALIASES.get(kind or "", {}).get(role, ALIASES[role])


def name_candidates(columns: Iterable[object], role: str, kind: str | None = None) -> list[str]:
    """The columns whose name is an alias of ``role``, in the order of :func:`aliases`."""
    by_norm: dict[str, str] = {}
    for column in map(str, columns):
        by_norm.setdefault(normalise(column), column)
    return list(dict.fromkeys(by_norm[a] for a in aliases(role, kind) if a in by_norm))


def find_columns(
    columns: Iterable[object],
    roles: Iterable[str],
    explicit: Mapping[str, str | None] | None = None,
    *,
    file: str = "",
    taken: Iterable[str] = (),
    kind: str | None = None,
    fit: Fit | None = None,
) -> dict[str, str | None]:
    """Map each role in ``roles`` to a column of ``columns`` (or None when absent).

    Parameters
    ----------
    columns : the file's column names, in file order.
    roles : roles to look for (keys of :data:`ALIASES`); earlier roles claim columns first.
    explicit : role -> column name given by the user; such a column must exist.
    file : the file name, for messages.
    taken : columns already claimed by another role.
    kind : the data kind, for its own order of names (:data:`KIND_ALIASES`).
    fit : judges the content (:data:`Fit`). Of the columns a role's names match, the best
        fitting is taken (name order breaks ties) and one whose content belongs elsewhere
        (fit 0) never is. Without it the first name wins.

    Raises
    ------
    UsageError
        When an explicitly named column is not in the file.
    """
    columns = [str(c) for c in columns]
    by_norm: dict[str, str] = {}
    for column in columns:
        by_norm.setdefault(normalise(column), column)
    used = set(taken)
    found: dict[str, str | None] = {}
    explicit = {k: v for k, v in (explicit or {}).items() if v}
    for role, column in explicit.items():
        if column not in columns:
            match = by_norm.get(normalise(column))
            if match is None:
                raise UsageError(
                    f"--{OPTION.get(role, role)} {column!r}: kolonnen findes ikke i {file}. "
                    f"Filens kolonner er: {', '.join(columns)}."
                )
            column = match
        found[role] = column
        used.add(column)
    for role in roles:
        if role in found:
            continue
        free = [c for c in name_candidates(columns, role, kind) if c not in used]
        if fit is not None:
            scored = [(fit(role, c), -n, c) for n, c in enumerate(free)]
            free = [c for score, _, c in sorted(scored, reverse=True) if score > 0]
        found[role] = free[0] if free else None
        if found[role] is not None:
            used.add(found[role])
    return found


def require(
    found: Mapping[str, str | None],
    roles: Iterable[str],
    *,
    file: str,
    columns: Iterable[object],
    what: str,
) -> None:
    """Raise :class:`ColumnError` naming the first missing role and how to fix it."""
    for role in roles:
        if found.get(role) is None:
            raise ColumnError(
                f"{file}: der mangler en kolonne med {what[role] if isinstance(what, Mapping) else role}. "
                f"Forventede et af navnene {', '.join(ALIASES[role][:6])} — eller {{advice}}. "
                f"Filens kolonner er: {', '.join(map(str, columns))}.",
                roles=(role,),
                cli_advice=cli_advice((role,)),
                file=file,
                column=role,
                expected=", ".join(ALIASES[role][:6]),
            )


def cli_advice(roles: Iterable[str]) -> str:
    """How to name the columns of ``roles`` on the command line: 'angiv den med --id-col'."""
    options = [f"--{OPTION[role]}" for role in roles]
    return ("angiv den med " if len(options) == 1 else "angiv dem med ") + " og ".join(options)
