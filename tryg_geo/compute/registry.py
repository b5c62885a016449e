"""The declarative registry of Tryg Aalborg's 17 indsatser and their indicators.

Every indsats and every indikator is declared once, as data, in ``initiatives.toml`` beside this
module; adding one means editing that file only. :func:`load_initiatives` reads the file, checks
every field and returns frozen :class:`Initiative` objects. Any mistake in the file raises
:class:`~tryg_geo.errors.UsageError` with a Danish message naming the file, the indsats, the
field, the value and what is allowed.

An indicator gets its numbers from one of three sources:

``incidents``
    counted from the police incident table, restricted to ``categories`` (empty = all), to
    Friday and Saturday nights 22-06 when ``night_only`` and to the polygon of the place
    ``zone`` when given.
``measurement``
    rows of the measurements table whose ``indicator`` column equals
    :attr:`Indicator.measurement_name`, per district or for the whole kommune.
``place_observation``
    measurement rows as above whose ``area_id`` is one of the place ids in ``places``.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError

DEFAULT_PATH: Path = Path(__file__).with_name("initiatives.toml")

SOURCES: tuple[str, ...] = ("incidents", "measurement", "place_observation")
UNITS: tuple[str, ...] = ("andel", "antal", "pr_1000", "personer", "timer", "score")
AREAS: tuple[str, ...] = ("district", "kommune", "place")
PARTNERS: tuple[str, ...] = ("Kommune", "Politi", "Psykiatri")

#: The incident category values used across the project (the ``category`` column).
CATEGORIES: tuple[str, ...] = (
    "vold",
    "trusler",
    "indbrud i beboelse",
    "tyveri",
    "tyveri fra bil",
    "hærværk",
    "røveri",
    "narkotika",
    "ordensforstyrrelse",
    "brandstiftelse",
)

#: Units an incident count can be shown in.
INCIDENT_UNITS: tuple[str, ...] = ("antal", "pr_1000")
#: Areas an indicator of each source can be shown for.
SOURCE_AREAS: dict[str, tuple[str, ...]] = {
    "incidents": ("district", "kommune", "place"),
    "measurement": ("district", "kommune"),
    "place_observation": ("place",),
}

#: How many indicators one indsats may have (inclusive).
MIN_INDICATORS = 1
MAX_INDICATORS = 3


@dataclass(frozen=True)
class Indicator:
    """One number that follows an indsats.

    Attributes
    ----------
    id : str
        snake_case identifier, unique across the whole registry.
    label : str
        Danish label for the dashboard.
    unit : str
        One of :data:`UNITS`; ``andel`` is stored as 0-1 and shown as a percentage.
    source : str
        One of :data:`SOURCES`.
    area : str
        One of :data:`AREAS`: what one value describes.
    higher_is_better : bool
        Whether a rising value is good news.
    help : str
        One Danish sentence on how the number is measured and where it comes from.
    categories : tuple of str
        ``incidents`` only: the incident categories counted; empty means all.
    night_only : bool
        ``incidents`` only: count Friday and Saturday nights 22-06 only.
    zone : str or None
        ``incidents`` only: a place id whose polygon restricts the count.
    indicator : str or None
        ``measurement`` and ``place_observation``: the name in the measurements table.
    target : float or None
        Goal in the stored scale of the unit (shares as 0-1).
    places : tuple of str
        ``place_observation`` only: the place ids the observations are made at.
    survey : bool
        ``measurement`` only: the numbers are answers to Tryghedsundersøgelsen (the source
        named beside them), not registrations.
    """

    id: str
    label: str
    unit: str
    source: str
    area: str
    higher_is_better: bool
    help: str
    categories: tuple[str, ...] = ()
    night_only: bool = False
    zone: str | None = None
    indicator: str | None = None
    target: float | None = None
    places: tuple[str, ...] = ()
    survey: bool = False

    @property
    def measurement_name(self) -> str:
        """The name of the indicator in the measurements table (``indicator``, else ``id``)."""
        return self.indicator or self.id


@dataclass(frozen=True)
class Initiative:
    """One of Tryg Aalborg's indsatser.

    Attributes
    ----------
    slug : str
        kebab-case ascii identifier, e.g. ``"et-trygt-natteliv"``.
    title : str
        The Danish title as in Tryg Aalborg's own list.
    partners : tuple of str
        The partners behind it, a subset of :data:`PARTNERS`.
    description : str
        Two or three Danish sentences.
    headline : str
        The id of the indicator shown first.
    data_needed : str
        Danish sentence naming the data the indsats needs, shown when none exist yet.
    indicators : tuple of Indicator
        One to three indicators.
    """

    slug: str
    title: str
    partners: tuple[str, ...]
    description: str
    headline: str
    data_needed: str
    indicators: tuple[Indicator, ...]

    @property
    def headline_indicator(self) -> Indicator:
        """The indicator whose id is :attr:`headline`.

        Raises
        ------
        UsageError
            If no indicator of this indsats has that id.
        """
        for indicator in self.indicators:
            if indicator.id == self.headline:
                return indicator
        raise UsageError(
            f"Indsatsen '{self.slug}': feltet 'headline' har værdien '{self.headline}', "
            f"som ikke er en af dens indikatorer. Tilladte værdier: "
            f"{listing(i.id for i in self.indicators)}."
        )


# --- public functions -------------------------------------------------------------------------


def load_initiatives(path: Path | None = None) -> list[Initiative]:
    """Read and check the registry of indsatser.

    Parameters
    ----------
    path : Path or None
        A TOML file; ``None`` means the registry shipped with the package, which is read once
        and cached.

    Returns
    -------
    list of Initiative
        In the order of the file.

    Raises
    ------
    UsageError
        If the file is missing, is not valid TOML, or any field is missing, unknown or has a
        value that is not allowed. The message names the file, the indsats, the field, the value
        and the allowed values.
    """
    if path is None or Path(path).resolve() == DEFAULT_PATH.resolve():
        return list(_load_default())
    return list(_load(Path(path)))


def get_initiative(slug: str) -> Initiative:
    """The indsats of the default registry with this slug.

    Parameters
    ----------
    slug : str
        e.g. ``"tryg-bydel"``.

    Returns
    -------
    Initiative

    Raises
    ------
    UsageError
        If no indsats has that slug; the message lists the allowed slugs.
    """
    initiatives = _load_default()
    for initiative in initiatives:
        if initiative.slug == slug:
            return initiative
    raise UsageError(
        f"Ukendt indsats '{slug}'. Tilladte værdier: {listing(i.slug for i in initiatives)}."
    )


def all_indicators() -> list[tuple[Initiative, Indicator]]:
    """Every indicator of the default registry with the indsats it belongs to.

    Returns
    -------
    list of (Initiative, Indicator)
        In the order of the file.
    """
    return [(ini, ind) for ini in _load_default() for ind in ini.indicators]


# --- loading (the field checks are in registry_parse) ---------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _load_default() -> tuple[Initiative, ...]:
    return _load(DEFAULT_PATH)


def _load(path: Path) -> tuple[Initiative, ...]:
    from .registry_parse import parse  # it builds this module's dataclasses

    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise UsageError(f"Filen med indsatser findes ikke: {path}.") from None
    except OSError as exc:
        raise UsageError(f"Filen med indsatser kan ikke læses: {path} ({exc}).") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: filen er ikke gyldig TOML: {exc}.") from None
    return parse(data, str(path))


def listing(values: Any) -> str:
    return ", ".join(f"'{v}'" for v in values)
