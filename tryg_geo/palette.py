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
#: Emerging hot spot patterns (analysis/emerging.py), by pattern, hot and cold apart. Not one
#: ramp (issue 23's trial could not tell Fortløbende from Vedvarende on the old dark-red one):
#: after ArcGIS's convention loosely, hot patterns are reds, oranges and purples (darkest red
#: strengthening, red lasting, light fading, purple new), cold ones blues, teals and
#: blue-greys (muted: cold spots are rarely the news), each of a lightness and hue of its own,
#: chosen so that every two of the 16 differ by CIEDE2000 ΔE ≥ 10 as drawn, with normal
#: vision, protanopia and deuteranopia, and each side's light-to-dark order reads with
#: tritanopia too (tests/render/test_a11y_colours.py). Every pattern is also named in the
#: legend, the popup and the table: never told by colour alone.
EMERGING_HOT: dict[str, str] = {
    "new": "#a80ea1",
    "consecutive": "#f16600",
    "intensifying": "#77051c",
    "persistent": "#d20401",
    "diminishing": "#fba59e",
    "sporadic": "#fcd362",
    "oscillating": "#f687f9",
    "historical": "#9b6c57",
}
EMERGING_COLD: dict[str, str] = {
    "new": "#4c6af4",
    "consecutive": "#7b7ea8",
    "intensifying": "#313155",
    "persistent": "#384a46",
    "diminishing": "#dfe0ff",
    "sporadic": "#9caeb7",
    "oscillating": "#667b7c",
    "historical": "#535872",
}
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
