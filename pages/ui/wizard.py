"""The import wizard of the Data page: kind and file → preview → columns → dry run → Importér.

Every check is tryg_geo's: ``preview_upload`` reads the file as the loader will,
``column_proposals`` pre-fills the select boxes, and the dry run and the import are
``import_upload`` with the chosen columns, so the page and the command line accept and
reject exactly the same rows.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

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
    VECTOR_UPLOAD_TYPES,
    ColumnError,
    KindGuess,
    LoadResult,
    Store,
    TrygGeoError,
    access,
    column_proposals,
    csv_bytes,
    detect_upload,
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

from .admin import ROLLBACK_SECTION
from .auth import actor
from .chrome import danish_chrome
from .render import md_text

NONE = "(ingen)"
#: Session keys: the chosen kind, and the file (digest) whose kind was last preselected.
KIND, GUESSED = "wizard_kind", "wizard_guessed"
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
    "kommune_crimes": "Statistikbankens STRAF11 (anmeldte forbrydelser pr. kommune og kvartal) som semikolonsepareret CSV – se README, Data.",
    "kommune_population": "Statistikbankens FOLK1A (befolkning pr. kommune og kvartal, totaler) som semikolonsepareret CSV – se README, Data.",
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
    # A new key per round: "Start en ny import" gives an empty uploader.
    round_ = st.session_state.get(ROUND, 0)
    danish_chrome(FILE_TYPES)  # "Vælg fil" and "Højst 200 MB pr. fil · CSV, …"
    upload = st.file_uploader(
        "Fil", type=FILE_TYPES, key=f"wizard_upload_{round_}" if round_ else "wizard_upload"
    )
    # The advanced fields are drawn below the kind, but a layer or CRS typed there is needed
    # to read the file for the guess: take them from the session (same keys).
    crs = st.session_state.get("wizard_crs") or None
    layer = st.session_state.get("wizard_layer") or None
    guess = None
    if upload is not None:
        name, data = upload.name, upload.getvalue()
        digest = hashlib.sha1(data).hexdigest()
        guess = _detect(name, digest, crs, layer, _data=data)
        if st.session_state.get(GUESSED) != digest:  # a new file: preselect once, then obey
            st.session_state[GUESSED] = digest
            if guess.kind:
                st.session_state[KIND] = guess.kind
    kind = st.selectbox(
        "Datatype", KINDS, format_func=lambda k: KIND_LABELS[k].capitalize(), key=KIND
    )
    if guess is not None:
        (st.info if guess.kind in (None, kind) else st.warning)(
            md_text(guess.reason if guess.kind in (None, kind) else _overruled(guess, kind))
        )
    st.caption(md_text(HELP[kind]))
    with st.expander("Avanceret: koordinatsystem og lag"):
        crs = st.text_input("Koordinatsystem (fx EPSG:25832)", "", key="wizard_crs") or None
        layer = st.text_input("Lag (GeoPackage) eller ark (XLSX)", "", key="wizard_layer") or None
    if upload is None:
        st.info("Vælg en fil. Du ser de første rækker og kolonnerne, før noget gemmes.")
        return
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
    kommune = _kommune_choice(kind, round_)
    st.subheader("3. Kontrol — intet er gemt endnu")
    result = _run(kind, name, digest, crs, layer, chosen, data, dry_run=True, kommune=kommune)
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
                kommune=kommune,
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
            f"Begge kan fortrydes under '{ROLLBACK_SECTION}'.",
        )
    else:
        mode = REPLACE
        st.caption(
            f"{label.capitalize()} erstattes altid som en helhed (kun hændelser kan tilføjes); "
            f"den tidligere version kan gendannes under '{ROLLBACK_SECTION}'."
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
        "Filen er gemt; se den under 'Indlæst nu' nedenfor. En fejl kan fortrydes under "
        f"'{ROLLBACK_SECTION}'."
    )
    st.button("Start en ny import", on_click=_new_round, key="wizard_again", type="primary")


def _overruled(guess: KindGuess, kind: str) -> str:
    """The guess beside a different kind the user chose: the check will say if it fits."""
    return (
        f"{guess.reason} Du har valgt {KIND_LABELS[kind]}; kontrollen nedenfor viser, "
        "om filen passer til det."
    )


# The guess reads only the first rows; cached per file so a click does not read it again.
@st.cache_resource(max_entries=4, show_spinner="Genkender datatypen …")
def _detect(name: str, digest: str, crs: str | None, layer: str | None, *, _data: bytes):
    return detect_upload(name, _data, layer=layer, crs=crs)


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
            f"{preview.file}: {'' if preview.rows_exact else 'ca. '}"
            f"{fmt.number(preview.row_count)} rækker, {len(preview.columns)} kolonner "
            f"({', '.join(preview.columns)}). " + page_wording(" ".join(preview.notes))
        )
    )
    st.dataframe(preview.head(), hide_index=True, width="stretch")


def _column_boxes(kind: str, preview, digest: str) -> dict[str, str | None]:
    if not KIND_ROLES[kind]:  # a StatBank table: its columns are fixed, nothing to choose
        return {}
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
            if proposal.reason and picked == proposal.column:
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
    kommune: KommuneChoice | None = None,
) -> LoadResult | None:
    try:
        if dry_run:
            return _dry_run(
                kind,
                name,
                digest,
                crs,
                layer,
                tuple(chosen.items()),
                Store().version(),
                kommune.key if kommune else None,
                _data=data,
                _kommune=kommune,
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
            **(kommune.options() if kommune else {}),
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
    kommune_key: tuple[str, str] | None,
    *,
    _data: bytes,
    _kommune: KommuneChoice | None,
) -> LoadResult:
    return import_upload(
        kind,
        name,
        _data,
        crs=crs,
        layer=layer,
        columns=dict(chosen),
        dry_run=True,
        **(_kommune.options() if _kommune else {}),
    )


@dataclass(frozen=True)
class KommuneChoice:
    """ "Behold kun områderne i kommune …": the code and, when given, a boundary file."""

    code: str
    boundary: tuple[str, bytes] | None = None

    @property
    def key(self) -> tuple[str, str]:
        """What the cached dry run is keyed by (the boundary by its digest, not its bytes)."""
        return self.code, hashlib.sha1(self.boundary[1]).hexdigest() if self.boundary else ""

    def options(self) -> dict:
        """The keywords of ``import_upload`` for this choice."""
        return {"kommune": self.code, "kommune_upload": self.boundary}


def _kommune_choice(kind: str, round_: int) -> KommuneChoice | None:
    """For districts: keep only one kommune's areas of a national file (DAGI and the like)."""
    if kind != "districts":
        return None
    keep = st.checkbox(
        "Behold kun områderne i én kommune",
        key="wizard_kommune_on",
        help="Til landsdækkende filer som DAGI's kommuner, sogne og postnumre: uden dette "
        "bliver alle Danmarks områder til jeres områder.",
    )
    if not keep:
        return None
    code = st.text_input(
        "Kommunekode",
        Store().partnership().kommune_code,  # the partnership's own kommune (partnerskab.toml)
        key="wizard_kommune",
        placeholder="fx 0851 (Aalborg)",
        max_chars=4,
    ).strip()
    boundary = st.file_uploader(
        "Kommunegrænser (fx DAGI's kommuner.geojson) — kun når filen ikke har en kolonne med "
        "kommunekode (KOMKODE)",
        type=list(VECTOR_UPLOAD_TYPES),
        key=f"wizard_kommune_file_{round_}",
    )
    if not code:
        st.info("Skriv kommunekoden, fx 0851 for Aalborg.")
        return None
    return KommuneChoice(code, (boundary.name, boundary.getvalue()) if boundary else None)


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
    if result.kommune:
        labels += [("Uden for kommunen", "outside_kommune")]
        report["outside_kommune"] = report["kommune"]["dropped"]
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
            csv_bytes(page_messages(result.rejected), sep=";", bom=True),  # no formula runs
            file_name=f"afviste_{result.kind}.csv",
            mime="text/csv",
        )


def rejected_table(rejected):
    """Rejected rows for the page: Danish headers and reasons in words (the codes stay in the
    downloaded CSV, where scripts read them)."""
    table = page_messages(rejected)
    table["reason"] = table["reason"].map(reason_text)
    return table.rename(columns=REJECTED_HEADERS)


def page_messages(rejected):
    """Rejected rows with their explanations in the page's words (its fields, not --lat-col)."""
    table = rejected.copy()
    if "message" in table.columns and len(table):
        worded = {m: page_wording(m) for m in table["message"].dropna().unique()}
        table["message"] = table["message"].map(lambda m: worded.get(m, m))
    return table


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
