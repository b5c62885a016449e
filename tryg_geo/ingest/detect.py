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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..geo.denmark import EASTING_RANGE, LAT_RANGE, LON_RANGE, NORTHING_RANGE
from .columns import OPTION, find_columns, normalise
from .parse import parse_datetimes, parse_numbers, parse_periods

if TYPE_CHECKING:
    from ..store.folder import Store

#: Roles each kind can use, in the order the wizard shows them.
KIND_ROLES: dict[str, tuple[str, ...]] = {
    "districts": ("id", "name", "population"),
    "places": ("id", "name", "kind"),
    "incidents": (
        "datetime",
        "time",
        "category",
        "lat",
        "lon",
        "x",
        "y",
        "id",
        "source",
        "initiative",
    ),
    "measurements": ("area", "period", "indicator", "value", "n"),
}

#: Roles a kind cannot do without (incidents also need lat/lon or x/y: see :func:`missing_roles`).
REQUIRED_ROLES: dict[str, tuple[str, ...]] = {
    "districts": ("id",),
    "places": ("id",),
    "incidents": ("datetime", "category"),
    "measurements": ("area", "period", "indicator", "value"),
}

#: The label of each role on the Data page (the page's words for ``--id-col`` etc.).
ROLE_LABELS: dict[str, str] = {
    "id": "Id",
    "name": "Navn",
    "population": "Befolkning",
    "datetime": "Dato/tidspunkt",
    "time": "Klokkeslæt",
    "category": "Kategori",
    "lat": "Breddegrad (lat)",
    "lon": "Længdegrad (lon)",
    "x": "X (øst, EPSG:25832)",
    "y": "Y (nord, EPSG:25832)",
    "source": "Kilde pr. række",
    "initiative": "Indsats",
    "area": "Område",
    "period": "Periode",
    "indicator": "Indikator",
    "value": "Værdi",
    "n": "Antal svar (n)",
    "kind": "Art",
}

#: Rows looked at to judge a column by its content.
SAMPLE_ROWS = 2000
#: Share of the non-empty cells that must fit for a content proposal.
FIT = 0.9

_ID_HINTS = ("id", "kode", "nr", "nøgle", "noegle", "key", "fid", "objectid", "løbenr", "lbnr")
_POPULATION_HINTS = ("bef", "indb", "pop", "folk", "borger")
_TIME_OF_DAY = re.compile(r"^\d{1,2}[:.]\d{2}([:.]\d{2})?$")
_LETTER = re.compile(r"[A-Za-zÆØÅæøåÄÖÜäöüé]")


@dataclass(frozen=True)
class Proposal:
    """The column proposed for one role.

    Attributes
    ----------
    role : str
        A key of :data:`ROLE_LABELS`.
    column : str or None
        The proposed column, or None when no column fits.
    by : str
        ``"navn"`` (the column name is a known alias), ``"indhold"`` (chosen by content) or
        ``""`` (nothing proposed).
    reason : str
        One Danish sentence saying why (empty when proposed by name or not at all).
    """

    role: str
    column: str | None
    by: str = ""
    reason: str = ""


@dataclass(frozen=True)
class _Profile:
    """What the sampled cells of one column look like."""

    column: str
    filled: int
    distinct: int
    numbers: np.ndarray  # the numeric cells (finite), in sample order
    numeric_share: float
    integer_share: float
    date_share: float
    clock_share: float
    period_share: float
    letter_share: float
    examples: tuple[str, ...]

    @property
    def unique(self) -> bool:
        return self.filled > 0 and self.distinct == self.filled

    def share_in(self, bounds: tuple[float, float]) -> float:
        if self.filled == 0 or len(self.numbers) == 0:
            return 0.0
        inside = (self.numbers >= bounds[0]) & (self.numbers <= bounds[1])
        return float(inside.sum()) / self.filled

    def example(self, count: int = 2) -> str:
        return ", ".join(f"'{e}'" for e in self.examples[:count])


def text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The cells of ``frame`` as stripped text ('' for missing; 12.0 read as '12')."""
    if all(pd.api.types.is_string_dtype(frame[c]) for c in frame.columns) and not (
        frame.isna().any().any()
    ):
        return frame.rename(columns=str)  # a table read as text already (CSV, XLSX)
    out = {}
    for column in frame.columns:
        values = frame[column].to_numpy(dtype=object, na_value=None)
        out[str(column)] = [_text(v) for v in values]
    return pd.DataFrame(out, index=frame.index, dtype=object)


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def profile(series: pd.Series) -> _Profile:
    """Describe the content of one column of text cells (the first :data:`SAMPLE_ROWS`)."""
    text = pd.Series(series.iloc[:SAMPLE_ROWS], dtype="str").str.strip()
    filled_text = text[text != ""]
    filled = len(filled_text)
    if filled == 0:
        return _Profile(str(series.name), 0, 0, np.array([]), 0, 0, 0, 0, 0, 0, ())
    values, reasons, _ = parse_numbers(filled_text)
    numeric = reasons == ""
    numbers = values[numeric]
    integer_share = float((numbers == np.round(numbers)).sum()) / filled
    _, date_reasons, _ = parse_datetimes(filled_text)
    dated = ~np.isin(date_reasons, ["unparseable_date", "missing_value"])
    clock = filled_text.str.fullmatch(_TIME_OF_DAY.pattern).to_numpy()
    _, period_reasons = parse_periods(filled_text)
    letters = filled_text.str.contains(_LETTER.pattern).to_numpy()
    distinct_values = pd.unique(filled_text)
    return _Profile(
        column=str(series.name),
        filled=filled,
        distinct=len(distinct_values),
        numbers=numbers,
        numeric_share=float(numeric.sum()) / filled,
        integer_share=integer_share,
        date_share=float(dated.sum()) / filled,
        clock_share=float(clock.sum()) / filled,
        period_share=float((period_reasons == "").sum()) / filled,
        letter_share=float(letters.sum()) / filled,
        examples=tuple(str(v)[:40] for v in distinct_values[:3]),
    )


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
    by_name = find_columns(columns, roles)
    _add_extra_aliases(by_name, columns, extra_aliases or {})
    proposals: dict[str, Proposal] = {
        role: Proposal(role, column, "navn") if column else Proposal(role, None)
        for role, column in by_name.items()
    }
    profiles = {column: profile(text[column]) for column in columns}
    if kind == "incidents":
        _settle_coordinates(proposals, profiles)
    chooser = _Chooser(proposals, profiles, kind)
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


def missing_roles(kind: str, chosen: Mapping[str, str | None]) -> list[str]:
    """The required roles of ``kind`` that have no column in ``chosen`` (role -> column).

    For incidents, lat/lon or x/y are needed as a pair: when neither pair is complete the
    missing members of the more complete pair are listed (lat and lon when both are empty).
    """
    missing = [role for role in REQUIRED_ROLES[kind] if not chosen.get(role)]
    if kind == "incidents":
        latlon = [r for r in ("lat", "lon") if not chosen.get(r)]
        xy = [r for r in ("x", "y") if not chosen.get(r)]
        if latlon and xy:
            missing += latlon if len(latlon) <= len(xy) else xy
    return missing


def missing_message(missing: Sequence[str]) -> str:
    """The Data page's sentence for roles without a column: 'Vælg kolonnen for Id.'"""
    labels = [ROLE_LABELS[role] for role in missing]
    listing = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " og " + labels[-1]
    return f"Vælg kolonnen for {listing} under 2. Kolonner; uden den kan filen ikke importeres."


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


def page_wording(text: str) -> str:
    """A message of the loaders with the Data page's controls instead of command-line options.

    ``--id-col`` becomes "kolonnen for Id" (the select box under 2. Kolonner), ``--crs`` and
    ``--layer`` the fields under "Avanceret": a browser user never reads about flags.
    """

    def column(match: re.Match[str]) -> str:
        role = _OPTION_ROLES.get(match.group(1))
        return f"kolonnen for {ROLE_LABELS[role]}" if role in ROLE_LABELS else match.group(0)

    text = re.sub(r"--([a-z]+-col)\b", column, text)
    text = re.sub(r"[Aa]ngiv (?:den|dem) med kolonnen for", "vælg kolonnen for", text)
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


# ---- coordinates ----------------------------------------------------------------------------
_RANGES = {"lat": LAT_RANGE, "lon": LON_RANGE, "x": EASTING_RANGE, "y": NORTHING_RANGE}
_RANGE_WORDS = {
    "lat": "breddegrader i Danmark (54,3–58)",
    "lon": "længdegrader i Danmark (7,5–15,5)",
    "x": "østkoordinater i Danmark i EPSG:25832 (420 000–900 000 m)",
    "y": "nordkoordinater i Danmark i EPSG:25832 (6 020 000–6 430 000 m)",
}


def _fits(profile: _Profile, role: str) -> bool:
    return profile.filled > 0 and profile.share_in(_RANGES[role]) >= FIT


def _settle_coordinates(proposals: dict[str, Proposal], profiles: dict[str, _Profile]) -> None:
    """Check coordinate columns found by name against their numbers; fill the gaps by content."""
    # A name match whose numbers belong to another coordinate role moves to that role.
    for role in ("lat", "lon", "x", "y"):
        column = proposals[role].column
        if column is None or _fits(profiles[column], role):
            continue
        actual = next((r for r in ("lat", "lon", "x", "y") if _fits(profiles[column], r)), None)
        proposals[role] = Proposal(role, None)
        if actual is not None and proposals[actual].column is None:
            proposals[actual] = Proposal(
                actual,
                column,
                "indhold",
                f"'{column}' hedder som en {ROLE_LABELS[role].split(' ')[0].lower()}-kolonne, "
                f"men tallene (fx {profiles[column].example()}) er {_RANGE_WORDS[actual]}.",
            )
    used = {p.column for p in proposals.values() if p.column}
    # Fill each missing role with the first unused column whose numbers fit it.
    for role in ("lat", "lon", "x", "y"):
        if proposals[role].column is not None:
            continue
        column = next(
            (c for c, prof in profiles.items() if c not in used and _fits(prof, role)), None
        )
        if column is not None:
            used.add(column)
            proposals[role] = Proposal(
                role,
                column,
                "indhold",
                f"'{column}' indeholder tal som {profiles[column].example()}: "
                f"{_RANGE_WORDS[role]}.",
            )
    # Half a pair is no use: drop a lone lat without lon (or x without y).
    for pair in (("lat", "lon"), ("x", "y")):
        complete = all(proposals[r].column for r in pair)
        if not complete:
            for r in pair:
                if proposals[r].by == "indhold":
                    proposals[r] = Proposal(r, None)


# ---- the other roles, by content ------------------------------------------------------------
class _Chooser:
    """Picks the best unused column for a role, by a score per role."""

    def __init__(
        self, proposals: dict[str, Proposal], profiles: dict[str, _Profile], kind: str
    ) -> None:
        self.proposals = proposals
        self.profiles = profiles
        self.kind = kind

    @property
    def used(self) -> set[str]:
        return {p.column for p in self.proposals.values() if p.column}

    def choose(
        self,
        role: str,
        *,
        known_areas: Iterable[str] | None,
        known_indicators: Iterable[str] | None,
    ) -> None:
        scorer = getattr(self, f"_score_{role}", None)
        if scorer is None:  # source, initiative, coordinates: by name only (or settled above)
            return
        best: tuple[float, str, str] | None = None
        for column, prof in self.profiles.items():
            if column in self.used or prof.filled == 0:
                continue
            if role == "area":
                scored = scorer(prof, known_areas)
            elif role == "indicator":
                scored = scorer(prof, known_indicators)
            else:
                scored = scorer(prof)
            if scored is not None and (best is None or scored[0] > best[0]):
                best = (scored[0], column, scored[1])
        if best is not None:
            self.proposals[role] = Proposal(role, best[1], "indhold", best[2])

    # Each scorer returns (score, reason) or None when the column does not fit the role.
    def _score_id(self, prof: _Profile) -> tuple[float, str] | None:
        if prof.date_share >= FIT or prof.integer_share < FIT and prof.numeric_share >= FIT:
            return None  # dates and decimal numbers are no ids
        hint = any(h in normalise(prof.column) for h in _ID_HINTS)
        spaced = any(" " in e for e in prof.examples)
        ratio = prof.distinct / prof.filled
        # Boundary files repeat an id on the rows of one district's islands: a hint may do.
        if not (prof.unique or (hint and ratio >= 0.5)):
            return None
        score = ratio + (1.0 if hint else 0.0) + (0.3 if prof.integer_share >= FIT else 0.0)
        score -= 0.5 if spaced else 0.0
        what = f"har {prof.distinct} forskellige værdier i {prof.filled} rækker" + (
            " — hver række sin egen" if prof.unique else ""
        )
        return score, f"'{prof.column}' {what} (fx {prof.example()}), som et id."

    def _score_name(self, prof: _Profile) -> tuple[float, str] | None:
        if prof.letter_share < FIT or prof.date_share >= FIT:
            return None
        ratio = prof.distinct / prof.filled
        if ratio < 0.5:
            return None
        return (
            ratio,
            f"'{prof.column}' er tekst (fx {prof.example()}), forskellig fra række til række, som et navn.",
        )

    def _score_population(self, prof: _Profile) -> tuple[float, str] | None:
        if prof.numeric_share < FIT or prof.integer_share < FIT or len(prof.numbers) == 0:
            return None
        numbers = prof.numbers
        if numbers.min() < 0 or np.median(numbers) < 50:
            return None
        ordered = np.sort(numbers)
        if len(ordered) > 2 and np.all(np.diff(ordered) == 1):
            return None  # 1, 2, 3, … is a row number, not a population
        hint = any(h in normalise(prof.column) for h in _POPULATION_HINTS)
        return (
            1.0 + (1.0 if hint else 0.0),
            f"'{prof.column}' er hele tal ≥ 0 (fx {prof.example()}), som et befolkningstal.",
        )

    def _score_datetime(self, prof: _Profile) -> tuple[float, str] | None:
        if prof.date_share < FIT:
            return None
        return prof.date_share, f"'{prof.column}' kan læses som datoer (fx {prof.example()})."

    def _score_time(self, prof: _Profile) -> tuple[float, str] | None:
        if prof.clock_share < FIT:
            return None
        return prof.clock_share, f"'{prof.column}' er klokkeslæt (fx {prof.example()})."

    def _score_category(self, prof: _Profile) -> tuple[float, str] | None:
        if prof.letter_share < FIT or prof.date_share >= FIT:
            return None
        limit = max(30, prof.filled // 5)
        if prof.distinct > limit or (prof.unique and prof.filled > 3):
            return None
        return (
            1.0 - prof.distinct / max(prof.filled, 1),
            f"'{prof.column}' er tekst med {prof.distinct} forskellige værdier "
            f"(fx {prof.example()}), som en kategori.",
        )

    def _score_kind(self, prof: _Profile) -> tuple[float, str] | None:
        scored = self._score_category(prof)
        if scored is None:
            return None
        return scored[0], scored[1].replace("som en kategori", "som en art (torv, park …)")

    def _score_period(self, prof: _Profile) -> tuple[float, str] | None:
        if prof.period_share < FIT:
            return None
        return (
            prof.period_share,
            f"'{prof.column}' er perioder (fx {prof.example()}: år, kvartal eller måned).",
        )

    def _score_area(
        self, prof: _Profile, known_areas: Iterable[str] | None
    ) -> tuple[float, str] | None:
        if prof.period_share >= FIT or prof.numeric_share >= FIT and prof.integer_share < FIT:
            return None
        known = {str(a).lower() for a in (known_areas or ())} | {"kommune"}
        examples = {e.lower() for e in prof.examples}
        if examples & known:
            return 2.0, f"'{prof.column}' indeholder kendte områder (fx {prof.example()})."
        if prof.letter_share >= FIT and prof.distinct <= max(50, prof.filled // 2):
            return (
                1.0,
                f"'{prof.column}' er tekst (fx {prof.example()}), som områdenavne eller -id'er.",
            )
        return None

    def _score_indicator(
        self, prof: _Profile, known: Iterable[str] | None
    ) -> tuple[float, str] | None:
        if prof.letter_share < FIT:
            return None
        names = {normalise(k) for k in (known or ())}
        if any(normalise(e) in names for e in prof.examples):
            return 2.0, f"'{prof.column}' indeholder kendte indikatorer (fx {prof.example()})."
        if prof.distinct <= max(30, prof.filled // 5) and all("_" in e for e in prof.examples):
            return 1.0, f"'{prof.column}' er indikatornavne (fx {prof.example()})."
        return None

    def _score_value(self, prof: _Profile) -> tuple[float, str] | None:
        if prof.numeric_share < FIT or prof.period_share >= FIT:
            return None
        decimals = prof.integer_share < 1.0
        return (
            1.0 + (0.5 if decimals else 0.0),
            f"'{prof.column}' er tal (fx {prof.example()}), som målingens værdi.",
        )

    def _score_n(self, prof: _Profile) -> tuple[float, str] | None:
        if prof.numeric_share < FIT or prof.integer_share < FIT or prof.period_share >= FIT:
            return None
        if len(prof.numbers) == 0 or prof.numbers.min() < 1:
            return None
        return 1.0, f"'{prof.column}' er hele tal ≥ 1 (fx {prof.example()}), som antal svar."


# ---- reading a file for the wizard ----------------------------------------------------------
#: Rows shown in the wizard's preview.
PREVIEW_ROWS = 5


@dataclass
class Preview:
    """A file's cells as the loader of its kind will see them, before any column is chosen.

    Attributes
    ----------
    file : the file name.
    frame : every row, one text column per file column (the geometry left out).
    notes : what the reader found (delimiter, encoding, sheet, assumed CRS …).
    """

    file: str
    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    def head(self, rows: int = PREVIEW_ROWS) -> pd.DataFrame:
        """The first ``rows`` rows, for the preview table."""
        return self.frame.head(rows)


def preview_file(
    kind: str, path: str | Path, *, layer: str | None = None, crs: str | None = None
) -> Preview:
    """Read ``path`` the way the loader of ``kind`` will, for the preview and the proposals.

    Raises
    ------
    UnusableFileError
        The file cannot be read as data of ``kind`` (the loader would refuse it too).
    UsageError
        Unknown layer, sheet or CRS.
    """
    path = Path(path)
    roles = KIND_ROLES[kind]
    if kind == "measurements":
        from .template import is_template, read_template

        if layer is None and is_template(path):
            table, _ = read_template(path, roles)
            return Preview(path.name, text_frame(table.frame), list(table.notes))
    if kind in ("incidents", "measurements"):
        from .incidents import _read_incident_table
        from .tables import read_table

        table = (
            _read_incident_table(path, None, crs, layer)
            if kind == "incidents"
            else read_table(path, roles, sheet=layer)
        )
        return Preview(path.name, text_frame(table.frame), list(table.notes))
    from .vector_read import read_vector

    frame, notes = read_vector(path, layer=layer, crs=crs)
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    return Preview(path.name, text_frame(attributes), notes)


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
        from ..compute.aliases import known_indicator_names
        from ..store.folder import Store as _Store

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
