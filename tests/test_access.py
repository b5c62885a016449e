"""Roles, capabilities, ``roles.toml`` and the start-up mode (``tryg_geo.access``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tryg_geo import access
from tryg_geo.access import AccessError, RoleMap

ROLES_TOML = """
[users]
"Leder@Aalborg.dk" = "leder"
"ana@aalborg.dk" = "analytiker"
"data@politi.dk" = "Dataansvarlig"
"f3a9-sub-only" = "analytiker"

[domains]
"aalborg.dk" = "leder"
"""
GOOD_AUTH = {
    "redirect_uri": "https://tryggeo.aalborg.dk/oauth2callback",
    "cookie_secret": "q5Xv0-Rz8Lm2Tb7Wc4Ny9Hd1Kf6Jp3Gs_Ae0Uo5Vi8Ew",  # a fixed token_urlsafe
    "client_id": "tryg-geo",
    "client_secret": "hemmelig",
    "server_metadata_url": "https://login.aalborg.dk/.well-known/openid-configuration",
}


@pytest.fixture()
def roles() -> RoleMap:
    return access.parse_roles(ROLES_TOML)


# ---- capabilities ------------------------------------------------------------------------------


def test_each_role_has_exactly_its_capabilities() -> None:
    assert access.capabilities_of("leder") == ["view", "download"]
    assert access.capabilities_of("analytiker") == [
        "view",
        "download",
        "data_status",
        "rejected_rows",
        "analyst_detail",
        "audit_log",
    ]
    assert access.capabilities_of("dataansvarlig") == list(access.CAPABILITIES)
    assert access.capabilities_of(None) == []


@pytest.mark.parametrize("capability", ["import", "rollback"])
def test_only_dataansvarlig_may_change_data(capability: str) -> None:
    assert [r for r in access.ROLES if access.can(r, capability)] == ["dataansvarlig"]


def test_no_role_can_nothing() -> None:
    assert not any(access.can(None, c) for c in access.CAPABILITIES)
    assert not access.can("admin", "view")  # an unknown role is not a role


def test_unknown_capability_is_an_error_not_a_no() -> None:
    with pytest.raises(AccessError, match=r"Ukendt rettighed 'analyst_details'; tilladte: view"):
        access.can("dataansvarlig", "analyst_details")


def test_every_capability_has_danish_help() -> None:
    for cap in access.CAPABILITIES.values():
        assert cap.help.endswith(".") and cap.roles <= set(access.ROLES), cap


# ---- roles.toml --------------------------------------------------------------------------------


def test_email_lookup_ignores_case(roles: RoleMap) -> None:
    assert (
        access.resolve_role(
            {"email_verified": True, "email": "leder@AALBORG.dk", "sub": "1"}, roles
        )
        == "leder"
    )
    assert (
        access.resolve_role({"email_verified": True, "email": "DATA@politi.dk", "sub": "2"}, roles)
        == "dataansvarlig"
    )


def test_user_line_beats_domain_default(roles: RoleMap) -> None:
    assert (
        access.resolve_role({"email_verified": True, "email": "ana@aalborg.dk"}, roles)
        == "analytiker"
    )
    assert (
        access.resolve_role({"email_verified": True, "email": "someone@aalborg.dk"}, roles)
        == "leder"
    )


def test_domain_is_exact_not_a_suffix(roles: RoleMap) -> None:
    assert access.resolve_role({"email_verified": True, "email": "x@sub.aalborg.dk"}, roles) is None
    assert access.resolve_role({"email_verified": True, "email": "x@evilaalborg.dk"}, roles) is None
    assert (
        access.resolve_role({"email_verified": True, "email": "aalborg.dk@evil.dk"}, roles) is None
    )


def test_sub_is_the_fallback_without_email(roles: RoleMap) -> None:
    assert access.resolve_role({"sub": "f3a9-sub-only"}, roles) == "analytiker"
    assert access.identity({"sub": "f3a9-sub-only"}) == "f3a9-sub-only"
    assert access.resolve_role({"sub": "F3A9-SUB-ONLY"}, roles) is None  # sub is exact


def test_unverified_email_is_not_trusted(roles: RoleMap) -> None:
    claims = {"email": "data@politi.dk", "email_verified": False, "sub": "zz"}
    assert access.resolve_role(claims, roles) is None
    assert access.identity(claims) == "zz"
    assert access.resolve_role({**claims, "email_verified": "false"}, roles) is None
    assert access.resolve_role({**claims, "email_verified": True}, roles) == "dataansvarlig"


def test_unknown_person_has_no_role(roles: RoleMap) -> None:
    assert (
        access.resolve_role(
            {"email_verified": True, "email": "stranger@gmail.com", "sub": "s"}, roles
        )
        is None
    )
    assert access.resolve_role({}, roles) is None
    assert access.identity({}) is None


def test_empty_file_gives_no_one_a_role() -> None:
    assert (
        access.resolve_role(
            {"email_verified": True, "email": "a@aalborg.dk"}, access.parse_roles("")
        )
        is None
    )


def test_garbled_toml_names_file_and_line() -> None:
    with pytest.raises(
        AccessError,
        match=r"Rollefilen roles.toml kan ikke læses: .*line 2.*Ingen har adgang, før filen er rettet",
    ):
        access.parse_roles('[users]\n"a@b.dk" = leder\n')


def test_unknown_role_names_section_key_value_and_allowed() -> None:
    with pytest.raises(
        AccessError,
        match=r"afsnit \[users\]: 'a@b.dk' har rollen 'admin', som ikke findes; tilladte "
        r"roller er leder, analytiker, dataansvarlig",
    ):
        access.parse_roles('[users]\n"a@b.dk" = "admin"\n')


def test_role_must_be_text() -> None:
    with pytest.raises(AccessError, match=r"afsnit \[domains\]: 'b.dk' har rollen 1, som ikke"):
        access.parse_roles('[domains]\n"b.dk" = 1\n')


def test_misspelt_section_is_refused() -> None:
    with pytest.raises(AccessError, match=r"ukendt afsnit \[user\]; tilladte afsnit er"):
        access.parse_roles('[user]\n"a@b.dk" = "leder"\n')


def test_section_must_be_a_table() -> None:
    with pytest.raises(AccessError, match=r"\[users\] skal være et afsnit med linjer"):
        access.parse_roles('users = "leder"\n')


def test_domain_with_at_sign_is_refused() -> None:
    with pytest.raises(AccessError, match=r"nøglen '@aalborg.dk' skal være et domæne uden @"):
        access.parse_roles('[domains]\n"@aalborg.dk" = "leder"\n')


def test_missing_roles_file_is_a_clear_refusal(tmp_path: Path) -> None:
    with pytest.raises(
        AccessError, match=r"Rollefilen roles.toml findes ikke i datamappen .*Ingen har adgang"
    ):
        access.load_roles(tmp_path)


def test_roles_file_not_utf8_is_refused(tmp_path: Path) -> None:
    (tmp_path / "roles.toml").write_bytes(b'[users]\n"s\xf8ren@b.dk" = "leder"\n')
    with pytest.raises(AccessError, match=r"kan ikke læses .*den skal være UTF-8-tekst"):
        access.load_roles(tmp_path)


def test_roles_file_is_reread_when_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "roles.toml"
    path.write_text('[users]\n"a@b.dk" = "leder"\n', encoding="utf-8")
    assert (
        access.resolve_role(
            {"email_verified": True, "email": "a@b.dk"}, access.load_roles(tmp_path)
        )
        == "leder"
    )
    path.write_text('[users]\n"a@b.dk" = "dataansvarlig"\n', encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert (
        access.resolve_role(
            {"email_verified": True, "email": "a@b.dk"}, access.load_roles(tmp_path)
        )
        == "dataansvarlig"
    )
    path.write_text("[users\n", encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    with pytest.raises(AccessError, match=r"kan ikke læses"):
        access.load_roles(tmp_path)


# ---- start-up mode ----------------------------------------------------------------------------


@pytest.mark.parametrize("address", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_no_auth_on_loopback_is_local(address: str) -> None:
    assert access.decide_mode(None, address, open_ok=False) == "local"


@pytest.mark.parametrize("address", ["0.0.0.0", "10.1.2.3", "", None, "tryggeo.aalborg.dk"])
def test_no_auth_elsewhere_is_refused(address: str | None) -> None:
    with pytest.raises(
        AccessError,
        match=r"Tryg Geo starter ikke uden login, når serveren lytter på .*TRYG_ALLOW_OPEN=1",
    ):
        access.decide_mode(None, address, open_ok=False)


def test_allow_open_is_explicit() -> None:
    assert access.decide_mode(None, "0.0.0.0", open_ok=True) == "open"
    assert access.allow_open({"TRYG_ALLOW_OPEN": "1"})
    assert not access.allow_open({"TRYG_ALLOW_OPEN": "yes"})
    assert not access.allow_open({})


def test_auth_wins_everywhere() -> None:
    assert access.decide_mode(GOOD_AUTH, "0.0.0.0", open_ok=False) == "auth"
    assert access.decide_mode(GOOD_AUTH, "127.0.0.1", open_ok=True) == "auth"


def test_auth_that_is_not_a_table_refuses_start() -> None:
    with pytest.raises(
        AccessError, match=r"\[auth\] i .streamlit/secrets.toml skal være et afsnit"
    ):
        access.decide_mode("on", "127.0.0.1", open_ok=False)  # type: ignore[arg-type]


def test_missing_cookie_secret_refuses_start() -> None:
    auth = {k: v for k, v in GOOD_AUTH.items() if k != "cookie_secret"}
    with pytest.raises(AccessError, match=r"mangler cookie_secret.*starter ikke uden"):
        access.decide_mode(auth, "127.0.0.1", open_ok=False)


def test_short_cookie_secret_refuses_start() -> None:
    with pytest.raises(AccessError, match=r"cookie_secret .* er for kort \(8 tegn\).*mindst 32"):
        access.check_auth_section({**GOOD_AUTH, "cookie_secret": "kort1234"})


def test_example_placeholder_secret_is_refused() -> None:
    placeholder = "ERSTAT-MED-64-TILFAELDIGE-TEGN-FRA-KOMMANDOEN-OVENFOR"
    with pytest.raises(AccessError, match=r"stadig pladsholderen fra secrets.example.toml"):
        access.check_auth_section({**GOOD_AUTH, "cookie_secret": placeholder})


def test_missing_provider_keys_are_named() -> None:
    auth = {k: v for k, v in GOOD_AUTH.items() if k not in ("client_id", "server_metadata_url")}
    with pytest.raises(AccessError, match=r"mangler client_id, server_metadata_url"):
        access.check_auth_section(auth)


def test_redirect_uri_must_end_in_oauth2callback() -> None:
    with pytest.raises(AccessError, match=r"den skal ende på /oauth2callback"):
        access.check_auth_section({**GOOD_AUTH, "redirect_uri": "https://tryggeo.aalborg.dk/"})


def test_secret_files_merge_and_garbled_file_refuses(tmp_path: Path) -> None:
    first = tmp_path / "a.toml"
    second = tmp_path / "b.toml"
    first.write_text('[auth]\nclient_id = "a"\n[other]\nx = 1\n', encoding="utf-8")
    second.write_text('[auth]\nclient_id = "b"\n', encoding="utf-8")
    merged = access.read_secret_files([first, second, tmp_path / "missing.toml"])
    assert merged == {"auth": {"client_id": "b"}, "other": {"x": 1}}
    second.write_text("[auth\n", encoding="utf-8")
    with pytest.raises(AccessError, match=r"Hemmelighedsfilen .*b.toml kan ikke læses"):
        access.read_secret_files([first, second])
