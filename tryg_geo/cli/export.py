"""The output commands ``export``, ``pack``, ``deck`` and ``template``, and the options
they share: dates, the dataset and the filters (one code path with the pages)."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

from ..errors import ExportError, UsageError
from ..views.registry import opening_cell, view_choices


def cmd_template(args: argparse.Namespace) -> int:
    """``template indsats/SLUG --out FIL``: an initiative's Excel template."""
    from ..ingest.template import template_for
    from ..render import files

    name, data, sheets = template_for(args.initiative)
    path = Path(args.out)
    if path.is_dir():
        path = path / name
    files.make_folder(path.parent)
    files.save(path, data)
    print(f"Gemt: {path} – skabelon med arkene {', '.join(sheets)}.")
    return 0


DATE_FORMS = ("%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y")
FORMATS = ("png", "csv")


def parse_date(option: str, text: str | None) -> date | None:
    """A date given as dd-mm-yyyy, yyyy-mm-dd or dd.mm.yyyy; None when not given.

    Raises
    ------
    UsageError
        Naming the option, the value and the expected form.
    """
    if text is None:
        return None
    for form in DATE_FORMS:
        try:
            return datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    raise UsageError(
        f"{option} {text!r} er ikke en dato; skriv den som dd-mm-åååå eller åååå-mm-dd "
        "(fx 01-01-2025 eller 2025-01-01)."
    )


def cli_role(args: argparse.Namespace) -> str:
    """The role the files are made for: ``--role`` checked against the OS user's role
    (:func:`tryg_geo.role_files.cli_role`)."""
    from .. import settings
    from ..role_files import cli_role as role_of

    return role_of(getattr(args, "role", None), settings.data_dir())


def cli_dataset():
    from ..store.dataset import load_dataset
    from ..store.folder import Store

    store = Store()
    ds = load_dataset(store)
    if ds.districts is None and ds.incidents is None and ds.measurements is None:
        raise ExportError(
            f"Der er ingen data i data-mappen {store.root}. Kør 'python -m tryg_geo demo' "
            "eller importér jeres filer først."
        )
    return ds


def cli_filters(ds, args: argparse.Namespace):
    """The filters the dashboard would use for these options (one code path with the UI)."""
    from ..compute.filters import Filters

    start = parse_date("--from", args.start)
    end = parse_date("--to", args.end)
    if start and end and start > end:
        raise UsageError(
            f"--from {args.start} ligger efter --to {args.end}; den første dag skal komme først."
        )
    categories = tuple(getattr(args, "category", None) or ())
    district = getattr(args, "district", None)
    _check_choices(ds, categories, district)
    first, last = ds.incident_span
    filters = Filters.for_choices(
        data_start=first,
        data_end=last,
        start=start,
        end=end,
        categories=categories,
        district=district,
    )
    _note_clamped(ds, start, end, filters)
    return _with_page_choices(ds, args, filters)


def _with_page_choices(ds, args: argparse.Namespace, filters):
    """The page choices (``--indicator``, ``--scheme``, ``--cell``, …) applied to ``filters``."""
    from ..views.choices import with_choices

    preset = getattr(args, "preset", None)
    if preset is not None and (args.start or args.end):
        raise UsageError(
            f"--preset {preset} og --from/--to kan ikke bruges sammen; vælg den ene måde at "
            "angive perioden på."
        )
    choices = {
        name: getattr(args, name, None)
        for name in (
            "indicator",
            "scheme",
            "cell",
            "nights",
            "hours",
            "observation",
            "preset",
            "map_mode",
            "step",
            "unit",
        )
    }
    # A view's own opening cell size (Analyse: 1 km), as its page opens on it.
    choices["cell"] = choices["cell"] or opening_cell(getattr(args, "view", None))
    return with_choices(ds, filters, **choices, hotspots=bool(getattr(args, "hotspots", False)))


def _check_choices(ds, categories: tuple[str, ...], district: str | None) -> None:
    unknown = [c for c in categories if c not in ds.categories]
    if unknown:
        raise UsageError(
            f"--category {unknown[0]!r} findes ikke i data; tilladte: "
            f"{', '.join(ds.categories) or '(ingen hændelser indlæst)'}."
        )
    if district and district not in ds.district_names:
        known = sorted(ds.district_names)
        raise UsageError(
            f"--district {district!r} er ikke et område-id; fx {', '.join(known[:8])}"
            + (" …" if len(known) > 8 else "")
            + " (se 'python -m tryg_geo status')."
        )


def _note_clamped(ds, start: date | None, end: date | None, filters) -> None:
    from ..fmt import day

    first, last = ds.incident_span
    if (start and start < first) or (end and end > last):
        print(
            f"Bemærk: data går fra {day(first)} til {day(last)}; perioden er "
            f"{day(filters.start)}–{day(filters.end)}.",
            file=sys.stderr,
        )


def cmd_export(args: argparse.Namespace) -> int:
    """``export --view VISNING``: one view as PNG or CSV."""
    from ..render import csv_export, files, png_base, png_page
    from ..views.registry import build_view

    if not args.view:
        raise UsageError(f"--view mangler; vælg {view_choices()}.")
    if getattr(args, "animation", False):
        return _export_animation(args)
    if getattr(args, "step", None) is not None and getattr(args, "map_mode", None) != "emerging":
        raise UsageError(
            "--step hører til --animation eller --map emerging; tilføj en af dem eller fjern "
            "--step."
        )
    fmt = (args.fmt or "").lower() or Path(args.out or "").suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise UsageError(f"--format {args.fmt!r} er ikke tilladt; vælg png eller csv.")
    if not args.out:
        raise UsageError("--out mangler; angiv filen der skal skrives, fx --out natteliv.png.")
    csv_export.check_dialect(args.dialect)
    png_base.check_size(args.size)
    role = cli_role(args)
    ds = cli_dataset()
    filters = cli_filters(ds, args)
    view = build_view(args.view, ds, filters)
    if not files.has_data(view):
        raise ExportError(no_numbers(view, ds, filters))
    data = (
        png_page.view_png(view, args.size, role=role)
        if fmt == "png"
        else csv_export.view_csv(view, args.dialect, role=role)
    )
    path = Path(args.out)
    if path.is_dir():
        path = path / f"{files.file_stem(view, filters)}.{fmt}"
    files.make_folder(path.parent)
    files.save(path, data)
    what = (
        f"PNG {'×'.join(map(str, png_base.png_size(args.size)))}"
        if fmt == "png"
        else f"CSV ({csv_export.DIALECTS[args.dialect]}, {len(view.table)} rækker)"
    )
    print(f"Gemt: {path} – {view.title}, {what}" + (" – Demodata" if view.demo else ""))
    return 0


def _export_animation(args: argparse.Namespace) -> int:
    """``export --view natteliv|analyse --animation [--format gif|mp4] [--step quarter]``:
    the page's animation, made by the same function for the same filters and role."""
    from ..compute.steps import DEFAULT_STEP
    from ..render import files
    from ..render.animation import animation_bytes, animation_name, check_format
    from ..views.steps import stepped_maps

    suffix = Path(args.out or "").suffix.lstrip(".").lower()
    fmt = check_format((args.fmt or "").lower() or (suffix if suffix in ("gif", "mp4") else "gif"))
    if not args.out:
        raise UsageError("--out mangler; angiv filen der skal skrives, fx --out natteliv.gif.")
    role = cli_role(args)
    ds = cli_dataset()
    filters = cli_filters(ds, args)
    stepped = stepped_maps(ds, args.view, filters, args.step or DEFAULT_STEP)
    data = animation_bytes(ds, stepped, fmt, role=role)
    path = Path(args.out)
    if path.is_dir():
        path = path / animation_name(stepped, fmt)
    files.make_folder(path.parent)
    files.save(path, data)
    print(
        f"Gemt: {path} – animation ({fmt.upper()}, {len(stepped)} perioder, 1920×1080)"
        + (" – Demodata" if stepped.demo else "")
    )
    return 0


def cmd_deck(args: argparse.Namespace) -> int:
    """``deck --out møde.pptx|møde.pdf``: the steering-group deck."""
    from ..render.deck import FORMAT_NAMES, deck_badge, deck_format, views_text, write_deck

    if not args.out:
        raise UsageError("--out mangler; angiv filen, fx --out møde.pptx eller --out møde.pdf.")
    deck_format(args.out)
    role = cli_role(args)
    ds = cli_dataset()
    filters = cli_filters(ds, args)
    deck = write_deck(ds, args.out, filters, role=role)
    badge = deck_badge(ds)  # "DELVIS DEMODATA" when only some parts are demo
    print(
        f"Præsentation gemt: {args.out} ({FORMAT_NAMES[deck.fmt]}, {len(deck.slides)} sider: "
        f"{views_text(deck.view_slides)}, {len(deck.left_out)} uden data)"
        + (f" – {badge.capitalize()}" if badge else "")
    )
    return 0


def no_numbers(view, ds, filters) -> str:
    """Why an export of a view without numbers writes no file, and what would fill it."""
    from ..fmt import day

    start, end = view.period or (filters.start, filters.end)  # the view's own when wider
    text = (
        f"«{view.title}» har ingen tal i perioden {day(start)}–{day(end)}, så "
        "der blev ikke skrevet nogen fil."
    )
    if view.missing:
        text += f" {view.missing}"
    if view.key == "tryg-bydel":
        from ..views.tryg_bydel import tryg_bydel_hints

        with_data = [i for i, hint in tryg_bydel_hints(ds, filters).items() if hint is None]
        if with_data:
            text += f" Vælg fx --indicator {with_data[0]}."
    return text


def cmd_pack(args: argparse.Namespace) -> int:
    """``pack --out MAPPE``: a PNG and a CSV of every view with data, and an index."""
    from ..render import csv_export, png_base
    from ..render.pack import WRITTEN, make_pack

    if not args.out:
        raise UsageError("--out mangler; angiv mappen der skal skrives til, fx --out pakke/.")
    csv_export.check_dialect(args.dialect)
    png_base.check_size(args.size)
    role = cli_role(args)
    ds = cli_dataset()
    filters = cli_filters(ds, args)
    index = make_pack(ds, args.out, filters, size=args.size, dialect=args.dialect, role=role)
    written = int((index["status"] == WRITTEN).sum())
    print(
        f"Pakke gemt i {args.out}: {written} visninger som PNG og CSV, "
        f"{len(index) - written} uden data sprunget over; se index.md."
    )
    return 0
