"""Map classes and colour-blind-safe palettes (ColorBrewer sequential, single-hue ramps)."""

from __future__ import annotations

import mapclassify
import numpy as np

from .. import palette
from ..errors import UsageError
from ..palette import RAMPS

#: The map ramps by name (tryg_geo.palette).
PALETTES: dict[str, tuple[str, ...]] = RAMPS
SCHEMES = ("quantiles", "natural_breaks")
#: Hidden values and no data: the palette's greys, by the names the map code uses.
SUPPRESSED_COLOR = palette.HIDDEN
NO_DATA_COLOR = palette.NO_DATA


def classify(
    values: np.ndarray, scheme: str = "quantiles", k: int = 5, *, whole: bool = False
) -> tuple[np.ndarray, list[float]]:
    """Class index (0..k-1, -1 for missing) of each value and the upper bounds of the classes.

    Parameters
    ----------
    values : the numbers to classify; NaN means no data or suppressed.
    scheme : 'quantiles' (mapclassify) or 'natural_breaks' (Jenks: the exact optimum of
        Fisher's method, :func:`jenks_bins`).
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
        upper, yb = np.asarray(result.bins, dtype="float64"), result.yb
    else:
        upper = jenks_bins(values[ok], k)
        yb = np.searchsorted(upper, values[ok], side="left")
    if whole:
        # Whole counts: class bounds on whole numbers, so no class is empty or overlaps.
        bins = np.unique(np.floor(upper))
        classes[ok] = np.searchsorted(bins, values[ok], side="left")
        return classes, [float(b) for b in bins]
    classes[ok] = yb
    return classes, [float(b) for b in upper]


#: Above this many distinct values Jenks runs on this many weighted quantile groups instead.
JENKS_MAX_DISTINCT = 600


def jenks_bins(values: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of the ``k`` natural-breaks classes (Jenks): the grouping of the sorted
    values into ``k`` runs with the least sum of squared deviations from the run means.

    Fisher's dynamic programme, exact, on the distinct values weighted by how often they
    occur: a map of thousands of grid cells has a few hundred distinct counts, so this takes
    milliseconds and gives the same classes every time (k-means, mapclassify's
    ``NaturalBreaks``, starts at random and may not). With more than
    :data:`JENKS_MAX_DISTINCT` distinct values (rates, shares), neighbouring values are first
    pooled into that many groups of equal count.
    """
    distinct, weights = np.unique(np.asarray(values, dtype="float64"), return_counts=True)
    m = len(distinct)
    k = max(1, min(k, m))
    if k == 1:
        return distinct[-1:].copy()
    x, w, top = distinct, weights.astype("float64"), distinct
    if m > JENKS_MAX_DISTINCT:  # pool neighbours: group sums keep means and weights
        group = (np.cumsum(w) - w) * JENKS_MAX_DISTINCT // w.sum()
        group = group.astype(np.int64)
        starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
        w_sum = np.add.reduceat(w, starts)
        x = np.add.reduceat(w * distinct, starts) / w_sum
        top = distinct[np.r_[starts[1:] - 1, m - 1]]
        w, m = w_sum, len(starts)
        k = min(k, m)
    cw = np.r_[0.0, np.cumsum(w)]
    cx = np.r_[0.0, np.cumsum(w * x)]
    cxx = np.r_[0.0, np.cumsum(w * x * x)]
    # sse[s, i]: squared deviations of the values s..i (inclusive) from their mean.
    s_idx, i_idx = np.triu_indices(m)
    weight = cw[i_idx + 1] - cw[s_idx]
    total = cx[i_idx + 1] - cx[s_idx]
    sse = np.full((m, m), np.inf)
    sse[s_idx, i_idx] = (cxx[i_idx + 1] - cxx[s_idx]) - total * total / weight
    cost = sse[0].copy()  # one class over values 0..i
    cuts = np.zeros((k, m), dtype=np.int64)
    for j in range(1, k):
        # the last class starts at s (1..i): the best j classes over 0..s-1 plus s..i
        options = cost[:-1, None] + sse[1:, :]  # rows s = 1..m-1
        best = np.argmin(options, axis=0)
        cost = options[best, np.arange(m)]
        cuts[j] = best + 1
    ends, i = [], m - 1
    for j in range(k - 1, -1, -1):
        ends.append(i)
        i = cuts[j, i] - 1
    return top[np.array(ends[::-1])].astype("float64")


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


def _members_text(members: np.ndarray, fmt) -> str:
    """'a – b' of a class's values; a class holding 0 beside larger values says '0 og a – b',
    so the range never spans the hidden counts between them (0 and 5–8 with 1–4 hidden)."""
    positive = members[members > 0]
    prefix = "0 og " if (members == 0).any() and len(positive) else ""
    shown = positive if prefix else members
    low, high = fmt(float(shown.min())), fmt(float(shown.max()))
    return prefix + (low if low == high else f"{low} – {high}")


def member_entries(
    values: np.ndarray, classes: np.ndarray, bins: list[float], palette: str, fmt
) -> list[tuple[str, str]]:
    """(colour, 'a – b') per class that holds a value, read from the values it holds.

    ``a`` and ``b`` are the smallest and largest value of the class, so a range never reaches
    into values that are not shown: with counts 1–4 hidden, the classes of 0 and 6–74 read "0"
    and "6 – 74", never "1 – 74" (as class bounds would). A class of one value reads that
    value. ``values`` are the shown numbers (NaN: hidden or no data),
    ``classes`` and ``bins`` from :func:`classify`.
    """
    values = np.asarray(values, dtype="float64")
    ramp = _ramp(palette, len(bins))
    entries = []
    for cls, colour in enumerate(ramp):
        members = values[(classes == cls) & np.isfinite(values)]
        if not len(members):
            continue
        entries.append((colour, _members_text(members, fmt)))
    return entries
