"""The Danish text alternatives of maps and charts (pure functions)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tryg_geo.views.alt_text import (
    map_sentence,
    trend_sentence,
    view_map_text,
    view_trend_texts,
)
from tryg_geo.views.registry import MAIN_VIEWS, build_view, default_filters


# ---- text alternatives ------------------------------------------------------------------------
def test_map_sentence_names_highest_and_lowest_and_counts_hidden() -> None:
    text = map_sentence(
        ["Vestbyen", "Hals", "Nibe", "Vodskov", "Klarup"],
        [5.1, 0.8, math.nan, 2.0, math.nan],
        ["5,1", "0,8", "<5", "2,0", "Ingen data"],
        what="anmeldte hændelser pr. 1.000 indbyggere",
        hidden=[False, False, True, False, False],
    )
    assert text == (
        "Kortet viser anmeldte hændelser pr. 1.000 indbyggere for 5 områder. "
        "Højest: Vestbyen med 5,1 og Vodskov med 2,0. Lavest: Hals med 0,8. "
        "1 område vises som <5. 1 område uden data."
    )


def test_map_sentence_never_names_a_hidden_value() -> None:
    """A hidden value is not used, even when the caller passes its real number."""
    text = map_sentence(
        ["Skjultby", "B", "C"],
        [3.25, 7.0, 9.0],
        ["<5", "7", "9"],
        what="hændelser",
        noun_plural="celler",
        hidden=[True, False, False],
    )
    assert "Højest: C med 9. Lavest: B med 7." in text
    assert "Skjultby" not in text and "3,25" not in text and "3.25" not in text
    assert "1 celle vises som <5." in text


def test_map_sentence_ties_all_equal_and_nothing_shown() -> None:
    tie = map_sentence(["B", "A", "C"], [4, 4, 1], ["4", "4", "1"], what="x")
    assert "Højest: A med 4 og B med 4. Lavest: C med 1." in tie
    same = map_sentence(["A", "B"], [2, 2], ["2", "2"], what="x", noun_plural="steder")
    assert "Alle 2 steder med tal har 2." in same
    one = map_sentence(
        ["A", "B"], [7, math.nan], ["7", "Ingen data"], what="x", noun_plural="steder"
    )
    assert "Kun A har et tal: 7. 1 sted uden data." in one and "Alle 1" not in one
    none = map_sentence(["A", "B"], [math.nan] * 2, ["<5", "–"], what="x", hidden=[True, False])
    assert "Ingen områder har et tal, der kan vises. 1 område vises som <5." in none


def test_map_sentence_all_hidden_says_so_once(monkeypatch) -> None:
    """Every feature small: one sentence with the limit from the setting, not 'Ingen … kan
    vises' followed by 'N vises som <N'."""
    monkeypatch.setenv("TRYG_MIN_COUNT", "10")
    text = map_sentence(
        [f"celle {i}" for i in range(52)],
        [math.nan] * 52,
        ["<10"] * 52,
        what="hændelser pr. 100m-celle",
        noun_plural="celler",
        hidden=[True] * 52,
    )
    assert text == (
        "Kortet viser hændelser pr. 100m-celle for 52 celler. "
        "Alle 52 celler har tal under 10 og vises som <10."
    )
    one = map_sentence(["A"], [math.nan], ["<10"], what="x", hidden=[True])
    assert one.endswith("for 1 område. Tallet er under 10 og vises som <10."), one


def test_map_sentence_reads_as_danish_not_as_ranges() -> None:
    """Many districts sharing the lowest count are counted and a few named: no "og 11 til 0
    hændelser" (read: 11 to 0) and no "og 3 til 5 hændelser" (read: 3 to 5)."""
    names = ["Vejgaard", "Centrum", "Øst", "Vest", *(f"By {i:02d}" for i in range(14))]
    values = [74, 61, 55, 20, *([0] * 14)]
    labels = [f"{v} hændelser" for v in values]
    text = map_sentence(names, values, labels, what="anmeldte hændelser")
    assert (
        "Højest: Vejgaard med 74 hændelser, Centrum med 61 hændelser og Øst med 55 hændelser. "
        "Lavest: 14 områder med 0 hændelser, bl.a. By 00, By 01 og By 02."
    ) in text
    assert " til " not in text
    few = map_sentence(["A", "B", "C"], [9, 5, 5], ["9", "5", "5"], what="x")
    assert "Lavest: B og C, begge med 5." in few


def test_map_sentence_tells_complementary_from_small(monkeypatch) -> None:
    """A district hidden only to protect a small one is "skjult" with the reason, not "<5";
    with the limit at 10 no "<5" appears."""
    monkeypatch.setenv("TRYG_MIN_COUNT", "10")
    text = map_sentence(
        ["A", "B", "C", "D"],
        [40, 3, 12, 0],
        ["40 hændelser", "<10 hændelser", "skjult", "0 hændelser"],
        what="anmeldte hændelser",
        hidden=[False, True, True, False],
        complementary=[False, False, True, False],
    )
    assert "1 område vises som <10. " in text
    assert text.endswith("1 område er skjult, så en lille optælling ikke kan regnes ud af totalen.")
    assert "12" not in text and "<5" not in text and "3 " not in text


def test_trend_sentence_years_shares_and_gaps() -> None:
    data = pd.DataFrame(
        {
            "period": pd.to_datetime(["2022-01-01", "2023-01-01", "2024-01-01", "2025-01-01"]),
            "series": "Hele kommunen",
            "value": [0.9, 0.95, math.nan, 0.912],
        }
    )
    text = trend_sentence("Trygge over tid", data, "andel")
    assert text == (
        "Trygge over tid. Hele kommunen: fra 90,0 % i 2022 til 91,2 % i 2025; "
        "højest 95,0 % i 2023, lavest 90,0 % i 2022; 1 periode uden vist tal."
    )


def test_trend_sentence_quarters_months_and_empty() -> None:
    quarters = pd.DataFrame(
        {
            "period": pd.to_datetime(["2024-01-01", "2024-04-01", "2024-07-01"]),
            "series": "Vold",
            "value": [12.0, 7.0, 20.0],
        }
    )
    text = trend_sentence("Hændelser", quarters, "antal")
    assert "fra 12 i 1. kvt. 2024 til 20 i 3. kvt. 2024" in text
    months = quarters.assign(period=pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]))
    assert "til 20 i marts 2024" in trend_sentence("Hændelser", months, "antal")
    empty = quarters.assign(value=math.nan)
    assert trend_sentence("Hændelser", empty, "antal") == (
        "Hændelser: der er for få tal til at vise en udvikling."
    )


# ---- from a view, on the demo data ------------------------------------------------------------
#: Every main view of the registry and one initiative view.
VIEW_KEYS = [v.key for v in MAIN_VIEWS] + ["indsats/tryg-bydel"]


@pytest.mark.parametrize("key", VIEW_KEYS)
def test_every_map_and_chart_has_a_text_alternative(demo_ds, key: str) -> None:
    view = build_view(key, demo_ds, default_filters(demo_ds, {"preset": "all"}))
    assert view.map is not None
    text = view_map_text(view)
    assert text.startswith("Kortet viser ")
    texts = view_trend_texts(view)
    assert len(texts) == len(view.trends)
    for trend, sentence in zip(view.trends, texts, strict=True):
        assert sentence.startswith(trend.title)


@pytest.mark.parametrize("key", VIEW_KEYS)
def test_map_text_names_the_extremes_shown_and_no_hidden_place(demo_ds, key: str) -> None:
    view = build_view(key, demo_ds, default_filters(demo_ds, {"preset": "all"}))
    text = view_map_text(view)
    if view.map.kind == "cells" and "suppressed" not in view.table:
        # Classes without counts (Analyse's Gi* hotspots): no extremes to name; the text
        # counts the cells drawn per class instead.
        assert "celler er tegnet (" in text, text
        return
    if view.map.kind == "cells":  # from the table, the numbers of the CSV
        table = view.table
        shown = table[~table["suppressed"].astype(bool)]
        top = shown.loc[pd.to_numeric(shown["incidents"]).idxmax()]
        assert f"Højest: celle {top['cell_id']}" in text or "Alle " in text
        hidden = table[table["suppressed"].astype(bool)]
        assert all(f"celle {c} " not in text for c in hidden["cell_id"])
        if len(hidden):
            assert f"{len(hidden)} celle" in text
        return
    features = view.map.features
    hidden = features["label"].astype(str).str.startswith("<")
    for name in features.loc[hidden, "name"]:
        assert f"Højest: {name} " not in text and f"lavest: {name} " not in text
    shown = features[~hidden].dropna(subset=["value"])
    if len(shown) > 1 and shown["value"].nunique() > 1:
        top = shown.loc[shown["value"].idxmax()]
        assert f"Højest: {top['name']}" in text or f"og {top['name']}" in text
        assert top["label"] in text


def test_trend_sentence_names_hidden_periods_even_when_none_is_shown(monkeypatch) -> None:
    """A chart whose every month is hidden still says how many, and why: small months as
    '<10' (limit 10), months hidden only to protect them as 'skjult, så …'; no number."""
    monkeypatch.setenv("TRYG_MIN_COUNT", "10")
    data = pd.DataFrame(
        {
            "period": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]),
            "series": "Hele kommunen",
            "value": [math.nan] * 3,
            "suppressed": [True, True, True],
            "complementary": [False, False, True],
        }
    )
    text = trend_sentence("Hændelser pr. måned", data, "antal")
    assert text == (
        "Hændelser pr. måned: der er for få tal til at vise en udvikling (2 perioder vises "
        "som <10; 1 periode er skjult, så en lille optælling ikke kan regnes ud af totalen)."
    )
    shown = data.assign(value=[12.0, 15.0, math.nan], suppressed=[False, False, True])
    mixed = trend_sentence("Hændelser pr. måned", shown, "antal")
    assert "1 periode er skjult, så en lille optælling" in mixed and "<10" not in mixed
