""" "Data pr.": how fresh the loaded data is — the one home of that line.

Every page, CSV, PNG and slide carries the same line (:func:`data_as_of`), so a leader who
opens last quarter's deck sees that it is last quarter's: the date of the latest incident and
the date of the latest import, both read from the loaded data and its import records
(:attr:`tryg_geo.store.dataset.Dataset.provenance`).

The comparison with other kommuner (Statistics Denmark's StatBank tables) has its own quarters
and its own imports, not the police's: its line (:func:`statbank_as_of`) names the newest
quarter of those tables and the day they were imported, so an old StatBank export is not taken
for fresh because the incidents are.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ..fmt import day
from ..periods import label as period_label
from .dataset import Dataset
from .schema import STATBANK_KINDS

#: The line's first words; tests and readers look for them.
LABEL = "Data pr."


def latest_import(ds: Dataset, kinds: Iterable[str] | None = None) -> date | None:
    """The day of the newest import of any loaded kind, or of ``kinds`` (None when nothing
    was imported)."""
    wanted = None if kinds is None else set(kinds)
    days = []
    for kind, meta in ds.provenance.items():
        if wanted is not None and kind not in wanted:
            continue
        stamp = str(meta.get("imported_at") or "")
        try:
            days.append(date.fromisoformat(stamp[:10]))
        except ValueError:  # a record without a date says nothing about freshness
            continue
    return max(days) if days else None


def latest_incident(ds: Dataset) -> date | None:
    """The day of the newest incident (None without incidents)."""
    return ds.incident_span[1] if ds.has_incidents else None


def data_as_of(ds: Dataset) -> str:
    """'Data pr.: seneste hændelse 30.11.2025 · seneste import 02.12.2025'.

    A part that is unknown says so ('ingen hændelser', 'ingen import'), so the line is never
    silently shorter on one file than on another.
    """
    incident = latest_incident(ds)
    imported = latest_import(ds)
    first = f"seneste hændelse {day(incident)}" if incident else "ingen hændelser"
    second = f"seneste import {day(imported)}" if imported else "ingen import"
    return f"{LABEL}: {first} · {second}"


def latest_statbank_period(ds: Dataset) -> str | None:
    """The newest quarter of StatBank's crimes table for our kommune — the last quarter the
    comparison shows (any area's when ours has none; None without the table)."""
    crimes = ds.kommune_crimes
    if crimes is None or not len(crimes):
        return None
    own = crimes[crimes["area_code"] == ds.partnership.kommune_code]
    rows = own if len(own) else crimes
    return str(rows.loc[rows["period_start"].idxmax(), "period"])


def statbank_as_of(ds: Dataset) -> str:
    """'Data pr.: seneste kvartal 2. kvt. 2025 · seneste import 02.12.2025' — the comparison
    with other kommuner: StatBank's newest quarter and the day its tables were imported."""
    period = latest_statbank_period(ds)
    imported = latest_import(ds, STATBANK_KINDS)
    first = f"seneste kvartal {period_label(period)}" if period else "ingen kvartaler"
    second = f"seneste import {day(imported)}" if imported else "ingen import"
    return f"{LABEL}: {first} · {second}"
