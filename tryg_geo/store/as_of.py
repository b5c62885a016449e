""" "Data pr.": how fresh the loaded data is — the one home of that line.

Every page, CSV, PNG and slide carries the same line (:func:`data_as_of`), so a leader who
opens last quarter's deck sees that it is last quarter's: the date of the latest incident and
the date of the latest import, both read from the loaded data and its import records
(:attr:`tryg_geo.store.dataset.Dataset.provenance`).
"""

from __future__ import annotations

from datetime import date

from ..fmt import day
from .dataset import Dataset

#: The line's first words; tests and readers look for them.
LABEL = "Data pr."


def latest_import(ds: Dataset) -> date | None:
    """The day of the newest import of any loaded kind (None when nothing was imported)."""
    days = []
    for meta in ds.provenance.values():
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
