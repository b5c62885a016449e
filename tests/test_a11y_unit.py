"""Contrast, colour-vision simulation, colour difference and the text alternatives (pure)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tryg_geo import a11y
from tryg_geo.a11y import (
    composite,
    contrast_ratio,
    delta_e_lab,
    map_sentence,
    ramp_problems,
    relative_luminance,
    simulate,
    trend_sentence,
)


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


# ---- text alternatives ------------------------------------------------------------------------
def test_map_sentence_names_highest_and_lowest_and_counts_hidden() -> None:
    text = map_sentence(
        ["Vestbyen", "Hals", "Nibe", "Vodskov", "Klarup"],
        [5.1, 0.8, math.nan, 2.0, math.nan],
        ["5,1", "0,8", "<5", "2,0", "Ingen data"],
        what="anmeldte hændelser pr. 1.000 indbyggere",
        hidden=[False, False, True, False, False],
    )
    assert text == (
        "Kortet viser anmeldte hændelser pr. 1.000 indbyggere for 5 områder. "
        "Højest: Vestbyen 5,1; lavest: Hals 0,8. 1 område vises som <5. 1 område uden data."
    )


def test_map_sentence_never_names_a_hidden_value() -> None:
    """A hidden value is not used, even when the caller passes its real number."""
    text = map_sentence(
        ["Skjultby", "B", "C"],
        [3.25, 7.0, 9.0],
        ["<5", "7", "9"],
        what="hændelser",
        noun_plural="celler",
        hidden=[True, False, False],
    )
    assert "Højest: C 9; lavest: B 7." in text
    assert "Skjultby" not in text and "3,25" not in text and "3.25" not in text
    assert "1 celle vises som <5." in text


def test_map_sentence_ties_all_equal_and_nothing_shown() -> None:
    tie = map_sentence(["B", "A", "C"], [4, 4, 1], ["4", "4", "1"], what="x")
    assert "Højest: A og B 4; lavest: C 1." in tie
    same = map_sentence(["A", "B"], [2, 2], ["2", "2"], what="x", noun_plural="steder")
    assert "Alle 2 steder med tal har 2." in same
    none = map_sentence(["A"], [math.nan], ["<5"], what="x", hidden=[True])
    assert "Ingen områder har et tal, der kan vises. 1 område vises som <5." in none


def test_trend_sentence_years_shares_and_gaps() -> None:
    data = pd.DataFrame(
        {
            "period": pd.to_datetime(["2022-01-01", "2023-01-01", "2024-01-01", "2025-01-01"]),
            "series": "Hele kommunen",
            "value": [0.9, 0.95, math.nan, 0.912],
        }
    )
    text = trend_sentence("Trygge over tid", data, "andel")
    assert text == (
        "Trygge over tid. Hele kommunen: fra 90,0 % i 2022 til 91,2 % i 2025; "
        "højest 95,0 % i 2023, lavest 90,0 % i 2022; 1 periode uden vist tal."
    )


def test_trend_sentence_quarters_months_and_empty() -> None:
    quarters = pd.DataFrame(
        {
            "period": pd.to_datetime(["2024-01-01", "2024-04-01", "2024-07-01"]),
            "series": "Vold",
            "value": [12.0, 7.0, 20.0],
        }
    )
    text = trend_sentence("Hændelser", quarters, "antal")
    assert "fra 12 i 1. kvt. 2024 til 20 i 3. kvt. 2024" in text
    months = quarters.assign(period=pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]))
    assert "til 20 i marts 2024" in trend_sentence("Hændelser", months, "antal")
    empty = quarters.assign(value=math.nan)
    assert trend_sentence("Hændelser", empty, "antal") == (
        "Hændelser: der er for få tal til at vise en udvikling."
    )
