"""The command line: ``python -m tryg_geo import|status|demo|rollback|export|pack|deck|template``.

Exit codes: 0 when the work was done (rows accepted), 1 when a file or the data folder cannot
be used, 2 for a usage error. Errors are one sentence on stderr, never a traceback
(set ``TRYG_DEBUG=1`` to see one).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .access import acting_as, os_actor
from .errors import ExportError, TrygGeoError, UsageError
from .ingest.columns import OPTION
from .store.schema import KIND_LABELS, KINDS
from .views.registry import view_choices

COLUMN_OPTIONS = (
    "id",
    "name",
    "population",
    "time",
    "datetime",
    "category",
    "lat",
    "lon",
    "x",
    "y",
    "area",
    "period",
    "indicator",
    "value",
    "n",
    "kind",
    "source",
    "initiative",
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage message
        return int(exc.code or 0) and 2
    try:
        # Every import and rollback from here is logged with the OS user (import_log.jsonl).
        with acting_as(os_actor(), "kommandolinje"):
            return args.handler(args)
    except TrygGeoError as exc:
        print(f"Fejl: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # output piped into `head`: the reader has all it wanted
        return 0
    except OSError as exc:  # a full disk or a read-only folder is not a bug in the data or code
        print(
            f"Fejl: en fil kunne ikke læses eller skrives ({exc.strerror or exc}"
            f"{': ' + str(exc.filename) if exc.filename else ''}). Tjek pladsen på disken og rettighederne til data-mappen; "
            "de gemte data er uændrede.",
            file=sys.stderr,
        )
        return 1
    except Exception as exc:  # the one boundary where an unexpected error becomes a sentence
        if os.environ.get("TRYG_DEBUG"):
            traceback.print_exc()
        print(
            f"Uventet fejl ({exc.__class__.__name__}: {exc}). Det er en fejl i Tryg Geo, ikke i "
            "dine data; kør igen med TRYG_DEBUG=1 og send udskriften til udviklerne.",
            file=sys.stderr,
        )
        return 1


class ExactParser(argparse.ArgumentParser):
    """An argument parser that reads only whole option names (``allow_abbrev=False``).

    With abbreviations on, ``--source`` was read as ``--source-col`` and ``--dry`` as
    ``--dry-run``: a mistyped or shortened flag must be a usage error (exit 2) instead. Every
    subcommand's parser is made from this class too (argparse uses the parent's class).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)


def _parser() -> argparse.ArgumentParser:
    parser = ExactParser(
        prog="python -m tryg_geo", description="Tryg Geo: data til Tryg Aalborgs dashboard."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    imp = commands.add_parser(
        "import", help="Importér en fil (områder, hændelser, målinger eller steder)."
    )
    imp.add_argument("kind", choices=KINDS, help="districts, incidents, measurements eller places")
    imp.add_argument("file")
    imp.add_argument("--crs", help="Koordinatsystem, når filen ikke angiver det (fx EPSG:25832).")
    imp.add_argument("--layer", help="Lag i en GeoPackage eller ark i en XLSX-fil.")
    imp.add_argument("--dry-run", action="store_true", help="Kontrollér kun; gem intet.")
    imp.add_argument("--json", action="store_true", help="Skriv rapporten som ét JSON-objekt.")
    imp.add_argument(
        "--source",
        metavar="KILDE",
        help="Hvor data kommer fra, fx 'Nordjyllands Politi, udtræk 2025'; gemmes med versionen "
        "og står under alle visninger, i PNG og i CSV (kolonnen source).",
    )
    for role in COLUMN_OPTIONS:
        option = OPTION[role]
        if role == "datetime":
            help_text = "Kolonnen med dato eller fuldt tidspunkt."
        elif role == "time":
            help_text = "Kolonnen med klokkeslæt, når dato og tid står hver for sig."
        else:
            help_text = f"Kolonnen med {role}."
        imp.add_argument(f"--{option}", dest=f"col_{role}", metavar="KOLONNE", help=help_text)
    imp.set_defaults(handler=_cmd_import)

    status = commands.add_parser("status", help="Vis hvad der er indlæst.")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_cmd_status)

    demo = commands.add_parser("demo", help="Lav demodata for Aalborg (genereret, deterministisk).")
    demo.add_argument(
        "--incidents", type=int, default=200_000, help="Antal hændelser (standard 200 000)."
    )
    demo.add_argument("--seed", type=int, default=20180530)
    demo.add_argument("--if-empty", action="store_true", help="Kun hvis data-mappen er tom.")
    demo.set_defaults(handler=_cmd_demo)

    rollback = commands.add_parser(
        "rollback", help="Gå tilbage til den forrige version af en datatype."
    )
    rollback.add_argument("kind", choices=KINDS)
    rollback.set_defaults(handler=_cmd_rollback)
    _add_export_parsers(commands)
    _add_analyse_parsers(commands)

    template = commands.add_parser(
        "template",
        help="Skriv en Excel-skabelon til en indsats' egne tal (fx indsats/fri-tid).",
    )
    template.add_argument("initiative", metavar="indsats/SLUG")
    template.add_argument("--out", required=True, help="XLSX-filen der skal skrives.")
    template.set_defaults(handler=_cmd_template)
    return parser


def _cmd_template(args: argparse.Namespace) -> int:
    from .ingest.template import template_for
    from .render import files

    name, data, sheets = template_for(args.initiative)
    path = Path(args.out)
    if path.is_dir():
        path = path / name
    files.make_folder(path.parent)
    files.save(path, data)
    print(f"Gemt: {path} – skabelon med arkene {', '.join(sheets)}.")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from .errors import ColumnError
    from .ingest.detect import cli_suggestion
    from .ingest.importer import clean_source, import_file

    columns = {role: getattr(args, f"col_{role}") for role in COLUMN_OPTIONS}
    try:
        result = import_file(
            args.kind,
            args.file,
            columns=columns,
            crs=args.crs,
            layer=args.layer,
            dry_run=args.dry_run,
            source=args.source,
        )
    except ColumnError as exc:  # say what the Data page's wizard would propose
        exc.message += cli_suggestion(
            args.kind, args.file, exc.roles, explicit=columns, layer=args.layer, crs=args.crs
        )
        raise
    report = result.report()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(
            _human_report(
                report,
                result.rejected,
                dry_run=args.dry_run,
                where=_rejected_where(args, result),
                source=clean_source(args.source),
            )
        )
    return 0 if result.accepted else 1


def _rejected_where(args: argparse.Namespace, result) -> str:
    from .store.folder import Store

    if args.dry_run:
        return "kør uden --dry-run for at gemme dem"
    if not result.accepted:
        return str(Store().failed_rejections_path(args.kind))
    return str(Store().rejected_path(args.kind))


def _human_report(
    report: dict[str, Any],
    rejected,
    *,
    dry_run: bool,
    where: str = "",
    source: str | None = None,
) -> str:
    verb = "Kontrolleret (intet gemt)" if dry_run else "Importeret"
    lines = [
        f"{verb}: {KIND_LABELS[report['kind']]} fra {report['file']}",
        *([f"  Kilde: {source}"] if source else []),
        f"  Rækker læst:        {report['rows_read']}",
        f"  Godkendt:           {report['accepted']}",
        f"  Afvist:             {report['rejected']}",
        (
            f"  Rækker slået sammen: {report['duplicates']}"
            if report["kind"] in ("districts", "places")
            else f"  Dubletter fjernet:  {report['duplicates']}"
        ),
    ]
    if report["kind"] == "incidents":
        lines.append(f"  Uden for områder:   {report['outside_districts']} (beholdt)")
    for reason, count in report["rejected_reasons"].items():
        lines.append(f"    {reason}: {count}")
    for note in report["warnings"]:
        lines.append(f"  Bemærk: {note}")
    for _, row in rejected.head(5).iterrows():
        lines.append(
            f"  Række {row['row']}, kolonne '{row['column']}', værdi '{row['value']}': {row['message']}"
        )
    if len(rejected) > 5:
        lines.append(f"  … og {len(rejected) - 5} afviste rækker mere (alle står i {where}).")
    return "\n".join(lines)


def _cmd_status(args: argparse.Namespace) -> int:
    from .store.status import data_status

    status = data_status()
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2, default=str))
        return 0
    print(f"Data-mappe: {status['data_dir']}" + ("  (Demodata)" if status["demo"] else ""))
    if not status["kinds"]:
        print(
            "  Intet indlæst endnu. Kør 'python -m tryg_geo demo' eller importér dine egne filer."
        )
    for info in status["kinds"].values():
        span = f", {info['from']} – {info['to']}" if "from" in info else ""
        print(
            f"  {info['label']}: {info['rows']} rækker{span} (fra {info['file']}, {info['imported_at']}"
            + (f"; kilde: {info['source']})" if info.get("source") else ")")
        )
        for name, ind in info.get("indicators", {}).items():
            print(f"    {name}: {ind['from']} – {ind['to']} ({ind['rows']} rækker)")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from .demo.make import make_demo
    from .store.folder import Store

    store = Store()
    if args.if_empty and any(store.has(k) for k in KINDS):
        print(f"Data-mappen {store.root} har allerede data; demodata blev ikke lavet.")
        return 0
    if args.incidents < 1:
        raise UsageError(f"--incidents {args.incidents}: skal være mindst 1.")
    reports = make_demo(store, incidents=args.incidents, seed=args.seed)
    for kind, report in reports.items():
        print(f"Demodata: {report['accepted']} {KIND_LABELS[kind]} gemt i {store.root / kind}")
    return 0


def _cmd_rollback(args: argparse.Namespace) -> int:
    from .store.folder import Store

    meta = Store().rollback(args.kind)
    print(
        f"{KIND_LABELS[args.kind].capitalize()} er nu igen versionen fra {meta.get('imported_at')} ({meta.get('file')})."
    )
    return 0


# ---- export and pack --------------------------------------------------------------------------
DATE_FORMS = ("%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y")
FORMATS = ("png", "csv")


def _add_export_parsers(commands: argparse._SubParsersAction) -> None:
    exp = commands.add_parser(
        "export", help="Gem én visning som PNG eller CSV (samme tal som i dashboardet)."
    )
    exp.add_argument(
        "--view",
        metavar="VISNING",
        help=f"{view_choices()}.",
    )
    exp.add_argument("--format", dest="fmt", metavar="png|csv", help="png eller csv.")
    exp.add_argument(
        "--category",
        action="append",
        default=[],
        metavar="KATEGORI",
        help="Kun denne hændelseskategori (kan gentages).",
    )
    exp.add_argument("--district", metavar="OMRÅDE-ID", help="Kun dette område (id).")
    exp.add_argument("--out", metavar="STI", help="Filen (eller mappen) der skal skrives.")
    _period_and_format_options(exp)
    _page_options(exp)
    exp.set_defaults(handler=_cmd_export)

    pack = commands.add_parser(
        "pack", help="Gem en PNG og en CSV for hver visning og indsats med data, plus et indeks."
    )
    pack.add_argument("--out", metavar="MAPPE", help="Mappen der skal skrives til.")
    _period_and_format_options(pack)
    _page_options(pack)
    pack.set_defaults(handler=_cmd_pack)

    deck = commands.add_parser(
        "deck",
        help="Gem styregruppemødets præsentation som PowerPoint (.pptx) eller PDF (.pdf).",
    )
    deck.add_argument("--out", metavar="FIL", help="møde.pptx eller møde.pdf (endelsen vælger).")
    deck.add_argument(
        "--from", dest="start", metavar="DATO", help="Første dag (dd-mm-åååå eller åååå-mm-dd)."
    )
    deck.add_argument(
        "--to", dest="end", metavar="DATO", help="Sidste dag (dd-mm-åååå eller åååå-mm-dd)."
    )
    deck.add_argument(
        "--category",
        action="append",
        default=[],
        metavar="KATEGORI",
        help="Kun denne hændelseskategori (kan gentages).",
    )
    deck.add_argument("--district", metavar="OMRÅDE-ID", help="Kun dette område (id).")
    _page_options(deck)
    deck.set_defaults(handler=_cmd_deck)


def _period_and_format_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from", dest="start", metavar="DATO", help="Første dag (dd-mm-åååå eller åååå-mm-dd)."
    )
    parser.add_argument(
        "--to", dest="end", metavar="DATO", help="Sidste dag (dd-mm-åååå eller åååå-mm-dd)."
    )
    parser.add_argument(
        "--dialect",
        default="excel",
        metavar="excel|standard",
        help="CSV: excel (semikolon, decimalkomma; standard) eller standard (komma, punktum).",
    )
    parser.add_argument(
        "--size",
        default="slide",
        metavar="slide|a4",
        help="PNG: slide (1920 × 1080, standard) eller a4 (A4 liggende).",
    )


def _page_options(parser: argparse.ArgumentParser) -> None:
    """The choices the pages offer (see :mod:`tryg_geo.views.choices`); checked after parsing,
    so a wrong value gets a Danish message that lists what is allowed."""
    parser.add_argument(
        "--preset",
        metavar="PERIODE",
        help="Periode som på siderne: 12m (seneste 12 måneder, standard), ytd (år til dato), "
        "last_year (seneste hele år) eller all (hele perioden); ellers --from/--to.",
    )
    parser.add_argument(
        "--indicator",
        metavar="ID",
        help="Tryg bydel: indikatoren, fx tryg_andel eller haendelser_pr_1000 (standard: den "
        "første med tal i perioden).",
    )
    parser.add_argument(
        "--scheme",
        metavar="quantiles|natural_breaks",
        help="Kortenes klasseinddeling: quantiles (kvantiler, standard) eller natural_breaks.",
    )
    parser.add_argument(
        "--cell", metavar="100m|250m|1km", help="Natteliv: cellestørrelse (standard 100m)."
    )
    parser.add_argument(
        "--nights",
        metavar="UGEDAGE",
        help="Natteliv: nætterne efter disse aftener, fx fredag,lørdag (standard).",
    )
    parser.add_argument(
        "--hours", metavar="FRA-TIL", help="Natteliv: nattens timer, fx 22-06 (standard)."
    )
    parser.add_argument(
        "--observation",
        metavar="ID",
        help="Byens rum: observationen, fx klager (standard), personer_til_stede.",
    )
    parser.add_argument(
        "--map",
        dest="map_mode",
        metavar="indikator|hotspots|aendring",
        help="Tryg bydel: kortet viser indikatoren (standard), hotspots (Gi*) eller ændringen "
        "mod året før.",
    )
    parser.add_argument(
        "--hotspots",
        action="store_true",
        help="Natteliv: vis hotspots (Gi*) på kortet i stedet for antal pr. celle.",
    )


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


def _dataset():
    from .store.dataset import load_dataset
    from .store.folder import Store

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
    from .compute.filters import Filters

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
    from .views.choices import with_choices

    preset = getattr(args, "preset", None)
    if preset is not None and (args.start or args.end):
        raise UsageError(
            f"--preset {preset} og --from/--to kan ikke bruges sammen; vælg den ene måde at "
            "angive perioden på."
        )
    return with_choices(
        ds,
        filters,
        **{
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
            )
        },
        hotspots=bool(getattr(args, "hotspots", False)),
    )


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
    from .fmt import day

    first, last = ds.incident_span
    if (start and start < first) or (end and end > last):
        print(
            f"Bemærk: data går fra {day(first)} til {day(last)}; perioden er "
            f"{day(filters.start)}–{day(filters.end)}.",
            file=sys.stderr,
        )


def _cmd_export(args: argparse.Namespace) -> int:
    from .render import csv_export, files, png_base, png_page
    from .views.registry import build_view

    if not args.view:
        raise UsageError(f"--view mangler; vælg {view_choices()}.")
    fmt = (args.fmt or "").lower() or Path(args.out or "").suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise UsageError(f"--format {args.fmt!r} er ikke tilladt; vælg png eller csv.")
    if not args.out:
        raise UsageError("--out mangler; angiv filen der skal skrives, fx --out natteliv.png.")
    csv_export.check_dialect(args.dialect)
    png_base.check_size(args.size)
    ds = _dataset()
    filters = cli_filters(ds, args)
    view = build_view(args.view, ds, filters)
    if not files.has_data(view):
        raise ExportError(_no_numbers(view, ds, filters))
    data = (
        png_page.view_png(view, args.size)
        if fmt == "png"
        else csv_export.view_csv(view, args.dialect)
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


def _cmd_deck(args: argparse.Namespace) -> int:
    from .render.deck import FORMAT_NAMES, deck_format, views_text, write_deck

    if not args.out:
        raise UsageError("--out mangler; angiv filen, fx --out møde.pptx eller --out møde.pdf.")
    deck_format(args.out)
    ds = _dataset()
    filters = cli_filters(ds, args)
    deck = write_deck(ds, args.out, filters)
    print(
        f"Præsentation gemt: {args.out} ({FORMAT_NAMES[deck.fmt]}, {len(deck.slides)} sider: "
        f"{views_text(deck.view_slides)}, {len(deck.left_out)} uden data)"
        + (" – Demodata" if ds.demo else "")
    )
    return 0


def _no_numbers(view, ds, filters) -> str:
    """Why an export of a view without numbers writes no file, and what would fill it."""
    from .fmt import day

    text = (
        f"«{view.title}» har ingen tal i perioden {day(filters.start)}–{day(filters.end)}, så "
        "der blev ikke skrevet nogen fil."
    )
    if view.missing:
        text += f" {view.missing}"
    if view.key == "tryg-bydel":
        from .views.tryg_bydel import tryg_bydel_hints

        with_data = [i for i, hint in tryg_bydel_hints(ds, filters).items() if hint is None]
        if with_data:
            text += f" Vælg fx --indicator {with_data[0]}."
    return text


def _no_incidents(ds, filters) -> str:
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


def _cmd_pack(args: argparse.Namespace) -> int:
    from .render import csv_export, png_base
    from .render.pack import WRITTEN, make_pack

    if not args.out:
        raise UsageError("--out mangler; angiv mappen der skal skrives til, fx --out pakke/.")
    csv_export.check_dialect(args.dialect)
    png_base.check_size(args.size)
    ds = _dataset()
    filters = cli_filters(ds, args)
    index = make_pack(ds, args.out, filters, size=args.size, dialect=args.dialect)
    written = int((index["status"] == WRITTEN).sum())
    print(
        f"Pakke gemt i {args.out}: {written} visninger som PNG og CSV, "
        f"{len(index) - written} uden data sprunget over; se index.md."
    )
    return 0


# ---- analyses (issue 12) ----------------------------------------------------------------------
def _add_analyse_parsers(commands: argparse._SubParsersAction) -> None:
    ana = commands.add_parser(
        "analyse", help="Analyser: hotspots (Getis-Ord Gi*) og nær-gentagelse (Knox-test)."
    )
    kinds = ana.add_subparsers(dest="analysis", required=True)
    hot = kinds.add_parser("hotspots", help="Signifikante hotspots i kvadratnettet (Gi*, FDR).")
    hot.add_argument("--cell", default="250m", metavar="100m|250m|1km", help="Cellestørrelse.")
    _analysis_options(hot)
    hot.set_defaults(handler=_cmd_analyse)
    near = kinds.add_parser(
        "near-repeat", help="Nær-gentagelse: Knox-tabel over afstand × tid (standard: indbrud)."
    )
    near.add_argument(
        "--space", default="100,200,400,800", metavar="M,M,…", help="Afstandsbånd i meter."
    )
    near.add_argument("--time", default="7,14,28,56", metavar="D,D,…", help="Tidsbånd i dage.")
    near.add_argument("--permutations", default="999", metavar="N", help="Permutationer (999).")
    near.add_argument("--seed", default="1", metavar="N", help="Frø for permutationerne (1).")
    _analysis_options(near)
    near.set_defaults(handler=_cmd_analyse)


def _analysis_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--category",
        action="append",
        default=[],
        metavar="KATEGORI",
        help="Kun denne hændelseskategori (kan gentages).",
    )
    parser.add_argument("--district", metavar="OMRÅDE-ID", help="Kun dette område (id).")
    parser.add_argument("--format", dest="fmt", metavar="png|csv", help="png eller csv.")
    parser.add_argument("--out", metavar="STI", help="Filen der skal skrives.")
    _period_and_format_options(parser)


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


def _cmd_analyse(args: argparse.Namespace) -> int:
    from .analysis.hotspots import check_size
    from .analysis.near_repeat import check_permutations, check_space, check_time
    from .render import csv_export, files, png_base, png_page
    from .views.analyse import (
        analyse_categories,
        hotspot_result,
        hotspot_view,
        knox_result,
        near_repeat_view,
    )

    fmt = (args.fmt or "").lower() or Path(args.out or "").suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise UsageError(f"--format {args.fmt!r} er ikke tilladt; vælg png eller csv.")
    if not args.out:
        raise UsageError("--out mangler; angiv filen der skal skrives, fx --out hotspots.csv.")
    csv_export.check_dialect(args.dialect)
    png_base.check_size(args.size)
    if args.analysis == "hotspots":
        try:
            check_size(args.cell)
        except UsageError:
            raise UsageError(
                f"--cell {args.cell!r} er ikke tilladt; vælg 100m, 250m eller 1km."
            ) from None
    else:
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
    ds = _dataset()
    filters = cli_filters(ds, args)
    if not ds.has_incidents:
        raise ExportError(_no_incidents(ds, filters))
    if args.analysis == "hotspots":
        filters = filters.with_(cell=args.cell)
        if hotspot_result(ds, filters).incidents == 0:  # cached: the view reuses it
            raise ExportError(_no_incidents(ds, filters))
        view = hotspot_view(ds, filters)
        stem = f"hotspots-{args.cell}"
    else:
        filters = filters.with_(categories=analyse_categories(ds, filters))
        options = {"space": space, "time": time, "permutations": permutations, "seed": seed}
        if knox_result(ds, filters, **options).events == 0:  # cached: the view reuses it
            raise ExportError(_no_incidents(ds, filters))
        view = near_repeat_view(ds, filters, **options)
        stem = "naer-gentagelse"
    data = (
        png_page.view_png(view, args.size)
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
