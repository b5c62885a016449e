"""The Data page's role-bound parts: rollback (dataansvarlig), the import log (analytiker+) and
damaged stored files (in full for dataansvarlig, "Data er midlertidigt utilgængelige" for others).

The page calls these only when ``ui.can("rollback")`` / ``ui.can("audit_log")`` holds, so for
any other role they are never built and nothing of them reaches the browser.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tryg_geo import DATA_UNAVAILABLE, KIND_LABELS, KINDS, Store, TrygGeoError, access, fmt

from .auth import actor, can
from .state import plain_markdown

#: Lines of the import log shown on the Data page.
LOG_LINES = 15
ACTIONS = {
    "import": "Import",
    "import_failed": "Import afvist",
    "rollback": "Tilbagerulning",
    "restore": "Gendannelse",
}
#: The heading of the rollback section (the wizard's messages point to it by this name).
ROLLBACK_SECTION = "Rul tilbage"
VIA = {"dashboard": "dashboard", "kommandolinje": "kommandolinje", "python": "Python"}


def rollback_form(store: Store) -> None:
    """Roll one kind back to its previous version; logged with the signed-in person."""
    if not can("rollback"):  # a second lock on the door: the page already asked
        return
    kinds = [k for k in KINDS if store.versions(k)]
    st.subheader(ROLLBACK_SECTION)
    if not kinds:
        st.caption("Der er ingen tidligere versioner at rulle tilbage til.")
        return
    with st.form("rollback"):
        kind = st.selectbox(
            "Datatype", kinds, format_func=lambda k: KIND_LABELS[k].capitalize(), key="rb_kind"
        )
        st.caption("Den forrige version bliver aktuel igen; intet slettes.")
        go = st.form_submit_button("Rul tilbage til forrige version")
    if go:
        try:
            with access.acting_as(actor(), "dashboard"):
                meta = store.rollback(kind)
        except TrygGeoError as exc:
            st.error(str(exc))
        else:
            st.success(
                f"{KIND_LABELS[kind].capitalize()} er nu igen versionen fra "
                f"{_when(meta.get('imported_at'))} ({meta.get('file')})."
            )


def data_problems(status: dict) -> None:
    """Damaged stored files (from ``data_status``): each file, its cause and the command that
    repairs it for the data steward; :data:`DATA_UNAVAILABLE` without paths for anyone else."""
    if status["ok"]:
        return
    if not can("rollback"):
        st.error(DATA_UNAVAILABLE)
        return
    lines = [f"- {p['sentence']}" for p in status["problems"]]
    if status["error"]:
        lines.append(f"- {status['error']}")
    st.error(
        plain_markdown(
            "De gemte data er beskadiget; tallene nedenfor er fra meta.json.\n" + "\n".join(lines)
        )
    )


def import_log(store: Store) -> None:
    """The newest lines of ``import_log.jsonl``: who, how, when, what and the counts."""
    if not can("audit_log"):
        return
    st.subheader("Importlog")
    entries = store.log_entries(LOG_LINES)
    if not entries:
        st.caption("Ingen importer eller tilbagerulninger endnu.")
        return
    rows = [
        {
            "Tidspunkt": _when(e.get("at") or e.get("imported_at")),
            "Hvem": e.get("who") or "(ikke registreret)",
            "Hvordan": VIA.get(e.get("via") or "", e.get("via") or ""),
            "Handling": ACTIONS.get(e.get("action") or "", "Import"),
            "Data": KIND_LABELS.get(e.get("kind") or "", e.get("kind") or ""),
            "Fil": e.get("file") or "",
            "Læst": fmt.number(e.get("rows_read")),
            "Godkendt": fmt.number(e.get("accepted")),
            "Afvist": fmt.number(e.get("rejected")),
            "Årsag": e.get("reason") or "",
        }
        for e in entries
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(f"De seneste {len(rows)} linjer af import_log.jsonl i datamappen, nyeste først.")


def _when(text: object) -> str:
    if not text:
        return ""
    try:
        return pd.Timestamp(str(text)).strftime("%d.%m.%Y %H:%M")
    except ValueError:
        return str(text)
