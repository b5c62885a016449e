"""What every part of a PNG snapshot shares: sizes, colours, font sizes and the page grid."""

from __future__ import annotations

import math
from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.text import Text

from .. import palette
from ..errors import UsageError

SIZES: dict[str, tuple[float, float, int]] = {
    # name: (width in, height in, dpi)
    "slide": (19.2, 10.8, 100),  # 1920 × 1080
    "a4": (11.69, 8.27, 200),  # A4 landscape, 2338 × 1654
}
SIZE_NAMES: dict[str, str] = {"slide": "1920 × 1080 (slides)", "a4": "A4 liggende (2338 × 1654)"}

TEXT, MUTED, LIGHT, RULE, DEMO_RED = (
    palette.TEXT,
    palette.MUTED,
    palette.LIGHT,
    palette.RULE,
    palette.DEMO_RED,
)

#: Font sizes in points on a 1920 × 1080 slide; A4 scales them with its height.
FONTS: dict[str, float] = {
    "kicker": 15,
    "title": 30,
    "subtitle": 15,
    "badge": 17,
    "kpi_label": 14,
    "kpi_value": 26,
    "kpi_delta": 14,
    "panel": 15,
    "tick": 12,
    "legend": 13,
    "label": 11,
    "table": 13,
    "note": 12,
    "source": 12,
}
MARGIN_X = 0.03


def check_size(size: str) -> str:
    """Return ``size`` when allowed ('slide' or 'a4'), else raise a Danish :class:`UsageError`."""
    if size not in SIZES:
        raise UsageError(f"--size {size!r} er ikke tilladt; vælg {' eller '.join(SIZES)}.")
    return size


def font_scale(width: float, height: float) -> float:
    """Fonts relative to the slide: the geometric mean of the width and height ratios (A4 is
    narrower than 16:9, so text scaled by height alone would crowd it)."""
    slide_width, slide_height, _ = SIZES["slide"]
    return math.sqrt(width / slide_width * height / slide_height)


def png_size(size: str) -> tuple[int, int]:
    """Width and height in pixels of a PNG of ``size``."""
    width, height, dpi = SIZES[size]
    return round(width * dpi), round(height * dpi)


# ---- PNG: page geometry -----------------------------------------------------------------------
@dataclass(frozen=True)
class Box:
    """A rectangle in figure fractions (0–1), origin bottom left."""

    left: float
    bottom: float
    right: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def rect(self) -> list[float]:
        return [self.left, self.bottom, max(self.width, 0.01), max(self.height, 0.01)]

    def split_x(self, share: float, gap: float) -> tuple[Box, Box]:
        middle = self.left + self.width * share
        return (
            Box(self.left, self.bottom, middle - gap / 2, self.top),
            Box(middle + gap / 2, self.bottom, self.right, self.top),
        )

    def rows(self, n: int, gap: float) -> list[Box]:
        height = (self.height - gap * (n - 1)) / n
        return [
            Box(
                self.left,
                self.top - (i + 1) * height - i * gap,
                self.right,
                self.top - i * height - i * gap,
            )
            for i in range(n)
        ]

    def columns(self, n: int, gap: float) -> list[Box]:
        width = (self.width - gap * (n - 1)) / n
        return [
            Box(
                self.left + i * (width + gap),
                self.bottom,
                self.left + i * (width + gap) + width,
                self.top,
            )
            for i in range(n)
        ]


class Page:
    """The figure plus what layout needs: scaled fonts and measured text extents."""

    def __init__(self, figure: Figure, scale: float) -> None:
        self.figure = figure
        self.scale = scale
        self.renderer = figure.canvas.get_renderer()
        self.width_px = figure.bbox.width
        self.height_px = figure.bbox.height

    def size(self, font: str) -> float:
        return FONTS[font] * self.scale

    def text(self, x: float, y: float, text: str, font: str, **kwargs) -> Text:
        kwargs.setdefault("color", TEXT)
        return self.figure.text(x, y, text, fontsize=self.size(font), **kwargs)

    def extent(self, artist) -> Box:
        """The artist's bounding box in figure fractions."""
        box = artist.get_window_extent(self.renderer)
        return Box(
            box.x0 / self.width_px,
            box.y0 / self.height_px,
            box.x1 / self.width_px,
            box.y1 / self.height_px,
        )

    def px_x(self, pixels: float) -> float:
        return pixels / self.width_px

    def px_y(self, pixels: float) -> float:
        return pixels / self.height_px

    def gap_x(self, slide_pixels: float) -> float:
        """A distance given in pixels of the slide size, scaled like the fonts."""
        return self.px_x(slide_pixels * self.scale * self.figure.dpi / 100)

    def gap_y(self, slide_pixels: float) -> float:
        return self.px_y(slide_pixels * self.scale * self.figure.dpi / 100)

    def chars(self, font: str, width: float, bold: bool = False) -> int:
        """About how many characters of ``font`` fit in ``width`` (figure fraction)."""
        char_px = self.size(font) * self.figure.dpi / 72 * (0.62 if bold else 0.56)
        return max(8, int(width * self.width_px / char_px))

    def wrap(self, text: str, font: str, width: float, lines: int, bold: bool = False) -> str:
        return _wrap(text, self.chars(font, width, bold), lines)

    def clip(self, text: str, font: str, width: float, bold: bool = False) -> str:
        return clip(text, self.chars(font, width, bold))


def _wrap(text: str, width: int, max_lines: int) -> str:
    """Break ``text`` into lines of at most ``width`` characters; '…' when it runs over."""
    lines: list[str] = []
    line = ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = clip(lines[-1] + " …", width)
    return "\n".join(clip(part, width) for part in lines)


def clip(text: object, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[: max(width - 1, 1)].rstrip() + "…"
