"""Finding 4 of issue 19: roles were given too easily. Each test replays one way in."""

from __future__ import annotations

import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tryg_geo import access
from tryg_geo.access import AccessError

ROOT = Path(__file__).resolve().parents[2]
ROLES = access.parse_roles(
    '[users]\n"data@politi.dk" = "dataansvarlig"\n"sub-7" = "analytiker"\n'
    '[domains]\n"aalborg.dk" = "leder"\n'
)
AUTH = {
    "redirect_uri": "https://tryggeo.aalborg.dk/oauth2callback",
    "client_id": "tryg-geo",
    "client_secret": "hemmelig",
    "server_metadata_url": "https://login.aalborg.dk/.well-known/openid-configuration",
}


def test_a_sub_that_equals_a_listed_address_gets_no_role() -> None:
    # The provider lets a user pick a sub (or another tenant's sub) equal to a listed e-mail.
    assert access.resolve_role({"sub": "data@politi.dk"}, ROLES) is None
    assert access.resolve_role({"sub": "DATA@politi.dk", "email_verified": True}, ROLES) is None
    # A sub key without @ still works for providers that send no e-mail.
    assert access.resolve_role({"sub": "sub-7"}, ROLES) == "analytiker"


@pytest.mark.parametrize("verified", [False, 0, None, "false", "true", 1, "1", "yes", [True]])
def test_email_verified_must_be_exactly_true(verified: object) -> None:
    claims = {"email": "data@politi.dk", "email_verified": verified, "sub": "x"}
    assert access.resolve_role(claims, ROLES) is None
    assert access.resolve_role(claims, ROLES, claim_not_sent=True) is None  # sent: must be true
    assert access.identity(claims) == "x"  # the audit log names the sub, not the claimed e-mail


def test_verified_true_gives_the_role() -> None:
    claims = {"email": "Data@Politi.dk", "email_verified": True}
    assert access.resolve_role(claims, ROLES) == "dataansvarlig"


def test_a_missing_claim_counts_only_when_the_setting_says_the_provider_never_sends_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    claims = {"email": "data@politi.dk", "sub": "x"}
    monkeypatch.delenv("TRYG_EMAIL_VERIFIED", raising=False)
    assert access.resolve_role(claims, ROLES) is None
    monkeypatch.setenv("TRYG_EMAIL_VERIFIED", "not-sent")
    assert access.resolve_role(claims, ROLES) == "dataansvarlig"
    monkeypatch.setenv("TRYG_EMAIL_VERIFIED", "maybe")
    with pytest.raises(AccessError, match=r"TRYG_EMAIL_VERIFIED='maybe' er ikke tilladt"):
        access.resolve_role(claims, ROLES)


def test_keys_differing_only_in_case_are_refused_naming_both_lines() -> None:
    text = (
        "[users]\n"
        '"leder@aalborg.dk" = "leder"\n'
        '"ana@aalborg.dk" = "analytiker"\n'
        '"Leder@Aalborg.dk" = "dataansvarlig"\n'
    )
    with pytest.raises(AccessError) as caught:
        access.parse_roles(text)
    message = str(caught.value)
    assert 'linje 2 ("leder@aalborg.dk" = "leder")' in message
    assert 'linje 4 ("Leder@Aalborg.dk" = "dataansvarlig")' in message
    assert "store og små bogstaver" in message and "Ingen har adgang" in message


def test_domain_duplicates_and_the_start_check(tmp_path: Path) -> None:
    (tmp_path / "roles.toml").write_text(
        '[domains]\n"aalborg.dk" = "leder"\n"AALBORG.DK" = "analytiker"\n', encoding="utf-8"
    )
    with pytest.raises(AccessError, match=r"linje 2 .* og linje 3 "):
        access.check_roles_file(tmp_path)  # serve.py runs this before the server listens
    access.check_roles_file(tmp_path / "tom")  # no file: the start goes on, no one has a role


@pytest.mark.parametrize(
    "secret",
    [
        "a" * 32,
        "abc" * 11,
        "0123456789" * 4,
        "0123456789abcdef" * 2,
        "abcdefghijklmnopqrstuvwxyz123456",
    ],
)
def test_guessable_cookie_secrets_refuse_the_start(secret: str) -> None:
    with pytest.raises(AccessError, match=r"ikke tilfældig nok .*python -m tryg_geo secret"):
        access.check_auth_section({**AUTH, "cookie_secret": secret})


def test_random_secrets_are_accepted() -> None:
    for secret in (access.new_secret(), secrets.token_hex(32), secrets.token_hex(16)):
        access.check_auth_section({**AUTH, "cookie_secret": secret})


def test_secret_command_prints_a_fresh_accepted_secret() -> None:
    done = [
        subprocess.run(
            [sys.executable, "-m", "tryg_geo", "secret"],
            cwd=ROOT,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for _ in range(2)
    ]
    assert done[0] != done[1] and len(done[0]) == 43
    access.check_auth_section({**AUTH, "cookie_secret": done[0]})
