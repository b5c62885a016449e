"""The steering-group meeting in one file: a PowerPoint (``.pptx``) or PDF deck.

``python -m tryg_geo deck --out møde.pptx`` (or ``møde.pdf``) and the buttons on Overblik make
the same 16:9 slides, in Danish, for the dashboard's filters:

1. a cover: "Tryg Aalborg – styregruppemøde", the period and filters, the extraction date and,
   on demo data, a DEMODATA mark;
2. Overblik, Tryg bydel, Natteliv and Byens rum;
3. one slide per initiative with numbers in the period;
3a. the category map of emerging hot spots (:mod:`.deck_emerging`), when the data allow one;
4. "Uden data": the initiatives (and any view) left out, and why — only when there are any;
5. a closing slide with the sources and the discretion rule.

A view slide shows the view's title, key figures, table, trend charts and map: in the
PowerPoint as editable parts (title placeholder, text boxes, PowerPoint tables and line charts
with the view's numbers, the map as a picture in its box), in the PDF as the PNG export's
matplotlib figure drawn as vector graphics — the same titles, figures, tables and charts —
with speaker notes made of the view's own texts (key figures,
highlights, notes: the sentences the dashboard shows), the period and the source. The views
are computed and checked by the walk :func:`tryg_geo.render.pack.plan_views` that ``pack``
uses as well, so a deck
is refused, as a whole, when one view would break the discretion rule.

The PDF has the same pages as the PowerPoint; it has no speaker notes (PDF has no such thing).
No office suite is needed: python-pptx writes the PowerPoint (:mod:`.deck_pptx`), matplotlib the
PDF (:mod:`.deck_pdf`); the slide as data and its geometry are in :mod:`.deck_layout`. This
module plans the slides, writes their texts and makes the file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import settings
from ..compute.filters import Filters
from ..compute.privacy import hidden_text, threshold
from ..errors import UsageError
from ..fmt import day
from ..role_files import LEAST_ROLE
from ..store.as_of import data_as_of
from ..store.dataset import Dataset
from ..store.schema import KINDS
from ..views.model import View
from ..views.registry import INITIATIVE_PREFIX
from ..views.sources import SEPARATOR, badge_text, demo_mark
from . import files
from .deck_emerging import emerging_slide_view
from .deck_layout import Progress, Slide
from .deck_pdf import pdf_bytes
from .deck_pptx import pptx_bytes
from .pack import NO_DATA, Planned, plan_views

#: The cover's title after the partnership's name: 'Tryg Aalborg – styregruppemøde'.
MEETING = "styregruppemøde"
NO_DATA_TITLE = "Uden data"
CLOSING_TITLE = "Kilder og diskretion"
#: File suffix -> format; the format of ``deck --out`` follows the suffix.
FORMATS: dict[str, str] = {".pptx": "pptx", ".pdf": "pdf"}
MIME: dict[str, str] = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
}
FORMAT_NAMES: dict[str, str] = {"pptx": "PowerPoint", "pdf": "PDF"}
REFUSAL = "Præsentationen blev ikke lavet: tallene for"
#: The main views of the meeting, in order; then every initiative with data. (Analyst views
#: such as 'analyse' stay in the dashboard.)
DECK_VIEWS = ("overblik", "tryg-bydel", "natteliv", "byens-rum", "kommuner")


@dataclass
class Deck:
    """A finished deck: its bytes, format ('pptx' or 'pdf'), slides, the views left out and a
    file name for a download ('tryg-geo_styregruppe_2025-01-01_2025-12-31.pptx')."""

    data: bytes
    fmt: str
    slides: list[Slide]
    left_out: list[Planned]
    file_name: str = ""

    @property
    def mime(self) -> str:
        return MIME[self.fmt]

    @property
    def view_slides(self) -> int:
        return sum(s.view is not None for s in self.slides)


def deck_slides(
    ds: Dataset,
    filters: Filters,
    planned: list[Planned] | None = None,
    *,
    extracted: date | None = None,
    role: str = LEAST_ROLE,
) -> tuple[list[Slide], list[Planned]]:
    """The slides for ``filters`` and the views left out (see the module's docstring).

    Parameters
    ----------
    ds : the loaded data.
    filters : the dashboard's filters.
    planned : the views from :func:`plan_views` (computed when not given).
    extracted : the extraction date shown (default today, as in every source line).
    role : whose deck it is (the emerging slide's z-series are analyst detail).
    """
    if planned is None:
        planned = plan_views(ds, filters, keep=in_deck, refusal=REFUSAL)
    extracted = extracted or date.today()
    names = ds.district_names
    shown = [p for p in planned if p.view is not None]
    left_out = [p for p in planned if p.view is None]
    slides = [_cover(ds, filters, extracted, names, len(shown))]
    slides += [_view_slide(p.view, filters) for p in shown if p.view is not None]
    emerging = emerging_slide_view(ds, filters, role)
    if emerging is not None:
        slides.append(_view_slide(emerging, filters))
    if left_out:
        slides.append(_no_data_slide(left_out, filters, deck_badge(ds)))
        slides[-1].after.append(data_as_of(ds))
    slides.append(_closing(ds, filters, extracted, names, [p.view for p in shown if p.view]))
    for slide in slides:  # the text slides' kicker is the partnership (the cover's its partners)
        slide.kicker = slide.kicker or ds.partnership.name
        slide.kicker_colour = ds.partnership.colour
    return slides, left_out


def deck_title(ds: Dataset) -> str:
    """'Tryg Aalborg – styregruppemøde': the cover's title and the file's title."""
    return f"{ds.partnership.name} – {MEETING}"


def in_deck(key: str) -> bool:
    """True for the views the deck shows: :data:`DECK_VIEWS` and every ``indsats/<slug>``."""
    return key in DECK_VIEWS or key.startswith(INITIATIVE_PREFIX)


def _period(filters: Filters) -> str:
    return f"{day(filters.start)}–{day(filters.end)}"


def _cover(
    ds: Dataset, filters: Filters, extracted: date, names: dict[str, str], views: int
) -> Slide:
    lines = [
        f"Periode {_period(filters)}",
        _filter_words(filters, names),
        f"Data udtrukket {day(extracted)} fra Tryg Geo · {views_text(views)}",
        data_as_of(ds),
    ]
    mark = demo_mark(ds, KINDS)
    if mark.partial:  # name the demo parts; the rest is real
        lines.append(f"Demodata i en del af data – {mark.label}.")
    elif mark.demo:
        lines.append("Demodata – genererede eksempeldata, ikke rigtige tal.")
    notes = [
        deck_title(ds),
        f"{filters.describe(names)}.",
        f"Tallene er udtrukket {day(extracted)} og er de samme som i dashboardet med de samme "
        "filtre.",
    ]
    if mark.partial:
        notes.append(f"Demodata: kun disse dele er genererede eksempeldata – {mark.label}.")
    elif mark.demo:
        notes.append("Demodata: alle tal er genererede eksempeldata, ikke rigtige tal.")
    return Slide(
        deck_title(ds),
        "\n".join(notes),
        kicker=ds.partnership.partners_line,
        lines=lines,
        cover=True,
        logo=ds.partnership.logo,
        badge=deck_badge(ds),
    )


def views_text(count: int) -> str:
    """'1 visning', '21 visninger'."""
    return f"{count} visning" if count == 1 else f"{count} visninger"


def _filter_words(filters: Filters, names: dict[str, str]) -> str:
    """'Hændelseskategorier: alle · område: Vejgaard' — the filters beside the period."""
    words = filters.describe(names).split("; ")[1:]
    text = " · ".join(words)
    return text[:1].upper() + text[1:] if text else ""


def speaker_notes(view: View, filters: Filters) -> str:
    """The view's own texts as speaker notes: title and subtitle, the key figures (label,
    value, change and the explanation the dashboard shows on hover), the highlights, the notes,
    the period and the source line."""
    parts = [view.title, view.subtitle]
    if view.kpis:
        parts += ["", "Nøgletal:"]
        parts += [f"• {_kpi_sentence(kpi)}" for kpi in view.kpis]
    if view.highlights:
        parts += ["", "Det vigtigste:"]
        parts += [f"• {text}" for text in view.highlights]
    notes = [n for n in view.notes if not _repeats_kpi_help(n, view)]
    if notes:
        parts += ["", "Bemærk:"]
        parts += [f"• {text}" for text in notes]
    span = view.period or (filters.start, filters.end)  # StatBank's quarters on Kommuner
    parts += ["", f"Periode: {day(span[0])}–{day(span[1])}.", view.source]
    if view.as_of:
        parts.append(view.as_of)
    return "\n".join(parts)


def _kpi_sentence(kpi) -> str:
    text = f"{kpi.label}: {kpi.value}"
    # As on screen: no change shown when there is none to show ('–', '±0 …').
    if kpi.delta and kpi.delta != "–" and not kpi.delta.startswith("±"):
        text += f" ({kpi.delta} mod samme periode sidste år)"
    text += "."
    if kpi.help:
        text += f" {kpi.help}" + ("" if kpi.help.endswith((".", "!", "?")) else ".")
    return text


def _repeats_kpi_help(note: str, view: View) -> bool:
    """A note 'Label: definition.' that the key figure's explanation already begins with."""
    for kpi in view.kpis:
        prefix = f"{kpi.label}: "
        if kpi.help and note.startswith(prefix):
            definition = note.removeprefix(prefix).rstrip(".")
            if kpi.help.startswith(definition):
                return True
    return False


def _view_slide(view: View, filters: Filters) -> Slide:
    return Slide(view.title, speaker_notes(view, filters), view=view)


def deck_badge(ds: Dataset) -> str | None:
    """The demo badge of the deck's own slides (cover, "Uden data", closing)."""
    mark = demo_mark(ds, KINDS)
    return badge_text(mark.demo, mark.label)


def _no_data_slide(left_out: list[Planned], filters: Filters, badge: str | None) -> Slide:
    lead = (
        f"Disse visninger har ingen tal i perioden {_period(filters)} "
        "og er ikke med i præsentationen:"
    )
    # Short names in the list; why a view is empty (often a long import instruction) is a
    # paragraph under it, so the list fits the page.
    bullets = [_left_out_name(p) for p in left_out]
    after = [f"{_left_out_name(p)}: {p.note}" for p in left_out if p.note != NO_DATA]
    notes = [lead] + [f"• {b}" for b in bullets] + after
    notes.append(
        "Se den enkelte indsats i dashboardet for, hvilke data der skal til. "
        f"Periode: {_period(filters)}."
    )
    return Slide(
        NO_DATA_TITLE, "\n".join(notes), lines=[lead], bullets=bullets, after=after, badge=badge
    )


def _left_out_name(planned: Planned) -> str:
    """The entry of a view left out; an initiative says so ('Indsats: Tryg bydel'), as a view
    may have the same name ('Tryg bydel – …')."""
    if planned.key.startswith(INITIATIVE_PREFIX):
        return f"Indsats: {planned.title}"
    return planned.title


def _sources(views: list[View]) -> list[str]:
    """Every source the views name (:attr:`View.sources`), in order of first appearance."""
    seen: list[str] = []
    for view in views:
        for part in view.sources:
            if part and part not in seen:
                seen.append(part)
    return seen


def _closing(
    ds: Dataset, filters: Filters, extracted: date, names: dict[str, str], views: list[View]
) -> Slide:
    limit = threshold()
    sources = _sources(views)
    bullets = [
        "Kilder: " + (SEPARATOR.join(sources) if sources else "ingen") + ".",
        f"Udtrukket {day(extracted)} af Tryg Geo. Filtre: {filters.describe(names)}.",
        f"Diskretion: tal under {limit} vises ikke – de står som '{hidden_text(limit)}' eller er grå på "
        "kortet – og hvor en total står ved siden af sine dele, er endnu et tal skjult, så det "
        "skjulte ikke kan regnes ud.",
        f"Andele med under {settings.get('min_respondents')} svar er markeret som usikre.",
        "Tallene er de samme som i dashboardet og i CSV-eksporten med de samme filtre.",
        f"{data_as_of(ds)}.",
    ]
    mark = demo_mark(ds, KINDS)
    if mark.partial:
        bullets.append(f"Demodata: kun disse dele er genererede eksempeldata – {mark.label}.")
    elif mark.demo:
        bullets.append("Demodata: alle tal i præsentationen er genererede eksempeldata.")
    return Slide(CLOSING_TITLE, "\n".join(bullets), bullets=bullets, badge=deck_badge(ds))


# ---- making the deck -------------------------------------------------------------------------
def deck_format(path: str | os.PathLike[str]) -> str:
    """'pptx' or 'pdf' from the file's suffix.

    Raises
    ------
    UsageError
        When the suffix is neither .pptx nor .pdf.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(
            f"--out {str(path)!r}: præsentationen skal have endelsen .pptx (PowerPoint) eller .pdf."
        )
    return FORMATS[suffix]


def make_deck(
    ds: Dataset,
    filters: Filters,
    fmt: str,
    *,
    progress: Progress | None = None,
    extracted: date | None = None,
    role: str = LEAST_ROLE,
) -> Deck:
    """The deck for ``filters`` as ``fmt`` ('pptx' or 'pdf') bytes.

    Parameters
    ----------
    ds : the loaded data.
    filters : the dashboard's filters.
    fmt : 'pptx' or 'pdf'.
    progress : called with (share done, Danish text) while the deck is made.
    extracted : the extraction date shown (default today).
    role : whose deck it is (:func:`tryg_geo.role_files.for_role`); default the most
        restrictive role.

    Raises
    ------
    UsageError
        When ``fmt`` is not allowed.
    ExportError
        When a view would break the discretion rule (nothing is made).
    """
    if fmt not in MIME:
        raise UsageError(f"Formatet {fmt!r} er ikke tilladt; vælg pptx eller pdf.")
    report = progress or (lambda share, text: None)
    report(0.0, "Beregner visningerne …")
    planned = plan_views(ds, filters, keep=in_deck, refusal=REFUSAL, role=role)
    slides, left_out = deck_slides(ds, filters, planned, extracted=extracted, role=role)
    write = pptx_bytes if fmt == "pptx" else pdf_bytes
    data = write(slides, report, deck_title(ds))
    report(1.0, "Færdig.")
    return Deck(data, fmt, slides, left_out, file_name(filters, fmt))


def write_deck(
    ds: Dataset,
    out: str | os.PathLike[str],
    filters: Filters,
    *,
    progress: Progress | None = None,
    role: str = LEAST_ROLE,
) -> Deck:
    """Make the deck (as ``role`` may have it) and write it to ``out`` (format from the suffix: .pptx or .pdf).

    Raises
    ------
    UsageError
        When the suffix is neither .pptx nor .pdf.
    ExportError
        When a view would break the discretion rule, or the file cannot be written.
    """
    path = Path(out)
    fmt = deck_format(path)
    deck = make_deck(ds, filters, fmt, progress=progress, role=role)
    files.make_folder(path.parent)
    files.save(path, deck.data)
    return deck


def file_name(filters: Filters, fmt: str) -> str:
    """'tryg-geo_styregruppe_2025-01-01_2025-12-31.pptx'."""
    return f"tryg-geo_styregruppe_{filters.start.isoformat()}_{filters.end.isoformat()}.{fmt}"
