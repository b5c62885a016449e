"""The kommune's SMTP relay: its settings and the one function that sends.

The settings are the ``[smtp]`` section of ``.streamlit/secrets.toml``, the file the dashboard
reads its other secrets from (the same files Streamlit reads: :data:`SECRET_FILES`)::

    [smtp]
    host = "smtp.aalborg.dk"
    port = 587
    security = "starttls"     # starttls (standard), tls (port 465) or none
    user = "tryggeo"          # optional: without it no login
    password = "…"
    from = "Tryg Geo <tryggeo@aalborg.dk>"

A send that fails raises :class:`~tryg_geo.errors.MailError` with the reason in Danish; the
callers record a send only after :func:`send` returned.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from pathlib import Path
from typing import Any

from ..access import read_secret_files
from ..errors import MailError

#: Where the secrets are read (as Streamlit's ``secrets.files``: the user's, then the app's).
SECRET_FILES: tuple[Path, ...] = (
    Path.home() / ".streamlit" / "secrets.toml",
    Path(".streamlit") / "secrets.toml",
)
SECURITY: dict[str, str] = {
    "starttls": "STARTTLS på en almindelig forbindelse (typisk port 587)",
    "tls": "TLS fra start (typisk port 465)",
    "none": "ingen kryptering (kun på et lukket net, typisk port 25)",
}
TIMEOUT_S = 30.0
WHERE = "[smtp] i .streamlit/secrets.toml"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    sender: str
    user: str | None = None
    password: str | None = None


def smtp_settings(secrets: Mapping[str, Any] | None = None) -> SmtpSettings | None:
    """The relay's settings, or None when there is no ``[smtp]`` section.

    Raises
    ------
    MailError
        When the section is there but a key is missing or wrong (naming it and what is allowed).
    """
    if secrets is None:
        secrets = read_secret_files(Path(p) for p in SECRET_FILES)
    section = secrets.get("smtp")
    if section is None:
        return None
    if not isinstance(section, Mapping):
        raise MailError(f"{WHERE} skal være et afsnit med nøglerne host, port, security og from.")
    unknown = [
        k for k in section if k not in ("host", "port", "security", "user", "password", "from")
    ]
    if unknown:
        raise MailError(
            f"{WHERE} har en ukendt nøgle {unknown[0]!r}; tilladte: host, port, security, user, "
            "password, from."
        )
    host = section.get("host")
    if not isinstance(host, str) or not host.strip():
        raise MailError(f'{WHERE} mangler host, fx host = "smtp.aalborg.dk".')
    security = section.get("security", "starttls")
    if security not in SECURITY:
        raise MailError(
            f"{WHERE}: security = {security!r} er ikke tilladt; vælg "
            + "; ".join(f"{k} ({v})" for k, v in SECURITY.items())
            + "."
        )
    default_port = {"starttls": 587, "tls": 465, "none": 25}[security]
    port = section.get("port", default_port)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise MailError(f"{WHERE}: port = {port!r} skal være et helt tal fra 1 til 65535.")
    sender = section.get("from")
    if not isinstance(sender, str) or "@" not in sender:
        raise MailError(f'{WHERE} mangler from, fx from = "Tryg Geo <tryggeo@aalborg.dk>".')
    user = section.get("user") or None
    password = section.get("password") or None
    if user and not password:
        raise MailError(f"{WHERE}: user er sat, men password mangler.")
    return SmtpSettings(host.strip(), port, security, sender.strip(), user, password)


def check_addresses(addresses: Sequence[str]) -> list[str]:
    """The addresses, each checked to look like one (``navn@domæne``).

    Raises
    ------
    MailError
        Naming the first address that is not one.
    """
    out = []
    for raw in addresses:
        for _, address in getaddresses([raw]):
            if "@" not in address or "." not in address.rsplit("@", 1)[1] or " " in address:
                raise MailError(f"{raw!r} er ikke en e-mailadresse (fx leder@aalborg.dk).")
            out.append(address)
    if not out:
        raise MailError("Der er ingen modtagere; angiv mindst én adresse med --to.")
    return out


def send(message: EmailMessage, settings: SmtpSettings, to: Sequence[str]) -> None:
    """Hand ``message`` to the relay for ``to``; return only when the relay accepted it for
    every recipient.

    Raises
    ------
    MailError
        With the reason in Danish: no connection, TLS, login, refused recipients, or another
        answer of the relay. Nothing may be recorded as sent then.
    """
    where = f"{settings.host}:{settings.port}"
    try:
        with _connect(settings) as smtp:
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            refused = smtp.send_message(
                message, from_addr=_address(settings.sender), to_addrs=list(to)
            )
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(
            f"Mailserveren {where} afviste brugernavn eller adgangskode ({_reply(exc)}); "
            f"ret user og password i {WHERE}. Intet blev sendt."
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        names = ", ".join(sorted(exc.recipients))
        raise MailError(
            f"Mailserveren {where} afviste modtagerne {names}. Intet blev sendt."
        ) from None
    except smtplib.SMTPSenderRefused as exc:
        raise MailError(
            f"Mailserveren {where} afviste afsenderen {settings.sender} ({_reply(exc)}); ret "
            f"from i {WHERE}. Intet blev sendt."
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise MailError(
            f"Mailserveren {where} tilbyder ikke STARTTLS eller login; tjek security i {WHERE}. "
            "Intet blev sendt."
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise MailError(f"Mailserveren {where} svarede {_reply(exc)}. Intet blev sendt.") from None
    except ssl.SSLError as exc:
        raise MailError(
            f"Den krypterede forbindelse til {where} mislykkedes ({exc.reason or exc}); tjek "
            f"security og port i {WHERE}. Intet blev sendt."
        ) from None
    except TimeoutError:
        raise MailError(
            f"Mailserveren {where} svarede ikke inden for {TIMEOUT_S:.0f} sekunder. Intet blev sendt."
        ) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(
            f"Kunne ikke forbinde til mailserveren {where} ({exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}); "
            f"tjek host og port i {WHERE}, og om serveren kan nås herfra. Intet blev sendt."
        ) from None
    if refused:
        raise MailError(
            f"Mailserveren {where} afviste modtagerne {', '.join(sorted(refused))}; de andre fik "
            "mailen. Den er ikke noteret som sendt."
        )


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.security == "tls":
        context = ssl.create_default_context()
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_S, context=context)
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_S)
    if settings.security == "starttls":
        try:
            smtp.starttls(context=ssl.create_default_context())
        except BaseException:
            smtp.close()
            raise
    return smtp


def _address(sender: str) -> str:
    return getaddresses([sender])[0][1] or sender


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = (
        exc.smtp_error.decode("utf-8", "replace")
        if isinstance(exc.smtp_error, bytes)
        else str(exc.smtp_error)
    )
    return f"{exc.smtp_code} {text}".strip()
