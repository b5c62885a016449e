"""``python -m tryg_geo analyse hotspots|near-repeat``: an analysis as PNG or CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import ExportError, UsageError
from ..role_files import for_role
from .export import FORMATS, cli_dataset, cli_filters, cli_role, no_numbers


def no_incidents(ds, filters) -> str:
    """Why an analysis without incidents writes no file: none loaded, or none match the filters."""
    if not ds.has_incidents:
        return (
            "Der er ingen hændelser i datamappen at analysere, så der blev ikke skrevet nogen "
            "fil. Indlæs politiets hændelser først (python -m tryg_geo import incidents FIL)."
        )
    return (
        f"Der er ingen hændelser, der passer til filtrene ({filters.describe(ds.district_names)}), "
        "så der blev ikke skrevet nogen fil. Vælg en længere periode, en anden kategori eller et "
        "andet område."
    )


def parse_numbers(option: str, text: str, kind: type) -> tuple:
    """'100,200,400,800' as numbers of ``kind``; a :class:`UsageError` naming the option."""
    try:
        values = tuple(kind(p) for p in str(text).replace(";", ",").split(",") if p.strip())
    except ValueError:
        values = ()
    if not values:
        what = "hele tal" if kind is int else "tal"
        raise UsageError(
            f"{option} {text!r} kan ikke læses; skriv {what} adskilt af komma, fx "
            f"{'7,14,28,56' if option == '--time' else '100,200,400,800'}."
        )
    return values


def parse_int(option: str, text: str, allowed: str) -> int:
    """``text`` as a whole number; a :class:`UsageError` naming the option and what is allowed."""
    try:
        return int(str(text).strip())
    except ValueError:
        raise UsageError(f"{option} {text!r} er ikke et helt tal; tilladt er {allowed}.") from None


def cmd_analyse(args: argparse.Namespace) -> int:
    """``analyse hotspots|near-repeat``: check every option, compute, write the PNG or CSV."""
    from ..render import csv_export, files, png_base, png_page

    fmt = (args.fmt or "").lower() or Path(args.out or "").suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise UsageError(f"--format {args.fmt!r} er ikke tilladt; vælg png eller csv.")
    if not args.out:
        raise UsageError("--out mangler; angiv filen der skal skrives, fx --out hotspots.csv.")
    csv_export.check_dialect(args.dialect)
    png_base.check_size(args.size)
    options = _checked_options(args)
    role = cli_role(args)
    ds = cli_dataset()
    filters = cli_filters(ds, args)
    if not ds.has_incidents:
        raise ExportError(no_incidents(ds, filters))
    view, stem = _analysis_view(args, ds, filters, options)
    view = for_role(view, role)  # a leader's file holds no z, p or pair counts
    data = (
        png_page.view_png(view, args.size, role=role)
        if fmt == "png"
        else csv_export.frame_csv(view.table, args.dialect)
    )
    path = Path(args.out)
    if path.is_dir():
        path = path / f"{stem}.{fmt}"
    files.make_folder(path.parent)
    files.save(path, data)
    what = (
        f"PNG {'×'.join(map(str, png_base.png_size(args.size)))}"
        if fmt == "png"
        else f"CSV ({csv_export.DIALECTS[args.dialect]}, {len(view.table)} rækker)"
    )
    print(f"Gemt: {path} – {view.title}, {what}" + (" – Demodata" if view.demo else ""))
    for line in view.highlights:
        print(line)
    return 0


def _checked_options(args: argparse.Namespace) -> dict[str, Any]:
    """The analysis' own options, checked before any data is read: ``--cell`` for hotspots
    (nothing returned), ``--space``, ``--time``, ``--permutations`` and ``--seed`` for near
    repeat (returned as :func:`tryg_geo.views.analyse.near_repeat_view`'s keywords)."""
    from ..analysis.near_repeat import check_permutations, check_space, check_time
    from ..analysis.study_grid import check_size

    if args.analysis == "hotspots":
        try:
            check_size(args.cell)
        except UsageError:
            raise UsageError(
                f"--cell {args.cell!r} er ikke tilladt; vælg 100m, 250m eller 1km."
            ) from None
        return {}
    space = parse_numbers("--space", args.space, float)
    time = parse_numbers("--time", args.time, int)
    permutations = parse_int("--permutations", args.permutations, "1 til 99999 (standard 999)")
    seed = parse_int("--seed", args.seed, "et helt tal, fx 1")
    for option, check, value in (
        ("--space", check_space, space),
        ("--time", check_time, time),
        ("--permutations", check_permutations, permutations),
    ):
        try:
            check(value)
        except UsageError as exc:
            raise UsageError(f"{option}: {exc.message}") from None
    return {"space": space, "time": time, "permutations": permutations, "seed": seed}


def _analysis_view(args: argparse.Namespace, ds, filters, options: dict[str, Any]):
    """The analysis' view and the file stem for a folder ``--out``.

    Raises
    ------
    ExportError
        When no incident matches the filters (no file is written).
    """
    from ..views.analyse import (
        analyse_categories,
        hotspot_result,
        hotspot_view,
        knox_result,
        near_repeat_view,
    )

    if args.analysis == "hotspots":
        filters = filters.with_(cell=args.cell)
        if hotspot_result(ds, filters).incidents == 0:  # cached: the view reuses it
            raise ExportError(no_incidents(ds, filters))
        return hotspot_view(ds, filters), f"hotspots-{args.cell}"
    filters = filters.with_(categories=analyse_categories(ds, filters))
    if knox_result(ds, filters, **options).events == 0:  # cached: the view reuses it
        raise ExportError(no_incidents(ds, filters))
    return near_repeat_view(ds, filters, **options), "naer-gentagelse"


def cmd_emerging(args: argparse.Namespace) -> int:
    """``analyse emerging``: the categories as CSV and the category map as PNG (both, or the
    one of ``--format``) into the folder ``--out`` (or beside the file named there), on
    ``--cell`` cells or, with ``--unit district``, on the districts.

    The files are those of ``export --view analyse --map emerging`` and of the page's buttons
    for the same choices: the same view, through the same role rules.
    """
    from ..render import csv_export, files, png_base, png_page
    from ..views.analysis_maps import MAP_MODE_PARAM
    from ..views.choices import check_cell, check_step, check_unit
    from ..views.emerging import (
        DISTRICT_FILE_PART,
        EMERGING_MODE,
        EMERGING_NOTE,
        STEP_PARAM,
        UNIT_PARAM,
    )
    from ..views.registry import build_view

    fmt = (args.fmt or "").lower()
    if fmt and fmt not in FORMATS:
        raise UsageError(f"--format {args.fmt!r} er ikke tilladt; vælg png eller csv.")
    if not args.out:
        raise UsageError("--out mangler; angiv mappen der skal skrives til, fx --out analyse/.")
    csv_export.check_dialect(args.dialect)
    png_base.check_size(args.size)
    step, cell, unit = check_step(args.step), check_cell(args.cell), check_unit(args.unit)
    role = cli_role(args)
    ds = cli_dataset()
    filters = cli_filters(ds, args)
    if not ds.has_incidents:
        raise ExportError(no_incidents(ds, filters))
    extra = {**filters.extra, MAP_MODE_PARAM: EMERGING_MODE, STEP_PARAM: step, UNIT_PARAM: unit}
    view = for_role(build_view("analyse", ds, filters.with_(cell=cell, extra=extra)), role)
    if not files.has_data(view):  # no cell has a pattern: no file of empty values, as export
        raise ExportError(no_numbers(view, ds, filters))
    out = Path(args.out)
    folder = out if not out.suffix else out.parent
    where = cell if args.unit == "cell" else DISTRICT_FILE_PART  # districts have no cell size
    stem = f"emerging-{step}-{where}" if not out.suffix else out.stem
    files.make_folder(folder)
    for kind in (fmt,) if fmt else FORMATS:
        data = (
            png_page.view_png(view, args.size, role=role)
            if kind == "png"
            else csv_export.view_csv(view, args.dialect, role=role)
        )
        path = folder / f"{stem}.{kind}"
        files.save(path, data)
        print(f"Gemt: {path} – {view.title}" + (" – Demodata" if view.demo else ""))
    for line in view.highlights:
        print(line)
    # What the page says beside the map about the data behind it (a widened or cut period,
    # incidents outside the study cells), so a period the files do not match is never silent.
    for note in view.notes:
        if note != EMERGING_NOTE:
            print(f"Bemærk: {note}", file=sys.stderr)
    return 0
