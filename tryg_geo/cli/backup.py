"""The commands that keep the data folder safe: ``backup``, ``restore`` and ``verify``."""

from __future__ import annotations

import argparse
import json
import sys

from ..store.schema import KIND_LABELS


def add_backup_parsers(commands: argparse._SubParsersAction) -> None:
    """``backup FILE``, ``restore FILE`` and ``verify``."""
    backup = commands.add_parser(
        "backup",
        help="Gem hele data-mappen i én zip-fil med SHA-256 for hver fil (under importlåsen).",
    )
    backup.add_argument("file", metavar="FIL", help="Zip-filen, fx tryg-backup-2026-12-05.zip.")
    backup.set_defaults(handler=cmd_backup)
    restore = commands.add_parser(
        "restore",
        help="Gendan en sikkerhedskopi: i en tom data-mappe som den var, ellers som nye "
        "versioner (intet overskrives).",
    )
    restore.add_argument("file", metavar="FIL")
    restore.set_defaults(handler=cmd_restore)
    verify = commands.add_parser(
        "verify", help="Kontrollér alle gemte filer mod deres SHA-256 fra importen."
    )
    verify.add_argument("--json", action="store_true", help="Skriv resultatet som ét JSON-objekt.")
    verify.set_defaults(handler=cmd_verify)


def cmd_backup(args: argparse.Namespace) -> int:
    from ..store.backup import make_backup
    from ..store.folder import Store

    store = Store()
    manifest = make_backup(store, args.file)
    size = sum(entry["size"] for entry in manifest["files"].values())
    print(
        f"Sikkerhedskopi gemt i {args.file}: {len(manifest['files'])} filer "
        f"({size / 1e6:.1f} MB) fra {store.root}, hver med SHA-256 i MANIFEST.json."
    )
    for path in manifest["damaged"]:
        print(
            f"  Bemærk: {path} passer ikke med sin SHA-256 (en tidligere version eller en kopi "
            "af en importeret fil); den er kopieret, som den er. Kør 'python -m tryg_geo verify'.",
            file=sys.stderr,
        )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ..store.folder import Store
    from ..store.restore import restore_backup

    store = Store()
    result = restore_backup(store, args.file)
    if result["mode"] == "empty":
        print(f"Gendannet i den tomme data-mappe {store.root}: {result['files']} filer.")
        if result["kept"]:
            print(f"  Fandtes allerede med samme indhold: {', '.join(result['kept'])}.")
    else:
        print(
            f"Data-mappen {store.root} havde data: sikkerhedskopiens data er gemt som nye "
            "versioner (intet er overskrevet; 'rollback' går tilbage til det, der var før)."
        )
        for kind, version in result["kinds"].items():
            print(f"  {KIND_LABELS[kind].capitalize()}: version {version}")
        print("  Roller, indstillinger og importloggen i data-mappen er ikke ændret.")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from ..store.folder import Store
    from ..store.integrity import verify

    store = Store()
    problems, checked = verify(store)
    if args.json:
        report = {
            "data_dir": str(store.root),
            "ok": not problems,
            "files_checked": checked,
            "problems": [p.as_dict() for p in problems],
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
    elif problems:
        print(f"Data-mappen {store.root}: {len(problems)} fejl ({checked} filer kontrolleret).")
        for problem in problems:
            print(f"  - {problem.sentence()}")
    else:
        print(f"Data-mappen {store.root} er i orden: {checked} filer kontrolleret.")
    return 1 if problems else 0
