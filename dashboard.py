"""Tryg Geo — the dashboard of Tryg Aalborg. Start it with ``make dashboard``.

Leaflet is served from ``static/leaflet`` by Streamlit itself (no CDN), usage statistics are
off (.streamlit/config.toml), and with ``TRYG_BASEMAP=none`` the browser talks to this server only.
"""

from pathlib import Path

import streamlit as st

from tryg_geo import maps

APP_DIR = Path(__file__).resolve().parent

st.set_page_config(page_title="Tryg Geo – Tryg Aalborg", page_icon="🗺️", layout="wide")
maps.install_static_assets(APP_DIR)
maps.configure_offline_folium(maps.leaflet_url_prefix(st.get_option("server.baseUrlPath")))

pages = [
    st.Page("pages/overblik.py", title="Overblik", icon="🏠", default=True),
    st.Page("pages/tryg_bydel.py", title="Tryg bydel", icon="🏘️"),
    st.Page("pages/natteliv.py", title="Natteliv", icon="🌙"),
    st.Page("pages/byens_rum.py", title="Byens rum", icon="⛲"),
    st.Page("pages/indsatser.py", title="Indsatser", icon="📋"),
    st.Page("pages/data.py", title="Data", icon="📂"),
]
st.navigation(pages).run()
