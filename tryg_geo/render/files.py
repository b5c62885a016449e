"""Where snapshots go: file names, and writing files and folders with a Danish error."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ..compute.filters import Filters
from ..errors import ExportError
from ..views.model import View


def save(path: Path, data: bytes) -> None:
    """Write an export to ``path``; a folder or disk problem becomes an :class:`ExportError`."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise ExportError(f"Filen {path} kan ikke skrives: {exc.strerror or exc}.") from None


def make_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) for exports."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"Mappen {folder} kan ikke laves: {exc.strerror or exc}.") from None


def file_stem(view: View, filters: Filters) -> str:
    """A file name without extension: ``tryg-geo_natteliv_2025-01-01_2025-12-31``; with the
    view's :attr:`~View.file_part` after its key, so two sets of files of one page differ
    (``tryg-geo_analyse-hotspots-og-naer-gentagelse_…``, ``tryg-geo_analyse-nye-og-vedvarende-
    hotspots_…``), and the view's own :attr:`~View.period` when it covers other dates than the
    filters."""
    name = f"{view.key}-{view.file_part}" if view.file_part else view.key
    start, end = view.period or (filters.start, filters.end)
    return _stem(name, start, end)


def key_stem(key: str, filters: Filters) -> str:
    """:func:`file_stem` of view ``key`` without building the view (the slider's animation
    is named on every rerun; its first step's map is not needed for that)."""
    return _stem(key, filters.start, filters.end)


def _stem(name: str, start: date, end: date) -> str:
    key = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
    return f"tryg-geo_{key}_{start.isoformat()}_{end.isoformat()}"


def has_data(view: View) -> bool:
    """True when the view has at least one row of numbers (shown or hidden as '<5')."""
    return len(view.table) > 0
