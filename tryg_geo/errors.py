"""The one exception tree of tryg_geo.

Every error a user can cause derives from :class:`TrygGeoError` and carries a message a
non-programmer understands (in Danish, like the dashboard). The command line and the dashboard
turn these into a sentence and an exit code; anything else is a bug.

    TrygGeoError
    ├── UsageError          wrong arguments or settings (exit code 2)
    ├── UnusableFileError   a file that cannot be used at all (exit code 1)
    ├── StoreError          the data folder is busy, missing or damaged (exit code 1)
    └── ExportError         a view or export that cannot be produced (exit code 1)
"""

from __future__ import annotations


class TrygGeoError(Exception):
    """Base of every error that tryg_geo raises on purpose."""

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(TrygGeoError):
    """An argument, option or setting has a value that is not allowed."""

    exit_code = 2


class UnusableFileError(TrygGeoError):
    """A file that cannot be used at all: the message says what, where and what was expected."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        expected: str | None = None,
    ) -> None:
        super().__init__(message)
        self.file = file
        self.row = row
        self.column = column
        self.value = value
        self.expected = expected


class StoreError(TrygGeoError):
    """The data folder cannot be read or written (locked, missing or damaged)."""


class ExportError(TrygGeoError):
    """A snapshot (PNG or CSV) cannot be produced for the chosen view."""
