"""The steering-group meeting in one file: a PowerPoint (``.pptx``) or PDF deck.

``python -m tryg_geo deck --out møde.pptx`` (or ``møde.pdf``) and the buttons on Overblik make
the same 16:9 slides, in Danish, for the dashboard's filters:

1. a cover: "Tryg Aalborg – styregruppemøde", the period and filters, the extraction date and,
   on demo data, a DEMODATA mark;
2. Overblik, Tryg bydel, Natteliv and Byens rum;
3. one slide per initiative with numbers in the period;
4. "Uden data": the initiatives (and any view) left out, and why — only when there are any;
5. a closing slide with the sources and the discretion rule.

Every view slide is the view's finished picture — the PNG export (1920 × 1080) in the
PowerPoint, the very same matplotlib figure as vector graphics in the PDF — with the view's
title as the slide title and speaker notes made of the view's own texts (key figures,
highlights, notes: the sentences the dashboard shows), the period and the source. The views
are computed and checked by the walk :func:`tryg_geo.render.pack.plan_views` that ``pack``
uses as well, so a deck
is refused, as a whole, when one view would break the discretion rule.

The PDF has the same pages as the PowerPoint; it has no speaker notes (PDF has no such thing).
No office suite is needed: python-pptx writes the PowerPoint, matplotlib the PDF.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .. import settings
from ..compute.filters import Filters
from ..compute.privacy import hidden_text, threshold
from ..errors import UsageError
from ..fmt import day
from ..store.dataset import Dataset
from ..views.model import View
from ..views.registry import INITIATIVE_PREFIX
from ..views.sources import SEPARATOR
from . import files, png_base, png_page
from .pack import NO_DATA, Planned, plan_views

DECK_TITLE = "Tryg Aalborg – styregruppemøde"
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
DECK_VIEWS = ("overblik", "tryg-bydel", "natteliv", "byens-rum")
PARTNERS = "Aalborg Kommune · Nordjyllands Politi · Psykiatrien i Region Nordjylland"

#: A progress callback: (share done 0–1, what is being made, in Danish).
Progress = Callable[[float, str], None]

# The slide: 16:9, 13,333 × 7,5 in (PowerPoint's widescreen). The PDF pages have the PNG
# export's size, 19,2 × 10,8 in, so a view page is the export's figure itself; text pages are
# scaled from the same layout.
SLIDE_W_EMU, SLIDE_H_EMU = 12_192_000, 6_858_000  # exactly 16:9
SLIDE_W_IN, SLIDE_H_IN = SLIDE_W_EMU / 914_400, SLIDE_H_EMU / 914_400
PDF_W_IN, PDF_H_IN = png_base.SIZES["slide"][0], png_base.SIZES["slide"][1]
TEXT, MUTED, RULE, DEMO_RED = png_base.TEXT, png_base.MUTED, png_base.RULE, png_base.DEMO_RED
#: Font sizes in points on the 7,5 in high slide.
FONT_PT = {"kicker": 16, "cover": 40, "title": 32, "lead": 20, "body": 18, "small": 14, "badge": 14}
MARGIN_IN = 0.6


# ---- slides as data --------------------------------------------------------------------------
@dataclass
class Slide:
    """One slide: a view's picture (``view``) or text (``lines``), with speaker notes."""

    title: str
    notes: str
    view: View | None = None
    kicker: str = "Tryg Aalborg"
    lines: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    cover: bool = False
    demo: bool = False


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
) -> tuple[list[Slide], list[Planned]]:
    """The slides for ``filters`` and the views left out (see the module's docstring).

    Parameters
    ----------
    ds : the loaded data.
    filters : the dashboard's filters.
    planned : the views from :func:`plan_views` (computed when not given).
    extracted : the extraction date shown (default today, as in every source line).
    """
    if planned is None:
        planned = plan_views(ds, filters, keep=in_deck, refusal=REFUSAL)
    extracted = extracted or date.today()
    names = ds.district_names
    shown = [p for p in planned if p.view is not None]
    left_out = [p for p in planned if p.view is None]
    slides = [_cover(ds, filters, extracted, names, len(shown))]
    slides += [_view_slide(p.view, filters) for p in shown if p.view is not None]
    if left_out:
        slides.append(_no_data_slide(left_out, filters, ds.demo))
    slides.append(_closing(ds, filters, extracted, names, [p.view for p in shown if p.view]))
    return slides, left_out


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
    ]
    if ds.demo:
        lines.append("Demodata – genererede eksempeldata, ikke rigtige tal.")
    notes = [
        DECK_TITLE,
        f"{filters.describe(names)}.",
        f"Tallene er udtrukket {day(extracted)} og er de samme som i dashboardet med de samme "
        "filtre.",
    ]
    if ds.demo:
        notes.append("Demodata: alle tal er genererede eksempeldata, ikke rigtige tal.")
    return Slide(
        DECK_TITLE, "\n".join(notes), kicker=PARTNERS, lines=lines, cover=True, demo=ds.demo
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
    parts += ["", f"Periode: {_period(filters)}.", view.source]
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


def _no_data_slide(left_out: list[Planned], filters: Filters, demo: bool) -> Slide:
    lead = (
        f"Disse visninger har ingen tal i perioden {_period(filters)} "
        "og er ikke med i præsentationen:"
    )
    bullets = [p.title if p.note == NO_DATA else f"{p.title} – {p.note}" for p in left_out]
    notes = [lead] + [f"• {b}" for b in bullets]
    notes.append(
        "Se den enkelte indsats i dashboardet for, hvilke data der skal til. "
        f"Periode: {_period(filters)}."
    )
    return Slide(NO_DATA_TITLE, "\n".join(notes), lines=[lead], bullets=bullets, demo=demo)


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
    ]
    if ds.demo:
        bullets.append("Demodata: alle tal i præsentationen er genererede eksempeldata.")
    return Slide(CLOSING_TITLE, "\n".join(bullets), bullets=bullets, demo=ds.demo)


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
) -> Deck:
    """The deck for ``filters`` as ``fmt`` ('pptx' or 'pdf') bytes.

    Parameters
    ----------
    ds : the loaded data.
    filters : the dashboard's filters.
    fmt : 'pptx' or 'pdf'.
    progress : called with (share done, Danish text) while the deck is made.
    extracted : the extraction date shown (default today).

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
    planned = plan_views(ds, filters, keep=in_deck, refusal=REFUSAL)
    slides, left_out = deck_slides(ds, filters, planned, extracted=extracted)
    data = _pptx(slides, report) if fmt == "pptx" else _pdf(slides, report)
    report(1.0, "Færdig.")
    return Deck(data, fmt, slides, left_out, file_name(filters, fmt))


def write_deck(
    ds: Dataset,
    out: str | os.PathLike[str],
    filters: Filters,
    *,
    progress: Progress | None = None,
) -> Deck:
    """Make the deck and write it to ``out`` (format from the suffix: .pptx or .pdf).

    Raises
    ------
    UsageError
        When the suffix is neither .pptx nor .pdf.
    ExportError
        When a view would break the discretion rule, or the file cannot be written.
    """
    path = Path(out)
    fmt = deck_format(path)
    deck = make_deck(ds, filters, fmt, progress=progress)
    files.make_folder(path.parent)
    files.save(path, deck.data)
    return deck


def file_name(filters: Filters, fmt: str) -> str:
    """'tryg-geo_styregruppe_2025-01-01_2025-12-31.pptx'."""
    return f"tryg-geo_styregruppe_{filters.start.isoformat()}_{filters.end.isoformat()}.{fmt}"


def _step(report: Progress, done: int, total: int, title: str) -> None:
    report(0.1 + 0.85 * done / max(total, 1), f"{title} ({done} af {total})")


# ---- PowerPoint ------------------------------------------------------------------------------
def _pngs(views: list[View], report: Progress) -> list[bytes]:
    """The PNG export of every view. Drawn one after another: two processes gave no gain on
    the 2-core test machine (bench/deck.py), and the dashboard should not fork."""
    out = []
    for i, view in enumerate(views, 1):
        out.append(png_page.view_png(view))
        _step(report, i, len(views), view.title)
    return out


def _pptx(slides: list[Slide], report: Progress) -> bytes:
    from pptx import Presentation
    from pptx.util import Emu

    views = [s.view for s in slides if s.view is not None]
    pictures = iter(_pngs(views, report))
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(SLIDE_W_EMU), Emu(SLIDE_H_EMU)
    prs.core_properties.title = DECK_TITLE
    prs.core_properties.author = "Tryg Geo"
    prs.core_properties.language = "da-DK"
    layout = prs.slide_layouts[5]  # "Title Only": every slide has a real title
    for slide in slides:
        page = prs.slides.add_slide(layout)
        if slide.view is not None:
            _pptx_picture(page, prs, slide, next(pictures))
        else:
            _pptx_text(page, prs, slide)
        page.notes_slide.notes_text_frame.text = slide.notes
        _danish(page.notes_slide.notes_text_frame)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _pptx_picture(page, prs, slide: Slide, png: bytes) -> None:
    """The picture fills the slide; the title placeholder holds the view's title (outline,
    navigation and screen readers) right where the picture shows the same title, under it."""
    from pptx.util import Inches, Pt

    title = page.shapes.title
    title.left, title.top = Inches(0.4), Inches(0.35)
    title.width, title.height = Inches(SLIDE_W_IN - 0.8), Inches(0.7)
    title.text = slide.title
    _style(title.text_frame.paragraphs[0], Pt(FONT_PT["title"]), TEXT, bold=True, left=True)
    page.shapes.add_picture(io.BytesIO(png), 0, 0, prs.slide_width, prs.slide_height)


def _pptx_text(page, prs, slide: Slide) -> None:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR
    from pptx.util import Inches, Pt

    m = Inches(MARGIN_IN)
    width = prs.slide_width - 2 * m
    top = Inches(_top(slide))
    kicker = page.shapes.add_textbox(m, top - Inches(0.5), width, Inches(0.45))
    kicker.text_frame.word_wrap = True
    kicker.text_frame.text = slide.kicker
    _style(kicker.text_frame.paragraphs[0], Pt(FONT_PT["kicker"]), MUTED, left=True)
    title = page.shapes.title
    title.left, title.top, title.width = m, top, width
    title.height = Inches(_title_height(slide))
    title.text = slide.title
    title.text_frame.vertical_anchor = MSO_ANCHOR.TOP
    size = Pt(FONT_PT["cover" if slide.cover else "title"])
    _style(title.text_frame.paragraphs[0], size, TEXT, bold=True, left=True)
    y = top + title.height + Inches(0.1)
    inset = Inches(0.1)  # a text box's own margin: the rule starts where the text does
    rule = page.shapes.add_shape(MSO_SHAPE.RECTANGLE, m + inset, y, width - 2 * inset, Pt(1.25))
    rule.fill.solid()
    rule.fill.fore_color.rgb = _rgb(RULE)
    rule.line.fill.background()
    _plain(rule)
    y += Inches(0.3)
    body = page.shapes.add_textbox(m, y, width, prs.slide_height - y - Inches(0.5))
    frame = body.text_frame
    frame.word_wrap = True
    first = True
    for line in slide.lines:
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        paragraph.text = line
        demo = line.startswith("Demodata")
        lead = slide.cover and line == slide.lines[0]
        font = "lead" if lead or not slide.cover else "body"
        _style(
            paragraph,
            Pt(FONT_PT[font]),
            DEMO_RED if demo else TEXT if lead else MUTED,
            bold=lead or demo,
            left=True,
        )
        paragraph.space_after = Pt(10)
    columns = _columns(slide.bullets)
    if columns and len(columns) > 1:
        # Long lists (many initiatives without data) in two columns under the lead text.
        frame.paragraphs[-1].space_after = Pt(10)
        half = (width - Inches(0.4)) // 2
        y += sum(
            Inches(_lines(line, "lead", width) * 1.2 * FONT_PT["lead"] / 72) for line in slide.lines
        ) + Inches(0.25)
        for i, column in enumerate(columns):
            box = page.shapes.add_textbox(
                m + i * (half + Inches(0.4)), y, half, prs.slide_height - y - Inches(0.5)
            )
            _pptx_bullets(box.text_frame, column)
    elif columns:
        _pptx_bullets(frame, columns[0], first=first)
    if slide.demo:
        badge = page.shapes.add_shape(
            MSO_SHAPE.ROUNDED_RECTANGLE,
            prs.slide_width - m - Inches(1.9),
            Inches(0.35),
            Inches(1.9),
            Inches(0.5),
        )
        badge.fill.solid()
        badge.fill.fore_color.rgb = _rgb(DEMO_RED)
        badge.line.color.rgb = _rgb(DEMO_RED)
        _plain(badge)
        badge.text_frame.text = "DEMODATA"
        paragraph = badge.text_frame.paragraphs[0]
        _style(paragraph, Pt(FONT_PT["badge"]), "#ffffff", bold=True, left=False)
    _danish(frame)


def _plain(shape) -> None:
    """No theme style on a drawn shape: the default theme gives shapes a shadow (and
    LibreOffice draws it even under an empty effect list); colours are set explicitly."""
    from pptx.oxml.ns import qn

    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def _pptx_bullets(frame, bullets: list[str], first: bool = False) -> None:
    """Bullets with a hanging indent, so a wrapped line starts under the text, not the dot."""
    from pptx.oxml.ns import qn
    from pptx.util import Inches, Pt

    frame.word_wrap = True
    for text in bullets:
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        paragraph.text = text
        _style(paragraph, Pt(FONT_PT["body"]), TEXT, left=True)
        paragraph.space_after = Pt(8)
        properties = paragraph._p.get_or_add_pPr()
        properties.set("marL", str(Inches(BULLET_IN)))
        properties.set("indent", str(-Inches(BULLET_IN)))
        bullet = properties.makeelement(qn("a:buChar"), {"char": "•"})
        properties.append(bullet)
    _danish(frame)


def _lines(text: str, font: str, width) -> int:
    """About how many lines ``text`` takes in a box ``width`` (EMU) wide."""
    chars = max(int(width / 914_400 * 72 / (FONT_PT[font] * 0.5)), 10)
    return -(-len(text) // chars)


def _columns(bullets: list[str]) -> list[list[str]]:
    """Up to 8 bullets in one column, more in two."""
    if not bullets:
        return []
    if len(bullets) <= 8:
        return [bullets]
    half = (len(bullets) + 1) // 2
    return [bullets[:half], bullets[half:]]


def _rgb(colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(colour.lstrip("#").upper())


def _style(paragraph, size, colour: str, *, bold: bool = False, left: bool = True) -> None:
    from pptx.enum.text import PP_ALIGN

    paragraph.alignment = PP_ALIGN.LEFT if left else PP_ALIGN.CENTER
    for run in paragraph.runs:
        run.font.size = size
        run.font.bold = bold
        run.font.color.rgb = _rgb(colour)


def _danish(frame) -> None:
    """Mark every run as Danish, so PowerPoint's spelling and read-aloud use Danish."""
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font._rPr.set("lang", "da-DK")


# ---- PDF -------------------------------------------------------------------------------------
def _pdf(slides: list[Slide], report: Progress) -> bytes:
    """The same pages as the PowerPoint: a view page is the PNG export's own figure, drawn as
    vector graphics; cover and text pages are drawn in the same layout as the slides."""
    buffer = io.BytesIO()
    metadata = {"Title": DECK_TITLE, "Author": "Tryg Geo", "Subject": "Styregruppemøde"}
    total = sum(s.view is not None for s in slides)
    done = 0
    rc = {"pdf.fonttype": 42, "text.parse_math": False}
    with rc_context(rc), PdfPages(buffer, metadata=metadata) as pdf:
        for slide in slides:
            if slide.view is not None:
                figure = png_page.view_figure(slide.view, "slide")
                done += 1
            else:
                figure = text_figure(slide)
            pdf.savefig(figure, facecolor="white")
            if slide.view is not None:
                _step(report, done, total, slide.title)
    return buffer.getvalue()


def text_figure(slide: Slide) -> Figure:
    """A cover or text slide as a matplotlib figure of the PDF page's size, in the layout of
    the PowerPoint slide (positions in slide inches, fonts in slide points, scaled)."""
    figure = Figure(figsize=(PDF_W_IN, PDF_H_IN), dpi=100, facecolor="white")
    FigureCanvasAgg(figure)
    page = _TextPage(figure)
    top = _top(slide)
    page.text(MARGIN_IN, top - 0.5, slide.kicker, "kicker", color=MUTED)
    page.text(
        MARGIN_IN, top, slide.title, "cover" if slide.cover else "title", bold=True, gid="title"
    )
    y = top + _title_height(slide) + 0.1
    figure.add_artist(
        Line2D(
            [page.x(MARGIN_IN), page.x(SLIDE_W_IN - MARGIN_IN)],
            [page.y(y)] * 2,
            color=RULE,
            lw=1.5,
            transform=figure.transFigure,
        )
    )
    y += 0.3
    width = SLIDE_W_IN - 2 * MARGIN_IN
    for i, line in enumerate(slide.lines):
        lead = slide.cover and i == 0
        demo = line.startswith("Demodata")
        font = "lead" if lead or not slide.cover else "body"
        colour = DEMO_RED if demo else TEXT if lead else MUTED
        y = page.paragraph(MARGIN_IN, y, line, font, width, color=colour, bold=lead or demo)
        y += 10 / 72
    columns = _columns(slide.bullets)
    gap = 0.4
    column_width = (width - gap * (len(columns) - 1)) / max(len(columns), 1)
    for c, column in enumerate(columns):
        x, yc = MARGIN_IN + c * (column_width + gap), y
        for text in column:
            page.text(x, yc, "•", "body", color=TEXT)
            yc = page.paragraph(x + BULLET_IN, yc, text, "body", column_width - BULLET_IN)
            yc += 8 / 72
    if slide.demo:
        page.badge()
    return figure


BULLET_IN = 0.3


def _top(slide: Slide) -> float:
    """Where the title starts, in inches from the slide's top."""
    return 1.9 if slide.cover else 0.95


def _title_height(slide: Slide) -> float:
    return 1.0 if slide.cover else 0.75


class _TextPage:
    """Slide inches and points on a PDF page figure; text wrapped by its measured width."""

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        self.scale = PDF_H_IN / SLIDE_H_IN
        self.renderer = figure.canvas.get_renderer()

    def x(self, inches: float) -> float:
        return inches / SLIDE_W_IN

    def y(self, inches: float) -> float:
        return 1 - inches / SLIDE_H_IN

    def text(self, x: float, y: float, text: str, font: str, *, bold: bool = False, **kwargs):
        kwargs.setdefault("color", TEXT)
        return self.figure.text(
            self.x(x),
            self.y(y),
            text,
            fontsize=FONT_PT[font] * self.scale,
            va="top",
            weight="bold" if bold else "normal",
            linespacing=1.3,
            **kwargs,
        )

    def paragraph(self, x: float, y: float, text: str, font: str, width: float, **kwargs) -> float:
        """Draw ``text`` wrapped to ``width`` inches; return the y below it."""
        artist = self.text(x, y, text, font, **kwargs)
        limit = width / SLIDE_W_IN * self.figure.bbox.width
        lines: list[str] = []
        current = ""
        for word in text.split():
            trial = f"{current} {word}".strip()
            artist.set_text(trial)
            if current and artist.get_window_extent(self.renderer).width > limit:
                lines.append(current)
                current = word
            else:
                current = trial
        lines.append(current)
        artist.set_text("\n".join(lines))
        height = artist.get_window_extent(self.renderer).height / self.figure.dpi
        return y + height / self.scale

    def badge(self) -> None:
        self.text(
            SLIDE_W_IN - MARGIN_IN,
            0.4,
            "DEMODATA",
            "badge",
            bold=True,
            color="white",
            ha="right",
            gid="demo",
            bbox={"boxstyle": "round,pad=0.45", "facecolor": DEMO_RED, "edgecolor": DEMO_RED},
        )
