"""Attacks on the running dashboard's HTTP door, as a stranger with raw HTTP and copied cookies.

One dashboard (``serve.py`` with sign-in on, behind ``oidc-provider-mock``) serves the module;
it trusts ``X-Forwarded-Proto`` from 127.0.0.1 (``TRYG_TRUSTED_PROXY``), as it would behind the
kommune's HTTPS proxy on the same machine. People sign in through Chromium exactly as in
``tests/browser/test_auth.py``; the attacks are then plain ``urllib`` requests.

Each test replays a finding of the security round (issue 19) that got through on the main
branch before ``http_guard.py``:

==========================================  =============================  ===================
attack                                      main before                    now
==========================================  =============================  ===================
``/media/<id>`` of a real download, no      200 and the CSV                401, empty
cookie
the same URL with another person's cookie   200                            404, empty
a copied login cookie after "Log ud"        every page for 30 days         login page; 401
a login cookie past its maximum age         opens everything               login page; 401
an upload without sign-in (xsrf + session   accepted, held in memory       401, body unread
id of the login page)
an upload by a ``leder``                    accepted                       403
(an upload above the limit, or without a    –                              413 / 411, unread:
length: ``test_http_rules.py``)
a broken ``roles.toml``, signed in without  data folder path and another   one generic line
a role                                      person's e-mail
cookies over an HTTPS-forwarded request     no ``Secure``, 30 days         ``Secure``, 12 h
==========================================  =============================  ===================
"""

from __future__ import annotations

import re
import sqlite3
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from signin import (  # the shared sign-in harness (auth_store and idp via tests/conftest.py)
    DATA,
    LEDER,
    ROLES_TOML,
    STRANGER,
    TIMEOUT_MS,
    Session,
    signed_in_dashboard,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def door(
    idp: str, auth_store: Path, tmp_path_factory: pytest.TempPathFactory, serve_dashboard
) -> Iterator[str]:
    """The real dashboard with sign-in on; X-Forwarded-Proto believed from 127.0.0.1."""
    folder = tmp_path_factory.mktemp("door")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRYG_TRUSTED_PROXY", "127.0.0.1")
        with signed_in_dashboard(serve_dashboard, auth_store, "security", idp, folder) as url:
            yield url


@pytest.fixture()
def person(browser, door: str) -> Iterator[Session]:
    with Session(browser, door) as s:
        yield s


@pytest.fixture()
def other(browser, door: str) -> Iterator[Session]:
    with Session(browser, door) as s:
        yield s


def cookie_header(s: Session) -> str:
    return "; ".join(f"{c['name']}={c['value']}" for c in s.context.cookies())


def fetch(url: str, cookie: str | None = None, **kw) -> tuple[int, bytes]:
    """GET (or ``method=``/``data=``) ``url`` with only the given cookie; status and body."""
    headers = dict(kw.pop("headers", {}))
    if cookie:
        headers["Cookie"] = cookie
    req = urllib.request.Request(url, headers=headers, **kw)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def download_url(s: Session) -> str:
    """Sign-in is done: press "Hent CSV" on Tryg bydel and return the file's URL."""
    s.open("tryg-bydel", "Logget ind som")
    button = s.page.get_by_role("button", name="Hent CSV").first
    button.wait_for(timeout=TIMEOUT_MS)
    with s.page.expect_download(timeout=TIMEOUT_MS) as info:
        button.click()
    url = info.value.url
    assert "/media/" in url, url
    return url


def log_out(s: Session) -> None:
    s.page.get_by_role("button", name="Log ud").click()
    s.page.get_by_role("button", name="End session").click(timeout=TIMEOUT_MS)
    s.page.get_by_role("button", name="Log ind", exact=True).wait_for(timeout=TIMEOUT_MS)


def assert_login_page_only(s: Session, path: str = "tryg-bydel") -> None:
    s.frames.clear()
    s.open(path, "Log ind")
    body = s.body()
    assert "Logget ind som" not in body and "Hent CSV" not in body
    assert not s.received("Demodata")


# ---- finding 1: files without sign-in ---------------------------------------------------------
def test_media_url_opens_only_for_the_session_that_was_shown_it(
    person: Session, other: Session
) -> None:
    person.sign_in(LEDER)
    url = download_url(person)
    status, body = fetch(url, cookie_header(person))
    assert status == 200 and body, "positive control: the owner's own cookie gets the file"

    assert fetch(url) == (401, b""), "a media URL answered a request without any cookie"
    other.sign_in(DATA)  # a signed-in person of a higher role, never shown this URL
    assert fetch(url, cookie_header(other)) == (404, b"")
    # Only the login cookie counts: Streamlit's xsrf/session cookies alone open nothing.
    loose = "; ".join(
        f"{c['name']}={c['value']}"
        for c in person.context.cookies()
        if not c["name"].startswith("_streamlit_user")
    )
    assert fetch(url, loose) == (401, b"")
    name = url.rsplit("/", 1)[1].split("?")[0]
    guessed = url.replace(name, "0" * 32 + ".csv")
    assert fetch(guessed, cookie_header(person)) == (404, b"")


def test_component_frames_and_static_files_need_a_sign_in(person: Session, door: str) -> None:
    for path in ("app/static/leaflet/leaflet.js", "_stcore/metrics", "_stcore/agent/openapi.json"):
        status, body = fetch(f"{door}/{path}")
        assert status in (401, 404) and body == b"", path
    # What the login page itself needs stays open.
    assert fetch(f"{door}/_stcore/health")[0] == 200
    assert fetch(f"{door}/_stcore/host-config")[0] == 200
    assert fetch(f"{door}/")[0] == 200


# ---- finding 2: Log ud does not log out ------------------------------------------------------
def test_copied_cookie_after_log_ud_opens_nothing(person: Session, browser, door: str) -> None:
    person.sign_in(LEDER)
    url = download_url(person)
    copied = [c for c in person.context.cookies() if c["name"].startswith("_streamlit_user")]
    copied_header = "; ".join(f"{c['name']}={c['value']}" for c in copied)
    assert fetch(url, copied_header)[0] == 200  # positive control before Log ud

    log_out(person)
    thief = Session(browser, door)
    try:
        thief.context.add_cookies(copied)
        assert_login_page_only(thief)
        assert_login_page_only(thief, "data-import")
    finally:
        thief.close()
    assert fetch(url, copied_header) == (401, b"")


def test_cookie_past_its_maximum_age_opens_nothing(person: Session, auth_store: Path) -> None:
    person.sign_in(LEDER)
    url = download_url(person)
    cookie = cookie_header(person)
    assert fetch(url, cookie)[0] == 200
    with sqlite3.connect(auth_store / ".sessions.sqlite") as con:  # 13 h ago (max 12 h)
        con.execute("UPDATE sessions SET started = started - 13 * 3600")
    assert fetch(url, cookie) == (401, b"")
    assert_login_page_only(person)


def test_login_cookie_has_safe_flags_over_https(browser, door: str) -> None:
    s = Session(browser, door)
    callbacks: list[list[dict]] = []

    def watch(response) -> None:
        if "/oauth2callback" in response.url:
            callbacks.append(response.headers_array())

    s.context.set_extra_http_headers({"X-Forwarded-Proto": "https"})
    s.page.on("response", watch)
    try:
        s.page.goto(door)
        s.page.get_by_role("button", name="Log ind", exact=True).click(timeout=TIMEOUT_MS)
        s.page.get_by_role("button", name=LEDER, exact=True).click(timeout=TIMEOUT_MS)
        s.page.wait_for_url(f"{door}/**", timeout=TIMEOUT_MS)
    finally:
        s.close()
    cookies = [h["value"] for h in callbacks[0] if h["name"].lower() == "set-cookie"]
    user = [c for c in cookies if re.match(r"_streamlit_user=[^;]", c)]
    assert user, cookies
    flags = [p.strip().lower() for p in user[0].split(";")[1:]]
    assert "secure" in flags and "httponly" in flags and "samesite=lax" in flags, flags
    (max_age,) = [int(f.split("=")[1]) for f in flags if f.startswith("max-age=")]
    assert 0 < max_age <= 12 * 3600
    assert all("secure" in c.lower() for c in cookies), cookies


def test_plain_http_gets_no_secure_flag_but_the_short_lifetime(door: str) -> None:
    status, _ = fetch(f"{door}/auth/logout")  # a redirect that deletes cookies
    assert status in (200, 302, 303, 307)
    req = urllib.request.Request(f"{door}/auth/login?provider=x")
    opener = urllib.request.build_opener(_NoRedirect())
    try:
        resp = opener.open(req, timeout=30)
        headers = resp.headers.get_all("set-cookie") or []
    except urllib.error.HTTPError as err:
        headers = err.headers.get_all("set-cookie") or []
    assert all("secure" not in h.lower() for h in headers), headers


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: D102 - keep the 30x as it is
        return None


# ---- finding 6: before sign-in ---------------------------------------------------------------
def _multipart(size: int) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="maalinger.csv"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        + b"x" * size
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _upload(door: str, s: Session, size: int = 32 * 1024) -> tuple[int, bytes]:
    """PUT a file as the browser's uploader would, with the browser's xsrf token and session
    id, but only the cookies of ``s``."""
    session_ids = {
        m.decode()
        for frame in s.frames
        for m in re.findall(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", frame)
    }
    assert session_ids, "no Streamlit session id in the websocket frames"
    cookies = {c["name"]: c["value"] for c in s.context.cookies()}
    xsrf = cookies.get("_streamlit_xsrf", "")
    body, ctype = _multipart(size)
    results = [
        fetch(
            f"{door}/_stcore/upload_file/{sid}/{uuid.uuid4()}",
            cookie_header(s),
            method="PUT",
            data=body,
            headers={"Content-Type": ctype, "X-Xsrftoken": xsrf},
        )
        for sid in sorted(session_ids)
    ]
    accepted = [r for r in results if r[0] == 204]
    return accepted[0] if accepted else results[0]


def test_anonymous_upload_is_refused_unread(person: Session, door: str) -> None:
    person.open("", "Log ind")  # the login page: an xsrf cookie and a live session
    assert _upload(door, person) == (401, b"")


def test_leder_may_not_upload(person: Session, door: str) -> None:
    person.sign_in(LEDER)
    person.page.wait_for_timeout(500)
    assert _upload(door, person) == (403, b"")


@pytest.mark.parametrize(
    "content",
    [None, f'[users]\n"{LEDER}" = "chef"\n', f'[users]\n"{LEDER}" = leder\n'],
    ids=["missing", "unknown-role", "syntax"],
)
def test_broken_roles_file_shows_no_path_or_email(
    person: Session, auth_store: Path, artifacts: Path, content: str | None
) -> None:
    path = auth_store / "roles.toml"
    try:
        if content is None:
            path.unlink()
        else:
            path.write_text(content, encoding="utf-8")
        person.sign_in(STRANGER)
        person.page.get_by_text("Ingen adgang").first.wait_for(timeout=TIMEOUT_MS)
        person.page.wait_for_timeout(500)
        body = person.body()
        assert LEDER not in body and str(auth_store) not in body and "roles.toml" not in body
        assert not person.received(LEDER) and not person.received(str(auth_store))
        assert "serverens log" in body
        log = (artifacts / "streamlit-security.log").read_text(encoding="utf-8", errors="replace")
        assert "Rollefilen" in log  # the details are for the operator, in the server's log
    finally:
        path.write_text(ROLES_TOML, encoding="utf-8")
