"""A one-page Streamlit app around tryg_geo.render.maps, for the browser tests.

It is the district map the dashboard started with: population choropleth, outline and water,
a plain-HTML legend, "Demodata" and the clicked district's name below the map. The tests copy
it into a temporary folder and ``streamlit run`` it there (so ``static/leaflet`` lands in that
folder, not in the repository), with the repository as working directory for
``.streamlit/config.toml``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from tryg_geo import settings
from tryg_geo.errors import TrygGeoError
from tryg_geo.render import maps
from tryg_geo.store.folder import Store

APP_DIR = Path(__file__).resolve().parent

st.set_page_config(page_title="Tryg Geo", layout="wide")
maps.install_static_assets(APP_DIR)
maps.configure_offline_folium(maps.leaflet_url_prefix(st.get_option("server.baseUrlPath")))


def md_text(value: object) -> str:
    """Data text for st.markdown: every ASCII punctuation mark backslash-escaped."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", str(value))


@st.cache_data(show_spinner=False)
def load_geo(root: str, version: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None]:
    """Districts and water places of the store; ``version`` makes the cache follow imports."""
    store = Store(root)
    water = None
    if store.has("places"):
        places = store.read("places")
        water = places[places["kind"] == "vand"]
    return store.read("districts"), water


st.title("Tryg Geo")
store = Store(settings.data_dir())
if store.is_demo():
    st.warning("**Demodata** – kortet viser opdigtede eksempeldata, ikke rigtige tal.")
if not store.has("districts"):
    st.info(
        "Der er ingen områder indlæst endnu. Lav demodata med `make demo-data`, eller "
        "importér jeres egne områder med `python -m tryg_geo import districts FIL`."
    )
    st.stop()

try:
    districts, water = load_geo(str(store.root), store.version())
    bins = maps.quantile_bins(districts["population"])
    m = maps.base_map(districts.total_bounds, basemap=settings.get("basemap"))
    if bins:
        maps.choropleth_layer(
            districts, value_col="population", value_label="Indbyggere", bins=bins
        ).add_to(m)
        maps.legend("Indbyggere", bins).add_to(m)
    maps.outline_layer(districts, water).add_to(m)
except TrygGeoError as exc:
    st.error(str(exc))
    st.stop()

st.subheader("Indbyggere pr. område")
result = st_folium(
    m, returned_objects=["last_active_drawing"], key="kort", height=560, use_container_width=True
)
feature = (result or {}).get("last_active_drawing") or {}
district_id = html.unescape(str(feature.get("properties", {}).get("district_id", "")))
chosen = districts[districts["district_id"].astype(str) == district_id]
if len(chosen):
    row = chosen.iloc[0]
    people = "ukendt" if pd.isna(row["population"]) else maps.danish_int(row["population"])
    st.markdown(
        f"**Valgt område: {md_text(row['name'])}** · id {md_text(row['district_id'])} · "
        f"{md_text(people)} indbyggere"
    )
else:
    st.caption("Klik på et område for at se navn og indbyggertal.")
