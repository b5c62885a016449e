"""Tryg Geo — the dashboard of a partnership (``partnerskab.toml``; Tryg Aalborg by default).
Start it with ``make dashboard``.

Leaflet is served from ``static/leaflet`` by Streamlit itself (no CDN), usage statistics are
off (.streamlit/config.toml), and with ``TRYG_BASEMAP=none`` the browser talks to this server only.

Sign-in comes first (``ui.gate``): before it, without a role or with a refused configuration,
the run stops on one Danish page and no page is built. After it, the navigation holds only the
pages the role may see, so a URL of another page opens nothing of it.
"""

from pathlib import Path

import streamlit as st

from pages import ui
from tryg_geo import PAGES, configure_offline_folium, install_static_assets, leaflet_url_prefix

APP_DIR = Path(__file__).resolve().parent

partnership, problem = ui.current_partnership()
st.set_page_config(
    page_title=f"Tryg Geo – {partnership.name}", layout="wide"
)  # default icon: served locally
ui.danish_chrome()  # Streamlit's "Running… Stop" in Danish on every page
access = ui.gate()
ui.show_partnership(partnership, problem)  # name and logo on every page
install_static_assets(APP_DIR)
configure_offline_folium(leaflet_url_prefix(st.get_option("server.baseUrlPath")))

# No icons: Material icons and emoji favicons are fetched from Google, which a closed network
# blocks. URL paths differ from the file names on purpose: Streamlit also scans pages/ by file
# name, and a deep link such as /tryg_bydel would then run the page without this entry script.
# The pages, their titles and URL paths come from the one view registry (tryg_geo.PAGES).
pages = [
    st.Page(page.file, title=page.title, url_path=page.url_path, default=page.default)
    for page in PAGES
    if ui.can(page.requires, access)
]
st.navigation(pages).run()
