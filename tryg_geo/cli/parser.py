"""The argument parser of ``python -m tryg_geo``: every command, option and help text."""

from __future__ import annotations

import argparse
from typing import Any

from ..compute.steps import DEFAULT_STEP, STEPS
from ..geo.grid import CELL_CHOICES
from ..ingest.columns import OPTION
from ..store.schema import KINDS
from ..views.emerging import UNIT_VALUES
from ..views.registry import opening_cell, view_choices
from .analyse import cmd_analyse, cmd_emerging
from .backup import add_backup_parsers
from .data import COLUMN_OPTIONS, cmd_demo, cmd_import, cmd_rollback, cmd_secret, cmd_status
from .export import cmd_deck, cmd_export, cmd_pack, cmd_template
from .notify import cmd_digest


class ExactParser(argparse.ArgumentParser):
    """An argument parser that reads only whole option names (``allow_abbrev=False``).

    With abbreviations on, ``--source`` was read as ``--source-col`` and ``--dry`` as
    ``--dry-run``: a mistyped or shortened flag must be a usage error (exit 2) instead. Every
    subcommand's parser is made from this class too (argparse uses the parent's class).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command; each subcommand's ``handler`` runs it."""
    parser = ExactParser(
        prog="python -m tryg_geo",
        description="Tryg Geo: data til partnerskabets dashboard (partnerskab.toml i data-mappen; "
        "standard Tryg Aalborg).",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    imp = commands.add_parser(
        "import", help="Importér en fil (områder, hændelser, målinger eller steder)."
    )
    imp.add_argument(
        "kind",
        choices=KINDS,
        help="districts, incidents, measurements, places, kommune_crimes (STRAF11) eller "
        "kommune_population (FOLK1A)",
    )
    imp.add_argument("file")
    imp.add_argument("--crs", help="Koordinatsystem, når filen ikke angiver det (fx EPSG:25832).")
    imp.add_argument("--layer", help="Lag i en GeoPackage eller ark i en XLSX-fil.")
    imp.add_argument("--dry-run", action="store_true", help="Kontrollér kun; gem intet.")
    imp.add_argument(
        "--mode",
        choices=("replace", "append"),
        default="replace",
        help="replace (standard): filen erstatter de gemte data af sin type; append (kun "
        "hændelser): filens hændelser føjes til de gemte, og id'er, der allerede er gemt, "
        "springes over og tælles som dubletter.",
    )
    imp.add_argument("--json", action="store_true", help="Skriv rapporten som ét JSON-objekt.")
    imp.add_argument(
        "--kommune",
        metavar="KODE",
        help="Kun områder (districts): behold kun områderne i denne kommune, fx 0851 (Aalborg) "
        "— efter filens kolonne med kommunekode (KOMKODE), ellers efter kommunens grænse fra "
        "--kommune-fil. Rapporten siger, hvor mange der blev beholdt og udeladt.",
    )
    imp.add_argument(
        "--kommune-fil",
        dest="kommune_file",
        metavar="FIL",
        help="En fil med kommunegrænser (fx DAGI's kommuner.geojson) til --kommune, når "
        "områdefilen ikke har en kolonne med kommunekode (fx postnumre og sogne).",
    )
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
    imp.set_defaults(handler=cmd_import)

    status = commands.add_parser("status", help="Vis hvad der er indlæst.")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=cmd_status)

    demo = commands.add_parser("demo", help="Lav demodata for Aalborg (genereret, deterministisk).")
    demo.add_argument(
        "--incidents", type=int, default=200_000, help="Antal hændelser (standard 200 000)."
    )
    demo.add_argument("--seed", type=int, default=20180530)
    demo.add_argument("--if-empty", action="store_true", help="Kun hvis data-mappen er tom.")
    demo.set_defaults(handler=cmd_demo)

    rollback = commands.add_parser(
        "rollback", help="Gå tilbage til den forrige version af en datatype."
    )
    rollback.add_argument("kind", choices=KINDS)
    rollback.set_defaults(handler=cmd_rollback)
    add_backup_parsers(commands)
    _add_export_parsers(commands)
    _add_analyse_parsers(commands)

    template = commands.add_parser(
        "template",
        help="Skriv en Excel-skabelon til en indsats' egne tal (fx indsats/fri-tid).",
    )
    template.add_argument("initiative", metavar="indsats/SLUG")
    template.add_argument("--out", required=True, help="XLSX-filen der skal skrives.")
    template.set_defaults(handler=cmd_template)

    digest = commands.add_parser(
        "digest",
        help="Send nyhedsbrevet «Nyt fra Tryg Geo» med e-mail (nye data, markante ændringer, "
        "nye og tiltagende hotspots, indsatser uden for sporet, præsentationen som PDF).",
    )
    digest.add_argument(
        "--since",
        default="last",
        metavar="last|DATO",
        help="Fra hvornår: last (standard: siden sidste nyhedsbrev til rollen) eller en dato.",
    )
    digest.add_argument(
        "--role",
        metavar="leder|analytiker",
        help="Hvilken rolles udgave (ledere får ikke analytikernes detaljer).",
    )
    digest.add_argument(
        "--to",
        action="append",
        default=[],
        metavar="ADRESSER",
        help="Modtagerne, kommasepareret (kan gentages).",
    )
    digest.add_argument(
        "--dry-run",
        dest="dry_run",
        metavar="MAPPE",
        help="Send ikke: gem mailen som .eml i denne mappe (intet noteres som sendt).",
    )
    digest.set_defaults(handler=cmd_digest)

    secret = commands.add_parser(
        "secret", help="Skriv en ny tilfældig cookie_secret til .streamlit/secrets.toml."
    )
    secret.set_defaults(handler=cmd_secret)
    return parser


def role_option(parser: argparse.ArgumentParser) -> None:
    """``--role``: whose files to make (see :func:`tryg_geo.role_files.cli_role`)."""
    parser.add_argument(
        "--role",
        metavar="leder|analytiker|dataansvarlig",
        help="Lav filerne, som denne rolle må få dem (standard: din OS-brugers rolle: "
        "dataansvarlig for den konto, der ejer datamappen, ellers leder, eller linjen i "
        "[os_users] i roles.toml). Kun samme eller lavere rolle.",
    )


def _add_export_parsers(commands: argparse._SubParsersAction) -> None:
    exp = commands.add_parser(
        "export",
        help="Gem én visning som PNG eller CSV (samme tal som i dashboardet), eller Natteliv "
        "og Analyse over tid som animation (--animation).",
    )
    exp.add_argument(
        "--view",
        metavar="VISNING",
        help=f"{view_choices()}.",
    )
    exp.add_argument(
        "--format",
        dest="fmt",
        metavar="png|csv|gif|mp4",
        help="png eller csv; med --animation gif (standard) eller mp4.",
    )
    exp.add_argument(
        "--animation",
        action="store_true",
        help="Natteliv og Analyse: kortene for hver periode som animation (GIF eller MP4, "
        "1920 × 1080), som knappen på siden.",
    )
    exp.add_argument(
        "--category",
        action="append",
        default=[],
        metavar="KATEGORI",
        help="Kun denne hændelseskategori (kan gentages).",
    )
    exp.add_argument("--district", metavar="OMRÅDE-ID", help="Kun dette område (id).")
    exp.add_argument("--out", metavar="STI", help="Filen (eller mappen) der skal skrives.")
    period_and_format_options(exp)
    _page_options(exp)
    role_option(exp)
    exp.set_defaults(handler=cmd_export)

    pack = commands.add_parser(
        "pack", help="Gem en PNG og en CSV for hver visning og indsats med data, plus et indeks."
    )
    pack.add_argument("--out", metavar="MAPPE", help="Mappen der skal skrives til.")
    period_and_format_options(pack)
    _page_options(pack)
    role_option(pack)
    pack.set_defaults(handler=cmd_pack)

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
    role_option(deck)
    deck.set_defaults(handler=cmd_deck)


def period_and_format_options(parser: argparse.ArgumentParser) -> None:
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
        "--cell",
        metavar="|".join(CELL_CHOICES),
        help="Natteliv: cellestørrelse (standard 100m).",
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
        metavar="indikator|hotspots|aendring|emerging",
        help="Tryg bydel: kortet viser indikatoren (standard), hotspots (Gi*) eller ændringen "
        "mod året før. Analyse: emerging (nye og vedvarende hotspots).",
    )
    parser.add_argument(
        "--step",
        metavar="|".join(STEPS),
        help="Tidstrin: en periode pr. måned (month), kvartal (quarter, standard) eller år "
        "(year); for Analyses nye og vedvarende hotspots (--map emerging) og for --animation.",
    )
    parser.add_argument(
        "--unit",
        metavar="|".join(UNIT_VALUES),
        help="Analyses nye og vedvarende hotspots (--map emerging) pr. celle (cell, standard) "
        "eller pr. område (district), som sidens valg 'Enhed'.",
    )
    parser.add_argument(
        "--hotspots",
        action="store_true",
        help="Natteliv: vis hotspots (Gi*) på kortet i stedet for antal pr. celle.",
    )


def _add_analyse_parsers(commands: argparse._SubParsersAction) -> None:
    ana = commands.add_parser(
        "analyse", help="Analyser: hotspots (Getis-Ord Gi*) og nær-gentagelse (Knox-test)."
    )
    kinds = ana.add_subparsers(dest="analysis", required=True)
    hot = kinds.add_parser("hotspots", help="Signifikante hotspots i kvadratnettet (Gi*, FDR).")
    hot.add_argument(
        "--cell",
        default=opening_cell("analyse"),
        metavar="|".join(CELL_CHOICES),
        help=f"Cellestørrelse ({opening_cell('analyse')}, som Analyse-siden).",
    )
    _analysis_options(hot)
    hot.set_defaults(handler=cmd_analyse)
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
    near.set_defaults(handler=cmd_analyse)
    emerging = kinds.add_parser(
        "emerging",
        help="Nye og vedvarende hotspots (Gi* pr. periode og Mann–Kendall): CSV med mønstrene "
        "og kortet som PNG.",
    )
    emerging.add_argument(
        "--step", default=DEFAULT_STEP, metavar="|".join(STEPS), help=f"Tidstrin ({DEFAULT_STEP})."
    )
    emerging.add_argument(
        "--cell",
        default=opening_cell("analyse"),
        metavar="|".join(CELL_CHOICES),
        help=f"Cellestørrelse ({opening_cell('analyse')}, som Analyse-siden).",
    )
    emerging.add_argument(
        "--unit",
        default="cell",
        metavar="|".join(UNIT_VALUES),
        help="Celler (cell, standard) eller områder (district); --cell gælder kun celler.",
    )
    _analysis_options(emerging)
    emerging.set_defaults(handler=cmd_emerging)


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
    period_and_format_options(parser)
    role_option(parser)
