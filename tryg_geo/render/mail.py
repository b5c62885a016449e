"""The e-mails: the digest "Nyt fra Tryg Geo" and an alert, as MIME messages.

Each message has a plain-text part and an HTML alternative saying the same, every image in
the HTML carries a text alternative (``alt``), and attachments (the meeting deck as PDF) are
ordinary attachments. Nothing here sends: :mod:`tryg_geo.notify.smtp` is the one place that
talks to the relay.
"""

from __future__ import annotations

import html
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from .. import palette
from ..views.digest import Digest, Section

#: Shown at the top of every e-mail made from demo data (and only of it).
DEMO_LINE = "Demodata – tallene er genererede, ikke rigtige."
FOOTER = (
    "Sendt automatisk af Tryg Geo. Tallene er de samme som i dashboardet; følg linkene for "
    "at se dem med de samme filtre."
)


@dataclass(frozen=True)
class Attachment:
    """A file attached to the e-mail."""

    name: str
    data: bytes
    mime: str = "application/pdf"


@dataclass(frozen=True)
class Picture:
    """An image shown in the HTML part, with its text alternative (required)."""

    data: bytes
    alt: str
    mime: str = "image/png"


def logo_picture(path: Path | None, partnership: str) -> Picture | None:
    """The partnership's logo as a picture for the e-mail's head, or None without one."""
    if path is None or not path.is_file():
        return None
    mime = mimetypes.guess_type(path.name)[0] or "image/png"
    return Picture(path.read_bytes(), f"{partnership}s logo", mime)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _section_text(section: Section) -> list[str]:
    lines = [section.title, "-" * len(section.title)]
    if not section.items:
        lines.append(section.empty)
    for item in section.items:
        lines.append(f"- {item.text}")
        if item.link:
            lines.append(f"  {item.link}")
    if section.more:
        lines.append(f"… og {section.more} mere (se linket).")
    if section.note:
        lines.append(section.note)
    return [*lines, ""]


def digest_text(digest: Digest) -> str:
    """The plain-text part of the digest."""
    lines = [digest.subject, ""]
    if digest.demo:
        lines += [DEMO_LINE, ""]
    lines += [digest.since_text, ""]
    for section in digest.sections:
        lines += _section_text(section)
    lines += [*(f"{note}." for note in digest.notes), "", FOOTER]
    return "\n".join(lines) + "\n"


def _section_html(section: Section) -> str:
    parts = [f"<h2>{_esc(section.title)}</h2>"]
    if not section.items:
        parts.append(f"<p>{_esc(section.empty)}</p>")
    else:
        rows = []
        for item in section.items:
            text = _esc(item.text)
            link = f' <a href="{_esc(item.link)}">Se i dashboardet</a>' if item.link else ""
            rows.append(f"<li>{text}{link}</li>")
        parts.append("<ul>" + "".join(rows) + "</ul>")
    if section.more:
        parts.append(f"<p>… og {section.more} mere (se linket).</p>")
    if section.note:
        parts.append(f"<p><small>{_esc(section.note)}</small></p>")
    return "\n".join(parts)


def _page(title: str, body: str, demo: bool, pictures: Sequence[tuple[str, Picture]]) -> str:
    images = "".join(
        f'<img src="cid:{cid.strip("<>")}" alt="{_esc(p.alt)}" height="48">' for cid, p in pictures
    )
    badge = (
        f'<p style="background:{palette.DEMO_RED};color:{palette.WHITE};padding:4px"><strong>{_esc(DEMO_LINE)}</strong></p>'
        if demo
        else ""
    )
    return (
        '<!DOCTYPE html><html lang="da"><head><meta charset="utf-8">'
        f"<title>{_esc(title)}</title></head>"
        f'<body style="font-family:sans-serif;color:{palette.TEXT}">{images}'
        f"<h1>{_esc(title)}</h1>{badge}{body}"
        f"<p><small>{_esc(FOOTER)}</small></p></body></html>"
    )


def digest_html(digest: Digest, pictures: Sequence[tuple[str, Picture]] = ()) -> str:
    """The HTML part of the digest (``pictures``: content id and picture)."""
    body = f"<p>{_esc(digest.since_text)}</p>" + "\n".join(
        _section_html(s) for s in digest.sections
    )
    body += "".join(f"<p><small>{_esc(n)}.</small></p>" for n in digest.notes)
    return _page(digest.subject, body, digest.demo, pictures)


def message(
    *,
    subject: str,
    text: str,
    html_body: str,
    sender: str,
    to: Sequence[str],
    attachments: Sequence[Attachment] = (),
    pictures: Sequence[tuple[str, Picture]] = (),
) -> EmailMessage:
    """One e-mail: plain text, the HTML alternative with its pictures, the attachments."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] or "tryggeo")
    msg["Content-Language"] = "da"
    msg.set_content(text)
    msg.add_alternative(html_body, subtype="html")
    html_part = msg.get_payload()[1]
    for cid, picture in pictures:
        main, sub = picture.mime.split("/", 1)
        html_part.add_related(picture.data, main, sub, cid=cid)
    for item in attachments:
        main, sub = item.mime.split("/", 1)
        msg.add_attachment(item.data, maintype=main, subtype=sub, filename=item.name)
    return msg


def pictures_with_ids(pictures: Sequence[Picture | None], sender: str) -> list[tuple[str, Picture]]:
    """Content ids for the pictures that exist (None: left out)."""
    domain = sender.rsplit("@", 1)[-1] or "tryggeo"
    return [(make_msgid(domain=domain), p) for p in pictures if p is not None]


def digest_message(
    digest: Digest,
    *,
    sender: str,
    to: Sequence[str],
    attachments: Sequence[Attachment] = (),
    pictures: Sequence[Picture | None] = (),
) -> EmailMessage:
    """The digest as an e-mail to ``to``."""
    named = pictures_with_ids(pictures, sender)
    return message(
        subject=digest.subject,
        text=digest_text(digest),
        html_body=digest_html(digest, named),
        sender=sender,
        to=to,
        attachments=attachments,
        pictures=named,
    )


def alert_message(
    *,
    partnership: str,
    demo: bool,
    alerts: Sequence[tuple[str, str, str, str]],
    sender: str,
    to: Sequence[str],
) -> EmailMessage:
    """The alerts that just fired, as one e-mail: ``alerts`` = (rule, text, fired at, link)."""
    subject = f"Alarm fra Tryg Geo: {partnership}" + (" – Demodata" if demo else "")
    lines = [subject, ""] + ([DEMO_LINE, ""] if demo else [])
    items = []
    for rule, text, fired_at, link in alerts:
        lines += [f"- {rule} ({fired_at}): {text}", f"  {link}"]
        items.append(
            f"<li><strong>{_esc(rule)}</strong> ({_esc(fired_at)}): {_esc(text)} "
            f'<a href="{_esc(link)}">Se i dashboardet</a></li>'
        )
    lines += ["", FOOTER]
    body = "<ul>" + "".join(items) + "</ul>"
    return message(
        subject=subject,
        text="\n".join(lines) + "\n",
        html_body=_page(subject, body, demo, ()),
        sender=sender,
        to=to,
    )
