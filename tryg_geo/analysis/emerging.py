"""Emerging hot spots: is a hot spot new, growing, lasting or fading?

As ArcGIS Pro's Emerging Hot Spot Analysis ("How Emerging Hot Spot Analysis works",
https://pro.arcgis.com/en/pro-app/latest/tool-reference/space-time-pattern-mining/learnmoreemerging.htm):

Time steps
    Months, quarters or years (:data:`STEPS`) from the first to the last step of the chosen
    period that the data cover for at least half of its days; at least :data:`MIN_STEPS` steps.
Gi* per step
    The incidents of each step counted per location (DDKN study cells, or districts) and run
    through the very rules of today's hot spots (:func:`tryg_geo.analysis.hotspots.classify`:
    the same 3 × 3 or queen neighbourhood, Gi* z, Benjamini–Hochberg FDR across the locations
    of the step, significant at p < 0.10). A step with fewer than
    :data:`~tryg_geo.analysis.hotspots.MIN_EVENTS` incidents has no hot or cold spots, as today.
Trend
    The Mann–Kendall test of each location's series of Gi* z-scores (:func:`mann_kendall`:
    ``S = Σ_{i<j} sign(z_j − z_i)``, variance with the tie correction
    ``(n(n−1)(2n+5) − Σ t(t−1)(2t+5)) / 18``, continuity-corrected normal z, two-sided p), as
    ArcGIS does; significant at p < :data:`TREND_ALPHA`.
Patterns
    ArcGIS's definitions, for hot spots (cold spots alike, with cold for hot), first match
    in ArcGIS's order:

    * new: hot in the final step and never hot before;
    * consecutive: a single uninterrupted run of at least two hot steps at the end, never hot
      before the run, and hot in less than 90 % of the steps;
    * intensifying: hot in at least 90 % of the steps including the final one, and the z-scores
      rise significantly;
    * persistent: hot in at least 90 % of the steps including the final one, with no
      significant trend (ArcGIS does not name the final step here; without it the location is
      historical);
    * diminishing: as intensifying, but the z-scores fall significantly;
    * sporadic: hot in the final step, on and off before, less than 90 % of the steps hot and
      never a cold spot;
    * oscillating: hot in the final step, a cold spot in some step before, and less than 90 %
      of the steps hot;
    * historical: not hot in the final step, but hot in at least 90 % of the steps;
    * intet mønster: none of these ("No Pattern Detected").

    The patterns of the final step (hot first, then cold) are tried before the historical ones.
    "At least 90 %" is counted exactly: ``10 · hot steps ≥ 9 · steps``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from .. import palette
from ..cache import per_version
from ..compute.counts import category_mask, combine
from ..compute.privacy import count_text

# The steps (month, quarter, year), their months and the default: one home with the slider's.
from ..compute.steps import DEFAULT_STEP, STEP_MONTHS, STEPS, check_step
from ..errors import UsageError
from ..fmt import number
from ..periods import Period
from ..store.dataset import Dataset
from .hotspots import MIN_EVENTS, classify_signs, two_sided_p, uses_rates
from .study_grid import check_size, district_weights, incident_cells, outside_cells

#: Fewest time steps: fewer give Mann–Kendall too little to find a trend in.
MIN_STEPS = 8
#: A trend is significant below this Mann–Kendall p-value.
TREND_ALPHA = 0.05
#: "At least 90 % of the steps" as a fraction (ArcGIS), counted exactly in :func:`pattern_keys`.
SHARE_NUM, SHARE_DEN = 9, 10
#: The units an emerging analysis runs on.
UNITS: tuple[str, ...] = ("cell", "district")


@dataclass(frozen=True)
class Pattern:
    """One category of the emerging hot spot analysis.

    Attributes
    ----------
    key : the CSV's value (``new_hot``).
    name : the Danish name on the map, in the legend and the table.
    side : ``hot``, ``cold`` or ``""`` (intet mønster).
    arcgis : ArcGIS's English name.
    meaning : ArcGIS's definition, in plain Danish (legend help, text alternative).
    colour : its colour (:data:`tryg_geo.palette.EMERGING_HOT` / ``EMERGING_COLD``).
    """

    key: str
    name: str
    side: str
    arcgis: str
    meaning: str
    colour: str


# (shape, Danish adjective, ArcGIS word, meaning with {spot}); colours in palette.EMERGING_*.
_SHAPES: tuple[tuple[str, str, str, str], ...] = (
    ("new", "Ny", "New", "{spot} i sidste periode og aldrig før"),
    (
        "consecutive",
        "Fortløbende",
        "Consecutive",
        "{spot} i de sidste perioder i træk (mindst to), aldrig før, under 90 % af perioderne",
    ),
    (
        "intensifying",
        "Tiltagende",
        "Intensifying",
        "{spot} i mindst 90 % af perioderne, også den sidste, og stadig stærkere",
    ),
    (
        "persistent",
        "Vedvarende",
        "Persistent",
        "{spot} i mindst 90 % af perioderne, også den sidste, uden en tendens",
    ),
    (
        "diminishing",
        "Aftagende",
        "Diminishing",
        "{spot} i mindst 90 % af perioderne, også den sidste, men stadig svagere",
    ),
    (
        "sporadic",
        "Sporadisk",
        "Sporadic",
        "{spot} i sidste periode og af og til før, under 90 % af perioderne, aldrig det modsatte",
    ),
    (
        "oscillating",
        "Skiftende",
        "Oscillating",
        "{spot} i sidste periode, men det modsatte i en tidligere, under 90 % af perioderne",
    ),
    (
        "historical",
        "Historisk",
        "Historical",
        "ikke {spot} i sidste periode, men i mindst 90 % af perioderne",
    ),
)
NO_PATTERN = "none"


def _patterns() -> tuple[Pattern, ...]:
    out = []
    for side, word, colours in (
        ("hot", "hotspot", palette.EMERGING_HOT),
        ("cold", "coldspot", palette.EMERGING_COLD),
    ):
        for shape, adjective, arcgis, meaning in _SHAPES:
            out.append(
                Pattern(
                    f"{shape}_{side}",
                    f"{adjective} {word}",
                    side,
                    f"{arcgis} {side.title()} Spot",
                    meaning.format(spot=word),
                    colours[shape],
                )
            )
    out.append(
        Pattern(
            NO_PATTERN,
            "Intet mønster",
            "",
            "No Pattern Detected",
            "aldrig signifikant, eller intet af mønstrene ovenfor",
            palette.NO_DATA,
        )
    )
    return tuple(out)


#: Every category, hot patterns in ArcGIS's order, then cold, then "intet mønster" (the data
#: of the legend, the CSV, the table and the tests).
PATTERNS: tuple[Pattern, ...] = _patterns()
PATTERN_BY_KEY: dict[str, Pattern] = {p.key: p for p in PATTERNS}


# ---- Mann–Kendall --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Trend:
    """Mann–Kendall of many series at once (one value per series)."""

    s: np.ndarray
    var_s: np.ndarray
    z: np.ndarray
    p: np.ndarray
    tau: np.ndarray


def mann_kendall(series: np.ndarray) -> Trend:
    """The Mann–Kendall trend test of every row of ``series`` (``m × n``), vectorised.

    NaN values are left out of their row (as ``pymannkendall.original_test`` does).

    Returns
    -------
    Trend
        ``S = Σ_{i<j} sign(x_j − x_i)``; ``Var(S) = (n(n−1)(2n+5) − Σ_p t_p(t_p−1)(2t_p+5)) / 18``
        with ``t_p`` the size of each group of tied values; ``z = (S − sign S) / √Var(S)``
        (0 when S = 0); two-sided ``p``; Kendall's ``tau = S / (n(n−1)/2)`` (NaN below 2 values).
    """
    x = np.asarray(series, dtype="float64")
    if x.ndim == 1:
        x = x[None, :]
    rows, steps = x.shape
    n = np.isfinite(x).sum(axis=1).astype("float64")
    s = np.zeros(rows)
    for k in range(steps - 1):  # one column against the later ones: memory rows × steps
        s += np.nansum(np.sign(x[:, k + 1 :] - x[:, [k]]), axis=1)
    ordered = np.sort(x, axis=1)  # NaN last; NaN == NaN is False, so NaNs never tie
    starts = np.ones((rows, steps), dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    group = np.cumsum(starts.ravel()) - 1
    t = np.bincount(group).astype("float64") if group.size else np.zeros(0)
    row_of_group = np.repeat(np.arange(rows), starts.sum(axis=1))
    ties = np.bincount(row_of_group, weights=t * (t - 1) * (2 * t + 5), minlength=rows)
    var_s = (n * (n - 1) * (2 * n + 5) - ties) / 18.0
    root = np.sqrt(np.where(var_s > 0, var_s, np.nan))
    z = np.where(var_s > 0, (s - np.sign(s)) / root, 0.0)
    z = np.nan_to_num(z, nan=0.0)
    p = two_sided_p(z)
    pairs = n * (n - 1) / 2
    tau = np.where(pairs > 0, s / np.where(pairs > 0, pairs, 1), np.nan)
    return Trend(s, var_s, z, p, tau)


# ---- the categories -------------------------------------------------------------------------------
def pattern_keys(significance: np.ndarray, trend: Trend, alpha: float = TREND_ALPHA) -> np.ndarray:
    """The pattern key of every location (see the module docstring for the definitions).

    Parameters
    ----------
    significance : ``m × n`` steps per location: +1 a hot spot, −1 a cold spot, 0 neither.
    trend : Mann–Kendall of each location's z-scores.
    alpha : a trend is significant below this p-value.
    """
    sig = np.asarray(significance)
    rows, steps = sig.shape
    rising = (trend.p < alpha) & (trend.s > 0)
    falling = (trend.p < alpha) & (trend.s < 0)
    conditions: list[np.ndarray] = []
    keys: list[str] = []
    historical: list[tuple[np.ndarray, str]] = []
    for side, sign in (("hot", 1), ("cold", -1)):
        this = sig == sign
        other = sig == -sign
        final = this[:, -1]
        count = this.sum(axis=1)
        most = SHARE_DEN * count >= SHARE_NUM * steps
        run = np.cumprod(this[:, ::-1], axis=1).sum(axis=1)  # the final run's length
        before_run = count > run
        up, down = (rising, falling) if sign > 0 else (falling, rising)
        found = {
            "new": final & (count == 1),
            "consecutive": final & (run >= 2) & ~before_run & ~most,
            "intensifying": final & most & up,
            "persistent": final & most & ~up & ~down,
            "diminishing": final & most & down,
            "sporadic": final & ~most & ~other.any(axis=1),
            "oscillating": final & ~most & other.any(axis=1),
        }
        for shape, hit in found.items():
            conditions.append(hit)
            keys.append(f"{shape}_{side}")
        historical.append((~final & most, f"historical_{side}"))
    for hit, key in historical:
        conditions.append(hit)
        keys.append(key)
    if not rows:
        return np.zeros(0, dtype=object)
    return np.select(conditions, np.array(keys, dtype=object), default=NO_PATTERN)


# ---- time steps ------------------------------------------------------------------------------------
def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _step_first_day(index: int, step: str) -> date:
    month = index * STEP_MONTHS[step]
    return date(month // 12, month % 12 + 1, 1)


def step_name(index: int, step: str) -> str:
    """The stored period name of step ``index`` ('2025', '2025-Q2', '2025-05')."""
    first = _step_first_day(index, step)
    if step == "year":
        return Period(first.year).name
    if step == "quarter":
        return Period(first.year, quarter=(first.month - 1) // 3 + 1).name
    return Period(first.year, month=first.month).name


def time_steps(
    span: tuple[date, date], start: date | None, end: date | None, step: str
) -> tuple[int, int]:
    """The first and last step index (``month index // months per step``) of the period
    ``start``–``end`` inside the data's ``span`` whose days are covered at least by half.

    Raises
    ------
    UsageError
        When fewer than :data:`MIN_STEPS` steps remain (the message says how many and what to do).
    """
    check_step(step)
    lo = max(span[0], start or span[0])
    hi = min(span[1], end or span[1])
    months = STEP_MONTHS[step]
    first, last = _month_index(lo) // months, _month_index(hi) // months
    if lo <= hi:

        def covered(index: int) -> float:
            a = _step_first_day(index, step)
            b = _step_first_day(index + 1, step)
            inside = (min(b, date.fromordinal(hi.toordinal() + 1)) - max(a, lo)).days
            return inside / (b - a).days

        if covered(first) < 0.5:
            first += 1
        if last >= first and covered(last) < 0.5:
            last -= 1
    count = last - first + 1 if lo <= hi else 0
    if count < MIN_STEPS:
        raise UsageError(
            f"Nye og vedvarende hotspots kræver mindst {MIN_STEPS} perioder (trin={STEPS[step].lower()}), "
            f"men den valgte periode giver kun {max(count, 0)}. Vælg en længere periode eller "
            "et kortere trin (fx måned)."
        )
    return first, last


def step_codes(times: np.ndarray, step: str) -> np.ndarray:
    """The step index of every time (``datetime64``)."""
    months = times.astype("datetime64[M]").astype(np.int64) + 1970 * 12
    return np.floor_divide(months, STEP_MONTHS[step])


# ---- the result --------------------------------------------------------------------------------
@dataclass(frozen=True)
class EmergingResult:
    """Emerging hot spots of every location under one set of filters.

    ``ids`` are DDKN cell ids or district ids, ``names`` their names (the cell id for cells);
    ``z`` and ``significance`` are ``locations × steps`` (+1 hot, −1 cold, 0 neither);
    ``category`` holds pattern keys (:data:`PATTERNS`).
    """

    unit: str
    size: str | None
    step: str
    periods: tuple[str, ...]
    ids: np.ndarray
    names: np.ndarray
    z: np.ndarray
    significance: np.ndarray
    trend: Trend
    category: np.ndarray
    incidents: int
    step_incidents: np.ndarray
    #: Incidents of the filters inside the districts whose cell's centre is not (cells only).
    outside: int = 0

    def counts(self) -> dict[str, int]:
        """Locations per pattern key, every pattern (zeros included), in :data:`PATTERNS` order."""
        found = pd.Series(self.category).value_counts()
        return {p.key: int(found.get(p.key, 0)) for p in PATTERNS}

    def table(self, *, detail: bool) -> pd.DataFrame:
        """One row per location: ``location_id, location_name, category, category_key,
        hot_steps, cold_steps``; with ``detail`` (analysts) also ``mk_s, mk_tau, mk_p, mk_z``
        and the z-series ``z_<period>`` (2 decimals). No incident counts: nothing to hide."""
        frame = pd.DataFrame(
            {
                "location_id": self.ids,
                "location_name": self.names,
                "category": [PATTERN_BY_KEY[k].name for k in self.category],
                "category_key": self.category,
                "hot_steps": (self.significance > 0).sum(axis=1),
                "cold_steps": (self.significance < 0).sum(axis=1),
            }
        )
        if not detail:
            return frame
        extra = {
            "mk_s": self.trend.s.astype(np.int64),
            "mk_tau": np.round(self.trend.tau, 3),
            "mk_p": np.round(self.trend.p, 4),
            "mk_z": np.round(self.trend.z, 2),
        }
        extra |= {f"z_{name}": np.round(self.z[:, i], 2) for i, name in enumerate(self.periods)}
        return pd.concat([frame, pd.DataFrame(extra)], axis=1)

    def summary(self) -> str:
        """One Danish sentence: how many locations with a pattern, over which steps."""
        counts = self.counts()
        hot = sum(v for k, v in counts.items() if PATTERN_BY_KEY[k].side == "hot")
        cold = sum(v for k, v in counts.items() if PATTERN_BY_KEY[k].side == "cold")
        what = "celler" if self.unit == "cell" else "områder"
        return (
            f"{number(hot)} {what} med et hotspot-mønster og {number(cold)} med et "
            f"coldspot-mønster blandt {number(len(self.ids))} over {len(self.periods)} perioder "
            f"(trin: {STEPS[self.step].lower()}, {count_text(self.incidents)} hændelser)."
        )


def _series(
    values: np.ndarray, weights, step_incidents: np.ndarray, fdr: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Gi* z and significance (+1/−1/0) of every column of ``values`` by the hot spot rules."""
    rows, steps = values.shape
    z = np.full((rows, steps), np.nan)
    sig = np.zeros((rows, steps), dtype=np.int8)
    for t in range(steps):
        z[:, t], signs = classify_signs(values[:, t], weights, fdr)
        if step_incidents[t] >= MIN_EVENTS:  # as today: too few incidents, no classes
            sig[:, t] = signs
    return z, sig


def _steps_of(
    ds: Dataset, start: date | None, end: date | None, categories: tuple[str, ...], step: str
) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Every incident's step position (−1 outside) and whether it matches the categories."""
    first, last = time_steps(ds.incident_span, start, end, step)
    codes = per_version(
        ds.arrays, "analyses", ("emerging-steps", step), lambda: step_codes(ds.arrays.time, step)
    )
    position = codes - first
    inside = (position >= 0) & (position <= last - first)
    mask = combine(inside, category_mask(ds.arrays, categories))
    return position, mask, first, last


def emerging_hotspots(
    ds: Dataset,
    *,
    step: str = DEFAULT_STEP,
    start: date | None = None,
    end: date | None = None,
    categories: tuple[str, ...] = (),
    unit: str = "cell",
    size: str = "1km",
    district: str | None = None,
    fdr: bool = True,
) -> EmergingResult:
    """Emerging hot spots of the incidents matching the filters (cached per data version and
    parameters).

    Parameters
    ----------
    ds : the loaded data of one version.
    step : ``month``, ``quarter`` or ``year``.
    start, end : the period, inclusive (None: the data's own ends).
    categories : incident categories (empty: all).
    unit : ``cell`` (DDKN cells of ``size``) or ``district`` (queen contiguity; incidents per
        1 000 inhabitants when every district has a population, as today's district hot spots).
    size : the cell size (``100m``, ``250m``, ``1km``).
    district : cells only: the study area is this district alone (None: all districts).
    fdr : Benjamini–Hochberg per step (default), as today's hot spots.

    Raises
    ------
    UsageError
        For an unknown step, unit, size or district, no districts for ``district`` units, or
        fewer than :data:`MIN_STEPS` steps.
    """
    check_step(step)
    if unit not in UNITS:
        raise UsageError(f"unit={unit!r} er ikke tilladt; vælg {', '.join(UNITS)}.")
    if unit == "cell":
        check_size(size)
    elif ds.districts is None or not len(ds.districts):
        raise UsageError("Nye hotspots pr. område kræver indlæste områder; der er ingen.")
    key = ("emerging", step, start, end, tuple(categories), unit, size, district, bool(fdr))
    return per_version(
        ds,
        "analyses",
        key,
        lambda: _emerging(ds, step, start, end, tuple(categories), unit, size, district, fdr),
    )


def _emerging(
    ds: Dataset,
    step: str,
    start: date | None,
    end: date | None,
    categories: tuple[str, ...],
    unit: str,
    size: str,
    district: str | None,
    fdr: bool,
) -> EmergingResult:
    position, mask, first, last = _steps_of(ds, start, end, categories, step)
    steps = last - first + 1
    if unit == "cell":
        grid, index = incident_cells(ds, size, district)
        outside = outside_cells(ds, mask, index, district)
        mask &= index >= 0
        locations, weights = len(grid.rows), grid.weights
        ids = np.asarray(grid.names, dtype=object)
        names, where = ids, index
    else:
        outside = 0
        ids_list = ds.districts["district_id"].astype(str).tolist()
        weights = district_weights(ds.districts)
        codes = np.array(
            [ids_list.index(i) if i in ids_list else -1 for i in ds.arrays.district_ids]
        )
        where = np.where(ds.arrays.district >= 0, codes[np.maximum(ds.arrays.district, 0)], -1)
        mask &= where >= 0
        locations = len(ids_list)
        ids = np.asarray(ids_list, dtype=object)
        names = np.asarray([ds.district_names.get(i, i) for i in ids_list], dtype=object)
    flat = where[mask].astype(np.int64) * steps + position[mask]
    counts = np.bincount(flat, minlength=locations * steps).reshape(locations, steps)
    values = counts.astype("float64")
    if unit == "district":
        population = ds.population.reindex(ids_list).to_numpy(dtype="float64")
        if uses_rates(population):
            values = values / population[:, None] * 1000
    step_incidents = counts.sum(axis=0)
    z, sig = _series(values, weights, step_incidents, fdr)
    trend = mann_kendall(z)
    return EmergingResult(
        unit=unit,
        size=size if unit == "cell" else None,
        step=step,
        periods=tuple(step_name(i, step) for i in range(first, last + 1)),
        ids=ids,
        names=names,
        z=z,
        significance=sig,
        trend=trend,
        category=pattern_keys(sig, trend),
        incidents=int(counts.sum()),
        step_incidents=step_incidents,
        outside=outside,
    )
