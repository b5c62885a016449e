"""Who may do what: roles, capabilities, ``roles.toml`` and the sign-in mode, as data.

The dashboard signs users in with Streamlit's own OpenID Connect (``st.login``); this module
knows nothing of Streamlit or sessions. It answers three questions with plain values:

* **Which role has this person?** :func:`resolve_role` maps the identity provider's claims
  (a verified ``email``; ``sub`` only for keys without ``@``) to a role through
  ``roles.toml`` in the data folder (keys compared without regard to case; two keys that
  differ only in case are refused)::

      [users]            # e-mail (or sub) -> role
      "leder@aalborg.dk" = "leder"
      [domains]          # optional default for a whole e-mail domain
      "aalborg.dk" = "leder"
      [os_users]         # optional: operating-system accounts -> role on the command line
      "tryggeo" = "dataansvarlig"

* **What may a role do?** :data:`CAPABILITIES` declares every capability once, with the roles
  that have it and a Danish help text; pages ask :func:`can`.
* **May the dashboard start, and in which mode?** :func:`decide_mode`: with an ``[auth]``
  section everyone signs in; without it only on a loopback address ("Lokal tilstand", everyone
  is ``dataansvarlig``), or on another address when ``TRYG_ALLOW_OPEN=1`` says so explicitly.

A missing or broken ``roles.toml`` never opens a door: :func:`load_roles` raises
:class:`AccessError` and the dashboard gives no one a role.
"""

from __future__ import annotations

import ipaddress
import os
import pwd
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from . import settings
from .cache import LRU
from .cookie_secret import MIN_SECRET_BITS, new_secret, secret_bits
from .errors import AccessError

__all__ = [
    "ALLOW_OPEN_ENV",
    "CAPABILITIES",
    "EMAIL_VERIFIED_MODES",
    "MIN_COOKIE_SECRET",
    "MIN_SECRET_BITS",
    "ROLES",
    "ROLES_FILE",
    "ROLE_LABELS",
    "AccessError",
    "Capability",
    "Mode",
    "RoleMap",
    "acting_as",
    "allow_open",
    "can",
    "capabilities_of",
    "check_auth_section",
    "check_roles_file",
    "current_actor",
    "decide_mode",
    "email_claim_not_sent",
    "identity",
    "is_loopback",
    "load_roles",
    "new_secret",
    "os_actor",
    "os_user_role",
    "parse_roles",
    "read_secret_files",
    "resolve_role",
    "secret_bits",
]

#: The roles, from least to most trusted.
ROLES: tuple[str, ...] = ("leder", "analytiker", "dataansvarlig")
ROLE_LABELS: dict[str, str] = {
    "leder": "Leder",
    "analytiker": "Analytiker",
    "dataansvarlig": "Dataansvarlig",
}
#: The name of the role file inside the data folder.
ROLES_FILE = "roles.toml"
#: Its sections: e-mails (or subs), e-mail domains, operating-system accounts (command line).
ROLE_SECTIONS: tuple[str, ...] = ("users", "domains", "os_users")
#: Shortest accepted ``cookie_secret`` (characters); ``python -m tryg_geo secret`` gives 43.
MIN_COOKIE_SECRET = 32
#: How to make a good secret, for the refusals.
MAKE_SECRET = "Lav en ny med `python -m tryg_geo secret`."
#: The environment variable that allows a start without sign-in on a non-loopback address.
ALLOW_OPEN_ENV = "TRYG_ALLOW_OPEN"
#: Keys Streamlit's default OIDC provider needs in ``[auth]`` (besides the cookie secret).
AUTH_KEYS: tuple[str, ...] = ("redirect_uri", "client_id", "client_secret", "server_metadata_url")


# ---- capabilities ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Capability:
    """Something a page may build or do, and the roles that may have it."""

    name: str
    roles: frozenset[str]
    help: str


def _from(lowest: str) -> frozenset[str]:
    return frozenset(ROLES[ROLES.index(lowest) :])


CAPABILITIES: dict[str, Capability] = {
    c.name: c
    for c in (
        Capability("view", _from("leder"), "Se alle visninger: kort, nøgletal og udvikling."),
        Capability("download", _from("leder"), "Hente PNG, CSV og præsentationer."),
        Capability(
            "data_status",
            _from("analytiker"),
            "Se datasiden: hvad der er indlæst, hvornår og fra hvilken fil.",
        ),
        Capability(
            "rejected_rows",
            _from("analytiker"),
            "Se og hente afviste rækker (de kan indeholde rå adresser og journaldata).",
        ),
        Capability(
            "analyst_detail",
            _from("analytiker"),
            "Se analytikernes detaljer, fx z-værdier for hotspots.",
        ),
        Capability(
            "audit_log",
            _from("analytiker"),
            "Se importloggen: hvem importerede eller rullede tilbage, hvornår og hvad.",
        ),
        Capability("import", _from("dataansvarlig"), "Importere nye filer (knappen Importér)."),
        Capability(
            "rollback", _from("dataansvarlig"), "Rulle en datatype tilbage til forrige version."
        ),
    )
}


def can(role: str | None, capability: str) -> bool:
    """Whether ``role`` has ``capability`` (no role has none).

    Raises
    ------
    AccessError
        When ``capability`` is not declared in :data:`CAPABILITIES` (a typo must not
        silently deny or grant anything).
    """
    if capability not in CAPABILITIES:
        raise AccessError(f"Ukendt rettighed {capability!r}; tilladte: {', '.join(CAPABILITIES)}.")
    return role is not None and role in CAPABILITIES[capability].roles


def capabilities_of(role: str | None) -> list[str]:
    """The capabilities of ``role``, in declaration order."""
    return [name for name, cap in CAPABILITIES.items() if role in cap.roles]


# ---- roles.toml --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleMap:
    """The parsed ``roles.toml``: e-mail addresses or subjects, and e-mail domains, to roles."""

    users: Mapping[str, str] = field(default_factory=dict)
    domains: Mapping[str, str] = field(default_factory=dict)
    source: str = ROLES_FILE
    #: Operating-system accounts to roles: the command line's role (``role_files.cli_role``).
    os_users: Mapping[str, str] = field(default_factory=dict)


def parse_roles(text: str, *, source: str = ROLES_FILE) -> RoleMap:
    """Parse the text of a ``roles.toml``.

    E-mail keys and domains are compared case-insensitively (stored in lower case); a key
    without ``@`` in ``[users]`` is an OpenID ``sub`` and compared exactly.

    Raises
    ------
    AccessError
        On a TOML syntax error, an unknown section, a role that does not exist, a value
        that is not text, or a domain written with ``@``. The message names the file, the
        section, the key and the value, and lists what is allowed.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AccessError(
            f"Rollefilen {source} kan ikke læses: {exc}. Ingen har adgang, før filen er rettet."
        ) from None
    unknown = [key for key in data if key not in ROLE_SECTIONS]
    if unknown:
        raise AccessError(
            f"Rollefilen {source} har et ukendt afsnit [{unknown[0]}]; tilladte afsnit er "
            "[users], [domains] og [os_users]. Ingen har adgang, før filen er rettet."
        )
    users = _section(data, "users", source)
    domains = _section(data, "domains", source)
    os_users = _section(data, "os_users", source)
    for name, section in (("users", users), ("domains", domains), ("os_users", os_users)):
        _refuse_case_duplicates(text, name, section, source)
    for domain in domains:
        if "@" in domain or not domain:
            raise AccessError(
                f"Rollefilen {source}, afsnit [domains]: nøglen {domain!r} skal være et "
                'domæne uden @, fx "aalborg.dk". Ingen har adgang, før filen er rettet.'
            )
    return RoleMap(
        users={(k.casefold() if "@" in k else k): v for k, v in users.items()},
        domains={k.casefold().lstrip("."): v for k, v in domains.items()},
        source=source,
        os_users=dict(os_users),
    )


def _refuse_case_duplicates(
    text: str, section: str, entries: Mapping[str, str], source: str
) -> None:
    """Two keys of one section that differ only in case (``"Leder@X.dk"`` and
    ``"leder@x.dk"``) would silently give one of two roles: refuse, naming both lines."""
    seen: dict[str, str] = {}
    for key in entries:
        folded = key.casefold().lstrip(".") if section == "domains" else key.casefold()
        if folded in seen:
            first, second = _key_line(text, section, seen[folded]), _key_line(text, section, key)
            raise AccessError(
                f"Rollefilen {source}, afsnit [{section}]: {first} og {second} er den samme "
                "nøgle, når der ses bort fra store og små bogstaver, så det er uklart, hvilken "
                "rolle der gælder. Slet den ene linje. Ingen har adgang, før filen er rettet."
            )
        seen[folded] = key


def _key_line(text: str, section: str, key: str) -> str:
    """'linje 3 ("Leder@X.dk" = "leder")': where ``key`` of ``[section]`` stands in ``text``."""
    current = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("[") and not stripped.startswith("[["):
            current = stripped.strip("[]").strip()
            continue
        if current != section or "=" not in stripped or stripped.startswith("#"):
            continue
        try:
            parsed = tomllib.loads(stripped)
        except tomllib.TOMLDecodeError:
            continue
        if any(k.strip() == key for k in parsed):
            return f"linje {number} ({stripped})"
    return f"nøglen {key!r}"


def _section(data: Mapping[str, Any], name: str, source: str) -> dict[str, str]:
    section = data.get(name, {})
    if not isinstance(section, dict):
        raise AccessError(
            f"Rollefilen {source}: [{name}] skal være et afsnit med linjer som "
            f'"navn@aalborg.dk" = "leder", ikke {section!r}. Ingen har adgang, før filen er rettet.'
        )
    out: dict[str, str] = {}
    for key, value in section.items():
        if not isinstance(value, str) or value.strip().lower() not in ROLES:
            raise AccessError(
                f"Rollefilen {source}, afsnit [{name}]: {key!r} har rollen {value!r}, som ikke "
                f"findes; tilladte roller er {', '.join(ROLES)}. Ingen har adgang, før filen "
                "er rettet."
            )
        out[key.strip()] = value.strip().lower()
    return out


#: Parsed role files by path and what ``stat`` says of the file (an edit is read again).
_ROLES = LRU("role_files")


def load_roles(data_dir: Path) -> RoleMap:
    """Read ``roles.toml`` from ``data_dir`` (re-read only when the file changes).

    Raises
    ------
    AccessError
        When the file is missing or cannot be read or parsed (see :func:`parse_roles`).
    """
    path = Path(data_dir) / ROLES_FILE
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise AccessError(
            f"Rollefilen {ROLES_FILE} findes ikke i datamappen {Path(data_dir)}. Ingen har "
            "adgang, før den dataansvarlige har lavet den (se README, afsnittet om login)."
        ) from None
    return _ROLES.get_or_make((path, stat.st_mtime_ns, stat.st_size), lambda: _read_roles(path))


def _read_roles(path: Path) -> RoleMap:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AccessError(
            f"Rollefilen {path} kan ikke læses ({exc}); den skal være UTF-8-tekst. Ingen har "
            "adgang, før filen er rettet."
        ) from None
    return parse_roles(text, source=str(path))


#: Values of the setting ``email_verified`` (``TRYG_EMAIL_VERIFIED``).
EMAIL_VERIFIED_MODES: tuple[str, ...] = ("required", "not-sent")


def check_roles_file(data_dir: Path) -> None:
    """At start-up: refuse a ``roles.toml`` that exists but is broken (see
    :func:`parse_roles`: syntax, unknown roles, keys that differ only in case). A missing file
    does not stop the start: no one has a role then, and the page says so.

    Raises
    ------
    AccessError
        Naming the file, the section and the lines.
    """
    if (Path(data_dir) / ROLES_FILE).exists():
        load_roles(data_dir)


def os_user_role(who: str, data_dir: Path) -> str | None:
    """The role of the operating-system account ``who`` in ``[os_users]`` of ``roles.toml``;
    ``None`` without a line (or without the file)."""
    if not (Path(data_dir) / ROLES_FILE).exists():
        return None
    return load_roles(data_dir).os_users.get(who)


def identity(claims: Mapping[str, Any], *, claim_not_sent: bool | None = None) -> str | None:
    """The person's name for roles and the audit log: the verified e-mail, else ``sub``.

    ``claim_not_sent`` as for :func:`resolve_role`.
    """
    email = _email(claims, claim_not_sent)
    if email:
        return email
    sub = claims.get("sub")
    return str(sub) if sub not in (None, "") else None


def email_claim_not_sent() -> bool:
    """The setting ``email_verified``: ``"not-sent"`` (the provider never sends the claim).

    Raises
    ------
    AccessError
        For any other value than :data:`EMAIL_VERIFIED_MODES`.
    """
    value = str(settings.get("email_verified")).strip().lower()
    if value not in EMAIL_VERIFIED_MODES:
        raise AccessError(
            f"Indstillingen TRYG_EMAIL_VERIFIED={value!r} er ikke tilladt; vælg "
            f"{' eller '.join(EMAIL_VERIFIED_MODES)} (se README, afsnittet Sikkerhed)."
        )
    return value == "not-sent"


def _email(claims: Mapping[str, Any], claim_not_sent: bool | None) -> str | None:
    """The e-mail claim when it is verified: ``email_verified`` exactly ``True`` (a JSON
    ``true``; ``"true"``, ``1``, ``null`` are not), or — only when the setting says the
    provider never sends it — the claim missing altogether."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email.strip():
        return None
    if "email_verified" in claims:
        verified = claims["email_verified"] is True
    else:
        verified = email_claim_not_sent() if claim_not_sent is None else claim_not_sent
    return email.strip().casefold() if verified else None


def resolve_role(
    claims: Mapping[str, Any], roles: RoleMap, *, claim_not_sent: bool | None = None
) -> str | None:
    """The role of the signed-in person, or ``None`` (no access).

    Order: ``[users]`` by verified e-mail, ``[users]`` by ``sub`` (only keys without ``@``:
    a ``sub`` that looks like a listed address gets nothing), then ``[domains]`` by the
    verified e-mail's domain (exact match; a sub-domain needs its own line).

    Parameters
    ----------
    claims : the identity provider's claims (``st.user``).
    roles : the parsed ``roles.toml``.
    claim_not_sent : whether an e-mail without ``email_verified`` counts; ``None`` reads the
        setting ``email_verified`` (:func:`email_claim_not_sent`).
    """
    email = _email(claims, claim_not_sent)
    if email and email in roles.users:
        return roles.users[email]
    sub = claims.get("sub")
    if isinstance(sub, str) and "@" not in sub and sub in roles.users:
        return roles.users[sub]
    if email:
        return roles.domains.get(email.rsplit("@", 1)[1])
    return None


# ---- sign-in mode at start-up -----------------------------------------------------------------

Mode = Literal["auth", "local", "open"]


def is_loopback(address: str | None) -> bool:
    """Whether the server listens on this machine only (``127.x.x.x``, ``::1``, ``localhost``).

    An unset address (Streamlit's default) listens on every interface: not loopback.
    """
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def allow_open(environ: Mapping[str, str] | None = None) -> bool:
    """``TRYG_ALLOW_OPEN=1``: the explicit permission to run without sign-in on a network."""
    environ = os.environ if environ is None else environ
    return environ.get(ALLOW_OPEN_ENV, "").strip() == "1"


def check_auth_section(auth: Mapping[str, Any]) -> None:
    """Refuse an ``[auth]`` section the dashboard cannot sign anyone in with safely.

    Raises
    ------
    AccessError
        When a key is missing, ``redirect_uri`` does not end in ``/oauth2callback`` or the
        ``cookie_secret`` is shorter than :data:`MIN_COOKIE_SECRET` characters.
    """
    where = "[auth] i .streamlit/secrets.toml"
    secret = auth.get("cookie_secret")
    if not isinstance(secret, str) or not secret.strip():
        raise AccessError(
            f"{where} mangler cookie_secret. {MAKE_SECRET} (se secrets.example.toml). "
            "Tryg Geo starter ikke uden."
        )
    if "ERSTAT" in secret.upper():
        raise AccessError(
            f"cookie_secret i {where} er stadig pladsholderen fra secrets.example.toml. "
            f"{MAKE_SECRET} Tryg Geo starter ikke uden."
        )
    if len(secret.strip()) < MIN_COOKIE_SECRET:
        raise AccessError(
            f"cookie_secret i {where} er for kort ({len(secret.strip())} tegn); den skal være "
            f"mindst {MIN_COOKIE_SECRET} tilfældige tegn. {MAKE_SECRET} "
            "Tryg Geo starter ikke uden."
        )
    bits = secret_bits(secret.strip())
    if bits < MIN_SECRET_BITS:
        raise AccessError(
            f"cookie_secret i {where} er ikke tilfældig nok (omkring {bits:.0f} bit; der kræves "
            f"mindst {MIN_SECRET_BITS}): gentagne tegn, mønstre og rækkefølger som 'aaaa…', "
            f"'abcabc…' eller '0123…' kan gættes. {MAKE_SECRET} Tryg Geo starter ikke uden."
        )
    email_claim_not_sent()  # an unknown TRYG_EMAIL_VERIFIED stops the start, not a sign-in
    missing = [key for key in AUTH_KEYS if not str(auth.get(key) or "").strip()]
    if missing:
        raise AccessError(
            f"{where} mangler {', '.join(missing)}; se secrets.example.toml og README "
            "(afsnittet om login). Tryg Geo starter ikke uden."
        )
    redirect = str(auth["redirect_uri"]).strip()
    if not redirect.rstrip("/").endswith("/oauth2callback"):
        raise AccessError(
            f"redirect_uri i {where} er {redirect!r}; den skal ende på /oauth2callback, fx "
            '"https://tryggeo.aalborg.dk/oauth2callback". Tryg Geo starter ikke uden.'
        )


def decide_mode(auth: Mapping[str, Any] | None, address: str | None, open_ok: bool) -> Mode:
    """The mode the dashboard runs in, or a refusal.

    Parameters
    ----------
    auth
        The ``[auth]`` section of the secrets, or ``None`` when there is none.
    address
        Streamlit's ``server.address`` (``None`` or empty: every interface).
    open_ok
        Whether ``TRYG_ALLOW_OPEN=1`` is set (see :func:`allow_open`).

    Returns
    -------
    Mode
        ``"auth"`` (everyone signs in), ``"local"`` (no sign-in, loopback only, everyone is
        ``dataansvarlig``) or ``"open"`` (no sign-in on a network, explicitly allowed).

    Raises
    ------
    AccessError
        For a broken ``[auth]`` section (:func:`check_auth_section`) or a start without
        ``[auth]`` on a non-loopback address without ``TRYG_ALLOW_OPEN=1``.
    """
    if auth is not None and not isinstance(auth, Mapping):
        raise AccessError(
            "[auth] i .streamlit/secrets.toml skal være et afsnit ([auth] på sin egen linje "
            "med nøglerne under), ikke en enkelt værdi. Tryg Geo starter ikke uden."
        )
    if auth:
        check_auth_section(auth)
        return "auth"
    if is_loopback(address):
        return "local"
    if open_ok:
        return "open"
    where = f"adressen {address}" if address else "alle netværkskort (server.address er ikke sat)"
    raise AccessError(
        f"Tryg Geo starter ikke uden login, når serveren lytter på {where}: så kunne alle på "
        "netværket se politiets og psykiatriens data og ændre dem. Slå login til med et "
        "[auth]-afsnit i .streamlit/secrets.toml (se README, afsnittet om login), eller start på "
        "127.0.0.1 (Lokal tilstand). Vil I bevidst køre åbent, så sæt TRYG_ALLOW_OPEN=1."
    )


def read_secret_files(paths: Iterable[str | os.PathLike[str]]) -> dict[str, Any]:
    """Merge the secrets files Streamlit reads (later files win, key by key at the top).

    Files that do not exist are skipped; a directory is not read (Kubernetes-style secret
    folders hold no ``[auth]`` table here).

    Raises
    ------
    AccessError
        When a secrets file exists but is not valid TOML: a broken file must not silently
        switch sign-in off.
    """
    merged: dict[str, Any] = {}
    for raw in paths:
        path = Path(raw)
        if path.suffix != ".toml" or not path.is_file():
            continue
        try:
            merged.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise AccessError(
                f"Hemmelighedsfilen {path} kan ikke læses: {exc}. Tryg Geo starter ikke, før "
                "den er rettet (se secrets.example.toml)."
            ) from None
    return merged


def os_actor() -> str:
    """Who runs the command line (or a local dashboard), for the audit log: the account that
    owns the process (``pwd.getpwuid(os.geteuid())``).

    Never ``LOGNAME``/``USER`` (what :func:`getpass.getuser` reads first): anyone can set
    those, and ``LOGNAME=x python -m tryg_geo rollback`` must not be logged as ``x``. An
    account without a name in the password database is logged as ``uid <n>``.
    """
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


# ---- who acts (the audit trail) ----------------------------------------------------------------

#: Who is importing or rolling back, for ``import_log.jsonl``: ``(who, via)``.
_ACTOR: ContextVar[tuple[str, str] | None] = ContextVar("tryg_geo_actor", default=None)


@contextmanager
def acting_as(who: str, via: str) -> Iterator[None]:
    """Name ``who`` (an e-mail, a sub or an OS user) and ``via`` (``dashboard``,
    ``kommandolinje``) in the import log for every import and rollback inside the block."""
    token = _ACTOR.set((who, via))
    try:
        yield
    finally:
        _ACTOR.reset(token)


def current_actor() -> tuple[str, str]:
    """``(who, via)`` for the import log; outside :func:`acting_as` the OS user and ``python``."""
    return _ACTOR.get() or (os_actor(), "python")
