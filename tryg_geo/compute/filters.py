"""The filters every page shares, and their round trip through the URL.

A copied link must open the same view, so the whole state is a flat mapping of strings
(``st.query_params``) that :meth:`Filters.from_params` reads and :meth:`Filters.to_params`
writes. Unknown or broken values fall back to defaults instead of failing: a link pasted into
a mail client with a character missing still opens something sensible.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ..fmt import WEEKDAYS_DA, day
from ..geo.grid import CELL_CHOICES

PRESETS: dict[str, str] = {
    "12m": "Seneste 12 måneder",
    "ytd": "År til dato",
    "last_year": "Seneste hele år",
    "all": "Hele perioden",
    "custom": "Valgfri periode",
}
SCHEMES: dict[str, str] = {"quantiles": "Kvantiler", "natural_breaks": "Naturlige brud"}
#: The URL's query parameter of each filter field: :meth:`Filters.to_params` writes these,
#: :meth:`Filters.from_params` reads them and keeps every other key in ``extra``; pages that
#: link or look up a filter in the URL name it from here.
URL_KEYS: dict[str, str] = {
    "start": "fra",
    "end": "til",
    "preset": "preset",
    "categories": "kat",
    "district": "omr",
    "indicator": "ind",
    "scheme": "klasser",
    "cell": "celle",
    "nights": "naetter",
    "night": "nat",
    "place_indicator": "sted_ind",
    "initiative": "indsats",
}
#: The hours a night may start (evening) and end (morning) at: the Natteliv page's select
#: boxes, the URL's ``nat`` and ``--hours`` all read these two ranges.
NIGHT_STARTS = range(18, 24)
NIGHT_ENDS = range(1, 10)
#: The default night, and the nights of ``night_only`` indicators: Friday and Saturday
#: evenings, 22 to 06.
NIGHTS, NIGHT_START, NIGHT_END = (4, 5), 22, 6


@dataclass(frozen=True)
class Filters:
    """Period (inclusive dates), categories (empty = all), district, and per-view options.

    One Filters for every page: the sidebar sets the shared fields, each page adds its own
    options with :meth:`with_` and all of them travel in the URL (:meth:`to_params`).

    Attributes
    ----------
    start, end, preset : the period (every page; ``preset`` names the sidebar's choice).
    categories, district : incident categories (empty = all) and one district (sidebar).
    indicator : the district indicator on Tryg bydel's map (and Overblik's).
    scheme : the map classes, 'quantiles' or 'natural_breaks' (Tryg bydel, the maps).
    cell, nights, night_start, night_end : grid cell size and the night window (Natteliv).
    place_indicator : the observation shown on Byens rum; None lets the view open on the
        first with data (see ``place_indicators``).
    initiative : the indsats shown on Indsatser.
    extra : URL parameters of other pages, kept so a link round-trips.
    """

    start: date
    end: date
    preset: str = "12m"
    categories: tuple[str, ...] = ()
    district: str | None = None
    #: Tryg bydel's indicator; None lets the view open on one with data for the period.
    indicator: str | None = None
    scheme: str = "quantiles"
    cell: str = "100m"
    nights: tuple[int, ...] = NIGHTS  # evenings that start a night: Friday, Saturday
    night_start: int = NIGHT_START
    night_end: int = NIGHT_END
    place_indicator: str | None = None
    initiative: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    # ---- periods --------------------------------------------------------------------------
    @staticmethod
    def preset_period(
        preset: str, data_end: date, data_start: date | None = None
    ) -> tuple[date, date]:
        """The dates of a preset, counted back from the last day with data (not from today:
        police data arrives late, and demo data ends in the past)."""
        if preset == "ytd":
            return date(data_end.year, 1, 1), data_end
        if preset == "last_year":
            year = data_end.year if data_end == date(data_end.year, 12, 31) else data_end.year - 1
            return date(year, 1, 1), date(year, 12, 31)
        if preset == "all" and data_start is not None:
            return data_start, data_end
        return one_year_before(data_end) + timedelta(days=1), data_end

    def previous_year(self) -> tuple[date, date]:
        """The same period one year earlier, for 'compared with the same period last year'."""
        return one_year_before(self.start), one_year_before(self.end)

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """The filters in words, for titles, PNGs and CSV headers (``names``: district names)."""
        parts = [f"Periode {day(self.start)}–{day(self.end)}"]
        parts.append("kategorier: " + (", ".join(self.categories) if self.categories else "alle"))
        if self.district:
            parts.append(f"område: {(names or {}).get(self.district, self.district)}")
        return "; ".join(parts)

    def describe_nights(self) -> str:
        names = [WEEKDAYS_DA[d] for d in sorted(self.nights)]
        return f"nætter efter {' og '.join(names)} kl. {self.night_start:02d}–{self.night_end:02d}"

    # ---- URL round trip --------------------------------------------------------------------
    def to_params(self) -> dict[str, str]:
        fields = {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "preset": self.preset,
            "categories": ",".join(self.categories),
            "district": self.district or "",
            "indicator": self.indicator or "",
            "scheme": self.scheme,
            "cell": self.cell,
            "nights": ",".join(map(str, self.nights)),
            "night": f"{self.night_start}-{self.night_end}",
            "place_indicator": self.place_indicator or "",
            "initiative": self.initiative or "",
        }
        params = {URL_KEYS[name]: value for name, value in fields.items()} | self.extra
        return {k: v for k, v in params.items() if v != ""}

    @classmethod
    def from_params(cls, params: Mapping[str, str], *, data_start: date, data_end: date) -> Filters:
        """Filters from URL parameters; anything missing or broken takes its default."""
        given = {name: params.get(key) for name, key in URL_KEYS.items()}
        preset = given["preset"] if given["preset"] in PRESETS else "12m"
        start, end = cls.preset_period(preset, data_end, data_start)
        if preset == "custom":
            start = _date(given["start"], start)
            end = _date(given["end"], end)
        start, end = _within(start, end, data_start, data_end)
        night_start, night_end = _hours(given["night"], (NIGHT_START, NIGHT_END))
        known = set(URL_KEYS.values())
        return cls(
            start=start,
            end=end,
            preset=preset,
            categories=tuple(c for c in (given["categories"] or "").split(",") if c),
            district=given["district"] or None,
            indicator=given["indicator"] or None,
            scheme=given["scheme"] if given["scheme"] in SCHEMES else "quantiles",
            cell=given["cell"] if given["cell"] in CELL_CHOICES else "100m",
            nights=_weekdays(given["nights"], NIGHTS),
            night_start=night_start,
            night_end=night_end,
            place_indicator=given["place_indicator"] or None,
            initiative=given["initiative"] or None,
            extra={k: v for k, v in params.items() if k not in known},
        )

    @classmethod
    def for_choices(
        cls,
        *,
        data_start: date,
        data_end: date,
        start: date | None = None,
        end: date | None = None,
        categories: tuple[str, ...] = (),
        district: str | None = None,
    ) -> Filters:
        """The filters the sidebar holds for these choices (the command line's options).

        Without dates the default preset holds; a date makes the preset 'custom' (the
        sidebar's "Valgfri periode"), the other date taking the default. Dates are kept inside
        the data's span, as :meth:`from_params` does.
        """
        preset = "custom" if start is not None or end is not None else "12m"
        first, last = cls.preset_period(preset, data_end, data_start)
        first, last = _within(start or first, end or last, data_start, data_end)
        return cls(
            start=first,
            end=last,
            preset=preset,
            categories=tuple(categories),
            district=district or None,
        )

    def with_(self, **changes: object) -> Filters:
        return replace(self, **changes)


def period_caption(filters: Filters, ds) -> str:
    """The period's name as the sidebar shows it, saying what the data cover when the preset
    reaches before the first day with data ('Seneste 12 måneder – data findes kun for
    02.09.2025–25.11.2025'), so a name never promises twelve months of three.

    Parameters
    ----------
    filters : the chosen period (``preset``, ``start``, ``end``).
    ds : the loaded data (:class:`~tryg_geo.store.dataset.Dataset`); its incident span.
    """
    name = PRESETS.get(filters.preset, PRESETS["custom"])
    data_start, data_end = ds.incident_span
    if filters.preset in ("custom", "all"):
        return name
    nominal_start, _ = Filters.preset_period(filters.preset, data_end, data_start)
    if nominal_start >= data_start:
        return name
    return f"{name} – data findes kun for {day(data_start)}–{day(data_end)}"


def previous_year_covered(filters: Filters, data_start: date) -> bool:
    """True when the data reach into the same period one year earlier (they begin on or
    before its last day): otherwise a change against it would compare with nothing."""
    return filters.previous_year()[1] >= data_start


def no_previous_text(filters: Filters, data_start: date) -> str:
    """Why last year's figure is empty: the data begin after its start (Danish)."""
    first, last = filters.previous_year()
    return (
        f"Ingen hændelser at sammenligne med i samme periode året før ({day(first)}–{day(last)}): "
        f"hændelserne i data begynder {day(data_start)}."
    )


def one_year_before(value: date) -> date:
    """The same day a year earlier; 29 February becomes 28 February."""
    try:
        return value.replace(year=value.year - 1)
    except ValueError:  # 29 February
        return value.replace(year=value.year - 1, day=28)


def _within(start: date, end: date, data_start: date, data_end: date) -> tuple[date, date]:
    """Each date inside the data's span, then in order: a link from 2030 still shows data."""
    start = min(max(start, data_start), data_end)
    end = min(max(end, data_start), data_end)
    return min(start, end), max(start, end)


def _date(text: str | None, fallback: date) -> date:
    try:
        return date.fromisoformat(text) if text else fallback
    except ValueError:
        return fallback


def _hours(text: str | None, fallback: tuple[int, int]) -> tuple[int, int]:
    try:
        a, b = (int(p) for p in (text or "").split("-"))
    except ValueError:
        return fallback
    return (a, b) if a in NIGHT_STARTS and b in NIGHT_ENDS else fallback


def _weekdays(text: str | None, fallback: tuple[int, ...]) -> tuple[int, ...]:
    try:
        days = tuple(sorted({int(p) for p in (text or "").split(",") if p}))
    except ValueError:
        return fallback
    return days if days and all(0 <= d <= 6 for d in days) else fallback
