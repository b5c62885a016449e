"""Every word a view shows, gathered in one place for the agreement tests."""

from __future__ import annotations

import re

import pandas as pd

from tryg_geo.views.alt_text import view_map_text, view_trend_texts
from tryg_geo.views.model import View

#: Words of English UI text (Streamlit's own, Python's and pandas' values) that must never
#: reach a Danish user.
ENGLISH = (
    "Upload",
    "Download",
    "Browse files",
    "per file",
    "Running",
    "Loading",
    "Stop",
    "Error",
    "Warning",
    "Total",
    "missing",
    "no data",
)
#: Import reason codes are snake_case English; a user sees their Danish text.
REASON_CODE = re.compile(r"\b(missing|impossible|unparseable|future|outside|not)_[a-z_]+\b")


def view_texts(view: View) -> list[str]:
    """Every text of the view as a user reads it (page, PNG, text alternatives)."""
    texts = [view.title, view.subtitle, view.missing or ""]
    for kpi in view.kpis:
        texts += [kpi.label, kpi.value, kpi.delta or "", kpi.help or ""]
    texts += view.notes + view.highlights
    if view.display is not None:
        texts += [str(c) for c in view.display.columns]
        texts += [str(v) for v in view.display.to_numpy().ravel() if isinstance(v, str)]
    if view.map is not None:
        texts.append(view.map.legend.title)
        texts += [label for _, label in view.map.legend.entries]
        texts += [str(t) for t in view.map.features["label"]]
        texts.append(view_map_text(view) or "")
    texts += [t.title for t in view.trends] + view_trend_texts(view)
    return [t for t in texts if t]


#: A whole number of four or more digits written without the thousands dot; years
#: (1900–2099), grid-cell names (100m_63234_5557) and clock times are not numbers to format.
UNGROUPED = re.compile(r"(?<![\d.,_/:])(\d{4,})(?![\d_])")
#: A negative number written with the ASCII hyphen-minus instead of '−'.
HYPHEN_MINUS = re.compile(r"(?<![\w\d.–-])-\s?\d")


def format_problems(text: str) -> list[str]:
    """What in ``text`` breaks the one Danish number format."""
    problems = []
    for match in UNGROUPED.finditer(text):
        value = int(match.group(1))
        if not (1900 <= value <= 2099 and len(match.group(1)) == 4):
            problems.append(f"{match.group(1)!r} uden tusindtalspunktum")
    if HYPHEN_MINUS.search(text):
        problems.append("minus skrevet som '-' (skal være '−')")
    return problems


#: Python's and pandas' values printed as text.
RAW_VALUES = {"None", "nan", "NaN", "NaT", "<NA>", "True", "False"}


def english_words(text: str) -> list[str]:
    if text.strip() in RAW_VALUES:
        return [text.strip()]
    found = [w for w in ENGLISH if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]
    return found + REASON_CODE.findall(text)


def numbers_in(text: str) -> list[float]:
    """The Danish numbers written in ``text`` ('1.234,5' → 1234.5; '−3' → -3)."""
    out = []
    for match in re.finditer(r"[−-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?|[−-]?\d+(?:,\d+)?", text):
        raw = match.group(0).replace("−", "-").replace(".", "").replace(",", ".")
        out.append(float(raw))
    return out


def as_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)
