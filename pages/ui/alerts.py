"""Overblik's alerts: what fired for this person's role or address, with "Markér som set".

The alerts come from the alert log in the data folder (``tryg_geo.alerts_for``), and a mark
is kept there per user (``tryg_geo.mark_alert_seen``), so it survives a restart and holds on
every replica.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from tryg_geo import alerts_for, fmt, mark_alert_seen, page_of

from .auth import actor, role
from .render import md_text

HEADING = "Alarmer"
SEEN = "Markér som set"


def show_alerts() -> None:
    """The unseen alerts for this person, newest first; nothing when there are none."""
    who = actor()
    alerts = alerts_for(role(), who)
    if not alerts:
        return
    st.header(HEADING)
    for alert in alerts:
        with st.container(border=True):
            st.markdown(f"**{md_text(alert.get('rule', ''))}** – {md_text(alert.get('text', ''))}")
            fired = datetime.fromisoformat(alert["fired_at"])
            st.caption(f"Udløst {fmt.day(fired)} kl. {fired:%H.%M}")
            left, right = st.columns([3, 1])
            left.page_link(
                page_of(alert.get("view", "overblik")).file,
                label="Se i dashboardet",
                query_params=alert.get("params") or {},
            )
            if right.button(SEEN, key=f"seen-{alert['key']}"):
                mark_alert_seen(who, alert["key"])
                st.rerun()
