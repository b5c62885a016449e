"""The alert rules of ``alerts.toml`` in the data folder, parsed and checked.

The data owner writes one ``[[regel]]`` table per rule::

    [[regel]]
    navn = "Vold i nattelivet, Jomfru Ane Gade"
    type = "stigning"          # stigning | ny_hotspot | under_maal
    kategori = "vold"          # hændelseskategori (stigning, ny_hotspot; valgfri)
    visning = "natteliv"       # stigning: natteliv (nattens timer) eller tryg-bydel (døgnet)
    omraade = "jomfru-ane-gade"  # område-id (stigning: påkrævet; under_maal: valgfri)
    over_procent = 30          # stigning: mindst så mange % over samme periode sidste år
    celle = "250m"             # ny_hotspot: cellestørrelsen
    indikator = "tryg_andel"   # under_maal: indikatoren i initiatives.toml
    periode = "kvartal"        # maaned | kvartal (standard) | 12m: op til seneste dag med data
    modtagere = ["leder", "analytiker@aalborg.dk"]   # roller og/eller adresser

``stigning`` fires when the district's incidents are at least ``over_procent`` % above the same
period last year and the change test (``analysis.change``) calls it significant; ``ny_hotspot``
when a cell is a new hot spot of the emerging hot spot analysis (``analysis.emerging``: a
significant Gi* hot spot in the rule's period and in none of the periods of that length before
it, :data:`tryg_geo.analysis.alerts.SERIES_STEPS` in all);
``under_maal`` when an indicator in a district (or every district) is not on track against its
target. A broken file gives one Danish sentence naming the file, the rule (its number, line
and name) and the field, like ``roles.toml`` and ``partnerskab.toml``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

from ..access import ROLES
from ..errors import UsageError
from ..geo.grid import CELL_CHOICES
from .registry import all_indicators

KINDS: dict[str, str] = {
    "stigning": "en markant stigning mod samme periode sidste år i et område",
    "ny_hotspot": "et nyt hotspot (Gi*) i en celle",
    "under_maal": "en indikator i et område under målet",
}
#: The views a ``stigning`` rule may name: which hours are counted and which page the link opens.
VIEWS: dict[str, str] = {"tryg-bydel": "hele døgnet", "natteliv": "nattens timer (natteliv)"}
#: The periods a rule may look at, in months back from the last day with data.
PERIODS: dict[str, int] = {"maaned": 1, "kvartal": 3, "12m": 12}
#: Every field, what it holds (for the messages), and for which kinds it is required.
FIELDS: dict[str, str] = {
    "navn": 'reglens navn, fx "Vold i nattelivet"',
    "type": f"en af {', '.join(KINDS)}",
    "kategori": 'en hændelseskategori, fx "vold"',
    "visning": f"en af {', '.join(VIEWS)}",
    "omraade": "et område-id fra områdefilen",
    "over_procent": "et tal over 0, fx 30",
    "celle": f"en af {', '.join(CELL_CHOICES)}",
    "indikator": "et indikator-id fra initiatives.toml, fx tryg_andel",
    "periode": f"en af {', '.join(PERIODS)}",
    "modtagere": f"en liste af roller ({', '.join(ROLES)}) og/eller e-mailadresser",
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "stigning": ("omraade", "over_procent"),
    "ny_hotspot": ("celle",),
    "under_maal": ("indikator",),
}


@dataclass(frozen=True)
class AlertRule:
    """One rule of ``alerts.toml`` (see the module docstring for the fields)."""

    number: int
    name: str
    kind: str
    category: str | None = None
    view: str = "tryg-bydel"
    district: str | None = None
    over_pct: float | None = None
    cell: str = "250m"
    indicator: str | None = None
    period: str = "kvartal"
    roles: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """Stable across edits of other rules: the kind and the name."""
        return f"{self.kind}:{self.name}"


def parse_alert_rules(text: str, *, source: str = "alerts.toml") -> list[AlertRule]:
    """Parse the text of an ``alerts.toml``.

    Raises
    ------
    UsageError
        On a syntax error, an unknown section or field, a missing field, or a value that is
        not allowed; the message names the file, the rule's number, line and name, the field
        and what is allowed.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"Alarmfilen {source} kan ikke læses: {exc}.") from None
    unknown = [key for key in data if key != "regel"]
    if unknown:
        raise UsageError(
            f"Alarmfilen {source} har et ukendt afsnit {unknown[0]!r}; hver regel skrives som "
            "[[regel]] med felterne under."
        )
    tables = data.get("regel", [])
    if not isinstance(tables, list):
        raise UsageError(f"Alarmfilen {source}: skriv hver regel som [[regel]], ikke [regel].")
    lines = _rule_lines(text)
    rules = [_rule(i, table, source, lines) for i, table in enumerate(tables, start=1)]
    names = [r.name for r in rules]
    for rule in rules:
        if names.count(rule.name) > 1:
            raise UsageError(
                f"{_where(source, rule.number, lines, rule.name)}: navnet {rule.name!r} bruges "
                "af flere regler; hver regel skal have sit eget navn (det holder styr på, hvad "
                "der allerede er sendt)."
            )
    return rules


def _rule_lines(text: str) -> list[int]:
    """The line of each ``[[regel]]`` header, in order."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip().replace(" ", "").startswith("[[regel]]")
    ]


def _where(source: str, number: int, lines: list[int], name: str | None) -> str:
    line = f", linje {lines[number - 1]}" if number <= len(lines) else ""
    named = f" ({name})" if name else ""
    return f"Alarmfilen {source}, regel {number}{line}{named}"


def _rule(number: int, table: Any, source: str, lines: list[int]) -> AlertRule:
    if not isinstance(table, dict):
        raise UsageError(f"{_where(source, number, lines, None)}: reglen skal være en tabel.")
    name = table.get("navn")
    where = _where(source, number, lines, name if isinstance(name, str) else None)

    def wrong(key: str, value: Any = None, missing: bool = False) -> UsageError:
        what = "mangler" if missing else f"= {value!r} kan ikke bruges"
        return UsageError(f"{where}: feltet {key} {what}; {key} skal være {FIELDS[key]}.")

    for key in table:
        if key not in FIELDS:
            raise UsageError(
                f"{where}: ukendt felt {key!r}; tilladte felter er {', '.join(FIELDS)}."
            )
    for key in ("navn", "type", "modtagere"):
        if key not in table:
            raise wrong(key, missing=True)
    if not isinstance(name, str) or not name.strip():
        raise wrong("navn", name)
    kind = table["type"]
    if kind not in KINDS:
        raise wrong("type", kind)
    for key in REQUIRED[kind]:
        if key not in table:
            raise wrong(key, missing=True)
    text_fields = {}
    for key in ("kategori", "omraade"):
        value = table.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise wrong(key, value)
        text_fields[key] = value.strip() if isinstance(value, str) else None
    view = table.get("visning", "tryg-bydel")
    if view not in VIEWS:
        raise wrong("visning", view)
    over = table.get("over_procent")
    if over is not None and (
        isinstance(over, bool) or not isinstance(over, int | float) or over <= 0
    ):
        raise wrong("over_procent", over)
    cell = table.get("celle", "250m")
    if cell not in CELL_CHOICES:
        raise wrong("celle", cell)
    indicator = table.get("indikator")
    if indicator is not None and indicator not in {ind.id for _, ind in all_indicators()}:
        raise wrong("indikator", indicator)
    period = table.get("periode", "kvartal")
    if period not in PERIODS:
        raise wrong("periode", period)
    roles, addresses = _recipients(table["modtagere"], wrong)
    return AlertRule(
        number=number,
        name=" ".join(name.split()),
        kind=kind,
        category=text_fields["kategori"],
        view=view,
        district=text_fields["omraade"],
        over_pct=None if over is None else float(over),
        cell=cell,
        indicator=indicator,
        period=period,
        roles=roles,
        addresses=addresses,
    )


def _recipients(value: Any, wrong) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise wrong("modtagere", value)
    roles, addresses = [], []
    for item in (v.strip() for v in value):
        if item.lower() in ROLES:
            roles.append(item.lower())
        elif "@" in item and "." in item.rsplit("@", 1)[1] and " " not in item:
            addresses.append(item.casefold())
        else:
            raise wrong("modtagere", item)
    return tuple(dict.fromkeys(roles)), tuple(dict.fromkeys(addresses))
