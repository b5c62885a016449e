"""Reading a file for the import wizard: its cells as the loader of its kind will see them,
before any column is chosen.

Only the first :data:`~tryg_geo.ingest.detect_content.SAMPLE_ROWS` rows of a CSV are read (all
the proposals look at); the rest are counted, not parsed, so a million-row file is read in full
once, by the check that follows."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .detect_content import SAMPLE_ROWS, text_frame
from .detect_roles import KIND_ROLES
from .statbank import STATBANK_KINDS, read_statbank_text

#: Rows shown in the wizard's preview.
PREVIEW_ROWS = 5


@dataclass
class Preview:
    """A file's cells as the loader of its kind will see them, before any column is chosen.

    Attributes
    ----------
    file : the file name.
    frame : the first rows (all rows of a vector file or workbook), one text column per file
        column (the geometry left out).
    notes : what the reader found (delimiter, encoding, sheet, assumed CRS …).
    rows : the file's rows; None means ``len(frame)``.
    rows_exact : False when ``rows`` is the CSV's non-empty lines, counted without parsing
        (a cell with a line break makes it a little high).
    """

    file: str
    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    rows: int | None = None
    rows_exact: bool = True

    @property
    def row_count(self) -> int:
        """The file's rows (see ``rows``)."""
        return len(self.frame) if self.rows is None else self.rows

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
    if kind in STATBANK_KINDS:  # fixed columns: the first rows as StatBank wrote them
        return _statbank_preview(path)
    if kind == "measurements":
        from .template import is_template, read_template

        if layer is None and is_template(path):
            table, _ = read_template(path, roles)
            return Preview(path.name, text_frame(table.frame), list(table.notes))
    if kind in ("incidents", "measurements"):
        from .incidents import read_incident_table
        from .tables import is_table_file, read_table

        table = (
            read_incident_table(path, None, crs, layer, max_rows=SAMPLE_ROWS)
            if kind == "incidents"
            else read_table(path, roles, sheet=layer, max_rows=SAMPLE_ROWS)
        )
        preview = Preview(path.name, text_frame(table.frame), list(table.notes))
        if is_table_file(path) and len(table.frame) >= SAMPLE_ROWS:
            preview.rows, preview.rows_exact = _rows_beyond(path, table), False
        return preview
    from .vector_read import read_vector

    frame, notes = read_vector(path, layer=layer, crs=crs)
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    return Preview(path.name, text_frame(attributes), notes)


def _statbank_preview(path: Path) -> Preview:
    import io

    text, encoding = read_statbank_text(path)
    frame = pd.read_csv(
        io.StringIO(text.lstrip("\ufeff")), sep=";", dtype=str, keep_default_na=False
    )
    preview = Preview(path.name, text_frame(frame.head(SAMPLE_ROWS)), [f"Læst som {encoding}."])
    preview.rows, preview.rows_exact = len(frame), True
    return preview


def _rows_beyond(path: Path, table) -> int:
    """The data rows of a CSV whose first rows are ``table``: its non-empty lines below the
    header, counted in the bytes (about 20 ms for a million rows; parsing them takes seconds)."""
    from .tables import count_lines

    raw, start = path.read_bytes(), 0
    for _ in range(int(table.rows.iloc[0]) - 1):  # the lines down to the header
        start = raw.find(b"\n", start) + 1
    return count_lines(raw[start:])
