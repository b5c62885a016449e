"""A pack for a meeting: one PNG and one CSV per main view and per initiative with data.

``python -m tryg_geo pack --out DIR`` writes, for the same filters as the dashboard:

* ``<stem>.png`` and ``<stem>.csv`` for overblik, tryg-bydel, natteliv, byens-rum and every
  ``indsats/<slug>`` whose view has numbers in the period (stems from
  :func:`tryg_geo.render.files.file_stem`, e.g. ``tryg-geo_natteliv_2025-01-01_2025-12-31``);
* ``index.csv`` — one row per view: view, title, png, csv, status, note — in the chosen CSV
  dialect;
* ``index.md`` — the same in Danish prose, with the filters, the skipped initiatives and
  what every CSV column means.

Every view is computed and every CSV checked against the discretion rule *before* anything is
written: if one CSV would show a count below the threshold, the whole pack is refused
(:class:`~tryg_geo.errors.ExportError`) and nothing is written.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..compute.filters import Filters
from ..compute.privacy import hidden_text, threshold
from ..errors import ExportError, TrygGeoError
from ..fmt import day
from ..role_files import LEAST_ROLE, for_role
from ..store.dataset import Dataset
from ..store.schema import KINDS
from ..views.model import View
from ..views.registry import INITIATIVE_PREFIX, build_view, view_applies, view_info, view_keys
from ..views.sources import demo_mark
from . import csv_export, files, png_base, png_page

INDEX_COLUMNS = ["view", "title", "png", "csv", "status", "note"]
WRITTEN, SKIPPED = "skrevet", "sprunget over"
NO_DATA = "Ingen data i perioden."


@dataclass
class Planned:
    """One view of an export: computed and checked (``view``), or left out (``note`` says why)."""

    key: str
    title: str
    view: View | None
    note: str = ""


def plan_views(
    ds: Dataset,
    filters: Filters,
    *,
    keep: Callable[[str], bool] | None = None,
    refusal: str = "Pakken blev ikke skrevet: CSV for",
    role: str = LEAST_ROLE,
) -> list[Planned]:
    """The walk over views that ``pack`` and ``deck`` share: every view of
    :func:`~tryg_geo.views.registry.view_keys` computed for ``filters`` and checked against the
    discretion rule, before anything is drawn or written.

    Views without numbers in the period (never a CSV of empty values; the note says which
    file would fill them), and views the data cannot make (a Danish
    :class:`~tryg_geo.errors.TrygGeoError`), are left out with a note.

    Parameters
    ----------
    ds : the loaded data.
    filters : the dashboard's filters.
    keep : which view keys to take (default: all).
    refusal : how the refusal begins, e.g. 'Præsentationen blev ikke lavet: tallene for'.
    role : whose files they are: each view is handed on as the role may have it
        (:func:`tryg_geo.role_files.for_role`); default the most restrictive role.

    Raises
    ------
    ExportError
        When one view's numbers would show a count below the threshold: nothing is made then.
    """
    keys = [
        key
        for key in view_keys()
        if (keep is None or keep(key)) and view_applies(key, ds)  # Kommuner needs StatBank
    ]
    return [_plan(key, ds, filters, refusal, role) for key in keys]


def make_pack(
    ds: Dataset,
    out_dir: str | os.PathLike[str],
    filters: Filters,
    *,
    size: str = "slide",
    dialect: str = "excel",
    role: str = LEAST_ROLE,
) -> pd.DataFrame:
    """Write the pack for ``filters`` to ``out_dir`` and return its index.

    Parameters
    ----------
    ds : the loaded data.
    out_dir : folder to write to (created when missing; files of the same name are replaced).
    filters : the dashboard's filters (see :func:`tryg_geo.views.registry.default_filters`).
    size : PNG size, 'slide' or 'a4'.
    dialect : CSV dialect, 'excel' or 'standard' (also used for ``index.csv``).
    role : whose pack it is (:func:`tryg_geo.role_files.for_role`); default the most
        restrictive role.

    Returns
    -------
    pandas.DataFrame
        The index: one row per view with columns :data:`INDEX_COLUMNS`.

    Raises
    ------
    ExportError
        When a CSV would break the discretion rule (nothing is written then), or a file
        cannot be written.
    UsageError
        When ``size`` or ``dialect`` is not allowed.
    """
    csv_export.check_dialect(dialect)
    png_base.check_size(size)
    planned = plan_views(ds, filters, role=role)
    folder = Path(out_dir)
    files.make_folder(folder)
    rows = [_write(item, folder, filters, size, dialect, role) for item in planned]
    index = pd.DataFrame(rows, columns=INDEX_COLUMNS)
    files.save(folder / "index.csv", _index_csv(index, dialect))
    files.save(folder / "index.md", index_markdown(index, ds, filters, size, dialect).encode())
    return index


def _plan(key: str, ds: Dataset, filters: Filters, refusal: str, role: str) -> Planned:
    """Compute one view as ``role`` may have it; skip views without numbers; check discretion."""
    try:
        view = for_role(build_view(key, ds, filters), role)
    except ExportError:
        raise
    except TrygGeoError as exc:
        return Planned(key, key, None, exc.message)
    if not files.has_data(view):  # never a CSV of empty values; say what would fill it
        return Planned(key, view.title, None, view.missing or NO_DATA)
    problems = csv_export.suppression_problems(csv_export.csv_table(view))
    if problems:
        raise ExportError(
            f"{refusal} {key!r} ville vise tal under {threshold()} "
            f"({'; '.join(problems)}). Det er en fejl i Tryg Geo; kontakt udviklerne."
        )
    return Planned(key, view.title, view)


def _write(
    item: Planned, folder: Path, filters: Filters, size: str, dialect: str, role: str
) -> dict[str, str]:
    if item.view is None:
        return {
            "view": item.key,
            "title": item.title,
            "png": "",
            "csv": "",
            "status": SKIPPED,
            "note": item.note,
        }
    stem = files.file_stem(item.view, filters)
    files.save(folder / f"{stem}.png", png_page.view_png(item.view, size, role=role))
    files.save(folder / f"{stem}.csv", csv_export.view_csv(item.view, dialect, role=role))
    return {
        "view": item.key,
        "title": item.title,
        "png": f"{stem}.png",
        "csv": f"{stem}.csv",
        "status": WRITTEN,
        "note": item.note,
    }


def _index_csv(index: pd.DataFrame, dialect: str) -> bytes:
    return csv_export.dialect_bytes(index, dialect)  # notes and titles are text: neutralised


def index_markdown(
    index: pd.DataFrame, ds: Dataset, filters: Filters, size: str, dialect: str
) -> str:
    """The pack's index in Danish: filters, files per view, skipped views, the CSV columns."""
    written = index[index["status"] == WRITTEN]
    skipped = index[index["status"] != WRITTEN]
    lines = [
        f"# Tryg Geo – eksport {day(filters.start)}–{day(filters.end)}",
        "",
        f"**Filtre:** {_md(filters.describe(ds.district_names))}.  ",
        f"**Billeder:** PNG {png_base.SIZE_NAMES[size]}.  ",
        f"**CSV:** {csv_export.DIALECTS[dialect]} ({_dialect_words(dialect)}).",
    ]
    mark = demo_mark(ds, KINDS)
    if mark.partial:
        lines += ["", f"> **Demodata** i en del af data – {_md(mark.label)}."]
    elif mark.demo:
        lines += ["", "> **Demodata** – genererede eksempeldata, ikke rigtige tal."]
    lines += ["", "| Visning | Titel | Billede | Tal |", "|---|---|---|---|"]
    for row in written.itertuples():
        lines.append(
            f"| {_md(_view_name(row.view))} | {_md(row.title)} "
            f"| [PNG]({row.png}) | [CSV]({row.csv}) |"
        )
    if len(skipped):
        lines += ["", "## Ikke med i pakken", ""]
        lines += [
            f"- {_md(row.title)} (`{row.view}`): {_md(row.note)}" for row in skipped.itertuples()
        ]
    lines += [
        "",
        "## Om tallene",
        "",
        f"Tal under {threshold()} er skjult i alle filer: de står som '{hidden_text()}' eller grå "
        "i billederne og som tomme felter (med `suppressed` = ja) i CSV-filerne. "
        "CSV-filerne indeholder præcis de tal, der vises i dashboardet med de samme filtre.",
        "",
        "## Kolonner i CSV-filerne",
        "",
    ]
    lines += [f"- `{name}`: {_md(text)}" for name, text in csv_export.COLUMN_DOCS.items()]
    return "\n".join(lines) + "\n"


def _view_name(key: str) -> str:
    info = view_info(key)
    if info is not None:
        return info.title
    return "Indsats" if key.startswith(INITIATIVE_PREFIX) else key


def _dialect_words(dialect: str) -> str:
    if dialect == "excel":
        return "semikolon, decimalkomma, UTF-8 med BOM – åbner direkte i dansk Excel"
    return "komma, decimalpunktum, UTF-8"


def _md(text: object) -> str:
    """Text safe inside a Markdown table cell or list item."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
