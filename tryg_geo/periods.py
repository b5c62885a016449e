"""A stored period, read in one place: '2025' (a year), '2025-Q2' (a quarter), '2025-05' (a month).

The import (:func:`tryg_geo.ingest.parse.parse_period`) turns whatever a file says ('2024K2',
'maj 2024', '05/2024') into one of these names through :class:`Period`; everything after
reads a name with :func:`parse` here, never by slicing the string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import UsageError
from .fmt import MONTHS_DA

_NAME = re.compile(r"^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$")


@dataclass(frozen=True)
class Period:
    """A year, or one quarter or one month of it (never both)."""

    year: int
    quarter: int | None = None
    month: int | None = None

    def __post_init__(self) -> None:
        if self.quarter is not None and self.month is not None:
            raise UsageError(
                f"Period(year={self.year}, quarter={self.quarter}, month={self.month}): "
                "en periode er et år, et kvartal eller en måned, ikke både kvartal og måned."
            )

    @property
    def name(self) -> str:
        """The stored name: '2025', '2025-Q2' or '2025-05'."""
        if self.quarter is not None:
            return f"{self.year}-Q{self.quarter}"
        if self.month is not None:
            return f"{self.year}-{self.month:02d}"
        return str(self.year)

    @property
    def months(self) -> int:
        """How many months the period spans: 12, 3 or 1."""
        return 3 if self.quarter is not None else 1 if self.month is not None else 12

    @property
    def first_month(self) -> int:
        """The month (1–12) the period starts in."""
        if self.quarter is not None:
            return 3 * self.quarter - 2
        return self.month or 1

    def days(self) -> tuple[date, date]:
        """The period's first and last day."""
        first = date(self.year, self.first_month, 1)
        after = self.first_month + self.months  # the month after the period (13: next January)
        following = date(self.year + (after > 12), (after - 1) % 12 + 1, 1)
        return first, following - timedelta(days=1)

    def year_before(self) -> Period:
        """The same quarter, month or year one year earlier."""
        return Period(self.year - 1, self.quarter, self.month)

    def label(self) -> str:
        """In Danish: '2025', '2. kvt. 2025', 'maj 2025'."""
        if self.quarter is not None:
            return f"{self.quarter}. kvt. {self.year}"
        if self.month is not None:
            return f"{MONTHS_DA[self.month - 1]} {self.year}"
        return str(self.year)


def parse(name: object) -> Period | None:
    """The period a stored name stands for; None when ``name`` is no stored period name."""
    match = _NAME.match(str(name))
    if match is None:
        return None
    year, quarter, month = match.groups()
    return Period(int(year), int(quarter) if quarter else None, int(month) if month else None)


def label(name: object) -> str:
    """A stored period in Danish ('2025', '3. kvt. 2025', 'juni 2025'); other text as it is."""
    period = parse(name)
    return period.label() if period is not None else str(name)
