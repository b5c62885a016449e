"""Who may do what: roles, capabilities, ``roles.toml`` and the sign-in mode, as data.

The dashboard signs users in with Streamlit's own OpenID Connect (``st.login``); this module
knows nothing of Streamlit or sessions. It answers three questions with plain values:

* **Which role has this person?** :func:`resolve_role` maps the identity provider's claims
  (``email``, falling back to ``sub``) to a role through ``roles.toml`` in the data folder::

      [users]            # e-mail (or sub) -> role
      "leder@aalborg.dk" = "leder"
      [domains]          # optional default for a whole e-mail domain
      "aalborg.dk" = "leder"

* **What may a role do?** :data:`CAPABILITIES` declares every capability once, with the roles
  that have it and a Danish help text; pages ask :func:`can`.
* **May the dashboard start, and in which mode?** :func:`decide_mode`: with an ``[auth]``
  section everyone signs in; without it only on a loopback address ("Lokal tilstand", everyone
  is ``dataansvarlig``), or on another address when ``TRYG_ALLOW_OPEN=1`` says so explicitly.

A missing or broken ``roles.toml`` never opens a door: :func:`load_roles` raises
:class:`AccessError` and the dashboard gives no one a role.
"""

from __future__ import annotations

import getpass
import ipaddress
import os
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .errors import AccessError

__all__ = [
    "ALLOW_OPEN_ENV",
    "CAPABILITIES",
    "MIN_COOKIE_SECRET",
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
    "current_actor",
    "decide_mode",
    "identity",
    "is_loopback",
    "load_roles",
    "os_actor",
    "parse_roles",
    "read_secret_files",
    "resolve_role",
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
#: Shortest accepted ``cookie_secret`` (characters); ``secrets.token_hex(32)`` gives 64.
MIN_COOKIE_SECRET = 32
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
    unknown = [key for key in data if key not in ("users", "domains")]
    if unknown:
        raise AccessError(
            f"Rollefilen {source} har et ukendt afsnit [{unknown[0]}]; tilladte afsnit er "
            "[users] og [domains]. Ingen har adgang, før filen er rettet."
        )
    users = _section(data, "users", source)
    domains = _section(data, "domains", source)
    for domain in domains:
        if "@" in domain or not domain:
            raise AccessError(
                f"Rollefilen {source}, afsnit [domains]: nøglen {domain!r} skal være et "
                'domæne uden @, fx "aalborg.dk". Ingen har adgang, før filen er rettet.'
            )
    return RoleMap(
        users={(k.lower() if "@" in k else k): v for k, v in users.items()},
        domains={k.lower().lstrip("."): v for k, v in domains.items()},
        source=source,
    )


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


_ROLES_CACHE: dict[Path, tuple[tuple[int, int], RoleMap]] = {}


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
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _ROLES_CACHE.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AccessError(
            f"Rollefilen {path} kan ikke læses ({exc}); den skal være UTF-8-tekst. Ingen har "
            "adgang, før filen er rettet."
        ) from None
    roles = parse_roles(text, source=str(path))
    _ROLES_CACHE[path] = (key, roles)
    return roles


def identity(claims: Mapping[str, Any]) -> str | None:
    """The person's name for roles and the audit log: the e-mail claim, else ``sub``.

    An e-mail the provider marks as unverified (``email_verified`` false) is not used: a
    user who could type any address would otherwise choose their own role.
    """
    email = _email(claims)
    if email:
        return email
    sub = claims.get("sub")
    return str(sub) if sub not in (None, "") else None


def _email(claims: Mapping[str, Any]) -> str | None:
    email = claims.get("email")
    verified = claims.get("email_verified", True)
    if isinstance(verified, str):
        verified = verified.strip().lower() not in ("false", "0", "no")
    if not isinstance(email, str) or "@" not in email or verified is False:
        return None
    return email.strip().lower()


def resolve_role(claims: Mapping[str, Any], roles: RoleMap) -> str | None:
    """The role of the signed-in person, or ``None`` (no access).

    Order: ``[users]`` by e-mail, ``[users]`` by ``sub``, then ``[domains]`` by the e-mail's
    domain (exact match; a sub-domain needs its own line).
    """
    email = _email(claims)
    if email and email in roles.users:
        return roles.users[email]
    sub = claims.get("sub")
    if isinstance(sub, str) and sub in roles.users:
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
            f"{where} mangler cookie_secret. Lav en med "
            '`python -c "import secrets; print(secrets.token_hex(32))"` '
            "(se secrets.example.toml). Tryg Geo starter ikke uden."
        )
    if "ERSTAT" in secret.upper():
        raise AccessError(
            f"cookie_secret i {where} er stadig pladsholderen fra secrets.example.toml. Lav en "
            'med `python -c "import secrets; print(secrets.token_hex(32))"`. '
            "Tryg Geo starter ikke uden."
        )
    if len(secret.strip()) < MIN_COOKIE_SECRET:
        raise AccessError(
            f"cookie_secret i {where} er for kort ({len(secret.strip())} tegn); den skal være "
            f"mindst {MIN_COOKIE_SECRET} tilfældige tegn. Lav en med "
            '`python -c "import secrets; print(secrets.token_hex(32))"`. '
            "Tryg Geo starter ikke uden."
        )
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
    """Who runs the command line (or a local dashboard), for the audit log: the OS user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid()) if hasattr(os, "getuid") else "ukendt"


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
