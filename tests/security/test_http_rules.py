"""The HTTP door's rules without a server: sessions, cookies, media grants, proxy trust."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from http_guard import HttpGuard, _upload_size_refusal
from tryg_geo.http_rules import (
    FRONTEND_DANISH,
    MediaGrants,
    cookie_pairs,
    danish_script,
    harden_set_cookie,
    media_names,
    route_kind,
    session_key,
    strip_cookies,
)
from tryg_geo.store.sessions import SessionStore


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/", "open"),
        ("/tryg-bydel", "open"),
        ("/static/js/index.js", "open"),
        ("/_stcore/health", "open"),
        ("/_stcore/host-config", "open"),
        ("/auth/login", "open"),
        ("/oauth2callback", "login"),
        ("/auth/logout", "logout"),
        ("/_stcore/stream", "socket"),
        ("/media/abc.csv", "media"),
        ("/_stcore/upload_file/s/f", "upload"),
        ("/component/streamlit_folium.st_folium/index.html", "private"),
        ("/app/static/leaflet/leaflet.js", "private"),
        ("/_stcore/agent/interact", "closed"),
    ],
)
def test_route_kinds(path: str, kind: str) -> None:
    assert route_kind(path) == kind
    assert route_kind("/tryg" + path, "tryg/") == kind


def test_session_store_ends_sessions(tmp_path: Path) -> None:
    store = SessionStore(tmp_path, max_age=12 * 3600, idle=3600)
    store.start("k", now=0)
    assert store.check("k", now=10) == "ok"
    assert store.check("other", now=10) == "unknown"
    assert store.check("k", now=3600 + 11) == "idle"
    store.start("k2", now=0)
    for t in range(0, 13 * 3600, 1800):  # active every half hour, yet ends at 12 h
        verdict = store.check("k2", now=t)
    assert verdict == "expired"
    # A second replica (another object, same folder) sees a revocation at once.
    store.start("k3", now=0)
    replica = SessionStore(tmp_path, max_age=12 * 3600, idle=3600)
    assert replica.revoke("k3", now=5)
    assert store.check("k3", now=6) == "revoked"
    assert not replica.revoke("k3", now=7)


def test_session_key_and_stripping() -> None:
    pairs = cookie_pairs("a=1; _streamlit_user=x.y; _streamlit_user_tokens=t; _streamlit_xsrf=z")
    key = session_key(pairs)
    assert key and key == session_key([("_streamlit_user", "x.y")])
    assert key != session_key([("_streamlit_user", "x.z")])
    assert session_key([("_streamlit_user_tokens", "t")]) is None
    assert (
        strip_cookies("a=1; _streamlit_user=x; _streamlit_user__1=y; _streamlit_user_tokens=t; b=2")
        == "a=1; b=2"
    )


def test_cookie_hardening() -> None:
    user = "_streamlit_user=v; HttpOnly; Max-Age=2592000; Path=/; SameSite=lax"
    out = harden_set_cookie(user, secure=True, max_age=43200)
    assert "Max-Age=43200" in out and out.endswith("Secure") and "HttpOnly" in out
    assert "Secure" not in harden_set_cookie(user, secure=False, max_age=43200)
    gone = '_streamlit_user=""; Max-Age=0; Path=/'
    assert "Max-Age=0" in harden_set_cookie(gone, secure=False, max_age=43200)


def test_media_grants_are_per_sign_in_and_die_after_close() -> None:
    frame = b"\x1a-\n+/media/118d3af6d3c3d443a44ae505c9b03ecf.csv\x00"
    names = media_names(frame)
    assert names == {"118d3af6d3c3d443a44ae505c9b03ecf.csv"}
    grants = MediaGrants(grace=30)
    grants.open(1, "alice")
    grants.shown(1, names)
    (name,) = names
    assert grants.allows("alice", name, now=0)
    assert not grants.allows("bob", name, now=0)
    grants.close(1, now=100)
    assert grants.allows("alice", name, now=120)
    assert not grants.allows("alice", name, now=131)


async def _ok_app(scope, receive, send) -> None:
    headers = [(b"set-cookie", b"_streamlit_user=v; HttpOnly; Max-Age=2592000; Path=/")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"file"})


def _call(app, path: str, client: str = "127.0.0.1", headers=()) -> list[dict]:
    sent: list[dict] = []
    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "scheme": "http",
        "headers": list(headers),
        "client": (client, 5000),
        "query_string": b"",
    }

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    async def send(message: dict) -> None:
        sent.append(message)

    # A thread of its own: Playwright's sync API may hold this thread's event loop.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return sent


def test_lokal_tilstand_passes_everything_through() -> None:
    sent = _call(HttpGuard(_ok_app, mode=lambda: "local"), "/media/abc.csv")
    assert sent[0]["status"] == 200 and sent[1]["body"] == b"file"


def test_forwarded_proto_is_believed_from_the_trusted_proxy_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRYG_DATA_DIR", str(tmp_path))
    https = [(b"x-forwarded-proto", b"https")]
    for trusted, client, secure in (
        ("10.0.0.5", "127.0.0.1", False),  # a local user claiming HTTPS
        ("10.0.0.5", "10.0.0.5", True),  # the configured proxy
    ):
        guard = HttpGuard(_ok_app, mode=lambda: "auth")
        app = ProxyHeadersMiddleware(guard, trusted_hosts=trusted)
        sent = _call(app, "/", client=client, headers=https)
        (cookie,) = [v.decode() for k, v in sent[0]["headers"] if k == b"set-cookie"]
        assert ("Secure" in cookie) is secure, (trusted, client, cookie)
        assert "Max-Age=43200" in cookie
    anonymous = _call(HttpGuard(_ok_app, mode=lambda: "auth"), "/media/abc.csv")
    assert anonymous[0]["status"] == 401 and anonymous[1]["body"] == b""


def test_upload_size_is_judged_on_the_declared_length(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRYG_UPLOAD_LIMIT_MB", "50")
    assert _upload_size_refusal("") == 411  # no length: Streamlit would read until the end
    assert _upload_size_refusal(str(3 * 60 * 1024 * 1024)) == 413  # the 3 x 60 MB of the finding
    assert _upload_size_refusal(str(50 * 1024 * 1024)) == 0


def test_streamlits_frontend_words_are_served_in_danish() -> None:
    """The skip link before every page is Streamlit's own text in its built frontend; the
    scripts the dashboard serves (serve.py's DanishHtml) say it in Danish. Fails when a
    Streamlit upgrade changes the words, so FRONTEND_DANISH is brought up to date."""
    import json

    import streamlit

    scripts = Path(streamlit.__file__).parent / "static" / "static" / "js"
    bundles = [p.read_bytes() for p in scripts.glob("*.js")]
    for english in FRONTEND_DANISH:
        holding = [b for b in bundles if english in b]
        assert holding, f"{english!r} is no longer in Streamlit's static/js/*.js"
        for bundle in holding:
            danish = danish_script(bundle)
            assert english not in danish
            undone = danish
            for back, words in FRONTEND_DANISH.items():
                undone = undone.replace(words, back)
            assert undone == bundle  # nothing but the words changed
    # The escape is JavaScript's (and JSON's): it reads as the Danish words, and stays ASCII.
    assert json.loads(b'"' + FRONTEND_DANISH[b"Skip to main content"] + b'"') == (
        "Gå til hovedindhold"
    )
    assert FRONTEND_DANISH[b"Skip to main content"].isascii()
    assert danish_script(b"var a = 1;") == b"var a = 1;"
