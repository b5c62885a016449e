"""Hotspots that are more than chance: Getis-Ord Gi* on DDKN cells and on districts.

Study area
    The cells of the chosen size (100m, 250m, 1km) whose centre lies inside the union of the
    loaded districts (or inside the one district asked for). Cells without incidents count as 0.
    Not cells that merely touch a district: a cell mostly in the water or outside would hold
    fewer incidents for its area and look like a cold spot. The incidents inside the districts
    that this leaves out (a coarse coastline cuts cells) are counted (``outside``) and said
    (:func:`~tryg_geo.analysis.study_grid.outside_note`).
Values
    Incidents matching the filters (period, categories) that lie inside the loaded districts,
    counted per study cell. A police export often covers more than the kommune; what lies outside
    every district is not part of the study.
Weights
    Binary: the cell itself and its 8 neighbours (the 3 × 3 block) that are study cells. For
    districts: the district itself and every district touching it (queen contiguity).
Statistic
    Getis & Ord (1995) Gi*, as in ArcGIS's Hot Spot Analysis; the z-score equals
    ``esda.G_Local(x, w, transform="B", star=True).Zs`` from PySAL (tested), computed here with
    one sparse matrix product so 100 m cells over a whole kommune take milliseconds.
Classes
    Two-sided p-values from z; Benjamini–Hochberg false discovery rate correction across all
    study units (on by default); "Hot spot 99 %/95 %/90 %", "Cold spot …" or "ikke signifikant".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from scipy import sparse, special

from ..cache import per_version
from ..compute.counts import by_district, category_mask, combine, night_mask, period_mask
from ..compute.privacy import complementary, count_text, suppress_with_total
from ..compute.stats import benjamini_hochberg
from ..errors import UsageError
from ..fmt import number
from ..geo.grid import CELL_CHOICES
from ..palette import DIVERGING
from ..store.dataset import Dataset
from .study_grid import (
    check_size,
    district_weights,
    incident_cells,
    outside_cells,
)

#: Cell sizes a hotspot analysis may use: the sizes a user may choose.
#: Confidence levels, strictest first: (largest p, label).
LEVELS: tuple[tuple[float, str], ...] = ((0.01, "99 %"), (0.05, "95 %"), (0.10, "90 %"))
NOT_SIGNIFICANT = "ikke signifikant"
#: Every class, from the hottest to the coldest (legend order).
HOTSPOT_CLASSES: tuple[str, ...] = (
    *(f"Hot spot {label}" for _, label in LEVELS),
    NOT_SIGNIFICANT,
    *(f"Cold spot {label}" for _, label in reversed(LEVELS)),
)
#: Colours of the classes (ArcGIS's familiar red–white–blue), same order as the classes.
HOTSPOT_COLOURS: dict[str, str] = dict(
    zip(
        HOTSPOT_CLASSES,
        DIVERGING,
        strict=True,
    )
)
#: Below this mean number of incidents per 3 × 3 block the cell map carries a warning.
MIN_NEIGHBOURHOOD_MEAN = 5.0
#: Fewest incidents Gi* is run with: below, no unit gets a hot or cold class and the views say
#: why. ArcGIS's Hot Spot Analysis warns below 30 features (its documented minimum), and with
#: fewer a handful of incidents in one cell comes out as a "99 %" hot spot.
MIN_EVENTS = 30


# ---- the statistic ------------------------------------------------------------------------------
def gi_star(values: np.ndarray, weights: sparse.spmatrix | sparse.sparray) -> np.ndarray:
    """Getis-Ord Gi* z-scores with binary weights that include each unit itself.

    Parameters
    ----------
    values : the value of every study unit (``n``), zeros included.
    weights : ``n × n`` binary weights, 1 on the diagonal and between neighbours.

    Returns
    -------
    numpy.ndarray
        ``z_i = (Σ_j w_ij x_j − x̄ W_i) / (s √((n W_i − W_i²) / (n − 1)))`` with ``W_i = Σ_j w_ij``,
        ``x̄`` the mean and ``s`` the population standard deviation of all values. NaN where it
        is undefined (all values equal, or a unit whose neighbourhood is the whole study area).

    Raises
    ------
    UsageError
        When ``weights`` is not ``n × n``.
    """
    x = np.asarray(values, dtype="float64").ravel()
    n = len(x)
    if weights.shape != (n, n):
        raise UsageError(
            f"weights har formen {weights.shape}, men values har {n} værdier; "
            f"tilladt er en {n} × {n}-matrix."
        )
    z = np.full(n, np.nan)
    if n < 2:
        return z
    matrix = sparse.csr_matrix(weights, dtype="float64")
    lag = matrix @ x
    card = np.asarray(matrix.sum(axis=1), dtype="float64").ravel()
    mean = x.mean()
    variance = (x * x).mean() - mean * mean  # as esda: E[x²] − E[x]²
    if not variance > 0:
        return z
    spread = (n * card - card * card) / (n - 1)
    ok = spread > 0
    z[ok] = (lag[ok] - mean * card[ok]) / (np.sqrt(variance) * np.sqrt(spread[ok]))
    return z


def two_sided_p(z: np.ndarray) -> np.ndarray:
    """Two-sided p-values of standard normal z-scores (NaN stays NaN)."""
    z = np.asarray(z, dtype="float64")
    # The normal distribution's tail itself (what scipy.stats.norm.sf computes), without the
    # argument checks of scipy.stats that cost more than the tails of thousands of cells.
    return 2.0 * special.ndtr(-np.abs(z))


def hotspot_classes(z: np.ndarray, p: np.ndarray) -> np.ndarray:
    """The class of every unit from its z-score (sign) and its (FDR-adjusted) p-value.

    ``p < 0.01`` is 99 %, ``p < 0.05`` 95 %, ``p < 0.10`` 90 %; positive z is a hot spot,
    negative z a cold spot; anything else (or NaN) is "ikke signifikant".
    """
    z = np.asarray(z, dtype="float64")
    p = np.asarray(p, dtype="float64")
    out = np.full(len(z), NOT_SIGNIFICANT, dtype=object)
    for limit, label in reversed(LEVELS):  # loosest first, so stricter levels overwrite
        hit = np.nan_to_num(p, nan=1.0) < limit
        out[hit & (z > 0)] = f"Hot spot {label}"
        out[hit & (z < 0)] = f"Cold spot {label}"
    return out


def significant_signs(z: np.ndarray, p: np.ndarray) -> np.ndarray:
    """+1 (hot spot), −1 (cold spot) or 0 of every unit: those that :func:`hotspot_classes`
    gives any class but "ikke signifikant", without writing the class names (the emerging hot
    spots need only this, for every cell and every period)."""
    z = np.asarray(z, dtype="float64")
    loosest = max(limit for limit, _ in LEVELS)
    hit = np.nan_to_num(np.asarray(p, dtype="float64"), nan=1.0) < loosest
    return (np.where(hit & (z > 0), 1, 0) - np.where(hit & (z < 0), 1, 0)).astype(np.int8)


def coarser_advice(size: str | None, *others: str) -> str:
    """What to choose for more incidents per cell, in Danish: the next larger cell size of
    :data:`~tryg_geo.geo.grid.CELL_CHOICES` than ``size`` (never the one already chosen),
    else (at the largest, or for districts) only a longer period; ``others`` are further
    choices named before the period ("flere kategorier")."""
    choices = [*others, "en længere periode"]
    if size in CELL_CHOICES and size != CELL_CHOICES[-1]:
        choices.insert(0, f"større celler ({CELL_CHOICES[CELL_CHOICES.index(size) + 1]})")
    text = ", ".join(choices[:-1]) + (" eller " if len(choices) > 1 else "") + choices[-1]
    return f"Vælg {text}."


# ---- results ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HotspotResult:
    """Gi* per study unit (cells or districts) under one set of filters.

    ``table`` has one row per study unit: for cells ``cell_id, incidents, gi_z, p_value, p_fdr,
    hotspot_class`` (+ ``row, col``); for districts ``district_id, district_name, population,
    incidents, incidents_per_1000, value, gi_z, p_value, p_fdr, hotspot_class``. ``incidents`` is
    the raw count: use :meth:`public_table` for anything a person sees.
    """

    table: pd.DataFrame
    unit: str  # "cell" or "district"
    size: str | None
    fdr: bool
    incidents: int
    basis: str  # "antal" or "pr_1000" (what Gi* was computed on)
    #: Incidents of the filters inside the districts whose cell's centre is not (cells only).
    outside: int = 0

    def __post_init__(self) -> None:
        # Too few incidents: no classes at all (the map, CSV, key figures and slide agree).
        if self.too_few and "hotspot_class" in self.table:
            self.table["hotspot_class"] = NOT_SIGNIFICANT

    @property
    def too_few(self) -> bool:
        """True when there are fewer than :data:`MIN_EVENTS` incidents."""
        return self.incidents < MIN_EVENTS

    @property
    def too_few_note(self) -> str | None:
        """Why no hot or cold spots are shown, in Danish; None when there are enough."""
        if not self.too_few:
            return None
        return (
            f"Kun {count_text(self.incidents)} hændelser med disse filtre: Gi* kræver mindst "
            f"{MIN_EVENTS} hændelser (som ArcGIS' Hot Spot Analysis), så der vises ingen "
            "hotspots eller cold spots. Vælg en længere periode, flere kategorier eller et større område."
        )

    @property
    def sparse_note(self) -> str | None:
        """A warning when the neighbourhoods hold too few incidents for Gi*'s normal
        approximation (on average fewer than :data:`MIN_NEIGHBOURHOOD_MEAN` per 3 × 3 block):
        then even single incidents come out as hot spots."""
        if self.too_few:
            return self.too_few_note
        if self.unit != "cell" or not len(self.table):
            return None
        per_block = 9 * self.incidents / len(self.table)
        if per_block >= MIN_NEIGHBOURHOOD_MEAN:
            return None
        return (
            f"Få hændelser pr. celle (i snit {number(per_block, 2)} pr. 3 × 3 celler): Gi* bygger "
            "på en normalfordeling, der da overdriver signifikansen, så selv enkelte hændelser "
            "kan blive hotspots. " + coarser_advice(self.size)
        )

    def class_counts(self) -> dict[str, int]:
        """How many study units fall in each class (every class, zeros included)."""
        counts = self.table["hotspot_class"].value_counts()
        return {c: int(counts.get(c, 0)) for c in HOTSPOT_CLASSES}

    def summary(self) -> str:
        """One Danish sentence: how many hot and cold spots among how many units, and the FDR."""
        counts = self.class_counts()
        hot = sum(v for k, v in counts.items() if k.startswith("Hot"))
        cold = sum(v for k, v in counts.items() if k.startswith("Cold"))
        what = "celler" if self.unit == "cell" else "områder"
        if self.too_few:
            return (
                f"Ingen hot eller cold spots vist blandt {number(len(self.table))} {what} "
                f"({count_text(self.incidents)} hændelser): Gi* kræver mindst {MIN_EVENTS} "
                "hændelser."
            )
        fdr = (
            "p-værdierne er korrigeret for mange samtidige test (False Discovery Rate, "
            "Benjamini–Hochberg)"
            if self.fdr
            else "uden korrektion for mange samtidige test"
        )
        return (
            f"{number(hot)} hotspots og {number(cold)} cold spots blandt "
            f"{number(len(self.table))} {what} ({count_text(self.incidents)} hændelser); {fdr}."
        )

    def hidden(self) -> np.ndarray:
        """Which units' counts are hidden: 1 to the limit − 1, and beside the total (which
        :meth:`summary` shows) the complementary ones too."""
        return suppress_with_total(self.table["incidents"].to_numpy())

    def public_table(self, *, detail: bool) -> pd.DataFrame:
        """The table as a person may see it.

        Hidden counts (:meth:`hidden`) become empty (``incidents_suppressed`` = True, and a rate
        beside them too); ``gi_z``, ``p_value`` and ``p_fdr`` stay only with ``detail``
        (analysts), leaders see the classes.
        """
        out = self.table.drop(columns=["row", "col"], errors="ignore").copy()
        hidden = self.hidden()
        out["incidents"] = out["incidents"].astype("float64").where(~hidden)
        if "incidents_per_1000" in out:
            out["incidents_per_1000"] = out["incidents_per_1000"].where(~hidden)
            if self.basis == "pr_1000":
                out["value"] = out["value"].where(~hidden)
        out["incidents_suppressed"] = hidden
        # Hidden only so that a small count cannot be worked out from the total: "skjult".
        out["incidents_complementary"] = complementary(self.table["incidents"].to_numpy(), hidden)
        if not detail:
            out = out.drop(columns=["gi_z", "p_value", "p_fdr", "value"], errors="ignore")
        return out


def _classify(values: np.ndarray, weights: sparse.csr_matrix, fdr: bool) -> dict[str, np.ndarray]:
    z = gi_star(values, weights)
    p = two_sided_p(z)
    p_fdr = benjamini_hochberg(p)
    return {
        "gi_z": z,
        "p_value": p,
        "p_fdr": p_fdr,
        "hotspot_class": hotspot_classes(z, p_fdr if fdr else p),
    }


#: Nights as (evenings 0 = Monday, start hour, end hour), as in the Natteliv view.
Night = tuple[tuple[int, ...], int, int]


def filter_mask(
    ds: Dataset,
    start: date | None,
    end: date | None,
    categories: tuple[str, ...],
    night: Night | None = None,
) -> np.ndarray:
    """The incidents of the analyses: in the period (open ends allowed), of ``categories``
    (empty: all) and, with ``night``, in its hours (also near_repeat's selection)."""
    arrays = ds.arrays
    mask = np.ones(len(arrays.time), dtype=bool)
    if start is not None or end is not None:
        lo = start or date.min
        hi = end or date(9999, 12, 30)
        mask = period_mask(arrays, lo, hi)
    nights = None if night is None else night_mask(arrays, night[0], night[1], night[2])
    return combine(mask, category_mask(arrays, categories), nights)


def cell_hotspots(
    ds: Dataset,
    *,
    start: date | None = None,
    end: date | None = None,
    categories: tuple[str, ...] = (),
    district: str | None = None,
    size: str = "250m",
    fdr: bool = True,
    night: Night | None = None,
) -> HotspotResult:
    """Gi* hotspots on DDKN cells for the incidents matching the filters (cached).

    Parameters
    ----------
    ds : the loaded data of one version.
    start, end : period, inclusive dates (None: all).
    categories : incident categories (empty: all).
    district : a district id: the study area is that district alone (None: all districts).
    size : cell size, ``100m``, ``250m`` or ``1km``.
    fdr : classify on Benjamini–Hochberg adjusted p-values (default) instead of raw ones.
    night : only incidents in these nights, ``(evenings, start hour, end hour)`` with evenings
        0 = Monday (the Natteliv view's night window); None: all hours.

    Returns
    -------
    HotspotResult
        One row per study cell, zeros included, in northing-then-easting order.

    Raises
    ------
    UsageError
        For an unknown size or district.
    """
    check_size(size)
    night = None if night is None else (tuple(night[0]), int(night[1]), int(night[2]))
    key = ("cell-hotspots", start, end, tuple(categories), district, size, bool(fdr), night)
    return per_version(
        ds,
        "analyses",
        key,
        lambda: _cell_hotspots(ds, start, end, tuple(categories), district, size, fdr, night),
    )


def _cell_hotspots(
    ds: Dataset,
    start: date | None,
    end: date | None,
    categories: tuple[str, ...],
    district: str | None,
    size: str,
    fdr: bool,
    night: Night | None = None,
) -> HotspotResult:
    grid, index = incident_cells(ds, size, district)
    chosen = filter_mask(ds, start, end, categories, night)
    mask = chosen & (index >= 0)
    counts = np.bincount(index[mask], minlength=len(grid.rows)).astype(np.int64)
    table = pd.DataFrame(
        {
            "cell_id": per_version(
                ds, "analyses", ("study-names", size, district), lambda: grid.names
            ),
            "row": grid.rows,
            "col": grid.cols,
            "incidents": counts,
            **_classify(counts, grid.weights, fdr),
        }
    )
    outside = outside_cells(ds, chosen, index, district)
    return HotspotResult(table, "cell", size, bool(fdr), int(counts.sum()), "antal", outside)


def district_hotspots(
    ds: Dataset,
    *,
    start: date | None = None,
    end: date | None = None,
    categories: tuple[str, ...] = (),
    fdr: bool = True,
) -> HotspotResult:
    """Gi* hotspots between districts (queen contiguity), on incidents per 1 000 inhabitants
    when every district has a population, otherwise on counts (cached).

    Raises
    ------
    UsageError
        When no districts are loaded.
    """
    if ds.districts is None or not len(ds.districts):
        raise UsageError("Hotspots pr. område kræver indlæste områder; der er ingen.")
    key = ("district-hotspots", start, end, tuple(categories), bool(fdr))
    return per_version(
        ds, "analyses", key, lambda: _district_hotspots(ds, start, end, tuple(categories), fdr)
    )


def _district_hotspots(
    ds: Dataset,
    start: date | None,
    end: date | None,
    categories: tuple[str, ...],
    fdr: bool,
) -> HotspotResult:
    districts = ds.districts
    ids = districts["district_id"].astype(str).tolist()
    weights = per_version(
        ds, "analyses", ("district-weights",), lambda: district_weights(districts)
    )
    counts, _ = by_district(ds, filter_mask(ds, start, end, categories))
    counts = counts.reindex(ids, fill_value=0).to_numpy(dtype=np.int64)
    population = ds.population.reindex(ids).to_numpy(dtype="float64")
    per_1000 = np.where(
        population > 0, counts / np.where(population > 0, population, 1) * 1000, np.nan
    )
    rates = uses_rates(population)
    values = per_1000 if rates else counts.astype("float64")
    table = pd.DataFrame(
        {
            "district_id": ids,
            "district_name": [ds.district_names.get(i, i) for i in ids],
            "population": population,
            "incidents": counts,
            "incidents_per_1000": per_1000,
            "value": values,
            **_classify(values, weights, fdr),
        }
    )
    basis = "pr_1000" if rates else "antal"
    return HotspotResult(table, "district", None, bool(fdr), int(counts.sum()), basis)


def classify(values: np.ndarray, weights: sparse.csr_matrix, fdr: bool) -> dict[str, np.ndarray]:
    """Gi* z, p, Benjamini–Hochberg p and the class of every unit: the one rule of every
    hot spot map (``gi_z, p_value, p_fdr, hotspot_class``)."""
    return _classify(values, weights, fdr)


def classify_signs(
    values: np.ndarray, weights: sparse.csr_matrix, fdr: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Gi* z and :func:`significant_signs` of every unit by the rule of :func:`classify`."""
    z = gi_star(values, weights)
    p = two_sided_p(z)
    return z, significant_signs(z, benjamini_hochberg(p) if fdr else p)


def uses_rates(population: np.ndarray) -> bool:
    """Whether Gi* between districts runs on incidents per 1 000 inhabitants: when every
    district has a population (otherwise on counts)."""
    return bool(np.all(np.asarray(population, dtype="float64") > 0))
