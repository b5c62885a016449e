"""Reading tabular files (CSV and XLSX) the way Danish analysts really have them.

CSV: delimiter ``;``, ``,`` or tab is detected; encoding UTF-8, UTF-8 with BOM or cp1252.
XLSX: the first sheet with data (or the named one). In both, title rows above the header are
skipped: the header is the first row that names at least two expected columns.
Every value is returned as text; parsing numbers and dates is :mod:`tryg_geo.ingest.parse`'s job.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import UnusableFileError, UsageError
from .columns import ALIASES, normalise
from .formats import EXCEL_SUFFIXES, TEXT_SUFFIXES, VECTOR_FORMATS

#: Geodata suffixes: refused where a table is wanted (the one table of formats: ingest.formats).
GEO_SUFFIXES = frozenset(VECTOR_FORMATS)
HEADER_SEARCH_ROWS = 20


@dataclass
class Table:
    """A file's rows as text, with the spreadsheet row number of every data row."""

    frame: pd.DataFrame
    rows: pd.Series  # spreadsheet row number of each data row (header row + 1 ...)
    notes: list[str] = field(default_factory=list)
    bad_rows: pd.DataFrame | None = None  # rows whose field count did not match the header

    def with_bad_rows(self, rejected: pd.DataFrame) -> pd.DataFrame:
        """``rejected`` plus the rows that could not even be split into fields, by row number."""
        parts = [rejected] if self.bad_rows is None else [rejected, self.bad_rows]
        out = pd.concat(parts, ignore_index=True)
        return out.sort_values("row", kind="stable").reset_index(drop=True)

    @property
    def rows_read(self) -> int:
        return len(self.frame) + (0 if self.bad_rows is None else len(self.bad_rows))


def is_table_file(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES | EXCEL_SUFFIXES


def read_table(
    path: Path, roles: tuple[str, ...], *, sheet: str | None = None, max_rows: int | None = None
) -> Table:
    """Read ``path`` as text columns, finding the header row by the ``roles`` it should name.

    ``max_rows`` reads only the first rows of a CSV (the wizard's preview and kind detection:
    a million-row file is read in full once, by the check, not by the preview).

    Raises
    ------
    UnusableFileError
        Empty, binary, header only, or no recognisable header.
    """
    if path.suffix.lower() in GEO_SUFFIXES:
        raise UnusableFileError(
            f"{path.name}: er en geodatafil ({path.suffix}); denne datatype skal være en tabel "
            "— CSV eller XLSX.",
            file=path.name,
            expected="CSV eller XLSX",
        )
    raw = path.read_bytes()
    if not raw.strip():
        raise UnusableFileError(
            f"{path.name}: filen er tom.", file=path.name, expected="en tabel med data"
        )
    suffix = path.suffix.lower()
    # A zip signature means XLSX only when the name does not say text ("PK;dato;…" is a CSV).
    if suffix in EXCEL_SUFFIXES or (suffix not in TEXT_SUFFIXES and raw[:4] == b"PK\x03\x04"):
        return _read_excel(path, roles, sheet)
    if not max_rows:
        return _read_csv(path, raw, roles)
    table = _read_csv(path, _first_lines(raw, max_rows), roles)
    table.frame, table.rows = table.frame.head(max_rows), table.rows.head(max_rows)
    return table


def _first_lines(raw: bytes, rows: int) -> bytes:
    """The bytes of the first ``rows`` data lines (plus room for title rows and the header).

    Cut at a line feed, so no UTF-8 or cp1252 character is split.
    """
    position = 0
    for _ in range(rows + HEADER_SEARCH_ROWS + 1):
        position = raw.find(b"\n", position) + 1
        if position == 0:
            return raw
    return raw[:position]


def count_lines(raw: bytes) -> int:
    """The number of non-empty lines in ``raw`` (rows of a CSV whose cells hold no line break)."""
    blank = raw.count(b"\n\n") + raw.count(b"\n\r\n")
    return raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1) - blank


# ---- CSV ------------------------------------------------------------------------------------
def _read_csv(path: Path, raw: bytes, roles: tuple[str, ...]) -> Table:
    text, encoding = decode_text(raw, path.name)
    lines = _LINE_BREAK.split(text, maxsplit=HEADER_SEARCH_ROWS + 5)[: HEADER_SEARCH_ROWS + 5]
    delimiter = sniff_delimiter(lines, path.name)
    header_index = find_header([_split(line, delimiter) for line in lines], roles, path.name)
    notes = [f"Læst som CSV med tegnsæt {encoding} og skilletegn {_DELIM_NAMES[delimiter]}."]
    if header_index:
        notes.append(f"De første {header_index} rækker over overskriften blev sprunget over.")
    body = _from_line(text, header_index)
    try:
        with warnings.catch_warnings():
            # pandas warns (and drops data) when the first row is wider than the header.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(body),
                sep=delimiter,
                dtype=str,
                keep_default_na=False,
                engine="c",
                skip_blank_lines=False,
                index_col=False,
            )
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        # Some rows have too many fields: read with csv, keep the bad rows as rejections.
        return _read_csv_ragged(body, delimiter, header_index, notes)
    except pd.errors.EmptyDataError:
        raise UnusableFileError(
            f"{path.name}: filen har ingen overskriftsrække.", file=path.name
        ) from None
    frame.columns = unique_names(frame.columns)
    rows = pd.Series(range(header_index + 2, header_index + 2 + len(frame)))
    return _drop_blank_rows(Table(frame, rows, notes), path.name)


# Only real record breaks: str.splitlines() would also split on U+2028, form feeds etc.
_LINE_BREAK = re.compile(r"\r\n|\n|\r")


def _from_line(text: str, index: int) -> str:
    """``text`` from the start of line ``index`` (0-based) on."""
    position = 0
    for _ in range(index):
        match = _LINE_BREAK.search(text, position)
        if match is None:
            return ""
        position = match.end()
    return text[position:]


def unique_names(columns) -> list[str]:
    """Column names made unique ('kategori', 'kategori_2'): a repeated header must not make
    one name stand for two columns."""
    seen: dict[str, int] = {}
    out = []
    for column in map(str, columns):
        base = re.sub(r"\.\d+$", "", column) if column not in seen else column
        count = seen.get(base, 0) + 1
        seen[base] = count
        out.append(base if count == 1 else f"{base}_{count}")
    return out


def decode_text(raw: bytes, name: str) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM) or cp1252; refuse binary data."""
    if b"\x00" in raw[:65536]:
        raise UnusableFileError(
            f"{name}: filen er ikke en tekstfil (den indeholder binære data). Forventede CSV "
            "(semikolon eller komma) eller XLSX.",
            file=name,
            expected="CSV eller XLSX",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "UTF-8 med BOM"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1252", errors="replace")
    control = sum(
        1 for ch in text[:65536] if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\r\n\t")
    )
    if control > max(5, len(text[:65536]) // 100):
        raise UnusableFileError(
            f"{name}: filen ligner ikke tekst (mange ulæselige tegn). Forventede CSV eller XLSX.",
            file=name,
            expected="CSV eller XLSX",
        )
    return text, "cp1252 (Windows/Excel)"


_DELIM_NAMES = {";": "semikolon", ",": "komma", "\t": "tabulator", "|": "lodret streg"}


def sniff_delimiter(lines: list[str], name: str) -> str:
    """The delimiter that splits the most non-empty lines into the same number (≥ 2) of fields."""
    sample = [line for line in lines if line.strip()][:HEADER_SEARCH_ROWS]
    best, best_score = None, 0
    for delimiter in (";", "\t", ",", "|"):
        counts = [len(_split(line, delimiter)) for line in sample]
        # The usual field count, not the widest: one ragged row must not decide the dialect.
        usual = max(set(counts), key=lambda c: (counts.count(c), c)) if counts else 1
        if usual < 2:
            continue
        score = counts.count(usual) * usual
        if score > best_score:
            best, best_score = delimiter, score
    if best is None:
        raise UnusableFileError(
            f"{name}: kunne ikke finde kolonner — ingen linje er delt af semikolon, komma eller "
            "tabulator. Forventede en CSV-fil med én overskriftsrække.",
            file=name,
            row=1,
            expected="semikolon, komma eller tabulator mellem kolonnerne",
        )
    return best


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def find_header(rows: list[list[object]], roles: tuple[str, ...], name: str) -> int:
    """Index of the first row naming ≥ 2 expected columns (or 1 when only one is expected)."""
    wanted = {normalise(a) for role in roles for a in ALIASES[role]}
    need = 2 if len(roles) > 1 else 1
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(1 for c in cells if normalise(c) in wanted) >= need:
            return index
    # No recognisable header: assume the first non-empty row, and let column matching explain.
    for index, cells in enumerate(rows):
        if any(str(c).strip() for c in cells):
            return index
    raise UnusableFileError(f"{name}: filen indeholder ingen rækker.", file=name)


def _read_csv_ragged(body: str, delimiter: str, header_index: int, notes: list[str]) -> Table:
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    header = unique_names(next(reader))
    good, good_rows, bad = [], [], []
    for offset, fields in enumerate(reader):
        row = header_index + 2 + offset
        if len(fields) == len(header):
            good.append(fields)
            good_rows.append(row)
        elif not any(f.strip() for f in fields):
            continue
        elif len(fields) < len(header):
            good.append(fields + [""] * (len(header) - len(fields)))
            good_rows.append(row)
        else:
            bad.append({"row": row, "fields": len(fields), "value": delimiter.join(fields)})
    frame = pd.DataFrame(good, columns=header, dtype=str)
    bad_rows = pd.DataFrame(
        {
            "row": [b["row"] for b in bad],
            "column": "",
            "value": [b["value"] for b in bad],
            "reason": "too_many_fields",
            "message": [
                f"Rækken har {b['fields']} felter, men overskriften har {len(header)}: "
                "et skilletegn for meget (mangler der anførselstegn om en tekst?)."
                for b in bad
            ],
        }
    )
    return Table(frame, pd.Series(good_rows, dtype="int64"), notes, bad_rows)


def _drop_blank_rows(table: Table, name: str) -> Table:
    if table.frame.empty:
        raise UnusableFileError(
            f"{name}: filen har kun en overskriftsrække og ingen data.",
            file=name,
            row=2,
            expected="mindst én datarække under overskriften",
        )
    blank = (
        (table.frame.apply(lambda c: c.str.strip()) == "").all(axis=1)
        if table.frame.shape[1]
        else None
    )
    if blank is not None and blank.any():
        # Blank lines are not rows of data: they are neither accepted nor rejected.
        keep = ~blank.to_numpy()
        table.frame = table.frame[keep].reset_index(drop=True)
        table.rows = table.rows[keep].reset_index(drop=True)
        if table.frame.empty:
            return _drop_blank_rows(table, name)
    return table


# ---- XLSX -----------------------------------------------------------------------------------
def _read_excel(path: Path, roles: tuple[str, ...], sheet: str | None) -> Table:
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=str, engine="openpyxl")
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise UnusableFileError(
            f"{path.name}: filen kan ikke læses som Excel (XLSX) — den er beskadiget eller ikke "
            "et regneark. Gem den igen som .xlsx eller som CSV.",
            file=path.name,
            expected="XLSX eller CSV",
        ) from None
    name, grid = _choose_sheet(sheets, sheet, path.name)
    grid = grid.fillna("")
    header_index = find_header(grid.values.tolist(), roles, path.name)
    header = unique_names(
        str(c).strip() or f"kolonne_{i + 1}" for i, c in enumerate(grid.iloc[header_index])
    )
    frame = grid.iloc[header_index + 1 :].copy()
    frame.columns = header
    frame = frame.reset_index(drop=True).astype(str)
    rows = pd.Series(range(header_index + 2, header_index + 2 + len(frame)))
    notes = [f"Læst som Excel, arket {name!r}."]
    if header_index:
        notes.append(f"De første {header_index} rækker over overskriften blev sprunget over.")
    return _drop_blank_rows(Table(frame, rows, notes), path.name)


def _choose_sheet(
    sheets: dict[str, pd.DataFrame], sheet: str | None, file: str
) -> tuple[str, pd.DataFrame]:
    if sheet is not None:
        if sheet not in sheets:
            raise UsageError(
                f"--layer {sheet!r}: arket findes ikke i {file}; arkene er: {', '.join(sheets)}."
            )
        return sheet, sheets[sheet]
    for name, grid in sheets.items():
        if grid.dropna(how="all").shape[0]:
            return name, grid
    raise UnusableFileError(f"{file}: regnearket er tomt.", file=file, expected="en tabel med data")
