"""The sign-in harness the browser tests share: test users, the identity provider
(``oidc-provider-mock``), a data folder with ``roles.toml``, the secrets file, and
:class:`Session` (one browser context that records every websocket frame it receives).

``auth_store`` and ``idp`` are fixtures; ``tests/conftest.py`` makes them available to every
module (each module gets its own, as they are module-scoped).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tryg_geo.demo.make import make_demo
from tryg_geo.store.folder import Store

REPO = Path(__file__).resolve().parents[1]

TIMEOUT_MS = 30_000
LEDER = "leder@aalborg.dk"
DATA = "data@aalborg.dk"
STRANGER = "fremmed@example.com"
ANALYST_SUB = "sub-analytiker-7"  # no e-mail claim: the role comes from the sub
ROLES_TOML = f"""
[users]
"{LEDER}" = "leder"
"{ANALYST_SUB}" = "analytiker"
"{DATA}" = "dataansvarlig"
"""
BAD_VALUE = "mange-hemmelige"  # the rejected raw value: only analytiker+ may see it
MEASUREMENTS = (
    "område;periode;indikator;værdi;n\n"
    "kommune;2024;tryg_andel;87,5;214\n"
    f"kommune;2023;tryg_andel;{BAD_VALUE};200\n"
)
UPLOAD = "område;periode;indikator;værdi;n\nkommune;2025;tryg_andel;88,0;230\n"


# ---- helpers and fixtures --------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def auth_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Small demo data, ``roles.toml``, and one CLI import with a rejected row."""
    root = tmp_path_factory.mktemp("auth-store")
    make_demo(Store(root), incidents=2_000, seed=7)
    (root / "roles.toml").write_text(ROLES_TOML, encoding="utf-8")
    csv = root.parent / "maalinger.csv"
    csv.write_text(MEASUREMENTS, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "tryg_geo", "import", "measurements", str(csv)],
        cwd=REPO,
        env={**os.environ, "TRYG_DATA_DIR": str(root)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return root


@pytest.fixture(scope="module")
def idp() -> Iterator[str]:
    from oidc_provider_mock import User, run_server_in_thread

    users = [
        User(sub=LEDER, claims={"email": LEDER, "email_verified": True}),
        User(sub=DATA, claims={"email": DATA, "email_verified": True}),
        User(sub=STRANGER, claims={"email": STRANGER, "email_verified": True}),
        User(sub=ANALYST_SUB, claims={"name": "Analytiker uden e-mail"}),
    ]
    with run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@contextmanager
def signed_in_dashboard(
    serve_dashboard, data: Path, name: str, idp: str, folder: Path
) -> Iterator[str]:
    """The real dashboard over ``data`` with sign-in on through ``idp`` (log:
    ``test-artifacts/streamlit-<name>.log``); its secrets file is written in ``folder``."""
    port = free_port()
    secrets = write_secrets(folder / "secrets.toml", idp, port)
    with serve_dashboard(data, name, port=port, secrets=secrets) as url:
        yield url


def write_secrets(path: Path, idp: str, port: int) -> Path:
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "q5Xv0-Rz8Lm2Tb7Wc4Ny9Hd1Kf6Jp3Gs_Ae0Uo5Vi8Ew"\n'
        'client_id = "tryg-geo"\n'
        'client_secret = "test-secret"\n'
        f'server_metadata_url = "{idp}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return path


class Session:
    """One browser context: its page and every websocket frame the browser received."""

    def __init__(self, browser, url: str) -> None:
        self.url = url
        self.context = browser.new_context(viewport={"width": 1280, "height": 1000})
        self.page = self.context.new_page()
        self.frames: list[bytes] = []
        self.page.on("websocket", self._watch)

    def _watch(self, ws) -> None:
        def keep(payload: bytes | str) -> None:
            self.frames.append(payload if isinstance(payload, bytes) else payload.encode())

        ws.on("framereceived", keep)

    def received(self, text: str) -> bool:
        needle = text.encode("utf-8")
        return any(needle in frame for frame in self.frames)

    def body(self) -> str:
        return self.page.inner_text("body")

    def sign_in(self, button: str) -> None:
        """Press "Log ind", choose ``button`` (the user's sub) on the provider's form."""
        self.page.goto(self.url)
        self.page.get_by_role("button", name="Log ind", exact=True).click(timeout=TIMEOUT_MS)
        self.page.wait_for_url(re.compile(r".*/oauth2/authorize.*"), timeout=TIMEOUT_MS)
        self.page.get_by_role("button", name=button, exact=True).click()
        self.page.wait_for_url(f"{self.url}/**", timeout=TIMEOUT_MS)
        self.page.get_by_text(re.compile("Logget ind som|Ingen adgang")).first.wait_for(
            timeout=TIMEOUT_MS
        )

    def open(self, path: str, wait_for: str) -> None:
        self.page.goto(f"{self.url}/{path}")
        self.page.get_by_text(wait_for).first.wait_for(timeout=TIMEOUT_MS)
        self.page.wait_for_timeout(500)  # let the last deltas of the run arrive

    def nav_links(self, *, present: bool = True) -> list[str]:
        """The sidebar's page links; with ``present`` (a signed-in page has them) it waits for
        the first to be drawn: the sidebar's navigation comes after the page's own text."""
        links = self.page.locator('[data-testid="stSidebarNav"] a')
        if present:
            links.first.wait_for(timeout=30_000)
        return [t.strip() for t in links.all_inner_texts()]

    def close(self) -> None:
        self.context.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
