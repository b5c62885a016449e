"""Contrast (WCAG 2.1), colour-vision simulation (Machado 2009) and CIEDE2000 (pure)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import a11y_checks as a11y
import numpy as np
import pytest
from a11y_checks import (
    composite,
    contrast_ratio,
    delta_e_lab,
    ramp_problems,
    relative_luminance,
    simulate,
)

from tryg_geo.compute.breaks import NO_DATA_COLOR, PALETTES, SUPPRESSED_COLOR
from tryg_geo.render import png_base
from tryg_geo.render.charts import SERIES_COLOURS, TARGET_COLOUR, TEXT_COLOUR
from tryg_geo.render.map_controls import entries_html
from tryg_geo.render.maps import BACKGROUND_COLOR


# ---- contrast (WCAG 2.1) ----------------------------------------------------------------------
def test_contrast_extremes_and_symmetry() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    assert contrast_ratio("#ffffff", "#3182bd") == pytest.approx(contrast_ratio("#3182bd", "#fff"))


@pytest.mark.parametrize(
    ("fg", "bg", "expected"),
    [
        # Values as WebAIM's contrast checker and axe-core report them.
        ("#767676", "#ffffff", 4.54),  # the lightest grey that passes AA on white
        ("#777777", "#ffffff", 4.48),
        ("#0000ff", "#ffffff", 8.59),
        ("#ff0000", "#ffffff", 4.00),
    ],
)
def test_contrast_known_values(fg: str, bg: str, expected: float) -> None:
    assert contrast_ratio(fg, bg) == pytest.approx(expected, abs=0.01)


def test_luminance_and_compositing() -> None:
    assert relative_luminance("#fff") == pytest.approx(1.0)
    assert relative_luminance("#000") == 0.0
    assert composite("#000000", "#ffffff", 0.5) == "#808080"
    assert composite("#3182bd", "#f6f6f3", 1.0) == "#3182bd"
    with pytest.raises(ValueError, match="hex-farve"):
        relative_luminance("blå")


# ---- colour-vision deficiencies ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("protanopia", "protanomaly"),
        ("deuteranopia", "deuteranomaly"),
        ("tritanopia", "tritanomaly"),
    ],
)
def test_machado_matrices_match_an_independent_source(ours: str, theirs: str) -> None:
    """colorspacious ships its own copy of Machado et al. (2009)'s table; severity 100 = ours."""
    cvd = pytest.importorskip("colorspacious.cvd")
    assert np.allclose(a11y.MACHADO_2009[ours], cvd.machado_et_al_2009_matrix(theirs, 100))


@pytest.mark.parametrize("deficiency", a11y.DEFICIENCIES)
def test_simulation_agrees_with_colorspacious(deficiency: str) -> None:
    colorspacious = pytest.importorskip("colorspacious")
    cvd_space = {
        "name": "sRGB1+CVD",
        "cvd_type": deficiency.replace("opia", "omaly"),
        "severity": 100,
    }
    for colour in ("#e41a1c", "#4daf4a", "#377eb8", "#fd8d3c", "#08519c", "#bdbdbd"):
        theirs = np.clip(
            colorspacious.cspace_convert(a11y.hex_to_rgb(colour), cvd_space, "sRGB1"), 0, 1
        )
        ours = a11y.hex_to_rgb(simulate(colour, deficiency))
        assert np.allclose(ours, theirs, atol=1.5 / 255), (colour, ours * 255, theirs * 255)


def test_red_and_green_collapse_for_deuteranopia_but_not_for_normal_vision() -> None:
    """The reason for the whole exercise: a red/green pair that a deuteranope cannot tell apart."""
    red, green = "#d62728", "#2ca02c"
    assert a11y.delta_e(red, green) > 40
    assert a11y.delta_e(simulate(red, "deuteranopia"), simulate(green, "deuteranopia")) < 15
    with pytest.raises(ValueError, match="farvesynsdefekt"):
        simulate(red, "achromatopsia")


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [
        # Sharma, Wu & Dalal (2005), test data for CIEDE2000, pairs 1, 7, 17 and 25.
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ],
)
def test_ciede2000_reference_pairs(lab1, lab2, expected: float) -> None:
    assert delta_e_lab(np.array(lab1), np.array(lab2)) == pytest.approx(expected, abs=1e-4)


def test_ramp_problems_flags_a_ramp_that_collapses() -> None:
    assert ramp_problems(("#d62728", "#2ca02c"), background="#ffffff", min_delta_e=15)
    assert ramp_problems(("#08519c", "#eff3ff"), background="#ffffff")  # gets lighter
    assert not ramp_problems(("#eff3ff", "#6baed6", "#08519c"), background="#ffffff")


# ---- the project's colours ----------------------------------------------------------------------
MIN_CLASS_DELTA_E = 5.0  # CIEDE2000; about 2.3 is just noticeable


@pytest.mark.parametrize("palette", sorted(PALETTES))
def test_map_classes_stay_apart_with_every_colour_vision(palette: str) -> None:
    """Neighbouring classes, as drawn (75 % opacity over the map background), differ by at
    least MIN_CLASS_DELTA_E with normal vision and simulated protanopia, deuteranopia and
    tritanopia, and get darker from low to high (the order reads without hue)."""
    problems = ramp_problems(
        PALETTES[palette], background=BACKGROUND_COLOR, alpha=0.75, min_delta_e=MIN_CLASS_DELTA_E
    )
    assert not problems, problems


@pytest.mark.parametrize("palette", sorted(PALETTES))
def test_hidden_is_told_apart_from_every_class(palette: str) -> None:
    for colour in PALETTES[palette]:
        for vision in ("normal", *a11y.DEFICIENCIES):
            a, b = (composite(c, BACKGROUND_COLOR, 0.75) for c in (SUPPRESSED_COLOR, colour))
            if vision != "normal":
                a, b = simulate(a, vision), simulate(b, vision)
            assert a11y.delta_e(a, b) >= MIN_CLASS_DELTA_E, (colour, vision)


def test_no_data_is_dashed_on_the_map_and_in_the_legend() -> None:
    """'Ingen data' is nearly as light as the lowest class: a dashed border tells it apart."""
    html = entries_html("x", [(PALETTES["blues"][0], "lav"), (NO_DATA_COLOR, "Ingen data")])
    assert html.count("dashed") == 1
    assert html.index("dashed") > html.index("lav")


def test_map_borders_and_legend_text_contrast() -> None:
    """Every district has a border of at least 3:1 against the map background (WCAG 1.4.11);
    the legend's text is 4.5:1 or more on its box (1.4.3)."""
    assert contrast_ratio("#4d4d4d", BACKGROUND_COLOR) >= 3.0
    legend_box = composite("#ffffff", BACKGROUND_COLOR, 0.92)
    assert contrast_ratio("#222222", legend_box) >= 4.5


def test_chart_lines_and_text_contrast_and_stay_apart() -> None:
    for colour in SERIES_COLOURS:
        assert contrast_ratio(colour, "#ffffff") >= 3.0, colour
    assert contrast_ratio(TEXT_COLOUR, "#ffffff") >= 4.5
    assert contrast_ratio(TARGET_COLOUR, "#ffffff") >= 3.0
    for vision in ("normal", *a11y.DEFICIENCIES):
        for i, first in enumerate(SERIES_COLOURS):
            for second in SERIES_COLOURS[i + 1 :]:
                a, b = (simulate(c, vision) if vision != "normal" else c for c in (first, second))
                assert a11y.delta_e(a, b) >= 7.0, (first, second, vision)


def test_png_text_colours() -> None:
    """Text in the PNG exports: 4.5:1 on white; the DEMODATA mark is white on red."""
    for colour in (png_base.TEXT, png_base.MUTED, png_base.LIGHT, png_base.DEMO_RED):
        assert contrast_ratio(colour, "#ffffff") >= 4.5, colour
    assert contrast_ratio("#ffffff", png_base.DEMO_RED) >= 4.5


def test_streamlit_caption_colour_from_the_theme() -> None:
    """Captions are the theme's text colour at 60 % opacity (Streamlit): 4.5:1 on the page
    and on the sidebar's background."""
    config = tomllib.loads((Path(__file__).parents[2] / ".streamlit" / "config.toml").read_text())
    text = config["theme"]["textColor"]
    for background in ("#ffffff", "#f8f8f7"):
        assert contrast_ratio(composite(text, background, 0.6), background) >= 4.5


# ---- emerging hot spots ---------------------------------------------------------------------
@pytest.mark.parametrize("side", ["hot", "cold"])
def test_emerging_patterns_stay_apart_with_every_colour_vision(side: str) -> None:
    """Each side's patterns, as drawn, light to dark: the map's background and every neighbour
    in the legend differ by at least MIN_CLASS_DELTA_E with every colour vision, and they get
    darker (the order reads without hue)."""
    from tryg_geo.analysis.emerging import PATTERNS

    colours = sorted(
        (p.colour for p in PATTERNS if p.side == side), key=relative_luminance, reverse=True
    )
    assert len(colours) == 8
    problems = ramp_problems(
        [BACKGROUND_COLOR, *colours],
        background=BACKGROUND_COLOR,
        alpha=0.75,
        min_delta_e=MIN_CLASS_DELTA_E,
    )
    assert not problems, problems


def test_emerging_hot_is_told_from_cold_with_every_colour_vision() -> None:
    from tryg_geo.analysis.emerging import PATTERNS

    hot = [p.colour for p in PATTERNS if p.side == "hot"]
    cold = [p.colour for p in PATTERNS if p.side == "cold"]
    for h in hot:
        for c in cold:
            a, b = (composite(x, BACKGROUND_COLOR, 0.75) for x in (h, c))
            for vision in ("normal", *a11y.DEFICIENCIES):
                seen = (a, b) if vision == "normal" else (simulate(a, vision), simulate(b, vision))
                assert a11y.delta_e(*seen) >= MIN_CLASS_DELTA_E, (h, c, vision)


#: Every two emerging patterns differ at least this much (CIEDE2000) as drawn, with normal
#: vision, protanopia and deuteranopia: clearly apart, not merely noticeable (the old dark-red
#: ramp had Fortløbende and Vedvarende 6.6 apart).
MIN_PATTERN_DELTA_E = 10.0


def test_every_two_emerging_patterns_are_told_apart_with_red_green_deficiencies() -> None:
    """Not only neighbours in the legend: any two of the 16 pattern colours, hot or cold, are
    at least MIN_PATTERN_DELTA_E apart, and apart from the map's background, as drawn."""
    from tryg_geo.analysis.emerging import PATTERNS

    patterns = [p for p in PATTERNS if p.side]
    assert len({p.colour for p in patterns}) == 16
    drawn = {p.name: composite(p.colour, BACKGROUND_COLOR, 0.75) for p in patterns}
    drawn["kortets baggrund"] = BACKGROUND_COLOR
    names = list(drawn)
    for vision in ("normal", "protanopia", "deuteranopia"):
        seen = {n: drawn[n] if vision == "normal" else simulate(drawn[n], vision) for n in names}
        for i, first in enumerate(names):
            for second in names[i + 1 :]:
                diff = a11y.delta_e(seen[first], seen[second])
                assert diff >= MIN_PATTERN_DELTA_E, (first, second, vision, round(diff, 1))
