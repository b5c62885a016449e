"""Make and send the digest: compose it for a role, attach the deck, send or write the .eml,
and record the send (only after the relay accepted it) so ``--since last`` is exact."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from .. import settings
from ..errors import MailError, UsageError
from ..render.deck import make_deck
from ..render.mail import Attachment, digest_message, logo_picture
from ..store.dataset import Dataset
from ..store.folder import Store
from ..store.notices import last_digest, record_digest
from ..views.digest import Digest, digest_view
from .smtp import SmtpSettings, check_addresses, send, smtp_settings

#: The roles a digest is made for (the data owner reads the dashboard itself).
DIGEST_ROLES: tuple[str, ...] = ("leder", "analytiker")
#: Makes the attached deck: (dataset, digest, role) -> (file name, PDF bytes).
DeckMaker = Callable[[Dataset, Digest, str], tuple[str, bytes]]


def meeting_deck(ds: Dataset, digest: Digest, role: str) -> tuple[str, bytes]:
    """The steering group's deck as PDF, for the digest's filters and the role."""
    deck = make_deck(ds, digest.filters, "pdf", role=role)
    return deck.file_name, deck.data


@dataclass(frozen=True)
class Sent:
    """What :func:`run_digest` did: the message, and where it went (a file or the relay)."""

    message: EmailMessage
    digest: Digest
    eml: Path | None  # the .eml written by a dry run


def since_last(role: str, store: Store) -> datetime | None:
    """``--since last``: when the previous digest for ``role`` was composed (its record's
    ``until``); None before the first, so the first digest tells everything."""
    previous = last_digest(role, store.root)
    return datetime.fromisoformat(previous["until"]) if previous else None


def check_role(role: str) -> str:
    if role not in DIGEST_ROLES:
        raise UsageError(f"--role {role!r} er ikke tilladt; vælg {' eller '.join(DIGEST_ROLES)}.")
    return role


def run_digest(
    ds: Dataset,
    store: Store,
    *,
    role: str,
    since: datetime | None,
    to: Sequence[str],
    dry_run: str | os.PathLike[str] | None = None,
    deck: DeckMaker | None = None,
    smtp: SmtpSettings | None = None,
) -> Sent:
    """Compose the digest for ``role`` since ``since`` and send it to ``to`` through the
    relay, or — with ``dry_run`` — write it as a .eml file in that folder (nothing recorded).
    ``deck`` makes the attached PDF (default :func:`meeting_deck`).

    Raises
    ------
    MailError
        No ``[smtp]`` settings (and no dry run), or the relay refused: nothing is recorded.
    """
    check_role(role)
    recipients = check_addresses(to)
    composed = datetime.now().replace(microsecond=0)
    if dry_run is None and smtp is None:
        smtp = smtp_settings()
        if smtp is None:
            raise MailError(
                "Der er ingen [smtp]-indstillinger i .streamlit/secrets.toml, så nyhedsbrevet "
                "kan ikke sendes (se README, afsnittet Nyhedsbrev). Brug --dry-run MAPPE for at "
                "gemme det som .eml i stedet."
            )
    digest = digest_view(ds, store, role=role, since=since, base_url=str(settings.get("base_url")))
    name, pdf = (deck or meeting_deck)(ds, digest, role)
    sender = smtp.sender if smtp else "Tryg Geo <tryggeo@localhost>"
    message = digest_message(
        digest,
        sender=sender,
        to=recipients,
        attachments=[Attachment(name, pdf)],
        pictures=[logo_picture(ds.partnership.logo, ds.partnership.name)],
    )
    if dry_run is not None:
        folder = Path(dry_run)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"nyt-fra-tryg-geo_{role}_{composed:%Y-%m-%dT%H%M%S}.eml"
        path.write_bytes(message.as_bytes())
        return Sent(message, digest, path)
    send(message, smtp, recipients)
    record_digest(
        {
            "role": role,
            "to": recipients,
            "since": since.isoformat() if since else None,
            "until": composed.isoformat(),
            "subject": digest.subject,
        },
        store.root,
    )
    return Sent(message, digest, None)
