"""Finding the columns a data kind needs, by name, with Danish and English aliases.

Matching ignores case, spaces, dashes, underscores and a UTF-8 BOM. A column named explicitly by
the user (``--lat-col`` etc.) always wins and must exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ..errors import ColumnError, UsageError

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
        "incidentid",
        "haendelsesid",
        "hændelsesid",
        "journalnr",
        "sagsnr",
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
    "time": ("time", "tid", "klokkeslæt", "klokkeslaet", "kl", "gerningsklokkeslæt"),
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
    "x": ("x", "easting", "øst", "oest", "east", "utmx", "x25832", "etrs89x"),
    "y": ("y", "northing", "nord", "north", "utmy", "y25832", "etrs89y"),
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


def find_columns(
    columns: Iterable[object],
    roles: Iterable[str],
    explicit: Mapping[str, str | None] | None = None,
    *,
    file: str = "",
    taken: Iterable[str] = (),
) -> dict[str, str | None]:
    """Map each role in ``roles`` to a column of ``columns`` (or None when absent).

    Parameters
    ----------
    columns : the file's column names, in file order.
    roles : roles to look for (keys of :data:`ALIASES`); earlier roles claim columns first.
    explicit : role -> column name given by the user; such a column must exist.
    file : the file name, for messages.
    taken : columns already claimed by another role.

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
        found[role] = next(
            (by_norm[a] for a in ALIASES[role] if a in by_norm and by_norm[a] not in used), None
        )
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
