"""Danish texts for indicator summaries shared by the views: periods, changes, targets."""

from __future__ import annotations

import numpy as np

from .. import fmt
from ..compute.indicators import HeadlineSummary, unit_decimals
from .mapspec import NO_DATA_TEXT, value_text


def change_text(summary: HeadlineSummary) -> str:
    """The change in Danish: '+12 %', '−2,1 procentpoint', '+1,5 point' or '–'."""
    change = summary.change
    if change is None or not np.isfinite(change):
        return "–"
    if summary.change_unit == "relativ":
        return fmt.signed_percent(change)
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    size = abs(change) * 100 if summary.change_unit == "procentpoint" else abs(change)
    return f"{sign}{fmt.number(size, 1)} {summary.change_unit}"


def change_sentence(summary: HeadlineSummary, name: str) -> str:
    """'Vold i nattelivet: 12 % færre end samme periode sidste år (en forbedring).'"""
    change = summary.change
    if summary.change_unit == "relativ":
        direction = "flere" if change > 0 else "færre"
        size = fmt.percent(abs(change), 0)
    else:
        direction = "højere" if change > 0 else "lavere"
        amount = abs(change) * 100 if summary.change_unit == "procentpoint" else abs(change)
        size = f"{fmt.number(amount, 1)} {summary.change_unit}"
    better = (change > 0) == summary.indicator.higher_is_better
    verdict = "en forbedring" if better else "en forværring"
    return f"{name}: {size} {direction} end samme periode sidste år ({verdict})."


# ---- texts shared by the views -----------------------------------------------------------------
UNIT_SUFFIX: dict[str, str] = {"pr_1000": " pr. 1.000", "personer": " personer", "timer": " timer"}


def summary_text(summary: HeadlineSummary, *, previous: bool = False) -> str:
    """The latest (or last year's) value as shown, e.g. '87,3 % (n=214)' or '<5'.

    Averages per month or quarter say so ('gns. 191 personer pr. kvartal'), and a unit suffix
    makes a rate or an hour count readable outside its chart.
    """
    value = summary.previous_value if previous else summary.value
    hidden = summary.previous_suppressed if previous else summary.suppressed
    n = summary.previous_n if previous else summary.n
    unit = summary.indicator.unit
    if (previous and summary.previous_period is None) or (not previous and not summary.has_data):
        return NO_DATA_TEXT
    text = value_text(value, unit, suppressed=hidden, n=n if unit == "andel" else None)
    if hidden or not np.isfinite(value):
        return text
    text += UNIT_SUFFIX.get(unit, "")
    if summary.averaged_over:
        text = f"gns. {text} pr. {summary.averaged_over}"
    return text


def target_text(target: float | None, unit: str, higher_is_better: bool) -> str:
    """'mindst 90 %' or 'højst 15 %'; '–' without a target."""
    if target is None:
        return "–"
    shown = fmt.percent(target, 0) if unit == "andel" else fmt.number(target, unit_decimals(unit))
    return f"{'mindst' if higher_is_better else 'højst'} {shown}"
