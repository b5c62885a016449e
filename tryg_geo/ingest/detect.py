"""Proposing the column of every role a data kind needs: first by name, then by content.

The import wizard on the Data page shows one select box per role, pre-filled from
:func:`propose_columns`. A column whose name is one of the aliases in
:data:`tryg_geo.columns.ALIASES` (or a loader's extra aliases) is proposed by name. Where no name
matches, the best candidate by content is proposed, with a Danish sentence saying why: unique
values for an id, text for a name, numbers in Danish coordinate ranges for lat/lon or x/y
(EPSG:25832), parseable dates, a population-like whole-number column, and so on.

Coordinates are always checked by content, because real exports name them badly: a column
called ``Y`` holding 57,05 is a latitude, not a UTM northing, and is proposed as such.

Everything here is pure: a frame of text cells in, proposals out. The chosen columns are passed
to :func:`tryg_geo.importer.import_file` as ``columns``, so the wizard and the command line run
the same checks.

This module proposes (:func:`propose_columns`, :func:`column_proposals`) and words the result
for the command line and the Data page; the roles of each kind and :class:`Proposal` are in
:mod:`.detect_roles`, the judging of a column's content in :mod:`.detect_content` and the
wizard's reading of a file in :mod:`.detect_preview`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .columns import OPTION, find_columns, name_candidates, normalise
from .detect_content import (
    SAMPLE_ROWS,
    Chooser,
    explain_fit,
    profile,
    role_fit,
    settle_coordinates,
    text_frame,
)
from .detect_preview import Preview, preview_file
from .detect_roles import KIND_ROLES, ROLE_LABELS, Proposal

if TYPE_CHECKING:
    from ..store.folder import Store


def propose_columns(
    kind: str,
    frame: pd.DataFrame,
    *,
    extra_aliases: Mapping[str, Sequence[str]] | None = None,
    known_areas: Iterable[str] | None = None,
    known_indicators: Iterable[str] | None = None,
) -> dict[str, Proposal]:
    """Propose a column for every role of ``kind``.

    Parameters
    ----------
    kind : 'districts', 'incidents', 'measurements' or 'places'.
    frame : the file's cells (any dtype; judged as text), one column per file column.
    extra_aliases : more accepted names per role (the loader's own, e.g. DAGI's ``KOMKODE``).
    known_areas : district and place ids in the store (helps find the area column).
    known_indicators : indicator names and aliases the registry knows (helps find the
        indicator column), compared after :func:`tryg_geo.columns.normalise`.

    Returns
    -------
    dict[str, Proposal]
        One proposal per role of :data:`KIND_ROLES`, in that order.
    """
    roles = KIND_ROLES[kind]
    text = text_frame(frame.head(SAMPLE_ROWS))
    columns = list(text.columns)
    profiles = {column: profile(text[column]) for column in columns}
    by_name = find_columns(
        columns, roles, kind=kind, fit=lambda role, column: role_fit(profiles[column], role)
    )
    _add_extra_aliases(by_name, columns, extra_aliases or {})
    proposals: dict[str, Proposal] = {
        role: Proposal(role, column, "navn") if column else Proposal(role, None)
        for role, column in by_name.items()
    }
    explain_fit(proposals, profiles, lambda role: name_candidates(columns, role, kind))
    if kind == "incidents":
        settle_coordinates(proposals, profiles)
    chooser = Chooser(proposals, profiles, kind)
    for role in roles:
        if proposals[role].column is None:
            chooser.choose(role, known_areas=known_areas, known_indicators=known_indicators)
    if kind in ("districts", "places") and proposals["id"].column is None:
        name = proposals["name"].column
        if name is not None:
            proposals["id"] = Proposal(
                "id",
                name,
                "indhold",
                f"Ingen kolonne ligner et id; navnene i '{name}' bruges som id.",
            )
    return {role: proposals[role] for role in roles}


def cli_suggestion(
    kind: str,
    path: str | Path,
    roles: Sequence[str],
    *,
    explicit: Mapping[str, str | None] | None = None,
    layer: str | None = None,
    crs: str | None = None,
) -> str:
    """The command line's version of the wizard's proposals, for a file missing ``roles``.

    Returns
    -------
    str
        E.g. " Forslag ud fra indholdet: --x-col X_koordinat --y-col Y_koordinat. 'X_koordinat'
        indeholder …" or "" when the content suggests nothing (or the file cannot be read).
    """
    from ..errors import TrygGeoError

    try:
        preview = preview_file(kind, path, layer=layer, crs=crs)
    except TrygGeoError:
        return ""
    proposals = propose_columns(kind, preview.frame, extra_aliases=extra_aliases(kind))
    wanted = list(roles)
    if set(wanted) & {"lat", "lon", "x", "y"}:
        pairs = [p for p in (("lat", "lon"), ("x", "y")) if all(proposals[r].column for r in p)]
        wanted = [r for r in wanted if r not in ("lat", "lon", "x", "y")] + list(
            pairs[0] if pairs else ()
        )
    given = {k for k, v in (explicit or {}).items() if v}
    found = [proposals[r] for r in wanted if proposals[r].column and r not in given]
    if not found:
        return ""
    options = " ".join(f"--{OPTION[p.role]} {_quoted(p.column)}" for p in found)
    reasons = " ".join(p.reason for p in found if p.reason)
    return f" Forslag ud fra indholdet: {options}." + (f" {reasons}" if reasons else "")


def _quoted(column: str | None) -> str:
    text = str(column)
    return text if re.fullmatch(r"[\wæøåÆØÅ.-]+", text) else f"'{text}'"


_PAGE_FIELDS = {"crs": "Koordinatsystem", "layer": "Lag/ark"}
_OPTION_ROLES = {option: role for role, option in OPTION.items()}


#: " – eller med python -m tryg_geo import kommune_crimes FIL og import kommune_population FIL"
_COMMAND = re.compile(
    r"\s*(?:–\s*)?eller med python -m tryg_geo import \w+ FIL(?: og import \w+ FIL)?"
)


def page_wording(text: str) -> str:
    """A message of the loaders with the Data page's controls instead of command-line options.

    ``--id-col`` becomes "kolonnen for Id" (the select box under 2. Kolonner), ``--crs`` and
    ``--layer`` the fields under "Avanceret": a browser user never reads about flags. A
    command beside the page's way ("på siden Data eller med python -m tryg_geo import
    districts FIL") is left out: the page says "på siden Data".
    """
    text = _COMMAND.sub("", text)

    def column(match: re.Match[str]) -> str:
        role = _OPTION_ROLES.get(match.group(1))
        return f"kolonnen for {ROLE_LABELS[role]}" if role in ROLE_LABELS else match.group(0)

    text = re.sub(r"--([a-z]+-col)\b", column, text)
    text = re.sub(r"[Aa]ngiv (?:den|dem) med kolonnen for", "vælg kolonnen for", text)
    # "vælg kolonnen for Breddegrad (lat) og kolonnen for Længdegrad (lon)": one "kolonnen"
    text = re.sub(r"(vælg kolonnen for [^.;:]*?) og kolonnen for ", r"\1 og ", text)
    for option, label in _PAGE_FIELDS.items():
        text = re.sub(rf"--{option} (?=['\"A-Za-z0-9])", f"feltet {label} = ", text)
        text = re.sub(rf"--{option}\b", f"feltet {label} under Avanceret", text)
    return text


def _add_extra_aliases(
    found: dict[str, str | None], columns: list[str], extra: Mapping[str, Sequence[str]]
) -> None:
    used = {c for c in found.values() if c}
    by_norm: dict[str, str] = {}
    for column in columns:
        by_norm.setdefault(normalise(column), column)
    for role, aliases in extra.items():
        if role not in found or found[role] is not None:
            continue
        for alias in map(normalise, aliases):
            match = by_norm.get(alias)
            if match is not None and match not in used:
                found[role] = match
                used.add(match)
                break


def column_proposals(
    kind: str, preview: Preview, store: Store | None = None
) -> dict[str, Proposal]:
    """:func:`propose_columns` for a previewed file, knowing what the store and registry know.

    The loader's extra aliases, the stored district and place ids (for the area of
    measurements) and the registry's indicator names and their aliases are taken into account.
    """
    known_areas: list[str] = []
    known_indicators: list[str] | None = None
    if kind == "measurements":
        from ..store.folder import Store as _Store
        from .aliases import known_indicator_names

        store = store or _Store()
        for stored, column in (("districts", "district_id"), ("places", "place_id")):
            if store.has(stored):
                known_areas += store.read(stored)[column].astype(str).tolist()
        known_indicators = known_indicator_names()
    return propose_columns(
        kind,
        preview.frame,
        extra_aliases=extra_aliases(kind),
        known_areas=known_areas,
        known_indicators=known_indicators,
    )


def extra_aliases(kind: str) -> dict[str, tuple[str, ...]]:
    """The loader's own extra column names for ``kind`` (DAGI's KOMKODE and the like)."""
    if kind == "districts":
        from .districts import EXTRA_ALIASES

        return dict(EXTRA_ALIASES)
    if kind == "places":
        from .places import EXTRA_ALIASES as PLACE_ALIASES

        return dict(PLACE_ALIASES)
    return {}
