"""The deck as a PowerPoint (``.pptx``), written by python-pptx (no office suite needed).

A view slide is editable PowerPoint (:mod:`.deck_view` plans it, :mod:`.deck_pptx_view` writes
it): the title in the title placeholder, key figures and texts in text boxes, tables as tables,
trends as PowerPoint charts, the map as the one picture; cover and text slides are drawn as text
boxes in the layout of :mod:`tryg_geo.render.deck_layout`. Every slide has the speaker notes of its
:class:`~tryg_geo.render.deck_layout.Slide`, and every run is marked Danish.
"""

from __future__ import annotations

import io

from .. import palette
from ..views.sources import badge_text
from .deck_layout import (
    BULLET_IN,
    DEMO_RED,
    FONT_PT,
    MARGIN_IN,
    MUTED,
    RULE,
    SLIDE_H_EMU,
    SLIDE_W_EMU,
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
from .deck_pptx_view import write_view
from .deck_view import MARGIN as VIEW_MARGIN
from .deck_view import view_layout


def pptx_bytes(slides: list[Slide], report: Progress, title: str) -> bytes:
    """The slides as a PowerPoint file (bytes), titled ``title``; ``report`` hears of every
    view drawn."""
    from pptx import Presentation
    from pptx.util import Emu, Inches

    total = sum(s.view is not None for s in slides)
    done = 0
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(SLIDE_W_EMU), Emu(SLIDE_H_EMU)
    prs.core_properties.title = title
    prs.core_properties.author = "Tryg Geo"
    prs.core_properties.language = "da-DK"
    layout = prs.slide_layouts[5]  # "Title Only": every slide has a real title
    for slide in slides:
        page = prs.slides.add_slide(layout)
        if slide.view is not None:
            write_view(page, slide.view, view_layout(slide.view))
            badge = badge_text(slide.view.demo, slide.view.demo_label)
            if badge:
                _pptx_badge(page, prs, Inches(VIEW_MARGIN), badge)
            done += 1
            step(report, done, total, slide.title)
        else:
            _pptx_text(page, prs, slide)
        page.notes_slide.notes_text_frame.text = slide.notes
        _danish(page.notes_slide.notes_text_frame)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def _pptx_text(page, prs, slide: Slide) -> None:
    """A cover or text slide: kicker, title and rule, the lines, the bullets, a DEMODATA
    badge on demo data."""
    from pptx.util import Inches

    m = Inches(MARGIN_IN)
    width = prs.slide_width - 2 * m
    y = _pptx_heading(page, slide, m, width) + Inches(0.3)
    body = page.shapes.add_textbox(m, y, width, prs.slide_height - y - Inches(0.5))
    frame = body.text_frame
    frame.word_wrap = True
    first = _pptx_lines(frame, slide)
    columns = bullet_columns(slide.bullets)
    font = bullet_font(slide.bullets)
    if columns and len(columns) > 1:
        below = _pptx_columns(page, prs, frame, slide, columns, m, y)
        if slide.after:
            height = max(prs.slide_height - below - Inches(0.3), Inches(0.5))
            box = page.shapes.add_textbox(m, below, width, height)
            _pptx_after(box.text_frame, slide.after, first=True)
    else:
        if columns:
            _pptx_bullets(frame, columns[0], first=first, font=font)
            first = False
        _pptx_after(frame, slide.after, first=first)
    if slide.badge:
        _pptx_badge(page, prs, m, slide.badge)
    box = logo_box(slide)
    if box is not None:
        left, top, logo_w, logo_h = (Inches(v) for v in box)
        page.shapes.add_picture(str(slide.logo), left, top, logo_w, logo_h)
    _danish(frame)


def _pptx_heading(page, slide: Slide, m, width) -> int:
    """The kicker, the title and the rule under it; returns the rule's top (EMU)."""
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR
    from pptx.util import Inches, Pt

    top = Inches(title_top(slide))
    kicker = page.shapes.add_textbox(m, top - Inches(0.5), width, Inches(0.45))
    kicker.text_frame.word_wrap = True
    kicker.text_frame.text = slide.kicker
    colour = slide.kicker_colour or MUTED
    _style(kicker.text_frame.paragraphs[0], Pt(FONT_PT["kicker"]), colour, left=True)
    title = page.shapes.title
    title.left, title.top, title.width = m, top, width
    title.height = Inches(title_height(slide))
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
    return y


def _pptx_lines(frame, slide: Slide) -> bool:
    """The slide's lines as paragraphs (a cover's first line as the lead, 'Demodata …' in red);
    True when the frame's first paragraph is still unused."""
    from pptx.util import Pt

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
    return first


def _pptx_columns(page, prs, frame, slide: Slide, columns: list[list[str]], m, y) -> int:
    """Long lists (many initiatives without data) in two or three columns under the lead text;
    returns about where the longest column ends (EMU)."""
    from pptx.util import Inches, Pt

    width = prs.slide_width - 2 * m
    frame.paragraphs[-1].space_after = Pt(10)
    gap = Inches(0.4)
    column_width = (width - gap * (len(columns) - 1)) // len(columns)
    font = bullet_font(slide.bullets)
    y += sum(
        Inches(_lines(line, "lead", width) * 1.2 * FONT_PT["lead"] / 72) for line in slide.lines
    ) + Inches(0.25)
    tallest = 0
    for i, column in enumerate(columns):
        box = page.shapes.add_textbox(
            m + i * (column_width + gap), y, column_width, prs.slide_height - y - Inches(0.5)
        )
        _pptx_bullets(box.text_frame, column, font=font)
        text_width = column_width - Inches(BULLET_IN)
        height = sum(
            Inches(_lines(text, font, text_width) * 1.2 * FONT_PT[font] / 72 + 8 / 72)
            for text in column
        )
        tallest = max(tallest, height)
    return y + tallest + Inches(0.2)


def _pptx_after(frame, texts: list[str], first: bool = False) -> None:
    """Paragraphs under the bullets, in the small muted font."""
    from pptx.util import Pt

    frame.word_wrap = True
    for text in texts:
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        paragraph.text = text
        _style(paragraph, Pt(FONT_PT["small"]), MUTED, left=True)
        paragraph.space_before = Pt(6)
    _danish(frame)


def _pptx_badge(page, prs, m, text: str) -> None:
    """The red demo badge ("DEMODATA", "DELVIS DEMODATA") at the top right."""
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches, Pt

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
    badge.text_frame.text = text
    paragraph = badge.text_frame.paragraphs[0]
    _style(paragraph, Pt(FONT_PT["badge"]), palette.WHITE, bold=True, left=False)


def _plain(shape) -> None:
    """No theme style on a drawn shape: the default theme gives shapes a shadow (and
    LibreOffice draws it even under an empty effect list); colours are set explicitly."""
    from pptx.oxml.ns import qn

    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def _pptx_bullets(frame, bullets: list[str], first: bool = False, font: str = "body") -> None:
    """Bullets with a hanging indent, so a wrapped line starts under the text, not the dot."""
    from pptx.oxml.ns import qn
    from pptx.util import Inches, Pt

    frame.word_wrap = True
    for text in bullets:
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        paragraph.text = text
        _style(paragraph, Pt(FONT_PT[font]), TEXT, left=True)
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
