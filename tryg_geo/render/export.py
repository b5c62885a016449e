"""Snapshots of a view: a CSV of exactly the numbers shown, and a finished PNG for slides.

Both are made from the same :class:`~tryg_geo.views.model.View` as the screen, by the dashboard's
buttons and by ``python -m tryg_geo export``/``pack``: one code path, the same numbers.

The PNG is drawn with matplotlib alone (no browser, no map tiles): a header with the view and
the filters in words, the key figures, the map with its legend and the district outlines for
orientation, the trend panels, and a footer with the source line and, on demo data, a
"Demodata" mark. Sizes: 1920 × 1080 pixels for slides, 2338 × 1654 pixels (A4 landscape at
200 dpi) for print. Every artist a test needs carries a gid: 'title', 'subtitle', 'source',
'demo', 'legend', 'map', 'trend' (and 'kicker', 'kpi', 'note', 'table').
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib import dates as mdates
from matplotlib import patheffects, rc_context, ticker
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.legend import Legend as MplLegend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.path import Path as MplPath
from matplotlib.text import Text

from .. import fmt
from ..compute.filters import Filters
from ..compute.privacy import threshold
from ..errors import ExportError, UsageError
from ..views.model import SUPPRESSED_COLOR, MapSpec, Trend, View
from .charts import SERIES_COLOURS, TARGET_COLOUR

DIALECTS: dict[str, str] = {"excel": "Excel (dansk)", "standard": "Standard"}
SIZES: dict[str, tuple[float, float, int]] = {
    # name: (width in, height in, dpi)
    "slide": (19.2, 10.8, 100),  # 1920 × 1080
    "a4": (11.69, 8.27, 200),  # A4 landscape, 2338 × 1654
}
SIZE_NAMES: dict[str, str] = {"slide": "1920 × 1080 (slides)", "a4": "A4 liggende (2338 × 1654)"}

#: Every column a CSV export can have, with its meaning (README and index.md show this list).
COLUMN_DOCS: dict[str, str] = {
    "view": "Visningen, som tallene kommer fra (fx natteliv eller indsats/tryg-bydel).",
    "data": "'Demodata', når tallene er genererede eksempeldata.",
    "slug": "Indsatsens korte navn (som i indsats/<slug>).",
    "title": "Indsatsens navn.",
    "part": "Del af indsatsens visning: nøgletal, udvikling eller kort.",
    "indicator": "Indikatorens id (fx tryg_andel, haendelser_pr_1000).",
    "unit": "Enhed: andel (0–1), antal, pr_1000, personer, timer eller score.",
    "period": "Perioden tallet gælder (år, måned, kvartal eller fra/til).",
    "previous_period": "Samme periode året før.",
    "value": "Tallet som vist (andele som 0–1).",
    "previous_value": "Tallet for samme periode året før.",
    "n": "Antal svar eller forløb bag en andel.",
    "ci_low": "Nedre grænse af 95 %-intervallet for en andel.",
    "ci_high": "Øvre grænse af 95 %-intervallet for en andel.",
    "small_n": "ja, når andelen bygger på for få svar (usikker).",
    "change": "Ændring mod året før i enheden change_unit.",
    "change_unit": "Enhed for change: relativ (0,1 = +10 %), procentpoint eller point.",
    "change_pp": "Ændring mod året før i procentpoint.",
    "change_pct": "Relativ ændring mod året før (0,1 = +10 %); tom, når et tal er skjult.",
    "target": "Målet for indikatoren (samme enhed som value).",
    "status": "Status mod målet: på sporet, ikke på sporet, intet mål eller ingen data.",
    "significant": "ja, når ændringen næppe skyldes tilfældigheder (p < 0,05).",
    "suppressed": "ja, når et tal i rækken er skjult, fordi det er under diskretionsgrænsen.",
    "previous_suppressed": "ja, når tallet for året før er skjult.",
    "value_suppressed": "ja, når value er skjult.",
    "previous_value_suppressed": "ja, når previous_value er skjult.",
    "incidents_suppressed": "ja, når incidents er skjult.",
    "previous_incidents_suppressed": "ja, når previous_incidents er skjult.",
    "district_id": "Områdets id.",
    "district_name": "Områdets navn.",
    "area_id": "Id for området eller stedet, tallet gælder (kommune = hele kommunen).",
    "area_name": "Navnet på området eller stedet.",
    "place_id": "Stedets id.",
    "place_name": "Stedets navn.",
    "kind": "Stedets art (torv, plads, park, havnefront …).",
    "cell_id": "Cellens id i Det Danske Kvadratnet (DDKN).",
    "cell_size": "Cellestørrelse: 100m, 250m eller 1km.",
    "categories": "Hændelseskategorierne, der er talt med.",
    "population": "Indbyggere i området.",
    "incidents": "Antal hændelser (tom, når tallet er skjult).",
    "previous_incidents": "Antal hændelser i samme periode året før (tom, når skjult).",
    "incidents_per_1000": "Hændelser pr. 1.000 indbyggere (tom, når antallet er skjult).",
    "incidents_change_pct": "Relativ ændring i hændelser mod året før (0,1 = +10 %).",
}

TEXT = "#222222"
MUTED = "#5f5f5f"
LIGHT = "#9a9a9a"
RULE = "#d9d9d9"
DEMO_RED = "#b2182b"
WATER = "#d4e4f2"
LAND = "#f6f6f4"
DISTRICT_LINE = "#8c8c8c"
ZONE_COLOUR = "#5b3a8c"  # as on screen (maps.spec_map)
ON_TRACK, OFF_TRACK = "#0072B2", "#D55E00"  # Okabe–Ito blue and vermillion

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
SECTIONS: dict[str, str] = {
    "overblik": "Overblik",
    "tryg-bydel": "Tryg bydel",
    "natteliv": "Natteliv",
    "byens-rum": "Byens rum",
}
MONTHS_SHORT = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
COUNT_UNITS = ("antal", "personer", "timer", "pr_1000")  # trend axes start at zero
COUNTED_UNITS = ("antal", "personer")  # values that count people or events: discretion applies
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# ---- CSV --------------------------------------------------------------------------------------
def view_csv(view: View, dialect: str = "excel") -> bytes:
    """The view's table as CSV bytes, after checking the discretion rule.

    Parameters
    ----------
    view : the view shown on screen.
    dialect : 'excel' — ';', decimal comma, UTF-8 with BOM, CRLF (Danish Excel opens it on a
        double-click; text that Excel would run as a formula gets a leading apostrophe) — or
        'standard' — ',', decimal point, UTF-8, LF.

    Raises
    ------
    UsageError
        When ``dialect`` is not one of :data:`DIALECTS`.
    ExportError
        When a count below the threshold would be written (see :func:`suppression_problems`).
    """
    check_dialect(dialect)
    table = csv_table(view)
    problems = suppression_problems(table)
    if problems:
        raise ExportError(
            f"CSV for visningen {view.key!r} blev ikke lavet, fordi den ville vise små tal: "
            + "; ".join(problems)
            + ". Det er en fejl i Tryg Geo; kontakt udviklerne."
        )
    if dialect == "excel":
        text = _excel_safe(table).to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n")
        return "\ufeff".encode() + text.encode("utf-8")
    return table.to_csv(index=False, lineterminator="\n").encode("utf-8")


def check_size(size: str) -> str:
    """Return ``size`` when allowed ('slide' or 'a4'), else raise a Danish :class:`UsageError`."""
    if size not in SIZES:
        raise UsageError(f"--size {size!r} er ikke tilladt; vælg {' eller '.join(SIZES)}.")
    return size


def save(path: Path, data: bytes) -> None:
    """Write an export to ``path``; a folder or disk problem becomes an :class:`ExportError`."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise ExportError(f"Filen {path} kan ikke skrives: {exc.strerror or exc}.") from None


def make_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) for exports."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"Mappen {folder} kan ikke laves: {exc.strerror or exc}.") from None


def check_dialect(dialect: str) -> str:
    """Return ``dialect`` when allowed, else raise a Danish :class:`UsageError`."""
    if dialect not in DIALECTS:
        raise UsageError(f"--dialect {dialect!r} er ikke tilladt; vælg {' eller '.join(DIALECTS)}.")
    return dialect


def csv_table(view: View) -> pd.DataFrame:
    """The exported columns: ``view``, ``data`` ('Demodata' on demo data), then the view's
    table with yes/no columns written as 'ja'/'nej'."""
    table = view.table.copy()
    for column in table.columns:
        if isinstance(table[column].dtype, pd.BooleanDtype) or table[column].dtype == bool:
            table[column] = table[column].map({True: "ja", False: "nej"})
    table.insert(0, "view", view.key)
    if view.demo:
        table.insert(1, "data", "Demodata")
    return table


def read_csv(data: bytes, dialect: str = "excel") -> pd.DataFrame:
    """Read an exported CSV back (the inverse of :func:`view_csv`, used by tests and ``pack``)."""
    check_dialect(dialect)
    if dialect == "excel":
        return pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    return pd.read_csv(io.BytesIO(data), encoding="utf-8")


def _excel_safe(table: pd.DataFrame) -> pd.DataFrame:
    """Text cells Excel would evaluate as a formula ('=…', '+…', '-…', '@…') get a leading
    apostrophe, so a name in the data can never run as a formula."""
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
            out[column] = out[column].map(
                lambda v: f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_START) else v
            )
    return out


def _count_columns(table: pd.DataFrame) -> list[str]:
    names = ("incidents", "previous_incidents", "count", "n")
    return [
        c
        for c in table.columns
        if c in names or c.endswith("_count") or (c.endswith("_incidents") and c != "incidents")
    ]


def _small(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    return (numbers >= 1) & (numbers < threshold())


def _filled(values: pd.Series) -> pd.Series:
    return pd.Series(values).notna() & (pd.Series(values).astype(str).str.strip() != "")


def _flag(values: pd.Series) -> pd.Series:
    return values.map(lambda v: v is True or v == "ja" or v is np.True_).astype(bool)


def suppression_problems(table: pd.DataFrame) -> list[str]:
    """What in ``table`` breaks the discretion rule, in Danish; empty when nothing does.

    Checked: no count column (incidents, previous_incidents, n, …_count) and no ``value`` or
    ``previous_value`` of unit 'antal' or 'personer' holds a number from 1 to threshold − 1; where a
    ``<column>_suppressed`` flag is set, ``<column>`` is empty; where the row flag
    ``suppressed`` is set (in tables without column flags), the row's own count, rate, value
    and change are empty (last year's count has its own check above).
    """
    problems = []
    for column in _count_columns(table):
        if _small(table[column]).any():
            problems.append(f"kolonnen {column} har tal under {threshold()}")
    if "unit" in table.columns:
        counts = table["unit"].astype(str).isin(COUNTED_UNITS)
        for column in ("value", "previous_value"):
            if column in table.columns and (_small(table[column]) & counts).any():
                problems.append(f"kolonnen {column} har antal under {threshold()}")
    flags = [c for c in table.columns if c.endswith("_suppressed")]
    for flag in flags:
        base = flag.removesuffix("_suppressed")
        base = base if base in table.columns else f"{base}_value"
        if base in table.columns and (_flag(table[flag]) & _filled(table[base])).any():
            problems.append(f"kolonnen {base} har et tal, hvor {flag} er sat")
    if "suppressed" in table.columns and not flags:
        hidden = _flag(table["suppressed"])
        for column in ("incidents", "incidents_per_1000", "value", "change_pct", "count"):
            if column in table.columns and (hidden & _filled(table[column])).any():
                problems.append(f"kolonnen {column} har et tal i en skjult række")
    return problems


def suppression_holds(table: pd.DataFrame) -> bool:
    """True when :func:`suppression_problems` finds nothing (used by tests, ``pack``, CSVs)."""
    return not suppression_problems(table)


def file_stem(view: View, filters: Filters) -> str:
    """A file name without extension: tryg-geo_natteliv_2025-01-01_2025-12-31."""
    key = re.sub(r"[^a-z0-9-]+", "-", view.key.lower()).strip("-")
    return f"tryg-geo_{key}_{filters.start.isoformat()}_{filters.end.isoformat()}"


def has_data(view: View) -> bool:
    """True when the view has at least one row of numbers (shown or hidden as '<5')."""
    return len(view.table) > 0


def filter_params(
    *,
    start: date | None = None,
    end: date | None = None,
    categories: Sequence[str] = (),
    district: str | None = None,
) -> dict[str, str]:
    """The URL parameters the dashboard's sidebar would hold for these choices.

    Feeding them to :func:`tryg_geo.views.registry.default_filters` gives the same :class:`Filters` as
    the pages, so the command line exports the numbers a user sees on screen. Dates make the
    preset 'custom' (the sidebar's "Valgfri periode"); without dates the default preset holds.
    """
    params: dict[str, str] = {}
    if start is not None or end is not None:
        params["preset"] = "custom"
        if start is not None:
            params["fra"] = start.isoformat()
        if end is not None:
            params["til"] = end.isoformat()
    if categories:
        params["kat"] = ",".join(categories)
    if district:
        params["omr"] = district
    return params


# ---- PNG: entry points --------------------------------------------------------------------------
def view_png(view: View, size: str = "slide") -> bytes:
    """A finished picture of the view as PNG bytes.

    Parameters
    ----------
    view : the view shown on screen.
    size : 'slide' (1920 × 1080) or 'a4' (A4 landscape, 2338 × 1654 at 200 dpi).
    """
    figure = view_figure(view, size)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=SIZES[size][2], facecolor="white")
    return buffer.getvalue()


def view_figure(view: View, size: str = "slide") -> Figure:
    """The matplotlib figure behind :func:`view_png` (tests assert on its texts and artists).

    A plain :class:`~matplotlib.figure.Figure` on an Agg canvas, never pyplot: the dashboard
    renders from several sessions (threads) at once.
    """
    # Names come from data: '$' must print as '$', not start mathtext (which may fail).
    with rc_context({"text.parse_math": False}):
        return _view_figure(view, size)


def _view_figure(view: View, size: str) -> Figure:
    width, height, dpi = SIZES[check_size(size)]
    figure = Figure(figsize=(width, height), dpi=dpi, facecolor="white")
    FigureCanvasAgg(figure)
    page = _Page(figure, scale=_font_scale(width, height))
    top = _draw_header(page, view)
    bottom = _draw_footer(page, view, _footer_notes(view))
    _draw_body(page, view, _Box(MARGIN_X, bottom, 1 - MARGIN_X, top))
    return figure


def _font_scale(width: float, height: float) -> float:
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
class _Box:
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

    def split_x(self, share: float, gap: float) -> tuple[_Box, _Box]:
        middle = self.left + self.width * share
        return (
            _Box(self.left, self.bottom, middle - gap / 2, self.top),
            _Box(middle + gap / 2, self.bottom, self.right, self.top),
        )

    def rows(self, n: int, gap: float) -> list[_Box]:
        height = (self.height - gap * (n - 1)) / n
        return [
            _Box(
                self.left,
                self.top - (i + 1) * height - i * gap,
                self.right,
                self.top - i * height - i * gap,
            )
            for i in range(n)
        ]

    def columns(self, n: int, gap: float) -> list[_Box]:
        width = (self.width - gap * (n - 1)) / n
        return [
            _Box(
                self.left + i * (width + gap),
                self.bottom,
                self.left + i * (width + gap) + width,
                self.top,
            )
            for i in range(n)
        ]


class _Page:
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

    def extent(self, artist) -> _Box:
        """The artist's bounding box in figure fractions."""
        box = artist.get_window_extent(self.renderer)
        return _Box(
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

    def line_height(self, font: str) -> float:
        """One line of ``font`` in figure-height fractions."""
        return self.size(font) * self.figure.dpi / 72 * 1.25 / self.height_px

    def chars(self, font: str, width: float, bold: bool = False) -> int:
        """About how many characters of ``font`` fit in ``width`` (figure fraction)."""
        char_px = self.size(font) * self.figure.dpi / 72 * (0.62 if bold else 0.56)
        return max(8, int(width * self.width_px / char_px))

    def wrap(self, text: str, font: str, width: float, lines: int, bold: bool = False) -> str:
        return _wrap(text, self.chars(font, width, bold), lines)

    def clip(self, text: str, font: str, width: float, bold: bool = False) -> str:
        return _clip(text, self.chars(font, width, bold))


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
        lines[-1] = _clip(lines[-1] + " …", width)
    return "\n".join(_clip(part, width) for part in lines)


def _clip(text: object, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[: max(width - 1, 1)].rstrip() + "…"


# ---- PNG: header and footer -------------------------------------------------------------------
def _section(view: View) -> str:
    if view.key.startswith("indsats/"):
        return "Indsatser"
    return SECTIONS.get(view.key, view.key)


def _draw_header(page: _Page, view: View) -> float:
    """Kicker ('Tryg Aalborg · Natteliv'), title, filters in words; the Demodata badge.
    Returns the top of the body."""
    y = 1 - page.gap_y(30)
    right = 1 - MARGIN_X
    if view.demo:
        badge = page.text(
            right,
            y,
            "DEMODATA",
            "badge",
            weight="bold",
            color="white",
            ha="right",
            va="top",
            gid="demo",
            bbox={"boxstyle": "round,pad=0.45", "facecolor": DEMO_RED, "edgecolor": DEMO_RED},
        )
        right = page.extent(badge).left - 0.03
    kicker = page.text(
        MARGIN_X,
        y,
        f"Tryg Aalborg · {_section(view)}",
        "kicker",
        color=MUTED,
        va="top",
        gid="kicker",
    )
    y = page.extent(kicker).bottom - page.gap_y(10)
    title = page.text(
        MARGIN_X,
        y,
        page.wrap(view.title, "title", right - MARGIN_X, 2, bold=True),
        "title",
        weight="bold",
        va="top",
        gid="title",
        linespacing=1.15,
    )
    y = page.extent(title).bottom - page.gap_y(12)
    subtitle = page.text(
        MARGIN_X,
        y,
        page.wrap(view.subtitle, "subtitle", 1 - 2 * MARGIN_X, 2),
        "subtitle",
        color=MUTED,
        va="top",
        gid="subtitle",
        linespacing=1.3,
    )
    return page.extent(subtitle).bottom - page.gap_y(26)


def _footer_notes(view: View) -> list[str]:
    notes = []
    if _shows_hidden(view):
        limit = threshold()
        notes.append(
            f"Tal under {limit} vises ikke: de står som '<{limit}' eller er grå på kortet."
        )
    if any(_has_gaps(t) for t in _drawn_trends(view)):
        notes.append("Huller i en kurve: perioder uden tal eller med skjulte tal.")
    return notes


def _shows_hidden(view: View) -> bool:
    table = view.table
    flags = [c for c in table.columns if c == "suppressed" or c.endswith("_suppressed")]
    if any(_flag(table[c]).any() for c in flags):
        return True
    features = view.map.features if view.map is not None else None
    if features is None or not len(features):
        return False
    return bool((features["color"] == SUPPRESSED_COLOR).any())


def _draw_footer(page: _Page, view: View, notes: list[str]) -> float:
    """Source line (with 'Demodata' first on demo data) and notes; returns the body bottom."""
    width = 1 - 2 * MARGIN_X
    source = page.text(
        MARGIN_X,
        page.gap_y(22),
        page.wrap(view.source, "source", width, 2),
        "source",
        color=MUTED,
        va="bottom",
        gid="source",
    )
    y = page.extent(source).top + page.gap_y(6)
    if notes:
        note = page.text(
            MARGIN_X,
            y,
            page.wrap(" ".join(notes), "note", width, 2),
            "note",
            color=MUTED,
            va="bottom",
            style="italic",
            gid="note",
        )
        y = page.extent(note).top
    y += page.gap_y(12)
    page.figure.add_artist(
        Line2D(
            [MARGIN_X, 1 - MARGIN_X], [y, y], transform=page.figure.transFigure, color=RULE, lw=1
        )
    )
    return y + page.gap_y(22)


# ---- PNG: body layouts ------------------------------------------------------------------------
def _drawn_trends(view: View) -> list[Trend]:
    """The trends with data; the overview draws its own sparklines instead."""
    if view.key == "overblik":
        return []
    return [t for t in view.trends if not t.data.empty and t.data["value"].notna().any()]


def _draw_body(page: _Page, view: View, box: _Box) -> None:
    gap_x, gap_y = 0.03, page.gap_y(24)
    if view.kpis:
        box = _Box(box.left, box.bottom, box.right, _draw_kpis(page, view, box) - gap_y)
    if view.key == "overblik" and view.display is not None and len(view.display):
        _draw_overview(page, view, box)
        return
    trends = _drawn_trends(view)
    if view.map is not None and trends:
        map_box, side = box.split_x(0.56, gap_x)
        _draw_map_panel(page, view.map, map_box)
        _draw_trend_grid(page, trends, side, columns=1 if len(trends) != 4 else 2)
    elif view.map is not None:
        _draw_map_panel(page, view.map, box)
    elif trends:
        _draw_trend_grid(page, trends, box, columns=min(len(trends), 3) if len(trends) != 4 else 2)
    else:
        _draw_table(page, view, box)


def _draw_kpis(page: _Page, view: View, box: _Box) -> float:
    """Up to four key figures side by side: label, value, change. Returns their bottom."""
    shown = view.kpis[:4]
    bottom = box.top
    for kpi, cell in zip(shown, box.columns(len(shown), 0.035), strict=True):
        width = cell.width - 0.01
        label = page.text(
            cell.left,
            box.top,
            page.wrap(kpi.label, "kpi_label", width, 2),
            "kpi_label",
            color=MUTED,
            va="top",
            gid="kpi_label",
        )
        y = page.extent(label).bottom - page.gap_y(8)
        value = page.text(cell.left, y, kpi.value, "kpi_value", weight="bold", va="top", gid="kpi")
        extent = page.extent(value)
        if extent.width > width:
            value.set_fontsize(value.get_fontsize() * width / extent.width)
            extent = page.extent(value)
        y = extent.bottom - page.gap_y(6)
        if kpi.delta not in (None, "", "–"):
            delta = page.text(
                cell.left,
                y,
                f"Ændring: {kpi.delta}",
                "kpi_delta",
                color=MUTED,
                va="top",
                gid="kpi_delta",
            )
            y = page.extent(delta).bottom
        bottom = min(bottom, y)
    return bottom


def _draw_table(page: _Page, view: View, box: _Box) -> None:
    """The table as text (views without map and trends), or a clear 'no data' sentence."""
    shown = view.display if view.display is not None else view.table
    if shown is None or shown.empty:
        page.text(
            box.left,
            box.top - 0.05,
            "Ingen data i den valgte periode.",
            "kpi_value",
            color=MUTED,
            va="top",
            gid="table",
        )
        return
    shown = shown.head(16).astype(str)
    ax = page.figure.add_axes(box.rect)
    ax.set_axis_off()
    ax.set_gid("table")
    ax.set_xlim(0, 1)
    ax.set_ylim(len(shown) + 1, 0)
    widths = _column_widths(shown)
    x = 0.0
    for column, share in zip(shown.columns, widths, strict=True):
        chars = page.chars("table", box.width * share * 0.95)
        ax.text(
            x, 0.5, _clip(column, chars), fontsize=page.size("table"), weight="bold", va="center"
        )
        for row, value in enumerate(shown[column], start=1):
            ax.text(x, row + 0.5, _clip(value, chars), fontsize=page.size("table"), va="center")
        x += share
    ax.axhline(1, color=RULE, lw=1)


def _column_widths(table: pd.DataFrame) -> list[float]:
    lengths = np.array(
        [max(len(str(c)), table[c].astype(str).str.len().max()) for c in table.columns], float
    )
    lengths = np.clip(lengths, 4, 40)
    return list(lengths / lengths.sum())


# ---- PNG: the overview (Overblik) -------------------------------------------------------------
OVERVIEW_COLUMNS: tuple[tuple[str, str, float], ...] = (
    # (display column, heading, share of the table width)
    ("Indsats", "Indsats", 0.245),
    ("Indikator", "Indikator", 0.20),
    ("Seneste", "Seneste", 0.205),
    ("Ændring", "Ændring", 0.135),
    ("Status", "Status", 0.145),
)
SPARK_SHARE = 0.07


def _draw_overview(page: _Page, view: View, box: _Box) -> None:
    """All initiatives as rows (latest, change, status, sparkline) beside the tryghed map."""
    left, right = box.split_x(0.70 if view.map is not None else 1.0, 0.025)
    _draw_overview_table(page, view, left)
    if view.map is None:
        return
    top = right.top
    if view.highlights:
        text = page.text(
            right.left,
            top,
            page.wrap("Det vigtigste: " + " ".join(view.highlights), "note", right.width, 5),
            "note",
            va="top",
            gid="highlights",
            linespacing=1.3,
        )
        top = page.extent(text).bottom - page.gap_y(20)
    _draw_map_panel(page, view.map, _Box(right.left, right.bottom, right.right, top))


def _draw_overview_table(page: _Page, view: View, box: _Box) -> None:
    rows = view.display.to_dict("records")
    sparks = {t.title: t for t in view.trends}
    ax = page.figure.add_axes(box.rect)
    ax.set_axis_off()
    ax.set_gid("table")
    ax.set_xlim(0, 1)
    ax.set_ylim(len(rows) + 1.9, 0)
    size = page.size("table") * min(1.0, 18 / (len(rows) + 1))
    x = 0.0
    for _, heading, share in OVERVIEW_COLUMNS:
        ax.text(x, 0.5, heading, fontsize=size, weight="bold", va="center", color=MUTED)
        x += share
    ax.text(x, 0.5, "Udvikling", fontsize=size, weight="bold", va="center", color=MUTED)
    for index, row in enumerate(rows, start=1):
        if index % 2:
            ax.axhspan(index, index + 1, color="#f3f5f8", lw=0, zorder=0)
        _overview_row(page, ax, row, index + 0.5, size, box.width)
        trend = sparks.get(str(row.get("Indsats", "")))
        if trend is not None:
            _sparkline(ax, trend, x, x + SPARK_SHARE * 0.95, index + 0.5)
    ax.axhline(1, color=RULE, lw=1)
    ax.text(
        0,
        len(rows) + 1.35,
        "Ændring: mod samme periode året før; fed = markant (p < 0,05). "
        "● på sporet · ▲ ikke på sporet · ○ intet mål eller ingen data.",
        fontsize=size * 0.85,
        color=MUTED,
        va="top",
    )


def _overview_row(page: _Page, ax: Axes, row: dict, y: float, size: float, width: float) -> None:
    x = 0.0
    for column, _, share in OVERVIEW_COLUMNS:
        value = str(row.get(column, ""))
        room = width * share - page.gap_x(10)
        bold = column == "Indsats" or (
            column == "Ændring" and str(row.get("Markant ændring", "")).lower() == "ja"
        )
        if column == "Status":
            marker, colour = _status_marker(value)
            ax.text(x, y, marker, fontsize=size, va="center", color=colour)
            shift = page.px_x(size * 1.5 * page.figure.dpi / 72) / width
            text = ax.text(x + shift, y, value, fontsize=size, va="center")
            _fit_width(page, text, room - shift * width)
        else:
            colour = MUTED if column == "Indikator" else TEXT
            text = ax.text(
                x,
                y,
                value,
                fontsize=size,
                va="center",
                weight="bold" if bold else "normal",
                color=colour,
            )
            _fit_width(page, text, room)
        x += share


def _fit_width(page: _Page, text: Text, width: float) -> None:
    """Shorten ``text`` with '…' until it is at most ``width`` (figure fraction) wide."""
    full = text.get_text()
    if page.extent(text).width <= width:
        return
    keep = max(1, int(len(full) * width / page.extent(text).width))
    while keep > 1:
        text.set_text(full[:keep].rstrip() + "…")
        if page.extent(text).width <= width:
            return
        keep -= 1


def _status_marker(status: str) -> tuple[str, str]:
    status = status.lower()
    if status == "på sporet":
        return "●", ON_TRACK
    if status == "ikke på sporet":
        return "▲", OFF_TRACK
    return "○", LIGHT


def _sparkline(ax: Axes, trend: Trend, x0: float, x1: float, y: float) -> None:
    """A small line in a table cell: the trend scaled into the row (higher values up)."""
    data = trend.data.dropna(subset=["value"]).sort_values("period")
    if len(data) < 2:
        return
    first = data["series"].iloc[0]
    data = data[data["series"] == first]
    times = pd.to_datetime(data["period"]).astype("int64").to_numpy(dtype="float64")
    values = data["value"].to_numpy(dtype="float64")
    xs = x0 + (times - times.min()) / max(times.max() - times.min(), 1) * (x1 - x0)
    span = values.max() - values.min()
    ys = y + 0.32 - (values - values.min()) / (span if span > 0 else 1) * 0.64
    if span == 0:
        ys = np.full_like(values, y)
    ax.plot(xs, ys, color=SERIES_COLOURS[0], lw=1.4)
    ax.plot(xs[-1:], ys[-1:], "o", color=SERIES_COLOURS[0], ms=3)


# ---- PNG: the map -----------------------------------------------------------------------------
def _draw_map_panel(page: _Page, spec: MapSpec, box: _Box) -> None:
    """The map with its legend beside it (or under it, when the panel is narrow)."""
    ax = page.figure.add_axes(box.rect)
    ax.set_axis_off()
    ax.set_gid("map")
    map_box = _place_legend(page, ax, spec, box)
    ax.set_position(map_box.rect)
    bounds = _map_bounds(spec)
    _fit(ax, bounds, map_box.width * page.width_px, map_box.height * page.height_px)
    _draw_layers(ax, spec, page)
    drawn = [f for f in (spec.features, spec.outline) if f is not None and len(f)]
    if drawn:
        _scale_bar(ax, page)
    if spec.features is None or not len(spec.features):
        ax.text(
            0.5,
            0.5,
            "Ingen data at vise på kortet i den valgte periode.",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=page.size("panel"),
            color=MUTED,
            gid="map_note",
        )
    taken = _place_boxes(page, ax, spec) if spec.kind == "places" else []
    if spec.kind == "places":
        _label_places(page, ax, spec.features, taken)
    elif spec.kind == "areas":
        _label_areas(page, ax, spec.features)
    if spec.kind != "areas" and spec.outline is not None:
        _label_outline(page, ax, _visible(spec.outline, ax), taken)


def _legend_handles(spec: MapSpec) -> list:
    handles = [
        Patch(facecolor=colour, edgecolor="#7a7a7a", linewidth=0.6, label=label)
        for colour, label in spec.legend.entries
    ]
    if spec.zones is not None and len(spec.zones):
        handles.append(
            Line2D([], [], color=ZONE_COLOUR, linestyle="--", linewidth=2, label="Nattelivszone")
        )
    if spec.selected is not None and spec.kind == "areas":
        handles.append(
            Patch(facecolor="none", edgecolor="black", linewidth=2, label="Valgt område")
        )
    if spec.kind == "places":
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markersize=10,
                markerfacecolor="white",
                markeredgecolor="#555555",
                label="Cirklens areal følger tallet",
            )
        )
    return handles


def _place_legend(page: _Page, ax: Axes, spec: MapSpec, box: _Box) -> _Box:
    """Draw the legend outside the map; return the box left for the map itself."""
    gap = page.gap_x(20)
    legend = _make_legend(page, ax, spec, (box.right, box.top), "upper right", ncol=1, width=0.16)
    extent = page.extent(legend)
    if extent.width < box.width * 0.34:
        return _Box(box.left, box.bottom, extent.left - gap, box.top)
    legend.remove()
    columns = max(1, min(len(legend.legend_handles), int(box.width / max(extent.width, 0.01))))
    legend = _make_legend(page, ax, spec, (box.left, box.bottom), "lower left", columns, box.width)
    top = page.extent(legend).top + page.gap_y(14)
    return _Box(box.left, top, box.right, box.top)


def _make_legend(
    page: _Page,
    ax: Axes,
    spec: MapSpec,
    anchor: tuple[float, float],
    loc: str,
    ncol: int,
    width: float,
) -> MplLegend:
    legend = ax.legend(
        handles=_legend_handles(spec),
        title=page.wrap(spec.legend.title, "legend", width, 4, bold=True),
        loc=loc,
        bbox_to_anchor=anchor,
        bbox_transform=page.figure.transFigure,
        ncol=ncol,
        fontsize=page.size("legend"),
        title_fontproperties={"size": page.size("legend"), "weight": "bold"},
        alignment="left",
        frameon=False,
        borderaxespad=0,
        borderpad=0,
        handlelength=1.6,
        handleheight=1.1,
        labelspacing=0.5,
    )
    legend.set_gid("legend")
    return legend


def _map_bounds(spec: MapSpec) -> tuple[float, float, float, float]:
    """Lon/lat bounds to show: ``spec.bounds`` when given, else the features, padded; a small
    set of places gets at least 1.5 km around it (as on screen)."""
    features = spec.features
    if spec.bounds is not None:
        bounds, pad = tuple(float(v) for v in spec.bounds), 0.2
    elif features is not None and len(features):
        bounds, pad = tuple(float(v) for v in features.total_bounds), 0.04
    elif spec.outline is not None and len(spec.outline):
        bounds, pad = tuple(float(v) for v in spec.outline.total_bounds), 0.03
    else:
        bounds, pad = (9.55, 56.85, 10.35, 57.20), 0.0  # Aalborg Kommune
    if spec.kind == "places":
        pad = 0.15
    minx, miny, maxx, maxy = bounds
    lat = math.radians((miny + maxy) / 2)
    min_lon, min_lat = 1500 / (111_320 * math.cos(lat)), 1500 / 110_574
    if maxx - minx < min_lon:
        minx, maxx = (minx + maxx - min_lon) / 2, (minx + maxx + min_lon) / 2
    if maxy - miny < min_lat:
        miny, maxy = (miny + maxy - min_lat) / 2, (miny + maxy + min_lat) / 2
    dx, dy = (maxx - minx) * pad, (maxy - miny) * pad
    return minx - dx, miny - dy, maxx + dx, maxy + dy


def _fit(ax: Axes, bounds: Sequence[float], width_px: float, height_px: float) -> None:
    """Set limits so ``bounds`` fill the axes without distortion (lon scaled by cos(lat))."""
    minx, miny, maxx, maxy = bounds
    cos = math.cos(math.radians((miny + maxy) / 2))
    span_x, span_y = (maxx - minx) * cos, maxy - miny
    want = width_px / max(height_px, 1)
    if span_x / span_y < want:
        span_x = span_y * want
    else:
        span_y = span_x / want
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    ax.set_xlim(cx - span_x / cos / 2, cx + span_x / cos / 2)
    ax.set_ylim(cy - span_y / 2, cy + span_y / 2)
    ax.set_aspect("auto")


def _visible(frame: gpd.GeoDataFrame | None, ax: Axes) -> gpd.GeoDataFrame | None:
    if frame is None or not len(frame):
        return None
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    return frame.cx[x0:x1, y0:y1]


def _draw_layers(ax: Axes, spec: MapSpec, page: _Page) -> None:
    water = _visible(spec.water, ax)
    outline = _visible(spec.outline, ax)
    features = _visible(spec.features, ax)
    if outline is not None and spec.kind != "areas":
        _polygons(ax, outline.geometry, facecolor=LAND, edgecolor="none", zorder=0)
    if water is not None:
        _polygons(ax, water.geometry, facecolor=WATER, edgecolor="none", zorder=1)
    if features is not None and len(features) and spec.kind == "areas":
        _polygons(
            ax,
            features.geometry,
            facecolor=list(features["color"]),
            edgecolor="white",
            linewidth=0.9,
            zorder=2,
        )
    elif features is not None and len(features) and spec.kind == "cells":
        colours = list(features["color"])
        _polygons(
            ax, features.geometry, facecolor=colours, edgecolor=colours, linewidth=0.3, zorder=2
        )
    if outline is not None and spec.kind != "areas":
        _polygons(
            ax, outline.geometry, facecolor="none", edgecolor=DISTRICT_LINE, linewidth=0.7, zorder=3
        )
    zones = _visible(spec.zones, ax)
    if zones is not None:
        _polygons(ax, zones.geometry, facecolor="none", edgecolor="white", linewidth=4.5, zorder=4)
        _polygons(
            ax,
            zones.geometry,
            facecolor="none",
            edgecolor=ZONE_COLOUR,
            linewidth=2.2,
            linestyle="--",
            zorder=4,
        )
    if spec.selected is not None and features is not None and spec.kind == "areas":
        chosen = features[features["feature_id"].astype(str) == str(spec.selected)]
        _polygons(ax, chosen.geometry, facecolor="none", edgecolor="black", linewidth=2.6, zorder=5)
    if spec.kind == "places" and features is not None and len(features):
        _draw_places(ax, features, page)


def _polygons(ax: Axes, geometries, **style) -> None:
    paths = [_path(g) for g in geometries]
    keep = [i for i, p in enumerate(paths) if p is not None]
    if not keep:
        return
    for key in ("facecolor", "edgecolor"):
        if isinstance(style.get(key), list):
            style[key] = [style[key][i] for i in keep]
    ax.add_collection(PathCollection([paths[i] for i in keep], **style), autolim=False)


def _path(geometry) -> MplPath | None:
    """One compound path for a (multi)polygon, holes included; None for other shapes."""
    if geometry is None or geometry.is_empty:
        return None
    parts = getattr(geometry, "geoms", [geometry])
    vertices, codes = [], []
    for part in parts:
        if part.geom_type != "Polygon":
            continue
        for ring in (part.exterior, *part.interiors):
            coords = np.asarray(ring.coords)[:, :2]
            if len(coords) < 3:
                continue
            vertices.append(coords)
            codes.extend(
                [MplPath.MOVETO] + [MplPath.LINETO] * (len(coords) - 2) + [MplPath.CLOSEPOLY]
            )
    if not vertices:
        return None
    return MplPath(np.concatenate(vertices), codes)


def _draw_places(ax: Axes, features: gpd.GeoDataFrame, page: _Page) -> None:
    order = features.sort_values("radius", ascending=False) if "radius" in features else features
    points = order.geometry.representative_point()
    radius = order["radius"] if "radius" in order else pd.Series(10.0, index=order.index)
    diameter_pt = radius.astype(float).to_numpy() * 2 * 1.3 * page.scale
    ax.scatter(
        points.x,
        points.y,
        s=diameter_pt**2,
        c=list(order["color"]),
        edgecolors="#333333",
        linewidths=1.0,
        zorder=6,
    )


def _halo(page: _Page) -> list:
    return [patheffects.withStroke(linewidth=3 * page.scale, foreground="white")]


def _place_boxes(page: _Page, ax: Axes, spec: MapSpec) -> list[_Box]:
    """The circles' extents, so labels can keep clear of them."""
    features = spec.features
    points = features.geometry.representative_point()
    radius = features["radius"] if "radius" in features else pd.Series(10.0, index=features.index)
    boxes = []
    for point, r in zip(points, radius, strict=True):
        x, y = ax.transData.transform((point.x, point.y))
        half = float(r) * 1.3 * page.scale * page.figure.dpi / 72
        boxes.append(
            _Box(page.px_x(x - half), page.px_y(y - half), page.px_x(x + half), page.px_y(y + half))
        )
    return boxes


def _label_places(page: _Page, ax: Axes, features: gpd.GeoDataFrame, taken: list[_Box]) -> None:
    """Name and value beside each circle, on the first side free of circles and labels."""
    points = features.geometry.representative_point()
    radius = features["radius"] if "radius" in features else pd.Series(10.0, index=features.index)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    for index, (point, name, label, r) in enumerate(
        zip(points, features["name"], features["label"], radius, strict=True)
    ):
        if not (x0 <= point.x <= x1 and y0 <= point.y <= y1):
            continue
        others = [b for i, b in enumerate(taken) if i != index]
        offset = float(r) * 1.3 * page.scale + 5 * page.scale
        text = f"{_clip(name, 32)}\n{label}"
        sides = (
            (offset, 0, "left", "center"),
            (-offset, 0, "right", "center"),
            (0, offset, "center", "bottom"),
            (0, -offset, "center", "top"),
        )
        for dx, dy, ha, va in sides:
            artist = _place_label(page, ax, point, text, dx, dy, ha, va)
            box = page.extent(artist)
            if not any(_overlaps(box, other) for other in others) and _inside(page, ax, box):
                break
            artist.remove()
        else:
            artist = _place_label(page, ax, point, text, *sides[0])
            box = page.extent(artist)
        taken.append(box)


def _place_label(page: _Page, ax: Axes, point, text: str, dx, dy, ha, va) -> Text:
    return ax.annotate(
        text,
        (point.x, point.y),
        xytext=(dx, dy),
        textcoords="offset points",
        ha=ha,
        va=va,
        fontsize=page.size("label"),
        color=TEXT,
        zorder=7,
        path_effects=_halo(page),
        linespacing=1.15,
    )


def _inside(page: _Page, ax: Axes, box: _Box) -> bool:
    frame = page.extent(ax)
    return (
        box.left >= frame.left
        and box.right <= frame.right
        and box.bottom >= frame.bottom
        and box.top <= frame.top
    )


def _label_outline(
    page: _Page, ax: Axes, outline: gpd.GeoDataFrame | None, taken: list[_Box]
) -> None:
    """District names in grey for orientation on cell and place maps, where they fit."""
    if outline is None or "name" not in outline:
        return
    for geometry, name in zip(outline.geometry, outline["name"], strict=True):
        if geometry is None or geometry.is_empty:
            continue
        visible = geometry.intersection(_view_box(ax))
        if visible.is_empty or visible.area <= 0:
            continue
        point = visible.representative_point()
        artist = ax.text(
            point.x,
            point.y,
            str(name),
            fontsize=page.size("label"),
            ha="center",
            va="center",
            color="#6f6f6f",
            style="italic",
            zorder=5,
            path_effects=_halo(page),
        )
        box = page.extent(artist)
        fits = _fits_in(page, ax, visible, box)
        if not fits or not _inside(page, ax, box) or any(_overlaps(box, b) for b in taken):
            artist.remove()
            continue
        taken.append(box)


def _view_box(ax: Axes) -> shapely.Polygon:
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    return shapely.box(x0, y0, x1, y1)


def _fits_in(page: _Page, ax: Axes, geometry, box: _Box) -> bool:
    minx, miny, maxx, maxy = geometry.bounds
    (px0, py0), (px1, py1) = ax.transData.transform([(minx, miny), (maxx, maxy)])
    return (
        box.width * page.width_px < (px1 - px0) * 0.8
        and box.height * page.height_px < (py1 - py0) * 0.6
    )


def _overlaps(a: _Box, b: _Box) -> bool:
    return a.left < b.right and b.left < a.right and a.bottom < b.top and b.bottom < a.top


def _label_areas(page: _Page, ax: Axes, features: gpd.GeoDataFrame) -> None:
    """District names where they fit inside the district (small ones stay unlabelled)."""
    to_px = ax.transData
    for geometry, name in zip(features.geometry, features["name"], strict=True):
        if geometry is None or geometry.is_empty:
            continue
        minx, miny, maxx, maxy = geometry.bounds
        (px0, py0), (px1, py1) = to_px.transform([(minx, miny), (maxx, maxy)])
        text = str(name)
        char_px = page.size("label") * page.figure.dpi / 72 * 0.6
        if len(text) * char_px > (px1 - px0) * 0.75 or char_px * 2.2 > (py1 - py0) * 0.5:
            continue
        point = geometry.representative_point()
        ax.text(
            point.x,
            point.y,
            text,
            fontsize=page.size("label"),
            ha="center",
            va="center",
            color=TEXT,
            zorder=6,
            path_effects=_halo(page),
            clip_on=True,
        )


def _scale_bar(ax: Axes, page: _Page) -> None:
    """A bar of a round length (100 m … 20 km) in the lower left corner."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    metres_per_degree = 111_320 * math.cos(math.radians((y0 + y1) / 2))
    width_m = (x1 - x0) * metres_per_degree
    length = min(
        (100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000),
        key=lambda m: abs(m - width_m / 6),
    )
    share = length / width_m
    y = 0.025
    ax.plot(
        [0.01, 0.01 + share],
        [y, y],
        transform=ax.transAxes,
        color=TEXT,
        lw=3 * page.scale,
        solid_capstyle="butt",
        zorder=8,
    )
    label = (
        f"{length // 1000} km"
        if length >= 1000 and length % 1000 == 0
        else f"{fmt.number(length)} m"
    )
    if length == 2500:
        label = "2,5 km"
    ax.text(
        0.01,
        y + 0.012,
        label,
        transform=ax.transAxes,
        fontsize=page.size("label"),
        color=TEXT,
        va="bottom",
        zorder=8,
        path_effects=_halo(page),
    )


# ---- PNG: trends ------------------------------------------------------------------------------
def _draw_trend_grid(page: _Page, trends: list[Trend], box: _Box, columns: int) -> None:
    """Trend panels in a grid: up to 3 stacked beside a map, up to 6 on their own. Panels in
    a row share the top of their plot area, whatever their titles and legends need."""
    limit = 4 if columns == 2 else (3 if columns == 1 else 6)
    trends = trends[:limit]
    rows = math.ceil(len(trends) / columns)
    gap_y = page.gap_y(26)
    grid = [row.columns(columns, 0.035) for row in box.rows(rows, gap_y)]
    cells = [cell for row in grid for cell in row]
    colours = _series_colours(trends)
    headers = [
        _trend_header(page, trend, cell, colours)
        for trend, cell in zip(trends, cells, strict=False)
    ]
    tick_px = page.size("tick") * page.figure.dpi / 72
    for index, (trend, cell, (wide, _)) in enumerate(zip(trends, cells, headers, strict=False)):
        row = index // columns
        top = min(b for i, (_, b) in enumerate(headers) if i // columns == row)
        plot = _Box(
            cell.left + page.px_x(tick_px * 5.2),
            cell.bottom + page.px_y(tick_px * 2.9),
            cell.right - page.gap_x(8),
            top,
        )
        _trend_axes(page, trend, wide, plot, colours)


def _series_colours(trends: list[Trend]) -> dict[str, str]:
    """One colour per series name across all panels of a view (Nytorv is orange everywhere)."""
    names = dict.fromkeys(str(s) for t in trends for s in t.data["series"])
    return {name: SERIES_COLOURS[i % len(SERIES_COLOURS)] for i, name in enumerate(names)}


def _series_frame(trend: Trend) -> tuple[pd.DataFrame, bool]:
    """Values per period and series, missing periods as NaN (so lines break there)."""
    data = trend.data.copy()
    data["period"] = pd.to_datetime(data["period"])
    data = data.dropna(subset=["period"])
    wide = data.pivot_table(
        index="period", columns="series", values="value", aggfunc="first", sort=False, dropna=False
    )
    order = list(dict.fromkeys(data["series"]))
    wide = wide.reindex(columns=order).sort_index()
    step = _step(wide.index)
    if step is not None and len(wide) > 1:
        full = pd.date_range(wide.index.min(), wide.index.max(), freq=step)
        wide = wide.reindex(wide.index.union(full))
    gaps = bool(wide.isna().any().any()) and len(wide) > 1
    return wide, gaps


def _step(index: pd.DatetimeIndex) -> str | None:
    if len(index) < 2:
        return None
    days = float(np.median(np.diff(index.values).astype("timedelta64[D]").astype(float)))
    if days >= 300:
        return "YS"
    if days >= 80:
        return "QS"
    if days >= 25:
        return "MS"
    return None


def _has_gaps(trend: Trend) -> bool:
    return _series_frame(trend)[1]


def _trend_header(
    page: _Page, trend: Trend, cell: _Box, colours: dict[str, str]
) -> tuple[pd.DataFrame, float]:
    """Title and legend of a trend panel; returns the values and the bottom of the header."""
    wide, _ = _series_frame(trend)
    series = [str(s) for s in wide.columns]
    alone = len(series) == 1 and trend.target is None
    text = trend.title
    joined = f"{trend.title} · {series[0]}" if series else text
    if alone and series[0] not in text and len(joined) <= page.chars("panel", cell.width, True):
        text = joined
    title = page.text(
        cell.left,
        cell.top,
        page.wrap(text, "panel", cell.width, 2, bold=True),
        "panel",
        weight="bold",
        va="top",
        gid="trend_title",
    )
    bottom = page.extent(title).bottom - page.gap_y(6)
    if not alone:
        handles = _trend_handles(series, trend, colours, page)
        legend = _trend_legend(page, handles, cell.left, bottom, cell.width)
        bottom = page.extent(legend).bottom
    return wide, bottom - page.gap_y(10)


def _trend_handles(
    series: list[str], trend: Trend, colours: dict[str, str], page: _Page
) -> list[Line2D]:
    handles = [
        Line2D(
            [],
            [],
            color=colours.get(name, SERIES_COLOURS[0]),
            linewidth=2.4 * page.scale,
            marker="o",
            markersize=4.5 * page.scale,
            label=_clip(name, 40),
        )
        for name in series
    ]
    if trend.target is not None:
        label = f"Mål: {_value_text(trend.target, trend.unit)}"
        handles.append(Line2D([], [], color=TARGET_COLOUR, linestyle="--", lw=1.6, label=label))
    return handles


def _trend_legend(page: _Page, handles: list, left: float, top: float, width: float) -> MplLegend:
    """A legend row under the panel title; more rows when the entries do not fit."""
    for columns in range(len(handles), 0, -1):
        legend = page.figure.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(left, top),
            ncol=columns,
            frameon=False,
            fontsize=page.size("tick"),
            borderaxespad=0,
            borderpad=0,
            handlelength=2.0,
            columnspacing=1.4,
        )
        legend.set_gid("trend_legend")
        if page.extent(legend).width <= width or columns == 1:
            return legend
        legend.remove()
    return legend


def _trend_axes(
    page: _Page, trend: Trend, wide: pd.DataFrame, plot: _Box, colours: dict[str, str]
) -> None:
    ax = page.figure.add_axes(plot.rect)
    ax.set_gid("trend")
    for name in wide.columns:
        values = wide[name].astype("float64")
        ax.plot(
            wide.index,
            values,
            color=colours.get(str(name), SERIES_COLOURS[0]),
            clip_on=False,
            linewidth=2.4 * page.scale,
            marker="o" if values.notna().sum() <= 60 else None,
            markersize=4.5 * page.scale,
            label=str(name),
        )
    if trend.target is not None:
        ax.axhline(trend.target, color=TARGET_COLOUR, linestyle="--", linewidth=1.6)
    _style_trend_axes(ax, trend, wide, page)
    if wide.isna().to_numpy().mean() >= 0.5:
        ax.text(
            0.5,
            0.97,
            page.wrap(
                f"Mange perioder er skjult (under {threshold()}) eller uden tal",
                "tick",
                plot.width,
                3,
            ),
            transform=ax.transAxes,
            ha="center",
            va="top",
            fontsize=page.size("tick"),
            color=MUTED,
            style="italic",
            path_effects=_halo(page),
            gid="trend_note",
        )


def _style_trend_axes(ax: Axes, trend: Trend, wide: pd.DataFrame, page: _Page) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.spines[["left", "bottom"]].set_color("#8a8a8a")
    ax.grid(axis="y", color="#e6e6e6", linewidth=0.9)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=page.size("tick"), colors="#444444", length=3)
    whole = trend.unit in ("antal", "personer", "timer")
    steps = [1, 2, 5, 10]
    locator = ticker.MaxNLocator(nbins=5, integer=whole, steps=steps)
    ax.yaxis.set_major_locator(locator)
    _y_range(ax, trend, wide, locator)
    ax.yaxis.set_major_formatter(_YFormatter(trend.unit))
    _x_axis(ax, wide.index, page)


def _y_range(ax: Axes, trend: Trend, wide: pd.DataFrame, locator: ticker.Locator) -> None:
    """Counts and rates from zero; shares over at least 10 percentage points; the top of the
    axis on a tick, so the highest value is never above the last label."""
    values = wide.to_numpy(dtype="float64")
    values = values[np.isfinite(values)]
    if trend.target is not None:
        values = np.append(values, trend.target)
    if not len(values):
        return
    low, high = float(values.min()), float(values.max())
    if trend.unit in COUNT_UNITS and low >= 0:
        low, high = 0.0, (high if high > 0 else 1.0)
    elif trend.unit == "andel":
        middle, span = (low + high) / 2, max(high - low, 0.10)
        low, high = max(0.0, middle - span / 2), min(1.0, middle + span / 2)
    else:
        pad = (high - low) * 0.1 or max(abs(high) * 0.05, 1)
        low, high = low - pad, high + pad
    ticks = locator.tick_values(low, high)
    above, below = ticks[ticks >= high - 1e-9], ticks[ticks <= low + 1e-9]
    top = float(above[0]) if len(above) else high
    bottom = float(below[-1]) if trend.unit != "andel" and len(below) else low
    margin = (top - bottom) * 0.03
    ax.set_ylim(bottom - margin, top + margin)


class _YFormatter(ticker.Formatter):
    """Danish numbers on the value axis, with as many decimals as the tick step needs."""

    def __init__(self, unit: str) -> None:
        self.unit = unit

    def format_ticks(self, values) -> list[str]:
        scale = 100 if self.unit == "andel" else 1
        values = [round(float(v), 9) + 0.0 for v in values]
        decimals = next(
            (
                d
                for d in range(3)
                if all(abs(v * scale - round(v * scale, d)) < 1e-6 for v in values)
            ),
            2,
        )
        if self.unit == "andel":
            return [fmt.percent(v, decimals) for v in values]
        return [fmt.number(v, decimals) for v in values]

    def __call__(self, x, pos=None) -> str:
        return self.format_ticks([x])[0]


def _value_text(value: float, unit: str) -> str:
    if unit == "andel":
        return fmt.percent(value, 0 if round(value * 100, 1) == round(value * 100) else 1)
    return fmt.number(value, 0 if float(value) == round(float(value)) else 1)


def _x_axis(ax: Axes, index: pd.DatetimeIndex, page: _Page) -> None:
    """Danish time axis: years for long spans, 'jan 2025', 'apr', … for shorter ones; as
    many labels as the panel's width holds."""
    if not len(index):
        return
    start, end = index.min(), index.max()
    pad = pd.Timedelta(days=max(15, (end - start).days * 0.03))
    ax.set_xlim(start - pad, end + pad)
    months = max((end - start).days / 30.44, 1)
    width_px = page.extent(ax).width * page.width_px
    room = max(2, int(width_px / (page.size("tick") * page.figure.dpi / 72 * 3.6)))
    step = next((m for m in (1, 2, 3, 6, 12, 24, 36, 60) if months / m <= room), 120)
    if step >= 12 and months > 38:
        ax.xaxis.set_major_locator(mdates.YearLocator(base=step // 12))
        ax.xaxis.set_major_formatter(
            ticker.FuncFormatter(lambda v, _: str(mdates.num2date(v).year))
        )
        return
    step = min(step, 12)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=list(range(1, 13, step))))
    ax.xaxis.set_major_formatter(_MonthFormatter(ax))


class _MonthFormatter(ticker.Formatter):
    """'jan\\n2025' at January and at the first visible tick, else the month alone."""

    def __init__(self, ax: Axes) -> None:
        self.ax = ax

    def format_ticks(self, values) -> list[str]:
        low, high = self.ax.get_xlim()
        labels, first = [], True
        for value in values:
            moment = mdates.num2date(value)
            visible = low <= value <= high
            text = MONTHS_SHORT[moment.month - 1]
            if visible and (first or moment.month == 1):
                text += f"\n{moment.year}"
            first = first and not visible
            labels.append(text)
        return labels

    def __call__(self, x, pos=None) -> str:
        moment = mdates.num2date(x)
        return f"{MONTHS_SHORT[moment.month - 1]} {moment.year}"
