"""Judging a column by its content: a profile of the sampled cells, coordinates checked
against Danish ranges, and a score per role for the columns no name matched.

Pure: text cells in, :class:`~tryg_geo.ingest.detect_roles.Proposal` objects out (used by
:func:`tryg_geo.ingest.detect.propose_columns`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..geo.denmark import EASTING_RANGE, LAT_RANGE, LON_RANGE, NORTHING_RANGE
from .columns import Fit, normalise
from .detect_roles import ROLE_LABELS, Proposal
from .parse import parse_datetimes, parse_numbers, parse_periods

#: Rows looked at to judge a column by its content.
SAMPLE_ROWS = 2000
#: Share of the non-empty cells that must fit for a content proposal.
FIT = 0.9
_ID_HINTS = ("id", "kode", "nr", "nøgle", "noegle", "key", "fid", "objectid", "løbenr", "lbnr")
_POPULATION_HINTS = ("bef", "indb", "pop", "folk", "borger")
_TIME_OF_DAY = re.compile(r"^\d{1,2}[:.]\d{2}([:.]\d{2})?$")
_LETTER = re.compile(r"[A-Za-zÆØÅæøåÄÖÜäöüé]")


@dataclass(frozen=True)
class Profile:
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


def profile(series: pd.Series) -> Profile:
    """Describe the content of one column of text cells (the first :data:`SAMPLE_ROWS`)."""
    text = pd.Series(series.iloc[:SAMPLE_ROWS], dtype="str").str.strip()
    filled_text = text[text != ""]
    filled = len(filled_text)
    if filled == 0:
        return Profile(str(series.name), 0, 0, np.array([]), 0, 0, 0, 0, 0, 0, ())
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
    return Profile(
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


def role_fit(prof: Profile, role: str) -> int:
    """How well a column's content fits ``role``: 2 it reads as such, 1 cannot tell, 0 not it.

    Only the date and the time of day are judged here (the columns police exports mix up);
    coordinates are judged by :func:`settle_coordinates`, other roles cannot tell.
    """
    if prof.filled == 0 or role not in ("datetime", "time"):
        return 1
    clock = prof.clock_share >= FIT
    if role == "datetime":
        # a time of day alone ("22:23") is never the date, whatever the column is called
        return 0 if clock else 2 if prof.date_share >= FIT else 1
    return 2 if clock else 0 if prof.date_share >= FIT else 1


def content_fit(frame: pd.DataFrame) -> Fit:
    """A :data:`~tryg_geo.ingest.columns.Fit` judging the first :data:`SAMPLE_ROWS` of
    ``frame``'s columns (each profiled once, when first asked)."""
    profiles: dict[str, Profile] = {}

    def fit(role: str, column: str) -> int:
        if column not in profiles:
            cells = text_frame(frame[[column]].head(SAMPLE_ROWS))[column]
            profiles[column] = profile(cells.rename(column))
        return role_fit(profiles[column], role)

    return fit


def _holds(prof: Profile) -> str:
    if prof.clock_share >= FIT:
        return f"er kun klokkeslæt (fx {prof.example()})"
    if prof.date_share >= FIT:
        return f"indeholder datoer (fx {prof.example()})"
    return f"kan ikke læses som datoer eller klokkeslæt (fx {prof.example()})"


def explain_fit(
    proposals: dict[str, Proposal],
    profiles: dict[str, Profile],
    candidates: Callable[[str], list[str]],
) -> None:
    """Give a reason to the date and time proposals the content decided among named columns.

    ``candidates(role)`` lists the columns named like ``role``. A date column chosen over a
    better-named one says what the passed-over one holds ("'Gerningstidspunkt' er kun
    klokkeslæt"); a time column also named like a date says that the date comes from elsewhere.
    """
    for role in ("datetime", "time"):
        chosen = proposals.get(role)
        if chosen is None or chosen.by != "navn" or chosen.column is None:
            continue
        prof = profiles[chosen.column]
        passed = [
            c
            for c in candidates(role)
            if c != chosen.column and role_fit(profiles[c], role) < role_fit(prof, role)
        ]
        date = proposals.get("datetime")
        also_date = (
            role == "time"
            and chosen.column in candidates("datetime")
            and date is not None
            and date.column is not None
        )
        if not passed and not also_date:
            continue
        reason = f"'{chosen.column}' {_holds(prof)}, som {ROLE_LABELS[role]}"
        reason += "".join(f"; '{c}' {_holds(profiles[c])}" for c in passed)
        if also_date:
            reason += f"; klokkeslættet lægges sammen med datoen fra '{date.column}'"
        proposals[role] = Proposal(role, chosen.column, chosen.by, reason + ".")


_RANGES = {"lat": LAT_RANGE, "lon": LON_RANGE, "x": EASTING_RANGE, "y": NORTHING_RANGE}
_RANGE_WORDS = {
    "lat": "breddegrader i Danmark (54,3–58)",
    "lon": "længdegrader i Danmark (7,5–15,5)",
    "x": "østkoordinater i Danmark i EPSG:25832 (420 000–900 000 m)",
    "y": "nordkoordinater i Danmark i EPSG:25832 (6 020 000–6 430 000 m)",
}


def _fits(profile: Profile, role: str) -> bool:
    return profile.filled > 0 and profile.share_in(_RANGES[role]) >= FIT


def settle_coordinates(proposals: dict[str, Proposal], profiles: dict[str, Profile]) -> None:
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


class Chooser:
    """Picks the best unused column for a role, by a score per role."""

    def __init__(
        self, proposals: dict[str, Proposal], profiles: dict[str, Profile], kind: str
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
    def _score_id(self, prof: Profile) -> tuple[float, str] | None:
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

    def _score_name(self, prof: Profile) -> tuple[float, str] | None:
        if prof.letter_share < FIT or prof.date_share >= FIT:
            return None
        ratio = prof.distinct / prof.filled
        if ratio < 0.5:
            return None
        return (
            ratio,
            f"'{prof.column}' er tekst (fx {prof.example()}), forskellig fra række til række, som et navn.",
        )

    def _score_population(self, prof: Profile) -> tuple[float, str] | None:
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

    def _score_datetime(self, prof: Profile) -> tuple[float, str] | None:
        if prof.date_share < FIT:
            return None
        return prof.date_share, f"'{prof.column}' kan læses som datoer (fx {prof.example()})."

    def _score_time(self, prof: Profile) -> tuple[float, str] | None:
        if prof.clock_share < FIT:
            return None
        return prof.clock_share, f"'{prof.column}' er klokkeslæt (fx {prof.example()})."

    def _score_category(self, prof: Profile) -> tuple[float, str] | None:
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

    def _score_kind(self, prof: Profile) -> tuple[float, str] | None:
        scored = self._score_category(prof)
        if scored is None:
            return None
        return scored[0], scored[1].replace("som en kategori", "som en art (torv, park …)")

    def _score_period(self, prof: Profile) -> tuple[float, str] | None:
        if prof.period_share < FIT:
            return None
        return (
            prof.period_share,
            f"'{prof.column}' er perioder (fx {prof.example()}: år, kvartal eller måned).",
        )

    def _score_area(
        self, prof: Profile, known_areas: Iterable[str] | None
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
        self, prof: Profile, known: Iterable[str] | None
    ) -> tuple[float, str] | None:
        if prof.letter_share < FIT:
            return None
        names = {normalise(k) for k in (known or ())}
        if any(normalise(e) in names for e in prof.examples):
            return 2.0, f"'{prof.column}' indeholder kendte indikatorer (fx {prof.example()})."
        if prof.distinct <= max(30, prof.filled // 5) and all("_" in e for e in prof.examples):
            return 1.0, f"'{prof.column}' er indikatornavne (fx {prof.example()})."
        return None

    def _score_value(self, prof: Profile) -> tuple[float, str] | None:
        if prof.numeric_share < FIT or prof.period_share >= FIT:
            return None
        decimals = prof.integer_share < 1.0
        return (
            1.0 + (0.5 if decimals else 0.0),
            f"'{prof.column}' er tal (fx {prof.example()}), som målingens værdi.",
        )

    def _score_n(self, prof: Profile) -> tuple[float, str] | None:
        if prof.numeric_share < FIT or prof.integer_share < FIT or prof.period_share >= FIT:
            return None
        if len(prof.numbers) == 0 or prof.numbers.min() < 1:
            return None
        return 1.0, f"'{prof.column}' er hele tal ≥ 1 (fx {prof.example()}), som antal svar."
