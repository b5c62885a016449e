"""One local SMTP relay (aiosmtpd on 127.0.0.1) for the digest and alert tests, and helpers."""

from __future__ import annotations

import email
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from tryg_geo.notify.smtp import SmtpSettings

#: An address the relay refuses (RCPT TO answered 550), to test a failed send.
REFUSED = "afvist@aalborg.dk"


@dataclass
class Relay:
    """The relay's address and what it received: (envelope recipients, parsed message)."""

    host: str
    port: int
    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    def settings(self) -> SmtpSettings:
        return SmtpSettings(self.host, self.port, "none", "Tryg Geo <tryggeo@aalborg.dk>")

    def secrets(self) -> str:
        return (
            f'[smtp]\nhost = "{self.host}"\nport = {self.port}\nsecurity = "none"\n'
            'from = "Tryg Geo <tryggeo@aalborg.dk>"\n'
        )


class _Handler:
    def __init__(self, relay: Relay) -> None:
        self.relay = relay

    async def handle_RCPT(self, server, session, envelope: Envelope, address: str, options):
        if address == REFUSED:
            return "550 5.1.1 Ukendt modtager"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope: Envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=default)
        self.relay.received.append((list(envelope.rcpt_tos), message))
        return "250 Modtaget"


@pytest.fixture(scope="session")
def relay() -> Iterator[Relay]:
    """The local relay, started once per test session."""
    with socket.socket() as probe:  # a free port (aiosmtpd's own check needs a real one)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    relay = Relay("127.0.0.1", port)
    controller = Controller(_Handler(relay), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield relay
    finally:
        controller.stop()


@pytest.fixture()
def data(tmp_path: Path, demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the shared demo data folder (small: a few hundred kB), as the
    data folder; the working directory is a fresh folder (its .streamlit/secrets.toml)."""
    folder = tmp_path / "data"
    shutil.copytree(demo_dir, folder)
    monkeypatch.setenv("TRYG_DATA_DIR", str(folder))
    monkeypatch.setenv("TRYG_BASE_URL", "https://tryggeo.aalborg.dk")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return folder


def write_secrets(relay: Relay) -> None:
    """``.streamlit/secrets.toml`` in the working directory, with the relay's [smtp]."""
    Path(".streamlit").mkdir(exist_ok=True)
    Path(".streamlit/secrets.toml").write_text(relay.secrets(), encoding="utf-8")
