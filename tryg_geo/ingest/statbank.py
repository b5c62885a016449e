"""Statistics Denmark's StatBank tables by kommune: reported crimes (STRAF11) and population
(FOLK1A), in the semicolon CSV of StatBank's export and its open API.

The format: ``;``-separated, a header row of the dimensions' Danish names in capitals
(``OMRÅDE;OVERTRÆD;TID;INDHOLD`` or ``OMRÅDE;KØN;ALDER;CIVILSTAND;TID;INDHOLD``), the value in
``INDHOLD`` with decimal comma, ``..`` for a value not published, quarters as ``2025K1``, areas
as names ('Aalborg', 'Hele landet') or codes (``851``), UTF-8 (with or without BOM) or cp1252.

A file with ``OVERTRÆD`` holds crimes (kind ``kommune_crimes``, one category per type of
offence); one without holds population (``kommune_population``). Every other dimension
(``KØN``, ``ALDER``, ``CIVILSTAND`` …) must be its total ('I alt', 'Alder i alt'): a row broken
down by sex or age is rejected with the reason ``not_total``, so the numbers are never counted
twice. ``rows_read == accepted + rejected + duplicates``, as in every import.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import UnusableFileError
from ..geo.kommuner import kommune_code, kommune_name
from ..store.schema import STATBANK_KINDS
from .parse import parse_numbers, parse_periods
from .result import LoadResult, Rejections, reject_where
from .tables import decode_text

AREA, OFFENCE, TIME, VALUE = "OMRÅDE", "OVERTRÆD", "TID", "INDHOLD"
#: The two kinds a StatBank file can hold (:data:`tryg_geo.store.schema.STATBANK_KINDS`).
CRIMES, POPULATION = STATBANK_KINDS
#: The category of a population row (FOLK1A has no categories once its dimensions are totals).
POPULATION_CATEGORY = "Befolkning"
#: StatBank's mark of a value not published (too few, or not yet).
NOT_PUBLISHED = ".."
#: A dimension's value that means "all of it" (casefolded; 'Alder i alt', 'Køn i alt' …).
_TOTAL_WORDS = ("i alt", "total", "tot")


def read_header(text: str) -> list[str]:
    """The header row's dimension names, stripped and upper-cased."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    return [cell.strip().strip('"').upper() for cell in first.split(";")]


def statbank_kind(header: list[str]) -> str | None:
    """The kind a StatBank header holds (crimes with ``OVERTRÆD``), or None when it is not one."""
    if not {AREA, TIME, VALUE} <= set(header):
        return None
    return CRIMES if OFFENCE in header else POPULATION


def read_statbank_text(path: Path) -> tuple[str, str]:
    """The file decoded (UTF-8 with or without BOM, or cp1252) and the encoding's name."""
    return decode_text(Path(path).read_bytes(), Path(path).name)


def load_statbank(kind: str, path: Path, **_options) -> LoadResult:
    """Read a StatBank CSV of ``kind`` (:data:`CRIMES` or :data:`POPULATION`).

    Raises
    ------
    UnusableFileError
        The header lacks ``OMRÅDE``, ``TID`` or ``INDHOLD``, or says the other kind (a crimes
        file imported as population, or the reverse).
    """
    path = Path(path)
    text, encoding = read_statbank_text(path)
    header = read_header(text)
    found = statbank_kind(header)
    if found is None:
        raise UnusableFileError(
            f"{path.name}: kolonnerne {';'.join(header)} er ikke en tabel fra Statistikbanken; "
            f"der skal være {AREA}, {TIME} og {VALUE} (semikolonsepareret eksport).",
            file=path.name,
            expected=f"{AREA};…;{TIME};{VALUE}",
        )
    if found != kind:
        what = "anmeldelser (med OVERTRÆD)" if found == CRIMES else "befolkning (uden OVERTRÆD)"
        raise UnusableFileError(
            f"{path.name} holder {what}; importér den som {found}, ikke {kind}.",
            file=path.name,
            expected=kind,
        )
    cells = pd.read_csv(
        io.StringIO(text.lstrip("\ufeff")),
        sep=";",
        dtype=str,
        keep_default_na=False,
        skipinitialspace=True,
    )
    cells.columns = header
    cells = cells.apply(lambda c: c.str.strip())
    return _rows(kind, path.name, cells, encoding)


def _rows(kind: str, file: str, cells: pd.DataFrame, encoding: str) -> LoadResult:
    rows = pd.Series(np.arange(len(cells)) + 2)  # the header is row 1, as in a spreadsheet
    rejected = Rejections()
    others = [c for c in cells.columns if c not in (AREA, OFFENCE, TIME, VALUE)]
    for column in others:
        reject_where(
            rejected,
            ~cells[column].str.casefold().str.endswith(_TOTAL_WORDS).to_numpy(),
            rows=rows,
            column=column,
            values=cells[column],
            reason="not_total",
            message=f"Kun totaler bruges; vælg '{column.capitalize()} i alt' i Statistikbanken.",
        )
    codes = cells[AREA].map(kommune_code)
    reject_where(
        rejected,
        codes.isna().to_numpy(),
        rows=rows,
        column=AREA,
        values=cells[AREA],
        reason="not_kommune",
        message="Ikke en kommune eller 'Hele landet' (fx en region); rækken bruges ikke.",
    )
    periods, period_reasons = parse_periods(cells[TIME])
    reject_where(
        rejected,
        period_reasons != "",
        rows=rows,
        column=TIME,
        values=cells[TIME],
        reason="unparseable_period",
        message="Perioden skal være et kvartal som 2025K1 eller et år som 2025.",
    )
    reject_where(
        rejected,
        (cells[VALUE] == NOT_PUBLISHED).to_numpy(),
        rows=rows,
        column=VALUE,
        values=cells[VALUE],
        reason="not_published",
        message="Danmarks Statistik har ikke offentliggjort tallet ('..').",
    )
    values, value_reasons, _ = parse_numbers(cells[VALUE])
    for code, message in (
        ("missing_value", "INDHOLD er tom."),
        ("not_a_number", "INDHOLD skal være et tal med decimalkomma."),
        ("not_finite", "INDHOLD skal være et endeligt tal."),
    ):
        reject_where(
            rejected,
            value_reasons == code,
            rows=rows,
            column=VALUE,
            values=cells[VALUE],
            reason=code,
            message=message,
        )
    reject_where(
        rejected,
        np.nan_to_num(values) < 0,
        rows=rows,
        column=VALUE,
        values=cells[VALUE],
        reason="negative_count",
        message="Et antal kan ikke være negativt.",
    )
    keep = np.setdiff1d(np.arange(len(cells)), np.fromiter(rejected.positions, dtype=np.int64))
    frame = pd.DataFrame(
        {
            "area_code": codes.to_numpy()[keep].astype(str),
            "area_name": [kommune_name(c) for c in codes.to_numpy()[keep]],
            "category": (
                cells[OFFENCE].to_numpy()[keep].astype(str)
                if kind == CRIMES
                else np.full(len(keep), POPULATION_CATEGORY)
            ),
            "period": periods["period"].to_numpy()[keep].astype(str),
            "period_start": periods["period_start"].to_numpy()[keep],
            "value": values[keep].astype("float64"),
        }
    )
    key = ["area_code", "category", "period"]
    duplicated = frame.duplicated(key, keep="first").to_numpy()
    frame = frame[~duplicated].reset_index(drop=True)
    result = LoadResult(
        kind=kind,
        file=file,
        frame=frame,
        rejected=rejected.frame(),
        rows_read=len(cells),
        duplicates=int(duplicated.sum()),
        warnings=[f"Læst som {encoding}."] if encoding.startswith("cp1252") else [],
    )
    result.check_counts()
    return result
