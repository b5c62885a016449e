"""Danish number and date formats: 1.234 · 12,5 % · 25.11.2026."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime

import numpy as np
import pandas as pd

MONTHS_DA = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
WEEKDAYS_DA = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


#: The minus sign of every number in text: the typographic one, as in print (never '-').
MINUS = "−"


def number(value: float | int | None, decimals: int = 0) -> str:
    """1234.5 → '1.234,5', -3 → '−3' (Danish thousands dot, decimal comma, a real minus);
    missing → '–'."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return _danish(f"{value:,.{decimals}f}")


def numbers(values: Iterable[float | int | None], decimals: int = 0) -> list[str]:
    """:func:`number` of every value of a column, in one pass: the marks are swapped in one
    joined text, not per cell (an analyst's table of 70 000 cells took 80 ms, now 30 ms)."""
    floats = pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce")
    if floats.empty:
        return []
    array = floats.to_numpy(dtype="float64", na_value=np.nan)
    spec = f",.{decimals}f"
    joined = "\n".join([format(v, spec) for v in array.tolist()])
    joined = joined.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    texts = joined.replace("-", MINUS).split("\n")
    negative_zero = MINUS + _danish(format(0.0, spec))  # '−0,00' is written '0,00'
    if negative_zero in texts:
        texts = [t[1:] if t == negative_zero else t for t in texts]
    for i in np.flatnonzero(~np.isfinite(array)).tolist():
        texts[i] = "–"
    return texts


_DANISH_MARKS = str.maketrans({",": ".", ".": ","})


def _danish(text: str) -> str:
    """'-1,234.50' (Python's format) → '−1.234,50'; '-0.00' → '0,00'."""
    if text.startswith("-"):
        text = text[1:] if float(text[1:].replace(",", "")) == 0 else MINUS + text[1:]
    return text.translate(_DANISH_MARKS)


def either(values: list[str]) -> str:
    """The choices of an error message in Danish: ['a', 'b', 'c'] → 'a, b eller c'."""
    return ", ".join(values[:-1]) + f" eller {values[-1]}" if len(values) > 1 else values[0]


def short_number(value: float) -> str:
    """As few decimals as the value needs, Danish: 54.3 → '54,3', 58.0 → '58', 15.5 → '15,5'
    (for ranges in messages; at most six decimals)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return number(value, len(text.partition(".")[2]))


def signed_number(value: float | None, decimals: int = 0) -> str:
    """3.7 → '+3,7', -0.2 → '−0,2', 0 → '±0' (a change in its own unit)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    shown = number(abs(value), decimals)
    zero = round(abs(value), decimals) == 0
    return f"{'±' if zero else '+' if value > 0 else MINUS}{shown}"


def metric_delta(delta: str | None) -> tuple[str | None, str]:
    """A key figure's change as the page's metric shows it: the text as written (with '−')
    and the arrow ('up', 'down', or 'off' when there is no change to show)."""
    if not delta or delta[0] not in "+" + MINUS:
        return None, "off"
    return delta, "up" if delta[0] == "+" else "down"


def percent(share: float | None, decimals: int = 1) -> str:
    """0.125 → '12,5 %'."""
    if share is None or (isinstance(share, float) and not math.isfinite(share)):
        return "–"
    return f"{number(share * 100, decimals)} %"


def signed_percent(change: float | None, decimals: int = 0) -> str:
    """0.12 → '+12 %', -0.05 → '−5 %' (a real minus sign, as in print)."""
    if change is None or (isinstance(change, float) and not math.isfinite(change)):
        return "–"
    shown = round(abs(change) * 100, decimals)
    if shown == 0 and change != 0:
        decimals += 1  # "−0 %" says nothing; "−0,4 %" does
        shown = round(abs(change) * 100, decimals)
    sign = "+" if change > 0 and shown else "−" if change < 0 and shown else "±"
    return f"{sign}{number(abs(change) * 100, decimals)} %"


def day(value: date | datetime) -> str:
    """A date as 25.11.2026."""
    return value.strftime("%d.%m.%Y")


def month_name(value: date | datetime) -> str:
    return f"{MONTHS_DA[value.month - 1]} {value.year}"
