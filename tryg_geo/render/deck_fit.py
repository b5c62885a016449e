"""Text that fits its box on a PowerPoint slide: measured widths, wrapped lines, fitted tables.

PowerPoint wraps text in a box and grows a table's rows, but never says when the slide runs
out; so the deck measures every text before it writes it. Widths are measured with DejaVu Sans
(matplotlib's font, always installed), which is wider than the fonts PowerPoint and
LibreOffice draw a slide with (Calibri, Carlito): a text that fits here fits there.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib import font_manager
from PIL import ImageFont

from ..cache import LRU

#: Line height as a share of the font size (PowerPoint's single spacing is about 1,2).
LINE = 1.2
#: A table cell's inner margins in inches (left + right, top + bottom), as written.
CELL_MARGIN_X, CELL_MARGIN_Y = 0.05, 0.02
#: Room a column gets beyond its text (widths are rounded to whole EMU when written).
SLACK = 0.03


#: The two measuring fonts (regular, bold), found and opened once.
_FONTS = LRU("fonts")


def _font(bold: bool) -> ImageFont.FreeTypeFont:
    return _FONTS.get_or_make(bold, lambda: _open_font(bold))


def _open_font(bold: bool) -> ImageFont.FreeTypeFont:
    path = font_manager.findfont(
        font_manager.FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal")
    )
    return ImageFont.truetype(path, 100)


def text_width(text: str, size_pt: float, *, bold: bool = False) -> float:
    """The width in inches of ``text`` on one line at ``size_pt`` points."""
    return _font(bold).getlength(str(text)) / 100 * size_pt / 72


def wrap(text: str, size_pt: float, width_in: float, *, bold: bool = False) -> list[str]:
    """``text`` broken at spaces into lines at most ``width_in`` wide (a single word wider
    than the box stays whole on its line: :func:`fits` tells)."""
    lines: list[str] = []
    current = ""
    for word in str(text).split():
        trial = f"{current} {word}".strip()
        if current and text_width(trial, size_pt, bold=bold) > width_in:
            lines.append(current)
            current = word
        else:
            current = trial
    lines.append(current)
    return lines


def fits(text: str, size_pt: float, width_in: float, *, bold: bool = False) -> bool:
    """True when no word of ``text`` is wider than ``width_in`` (so wrapping cuts nothing)."""
    return all(text_width(w, size_pt, bold=bold) <= width_in for w in str(text).split())


def text_height(
    text: str, size_pt: float, width_in: float, *, bold: bool = False, lines: int | None = None
) -> float:
    """The height in inches of ``text`` wrapped to ``width_in`` (or of ``lines`` lines)."""
    count = lines if lines is not None else len(wrap(text, size_pt, width_in, bold=bold))
    return count * size_pt * LINE / 72


def fit_size(
    text: str, size_pt: float, width_in: float, height_in: float, *, bold: bool = False
) -> float:
    """The largest font size up to ``size_pt`` (down to 60 % of it) at which ``text``, wrapped,
    fits ``width_in`` × ``height_in``."""
    size = size_pt
    while size > size_pt * 0.6:
        if fits(text, size, width_in, bold=bold) and (
            text_height(text, size, width_in, bold=bold) <= height_in
        ):
            return size
        size -= 0.5
    return size


@dataclass
class FittedTable:
    """A table laid out to fit its box: font size, column widths and row heights in inches."""

    size_pt: float
    widths: list[float]
    heights: list[float]

    @property
    def height(self) -> float:
        return sum(self.heights)


def fit_table(
    header: list[str],
    rows: list[list[str]],
    width_in: float,
    height_in: float,
    *,
    size_pt: float = 11.0,
    bold: list[list[bool]] | None = None,
) -> FittedTable:
    """Column widths and a font size at which every cell fits its column (long texts wrap at
    spaces, no word is cut) and the whole table fits ``width_in`` × ``height_in``; the font
    shrinks in half points down to 7 pt. Columns get their one-line width when the table has
    room, else a share of the room by their one-line width. ``bold`` marks the bold cells,
    header first (default: the header)."""
    bold = bold or [[True] * len(header)] + [[False] * len(header) for _ in rows]
    size = size_pt
    while True:
        fitted = _layout(header, rows, width_in, size, bold)
        if fitted is not None and fitted.height <= height_in or size <= 7:
            return fitted or _layout(header, rows, width_in, size, bold, force=True)
        size -= 0.5


def _layout(
    header: list[str],
    rows: list[list[str]],
    width_in: float,
    size: float,
    marks: list[list[bool]],
    force: bool = False,
) -> FittedTable | None:
    columns = list(zip(header, *rows, strict=True))

    def bold(r: int, c: int) -> bool:
        return marks[r][c]

    natural = [
        max(text_width(t, size, bold=bold(r, c)) for r, t in enumerate(col))
        + 2 * CELL_MARGIN_X
        + SLACK
        for c, col in enumerate(columns)
    ]
    longest_word = [
        max(
            (text_width(w, size, bold=bold(r, c)) for r, t in enumerate(col) for w in t.split()),
            default=0.0,
        )
        + 2 * CELL_MARGIN_X
        + SLACK
        for c, col in enumerate(columns)
    ]
    if sum(natural) <= width_in:
        spare = (width_in - sum(natural)) / len(natural)
        widths = [w + spare for w in natural]
    else:
        widths = _share(natural, longest_word, width_in)
        if widths is None:
            if not force:
                return None
            widths = [width_in * n / sum(natural) for n in natural]
    heights = [
        max(
            text_height(t, size, w - 2 * CELL_MARGIN_X, bold=bold(r, c))
            for c, (t, w) in enumerate(zip(line, widths, strict=True))
        )
        + 2 * CELL_MARGIN_Y
        for r, line in enumerate([header, *rows])
    ]
    return FittedTable(size, widths, heights)


def _share(natural: list[float], floor: list[float], width_in: float) -> list[float] | None:
    """Widths summing to ``width_in`` that wrap as few columns as possible: a column narrower
    than a fair share of the room left keeps its one-line width; the wide ones share the rest
    by their one-line width, never below their longest word. None when the words alone do not
    fit."""
    if sum(floor) > width_in:
        return None
    widths = list(natural)
    wide = set(range(len(natural)))
    room = width_in
    while wide:
        fair = room / len(wide)
        narrow = {c for c in wide if natural[c] <= fair}
        if not narrow:
            break
        wide -= narrow
        room -= sum(natural[c] for c in narrow)
    total = sum(natural[c] for c in wide) or 1.0
    for c in wide:
        widths[c] = room * natural[c] / total
    short = [c for c in wide if widths[c] < floor[c]]
    if short:  # a column below its longest word: give it that, take it from the others
        for c in short:
            widths[c] = floor[c]
        rest = [c for c in wide if c not in short]
        spare = width_in - sum(widths[c] for c in range(len(widths)) if c not in rest)
        total = sum(natural[c] for c in rest) or 1.0
        for c in rest:
            widths[c] = max(floor[c], spare * natural[c] / total)
    return widths
