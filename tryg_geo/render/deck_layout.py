"""A deck's slide as data and the slide's geometry, shared by the PowerPoint and PDF writers.

The slide is 16:9, 13,333 × 7,5 in (PowerPoint's widescreen). The PDF pages have the PNG
export's size, 19,2 × 10,8 in, so a view page is the export's figure itself; text pages are
scaled from the same layout (:mod:`tryg_geo.render.deck_pdf`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..views.model import View
from . import png_base

#: A progress callback: (share done 0–1, what is being made, in Danish).
Progress = Callable[[float, str], None]

SLIDE_W_EMU, SLIDE_H_EMU = 12_192_000, 6_858_000  # exactly 16:9
SLIDE_W_IN, SLIDE_H_IN = SLIDE_W_EMU / 914_400, SLIDE_H_EMU / 914_400
PDF_W_IN, PDF_H_IN = png_base.SIZES["slide"][0], png_base.SIZES["slide"][1]
TEXT, MUTED, RULE, DEMO_RED = png_base.TEXT, png_base.MUTED, png_base.RULE, png_base.DEMO_RED
#: Font sizes in points on the 7,5 in high slide.
FONT_PT = {"kicker": 16, "cover": 40, "title": 32, "lead": 20, "body": 18, "small": 14, "badge": 14}
MARGIN_IN = 0.6
BULLET_IN = 0.3


@dataclass
class Slide:
    """One slide: a view's picture (``view``) or text (``lines``), with speaker notes."""

    title: str
    notes: str
    view: View | None = None
    #: Above the title; '' until :func:`tryg_geo.render.deck.deck_slides` sets the partnership.
    kicker: str = ""
    #: The kicker's colour (the partnership's, ``partnerskab.toml``); None: the usual grey.
    kicker_colour: str | None = None
    #: The partnership's logo, bottom right of the cover (``partnerskab.toml``; None: none).
    logo: Path | None = None
    lines: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    #: Paragraphs under the bullets (the "Uden data" page: why a view has no numbers).
    after: list[str] = field(default_factory=list)
    cover: bool = False
    #: The demo badge's text ("DEMODATA", "DELVIS DEMODATA"); None on real data.
    badge: str | None = None


def step(report: Progress, done: int, total: int, title: str) -> None:
    """Report view ``done`` of ``total`` (drawing the views is 10–95 % of the work)."""
    report(0.1 + 0.85 * done / max(total, 1), f"{title} ({done} af {total})")


#: The logo's height on the cover and its distance from the slide's bottom right (inches).
LOGO_H_IN = 0.9
LOGO_MARGIN_IN = 0.4


def logo_box(slide: Slide) -> tuple[float, float, float, float] | None:
    """Where the cover's logo goes: (left, top, width, height) in slide inches; None without.

    The width follows the picture's own proportions at :data:`LOGO_H_IN`."""
    if slide.logo is None:
        return None
    from PIL import Image

    with Image.open(slide.logo) as picture:
        ratio = picture.width / max(picture.height, 1)
    width = LOGO_H_IN * ratio
    left = SLIDE_W_IN - LOGO_MARGIN_IN - width
    return left, SLIDE_H_IN - LOGO_MARGIN_IN - LOGO_H_IN, width, LOGO_H_IN


def title_top(slide: Slide) -> float:
    """Where the title starts, in inches from the slide's top."""
    return 1.9 if slide.cover else 0.95


def title_height(slide: Slide) -> float:
    """The title's height in inches (a cover's title is larger)."""
    return 1.0 if slide.cover else 0.75


def bullet_columns(bullets: list[str]) -> list[list[str]]:
    """Up to 8 bullets in one column, up to 16 in two, more in three (every initiative of the
    registry without data fits one page)."""
    if not bullets:
        return []
    count = 1 if len(bullets) <= 8 else 2 if len(bullets) <= 16 else 3
    size = -(-len(bullets) // count)
    return [bullets[i : i + size] for i in range(0, len(bullets), size)]


def bullet_font(bullets: list[str]) -> str:
    """The bullets' font: 'body', or 'small' for a list in columns."""
    return "body" if len(bullets) <= 8 else "small"
