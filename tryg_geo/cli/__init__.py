"""The command line: ``python -m tryg_geo import|status|demo|rollback|backup|restore|verify|export|
pack|deck|template|digest``.

Exit codes: 0 when the work was done (rows accepted), 1 when a file or the data folder cannot
be used, 2 for a usage error. Errors are one sentence on stderr, never a traceback
(set ``TRYG_DEBUG=1`` to see one).

The package: :func:`main` here (the one boundary where an error becomes a sentence), the
argument parser in :mod:`.parser`, the commands on the data folder (import, status, demo,
rollback) in :mod:`.data`, backup, restore and verify in :mod:`.backup`, the outputs (export, pack, deck, template) in :mod:`.export` and
the analyses in :mod:`.analyse`, the digest in :mod:`.notify`.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence

from ..access import acting_as, os_actor
from ..errors import TrygGeoError
from ..store.folder import telling_waits
from .parser import build_parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default ``sys.argv``); return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage message
        return int(exc.code or 0) and 2
    try:
        # Every import and rollback from here is logged with the OS user (import_log.jsonl).
        # A second import waits for the lock (up to a minute): say so, naming what holds it.
        with acting_as(os_actor(), "kommandolinje"), telling_waits(_to_stderr):
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


def _to_stderr(text: str) -> None:
    print(text, file=sys.stderr, flush=True)
