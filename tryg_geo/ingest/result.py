"""What a loader returns: accepted rows, rejected rows with reasons, and the counts.

The invariant every loader keeps: ``rows_read == accepted + rejected + duplicates``
(``+ outside_kommune`` when only one kommune's areas are kept, :mod:`.kommune`).
Row numbers are the ones a user sees in a spreadsheet: the header is row 1, the first data row
is row 2 (for vector files: feature number, starting at 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..store.schema import REJECTED_COLUMNS


class Rejections:
    """Collects rejected rows; a row rejected once is not rejected again."""

    def __init__(self) -> None:
        self._parts: list[pd.DataFrame] = []
        self._taken: set[int] = set()

    def add(
        self,
        positions: np.ndarray | pd.Index | list[int],
        *,
        rows: np.ndarray | pd.Series,
        column: str,
        values: np.ndarray | pd.Series,
        reason: str,
        message: str,
    ) -> np.ndarray:
        """Reject the rows at ``positions`` (0-based, in the frame being validated).

        ``rows`` and ``values`` are aligned with ``positions``. Returns the positions that were
        newly rejected (rows already rejected for an earlier reason are skipped).
        """
        positions = np.asarray(positions, dtype=np.int64)
        fresh = np.array([p not in self._taken for p in positions.tolist()], dtype=bool)
        positions = positions[fresh]
        if len(positions) == 0:
            return positions
        self._taken.update(positions.tolist())
        part = pd.DataFrame(
            {
                "row": np.asarray(rows)[fresh],
                "column": column,
                "value": pd.Series(np.asarray(values, dtype=object)[fresh])
                .map(_cell_text)
                .to_numpy(),
                "reason": reason,
                "message": message,
            }
        )
        self._parts.append(part)
        return positions

    @property
    def positions(self) -> set[int]:
        return set(self._taken)

    def __len__(self) -> int:
        return len(self._taken)

    def frame(self) -> pd.DataFrame:
        if not self._parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in REJECTED_COLUMNS})
        out = pd.concat(self._parts, ignore_index=True)
        return out.sort_values("row", kind="stable").reset_index(drop=True)


def _cell_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = str(value)
    # A value of 10 000 characters helps nobody in a report; keep the start.
    return text if len(text) <= 200 else text[:200] + "…"


@dataclass
class LoadResult:
    """Outcome of reading one file of one kind, before anything is stored."""

    kind: str
    file: str
    frame: pd.DataFrame
    rejected: pd.DataFrame
    rows_read: int
    duplicates: int = 0
    outside_districts: int = 0
    warnings: list[str] = field(default_factory=list)
    #: The file's id column (incidents); None when ids were made from row numbers.
    id_column: str | None = None
    #: What the import did to the stored data (:meth:`tryg_geo.ingest.modes.ImportPlan.report`);
    #: None for a dry run without a plan.
    mode: dict[str, Any] | None = None
    #: Areas left out because they lie outside the kommune asked for (:mod:`.kommune`).
    outside_kommune: int = 0
    #: What keeping one kommune did (code, name, kept, dropped, by); None when not asked for.
    kommune: dict[str, Any] | None = None

    @property
    def accepted(self) -> int:
        return int(len(self.frame))

    def check_counts(self) -> None:
        """Fail loudly if a loader lost or invented rows (a bug, never a user error)."""
        total = self.accepted + len(self.rejected) + self.duplicates + self.outside_kommune
        if total != self.rows_read:
            raise AssertionError(
                f"{self.file}: rows_read={self.rows_read} but "
                f"accepted+rejected+duplicates+outside_kommune={total}"
            )

    def report(self) -> dict[str, Any]:
        """The import report, with exactly the keys of ``import --json``."""
        reasons = self.rejected["reason"].value_counts().sort_index() if len(self.rejected) else {}
        return {
            "kind": self.kind,
            "file": self.file,
            "rows_read": int(self.rows_read),
            "accepted": self.accepted,
            "rejected": int(len(self.rejected)),
            "duplicates": int(self.duplicates),
            "outside_districts": int(self.outside_districts),
            "warnings": list(self.warnings),
            "rejected_reasons": {str(k): int(v) for k, v in dict(reasons).items()},
            **({"mode": dict(self.mode)} if self.mode else {}),
            **({"kommune": dict(self.kommune)} if self.kommune else {}),
        }


def reject_where(
    rejections: Rejections,
    mask: np.ndarray,
    *,
    rows: pd.Series,
    column: str | None,
    values: pd.Series | np.ndarray,
    reason: str,
    message: str,
) -> None:
    """Reject every row where ``mask`` is true, with one reason and message for all of them."""
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))
    if len(positions) == 0:
        return
    rejections.add(
        positions,
        rows=np.asarray(rows)[positions],
        column=column or "",
        values=np.asarray(values, dtype=object)[positions],
        reason=reason,
        message=message,
    )


def reject_reasons(
    rejections: Rejections,
    reasons: np.ndarray,
    *,
    rows: pd.Series,
    column: str,
    values: pd.Series,
    expected: str,
    codes: tuple[str, ...] = ("missing_value", "not_a_number", "not_finite"),
    rename: dict[str, str] | None = None,
) -> None:
    """Reject the rows a parser gave one of ``codes`` (see :data:`tryg_geo.ingest.parse.REASONS`),
    each with its explanation and what was ``expected``; ``rename`` names a code for the kind
    (e.g. 'missing_value' → 'missing_coordinates')."""
    from .parse import explain

    for code in codes:
        reject_where(
            rejections,
            reasons == code,
            rows=rows,
            column=column,
            values=values,
            reason=(rename or {}).get(code, code),
            message=explain(code, expected),
        )


def reject_cases(
    rejections: Rejections,
    cases: tuple[tuple[np.ndarray, str, str], ...],
    *,
    rows: pd.Series,
    column: str,
    values: pd.Series,
) -> None:
    """Reject rows by ``(mask, reason, message)`` cases, in order (first reason wins)."""
    for mask, reason, message in cases:
        reject_where(
            rejections,
            mask,
            rows=rows,
            column=column,
            values=values,
            reason=reason,
            message=message,
        )
