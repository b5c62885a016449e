"""Text alternatives of maps and charts: short Danish sentences for screen readers, computed
from the numbers of a view.

A hidden value (below the discretion limit) is never named: it is missing (NaN) here and only
counted ("3 områder vises som <5"; one hidden only to protect a small count: "1 område er
skjult, så en lille optælling ikke kan regnes ud af totalen").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from .. import fmt
from ..compute import privacy
from ..compute.breaks import SUPPRESSED_COLOR
from .model import Trend, View

# ---- text alternatives ------------------------------------------------------------------------
#: How many features a sentence names at the top, or among those sharing the lowest value.
NAMED = 3


def _and(parts: Sequence[str]) -> str:
    """'A', 'A og B', 'A, B og C'."""
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " og " + parts[-1]


def _highest(shown: pd.DataFrame, low: float) -> str:
    """'Højest: Vejgaard med 74 hændelser, Centrum med 61 hændelser og Øst med 55 hændelser.'
    (at most :data:`NAMED`, never one of the lowest)."""
    above = shown[shown["value"] > low]
    if len(above) > NAMED:  # sort only the candidates (ties with the last one named included)
        cut = np.partition(above["value"].to_numpy(), -NAMED)[-NAMED]
        above = above[above["value"] >= cut]
    rows = zip(above["value"], above["name"], above["label"], strict=True)
    top = sorted(rows, key=lambda row: (-row[0], row[1]))
    named = [f"{name} med {label}" for _value, name, label in top[:NAMED]]
    return f"Højest: {_and(named)}."


def _lowest(shown: pd.DataFrame, low: float, noun_plural: str) -> str:
    """'Lavest: Hals med 0 hændelser.', 'Lavest: Hals og Nibe, begge med 0 hændelser.' or
    'Lavest: 25 områder med 0 hændelser, bl.a. Frejlev, Gistrup og Hals.'"""
    lowest = shown[shown["value"] == low]
    names, label = sorted(lowest["name"]), lowest["label"].iloc[0]
    if len(names) == 1:
        return f"Lavest: {names[0]} med {label}."
    if len(names) <= NAMED:
        every = "begge" if len(names) == 2 else "alle"
        return f"Lavest: {_and(names)}, {every} med {label}."
    return (
        f"Lavest: {fmt.number(len(names))} {noun_plural} med {label}, bl.a. {_and(names[:NAMED])}."
    )


def _counted(n: int, noun_plural: str, what: str) -> str:
    """'1 område vises som <5.' / '2 områder er skjult, så …': ``n`` features and ``what``."""
    word = noun_plural if n > 1 else _singular(noun_plural)
    return f"{fmt.number(n)} {word} {what}."


def map_sentence(
    names: Sequence[str],
    values: Sequence[float],
    labels: Sequence[str],
    *,
    what: str,
    noun_plural: str = "områder",
    hidden: Sequence[bool] | None = None,
    hidden_text: str | None = None,
    complementary: Sequence[bool] | None = None,
) -> str:
    """A short Danish description of a map for screen readers: what it shows, the highest and
    the lowest shown values and how many are hidden, and why.

    Parameters
    ----------
    names, values, labels
        Per feature: its name, its number (NaN when hidden or without data) and the text shown
        for it on the map (e.g. '5,1' or '87,3 %'); the sentence uses the shown text.
    what
        What the map shows, e.g. 'Anmeldte hændelser pr. 1.000 indbyggere'.
    noun_plural
        'områder', 'celler' or 'steder'.
    hidden
        True per feature whose value is hidden under the discretion limit.
    hidden_text
        The text shown for a hidden value; ``None`` means privacy's '<5'.
    complementary
        True per hidden feature hidden only so that a small count cannot be worked out from
        the total (:func:`tryg_geo.compute.privacy.complementary`): counted apart, with the
        reason, never as '<5'.

    Returns
    -------
    str
        E.g. 'Kortet viser anmeldte hændelser for 25 områder. Højest: Vejgaard med 74
        hændelser og Vestbyen med 61 hændelser. Lavest: Hals med 2 hændelser. 2 områder vises
        som <5.'
    """
    numbers = pd.to_numeric(pd.Series(list(values), dtype="float64"), errors="coerce")
    hide = np.zeros(len(numbers), bool) if hidden is None else np.asarray(hidden, bool)
    protects = (
        np.zeros(len(numbers), bool) if complementary is None else np.asarray(complementary, bool)
    )
    hide = hide | protects
    numbers[hide] = np.nan
    # Plain Python text columns: thousands of cell names made into Arrow strings only to be
    # sorted and cut to three cost more than the rest of the sentence.
    frame = pd.DataFrame(
        {
            "name": pd.Series(list(names), dtype=object),
            "value": numbers,
            "label": pd.Series(list(labels), dtype=object),
        }
    )
    shown = frame.dropna(subset=["value"])
    word = noun_plural if len(frame) != 1 else _singular(noun_plural)
    parts = [f"Kortet viser {what} for {fmt.number(len(frame))} {word}."]
    n_small, n_protecting = int((hide & ~protects).sum()), int(protects.sum())
    secret = hidden_text or privacy.hidden_text()
    if n_small and n_small == len(frame):
        # Every feature is small: one sentence saying so reads better than "none has a number"
        # followed by "all are <5" (the rule in privacy.hidden_rule's words: 'Tal under N').
        limit = privacy.threshold()
        if n_small == 1:
            parts.append(f"Tallet er under {limit} og vises som {secret}.")
        else:
            every = f"Alle {fmt.number(n_small)} {noun_plural}"
            parts.append(f"{every} har tal under {limit} og vises som {secret}.")
        return " ".join(parts)
    if shown.empty:
        parts.append(f"Ingen {noun_plural} har et tal, der kan vises.")
    elif len(shown) == 1:  # "Alle 1 steder" is no Danish: name the one
        only = shown.iloc[0]
        parts.append(f"Kun {only['name']} har et tal: {only['label']}.")
    else:
        top, low = shown["value"].max(), shown["value"].min()
        if top == low:
            every = f"Alle {fmt.number(len(shown))} {noun_plural} med tal"
            parts.append(f"{every} har {shown['label'].iloc[0]}.")
        else:
            parts += [_highest(shown, low), _lowest(shown, low, noun_plural)]
    if n_small:
        parts.append(_counted(n_small, noun_plural, f"vises som {secret}"))
    if n_protecting:
        parts.append(_counted(n_protecting, noun_plural, f"er {privacy.COMPLEMENTARY_WHY}"))
    missing = int((frame["value"].isna() & ~hide).sum())
    if missing:
        parts.append(_counted(missing, noun_plural, "uden data"))
    return " ".join(parts)


def _singular(noun_plural: str) -> str:
    return {"områder": "område", "celler": "celle", "steder": "sted"}.get(noun_plural, noun_plural)


def period_text(stamp: pd.Timestamp, periods: Sequence[pd.Timestamp]) -> str:
    """A period in words, as fine as the series needs: '2024', '3. kvt. 2024' or 'maj 2024'."""
    return period_namer(periods)(stamp)


def period_namer(periods: Sequence[pd.Timestamp]) -> Callable[[pd.Timestamp], str]:
    """:func:`period_text` for the periods of one chart, judged once (a sentence names four
    periods of every series)."""
    stamps = pd.DatetimeIndex(periods)
    if (stamps.month == 1).all() and (stamps.day == 1).all():
        return lambda stamp: str(stamp.year)
    if stamps.month.isin([1, 4, 7, 10]).all() and len(stamps) > 1:
        gaps = np.diff(np.sort(stamps.year * 12 + stamps.month))
        if len(gaps) and (gaps % 3 == 0).all():
            return lambda stamp: f"{(stamp.month - 1) // 3 + 1}. kvt. {stamp.year}"
    return fmt.month_name


def value_text(value: float, unit: str) -> str:
    """A number as the charts show it: shares in percent, rates with one decimal."""
    if unit == "andel":
        return fmt.percent(value)
    if unit in ("pr_1000", "score"):
        return fmt.number(value, 1)
    return fmt.number(value)


def _series_text(
    series: str,
    rows: pd.DataFrame,
    shown: pd.DataFrame,
    unit: str,
    name: Callable[[pd.Timestamp], str],
) -> str:
    """First, last, highest and lowest shown value of one series, and what is not shown.

    Hidden periods (a ``suppressed`` column, counts from 1 to the limit − 1) are named as
    hidden: beside them a shown 0 is not the highest value, and a shown 12 not the lowest.
    """
    first, last = shown.iloc[0], shown.iloc[-1]
    top = shown.loc[shown["value"].idxmax()]
    low = shown.loc[shown["value"].idxmin()]
    hidden, protects = _hidden_periods(rows)
    n_hidden = int(hidden.sum())
    limit, secret = privacy.threshold(), privacy.hidden_text()
    text = (
        f"{series}: fra {value_text(first['value'], unit)} i "
        f"{name(first['period'])} til {value_text(last['value'], unit)} i "
        f"{name(last['period'])}"
    )
    if len(shown) > 2 or n_hidden:
        high_text = f"{value_text(top['value'], unit)} i {name(top['period'])}"
        low_text = f"{value_text(low['value'], unit)} i {name(low['period'])}"
        if n_hidden and top["value"] < limit:
            # A period hidden only to protect a small one may hold more than the limit.
            high_text = (
                "i de skjulte perioder" if protects.any() else f"{secret} i de skjulte perioder"
            )
        if (hidden & ~protects).any() and low["value"] >= limit:
            low_text = f"{secret} i de skjulte perioder"
        text += f"; højest {high_text}, lavest {low_text}"
    text += _hidden_periods_text(hidden, protects)
    gaps = int((rows["value"].isna() & ~hidden).sum())
    if gaps:
        # Without a suppressed column a gap may be hidden or empty: say only that it is not shown.
        why = "uden data" if "suppressed" in rows else "uden vist tal"
        text += f"; {fmt.number(gaps)} {'periode' if gaps == 1 else 'perioder'} {why}"
    return text


def _hidden_periods(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per period: hidden (a ``suppressed`` column), and hidden only to protect a small one
    (a ``complementary`` column, :func:`tryg_geo.compute.privacy.complementary`)."""

    def flag(column: str) -> pd.Series:
        if column not in rows:
            return pd.Series(False, index=rows.index)
        return rows[column].fillna(False).astype(bool)

    hidden = flag("suppressed")
    return hidden, flag("complementary") & hidden


def _hidden_periods_text(hidden: pd.Series, protects: pd.Series) -> str:
    """'; 3 perioder vises som <5; 1 periode er skjult, så …' ('' when none is hidden)."""
    text = ""
    for n, words in (
        (int((hidden & ~protects).sum()), f"vises som {privacy.hidden_text()}"),
        (int(protects.sum()), f"er {privacy.COMPLEMENTARY_WHY}"),
    ):
        if n:
            text += f"; {fmt.number(n)} {'periode' if n == 1 else 'perioder'} {words}"
    return text


def trend_sentence(title: str, data: pd.DataFrame, unit: str) -> str:
    """A short Danish description of a line chart: per series first and last value, highest
    and lowest, and how many periods have no shown number (hidden or without data).

    Parameters
    ----------
    title
        The chart's title.
    data
        Columns ``period`` (datetime), ``series`` (str), ``value`` (float; NaN = hidden or
        no data) and optionally ``suppressed`` (bool: the period is hidden, named as such)
        and ``complementary`` (bool: hidden only to protect a small one, named apart).
    unit
        'andel', 'antal', 'pr_1000', 'personer', 'timer' or 'score'.
    """
    if data.empty or data["value"].notna().sum() == 0:
        # Every period hidden: say so (how many, and why), never a number.
        hidden, protects = _hidden_periods(data)
        told = _hidden_periods_text(hidden, protects).removeprefix("; ")
        return f"{title}: der er for få tal til at vise en udvikling" + (
            f" ({told})." if told else "."
        )
    data = data.assign(period=pd.to_datetime(data["period"])).sort_values("period")
    name = period_namer(list(data["period"].drop_duplicates()))
    parts = [f"{title}."]
    for series, rows in data.groupby("series", sort=False):
        shown = rows.dropna(subset=["value"])
        if shown.empty:
            parts.append(f"{series}: ingen viste tal.")
            continue
        text = _series_text(series, rows, shown, unit, name)
        parts.append(text + ".")
    return " ".join(parts)


NOUNS = {"areas": "områder", "cells": "celler", "places": "steder"}


def view_map_text(view: View) -> str | None:
    """The text alternative of a view's map (None when it has none).

    Areas and places are described from the map's own features (their shown value and text);
    grid cells from the view's table, the numbers of the CSV, since the map merges hidden and
    quiet cells into shared shapes. A map whose builder words its own text alternative
    (:attr:`MapSpec.description`, the emerging hot spots' patterns) has that one.
    """
    spec = view.map
    if spec is None:
        return None
    if spec.description:
        return spec.description
    what = spec.legend.title[:1].lower() + spec.legend.title[1:]
    hidden_text = privacy.hidden_text()
    table = view.table
    if spec.kind == "cells" and {"cell_id", "incidents", "suppressed"} <= set(table.columns):
        counts = pd.to_numeric(table["incidents"], errors="coerce").astype("float64")
        # Thousands of cells, most of them hidden: only the shown counts are formatted, and
        # the ids are read as plain Python strings once (not one Arrow scalar at a time).
        shown = np.isfinite(counts.to_numpy())
        labels = np.full(len(counts), hidden_text, dtype=object)
        labels[shown] = [f"{text} hændelser" for text in fmt.numbers(counts.to_numpy()[shown])]
        return map_sentence(
            ["celle " + c for c in table["cell_id"].astype(str).to_numpy(dtype=object)],
            counts,
            labels.tolist(),
            what=what,
            noun_plural="celler",
            hidden=table["suppressed"].astype(bool).to_numpy(),
            hidden_text=hidden_text,
            complementary=_complementary(table),
        )
    if spec.kind == "cells" and "value" not in spec.features:
        return class_map_sentence(spec, what)
    features = spec.features
    labels = features["label"].astype(str)
    values = (
        features["value"].astype("float64")
        if "value" in features
        else pd.Series(np.nan, index=features.index)
    )
    # Hidden: the label says "<5", or the area is grey without a number; of those, the ones
    # reading "skjult" are hidden only to protect a small count (privacy.hidden_label).
    grey = (features["color"].astype(str) == SUPPRESSED_COLOR).to_numpy() & values.isna().to_numpy()
    hidden = labels.str.startswith(hidden_text).to_numpy() | grey
    protecting = hidden & labels.str.lower().str.startswith(privacy.COMPLEMENTARY_TEXT).to_numpy()
    return map_sentence(
        features["name"].astype(str).tolist(),
        values,
        labels.tolist(),
        what=what,
        noun_plural=NOUNS.get(spec.kind, "områder"),
        hidden=hidden,
        hidden_text=hidden_text,
        complementary=protecting,
    )


def _complementary(table: pd.DataFrame) -> np.ndarray | None:
    """The table's ``complementary`` column (hidden only to protect a small count), if any."""
    if "complementary" not in table:
        return None
    return table["complementary"].fillna(False).astype(bool).to_numpy()


def class_map_sentence(spec, what: str) -> str:
    """A map of classes (Gi* hot and cold spots): how many drawn shapes fall in each class,
    so the text and the drawing say the same."""
    classes = [label for _, label in spec.legend.entries]
    labels = spec.features["label"].astype(str)
    counts = {c: int(labels.str.startswith(c).sum()) for c in classes}
    drawn = {c: n for c, n in counts.items() if n}
    if not drawn:
        return f"Kortet viser {what}: ingen celler er tegnet (ingen hot eller cold spots)."
    listed = ", ".join(f"{c}: {fmt.number(n)}" for c, n in drawn.items())
    return f"Kortet viser {what}: {fmt.number(sum(drawn.values()))} celler er tegnet ({listed})."


def trend_text(trend: Trend) -> str:
    """The text alternative of one trend chart (a function of the trend alone, so a page can
    keep it for a trend that a filter change left as it was)."""
    return trend_sentence(trend.title, trend.data, trend.unit)


def view_trend_texts(view: View) -> list[str]:
    """One text alternative per trend chart of the view, in the order they are drawn."""
    return [trend_text(t) for t in view.trends]
