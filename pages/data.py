"""Data: import files with the same validation as the command line, and see what is loaded.

Built per role (decided on the server, ``ui.can``): status, rejected rows and the import log
for analytiker and dataansvarlig; the import form and rollback for dataansvarlig only.
"""

import pandas as pd
import streamlit as st

from pages import ui
from tryg_geo import Store, csv_bytes, data_status, fmt

ui.require("data_status")  # also when this script runs without dashboard.py's gate
st.title("Data")


def danish_date(text: str | None, *, with_time: bool = False) -> str:
    """An ISO date (and time) as 25.11.2026 (14:26)."""
    if not text:
        return ""
    stamp = pd.Timestamp(text)
    return stamp.strftime("%d.%m.%Y %H:%M" if with_time else "%d.%m.%Y")


if ui.can("import"):  # not built at all for other roles
    st.header("Importér en fil")
    ui.import_wizard(can_import=True)

st.header("Indlæst nu")
status = data_status()
ui.data_problems(status)
if not status["kinds"]:
    st.info(
        "Der er ingen data endnu. Importér jeres filer ovenfor. Demodata fås ved at køre "
        "`make dashboard` i en tom data-mappe (for den, der har installeret dashboardet); se "
        "**Data**-afsnittet i README."
    )
if status["demo"]:
    st.warning("**Demodata** er indlæst for mindst én datatype.")
rows = [
    {
        "Datatype": info["label"],
        "Rækker": fmt.number(info["rows"]),
        "Fra": danish_date(info.get("from")),
        "Til": danish_date(info.get("to")),
        "Fil": info["file"],
        "Kilde": info.get("source") or "",
        "Importeret": danish_date(info["imported_at"], with_time=True),
        "Afviste": fmt.number(info["rejected"]),
        "Demodata": "ja" if info["demo"] else "",
    }
    for info in status["kinds"].values()
]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
store = Store()
for kind, info in status["kinds"].items():
    if info["rejected"] and ui.can("rejected_rows"):
        st.download_button(
            f"Hent afviste rækker for {info['label']} ({fmt.number(info['rejected'])})",
            lambda kind=kind: csv_bytes(store.read_rejected(kind), sep=";", bom=True),
            file_name=f"afviste_{kind}.csv",
            mime="text/csv",
            key=f"rejected_{kind}",
        )
for info in status["kinds"].values():
    if info.get("indicators"):
        with st.expander(f"Perioder pr. indikator ({info['label']})"):
            st.dataframe(pd.DataFrame(info["indicators"]).T, width="stretch")
if status.get("as_of"):  # the same "Data pr." line as under every view
    st.caption(status["as_of"])
st.caption(f"Data-mappe: {status['data_dir']}")
if ui.can("rollback"):
    ui.rollback_form(store)
if ui.can("audit_log"):
    ui.import_log(store)
