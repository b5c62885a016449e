"""The steering-group deck on Overblik: 'Hent præsentation (PowerPoint)' and '(PDF)'.

A click makes the deck with the page's filters (every view computed, checked and drawn: some
seconds) inside a status box with a progress bar; then a button saves the file. One file per
format is kept, each with the filters it was made for; a file made for other filters is
dropped, and every save button is removed while a new file is made. Streamlit
cannot show progress while a download button's data is made lazily, hence the two steps.
"""

from __future__ import annotations

import logging

import streamlit as st

from tryg_geo import Dataset, Filters, TrygGeoError, make_deck

from .auth import role
from .render import md_text

FORMATS = (("pptx", "PowerPoint"), ("pdf", "PDF"))
STATE_KEY = "_deck"


def deck_downloads(ds: Dataset, filters: Filters) -> None:
    """The two buttons, the progress while a deck is made, and a button per format that saves
    the file made last for the page's current filters.

    The save buttons sit in fixed slots above the progress box and are emptied the moment a new
    deck is started: Streamlit would otherwise keep showing (and let the user click) the buttons
    of the run before until the new run reaches them, saving a file that is being replaced.
    """
    st.header("Præsentation til styregruppemødet")
    st.caption(
        "Forside, Overblik, Tryg bydel, Natteliv, Byens rum og hver indsats med data – "
        "titler, nøgletal, tabeller og grafer som tekst og diagrammer, der kan redigeres, og "
        "kortet som billede, med talenoter, for perioden ovenfor. Det tager nogle sekunder."
    )
    wanted = None
    for column, (fmt, name) in zip(st.columns(len(FORMATS)), FORMATS, strict=True):
        if column.button(f"Hent præsentation ({name})", key=f"deck_{fmt}"):
            wanted = (fmt, name)
    made_for = tuple(sorted(filters.to_params().items()))
    slots = {fmt: st.empty() for fmt, _ in FORMATS}
    stored: dict = st.session_state.setdefault(STATE_KEY, {})
    for fmt in [f for f, (choices, _) in stored.items() if choices != made_for]:
        del stored[fmt]  # made for other choices: never offered again
    if wanted is not None:
        stored.pop(wanted[0], None)
        for slot in slots.values():
            slot.empty()
        _make(ds, filters, *wanted, made_for)
    for fmt, slot in slots.items():
        if fmt in stored:
            _save_button(slot, stored[fmt][1])


def _save_button(slot, deck) -> None:
    slot.download_button(
        f"Gem {deck.file_name}",
        data=deck.data,
        file_name=deck.file_name,
        mime=deck.mime,
        key=f"deck_save_{deck.fmt}",
        type="primary",
        on_click="ignore",
    )


def _make(ds: Dataset, filters: Filters, fmt: str, name: str, made_for: tuple) -> None:
    with st.status(f"Laver præsentationen ({name}) …", expanded=True) as status:
        bar = st.progress(0.0, text="Beregner visningerne …")

        def progress(share: float, text: str) -> None:
            bar.progress(min(max(share, 0.0), 1.0), text=md_text(text))

        try:
            deck = make_deck(ds, filters, fmt, progress=progress, role=role())
        except TrygGeoError as exc:
            status.update(label="Præsentationen blev ikke lavet.", state="error")
            st.error(md_text(exc))
            return
        except Exception:  # a bug: say so plainly; the details go to the server log only
            logging.getLogger("tryg_geo").exception("Præsentationen (%s) fejlede", fmt)
            status.update(label="Præsentationen blev ikke lavet.", state="error")
            st.error(
                "Præsentationen kunne ikke laves på grund af en fejl i Tryg Geo (ikke i jeres "
                "data). Prøv andre filtre, og giv udviklerne besked med tidspunktet."
            )
            return
        pages = f"{len(deck.slides)} sider"
        left_out = f", {len(deck.left_out)} uden data" if deck.left_out else ""
        status.update(
            label=f"Præsentationen er klar: {pages}{left_out}.", state="complete", expanded=False
        )
    st.session_state[STATE_KEY][fmt] = (made_for, deck)
