"""Sign-in and roles in a real browser: the dashboard behind ``oidc-provider-mock``.

One identity provider (``oidc_provider_mock`` on a free 127.0.0.1 port, in this process) and
one dashboard (``serve.py`` with a secrets file whose ``[auth]`` points at it) serve the whole
module; every test opens its own browser context (own cookies) and signs in through the
provider's form. ``roles.toml`` in the data folder gives each test user a role:

=====================  ==============  =============================================
user (e-mail or sub)   role            what the test asserts
=====================  ==============  =============================================
(not signed in)        –               only "Log ind"; no data in page or websocket
fremmed@example.com    none            "Ingen adgang", own e-mail, "Log ud", no data
leder@aalborg.dk       leder           views and downloads; no Data page, no Importér
sub-analytiker-7 (sub) analytiker      Data page: status, rejected rows, import log
data@aalborg.dk        dataansvarlig   Importér works and is logged with the e-mail
=====================  ==============  =============================================

The attacks tried: a deep link to the Data page and forged query parameters before sign-in
and as ``leder``, a forged (unsigned) login cookie, and reading every websocket frame the
browser received for data strings (district names, "Demodata", the rejected value).
"""

from __future__ import annotations

import getpass
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from signin import (  # the shared sign-in harness (auth_store and idp via tests/conftest.py)
    ANALYST_SUB,
    BAD_VALUE,
    DATA,
    LEDER,
    ROLES_TOML,
    STRANGER,
    TIMEOUT_MS,
    UPLOAD,
    Session,
    free_port,
    signed_in_dashboard,
    write_secrets,
)

from tryg_geo.store.folder import Store

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]


# ---- fixtures ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def data_strings(auth_store: Path) -> list[str]:
    """Strings that only data can put on a page: district names, the demo mark, a raw value."""
    names = Store(auth_store).read("districts")["name"].astype(str).tolist()
    return [*names, "Demodata", BAD_VALUE]


@pytest.fixture(scope="module")
def auth_url(
    idp: str, auth_store: Path, tmp_path_factory: pytest.TempPathFactory, serve_dashboard
) -> Iterator[str]:
    """The real dashboard with sign-in on (log: ``test-artifacts/streamlit-auth.log``)."""
    folder = tmp_path_factory.mktemp("secrets")
    with signed_in_dashboard(serve_dashboard, auth_store, "auth", idp, folder) as url:
        yield url


@pytest.fixture()
def session(browser, auth_url: str) -> Iterator[Session]:
    with Session(browser, auth_url) as s:
        yield s


def assert_no_data(s: Session, data_strings: list[str], *, digits: bool = True) -> None:
    """No data string on screen or in any websocket frame; no digit on screen."""
    body = s.body()
    shown = [t for t in data_strings if t in body]
    sent = [t for t in data_strings if s.received(t)]
    assert not shown and not sent, f"data on screen {shown}, data sent over websocket {sent}"
    if digits:  # the roles-file messages name the data folder and a line number
        assert not re.search(r"\d", body), f"a number on a page without access: {body!r}"


def import_log(root: Path) -> list[dict]:
    lines = (root / "import_log.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


# ---- before sign-in ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    ["", "data-import", "tryg-bydel?omr=vejgaard&preset=custom", "data-import?rolle=dataansvarlig"],
)
def test_anonymous_gets_the_login_page_only(
    session: Session, path: str, data_strings: list[str], artifacts: Path
) -> None:
    session.open(path, "Log ind")
    buttons = session.page.get_by_role("button").all_inner_texts()
    assert [b.strip() for b in buttons if b.strip()] == ["Log ind"]
    assert session.nav_links(present=False) == []
    assert "Importér" not in session.body()
    assert_no_data(session, data_strings)
    if path == "":
        session.page.screenshot(path=str(artifacts / "auth-login.png"))


def test_forged_login_cookie_is_ignored(
    session: Session, auth_url: str, data_strings: list[str]
) -> None:
    forged = json.dumps({"email": DATA, "is_logged_in": True, "origin": auth_url})
    session.context.add_cookies([{"name": "_streamlit_user", "value": forged, "url": auth_url}])
    session.open("data-import", "Log ind")
    assert "Importér" not in session.body()
    assert_no_data(session, data_strings)


# ---- signed in ---------------------------------------------------------------------------------
def test_no_role_sees_ingen_adgang_and_nothing_else(
    session: Session, data_strings: list[str], artifacts: Path
) -> None:
    session.sign_in(STRANGER)
    session.page.get_by_text("Ingen adgang").first.wait_for(timeout=TIMEOUT_MS)
    session.page.wait_for_timeout(500)
    assert STRANGER in session.body()
    assert session.page.get_by_role("button", name="Log ud").count() == 1
    assert session.nav_links(present=False) == []
    assert_no_data(session, data_strings)
    session.page.screenshot(path=str(artifacts / "auth-ingen-adgang.png"))
    session.open("data-import", "Ingen adgang")
    assert_no_data(session, data_strings)


def test_leder_sees_views_but_no_data_page(session: Session, data_strings: list[str]) -> None:
    session.sign_in(LEDER)
    session.open("tryg-bydel", "Logget ind som")
    session.page.get_by_role("button", name="Hent CSV").first.wait_for(timeout=TIMEOUT_MS)
    assert f"Logget ind som {LEDER}" in session.body()
    assert "Data" not in session.nav_links()
    assert {"Overblik", "Tryg bydel", "Natteliv"} <= set(session.nav_links())
    # Positive control for the leak checks: a signed-in leder does receive data.
    assert any(session.received(t) for t in data_strings[:-2])
    # The Data page opened directly is not built for a leder, whatever the URL says.
    for path in ("data-import", "data-import?rolle=dataansvarlig&embed=true"):
        session.open(path, "Logget ind som")
        body = session.body()
        assert "Importér" not in body and "Indlæst nu" not in body
        assert not session.received(BAD_VALUE)
        assert session.page.get_by_text("Hent afviste rækker").count() == 0


def test_analytiker_by_sub_sees_status_rejected_rows_and_log(session: Session) -> None:
    session.sign_in(ANALYST_SUB)
    assert f"Logget ind som {ANALYST_SUB} · Analytiker" in session.body()
    assert "Data" in session.nav_links()
    session.open("data-import", "Indlæst nu")
    session.page.get_by_role("button", name=re.compile("Hent afviste rækker")).first.wait_for(
        timeout=TIMEOUT_MS
    )
    body = session.body()
    assert "Importlog" in body
    assert "Importér" not in body
    assert session.page.get_by_role("button", name=re.compile("Rul tilbage")).count() == 0


def test_dataansvarlig_imports_and_is_in_the_log(
    session: Session, auth_store: Path, tmp_path: Path, artifacts: Path
) -> None:
    session.sign_in(DATA)
    session.open("data-import", "Indlæst nu")
    upload = tmp_path / "tryghed_2025.csv"
    upload.write_text(UPLOAD, encoding="utf-8")
    session.page.locator('[data-testid="stSelectbox"]').first.click()
    session.page.get_by_role("option", name="Målinger").click()
    session.page.locator('input[type="file"]').first.set_input_files(str(upload))
    session.page.get_by_text(upload.name).first.wait_for(timeout=TIMEOUT_MS)  # uploaded
    go = session.page.get_by_role("button", name="Importér", exact=True)
    go.wait_for(timeout=TIMEOUT_MS)  # after the preview, the columns and the dry run
    go.click()
    try:
        session.page.get_by_text("er gemt og bruges nu").first.wait_for(timeout=TIMEOUT_MS)
    finally:
        session.page.screenshot(path=str(artifacts / "auth-import.png"), full_page=True)
    last = import_log(auth_store)[-1]
    assert last["who"] == DATA and last["via"] == "dashboard"
    assert last["file"] == "tryghed_2025.csv" and last["accepted"] == 1
    session.open("data-import", "Importlog")
    assert DATA in session.body()


def test_cli_import_is_logged_with_the_os_user(auth_store: Path) -> None:
    (cli,) = [e for e in import_log(auth_store) if e["file"] == "maalinger.csv"]
    assert cli["via"] == "kommandolinje" and cli["who"] == getpass.getuser()
    assert cli["rejected"] == 1 and cli["accepted"] == 1 and cli["action"] == "import"


def test_sign_out_returns_to_the_login_page(session: Session, data_strings: list[str]) -> None:
    session.sign_in(LEDER)
    session.page.get_by_role("button", name="Log ud").click()
    # The provider's end-session form, then back to the dashboard.
    session.page.get_by_role("button", name="End session").click(timeout=TIMEOUT_MS)
    session.page.get_by_role("button", name="Log ind", exact=True).wait_for(timeout=TIMEOUT_MS)
    session.frames.clear()
    session.open("tryg-bydel", "Log ind")
    assert_no_data(session, data_strings)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # The details (file, line, the data folder's path) go to the server's log only:
        # tests/security/test_http_door.py checks that nothing more reaches the page.
        (None, "rollefilen ikke kan bruges"),
        ('[users]\n"leder@aalborg.dk" = leder\n', "rollefilen ikke kan bruges"),
        ('[users]\n"leder@aalborg.dk" = "chef"\n', "rollefilen ikke kan bruges"),
    ],
)
def test_missing_or_broken_roles_file_gives_no_one_access(
    session: Session, auth_store: Path, data_strings: list[str], content: str | None, message: str
) -> None:
    path = auth_store / "roles.toml"
    try:
        if content is None:
            path.unlink()
        else:
            path.write_text(content, encoding="utf-8")
        session.sign_in(LEDER)
        session.page.get_by_text("Ingen adgang").first.wait_for(timeout=TIMEOUT_MS)
        session.page.get_by_text(message).first.wait_for(timeout=TIMEOUT_MS)
        assert session.nav_links(present=False) == []
        assert_no_data(session, data_strings, digits=False)
    finally:
        path.write_text(ROLES_TOML, encoding="utf-8")


# ---- start-up refusals (no browser) -----------------------------------------------------------
def _start(
    args: list[str], data: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "serve.py"), "--server.headless", "true", *args],
        cwd=REPO,
        env={**os.environ, "TRYG_DATA_DIR": str(data), **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_open_address_without_auth_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "secrets.toml"
    empty.write_text("", encoding="utf-8")
    done = _start(
        [
            "--server.address",
            "0.0.0.0",
            "--server.port",
            str(free_port()),
            "--secrets.files",
            str(empty),
        ],
        tmp_path,
        {"TRYG_ALLOW_OPEN": ""},
    )
    assert done.returncode == 2
    assert (
        "Tryg Geo starter ikke uden login, når serveren lytter på adressen 0.0.0.0" in done.stderr
    )
    assert "TRYG_ALLOW_OPEN=1" in done.stderr


def test_short_cookie_secret_is_refused(tmp_path: Path) -> None:
    port = free_port()
    secrets = write_secrets(tmp_path / "secrets.toml", "http://localhost:1", port)
    text = re.sub(r'cookie_secret = ".*"', 'cookie_secret = "kort"', secrets.read_text("utf-8"))
    assert 'cookie_secret = "kort"' in text
    secrets.write_text(text, encoding="utf-8")
    done = _start(
        [
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--secrets.files",
            str(secrets),
        ],
        tmp_path,
    )
    assert done.returncode == 2
    assert "cookie_secret i [auth] i .streamlit/secrets.toml er for kort (4 tegn)" in done.stderr
