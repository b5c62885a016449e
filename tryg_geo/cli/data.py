"""The commands on the data folder: ``import``, ``status``, ``demo`` and ``rollback``."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..errors import UsageError
from ..fmt import number
from ..store.schema import KIND_LABELS, KINDS

COLUMN_OPTIONS = (
    "id",
    "name",
    "population",
    "group",
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


def cmd_import(args: argparse.Namespace) -> int:
    """``import KIND FILE``: check the file, store it (or only check with ``--dry-run``), report."""
    from ..errors import ColumnError
    from ..ingest.detect import cli_suggestion
    from ..ingest.importer import clean_source
    from ..notify.alerts import import_file  # the importer, then the alert rules

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
            mode=args.mode,
            kommune=args.kommune,
            kommune_file=args.kommune_file,
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
    from ..store.folder import Store

    if args.dry_run:
        return "kør uden --dry-run for at få dem alle i en fil"
    if not result.accepted:
        return f"alle står i {Store().failed_rejections_path(args.kind)}"
    return f"alle står i {Store().rejected_path(args.kind)}"


def _human_report(
    report: dict[str, Any],
    rejected,
    *,
    dry_run: bool,
    where: str = "",
    source: str | None = None,
) -> str:
    from ..ingest.reasons import reason_text

    verb = "Kontrolleret (intet gemt)" if dry_run else "Importeret"
    lines = [
        f"{verb}: {KIND_LABELS[report['kind']]} fra {report['file']}",
        *([f"  Kilde: {source}"] if source else []),
        f"  Rækker læst:        {number(report['rows_read'])}",
        f"  Godkendt:           {number(report['accepted'])}",
        f"  Afvist:             {number(report['rejected'])}",
        (
            f"  Rækker slået sammen: {number(report['duplicates'])}"
            if report["kind"] in ("districts", "places")
            else f"  Dubletter fjernet:  {number(report['duplicates'])}"
        ),
    ]
    if report["kind"] == "incidents":
        lines.append(f"  Uden for områder:   {number(report['outside_districts'])} (beholdt)")
    if report.get("kommune"):
        lines.append(f"  Uden for kommunen:  {number(report['kommune']['dropped'])} (udeladt)")
    if report.get("mode"):
        lines.append(_mode_line(report["kind"], report["mode"], dry_run=dry_run))
    for reason, count in report["rejected_reasons"].items():
        lines.append(f"    {reason}: {number(count)} ({reason_text(reason)})")
    for note in report["warnings"]:
        lines.append(f"  Bemærk: {note}")
    for _, row in rejected.head(5).iterrows():
        lines.append(
            f"  Række {row['row']}, kolonne '{row['column']}', værdi '{row['value']}': {row['message']}"
        )
    if len(rejected) > 5:
        lines.append(f"  … og {number(len(rejected) - 5)} afviste rækker mere ({where}).")
    return "\n".join(lines)


def _mode_line(kind: str, mode: dict[str, Any], *, dry_run: bool) -> str:
    """'  Tilstand: erstat (--mode replace, standard) – 200.000 hændelser erstattes af 40' and
    the like: the mode in Danish, the option as it is typed."""
    from ..ingest.modes import MODE_WORDS, REPLACE, ImportPlan

    plan = ImportPlan(kind, mode["mode"], mode["before"], mode["new"], mode["already_stored"])
    default = ", standard" if plan.mode == REPLACE else ""
    name = f"{MODE_WORDS[plan.mode]} (--mode {plan.mode}{default})"
    return f"  Tilstand: {name} – {plan.sentence()}" + (" (ville ske)" if dry_run else "")


def cmd_status(args: argparse.Namespace) -> int:
    """``status``: what is loaded (``--json``: as one object); exit 1 when a stored file of the
    current data fails its check (the file, the cause and the repair command are printed)."""
    from ..store.status import data_status

    status = data_status()
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2, default=str))
        return 0 if status["ok"] else 1
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
    if status["problems"]:
        print("FEJL: de gemte data er beskadiget (tallene ovenfor er fra meta.json):")
        for problem in status["problems"]:
            print(f"  - {problem['sentence']}")
    if status["error"]:
        print(f"FEJL: {status['error']}")
    return 0 if status["ok"] else 1


def cmd_demo(args: argparse.Namespace) -> int:
    """``demo``: write demodata (``--if-empty``: only into an empty data folder)."""
    from ..demo.make import make_demo
    from ..store.folder import Store

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


def cmd_rollback(args: argparse.Namespace) -> int:
    """``rollback KIND``: back to the previous version of a kind."""
    from ..store.folder import Store

    meta = Store().rollback(args.kind)
    print(
        f"{KIND_LABELS[args.kind].capitalize()} er nu igen versionen fra {meta.get('imported_at')} ({meta.get('file')})."
    )
    return 0


def cmd_secret(args: argparse.Namespace) -> int:
    """``secret``: a fresh ``cookie_secret`` (32 random bytes, URL-safe) on stdout."""
    from ..access import new_secret

    print(new_secret())
    return 0
