"""Which alert rules fire on the loaded data (rules: :mod:`tryg_geo.compute.alert_rules`).

Every rule looks at its period (:data:`~tryg_geo.compute.alert_rules.PERIODS`, counted back from
the last day with data) and says, per district, cell group or indicator, whether it fires. What
fires is an :class:`Alert` with a key made of the rule, the period and what it is about: the
same data gives the same key, and the alert log (:mod:`tryg_geo.store.notices`) keeps a key
only once, so an alert never fires twice for the same data. Texts keep the discretion rule:
a change is only tested, and so only fires, when both counts are shown. A ``ny_hotspot`` rule
asks emerging hot spots (:mod:`tryg_geo.analysis.emerging`) for its "new" cells: the rule's
period is the last of :data:`SERIES_STEPS` steps, and a cell is new when it is a hot spot in
that step and in none before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from ..compute.alert_rules import PERIODS, AlertRule
from ..compute.filters import NIGHT_END, NIGHT_START, NIGHTS, Filters
from ..compute.indicators import OFF_TRACK, area_name, summarise
from ..compute.privacy import count_text
from ..compute.registry import all_indicators
from ..compute.series import TOTAL_ID
from ..compute.steps import STEP_MONTHS
from ..errors import UsageError
from ..fmt import day, number, percent, signed_percent
from ..periods import label as period_label
from ..periods import parse as parse_period
from ..store.dataset import Dataset
from .change import UP, district_count_changes
from .emerging import emerging_hotspots

#: How many new hot spot cells one alert names (the link shows them all).
CELLS_NAMED = 5
#: A ``ny_hotspot`` rule's time step, by its period: the rule's period is the final step of
#: the emerging hot spot series, and "new" is emerging's ``new_hot`` (hot in the final step and
#: never before in the series).
HOTSPOT_STEPS: dict[str, str] = {"maaned": "month", "kvartal": "quarter", "12m": "year"}
#: How many steps the series of a ``ny_hotspot`` rule looks back, the final one included (a
#: year of months, three years of quarters): enough for emerging's minimum of steps.
SERIES_STEPS = 12
#: The emerging pattern a ``ny_hotspot`` rule fires on.
NEW_HOT = "new_hot"


@dataclass(frozen=True)
class Alert:
    """One rule that fired: what to say, where to link, to whom.

    ``view`` is the page's view key (``tryg-bydel``, ``natteliv``, ``analyse`` or
    ``indsats/<slug>``) and ``params`` the URL parameters of its filters.
    """

    key: str
    rule: str
    kind: str
    text: str
    view: str
    params: dict[str, str]
    roles: tuple[str, ...]
    addresses: tuple[str, ...]
    period: str

    def record(self) -> dict:
        """The alert as a line of the alert log."""
        return {
            "key": self.key,
            "rule": self.rule,
            "kind": self.kind,
            "text": self.text,
            "view": self.view,
            "params": self.params,
            "roles": list(self.roles),
            "addresses": list(self.addresses),
            "period": self.period,
        }


@dataclass
class Checked:
    """What :func:`check_rules` found: the alerts, and rules that could not be checked."""

    alerts: list[Alert] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def rule_period(ds: Dataset, rule: AlertRule) -> tuple[date, date]:
    """The rule's months back from the last day with data: (first day, last day)."""
    end = ds.incident_span[1]
    start = pd.Timestamp(end) + timedelta(days=1) - pd.DateOffset(months=PERIODS[rule.period])
    return start.date(), end


def check_rules(ds: Dataset, rules: list[AlertRule]) -> Checked:
    """Check every rule against ``ds``; a rule naming an unknown district or category is left
    out with a Danish sentence in ``problems`` (the others are still checked)."""
    out = Checked()
    for rule in rules:
        problem = _problem(ds, rule)
        if problem:
            out.problems.append(problem)
            continue
        check = {"stigning": _rise, "ny_hotspot": _new_hotspot, "under_maal": _below_target}
        try:
            out.alerts.extend(check[rule.kind](ds, rule))
        except UsageError as exc:  # e.g. too few time steps for emerging hot spots
            out.problems.append(
                f"Alarmreglen {rule.name!r} (regel {rule.number}) blev ikke tjekket: {exc.message}"
            )
    return out


def _problem(ds: Dataset, rule: AlertRule) -> str | None:
    where = f"Alarmreglen {rule.name!r} (regel {rule.number}) blev ikke tjekket"
    if rule.kind != "under_maal" and not ds.has_incidents:
        return f"{where}: der er ingen hændelser indlæst."
    if rule.category and rule.category not in ds.categories:
        return (
            f"{where}: kategorien {rule.category!r} findes ikke i data; tilladte: "
            f"{', '.join(ds.categories)}."
        )
    if rule.district and _district_id(ds, rule.district) is None:
        return (
            f"{where}: området {rule.district!r} findes ikke; brug et område-id eller navn fra "
            "områdefilen."
        )
    return None


def _district_id(ds: Dataset, wanted: str) -> str | None:
    if wanted in ds.district_names:
        return wanted
    by_name = {name.casefold(): i for i, name in ds.district_names.items()}
    return by_name.get(wanted.casefold())


def _filters(start: date, end: date, **changes: object) -> Filters:
    return Filters(start=start, end=end, preset="custom").with_(**changes)


def _alert(rule: AlertRule, subject: str, text: str, view: str, filters: Filters) -> Alert:
    period = f"{day(filters.start)}–{day(filters.end)}"
    return Alert(
        key=f"{rule.id}|{filters.start.isoformat()}|{filters.end.isoformat()}|{subject}",
        rule=rule.name,
        kind=rule.kind,
        text=text,
        view=view,
        params=filters.to_params(),
        roles=rule.roles,
        addresses=rule.addresses,
        period=period,
    )


def _rise(ds: Dataset, rule: AlertRule) -> list[Alert]:
    start, end = rule_period(ds, rule)
    district = _district_id(ds, rule.district or "")
    categories = (rule.category,) if rule.category else ()
    night = (NIGHTS, NIGHT_START, NIGHT_END) if rule.view == "natteliv" else None
    table = district_count_changes(ds, start=start, end=end, categories=categories, night=night)
    row = table.loc[table["district_id"] == district]
    if row.empty:
        return []
    row = row.iloc[0]
    change = float(row["change_pct"])
    if not (row["significant"] and row["change_class"] == UP and np.isfinite(change)):
        return []
    if change * 100 < (rule.over_pct or 0):
        return []
    what = rule.category or "hændelser"
    hours = " om natten (fredag og lørdag kl. 22–06)" if night else ""
    text = (
        f"{what.capitalize()}{hours} i {row['district_name']} steg {signed_percent(change)}: "
        f"{count_text(int(row['incidents']))} mod {count_text(int(row['previous_incidents']))} "
        f"samme periode sidste år ({day(start)}–{day(end)}). Stigningen er markant (mere end "
        f"tilfældig variation) og over reglens {number(rule.over_pct)} %."
    )
    filters = _filters(start, end, categories=categories, district=district)
    return [_alert(rule, str(district), text, rule.view, filters)]


def hotspot_series(ds: Dataset, rule: AlertRule) -> tuple[str, date, date]:
    """The step and the first and last day of a ``ny_hotspot`` rule's series: the rule's
    period as steps (:data:`HOTSPOT_STEPS`), :data:`SERIES_STEPS` of them back from the last
    day with data."""
    step = HOTSPOT_STEPS[rule.period]
    end = ds.incident_span[1]
    months = STEP_MONTHS[step] * SERIES_STEPS
    start = pd.Timestamp(end) + timedelta(days=1) - pd.DateOffset(months=months)
    return step, start.date(), end


def _new_hotspot(ds: Dataset, rule: AlertRule) -> list[Alert]:
    """Cells that are a new hot spot in the final step (emerging hot spots' ``new_hot``).

    Raises
    ------
    UsageError
        When the data give fewer steps than emerging hot spots need.
    """
    step, start, end = hotspot_series(ds, rule)
    categories = (rule.category,) if rule.category else ()
    found = emerging_hotspots(
        ds, step=step, start=start, end=end, categories=categories, size=rule.cell
    )
    new = found.category == NEW_HOT
    cells = sorted(str(c) for c in found.ids[new])
    if not cells:
        return []
    final = parse_period(found.periods[-1])
    first_day = final.days()[0] if final else start
    named = ", ".join(cells[:CELLS_NAMED]) + (" …" if len(cells) > CELLS_NAMED else "")
    what = f" med {rule.category}" if rule.category else ""
    count = "et nyt hotspot" if len(cells) == 1 else f"{number(len(cells))} nye hotspots"
    text = (
        f"{count.capitalize()}{what} i {rule.cell}-celler i {period_label(found.periods[-1])} "
        f"({day(first_day)}–{day(end)}), som ikke var hotspots i nogen af perioderne før "
        f"({period_label(found.periods[0])}–{period_label(found.periods[-2])}): {named}"
        + ("" if named.endswith("…") else ".")
    )
    filters = _filters(first_day, end, categories=categories, cell=rule.cell)
    return [_alert(rule, ",".join(cells), text, "analyse", filters)]


def _below_target(ds: Dataset, rule: AlertRule) -> list[Alert]:
    start, end = rule_period(ds, rule)
    initiative, indicator = next((i, x) for i, x in all_indicators() if x.id == rule.indicator)
    filters = _filters(start, end)
    if indicator.area != "district":
        areas = [TOTAL_ID]
    elif rule.district:
        areas = [_district_id(ds, rule.district) or rule.district]
    else:
        areas = sorted(ds.district_names)
    alerts = []
    for area in areas:
        summary = summarise(ds, indicator, filters, area_id=area, initiative=initiative)
        if summary.status != OFF_TRACK or summary.suppressed:
            continue
        shown = _value(summary.value, indicator.unit)
        target = _value(summary.target, indicator.unit)
        text = (
            f"{indicator.label} i {area_name(ds, area, indicator)}: {shown} i {summary.period}, "
            f"under målet {target} ({initiative.title})."
            if indicator.higher_is_better
            else f"{indicator.label} i {area_name(ds, area, indicator)}: {shown} i "
            f"{summary.period}, over målet {target} ({initiative.title})."
        )
        page_filters = filters.with_(initiative=initiative.slug)
        subject = f"{area}|{summary.period}"
        alerts.append(_alert(rule, subject, text, f"indsats/{initiative.slug}", page_filters))
    return alerts


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    return percent(value, 1) if unit == "andel" else number(value, 1)
