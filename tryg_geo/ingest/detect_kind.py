"""Which kind of data a file holds, judged from the file itself: the wizard's first guess.

A file with geometry holds areas: polygons are districts (områder), points are places (steder)
— unless the points carry dates, then they are incidents, and polygons with a column naming
their art (torv, nattelivszone …) are places. A table with dates and coordinates holds
incidents; one with indicator, period and value columns holds measurements; a filled template
from an initiative is measurements.

:func:`guess_kind` is pure (cells and geometry types in, a :class:`KindGuess` out);
:func:`detect_kind` reads the first rows of a file for it. The columns are judged by
:func:`tryg_geo.ingest.detect.propose_columns`, the same proposals the wizard then shows, so the
guess and the column boxes never disagree.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..store.schema import KIND_LABELS
from .detect import extra_aliases, propose_columns
from .detect_content import text_frame
from .detect_roles import KIND_ROLES, missing_roles

#: Rows the guess looks at: enough to tell dates, coordinates and indicators apart, few enough
#: that the guess costs little beside the preview (which judges 2 000 rows for the proposals).
GUESS_ROWS = 200
#: Roles a table's header row is looked for by (every role of a tabular kind).
TABLE_ROLES: tuple[str, ...] = tuple(
    dict.fromkeys(KIND_ROLES["incidents"] + KIND_ROLES["measurements"])
)
_POLYGONS = {"Polygon", "MultiPolygon"}
_POINTS = {"Point", "MultiPoint"}


@dataclass(frozen=True)
class KindGuess:
    """The kind a file seems to hold, and why.

    Attributes
    ----------
    kind : 'districts', 'incidents', 'measurements', 'places', 'kommune_crimes',
        'kommune_population', or None when nothing fits.
    reason : one Danish sentence for the wizard, e.g. "Genkendt som hændelser: kolonner med
        dato og koordinater ('dato', 'lat' og 'lon')."
    """

    kind: str | None
    reason: str


def guess_kind(frame: pd.DataFrame, geometry_types: Collection[str] = ()) -> KindGuess:
    """The kind of data in a file whose attribute cells are ``frame``.

    Parameters
    ----------
    frame : the file's cells (its first rows are enough), one column per file column, the
        geometry left out.
    geometry_types : the geometry types of a vector file ('Polygon', 'Point' …); empty for a
        table.

    Returns
    -------
    KindGuess
        With ``kind`` None when neither the geometry nor the columns say what the file holds.
    """
    text = text_frame(frame.head(GUESS_ROWS))
    types = set(geometry_types)
    if types:
        return _vector_kind(text, types)
    incidents = _found(text, "incidents")
    if not missing_roles("incidents", incidents):
        return _guess("incidents", "kolonner med dato og koordinater", incidents, _INCIDENT_NAMES)
    measurements = _found(text, "measurements")
    if not missing_roles("measurements", measurements):
        return _guess(
            "measurements",
            "kolonner med indikator, periode og værdi",
            measurements,
            ("indicator", "period", "value"),
        )
    return KindGuess(
        None,
        "Datatypen kunne ikke genkendes: filen har hverken kolonner med dato og koordinater "
        "(hændelser) eller med indikator, periode og værdi (målinger). Vælg datatypen selv.",
    )


_INCIDENT_NAMES = ("datetime", "lat", "lon", "x", "y")


def _vector_kind(text: pd.DataFrame, types: set[str]) -> KindGuess:
    if types <= _POINTS:
        dated = _found(text, "incidents")
        if dated.get("datetime"):
            return _guess("incidents", "punkter med en kolonne med dato", dated, ("datetime",))
        return KindGuess("places", "Genkendt som steder: filen har punkter uden dato.")
    if types & _POLYGONS:
        arts = _by_name(text, "places", "kind")
        if arts:
            return KindGuess(
                "places",
                f"Genkendt som steder: flader med en kolonne for art ('{arts}').",
            )
        return KindGuess("districts", "Genkendt som områder: filen har flader (polygoner).")
    return KindGuess(
        None,
        "Datatypen kunne ikke genkendes: filen har hverken flader (områder) eller punkter "
        "(steder, hændelser). Vælg datatypen selv.",
    )


def _found(text: pd.DataFrame, kind: str) -> dict[str, str | None]:
    proposals = propose_columns(kind, text, extra_aliases=extra_aliases(kind))
    return {role: p.column for role, p in proposals.items()}


def _by_name(text: pd.DataFrame, kind: str, role: str) -> str | None:
    proposal = propose_columns(kind, text, extra_aliases=extra_aliases(kind))[role]
    return proposal.column if proposal.by == "navn" else None


def _guess(kind: str, what: str, found: dict[str, str | None], roles: tuple[str, ...]) -> KindGuess:
    named = [f"'{found[r]}'" for r in roles if found.get(r)]
    listing = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " og " + named[-1]
    return KindGuess(kind, f"Genkendt som {KIND_LABELS[kind]}: {what} ({listing}).")


def statbank_guess(path: Path) -> KindGuess | None:
    """A StatBank table by kommune, known by its header row (``OMRÅDE;…;TID;INDHOLD``); None
    for any other file."""
    from .statbank import CRIMES, read_header, read_statbank_text, statbank_kind

    with open(path, "rb") as handle:
        head = handle.read(4096)
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        text, _ = read_statbank_text(path)
    header = read_header(text)
    kind = statbank_kind(header)
    if kind is None:
        return None
    what = "typen af overtrædelse (OVERTRÆD)" if kind == CRIMES else "befolkningstal"
    return KindGuess(
        kind,
        f"Genkendt som {KIND_LABELS[kind]}: en tabel fra Statistikbanken med område, {what}, "
        f"tid og indhold ('{';'.join(header)}').",
    )


def detect_kind(path: str | Path, *, layer: str | None = None, crs: str | None = None) -> KindGuess:
    """Read the first rows of ``path`` and :func:`guess_kind` them.

    Raises
    ------
    UnusableFileError
        The file cannot be read as a table or a vector file.
    UsageError
        Unknown layer, sheet or CRS.
    """
    from .template import is_template
    from .vector_read import is_vector_file

    path = Path(path)
    if is_template(path):
        return KindGuess(
            "measurements", "Genkendt som målinger: en udfyldt skabelon fra en indsats."
        )
    if is_vector_file(path):
        from .vector_read import read_vector

        frame, _ = read_vector(path, layer=layer, crs=crs)
        types = set(frame.geometry.geom_type.dropna().unique())
        return guess_kind(pd.DataFrame(frame.drop(columns=frame.geometry.name)), types)
    from .formats import TEXT_SUFFIXES
    from .tables import read_table

    if path.suffix.lower() in TEXT_SUFFIXES:
        statbank = statbank_guess(path)
        if statbank is not None:
            return statbank
    table = read_table(path, TABLE_ROLES, sheet=layer, max_rows=GUESS_ROWS)
    return guess_kind(table.frame)
