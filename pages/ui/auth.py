"""Sign-in and roles on every page: the gate in ``dashboard.py`` and ``ui.role()``/``ui.can()``.

The role is worked out on the server on every run, from Streamlit's signed login cookie
(``st.user``) and ``roles.toml`` in the data folder (:mod:`tryg_geo.access`); nothing the
browser sends can choose it. ``gate()`` runs before ``st.navigation``: a visitor who is not
signed in, has no role or meets a refused configuration gets one Danish page and the script
stops there, so no page, number, name or map is built, whatever URL was opened.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from tryg_geo import AccessError, access, settings

_LOG = logging.getLogger("tryg_geo.access")
LOCAL_BANNER = "Lokal tilstand – ingen login"
#: What anyone without a role is told about a refused configuration or a broken roles.toml:
#: the details (file paths, other people's e-mails) go to the server's log only.
CONFIG_PROBLEM = (
    "Tryg Geo er ikke sat rigtigt op lige nu, så siden kan ikke åbne. Den dataansvarlige kan "
    "se årsagen i serverens log."
)
ROLES_PROBLEM = (
    "Ingen har adgang lige nu, fordi rollefilen ikke kan bruges. Den dataansvarlige kan se "
    "årsagen i serverens log."
)
OPEN_WARNING = (
    "**Åben tilstand uden login** (TRYG_ALLOW_OPEN=1): alle, der kan nå denne server, kan se "
    "og ændre alle data. Slå login til (README, afsnittet om login)."
)


@dataclass(frozen=True)
class Access:
    """Who is at the browser and what they may do, decided on the server for this run."""

    mode: access.Mode | None  # None: the configuration is refused
    role: str | None
    who: str | None  # e-mail or sub (signed in); None in local/open mode
    signed_in: bool
    problem: str | None = None  # why there is no role or no mode, in Danish


def _auth_section() -> dict[str, Any] | None:
    try:
        auth = st.secrets.get("auth")
    except StreamlitSecretNotFoundError:
        return None
    return dict(auth) if auth else None


def current() -> Access:
    """The access of this session, worked out now (cheap: ``roles.toml`` is cached)."""
    try:
        mode = access.decide_mode(
            _auth_section(), st.get_option("server.address"), access.allow_open()
        )
    except AccessError as exc:
        _LOG.error("%s", exc)
        return Access(None, None, None, False, CONFIG_PROBLEM)
    if mode != "auth":
        return Access(mode, "dataansvarlig", None, False)
    claims = st.user.to_dict()
    if claims.get("is_logged_in") is not True:  # missing counts as not signed in
        return Access(mode, None, None, False)
    who = access.identity(claims)
    try:
        roles = access.load_roles(settings.data_dir())
    except AccessError as exc:
        _LOG.error("%s", exc)
        return Access(mode, None, who, True, ROLES_PROBLEM)
    return Access(mode, access.resolve_role(claims, roles), who, True)


def role() -> str | None:
    """The role of the person at the browser (``None``: no access)."""
    return current().role


def can(capability: str, now: Access | None = None) -> bool:
    """Whether the person at the browser has ``capability`` (``tryg_geo.access.CAPABILITIES``).

    ``now`` is an :class:`Access` already worked out in this run (saves reading it again).
    """
    return access.can((now or current()).role, capability)


def require(capability: str) -> Access:
    """Stop the run unless the person has ``capability``; the second lock behind ``gate``.

    ``dashboard.py`` builds only the pages a role may see, but a page script can also run
    without it (``streamlit run dashboard.py`` without ``serve.py`` serves ``pages/*.py`` by
    file name until ``st.navigation`` has run once): every page's data goes through here.
    """
    now = current()
    if access.can(now.role, capability):
        return now
    if now.mode is None:
        st.title("Tryg Geo kan ikke åbne")
        st.error(now.problem or "")
    elif now.mode == "auth" and not now.signed_in:
        _login_page()
    elif now.role is None:
        _no_access_page(now)
    else:
        st.title("Ingen adgang")
        st.write("Din rolle giver ikke adgang til denne side.")
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover - st.stop raises


def actor() -> str:
    """Who acts, for the audit log: the e-mail (or sub), or the OS user in local mode."""
    now = current()
    if now.who:
        return now.who
    return f"{access.os_actor()} ({'lokal tilstand' if now.mode == 'local' else 'uden login'})"


def gate() -> Access:
    """Stop the run unless the person may see the dashboard; draw the mode and user notes.

    Returns
    -------
    Access
        The access of this run, with a role (the script has stopped otherwise).
    """
    now = current()
    if now.mode is None:
        st.title("Tryg Geo kan ikke åbne")
        st.error(now.problem or "")
        st.stop()
    if now.mode == "auth" and not now.signed_in:
        _login_page()
        st.stop()
    if now.role is None:
        _no_access_page(now)
        st.stop()
    if now.mode == "local":
        st.sidebar.caption(LOCAL_BANNER)
    elif now.mode == "open":
        st.sidebar.warning(OPEN_WARNING)
    else:
        st.sidebar.caption(
            f"Logget ind som {now.who} · {access.ROLE_LABELS.get(now.role or '', now.role)}"
        )
        if st.sidebar.button("Log ud", key="auth_logout"):
            st.logout()
    return now


def _login_page() -> None:
    from .partnership import current_partnership  # partnership → render → auth: import late

    st.title("Tryg Geo")
    st.write(
        f"{current_partnership()[0].genitive} kort og tal er kun for medarbejdere med adgang. "
        "Log ind med din arbejdskonto."
    )
    if st.button("Log ind", type="primary", key="auth_login"):
        st.login()


def _no_access_page(now: Access) -> None:
    st.title("Ingen adgang")
    if now.problem:
        st.error(now.problem)
    else:
        st.write(
            f"Du er logget ind som **{now.who or 'ukendt bruger'}**, men har ingen rolle i "
            "Tryg Geo. Bed den dataansvarlige om at give dig en rolle i roles.toml."
        )
    if st.button("Log ud", key="auth_logout"):
        st.logout()
