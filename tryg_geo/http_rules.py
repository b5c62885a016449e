"""The HTTP door's rules, as plain data and functions (no Streamlit, no web framework).

Streamlit serves more than the page: downloads at ``/media/<id>``, uploads at
``/_stcore/upload_file/…``, component frames, its own static files and the websocket. Its
login cookie (``_streamlit_user``) is signed but cannot be withdrawn. The dashboard's
middleware (``http_guard.py`` beside ``serve.py``) applies the rules below to every request
when sign-in is on:

* :func:`route_kind` sorts a path into what the login page needs (open) and what only a
  signed-in person may reach.
* :func:`session_key` names a sign-in by a SHA-256 of the exact login cookie; the key is what
  :class:`tryg_geo.store.sessions.SessionStore` opens at sign-in and revokes at "Log ud".
* :class:`MediaGrants` binds each ``/media`` file to the websocket connections whose frames
  carried its URL: a file URL opens only for the sign-in that was shown it, and dies when that
  sign-in ends or its connection has been closed for :data:`MEDIA_GRACE` seconds.
* :func:`harden_set_cookie` caps the login cookie at the session's maximum age and adds
  ``Secure`` whenever the request came over HTTPS.
* :func:`danish_script` puts Danish words for the English ones Streamlit's built frontend
  shows every visitor (:data:`FRONTEND_DANISH`, the skip link); ``serve.py``'s middleware
  applies it to every script it serves, as it serves every HTML page with ``lang="da"``.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "AUTH_COOKIE_RE",
    "FRONTEND_DANISH",
    "MEDIA_GRACE",
    "MediaGrants",
    "RouteKind",
    "USER_COOKIE_RE",
    "cookie_pairs",
    "danish_script",
    "harden_set_cookie",
    "media_names",
    "route_kind",
    "session_key",
    "set_cookie_pair",
    "strip_cookies",
]

#: Streamlit's identity cookie and its chunks (``_streamlit_user``, ``_streamlit_user__1``…).
USER_COOKIE_RE = re.compile(r"^_streamlit_user(?:_{1,2}\d+)?$")
#: Every login cookie: the identity and the provider's tokens, with their chunks.
AUTH_COOKIE_RE = re.compile(r"^_streamlit_user(?:_tokens)?(?:_{1,2}\d+)?$")
#: Seconds a media URL still opens after the connection that was shown it has closed (a
#: download clicked just before a reload); far below the 10 minutes the security round allows.
MEDIA_GRACE = 30.0
#: A media file's name in a websocket frame: Streamlit's hex id and an optional extension.
_MEDIA_RE = re.compile(rb"/media/([0-9a-f]{16,64}(?:\.[A-Za-z0-9]{1,12})?)")

#: Streamlit's own English words that its built frontend (``static/js/*.js``) shows on
#: every page, and the Danish served instead: the page is ``lang="da"``, so an English skip link
#: would be read with Danish rules (WCAG 3.1.2). Streamlit has no setting for them. The Danish
#: is written with JavaScript's ``\u`` escapes, so the script stays ASCII whatever charset it
#: is served with. ``tests/security/test_http_rules.py`` fails when an upgrade moves a word.
FRONTEND_DANISH: dict[bytes, bytes] = {
    b"Skip to main content": rb"G\u00e5 til hovedindhold",
    # Screen readers' names of the sidebar's buttons, the main menu and heading anchors, the
    # help icon's name and the select boxes' placeholder (each as the built script spells it).
    b'"aria-label":`Collapse sidebar`': b'"aria-label":`Skjul sidepanelet`',
    b'"aria-label":`Expand sidebar`': b'"aria-label":`Vis sidepanelet`',
    b'"aria-label":`Main menu`': b'"aria-label":`Hovedmenu`',
    b'"aria-label":`Link to heading`': b'"aria-label":`Link til overskriften`',
    b"`Help`:`Help for ${": rb"`Hj\u00e6lp`:`Hj\u00e6lp til ${",
    b"`Choose options`:`Choose an option`": rb"`V\u00e6lg flere`:`V\u00e6lg en mulighed`",
}

RouteKind = Literal["open", "media", "upload", "private", "closed", "socket", "logout", "login"]

# Paths (after the base URL) that only a signed-in person reaches. Everything else Streamlit
# answers with its own index.html or static JS/CSS, which hold no data.
_PRIVATE_PREFIXES: tuple[str, ...] = (
    "component/",  # custom component frames (the map)
    "_stcore/bidi-components/",
    "app/static/",  # the app's static folder (Leaflet)
    "_stcore/metrics",
    "_stcore/script-health-check",
    "_stcore/message",
)
# Paths no one needs: Streamlit's agent API (off unless configured) answers nobody here.
_CLOSED_PREFIXES: tuple[str, ...] = ("_stcore/agent/",)


def route_kind(path: str, base_url: str = "") -> RouteKind:
    """What kind of route ``path`` is, for a dashboard served under ``base_url``."""
    base = "/" + base_url.strip("/") if base_url.strip("/") else ""
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base) :]
    rel = path.lstrip("/")
    if rel.startswith("media/"):
        return "media"
    if rel.startswith("_stcore/upload_file"):
        return "upload"
    if rel == "_stcore/stream":
        return "socket"
    if rel == "auth/logout":
        return "logout"
    if rel == "oauth2callback":
        return "login"
    if rel.startswith(_CLOSED_PREFIXES):
        return "closed"
    if rel.startswith(_PRIVATE_PREFIXES):
        return "private"
    return "open"


def cookie_pairs(header: str) -> list[tuple[str, str]]:
    """The ``(name, value)`` pairs of a ``Cookie`` header, values exactly as sent."""
    pairs = []
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            pairs.append((name, value))
    return pairs


def session_key(pairs: list[tuple[str, str]]) -> str | None:
    """SHA-256 of the identity cookie (all its chunks, by name), or ``None`` without one.

    The same function names a sign-in from the ``Set-Cookie`` headers of the login callback
    and from the ``Cookie`` header of every later request, so both must give the raw values.
    """
    chosen = sorted((n, v) for n, v in pairs if USER_COOKIE_RE.match(n) and v)
    if not chosen:
        return None
    text = "\n".join(f"{n}={v}" for n, v in chosen)
    return hashlib.sha256(text.encode("latin-1", "replace")).hexdigest()


def strip_cookies(header: str) -> str:
    """``header`` without the login cookies: Streamlit then sees an anonymous visitor."""
    kept = [f"{n}={v}" for n, v in cookie_pairs(header) if not AUTH_COOKIE_RE.match(n)]
    return "; ".join(kept)


def set_cookie_pair(header: str) -> tuple[str, str, bool]:
    """``(name, value, deleting)`` of a ``Set-Cookie`` header (``deleting``: Max-Age 0 or
    an empty value)."""
    first, *attrs = header.split(";")
    name, _, value = first.strip().partition("=")
    deleting = not value or value == '""'
    for attr in attrs:
        key, _, val = attr.strip().partition("=")
        if key.lower() == "max-age" and val.strip() in ("0", "-1"):
            deleting = True
    return name, value, deleting


def harden_set_cookie(header: str, *, secure: bool, max_age: int) -> str:
    """A ``Set-Cookie`` header with ``Secure`` over HTTPS and the login cookie's lifetime
    capped at ``max_age`` seconds (Streamlit asks for 30 days)."""
    name, _, deleting = set_cookie_pair(header)
    parts = [p.strip() for p in header.split(";")]
    if AUTH_COOKIE_RE.match(name) and not deleting:
        parts = [
            f"Max-Age={min(max_age, _int(p.partition('=')[2], max_age))}"
            if p.lower().startswith("max-age=")
            else p
            for p in parts
        ]
        if not any(p.lower().startswith("max-age=") for p in parts):
            parts.append(f"Max-Age={max_age}")
    if secure and not any(p.lower() == "secure" for p in parts):
        parts.append("Secure")
    return "; ".join(parts)


def _int(text: str, default: int) -> int:
    try:
        return int(text.strip())
    except ValueError:
        return default


def media_names(frame: bytes) -> set[str]:
    """The media file names (``<id>.<ext>``) a websocket frame sends to the browser."""
    return {m.decode("ascii") for m in _MEDIA_RE.findall(frame)}


@dataclass
class _Connection:
    key: str
    names: set[str] = field(default_factory=set)
    closed: float | None = None


@dataclass
class MediaGrants:
    """Which media files each open websocket connection was shown, under which sign-in.

    Media files live in the memory of the process that made them, so the grants do too; the
    sign-in itself is checked against the shared session store on every request.
    """

    grace: float = MEDIA_GRACE
    _conns: dict[int, _Connection] = field(default_factory=dict)

    def open(self, conn: int, key: str) -> None:
        self._conns[conn] = _Connection(key)

    def shown(self, conn: int, names: set[str]) -> None:
        if conn in self._conns and names:
            self._conns[conn].names |= names

    def close(self, conn: int, now: float | None = None) -> None:
        if conn in self._conns:
            self._conns[conn].closed = time.monotonic() if now is None else now
        self._forget_old(time.monotonic() if now is None else now)

    def allows(self, key: str, name: str, now: float | None = None) -> bool:
        """Whether the sign-in ``key`` was shown the media file ``name`` on a connection
        that is open or closed less than :attr:`grace` seconds ago."""
        now = time.monotonic() if now is None else now
        return any(
            c.key == key and name in c.names and (c.closed is None or now - c.closed <= self.grace)
            for c in self._conns.values()
        )

    def _forget_old(self, now: float) -> None:
        old = [k for k, c in self._conns.items() if c.closed and now - c.closed > self.grace]
        for k in old:
            del self._conns[k]


def danish_script(body: bytes) -> bytes:
    """A script of Streamlit's frontend with :data:`FRONTEND_DANISH`'s Danish for its English
    (unchanged when it holds none of them)."""
    for english, danish in FRONTEND_DANISH.items():
        body = body.replace(english, danish)
    return body
