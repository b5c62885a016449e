"""Tryg Geo — the dashboard of Tryg Aalborg. Start it with ``make dashboard``.

Leaflet is served from ``static/leaflet`` by Streamlit itself (no CDN), usage statistics are
off (.streamlit/config.toml), and with ``TRYG_BASEMAP=none`` the browser talks to this server only.
"""

from pathlib import Path

import streamlit as st

from tryg_geo.render import maps

APP_DIR = Path(__file__).resolve().parent

st.set_page_config(
    page_title="Tryg Geo – Tryg Aalborg", layout="wide"
)  # default icon: served locally
maps.install_static_assets(APP_DIR)
maps.configure_offline_folium(maps.leaflet_url_prefix(st.get_option("server.baseUrlPath")))

# No icons: Material icons and emoji favicons are fetched from Google, which a closed network
# blocks. URL paths differ from the file names on purpose: Streamlit also scans pages/ by file
# name, and a deep link such as /tryg_bydel would then run the page without this entry script.
pages = [
    st.Page("pages/overblik.py", title="Overblik", default=True),
    st.Page("pages/tryg_bydel.py", title="Tryg bydel", url_path="tryg-bydel"),
    st.Page("pages/natteliv.py", title="Natteliv", url_path="nat"),
    st.Page("pages/byens_rum.py", title="Byens rum", url_path="byens-rum"),
    st.Page("pages/indsatser.py", title="Indsatser", url_path="indsats"),
    st.Page("pages/data.py", title="Data", url_path="data-import"),
]
st.navigation(pages).run()
