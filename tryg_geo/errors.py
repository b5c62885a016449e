"""The one exception tree of tryg_geo.

Every error a user can cause derives from :class:`TrygGeoError` and carries a message a
non-programmer understands (in Danish, like the dashboard). The command line and the dashboard
turn these into a sentence and an exit code; anything else is a bug.

    TrygGeoError
    ├── UsageError          wrong arguments or settings (exit code 2)
    ├── UnusableFileError   a file that cannot be used at all (exit code 1)
    │   └── ColumnError     a column the file needs is missing; knows the role(s)
    ├── StoreError          the data folder is busy, missing or damaged (exit code 1)
    │   └── DataDamagedError  stored files fail their checks; knows each file, cause and repair
    ├── ExportError         a view or export that cannot be produced (exit code 1)
    └── AccessError         sign-in or roles configured so the dashboard must not open (exit code 2)
"""

from __future__ import annotations

#: What a role other than the data steward is told when the data folder cannot be read:
#: no paths, no causes (those may say more than the role may see).
DATA_UNAVAILABLE = (
    "Data er midlertidigt utilgængelige. Prøv igen senere, eller kontakt den dataansvarlige."
)


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


class ColumnError(UnusableFileError):
    """A file lacks a column for one or more roles (id, datetime, lat/lon, …).

    The message says how to fix it where the user is: the command line names its options
    (``--id-col``), the Data page its select boxes (:meth:`with_advice`). ``template`` holds the
    sentence with the placeholder ``{advice}``; ``str(error)`` is the command line's version.
    """

    def __init__(
        self,
        template: str,
        *,
        roles: tuple[str, ...],
        cli_advice: str,
        file: str | None = None,
        column: str | None = None,
        expected: str | None = None,
    ) -> None:
        super().__init__(
            template.replace("{advice}", cli_advice), file=file, column=column, expected=expected
        )
        self.template = template
        self.roles = roles

    def with_advice(self, advice: str) -> str:
        """The message with ``advice`` (e.g. "vælg kolonnen for Id") instead of the CLI's."""
        return self.template.replace("{advice}", advice)


class StoreError(TrygGeoError):
    """The data folder cannot be read or written (locked, missing or damaged)."""


class DataDamagedError(StoreError):
    """Stored files are missing, unreadable or differ from their recorded SHA-256.

    ``problems`` holds one :class:`tryg_geo.store.integrity.Problem` per file (file, cause,
    the command that repairs it); the message lists them. Only the data steward may see it:
    everyone else is told :data:`DATA_UNAVAILABLE` (no paths).
    """

    def __init__(self, message: str, problems: list) -> None:
        super().__init__(message)
        self.problems = problems


class ExportError(TrygGeoError):
    """A snapshot (PNG or CSV) cannot be produced for the chosen view."""


class AccessError(TrygGeoError):
    """Sign-in or roles are configured so that the dashboard must not open (``access``)."""

    exit_code = 2


class MailError(TrygGeoError):
    """An e-mail could not be sent (SMTP settings, the relay, the recipients); nothing is
    marked as sent."""
