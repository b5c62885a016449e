"""Map classes and colour-blind-safe palettes (ColorBrewer sequential, single-hue ramps)."""

from __future__ import annotations

import math

import mapclassify
import numpy as np

from ..errors import UsageError
from ..views.model import NO_DATA_COLOR

# ColorBrewer sequential ramps are readable for the common colour-vision deficiencies.
PALETTES: dict[str, tuple[str, ...]] = {
    "blues": ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"),
    "oranges": ("#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"),
    "purples": ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"),
}
SCHEMES = ("quantiles", "natural_breaks")


def classify(
    values: np.ndarray, scheme: str = "quantiles", k: int = 5, *, whole: bool = False
) -> tuple[np.ndarray, list[float]]:
    """Class index (0..k-1, -1 for missing) of each value and the upper bounds of the classes.

    Parameters
    ----------
    values : the numbers to classify; NaN means no data or suppressed.
    scheme : 'quantiles' or 'natural_breaks' (Fisher-Jenks via mapclassify).
    k : the wanted number of classes; fewer when there are fewer distinct values.
    """
    if scheme not in SCHEMES:
        raise UsageError(f"klasser={scheme!r} er ikke tilladt; vælg en af {', '.join(SCHEMES)}.")
    values = np.asarray(values, dtype="float64")
    ok = np.isfinite(values)
    classes = np.full(len(values), -1, dtype=int)
    distinct = np.unique(values[ok])
    if len(distinct) == 0:
        return classes, []
    k = max(1, min(k, len(distinct)))
    if k == 1:
        classes[ok] = 0
        return classes, [float(distinct[-1])]
    if scheme == "quantiles":
        result = mapclassify.Quantiles(values[ok], k=k)
    else:
        result = mapclassify.NaturalBreaks(values[ok], k=k)
    if whole:
        # Whole counts: class bounds on whole numbers, so no class is empty or overlaps.
        bins = np.unique(np.floor(result.bins))
        classes[ok] = np.searchsorted(bins, values[ok], side="left")
        return classes, [float(b) for b in bins]
    classes[ok] = result.yb
    return classes, [float(b) for b in result.bins]


def colours(classes: np.ndarray, palette: str, n_classes: int) -> list[str]:
    """Hex colour per class index (missing → light grey), spreading the ramp over n classes."""
    ramp = _ramp(palette, n_classes)
    return [ramp[c] if c >= 0 else NO_DATA_COLOR for c in classes]


def _ramp(palette: str, n: int) -> list[str]:
    full = PALETTES[palette]
    if n <= 0:
        return []
    # One class (all values alike, often all zero) takes a light colour, not the darkest.
    positions = np.linspace(0, len(full) - 1, n).round().astype(int) if n > 1 else [1]
    return [full[p] for p in positions]


def legend_entries(
    bins: list[float], palette: str, fmt, lowest: float | None = None, *, whole: bool = False
) -> list[tuple[str, str]]:
    """(colour, 'a – b') per class, formatted with ``fmt``; the first class starts at
    ``lowest`` when given (else it reads '≤ b').

    ``whole``: the values are whole counts, so a class (lower, upper] holds the counts
    floor(lower) + 1 … floor(upper) and reads "8 – 14", never "5 – 6" then "6 – 7".
    """
    ramp = _ramp(palette, len(bins))
    entries = []
    lower = lowest
    for colour, upper in zip(ramp, bins, strict=True):
        start, end = lower, upper
        if whole:
            end = math.floor(upper)
            if lower is not None:
                start = math.floor(lower) + 1 if entries else math.ceil(lower)
        if start is None:
            label = f"≤ {fmt(end)}"
        elif fmt(start) == fmt(end):
            label = fmt(end)
        else:
            label = f"{fmt(start)} – {fmt(end)}"
        entries.append((colour, label))
        lower = upper
    return entries
