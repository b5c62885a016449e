"""``digest``: the digest "Nyt fra Tryg Geo" by e-mail (or as a .eml file with --dry-run)."""

from __future__ import annotations

import argparse


def cmd_digest(args: argparse.Namespace) -> int:
    """``digest --since last|DATO --role leder|analytiker --to ADRESSER [--dry-run MAPPE]``."""
    from datetime import datetime, time

    from ..errors import UsageError
    from ..notify.digest import check_role, run_digest, since_last
    from ..store.folder import Store
    from .export import cli_dataset, cli_role, parse_date

    if not args.role:
        raise UsageError("--role mangler; vælg leder eller analytiker.")
    check_role(args.role)
    cli_role(args)  # the OS user may make the digest of its own role or a lower one only
    if not args.to:
        raise UsageError(
            "--to mangler; angiv modtagerne, fx --to leder@aalborg.dk,chef@aalborg.dk."
        )
    to = [a.strip() for part in args.to for a in part.split(",") if a.strip()]
    store = Store()
    if args.since == "last":
        since = since_last(args.role, store)
    else:  # a date: from its first moment
        since = datetime.combine(parse_date("--since", args.since), time.min)
    ds = cli_dataset()
    sent = run_digest(ds, store, role=args.role, since=since, to=to, dry_run=args.dry_run)
    demo = " – Demodata" if sent.digest.demo else ""
    if sent.eml is not None:
        print(f"Nyhedsbrevet er gemt som {sent.eml} (ikke sendt){demo}.")
    else:
        print(f"Nyhedsbrevet er sendt til {', '.join(to)} og noteret i digest_log.json{demo}.")
    return 0
