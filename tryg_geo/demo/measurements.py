"""Demo measurements: survey shares per district and year, and activity numbers and place
observations for every indicator of the registry.
"""

from __future__ import annotations

import zlib

import geopandas as gpd
import numpy as np
import pandas as pd

from ..compute.registry import Indicator, all_indicators
from ..ingest.parse import parse_periods
from ..store.schema import COLUMNS
from .common import ACTIVITY_START, LAST_DAY, SURVEY_YEARS
from .districts import DISTRICTS

#: The two core questions of Tryghedsundersøgelsen, asked every year in every district; the
#: value is how far below tryghed the share usually lies.
SURVEY_INDICATORS: dict[str, float] = {"tryg_andel": 0.0, "tillid_politi_andel": -0.02}
#: Typical share of trygge by district kind around 2015 (Løvvangen measured 82,5 % in 2014).
_SURVEY_BASE = {
    "centre": 0.85,
    "city": 0.875,
    "villa": 0.915,
    "town": 0.905,
    "uni": 0.865,
    "social": 0.835,
}
_SURVEY_OVERRIDE = {"loevvangen": 0.823}
#: Respondents per inhabitant in a district survey (Vejgaard: ≈ 330 answers).
_RESPONDENTS_PER_PERSON = 1 / 45
_KOMMUNE_RESPONDENTS = (1_350, 1_650)

#: How often each unit is reported: shares and scores yearly, people quarterly, activity monthly.
_FREQUENCY = {
    "andel": "year",
    "score": "year",
    "pr_1000": "year",
    "personer": "quarter",
    "antal": "month",
    "timer": "month",
}
#: Typical kommune-level value per (unit, frequency) when the registry gives no target.
_LEVELS: dict[tuple[str, str], tuple[float, float]] = {
    ("andel", "year"): (0.35, 0.75),
    ("score", "year"): (50.0, 70.0),
    ("pr_1000", "year"): (2.0, 15.0),
    ("personer", "quarter"): (20.0, 250.0),
    ("antal", "month"): (3.0, 40.0),
    ("timer", "month"): (80.0, 400.0),
    ("personer", "month"): (5.0, 60.0),
    ("andel", "month"): (0.3, 0.7),
    ("score", "month"): (40.0, 70.0),
    ("pr_1000", "month"): (0.5, 5.0),
    # Observations at one place are smaller: complaints, rescues, people counted on a round.
    ("antal", "place"): (1.0, 10.0),
    ("personer", "place"): (5.0, 40.0),
    ("timer", "place"): (10.0, 60.0),
}
_COUNT_UNITS = ("antal", "personer", "timer")


def _rng_for(seed: int, name: str) -> np.random.Generator:
    """A generator per indicator, so adding one to the registry leaves the others unchanged."""
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])


def _survey_frame(seed: int, name: str, offset: float) -> pd.DataFrame:
    """Yearly survey shares per district (n ≈ population / 45) and for the kommune (n ≈ 1 500).

    True shares drift slowly upwards; the stored value is a binomial draw, so small districts
    jump around and some years fall below 30 answers (the dashboard's small-n flag).
    """
    rng = _rng_for(seed, name)
    years = np.array(SURVEY_YEARS)
    elapsed = years - years[0]
    base = np.array([_SURVEY_OVERRIDE.get(d.district_id, _SURVEY_BASE[d.kind]) for d in DISTRICTS])
    base = base + offset + rng.normal(0, 0.008, len(base))
    drift = rng.uniform(0.0008, 0.0032, len(base))
    share = np.clip(base[:, None] + drift[:, None] * elapsed[None, :], 0.5, 0.99)
    population = np.array([d.population for d in DISTRICTS], dtype="float64")
    scale = rng.uniform(0.4, 1.3, share.shape)
    n = np.maximum(8, np.round(population[:, None] * _RESPONDENTS_PER_PERSON * scale)).astype(int)
    kommune_share = population @ share / population.sum()
    kommune_n = rng.integers(*_KOMMUNE_RESPONDENTS, len(years), endpoint=True)
    n_all = np.vstack([n, kommune_n])
    value = rng.binomial(n_all, np.vstack([share, kommune_share])) / n_all
    areas = [d.district_id for d in DISTRICTS] + ["kommune"]
    return pd.DataFrame(
        {
            "area_id": np.repeat(areas, len(years)),
            "period": np.tile(years.astype(str), len(areas)),
            "indicator": name,
            "value": value.ravel(),
            "n": n_all.ravel(),
        }
    )


def _period_names(frequency: str, start: pd.Timestamp) -> tuple[list[str], np.ndarray]:
    """Period names from ``start`` to the end of 2025 and each period's month (0-11)."""
    last = pd.Timestamp(LAST_DAY)
    if frequency == "year":
        years = range(start.year, last.year + 1)
        return [str(y) for y in years], np.full(len(years), 6)
    if frequency == "quarter":
        quarters = pd.period_range(start, last, freq="Q")
        names = [f"{q.year}-Q{q.quarter}" for q in quarters]
        return names, (quarters.quarter.to_numpy() - 1) * 3 + 1
    months = pd.period_range(start, last, freq="M")
    return [m.strftime("%Y-%m") for m in months], months.month.to_numpy() - 1


def _is_place(indicator: Indicator) -> bool:
    """Observed at places (monthly, outdoors) rather than per district or kommune."""
    return indicator.source == "place_observation" or indicator.area == "place"


def _start_end(
    rng: np.random.Generator, indicator: Indicator, frequency: str
) -> tuple[float, float]:
    """Kommune-level value at the first and last period, moving the good way on the whole.

    With a target, the series starts on the wrong side of it; about three in five indicators
    cross it by the end, the others get closer but miss, so the dashboard shows both.
    """
    good = 1.0 if indicator.higher_is_better else -1.0
    target = indicator.target
    if target is not None:
        if indicator.unit == "andel":
            gap = min(0.06, 0.4 * min(target, 1 - target))
        else:
            gap = 0.25 * abs(target) if indicator.unit != "score" else 0.1 * abs(target)
        met = rng.random() < 0.6
        return target - good * gap, target + good * gap * (0.4 if met else -0.4)
    key = "place" if _is_place(indicator) and indicator.unit in _COUNT_UNITS else frequency
    low, high = _LEVELS.get((indicator.unit, key), (5.0, 50.0))
    start = rng.uniform(low, high)
    if indicator.unit == "andel":
        return start, start + good * rng.uniform(0.03, 0.10)
    if indicator.unit == "score":
        return start, start + good * rng.uniform(2.0, 8.0)
    return start, start * (1 + good * rng.uniform(0.15, 0.5))


def _season(month: np.ndarray, frequency: str, outdoors: bool) -> np.ndarray:
    """Monthly factor: activities pause in July; outdoor observations peak in summer."""
    if frequency != "month":
        return np.ones(len(month))
    if outdoors:
        return 1 + 0.35 * np.cos(2 * np.pi * (month - 6) / 12)
    factor = np.ones(len(month))
    factor[month == 6] = 0.55
    factor[month == 11] = 0.8
    return factor


def _observe(
    rng: np.random.Generator, unit: str, level: np.ndarray, frequency: str
) -> tuple[np.ndarray, np.ndarray]:
    """Stored values and n for true levels (areas x periods), with the noise of the unit."""
    missing = np.full(level.shape, -1)
    if unit == "andel":
        per_year = {"year": 1, "quarter": 4, "month": 12}[frequency]
        n = rng.integers(60, 600, level.shape) // per_year + 5
        return rng.binomial(n, np.clip(level, 0.005, 0.995)) / n, n
    if unit == "score":
        n = rng.integers(40, 250, level.shape)
        noise = rng.normal(0, 1, level.shape) * 15 / np.sqrt(n)
        return np.round(np.clip(level + noise, 0, 100), 1), n
    if unit in _COUNT_UNITS:
        return rng.poisson(np.maximum(level, 0)).astype("float64"), missing
    return np.round(np.maximum(level * (1 + rng.normal(0, 0.05, level.shape)), 0), 2), missing


def _indicator_frame(
    seed: int, indicator: Indicator, areas: list[str], weights: np.ndarray, outdoors: bool
) -> pd.DataFrame:
    """Every period of one registry indicator for ``areas`` (weights scale counts per area)."""
    rng = _rng_for(seed, f"{indicator.measurement_name}:{','.join(areas)}")
    frequency = "month" if outdoors else _FREQUENCY.get(indicator.unit, "year")
    names, month = _period_names(frequency, ACTIVITY_START)
    start, end = _start_end(rng, indicator, frequency)
    path = np.linspace(start, end, len(names)) * _season(month, frequency, outdoors)
    if indicator.unit in _COUNT_UNITS or indicator.unit == "pr_1000":
        level = path[None, :] * weights[:, None]
    else:  # shares and scores differ a little between areas, not in proportion to their size
        spread = 0.02 if indicator.unit == "andel" else 2.0
        level = path[None, :] + rng.normal(0, spread, (len(areas), 1))
    value, n = _observe(rng, indicator.unit, level, frequency)
    return pd.DataFrame(
        {
            "area_id": np.repeat(areas, len(names)),
            "period": np.tile(names, len(areas)),
            "indicator": indicator.measurement_name,
            "value": value.ravel(),
            "n": n.ravel(),
        }
    )


def _areas_of(
    indicator: Indicator, places: gpd.GeoDataFrame, rng: np.random.Generator
) -> tuple[list[str], np.ndarray]:
    """Area ids an indicator is measured for, and how each area scales a typical count."""
    if _is_place(indicator):
        ids = list(indicator.places) or [
            p for p, k in zip(places.place_id, places.kind, strict=True) if k != "vand"
        ]
        return ids, rng.lognormal(0, 0.4, len(ids))
    if indicator.area == "district":
        population = np.array([d.population for d in DISTRICTS], dtype="float64")
        return [d.district_id for d in DISTRICTS], population / population.mean()
    return ["kommune"], np.ones(1)


def make_measurements(
    places: gpd.GeoDataFrame, *, seed: int, indicators: list[Indicator] | None = None
) -> pd.DataFrame:
    """Survey shares 2015-2025 and every measurement and place indicator of the registry.

    Parameters
    ----------
    places : the demo places (place observations without a place list use all of them).
    seed : base seed; every indicator gets its own generator derived from it and its name.
    indicators : the registry's indicators (default: all of them).

    Returns
    -------
    pandas.DataFrame
        The store's measurement columns, one row per area, period and indicator.
    """
    if indicators is None:
        indicators = [ind for _, ind in all_indicators()]
    frames = [_survey_frame(seed, name, offset) for name, offset in SURVEY_INDICATORS.items()]
    done = set(SURVEY_INDICATORS)
    for indicator in indicators:
        if indicator.source == "incidents" or indicator.measurement_name in done:
            continue
        outdoors = _is_place(indicator)
        areas, weights = _areas_of(indicator, places, _rng_for(seed, indicator.id))
        frames.append(_indicator_frame(seed, indicator, areas, weights, outdoors))
        if not outdoors:  # place names can be shared by indicators at different places
            done.add(indicator.measurement_name)
    rows = pd.concat(frames, ignore_index=True)
    rows = rows.drop_duplicates(["area_id", "period", "indicator"], ignore_index=True)
    periods, _ = parse_periods(rows["period"])
    out = pd.DataFrame(
        {
            "area_id": rows["area_id"].astype(str),
            "period": periods["period"].astype(str),
            "period_start": periods["period_start"].astype("datetime64[us]"),
            "period_end": periods["period_end"].astype("datetime64[us]"),
            "indicator": rows["indicator"].astype(str),
            "value": rows["value"].astype("float64"),
            "n": pd.array(rows["n"].where(rows["n"] >= 0), dtype="Int64"),
        }
    )
    out = out.sort_values(["indicator", "area_id", "period_start"], kind="stable")
    return out[list(COLUMNS["measurements"])].reset_index(drop=True)
