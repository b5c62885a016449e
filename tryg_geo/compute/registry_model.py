"""The registry's vocabulary: the allowed values of its fields and the frozen
:class:`Initiative` and :class:`Indicator` it is read into.

Both :mod:`~tryg_geo.compute.registry` (which loads ``initiatives.toml``) and
:mod:`~tryg_geo.compute.registry_parse` (which checks it field by field) build on this module,
so the loader calls the parser without the two importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import UsageError

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


def listing(values: Any) -> str:
    """The values quoted and joined by commas, for the allowed values in a message."""
    return ", ".join(f"'{v}'" for v in values)
