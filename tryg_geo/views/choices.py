"""The choices the pages offer, given on the command line: read and checked in one place.

``export`` and ``pack`` take every choice a page's sidebar offers, so the CLI writes the file
the page's "Hent CSV" gives for the same choices (the same :class:`Filters`, the same view):

========================  =====================  ===========================================
option                    page                   Filters field
========================  =====================  ===========================================
``--indicator ID``        Tryg bydel             ``indicator``
``--scheme ID``           every map              ``scheme`` (quantiles, natural_breaks)
``--cell SIZE``           Natteliv               ``cell`` (100m, 250m, 1km)
``--nights DAYS``         Natteliv               ``nights`` (Danish weekday names)
``--hours FRA-TIL``       Natteliv               ``night_start``, ``night_end``
``--observation ID``      Byens rum              ``place_indicator``
``--map MODE``            Tryg bydel, Analyse    ``extra[MAP_MODE_PARAM]``
``--hotspots``            Natteliv (Hotspots)    ``extra[LAYER_PARAM] = HOTSPOT_LAYER``
``--step STEP``            Analyse (Trin)         ``extra[STEP_PARAM]`` (month, quarter, year)
``--unit UNIT``           Analyse (Enhed)        ``extra[UNIT_PARAM]`` (cell → celle, district → omraade)
``--preset ID``           every page (Periode)   ``preset``, ``start``, ``end``
========================  =====================  ===========================================

Each check returns the value a :class:`Filters` holds, or raises a Danish
:class:`~tryg_geo.errors.UsageError` that names the option, the value and what is allowed
(exit code 2 on the command line).
"""

from __future__ import annotations

from ..compute.filters import NIGHT_ENDS, NIGHT_STARTS, PRESETS, SCHEMES, URL_KEYS, Filters
from ..compute.steps import check_step as compute_check_step
from ..errors import UsageError
from ..fmt import WEEKDAYS_DA, either
from ..geo.grid import CELL_CHOICES
from ..store.dataset import Dataset
from .analysis_maps import (
    CHANGE_MODE,
    HOTSPOT_LAYER,
    HOTSPOT_MODE,
    LAYER_PARAM,
    MAP_MODE_PARAM,
)
from .byens_rum import place_indicators
from .emerging import EMERGING_MODE, STEP_PARAM, UNIT_PARAM, UNIT_VALUES
from .registry import default_filters
from .tryg_bydel import tryg_bydel_indicators

#: Natteliv's cell sizes, as the page's radio offers them (one list: geo.grid).
#: Tryg bydel's map modes (the page's "Kort" radio): option value → URL value.
MAP_MODES: dict[str, str] = {
    "indikator": "",
    "hotspots": HOTSPOT_MODE,
    "aendring": CHANGE_MODE,
    "emerging": EMERGING_MODE,  # Analyse: nye og vedvarende hotspots
}


def check_indicator(value: str) -> str:
    """A Tryg bydel indicator id (``--indicator``), e.g. 'haendelser_pr_1000'."""
    allowed = list(tryg_bydel_indicators())
    if value not in allowed:
        raise UsageError(
            f"--indicator {value!r} findes ikke i Tryg bydel; tilladte: {', '.join(allowed)}."
        )
    return value


def check_scheme(value: str) -> str:
    """A map class scheme id (``--scheme``): 'quantiles' or 'natural_breaks'."""
    if value not in SCHEMES:
        named = [f"{key} ({label.lower()})" for key, label in SCHEMES.items()]
        raise UsageError(f"--scheme {value!r} er ikke tilladt; vælg {either(named)}.")
    return value


def check_cell(value: str) -> str:
    """A Natteliv cell size (``--cell``): one of :data:`tryg_geo.geo.grid.CELL_CHOICES`."""
    if value not in CELL_CHOICES:
        raise UsageError(f"--cell {value!r} er ikke tilladt; vælg {either(list(CELL_CHOICES))}.")
    return value


def parse_nights(text: str) -> tuple[int, ...]:
    """Danish weekday names, comma-separated (``--nights fredag,lørdag``) → (4, 5).

    A night is named by the weekday of its evening, as on the Natteliv page.
    """
    days = []
    for part in text.split(","):
        name = part.strip().lower()
        if name not in WEEKDAYS_DA:
            raise UsageError(
                f"--nights {text!r}: {part.strip()!r} er ikke en ugedag; skriv ugedagene med "
                f"komma imellem, fx fredag,lørdag ({', '.join(WEEKDAYS_DA)})."
            )
        days.append(WEEKDAYS_DA.index(name))
    return tuple(sorted(set(days)))


def parse_hours(text: str) -> tuple[int, int]:
    """The night's hours (``--hours 22-06``) → (22, 6); the start 18–23, the end 1–9."""
    start_text, _, end_text = text.strip().partition("-")
    try:
        start, end = int(start_text), int(end_text)
    except ValueError:
        start, end = -1, -1
    if start not in NIGHT_STARTS or end not in NIGHT_ENDS:
        raise UsageError(
            f"--hours {text!r}: skriv natten som FRA-TIL, hvor FRA er kl. "
            f"{NIGHT_STARTS[0]}–{NIGHT_STARTS[-1]} og TIL er kl. {NIGHT_ENDS[0]}–{NIGHT_ENDS[-1]} "
            "(fx 22-06)."
        )
    return start, end


def check_observation(ds: Dataset, value: str) -> str:
    """A Byens rum observation (``--observation``), e.g. 'klager'."""
    allowed = list(place_indicators(ds))
    if value not in allowed:
        raise UsageError(
            f"--observation {value!r} findes ikke i Byens rum; tilladte: {', '.join(allowed)}."
        )
    return value


def check_preset(value: str) -> str:
    """A period preset (``--preset``): '12m', 'ytd', 'last_year' or 'all'."""
    allowed = [key for key in PRESETS if key != "custom"]
    if value not in allowed:
        named = [f"{key} ({PRESETS[key].lower()})" for key in allowed]
        raise UsageError(
            f"--preset {value!r} er ikke tilladt; vælg {either(named)}, "
            "eller angiv perioden med --from og --to."
        )
    return value


def check_map_mode(value: str) -> str:
    """The map mode (``--map``): Tryg bydel's 'indikator', 'hotspots' or 'aendring', or
    Analyse's 'emerging'."""
    if value not in MAP_MODES:
        raise UsageError(f"--map {value!r} er ikke tilladt; vælg {either(list(MAP_MODES))}.")
    return MAP_MODES[value]


def check_step(value: str) -> str:
    """Analyse's time step of the emerging hot spots (``--step``): month, quarter or year
    (:func:`tryg_geo.compute.steps.check_step`, named as the option)."""
    return compute_check_step(value, "--step")


def check_unit(value: str) -> str:
    """Analyse's unit of the emerging hot spots (``--unit``): ``cell`` or ``district``; the
    URL's value of it (:data:`~tryg_geo.views.emerging.UNIT_VALUES`)."""
    if value not in UNIT_VALUES:
        raise UsageError(f"--unit {value!r} er ikke tilladt; vælg {either(list(UNIT_VALUES))}.")
    return UNIT_VALUES[value]


def with_choices(
    ds: Dataset,
    filters: Filters,
    *,
    indicator: str | None = None,
    scheme: str | None = None,
    cell: str | None = None,
    nights: str | None = None,
    hours: str | None = None,
    observation: str | None = None,
    preset: str | None = None,
    map_mode: str | None = None,
    hotspots: bool = False,
    step: str | None = None,
    unit: str | None = None,
) -> Filters:
    """``filters`` with the page choices given as option texts (None: not given, unchanged).

    Raises
    ------
    UsageError
        When a value is not one the page offers (the message lists what is allowed).
    """
    changes: dict[str, object] = {}
    if indicator is not None:
        changes["indicator"] = check_indicator(indicator)
    if scheme is not None:
        changes["scheme"] = check_scheme(scheme)
    if cell is not None:
        changes["cell"] = check_cell(cell)
    if nights is not None:
        changes["nights"] = parse_nights(nights)
    if hours is not None:
        changes["night_start"], changes["night_end"] = parse_hours(hours)
    if observation is not None:
        changes["place_indicator"] = check_observation(ds, observation)
    if preset is not None:
        period = default_filters(ds, {URL_KEYS["preset"]: check_preset(preset)})
        changes.update(preset=period.preset, start=period.start, end=period.end)
    extra = dict(filters.extra)
    if map_mode is not None:
        mode = check_map_mode(map_mode)
        extra.pop(MAP_MODE_PARAM, None)
        if mode:
            extra[MAP_MODE_PARAM] = mode
    if hotspots:
        extra[LAYER_PARAM] = HOTSPOT_LAYER
    if step is not None:
        extra[STEP_PARAM] = check_step(step)
    if unit is not None:
        extra[UNIT_PARAM] = check_unit(unit)
    if extra != filters.extra:
        changes["extra"] = extra
    return filters.with_(**changes)
