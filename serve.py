"""Start the dashboard: ``python serve.py [streamlit options]`` (``make dashboard`` does this).

Streamlit treats a folder named ``pages/`` beside the entry script as an old-style multipage
app until the entry script has called ``st.navigation`` once in the server's life. The first
visitor after a restart who opens a deep link (``/tryg-bydel?…``) would then get a "page not
found" notice and the wrong page list. Our ``pages/`` holds ``st.navigation`` pages only, so we
say so before the server starts.

Before the server listens, sign-in is checked once Streamlit has read its configuration
(``.streamlit/config.toml``, ``STREAMLIT_*`` variables and the options given here): without an
``[auth]`` section only a loopback address is allowed (Lokal tilstand) unless
``TRYG_ALLOW_OPEN=1``; a broken ``[auth]`` (no or a short ``cookie_secret``, missing keys, a
``redirect_uri`` not ending in ``/oauth2callback``) or an unreadable secrets file stops the
start with a Danish sentence and exit code 2. ``dashboard.py`` repeats the check on every run.

Every word of the dashboard is Danish, but Streamlit's ``index.html`` (and the map component's)
says ``<html lang="en">``, so screen readers would read Danish with English rules. The server is
therefore started as an ``st.App`` (Streamlit's ASGI entry point, run by ``streamlit run`` on
this file) with one middleware, :class:`DanishHtml`, that serves every HTML page with
``lang="da"``: from the first byte, before any script runs, for the page and the map frame alike.
The same middleware serves Streamlit's scripts with Danish for the few English words its
built frontend shows every visitor (the skip link "Skip to main content" becomes "Gå til
hovedindhold"; the words are ``tryg_geo.http_rules.FRONTEND_DANISH``): Streamlit has no
setting for them, and a script patched on the server is Danish from the first render.
The sign-in check runs before either way of starting (``bootstrap.run`` and
``bootstrap.run_asgi_app``).
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit import config
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import bootstrap, cli

from http_guard import HttpGuard, configure_proxy_trust
from readiness import Readiness
from tryg_geo import AccessError, access, settings
from tryg_geo.http_rules import danish_script

HERE = Path(__file__).resolve().parent
ENGLISH = b'<html lang="en"'
DANISH = b'<html lang="da"'

PagesManager.uses_pages_directory = False
MODE_NOTES = {
    "auth": "Tryg Geo: login er slået til (OpenID Connect); roller fra roles.toml i datamappen.",
    "local": "Tryg Geo: Lokal tilstand – ingen login, kun på denne maskine.",
    "open": "Tryg Geo: ADVARSEL – åben tilstand uden login (TRYG_ALLOW_OPEN=1).",
}


def check_access() -> access.Mode:
    """The mode to start in, from the configuration Streamlit has loaded.

    Raises
    ------
    AccessError
        When the dashboard must not start (see :func:`tryg_geo.access.decide_mode`).
    """
    secrets = access.read_secret_files(config.get_option("secrets.files"))
    mode = access.decide_mode(
        secrets.get("auth"), config.get_option("server.address"), access.allow_open()
    )
    if mode == "auth":  # a broken roles.toml (e.g. keys differing only in case) stops the start
        access.check_roles_file(settings.data_dir())
    return mode


def _checked(run: Callable[..., None]) -> Callable[..., None]:
    def run_checked(*args: Any, **kwargs: Any) -> None:
        try:
            mode = check_access()
        except AccessError as exc:
            print(exc, file=sys.stderr)
            sys.exit(exc.exit_code)
        print(MODE_NOTES[mode], file=sys.stderr)
        configure_proxy_trust()
        run(*args, **kwargs)

    return run_checked


# Streamlit's CLI reads the configuration, then calls bootstrap.run (a plain script) or
# bootstrap.run_asgi_app (an st.App such as this file's): check in between.
if not getattr(bootstrap.run_asgi_app, "_tryg_checked", False):
    bootstrap.run = _checked(bootstrap.run)
    bootstrap.run_asgi_app = _checked(bootstrap.run_asgi_app)
    bootstrap.run_asgi_app._tryg_checked = True  # type: ignore[attr-defined]


class DanishHtml:
    """ASGI middleware: ``<html lang="en"`` → ``<html lang="da"`` in every HTML response, and
    Streamlit's English frontend words in Danish in every script (:func:`danish_script`).

    Only ``text/html`` responses (Streamlit's own index and component pages, a few kB) and
    whole (200) JavaScript responses are touched. A gzipped one (Streamlit compresses the page
    it serves for a deep link) is unpacked and sent uncompressed. The length header is
    recomputed and the validators (``etag``, ``last-modified``) are dropped, so a browser
    never keeps an English copy it cached before.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: dict = {}
        chunks: list[bytes] = []

        async def send_danish(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower(): v for k, v in message.get("headers") or []}
                if _rewrite(message, names.get(b"content-type", b"")) is None:
                    await send(message)
                    return
                start.update(message)  # held back until the whole body is here
                return
            if message["type"] != "http.response.body" or not start:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await send_html(start, b"".join(chunks), send)

        await self.app(scope, receive, send_danish)


def _html_in_danish(body: bytes) -> bytes:
    return body.replace(ENGLISH, DANISH, 1)


def _rewrite(start: Message, content_type: bytes) -> Callable[[bytes], bytes] | None:
    """How a response is put into Danish (None: sent as it is)."""
    if content_type.startswith(b"text/html"):
        return _html_in_danish
    # A part of a script (206) cannot be rewritten alone; Streamlit serves whole ones.
    if b"javascript" in content_type and start.get("status", 200) == 200:
        return danish_script
    return None


async def send_html(start: Message, body: bytes, send: Send) -> None:
    """Send an HTML page or a script whole, uncompressed and in Danish."""
    headers = list(start.get("headers") or [])
    encoding = {k.lower(): v for k, v in headers}.get(b"content-encoding", b"").lower()
    if encoding == b"gzip":
        body = gzip.decompress(body)
    elif encoding not in (b"", b"identity"):  # an encoding we cannot undo: leave it as it is
        await send(start)
        await send({"type": "http.response.body", "body": body})
        return
    names = {k.lower(): v for k, v in headers}
    rewrite = _rewrite(start, names.get(b"content-type", b"")) or _html_in_danish
    body = rewrite(body)
    dropped = (b"content-length", b"content-encoding", b"etag", b"last-modified")
    headers = [(k, v) for k, v in headers if k.lower() not in dropped]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# HttpGuard first: it decides who may reach anything (http_guard.py, README "Sikkerhed").
app = st.App(
    HERE / "dashboard.py",
    middleware=[
        Middleware(HttpGuard, mode=check_access),
        Middleware(DanishHtml),
        Middleware(Readiness),  # health 503 until warmed up (readiness.py)
    ],
)

if __name__ == "__main__":
    sys.argv = ["streamlit", "run", str(HERE / "serve.py"), *sys.argv[1:]]
    sys.exit(cli.main())
