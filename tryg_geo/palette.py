"""Every colour Tryg Geo draws with: maps, charts, PNG, deck and the import preview.

One module, at the top of the package and importing nothing of it, so that compute, views and
render all read their colours here (never from each other) and a grey of "hidden" cannot drift
from one picture to the next (issue 22 found ``#bdbdbd`` on the maps beside ``#bbbbbb`` in the
preview). The contrasts and colour-vision checks are in ``tests/render/test_a11y_colours.py``.
"""

from __future__ import annotations

# ---- meanings shared by every picture ----------------------------------------------------------
#: Hidden values ("<5"): a grey that stays apart from every map class with every common
#: colour-vision deficiency.
HIDDEN = "#bdbdbd"
#: No data: nearly white, told apart from the lightest class by its dashed border on the map
#: and in the legend, not by colour alone (WCAG 1.4.1).
NO_DATA = "#f0f0f0"
#: ColorBrewer sequential ramps (map classes): readable for the common colour-vision
#: deficiencies.
RAMPS: dict[str, tuple[str, ...]] = {
    "blues": ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"),
    "oranges": ("#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"),
}
#: Red–white–blue (ColorBrewer RdBu, ArcGIS's familiar hot spot colours), hottest first; the
#: middle is :data:`NO_DATA`'s white: "nothing to see".
DIVERGING: tuple[str, ...] = (
    "#b2182b",
    "#ef8a62",
    "#fddbc7",
    NO_DATA,
    "#d1e5f0",
    "#67a9cf",
    "#2166ac",
)
#: Emerging hot spot patterns (analysis/emerging.py), hot and cold apart, lightest first: the
#: hues of ColorBrewer RdYlBu's ends (orange–red, blue), resampled to even CIELAB lightness
#: so that neighbours stay apart with every common colour-vision deficiency and hot is told
#: from cold (tests/render/test_a11y_colours.py); every pattern is also named in the legend,
#: the popup and the table, never told by colour alone.
EMERGING_HOT: tuple[str, ...] = (
    "#fff5c0",
    "#fdb064",
    "#f67747",
    "#e0442f",
    "#ba221b",
    "#900a09",
    "#660008",
    "#3d0010",
)
EMERGING_COLD: tuple[str, ...] = (
    "#d6e6f5",
    "#a1c7e4",
    "#66a9d3",
    "#4387c1",
    "#1e67aa",
    "#134886",
    "#072b60",
    "#03142e",
)
#: More than expected (hot spot, a rise) and less (cold spot, a fall).
HOT, COLD = DIVERGING[0], DIVERGING[-1]
#: The nattelivszone's outline, on screen and in the PNG.
ZONE = "#5b3a8c"
#: Okabe–Ito hues, darkened where needed: each line has at least 3:1 against white (WCAG 2.1
#: 1.4.11) and the lines stay apart with protanopia, deuteranopia and tritanopia.
SERIES: tuple[str, ...] = ("#0072B2", "#D55E00", "#000000", "#007A5A", "#A9568A")
#: An initiative on or off its target (PNG overview): the first two series hues.
ON_TRACK, OFF_TRACK = SERIES[0], SERIES[1]
#: The DEMODATA badge: the hot red, with white text.
DEMO_RED = HOT
WHITE = "#ffffff"
BLACK = "#000000"

# ---- text and lines ------------------------------------------------------------------------
TEXT = "#222222"
#: Axis, legend and title text of the charts: 12.6:1 on white (Vega's default grey has 3.7:1).
CHART_TEXT = "#333333"
#: Dark text on a light table cell.
CELL_TEXT = "#1a1a1a"
MUTED = "#5f5f5f"
#: 4.5:1 on white (WCAG 2.1 AA), for the "no data" status mark.
LIGHT = "#767676"
RULE = "#d9d9d9"
#: A trend's target line.
TARGET = "#555555"
#: A chart's axis lines and its grid.
AXIS = "#8a8a8a"
GRID = "#e6e6e6"
TICK = "#444444"
#: Stripes behind every second row (PNG overview, the deck's tables).
STRIPE = "#f3f5f8"

# ---- maps ------------------------------------------------------------------------------------
#: The background of a map without tiles (screen) and its land (PNG).
MAP_BACKGROUND = "#f6f6f3"
LAND = "#f6f6f4"
#: Water: the PNG's fill; on screen an outline and a fill.
WATER = "#d4e4f2"
WATER_LINE = "#8db8dc"
WATER_FILL = "#b9d8f2"
#: District outlines: on screen, in the PNG, and a feature's border.
OUTLINE = "#6e6e6e"
DISTRICT_LINE = "#8c8c8c"
EDGE = "#4d4d4d"
#: A chosen feature's border and a feature under the pointer.
CHOSEN = "#111111"
HOVER = TEXT
#: The keyboard focus ring around the map (WCAG 2.4.7).
FOCUS = "#1a5fb4"
#: Legend swatches' border (screen and PNG) and the circles' edge in the PNG.
SWATCH_LINE = "#888888"
LEGEND_LINE = "#7a7a7a"
CIRCLE_EDGE = CHART_TEXT
CIRCLE_KEY = TARGET
#: Place names written on the PNG map.
MAP_LABEL = "#6f6f6f"
#: The map legend's box on screen: white, a little see-through, with a soft shadow.
LEGEND_BOX = "rgba(255,255,255,0.92)"
LEGEND_SHADOW = "rgba(0,0,0,0.3)"
#: The initiatives' Excel templates: the header row and the cells to fill in.
TEMPLATE_HEADER = "#dde7f0"
TEMPLATE_INPUT = "#fff7d6"
#: The import preview: districts and places as drawn, their outline.
PREVIEW_FILL = "#cfe0f0"
PREVIEW_LINE = "#1f4e79"


def rgb(colour: str) -> tuple[int, int, int]:
    """'#b2182b' → (178, 24, 43).

    Raises
    ------
    ValueError
        When ``colour`` is not '#' and six hex digits.
    """
    digits = colour.removeprefix("#")
    if len(digits) != 6 or colour[0] != "#":
        raise ValueError(f"colour={colour!r} er ikke en farve som '#rrggbb'.")
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return red, green, blue
