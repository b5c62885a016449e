"""The import wizard of the Data page: kind and file → preview → columns → dry run → Importér.

Every check is tryg_geo's: ``preview_upload`` reads the file as the loader will,
``column_proposals`` pre-fills the select boxes, and the dry run and the import are
``import_upload`` with the chosen columns, so the page and the command line accept and
reject exactly the same rows.
"""

from __future__ import annotations

import hashlib
import logging

import streamlit as st

from tryg_geo import (
    APPENDABLE_KINDS,
    IMPORT_MODE_LABELS,
    KIND_LABELS,
    KIND_ROLES,
    KINDS,
    REQUIRED_ROLES,
    ROLE_LABELS,
    UPLOAD_TYPES,
    ColumnError,
    LoadResult,
    Store,
    TrygGeoError,
    access,
    column_proposals,
    csv_bytes,
    fmt,
    get_initiative,
    import_upload,
    missing_message,
    missing_roles,
    page_wording,
    plan_import,
    preview_png,
    preview_upload,
    reason_text,
    template_for,
)

from .auth import actor
from .chrome import danish_chrome
from .render import md_text

NONE = "(ingen)"
#: Session keys: the import just done (kind, file digest, text) and the uploader's round.
DONE = "wizard_done"
ROUND = "wizard_round"
REPLACE, APPEND = "replace", "append"
FILE_TYPES = list(UPLOAD_TYPES)
HELP = {
    "districts": "GeoJSON, GeoPackage, zippet Shapefile eller GeoParquet med id, navn og evt. befolkning.",
    "incidents": "CSV (fx dansk Excel: semikolon, decimalkomma), XLSX eller GeoJSON-punkter med tidspunkt, kategori og koordinater.",
    "measurements": "CSV eller XLSX med område, periode (2024, 2024-Q3, 2024-05), indikator, værdi og evt. n — eller en udfyldt skabelon fra en indsats.",
    "places": "GeoJSON eller GeoPackage med id, navn, art (torv, plads, havnefront, nattelivszone …).",
}
REJECTED_HEADERS = {
    "sheet": "Ark",
    "row": "Række",
    "column": "Kolonne",
    "value": "Værdi",
    "reason": "Årsag",
    "message": "Forklaring",
}


def import_wizard(*, can_import: bool) -> None:
    """Draw the wizard; only ``can_import`` users get the "Importér" button."""
    kind = st.selectbox(
        "Datatype", KINDS, format_func=lambda k: KIND_LABELS[k].capitalize(), key="wizard_kind"
    )
    st.caption(md_text(HELP[kind]))
    # A new key per round: "Start en ny import" gives an empty uploader.
    round_ = st.session_state.get(ROUND, 0)
    danish_chrome(FILE_TYPES)  # "Vælg fil" and "Højst 200 MB pr. fil · CSV, …"
    upload = st.file_uploader(
        "Fil", type=FILE_TYPES, key=f"wizard_upload_{round_}" if round_ else "wizard_upload"
    )
    with st.expander("Avanceret: koordinatsystem og lag"):
        crs = st.text_input("Koordinatsystem (fx EPSG:25832)", "", key="wizard_crs") or None
        layer = st.text_input("Lag (GeoPackage) eller ark (XLSX)", "", key="wizard_layer") or None
    if upload is None:
        st.info("Vælg en fil. Du ser de første rækker og kolonnerne, før noget gemmes.")
        return
    name, data = upload.name, upload.getvalue()
    digest = hashlib.sha1(data).hexdigest()
    done = st.session_state.get(DONE)
    if done and (done["kind"], done["digest"]) == (kind, digest):
        _show_done(done)
        return
    try:
        preview = _preview(kind, name, digest, crs, layer, _data=data)
    except TrygGeoError as exc:
        st.error(md_text(page_wording(str(exc))))
        return
    _show_preview(preview)
    chosen = _column_boxes(kind, preview, digest)
    missing = missing_roles(kind, chosen)
    if missing:
        st.warning(md_text(missing_message(missing)))
        return
    st.subheader("3. Kontrol — intet er gemt endnu")
    result = _run(kind, name, digest, crs, layer, chosen, data, dry_run=True)
    if result is None:
        return
    _show_report(result, dry_run=True)
    mode = _mode_choice(result, digest, chosen, can_import=can_import)
    source = st.text_input(
        "Kilde",
        "",
        key="wizard_source",
        placeholder="fx Nordjyllands Politi, udtræk 2025",
        help="Hvor data kommer fra; gemmes med data og vises i kildelinjen på kort, PNG og CSV.",
        disabled=not can_import,
    )
    if not can_import:
        st.info("Kun en dataansvarlig kan importere. Kontrollen ovenfor gemmer intet.")
    elif st.button("Importér", type="primary", disabled=result.accepted == 0, key="wizard_go"):
        with access.acting_as(actor(), "dashboard"):  # the import log names the person
            stored = _run(
                kind,
                name,
                digest,
                crs,
                layer,
                chosen,
                data,
                dry_run=False,
                source=source,
                mode=mode,
            )
        if stored is not None:
            st.session_state[DONE] = _done_record(stored, digest, source)
            st.rerun()  # redraw as done: no "intet er gemt endnu", no second "Importér"


def _mode_choice(
    result: LoadResult, digest: str, chosen: dict[str, str | None], *, can_import: bool
) -> str:
    """Ask "Tilføj til de nuværende" or "Erstat alle" (incidents) and show the counts of both."""
    kind, store = result.kind, Store()
    if not store.has(kind) or result.accepted == 0:
        return REPLACE
    label = KIND_LABELS[kind]
    demo = bool(store.meta(kind).get("demo"))
    if kind in APPENDABLE_KINDS:
        mode = st.radio(
            f"De nuværende {label}",
            list(IMPORT_MODE_LABELS),
            format_func=IMPORT_MODE_LABELS.get,
            index=list(IMPORT_MODE_LABELS).index(REPLACE if demo else APPEND),
            horizontal=True,
            key=f"wizard_mode_{digest[:12]}",
            disabled=not can_import,
            help="Tilføj: filens hændelser lægges til de gemte; en hændelse, hvis id allerede "
            "er gemt, springes over og tælles som dublet. Erstat: kun filens hændelser bruges. "
            "Begge kan fortrydes under 'Gå tilbage til en tidligere version'.",
        )
    else:
        mode = REPLACE
        st.caption(
            f"{label.capitalize()} erstattes altid som en helhed (kun hændelser kan tilføjes); "
            "den tidligere version kan gendannes."
        )
    plan = _plan(tuple(chosen.items()), store.version(), mode, digest, _result=result)
    note = f" De nuværende {label} er demodata." if demo else ""
    st.info(md_text(f"Ved import: {plan.sentence()}.{note}"))
    return mode


@st.cache_resource(max_entries=4, show_spinner="Tæller de gemte rækker …")
def _plan(chosen, store_version: str, mode: str, digest: str, *, _result: LoadResult):
    return plan_import(Store(), _result, mode)


def _done_record(result: LoadResult, digest: str, source: str) -> dict[str, str]:
    """What the wizard shows after an import of this file (kept in the session)."""
    label = KIND_LABELS[result.kind]
    plan = result.report().get("mode") or {}
    if plan.get("mode") == APPEND:
        added = plan["new"] - plan["already_stored"]
        text = (
            f"Importeret: {fmt.number(added)} nye {label} er gemt og bruges nu "
            f"({fmt.number(plan['already_stored'])} fandtes allerede; "
            f"{fmt.number(plan['after'])} {label} i alt)"
        )
    else:
        text = f"Importeret: {fmt.number(result.accepted)} {label} er gemt og bruges nu"
        if plan.get("before"):
            text += f" (erstatter {fmt.number(plan['before'])})"
    text += f" – fil: {result.file}" + (f", kilde: {source.strip()}." if source.strip() else ".")
    return {"kind": result.kind, "digest": digest, "text": text}


def _show_done(done: dict[str, str]) -> None:
    st.subheader("Importeret")
    st.success(md_text(done["text"]))
    st.caption(
        "Filen er gemt; se den under 'Indlæst nu' nedenfor. En fejl kan fortrydes med "
        "'Gå tilbage til en tidligere version'."
    )
    st.button("Start en ny import", on_click=_new_round, key="wizard_again", type="primary")


def _new_round() -> None:
    st.session_state.pop(DONE, None)
    st.session_state[ROUND] = st.session_state.get(ROUND, 0) + 1


# Shared, not copied, between reruns (like the dry run below): a preview of a million rows is
# not pickled on every click.
@st.cache_resource(max_entries=2, show_spinner="Læser filen …")
def _preview(
    kind: str, name: str, digest: str, crs: str | None, layer: str | None, *, _data: bytes
):
    return preview_upload(kind, name, _data, layer=layer, crs=crs)


def _show_preview(preview) -> None:
    st.subheader("1. Filens første rækker")
    st.caption(
        md_text(
            f"{preview.file}: {fmt.number(len(preview.frame))} rækker, {len(preview.columns)} kolonner "
            f"({', '.join(preview.columns)}). " + page_wording(" ".join(preview.notes))
        )
    )
    st.dataframe(preview.head(), hide_index=True, width="stretch")


def _column_boxes(kind: str, preview, digest: str) -> dict[str, str | None]:
    st.subheader("2. Kolonner")
    st.caption(
        "Forslagene er fundet ud fra kolonnernes navne og indhold. Ret dem, hvis de er forkerte."
    )
    proposals = column_proposals(kind, preview)
    options = [NONE, *preview.columns]
    chosen: dict[str, str | None] = {}
    boxes = st.columns(3)
    for number, role in enumerate(KIND_ROLES[kind]):
        proposal = proposals[role]
        star = " *" if role in REQUIRED_ROLES[kind] else ""
        with boxes[number % 3]:
            picked = st.selectbox(
                f"{ROLE_LABELS[role]}{star}",
                options,
                index=options.index(proposal.column) if proposal.column in options else 0,
                key=f"wizard_col_{kind}_{digest[:12]}_{role}",
            )
            if proposal.by == "indhold" and picked == proposal.column:
                st.caption(md_text(f"Forslag: {proposal.reason}"))
        chosen[role] = None if picked == NONE else picked
    return chosen


def _run(
    kind: str,
    name: str,
    digest: str,
    crs: str | None,
    layer: str | None,
    chosen: dict[str, str | None],
    data: bytes,
    *,
    dry_run: bool,
    source: str = "",
    mode: str = REPLACE,
) -> LoadResult | None:
    try:
        if dry_run:
            return _dry_run(
                kind, name, digest, crs, layer, tuple(chosen.items()), Store().version(), _data=data
            )
        return import_upload(
            kind,
            name,
            data,
            crs=crs,
            layer=layer,
            columns=chosen,
            source=source or None,
            mode=mode,
        )
    except ColumnError as exc:
        st.error(md_text(exc.with_advice(_advice(exc.roles))))
    except TrygGeoError as exc:
        st.error(md_text(page_wording(str(exc))))
    except Exception:  # a bug: say so plainly; the details go to the server log only
        logging.getLogger("tryg_geo").exception("Importen af %s fejlede", name)
        st.error(
            "Filen kunne ikke kontrolleres på grund af en fejl i Tryg Geo (ikke i jeres data)."
        )
    return None


# One dry run per file, choice and data version, shared (not copied) between reruns: a report
# of a million rows is not pickled on every click.
@st.cache_resource(max_entries=2, show_spinner="Kontrollerer alle rækker …")
def _dry_run(
    kind: str,
    name: str,
    digest: str,
    crs: str | None,
    layer: str | None,
    chosen: tuple[tuple[str, str | None], ...],
    store_version: str,
    *,
    _data: bytes,
) -> LoadResult:
    return import_upload(
        kind, name, _data, crs=crs, layer=layer, columns=dict(chosen), dry_run=True
    )


def _advice(roles: tuple[str, ...]) -> str:
    return "vælg kolonnen for " + " og ".join(ROLE_LABELS[r] for r in roles) + " under 2. Kolonner"


def _show_report(result: LoadResult, *, dry_run: bool) -> None:
    report = result.report()
    (st.success if result.accepted else st.error)(
        f"{fmt.number(report['accepted'])} af {fmt.number(report['rows_read'])} rækker ville blive "
        "godkendt"
        if dry_run
        else f"{fmt.number(report['accepted'])} af {fmt.number(report['rows_read'])} rækker godkendt"
    )
    labels = [("Læst", "rows_read"), ("Godkendt", "accepted"), ("Afvist", "rejected")]
    labels += [("Dubletter", "duplicates")]
    if result.kind == "incidents":
        labels += [("Uden for områderne", "outside_districts")]
    for column, (label, key) in zip(st.columns(len(labels)), labels, strict=True):
        column.metric(label, fmt.number(report[key]))
    if report["rejected_reasons"]:
        st.caption(
            "Afvist pr. årsag: "
            + ", ".join(
                f"{reason_text(k)} ({fmt.number(v)})" for k, v in report["rejected_reasons"].items()
            )
        )
    for note in report["warnings"]:
        st.caption(md_text(page_wording(note)))
    store = Store()
    districts = store.read("districts") if store.has("districts") else None
    picture = preview_png(result.kind, result.frame, districts)
    if picture is not None:
        st.image(picture, caption="Det, der ville blive gemt", width=500)
    if len(result.rejected):
        st.dataframe(
            rejected_table(result.rejected.head(200)),
            hide_index=True,
            width="stretch",
            # The explanation is the longest text: give it the room, and the whole text on hover.
            column_config={
                "Forklaring": st.column_config.TextColumn(width="large"),
                "Årsag": st.column_config.TextColumn(width="medium"),
            },
        )
        st.download_button(
            "Hent afviste rækker (CSV)",
            csv_bytes(result.rejected, sep=";", bom=True),  # no cell runs as a formula
            file_name=f"afviste_{result.kind}.csv",
            mime="text/csv",
        )


def rejected_table(rejected):
    """Rejected rows for the page: Danish headers and reasons in words (the codes stay in the
    downloaded CSV, where scripts read them)."""
    table = rejected.copy()
    table["reason"] = table["reason"].map(reason_text)
    return table.rename(columns=REJECTED_HEADERS)


def template_button(slug: str) -> None:
    """ "Hent skabelon (Excel)" for an initiative whose numbers coordinators report themselves."""
    if all(i.source == "incidents" for i in get_initiative(slug).indicators):
        return
    st.download_button(
        "Hent skabelon (Excel)",
        lambda: template_for(f"indsats/{slug}")[1],
        file_name=f"skabelon-{slug}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"template_{slug}",
        help="Et regneark med et ark pr. indikator, udfyldt med områder og kommende perioder. "
        "Skriv tallene i kolonnen 'værdi' og importér filen på siden Data (Målinger).",
    )
