"""The deck as a PDF, written by matplotlib: the same pages as the PowerPoint, without notes.

A view page is the PNG export's own figure (:func:`tryg_geo.render.png_page.view_figure`),
drawn as vector graphics; cover and text pages are drawn in the PowerPoint slide's layout
(:mod:`tryg_geo.render.deck_layout`), scaled to the PDF page.
"""

from __future__ import annotations

import io

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from . import png_page
from .deck_layout import (
    BULLET_IN,
    DEMO_RED,
    FONT_PT,
    MARGIN_IN,
    MUTED,
    PDF_H_IN,
    PDF_W_IN,
    RULE,
    SLIDE_H_IN,
    SLIDE_W_IN,
    TEXT,
    Progress,
    Slide,
    bullet_columns,
    bullet_font,
    logo_box,
    step,
    title_height,
    title_top,
)


def pdf_bytes(slides: list[Slide], report: Progress, title: str) -> bytes:
    """The slides as a PDF file (bytes), titled ``title``: a view page is the PNG export's own
    figure, drawn as vector graphics; cover and text pages are drawn in the same layout as the
    slides. ``report`` hears of every view drawn."""
    buffer = io.BytesIO()
    metadata = {"Title": title, "Author": "Tryg Geo", "Subject": "Styregruppemøde"}
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
                step(report, done, total, slide.title)
    return buffer.getvalue()


def _logo(figure: Figure, page, slide: Slide) -> None:
    """The partnership's logo at the cover's bottom right (as on the PowerPoint cover)."""
    box = logo_box(slide)
    if box is None:
        return
    from PIL import Image

    left, top, width, height = box
    axes = figure.add_axes(
        [
            page.x(left),
            page.y(top + height),
            page.x(left + width) - page.x(left),
            page.y(top) - page.y(top + height),
        ]
    )
    with Image.open(slide.logo) as picture:
        axes.imshow(picture.convert("RGBA"))
    axes.set_axis_off()


def text_figure(slide: Slide) -> Figure:
    """A cover or text slide as a matplotlib figure of the PDF page's size, in the layout of
    the PowerPoint slide (positions in slide inches, fonts in slide points, scaled)."""
    figure = Figure(figsize=(PDF_W_IN, PDF_H_IN), dpi=100, facecolor="white")
    FigureCanvasAgg(figure)
    page = _TextPage(figure)
    top = title_top(slide)
    page.text(MARGIN_IN, top - 0.5, slide.kicker, "kicker", color=slide.kicker_colour or MUTED)
    page.text(
        MARGIN_IN, top, slide.title, "cover" if slide.cover else "title", bold=True, gid="title"
    )
    y = top + title_height(slide) + 0.1
    _logo(figure, page, slide)
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
    columns = bullet_columns(slide.bullets)
    font = bullet_font(slide.bullets)
    gap = 0.4
    column_width = (width - gap * (len(columns) - 1)) / max(len(columns), 1)
    bottom = y
    for c, column in enumerate(columns):
        x, yc = MARGIN_IN + c * (column_width + gap), y
        for text in column:
            page.text(x, yc, "•", font, color=TEXT)
            yc = page.paragraph(x + BULLET_IN, yc, text, font, column_width - BULLET_IN)
            yc += 8 / 72
        bottom = max(bottom, yc)
    y = bottom + 6 / 72
    for text in slide.after:
        y = page.paragraph(MARGIN_IN, y, text, "small", width, color=MUTED) + 6 / 72
    if slide.badge:
        page.badge(slide.badge)
    return figure


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

    def badge(self, text: str) -> None:
        self.text(
            SLIDE_W_IN - MARGIN_IN,
            0.4,
            text,
            "badge",
            bold=True,
            color="white",
            ha="right",
            gid="demo",
            bbox={"boxstyle": "round,pad=0.45", "facecolor": DEMO_RED, "edgecolor": DEMO_RED},
        )
