"""Near repeat: do incidents come in waves close in space and time? (Knox test, as in Ratcliffe's
Near Repeat Calculator.)

Every pair of events is put in a distance band × time band cell. Distance is Euclidean in
EPSG:25832 metres, time the difference of the events' local dates in whole days; both kinds of
band are half-open, ``[from, to)``, the last one open (``800+ m``, ``56+ dage``).

Observed
    Pairs closer than the largest finite distance are found with a KD-tree (never all pairs: 10 000
    events have 50 million); the open distance band is all pairs in a time band minus the finite
    ones, and pairs per time band come from the sorted dates alone.
Expected
    The mean over Monte Carlo permutations of the dates among the events (space and time made
    independent, everything else kept). The pairs within the largest distance do not change under
    a permutation, only their time differences, so a permutation costs one pass over those pairs.
p-value
    ``(1 + #permutations with a count ≥ observed) / (1 + permutations)``, per cell.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.spatial import cKDTree

from ..cache import per_version
from ..compute.privacy import small
from ..errors import UsageError
from ..fmt import number
from ..store.dataset import Dataset

DEFAULT_SPACE: tuple[float, ...] = (100.0, 200.0, 400.0, 800.0)
DEFAULT_TIME: tuple[int, ...] = (7, 14, 28, 56)
DEFAULT_PERMUTATIONS = 999
DEFAULT_SEED = 1
MAX_PERMUTATIONS = 99_999
#: Most pairs within the largest finite distance that one table may hold (memory and time:
#: each permutation passes over them once).
MAX_PAIRS = 5_000_000
#: Cells named in the reading's second sentence at most.
MAX_LISTED = 4
#: Significance level for "signifikant" in the table and the reading.
ALPHA = 0.05


# ---- arguments ----------------------------------------------------------------------------------
def check_space(space: Sequence[float]) -> tuple[float, ...]:
    """Finite distance band edges in metres: positive, increasing (``100,200,400,800``)."""
    try:
        edges = tuple(float(v) for v in space)
    except (TypeError, ValueError):
        edges = ()
    ok = (
        len(edges) >= 1
        and all(math.isfinite(e) and e > 0 for e in edges)
        and all(a < b for a, b in zip(edges, edges[1:], strict=False))
    )
    if not ok:
        raise UsageError(
            f"space={list(space)!r} kan ikke bruges som afstandsbånd; tilladt er voksende "
            "positive tal i meter, fx 100,200,400,800."
        )
    return edges


def check_time(time: Sequence[int]) -> tuple[int, ...]:
    """Finite time band edges in whole days: positive, increasing integers (``7,14,28,56``)."""
    try:
        edges = tuple(int(v) for v in time)
        whole = all(float(v) == int(v) for v in time)
    except (TypeError, ValueError):
        edges, whole = (), False
    ok = (
        whole
        and len(edges) >= 1
        and all(e > 0 for e in edges)
        and all(a < b for a, b in zip(edges, edges[1:], strict=False))
    )
    if not ok:
        raise UsageError(
            f"time={list(time)!r} kan ikke bruges som tidsbånd; tilladt er voksende hele "
            "positive antal dage, fx 7,14,28,56."
        )
    return edges


def check_permutations(permutations: int) -> int:
    """A number of permutations from 1 to :data:`MAX_PERMUTATIONS`."""
    if (
        isinstance(permutations, bool)
        or not isinstance(permutations, (int, np.integer))
        or not 1 <= permutations <= MAX_PERMUTATIONS
    ):
        raise UsageError(
            f"permutations={permutations!r} er ikke tilladt; tilladt er et helt tal fra 1 til "
            f"{MAX_PERMUTATIONS} (standard {DEFAULT_PERMUTATIONS})."
        )
    return int(permutations)


# ---- the table ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class KnoxTable:
    """Observed and expected pairs per distance band (rows) × time band (columns).

    The arrays have one row per distance band and one column per time band, the open bands
    last: ``len(space) + 1`` rows, ``len(time) + 1`` columns.
    """

    space: tuple[float, ...]
    time: tuple[int, ...]
    observed: np.ndarray
    expected: np.ndarray
    p_value: np.ndarray
    permutations: int
    seed: int
    events: int

    @property
    def ratio(self) -> np.ndarray:
        """Knox ratio observed / expected (NaN where nothing was expected)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.expected > 0, self.observed / self.expected, np.nan)

    @property
    def shown_ratio(self) -> np.ndarray:
        """:attr:`ratio` as it may be shown: NaN where the observed pairs are a small count
        (:func:`~tryg_geo.compute.privacy.small`) — beside the expected pairs the ratio would
        give the hidden count back (4,87 × 0,2 ≈ 1)."""
        return np.where(small(self.observed), np.nan, self.ratio)

    @property
    def pairs(self) -> int:
        """All pairs of events: n (n − 1) / 2."""
        return self.events * (self.events - 1) // 2

    def space_labels(self) -> list[str]:
        edges = (0.0, *self.space)
        labels = [f"{number(a)}–{number(b)} m" for a, b in zip(edges, edges[1:], strict=False)]
        return [*labels, f"{number(self.space[-1])}+ m"]

    def time_labels(self) -> list[str]:
        edges = (0, *self.time)
        labels = [f"{a}–{b} dage" for a, b in zip(edges, edges[1:], strict=False)]
        return [*labels, f"{self.time[-1]}+ dage"]

    def frame(self) -> pd.DataFrame:
        """One row per cell: ``space_from_m, space_to_m, time_from_days, time_to_days, observed,
        expected, knox_ratio, p_value`` (open bands have an empty ``*_to_*``)."""
        space_from = (0.0, *self.space)
        space_to = (*self.space, np.nan)
        time_from = (0, *self.time)
        time_to = (*self.time, None)
        rows = []
        ratio = self.shown_ratio  # files obey the discretion rule as the screen does
        for s in range(len(space_from)):
            for t in range(len(time_from)):
                rows.append(
                    {
                        "space_from_m": space_from[s],
                        "space_to_m": space_to[s],
                        "time_from_days": time_from[t],
                        "time_to_days": time_to[t],
                        "observed": int(self.observed[s, t]),
                        "expected": float(self.expected[s, t]),
                        "knox_ratio": float(ratio[s, t]),
                        "p_value": float(self.p_value[s, t]),
                    }
                )
        out = pd.DataFrame(rows)
        out["time_to_days"] = out["time_to_days"].astype("Int64")
        return out

    @property
    def too_few(self) -> bool:
        """Too few incidents (or close pairs) for the test to say anything: the reading says
        so, and no coloured table suggests otherwise."""
        return self.events < 2 or not self.expected[0, 0] > 0

    def reading(self, event: str = "en hændelse", new_event: str = "en ny hændelse") -> str:
        """The table in plain Danish, computed from the first cell and the significant ones.

        ``event``/``new_event``: how to name the incidents ("et indbrud", "et nyt indbrud"),
        see :func:`event_words`.
        """
        if self.too_few:
            return (
                "Der er for få hændelser (eller par tæt på hinanden) til at sige noget om "
                "nær-gentagelse med disse filtre."
            )
        ratio = float(self.shown_ratio[0, 0])
        p = float(self.p_value[0, 0])
        if not math.isfinite(ratio):
            return (
                f"Der er for få par af hændelser inden for {number(self.space[0])} m og "
                f"{self.time[0]} dage til at vise, om {new_event} følger efter {event}."
            )
        first = (
            f"Efter {event} er risikoen for {new_event} inden for {number(self.space[0])} m de "
            f"næste {self.time[0]} dage {number(ratio, 1)} gange det forventede"
        )
        if p < ALPHA:
            first += f" ({p_text(p)}; næppe tilfældigt)."
        else:
            first += f", men det kan skyldes tilfældigheder ({p_text(p)})."
        raised = (self.shown_ratio[:-1, :-1] > 1) & (self.p_value[:-1, :-1] < ALPHA)
        raised[0, 0] = False  # the first cell has its own sentence
        if raised.any():
            space, time = self.space_labels(), self.time_labels()
            cells = [f"{space[r]} og {time[c]}" for r, c in zip(*np.nonzero(raised), strict=True)]
            shown = "; ".join(cells[:MAX_LISTED]) + (" …" if len(cells) > MAX_LISTED else "")
            # An ellipsis ends the sentence itself: no "…." after a cut list.
            second = f"Signifikant forhøjet risiko også ved: {shown}" + (
                "" if shown.endswith("…") else "."
            )
        elif p < ALPHA and ratio > 1:
            second = "Ingen andre afstande og tider har signifikant forhøjet risiko."
        else:
            second = "Ingen afstand og tid inden for de faste bånd har signifikant forhøjet risiko."
        return f"{first} {second}"


def p_text(p: float) -> str:
    """'p = 0,012' or 'p < 0,001' (Danish decimal comma)."""
    if not math.isfinite(p):
        return "p = –"
    return "p < 0,001" if p < 0.001 else f"p = {number(p, 3)}"


def event_words(categories: Sequence[str]) -> tuple[str, str]:
    """How the reading names the events: burglary when every category is one, else incidents."""
    if categories and all("indbrud" in c.lower() for c in categories):
        return "et indbrud", "et nyt indbrud"
    return "en hændelse", "en ny hændelse"


# ---- the computation ---------------------------------------------------------------------------
def _lag_counts(sorted_days: np.ndarray, thresholds: Sequence[int]) -> np.ndarray:
    """Pairs with a date difference below each threshold, from sorted dates alone (n log n)."""
    n = len(sorted_days)
    ahead = np.arange(n) + 1
    return np.array(
        [
            int((np.searchsorted(sorted_days, sorted_days + t, side="left") - ahead).sum())
            for t in thresholds
        ],
        dtype=np.int64,
    )


def _to_bands(below: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Counts per time band from cumulative counts below each edge and the totals (per row)."""
    return np.diff(np.column_stack([np.zeros(len(totals), np.int64), below, totals]), axis=1)


def knox_test(
    x: np.ndarray,
    y: np.ndarray,
    days: np.ndarray,
    *,
    space: Sequence[float] = DEFAULT_SPACE,
    time: Sequence[int] = DEFAULT_TIME,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = DEFAULT_SEED,
    max_pairs: int = MAX_PAIRS,
) -> KnoxTable:
    """Knox table of events at ``(x, y)`` (EPSG:25832 metres) on whole-day dates ``days``.

    Parameters
    ----------
    x, y : coordinates in metres.
    days : the local date of each event as a whole day number (any origin).
    space : finite distance band edges in metres (the last band, ``space[-1]+``, is open).
    time : finite time band edges in whole days (the last band is open).
    permutations : Monte Carlo permutations of the dates among the events.
    seed : seed of ``numpy.random.default_rng``; permutation k is the k-th
        ``rng.permutation(n)``, so a computation can be repeated exactly.
    max_pairs : most pairs within ``space[-1]`` allowed (see :data:`MAX_PAIRS`).

    Returns
    -------
    KnoxTable

    Raises
    ------
    UsageError
        For bands, permutations or inputs that are not allowed (the message names which).
    """
    space = check_space(space)
    time = check_time(time)
    permutations = check_permutations(permutations)
    x, y, days = _check_events(x, y, days)
    n = len(x)
    if n < 2:
        zeros = np.zeros((len(space) + 1, len(time) + 1))
        return KnoxTable(
            space, time, zeros.astype(np.int64), zeros, np.ones_like(zeros), permutations, seed, n
        )
    days = _compact_days(days)
    pairs = _ClosePairs.find(x, y, space, max_pairs)
    counter = _PairCounter(pairs, days, time)
    observed = counter.table(days)
    expected, p_value = _permutation_test(counter, days, observed, permutations, seed)
    return KnoxTable(space, time, observed, expected, p_value, permutations, seed, n)


def _check_events(
    x: np.ndarray, y: np.ndarray, days: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The events as flat arrays: as many x, y and days, finite coordinates, whole-day dates."""
    x = np.asarray(x, dtype="float64").ravel()
    y = np.asarray(y, dtype="float64").ravel()
    days = np.asarray(days).ravel()
    if not (len(x) == len(y) == len(days)):
        raise UsageError(
            f"x, y og days har {len(x)}, {len(y)} og {len(days)} værdier; tilladt er lige mange."
        )
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise UsageError(
            "x og y indeholder manglende koordinater; tilladt er endelige tal (meter)."
        )
    if days.dtype.kind not in "iu":
        raise UsageError(f"days har typen {days.dtype}; tilladt er hele dagnumre (heltal).")
    return x, y, days


def _compact_days(days: np.ndarray) -> np.ndarray:
    """Days counted from the first, in the smallest integer type that holds them (int16 when it
    can: a permutation's pass over the pairs moves half the bytes)."""
    days = days.astype(np.int64) - int(days.min())
    dtype = np.int16 if days.max() < np.iinfo(np.int16).max else np.int32
    return days.astype(dtype)


@dataclass(frozen=True)
class _ClosePairs:
    """The pairs within the largest finite distance, sorted by (band, i, j): pairs ``bounds[s]``
    to ``bounds[s+1]`` are in distance band ``s``; the i side of band ``s`` is
    ``np.repeat(dates, degrees[s])`` (sequential), so only the j side needs a gather."""

    j: np.ndarray
    bounds: np.ndarray
    degrees: list[np.ndarray]
    per_band: np.ndarray

    @classmethod
    def find(
        cls, x: np.ndarray, y: np.ndarray, space: tuple[float, ...], max_pairs: int
    ) -> _ClosePairs:
        """The close pairs of the events, with a KD-tree (never all pairs).

        Raises
        ------
        UsageError
            When more than ``max_pairs`` pairs are close (counted before they are listed).
        """
        n = len(x)
        largest = space[-1]
        # Counting the close pairs costs time in proportion to them (seconds for 10⁸ pairs):
        # pairs sharing a square whose diagonal is the largest distance are close for sure, so
        # when those alone are too many, the table is refused without counting them all.
        floor = _close_pairs_at_least(x, y, largest)
        if floor > max_pairs:
            raise UsageError(_too_many_pairs(f"mindst {number(floor)}", n, largest, max_pairs))
        tree = cKDTree(np.column_stack([x, y]))
        radius = largest * (1 + 1e-9)
        close = (int(tree.count_neighbors(tree, radius)) - n) // 2
        if close > max_pairs:
            raise UsageError(_too_many_pairs(number(close), n, largest, max_pairs))
        pairs = tree.query_pairs(r=radius, output_type="ndarray")
        i, j = pairs[:, 0].astype(np.intp), pairs[:, 1].astype(np.intp)
        distance = np.hypot(x[i] - x[j], y[i] - y[j])
        band = np.searchsorted(np.asarray(space), distance, side="right")
        keep = band < len(space)
        i, j, band = i[keep], j[keep], band[keep]
        # Sorted by (band, i, j) as a sparse matrix with one row per (band, i): scipy sorts the
        # rows by counting in C, where a lexsort of the pairs took ~10× as long.
        bands = len(space)
        rows = sparse.csr_matrix(
            (np.ones(len(j), dtype=np.int8), (band * n + i, j)), shape=(bands * n, n)
        )
        rows.sum_duplicates()  # sorts j within each row (the pairs are unique)
        starts = rows.indptr.astype(np.int64)
        bounds = starts[np.arange(bands + 1) * n]
        degrees = [np.diff(starts[s * n : (s + 1) * n + 1]) for s in range(bands)]
        return cls(rows.indices.astype(np.intp), bounds, degrees, np.diff(bounds))


def _close_pairs_at_least(x: np.ndarray, y: np.ndarray, largest: float) -> int:
    """A lower bound of the pairs within ``largest`` metres, in n log n: the pairs of points
    that share a square of side ``largest / √2`` (any two of them are closer than ``largest``)."""
    side = largest / math.sqrt(2.0)
    keys = np.floor(y / side) * 2.0**26 + np.floor(x / side)  # exact in float64 for Denmark
    _, counts = np.unique(keys, return_counts=True)
    counts = counts.astype(np.int64)
    return int((counts * (counts - 1) // 2).sum())


def _too_many_pairs(close: str, n: int, largest: float, max_pairs: int) -> str:
    """Why a Knox table is refused: ``close`` (a number, or "mindst …") pairs are too many."""
    return (
        f"{close} par af {number(n)} hændelser ligger inden for {number(largest)} m; tilladt "
        f"er højst {number(max_pairs)}. Vælg færre kategorier, en kortere periode, et område "
        "eller et mindre største afstandsbånd (space)."
    )


class _PairCounter:
    """Counts the pairs per distance band × time band for one assignment of dates to events.

    The open distance band is all pairs in a time band (invariant under a permutation of the
    dates, from the sorted dates alone) minus the finite bands. ``lag`` and ``below`` are
    buffers of one value per close pair, reused across permutations.
    """

    def __init__(self, pairs: _ClosePairs, days: np.ndarray, time: tuple[int, ...]) -> None:
        n = len(days)
        self.pairs = pairs
        self.time = time
        self.thresholds = np.asarray(time, dtype=days.dtype)
        all_below = _lag_counts(np.sort(days.astype(np.int64)), time)
        self.all_bands = _to_bands(all_below[None, :], np.array([n * (n - 1) // 2]))[0]
        self.i_counts = np.concatenate(pairs.degrees)
        self.lag = np.empty(len(pairs.j), dtype=days.dtype)
        self.below = np.empty(len(pairs.j), dtype=bool)

    def table(self, dates: np.ndarray) -> np.ndarray:
        """Pairs per (distance band incl. the open one) × (time band incl. the open one)."""
        pairs, lag, below = self.pairs, self.lag, self.below
        np.take(dates, pairs.j, out=lag)
        np.subtract(lag, np.repeat(np.tile(dates, len(pairs.degrees)), self.i_counts), out=lag)
        np.abs(lag, out=lag)
        counts = np.empty((len(pairs.degrees), len(self.time)), dtype=np.int64)
        for k, t in enumerate(self.thresholds):
            np.less(lag, t, out=below)
            for s, (a, b) in enumerate(zip(pairs.bounds, pairs.bounds[1:], strict=False)):
                counts[s, k] = np.count_nonzero(below[a:b])
        finite = _to_bands(counts, pairs.per_band)
        return np.vstack([finite, self.all_bands - finite.sum(axis=0)])


def _permutation_test(
    counter: _PairCounter, days: np.ndarray, observed: np.ndarray, permutations: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Expected counts (mean over the permutations of the dates) and p-values per cell:
    ``(1 + #permutations with a count ≥ observed) / (1 + permutations)``."""
    n = len(days)
    rng = np.random.default_rng(seed)
    total = np.zeros(observed.shape, dtype=np.int64)
    at_least = np.zeros(observed.shape, dtype=np.int64)
    for _ in range(permutations):
        simulated = counter.table(days[rng.permutation(n)])
        total += simulated
        at_least += simulated >= observed
    return total / permutations, (1 + at_least) / (1 + permutations)


# ---- on the dataset ----------------------------------------------------------------------------
def event_mask(
    ds: Dataset,
    *,
    start: date | None,
    end: date | None,
    categories: tuple[str, ...],
    district: str | None,
) -> np.ndarray:
    """The events of a near-repeat analysis: the filters, inside the districts (or one)."""
    from .hotspots import filter_mask  # one definition of "matching the filters"

    arrays = ds.arrays
    mask = filter_mask(ds, start, end, categories)
    if district is None:
        return mask & (arrays.district >= 0)
    if district not in ds.district_names and district not in arrays.district_ids:
        raise UsageError(
            f"district={district!r} er ikke et indlæst område; tilladt: "
            f"{', '.join(sorted(ds.district_names)[:10])}."
        )
    if district not in arrays.district_ids:
        return np.zeros(len(mask), dtype=bool)
    return mask & (arrays.district == arrays.district_ids.index(district))


def near_repeat_table(
    ds: Dataset,
    *,
    start: date | None = None,
    end: date | None = None,
    categories: tuple[str, ...] = (),
    district: str | None = None,
    space: Sequence[float] = DEFAULT_SPACE,
    time: Sequence[int] = DEFAULT_TIME,
    permutations: int = DEFAULT_PERMUTATIONS,
    seed: int = DEFAULT_SEED,
) -> KnoxTable:
    """Knox table of the incidents matching the filters inside the districts (cached).

    Dates are the incidents' local dates (the store keeps local time), so two incidents on
    either side of midnight are one day apart.
    """
    space = check_space(space)
    time = check_time(time)
    permutations = check_permutations(permutations)
    key = (
        "near-repeat",
        start,
        end,
        tuple(categories),
        district,
        space,
        time,
        permutations,
        int(seed),
    )

    def compute() -> KnoxTable | UsageError:
        mask = event_mask(ds, start=start, end=end, categories=tuple(categories), district=district)
        arrays = ds.arrays
        days = arrays.time[mask].astype("datetime64[D]").astype(np.int64)
        try:
            return knox_test(
                arrays.x[mask],
                arrays.y[mask],
                days,
                space=space,
                time=time,
                permutations=permutations,
                seed=seed,
            )
        except UsageError as exc:  # kept too: the page asks again on every rerun
            return exc

    result = per_version(ds, "analyses", key, compute)
    if isinstance(result, UsageError):
        raise UsageError(result.message)  # a new one each time: no traceback piles up
    return result
