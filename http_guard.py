"""The HTTP door: an ASGI middleware in front of Streamlit that answers only signed-in people.

``serve.py`` runs Streamlit as an ASGI app; :class:`HttpGuard` sees every request and websocket
before Streamlit does. With sign-in on (``[auth]``) it applies :mod:`tryg_geo.http_rules`:

* **Sign-in sessions on the server.** The login callback's new ``_streamlit_user`` cookie opens
  a session in ``.sessions.sqlite`` in the data folder (:mod:`tryg_geo.store.sessions`);
  ``/auth/logout`` revokes it there. On every request a login cookie whose session is not
  open (unknown, revoked, older than ``session_max_hours``, idle longer than
  ``session_idle_minutes``) is stripped, so Streamlit sees an anonymous visitor and shows the
  login page. An open websocket is closed at the first message after its session ended.
* **Routes.** ``/media/<id>`` opens only for the sign-in whose websocket was shown that URL;
  uploads need a role that may import and a ``Content-Length`` within ``upload_limit_mb``;
  component frames and the app's static files need a sign-in. Anything else gets 401, 403,
  404, 411 or 413 with an empty body; nothing of the request body is read.
* **Cookies.** The login cookie lives at most the session's maximum age; every cookie is
  ``Secure`` when the request came over HTTPS (directly, or from the proxy named in
  ``TRYG_TRUSTED_PROXY``: :func:`configure_proxy_trust` hands exactly that address to uvicorn,
  which alone may then rewrite the scheme from ``X-Forwarded-Proto``).

Without ``[auth]`` (Lokal tilstand, or the explicit open mode) it passes everything through.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit import config

from tryg_geo import AccessError, access, settings
from tryg_geo.http_rules import (
    MediaGrants,
    cookie_pairs,
    harden_set_cookie,
    media_names,
    route_kind,
    session_key,
    set_cookie_pair,
    strip_cookies,
)
from tryg_geo.store.sessions import SessionStore

_LOG = logging.getLogger("tryg_geo.http")
_MB = 1024 * 1024
#: Room for the multipart envelope around an upload of exactly the limit.
_UPLOAD_SLACK = _MB


def configure_proxy_trust() -> None:
    """Trust ``X-Forwarded-Proto``/``-For`` from ``TRYG_TRUSTED_PROXY`` only.

    uvicorn (which serves Streamlit) believes these headers from ``FORWARDED_ALLOW_IPS``,
    by default every loopback address; a user on the server's own machine could then claim
    HTTPS. Call before the server starts.
    """
    os.environ["FORWARDED_ALLOW_IPS"] = str(settings.get("trusted_proxy")).strip()


class HttpGuard:
    """ASGI middleware: the rules of :mod:`tryg_geo.http_rules`, when sign-in is on.

    Parameters
    ----------
    app
        The Streamlit ASGI app.
    mode
        Returns the sign-in mode (``serve.check_access``); asked once, at the first request.
    """

    def __init__(self, app: ASGIApp, mode: Callable[[], str]) -> None:
        self.app = app
        self._mode_of = mode
        self._mode: str | None = None
        self._store: SessionStore | None = None
        self.grants = MediaGrants()
        self._ids = itertools.count()

    def _ready(self) -> bool:
        if self._mode is None:
            self._mode = self._mode_of()
            self._store = SessionStore(
                settings.data_dir(),
                max_age=3600.0 * settings.get("session_max_hours"),
                idle=60.0 * settings.get("session_idle_minutes"),
            )
        return self._mode == "auth"

    @property
    def store(self) -> SessionStore:
        assert self._store is not None
        return self._store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or not self._ready():
            await self.app(scope, receive, send)
            return
        kind = route_kind(scope["path"], config.get_option("server.baseUrlPath") or "")
        raw = _header(scope, b"cookie")
        key = session_key(cookie_pairs(raw))
        verdict = self.store.check(key) if key else None
        if key and verdict != "ok":
            _LOG.info("Login-cookie afvist (%s) på %s", verdict, scope["path"])
            scope = _with_cookie(scope, strip_cookies(raw))
        signed_in = verdict == "ok"
        if scope["type"] == "websocket":
            if kind != "socket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await self._socket(scope, receive, send, key if signed_in else None)
            return
        status = self._refusal(kind, scope, raw, key if signed_in else None)
        if status:
            _LOG.warning("HTTP %d for %s %s", status, scope["method"], scope["path"])
            await _empty(send, status)
            return
        if kind == "logout" and key and signed_in:
            self.store.revoke(key)
            _LOG.info("Log ud: sessionen er tilbagekaldt")
        await self.app(scope, receive, self._cookie_sender(scope, send, kind))

    def _refusal(self, kind: str, scope: Scope, raw: str, key: str | None) -> int:
        """The status that refuses this HTTP request, or 0 to let it through."""
        if kind == "closed":
            return 404
        if kind in ("media", "private", "upload") and key is None:
            return 401
        if kind == "media":
            name = scope["path"].rsplit("/media/", 1)[-1]
            return 0 if self.grants.allows(key or "", name) else 404
        if kind == "upload":
            if not access.can(_role(raw), "import"):
                return 403
            if scope["method"] in ("PUT", "POST"):
                return _upload_size_refusal(_header(scope, b"content-length"))
        return 0

    def _cookie_sender(self, scope: Scope, send: Send, kind: str) -> Send:
        secure = scope.get("scheme") == "https"
        max_age = int(self.store.max_age)

        async def send_hardened(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = []
                new_pairs = []
                for name, value in message.get("headers") or []:
                    if name.lower() == b"set-cookie":
                        text = value.decode("latin-1")
                        cname, cvalue, deleting = set_cookie_pair(text)
                        if not deleting:
                            new_pairs.append((cname, cvalue))
                        value = harden_set_cookie(text, secure=secure, max_age=max_age).encode(
                            "latin-1"
                        )
                    headers.append((name, value))
                new_key = session_key(new_pairs) if kind == "login" else None
                if new_key:
                    self.store.start(new_key)
                    _LOG.info("Login: ny session åbnet")
                message = {**message, "headers": headers}
            await send(message)

        return send_hardened

    async def _socket(self, scope: Scope, receive: Receive, send: Send, key: str | None) -> None:
        conn = next(self._ids)
        if key:
            self.grants.open(conn, key)
        ended = False

        async def send_watched(message: Message) -> None:
            if key and message["type"] == "websocket.send" and message.get("bytes"):
                self.grants.shown(conn, media_names(message["bytes"]))
            await send(message)

        async def receive_checked() -> Message:
            nonlocal ended
            message = await receive()
            if ended or not key or message["type"] != "websocket.receive":
                return message
            verdict = self.store.check(key)
            if verdict == "ok":
                return message
            # The sign-in ended (Log ud elsewhere, maximum age, idle): close; the browser
            # reconnects without a valid cookie and gets the login page.
            _LOG.info("Websocket lukket: sessionen er %s", verdict)
            ended = True
            await send({"type": "websocket.close", "code": 1000})
            return {"type": "websocket.disconnect", "code": 1000}

        try:
            await self.app(scope, receive_checked, send_watched)
        finally:
            self.grants.close(conn)


def _header(scope: Scope, name: bytes) -> str:
    values = [v.decode("latin-1") for k, v in scope.get("headers") or [] if k.lower() == name]
    return "; ".join(values)


def _with_cookie(scope: Scope, cookie: str) -> Scope:
    headers = [(k, v) for k, v in scope.get("headers") or [] if k.lower() != b"cookie"]
    if cookie:
        headers.append((b"cookie", cookie.encode("latin-1")))
    return {**scope, "headers": headers}


def _role(raw_cookie: str) -> str | None:
    """The role of the person whose (already validated) login cookie this is."""
    claims = _claims(raw_cookie)
    if not claims:
        return None
    try:
        roles = access.load_roles(settings.data_dir())
    except AccessError as exc:
        _LOG.error("%s", exc)
        return None
    return access.resolve_role(claims, roles)


def _claims(raw_cookie: str) -> dict[str, Any]:
    """The identity claims in Streamlit's signed login cookie (``{}`` when unreadable)."""
    from streamlit.auth_util import get_cookie_with_chunks
    from streamlit.web.server.server_util import get_cookie_secret
    from streamlit.web.server.starlette.starlette_app_utils import decode_signed_value

    cookies = dict(cookie_pairs(raw_cookie))
    secret = get_cookie_secret()

    def single(name: str) -> bytes | None:
        value = cookies.get(name)
        if not value or not secret:
            return None
        return decode_signed_value(secret, name, value.encode("latin-1"))

    value = get_cookie_with_chunks(single, "_streamlit_user")
    try:
        claims = json.loads(value) if value else {}
    except (ValueError, UnicodeDecodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


def _upload_size_refusal(length: str) -> int:
    """411 without a length, 413 above the limit; Streamlit would otherwise read it all."""
    if not length.strip().isdigit():
        return 411
    limit = settings.get("upload_limit_mb") * _MB
    streamlit_limit = int(config.get_option("server.maxUploadSize")) * _MB
    return 413 if int(length) > min(limit, streamlit_limit) + _UPLOAD_SLACK else 0


async def _empty(send: Send, status: int) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-length", b"0"), (b"cache-control", b"no-store")],
        }
    )
    await send({"type": "http.response.body", "body": b""})
