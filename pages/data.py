"""Data: import files with the same validation as the command line, and see what is loaded."""

import pandas as pd
import streamlit as st

from pages import ui
from tryg_geo import KIND_LABELS, KINDS, Store, TrygGeoError, data_status, import_upload

st.title("Data")


def danish_date(text: str | None, *, with_time: bool = False) -> str:
    """An ISO date (and time) as 25.11.2026 (14:26)."""
    if not text:
        return ""
    stamp = pd.Timestamp(text)
    return stamp.strftime("%d.%m.%Y %H:%M" if with_time else "%d.%m.%Y")


REJECTED_HEADERS = {
    "row": "Række",
    "column": "Kolonne",
    "value": "Værdi",
    "reason": "Årsag (kode)",
    "message": "Forklaring",
}
HELP = {
    "districts": "GeoJSON, GeoPackage, zippet Shapefile eller GeoParquet med id, navn og evt. befolkning.",
    "incidents": "CSV (fx dansk Excel: semikolon, decimalkomma), XLSX eller GeoJSON-punkter med tidspunkt, kategori og koordinater.",
    "measurements": "CSV eller XLSX med område, periode (2024, 2024-Q3, 2024-05), indikator, værdi og evt. n.",
    "places": "GeoJSON eller GeoPackage med id, navn, art (torv, plads, havnefront, nattelivszone …).",
}

with st.form("import"):
    kind = st.selectbox("Datatype", KINDS, format_func=lambda k: KIND_LABELS[k].capitalize())
    st.caption(" · ".join(f"**{KIND_LABELS[k].capitalize()}**: {HELP[k]}" for k in KINDS))
    upload = st.file_uploader(
        "Fil", type=["csv", "txt", "tsv", "xlsx", "geojson", "json", "gpkg", "zip", "parquet"]
    )
    with st.expander("Avanceret: koordinatsystem, lag og kolonnenavne"):
        crs = st.text_input("Koordinatsystem (fx EPSG:25832)", "")
        layer = st.text_input("Lag (GeoPackage) eller ark (XLSX)", "")
        columns_text = st.text_input(
            "Kolonner, fx `datetime=Gerningstid, category=Overtrædelse`", ""
        )
    dry_run = st.checkbox("Kontrollér kun (gem intet)")
    submitted = st.form_submit_button("Importér")

if submitted and upload is not None:
    columns = dict(
        part.split("=", 1) for part in columns_text.replace(";", ",").split(",") if "=" in part
    )
    try:
        result = import_upload(
            kind,
            upload.name,
            upload.getvalue(),
            crs=crs or None,
            layer=layer or None,
            columns={k.strip(): v.strip() for k, v in columns.items()},
            dry_run=dry_run,
        )
    except TrygGeoError as exc:
        st.error(str(exc))
    else:
        report = result.report()
        (st.success if result.accepted else st.error)(
            f"{report['accepted']} af {report['rows_read']} rækker godkendt"
            + (" (kun kontrolleret)" if dry_run else "")
        )
        cols = st.columns(4)
        for col, (label, key) in zip(
            cols,
            [
                ("Læst", "rows_read"),
                ("Godkendt", "accepted"),
                ("Afvist", "rejected"),
                ("Dubletter", "duplicates"),
            ],
            strict=True,
        ):
            col.metric(label, report[key])
        for note in report["warnings"]:
            st.caption(ui.md_text(note))
        if len(result.rejected):
            st.dataframe(
                result.rejected.head(200).rename(columns=REJECTED_HEADERS),
                hide_index=True,
                width="stretch",
            )
            st.download_button(
                "Hent afviste rækker (CSV)",
                result.rejected.to_csv(index=False, sep=";").encode("utf-8-sig"),
                file_name=f"afviste_{kind}.csv",
                mime="text/csv",
            )
elif submitted:
    st.warning("Vælg en fil først.")

st.subheader("Indlæst nu")
status = data_status()
if not status["kinds"]:
    st.info(
        "Der er ingen data endnu. Importér jeres filer ovenfor, eller kør `make dashboard`, "
        "som laver demodata i en tom data-mappe. Se **Data**-afsnittet i README."
    )
if status["demo"]:
    st.warning("**Demodata** er indlæst for mindst én datatype.")
rows = [
    {
        "Datatype": info["label"],
        "Rækker": info["rows"],
        "Fra": danish_date(info.get("from")),
        "Til": danish_date(info.get("to")),
        "Fil": info["file"],
        "Importeret": danish_date(info["imported_at"], with_time=True),
        "Afviste": info["rejected"],
        "Demodata": "ja" if info["demo"] else "",
    }
    for info in status["kinds"].values()
]
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
store = Store()
for kind, info in status["kinds"].items():
    if info["rejected"]:
        st.download_button(
            f"Hent afviste rækker for {info['label']} ({info['rejected']})",
            lambda kind=kind: (
                store.read_rejected(kind).to_csv(index=False, sep=";").encode("utf-8-sig")
            ),
            file_name=f"afviste_{kind}.csv",
            mime="text/csv",
            key=f"rejected_{kind}",
        )
for info in status["kinds"].values():
    if info.get("indicators"):
        with st.expander(f"Perioder pr. indikator ({info['label']})"):
            st.dataframe(pd.DataFrame(info["indicators"]).T, width="stretch")
st.caption(f"Data-mappe: {status['data_dir']}")
