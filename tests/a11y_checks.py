"""Colours for everyone, as pure functions: contrast (WCAG 2.1), colour-vision deficiency
simulation and colour differences. Only the tests use them (tests/render/test_a11y_colours.py
holds the palettes, map and PNG colours to them), so they live beside the tests.

Contrast follows WCAG 2.1 (relative luminance of sRGB, ratio ``(L1 + 0.05) / (L2 + 0.05)``).
Colour-vision deficiencies are simulated with the matrices of Machado, Oliveira & Fernandes
(2009, "A physiologically-based model for simulation of color vision deficiency", severity 1.0)
applied to linear RGB. Colour differences are CIEDE2000 in CIELAB (D65).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

#: Machado et al. (2009), severity 1.0, for linear RGB (rows: output R, G, B).
MACHADO_2009: dict[str, np.ndarray] = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
DEFICIENCIES: tuple[str, ...] = tuple(MACHADO_2009)
#: WCAG 2.1 AA: normal text (1.4.3) and graphical objects / large text (1.4.11, 1.4.3).
TEXT_CONTRAST = 4.5
GRAPHIC_CONTRAST = 3.0

# sRGB (D65) → XYZ, and the D65 white point (IEC 61966-2-1).
_RGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_WHITE = _RGB_TO_XYZ @ np.ones(3)


# ---- colours ----------------------------------------------------------------------------------
def hex_to_rgb(colour: str) -> np.ndarray:
    """``'#3182bd'`` or ``'#38b'`` → sRGB in 0..1 as a float array of three.

    Raises
    ------
    ValueError
        When ``colour`` is not a hex colour.
    """
    text = colour.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    if len(text) != 6 or any(c not in "0123456789abcdefABCDEF" for c in text):
        raise ValueError(f"{colour!r} er ikke en hex-farve som '#3182bd'.")
    return np.array([int(text[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def rgb_to_hex(rgb: Sequence[float] | np.ndarray) -> str:
    """sRGB in 0..1 (clipped) → ``'#rrggbb'``."""
    values = np.clip(np.asarray(rgb, dtype=float), 0, 1)
    return "#" + "".join(f"{round(v * 255):02x}" for v in values)


def to_linear(rgb: np.ndarray) -> np.ndarray:
    """sRGB (0..1) → linear RGB."""
    rgb = np.asarray(rgb, dtype=float)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def to_srgb(linear: np.ndarray) -> np.ndarray:
    """Linear RGB → sRGB (0..1), clipped to the gamut."""
    linear = np.clip(np.asarray(linear, dtype=float), 0, 1)
    return np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)


def composite(colour: str, background: str, alpha: float) -> str:
    """``colour`` drawn with opacity ``alpha`` over ``background`` (as the browser blends)."""
    fg, bg = hex_to_rgb(colour), hex_to_rgb(background)
    return rgb_to_hex(alpha * fg + (1 - alpha) * bg)


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of a hex colour (0 black … 1 white)."""
    return float(np.array([0.2126, 0.7152, 0.0722]) @ to_linear(hex_to_rgb(colour)))


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two hex colours, 1 … 21 (order does not matter)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    high, low = max(la, lb), min(la, lb)
    return (high + 0.05) / (low + 0.05)


def simulate(colour: str, deficiency: str) -> str:
    """How ``colour`` looks with ``deficiency`` ('protanopia', 'deuteranopia', 'tritanopia').

    Raises
    ------
    ValueError
        For an unknown deficiency.
    """
    if deficiency not in MACHADO_2009:
        raise ValueError(f"Ukendt farvesynsdefekt {deficiency!r}; brug {', '.join(DEFICIENCIES)}.")
    linear = MACHADO_2009[deficiency] @ to_linear(hex_to_rgb(colour))
    return rgb_to_hex(to_srgb(linear))


def to_lab(colour: str) -> np.ndarray:
    """CIELAB (D65) of a hex colour: ``[L*, a*, b*]``."""
    xyz = (_RGB_TO_XYZ @ to_linear(hex_to_rgb(colour))) / _WHITE
    eps, kappa = 216 / 24389, 24389 / 27
    f = np.where(xyz > eps, np.cbrt(xyz), (kappa * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str) -> float:
    """CIEDE2000 colour difference of two hex colours (about 2.3 is just noticeable)."""
    return delta_e_lab(to_lab(a), to_lab(b))


def delta_e_lab(lab1: np.ndarray, lab2: np.ndarray) -> float:
    """CIEDE2000 colour difference of two CIELAB colours (Sharma, Wu & Dalal 2005)."""
    l1, a1, b1 = (float(v) for v in lab1)
    l2, a2, b2 = (float(v) for v in lab2)
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    c_mean = (c1 + c2) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    elif abs(h2p - h1p) <= 180:
        dh = h2p - h1p
    else:
        dh = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    dhh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    d_theta = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt(
        (dl / s_l) ** 2 + (dc / s_c) ** 2 + (dhh / s_h) ** 2 + r_t * (dc / s_c) * (dhh / s_h)
    )


def ramp_problems(
    colours: Sequence[str],
    *,
    background: str,
    alpha: float = 1.0,
    min_delta_e: float = 8.0,
    deficiencies: Sequence[str] = DEFICIENCIES,
) -> list[str]:
    """Why a map's class colours (light to dark, as drawn with opacity ``alpha`` over
    ``background``) would be hard to tell apart; empty when they are fine.

    Checked: each pair of neighbouring classes differs by at least ``min_delta_e``
    (CIEDE2000), with normal colour vision and with each simulated deficiency, and the
    classes get darker from first to last (so the order reads without hue).
    """
    drawn = [composite(c, background, alpha) for c in colours]
    problems = []
    for vision in ("normal", *deficiencies):
        seen = drawn if vision == "normal" else [simulate(c, vision) for c in drawn]
        for i in range(len(seen) - 1):
            diff = delta_e(seen[i], seen[i + 1])
            if diff < min_delta_e:
                problems.append(
                    f"{vision}: klasse {i + 1} ({colours[i]}) og {i + 2} ({colours[i + 1]}) "
                    f"adskiller sig kun med ΔE {diff:.1f} (mindst {min_delta_e:g})"
                )
    lum = [relative_luminance(c) for c in drawn]
    if any(b >= a for a, b in zip(lum, lum[1:], strict=False)):
        problems.append(f"klasserne bliver ikke mørkere fra første til sidste: {list(colours)}")
    return problems
