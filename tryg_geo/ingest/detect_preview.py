"""Reading a file for the import wizard: its cells as the loader of its kind will see them,
before any column is chosen."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .detect_content import text_frame
from .detect_roles import KIND_ROLES

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
        from .incidents import read_incident_table
        from .tables import read_table

        table = (
            read_incident_table(path, None, crs, layer)
            if kind == "incidents"
            else read_table(path, roles, sheet=layer)
        )
        return Preview(path.name, text_frame(table.frame), list(table.notes))
    from .vector_read import read_vector

    frame, notes = read_vector(path, layer=layer, crs=crs)
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    return Preview(path.name, text_frame(attributes), notes)
