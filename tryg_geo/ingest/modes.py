"""Import modes: replace the stored data of a kind, or add a file's incidents to it.

Analysts add a month of police data at a time, so incidents can be *appended*: the stored
incidents are kept, the file's incidents are added, and an incident whose id is already stored
is left out and counted as a duplicate ("200.000 + 40, heraf 0 dubletter"). Every other kind is
a whole set (all districts, all places, a survey's measurements) and is always replaced.

An append is still a new version of its own in the store, so rollback returns to the data as
it was before the append.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import UsageError
from ..fmt import number
from ..store.folder import Store
from ..store.schema import KIND_LABELS
from .result import LoadResult

REPLACE = "replace"
APPEND = "append"
MODES = (REPLACE, APPEND)
#: The kinds a file can be added to; every other kind is replaced as a whole.
APPENDABLE = frozenset({"incidents"})
#: The wizard's words for the modes.
MODE_LABELS = {APPEND: "Tilføj til de nuværende", REPLACE: "Erstat alle"}
#: The modes in a Danish sentence (the command line's report; ``--mode`` keeps its values).
MODE_WORDS = {APPEND: "tilføj", REPLACE: "erstat"}
#: Columns that identify an incident when its file had no id column.
CONTENT_KEY = ("time", "category", "x", "y")
#: Incident columns whose values are codes of a category (kept categorical after an append).
CATEGORICAL = ("category", "district_id", "cell_100m", "source", "initiative")


def check_mode(kind: str, mode: str) -> str:
    """Return ``mode`` when it can be used for ``kind``, else raise :class:`UsageError`."""
    if mode not in MODES:
        raise UsageError(f"Ukendt importtilstand {mode!r}; tilladte: {', '.join(MODES)}.")
    if mode == APPEND and kind not in APPENDABLE:
        raise UsageError(
            f"--mode append kan kun bruges til hændelser; {KIND_LABELS[kind]} erstattes altid "
            "som en helhed (brug --mode replace)."
        )
    return mode


@dataclass(frozen=True)
class ImportPlan:
    """What an import will do to the stored data of its kind, counted before anything is written.

    ``before`` rows are stored now; the file brings ``new`` accepted rows, of which
    ``already_stored`` are left out on an append because their id is already stored; ``after``
    rows are stored afterwards.
    """

    kind: str
    mode: str
    before: int
    new: int
    already_stored: int = 0

    @property
    def after(self) -> int:
        if self.mode == APPEND:
            return self.before + self.new - self.already_stored
        return self.new

    def sentence(self) -> str:
        """'200.000 + 40, heraf 0 dubletter' or '200.000 erstattes af 40' (Danish numbers)."""
        label = KIND_LABELS[self.kind]
        if self.mode == APPEND:
            return (
                f"{number(self.before)} + {number(self.new)} {label}, heraf "
                f"{number(self.already_stored)} dubletter (id findes allerede) – "
                f"{number(self.after)} {label} i alt bagefter"
            )
        if self.before == 0:
            return f"{number(self.new)} {label} gemmes (der er ingen i forvejen)"
        return f"{number(self.before)} {label} erstattes af {number(self.new)}"

    def report(self) -> dict[str, Any]:
        """The plan as the import report's ``mode`` block (``import --json``)."""
        return {
            "mode": self.mode,
            "before": self.before,
            "new": self.new,
            "already_stored": self.already_stored,
            "after": self.after,
        }


def plan_import(store: Store, result: LoadResult, mode: str) -> ImportPlan:
    """Count what importing ``result`` with ``mode`` would do to the store's current data."""
    check_mode(result.kind, mode)
    stored = store.read(result.kind) if store.has(result.kind) else None
    before = 0 if stored is None else len(stored)
    if mode == REPLACE or stored is None:
        return ImportPlan(result.kind, mode, before, result.accepted)
    repeated = _already_stored(stored, result.frame, by_id=result.id_column is not None)
    return ImportPlan(result.kind, mode, before, result.accepted, int(repeated.sum()))


def appended(stored: pd.DataFrame, result: LoadResult) -> tuple[pd.DataFrame, int]:
    """The stored incidents followed by the file's new ones, and how many were left out.

    A file without an id column got row numbers as ids ('r2', 'r3', …); its incidents are then
    matched on time, category and place instead, and their ids made unique in the store.
    """
    by_id = result.id_column is not None
    new = result.frame
    repeated = _already_stored(stored, new, by_id=by_id)
    new = new.loc[~repeated].copy()
    if not by_id:
        new["incident_id"] = _unique_ids(new["incident_id"], stored["incident_id"], result.file)
    combined = pd.concat([_plain(stored), _plain(new)], ignore_index=True, sort=False).reindex(
        columns=stored.columns
    )
    for column in CATEGORICAL:
        if column in combined.columns and isinstance(stored[column].dtype, pd.CategoricalDtype):
            combined[column] = pd.Categorical(combined[column])
    return combined, int(repeated.sum())


def _already_stored(stored: pd.DataFrame, new: pd.DataFrame, *, by_id: bool) -> np.ndarray:
    """For each new row: is it already stored (same id; without ids, same time, category, place)."""
    if by_id:
        return (
            new["incident_id"].astype(str).isin(set(stored["incident_id"].astype(str))).to_numpy()
        )
    keys = list(CONTENT_KEY)
    known = pd.MultiIndex.from_frame(stored[keys].astype({"category": str}))
    mine = pd.MultiIndex.from_frame(new[keys].astype({"category": str}))
    return mine.isin(known)


def _unique_ids(ids: pd.Series, taken: pd.Series, file: str) -> pd.Series:
    """Row-number ids that clash with stored ids get the file's name in front ('fil.csv:r2')."""
    clash = ids.astype(str).isin(set(taken.astype(str)))
    return ids.where(~clash, file + ":" + ids.astype(str))


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Categorical columns as plain values, so two frames with different categories concatenate."""
    out = pd.DataFrame(frame).copy()
    for column in out.columns:
        if isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = out[column].astype(object)
    return out
