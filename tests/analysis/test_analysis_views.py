"""The analyses inside the views: Tryg bydel's map modes, Natteliv's Hotspots layer, Analyse."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
from analysis_data import X0, Y0, dataset, raw_incidents, square_districts

from tryg_geo.analysis.change import DOWN, NOT_TESTED, UP
from tryg_geo.analysis.hotspots import HOTSPOT_CLASSES
from tryg_geo.compute.filters import Filters
from tryg_geo.render import csv_export
from tryg_geo.views.registry import build_view, default_filters

YEAR = dict(start=date(2024, 1, 1), end=date(2024, 12, 31), indicator="haendelser_pr_1000")
SMALL_COUNT = re.compile(r"(?<![\d.,])[1-4] hændelser")


def _changes_dataset():
    districts = square_districts(4, 1)
    counts = {"d00": (60, 120), "d01": (50, 52), "d02": (80, 30), "d03": (10, 3)}
    xs, ys, when = [], [], []
    for k, (before, now) in enumerate(counts.values()):
        for n, year in ((before, 2023), (now, 2024)):
            xs += [X0 + 1_000 * k + 500] * n
            ys += [Y0 + 500] * n
            when += [f"{year}-06-15 12:00"] * n
    return dataset(districts, raw_incidents(xs, ys, when, "vold"))


def test_tryg_bydel_change_mode_colours_tested_changes():
    ds = _changes_dataset()
    view = build_view("tryg-bydel", ds, Filters(**YEAR, extra={"kort": "aendring"}))
    assert view.map.legend.title.startswith("Ændring mod året før")
    labels = dict(zip(view.map.features["feature_id"], view.map.features["label"], strict=True))
    assert labels["d00"].startswith(UP) and "+100 %" in labels["d00"]
    assert labels["d02"].startswith(DOWN)
    assert labels["d03"].startswith(NOT_TESTED) and not SMALL_COUNT.search(labels["d03"])
    table = view.table.set_index("district_id")
    assert table.loc["d00", "change_class"] == UP and bool(table.loc["d00", "significant"])
    assert not csv_export.suppression_problems(csv_export.csv_table(view))
    assert any("Benjamini–Hochberg" in n for n in view.notes)


def test_tryg_bydel_hotspot_mode_names_every_class_in_the_legend():
    ds = _changes_dataset()
    view = build_view("tryg-bydel", ds, Filters(**YEAR, extra={"kort": "hotspots"}))
    assert [label for _, label in view.map.legend.entries] == list(reversed(HOTSPOT_CLASSES))
    assert set(view.table["hotspot_class"]) <= set(HOTSPOT_CLASSES)
    assert all(label.split(" · ")[0] in HOTSPOT_CLASSES for label in view.map.features["label"])


def test_natteliv_hotspot_layer_shows_classes_never_small_counts(demo_ds):
    plain = build_view("natteliv", demo_ds, default_filters(demo_ds, {"preset": "all"}))
    params = {"preset": "all", "celle": "1km", "lag": "hotspots"}
    view = build_view("natteliv", demo_ds, default_filters(demo_ds, params))
    assert [label for _, label in view.map.legend.entries] == list(reversed(HOTSPOT_CLASSES))
    assert len(view.map.features)  # the demo's nightlife clusters are significant
    for label in view.map.features["label"]:
        assert label.split(" · ")[0] in HOTSPOT_CLASSES
        assert not SMALL_COUNT.search(label), label
    assert any("Gi*" in n for n in view.notes)
    assert list(view.table.columns) == list(plain.table.columns)  # the CSV stays the counts


def test_analyse_view_csv_and_map(demo_ds):
    view = build_view(
        "analyse", demo_ds, default_filters(demo_ds, {"preset": "all", "celle": "1km"})
    )
    table = csv_export.csv_table(view)
    assert not csv_export.suppression_problems(table)
    assert {"space_from_m", "knox_ratio", "p_value", "source"} <= set(table.columns)
    observed = table["observed"].dropna()
    assert ((observed == 0) | (observed >= 5)).all()
    # Where the observed pairs are hidden, so is the ratio (ratio × expected gives them back).
    assert table.loc[table["observed"].isna(), "knox_ratio"].isna().all()
    first_hidden = pd.isna(table["observed"].iloc[0])
    assert view.highlights[0].startswith(
        "Der er for få par af hændelser" if first_hidden else "Efter et indbrud"
    )
    assert view.map.legend.entries[-1][1] == "Hot spot 99 %"


def test_overblik_highlights_adjust_p_values_across_initiatives():
    """p = 0,04 alone is markant; beside 19 unremarkable headline numbers it is not (BH)."""
    from types import SimpleNamespace

    from tryg_geo.views.overblik import highlights

    def summary(title: str, p: float, significant: bool) -> SimpleNamespace:
        return SimpleNamespace(
            significant=significant,
            p_value=p,
            change=0.2,
            change_unit="relativ",
            initiative=SimpleNamespace(title=title),
            indicator=SimpleNamespace(label="Hændelser", higher_is_better=False),
        )

    one = [summary("Alfa", 0.04, True)]
    assert highlights(one)[0].startswith("Alfa – Hændelser: 20 % flere")
    crowd = one + [summary(f"Indsats {i}", 0.5, False) for i in range(19)]
    assert not any(h.startswith("Alfa") for h in highlights(crowd))
    strong = [summary("Alfa", 0.0001, True)] + crowd[1:]
    assert highlights(strong)[0].startswith("Alfa")


def test_a_hidden_pair_count_cannot_be_worked_back_from_the_knox_ratio():
    """Seen in a new user's trial: '4,87 (<5/0,2)' gave 4,87 × 0,2 ≈ 1 pair. A cell whose
    observed pairs are hidden shows no ratio anywhere: table, KPI, reading, CSV."""
    import numpy as np

    from tryg_geo.analysis.near_repeat import KnoxTable
    from tryg_geo.views.analyse import knox_csv_table, knox_display, knox_kpi

    observed = np.full((2, 2), 40)
    observed[0, 0] = 1
    expected = np.full((2, 2), 20.0)
    expected[0, 0] = 0.2
    table = KnoxTable((100.0,), (7,), observed, expected, np.full((2, 2), 0.01), 99, 1, 60)
    shown = knox_display(table, detail=True)
    first = shown.iloc[0, 1]
    assert first.startswith("<5 par") and "5,00" not in first and "*" not in first
    assert shown.iloc[1, 2].startswith("2,00 *")  # others keep their ratio and mark
    assert knox_kpi(table).value == "–"
    assert "for få par" in table.reading()
    csv = knox_csv_table(table, "kilde")
    assert np.isnan(csv.loc[0, "knox_ratio"]) and pd.isna(csv.loc[0, "observed"])
    assert csv.loc[0, "significant"] == "nej" and csv.loc[3, "knox_ratio"] == 2.0


def test_the_category_note_says_what_the_analysis_counts():
    """Found in a new user's trial: 'analysen bruger indbrud i beboelse' was said over data
    without any burglary, where every category was counted."""
    from tryg_geo.views.analyse import _category_note

    assert _category_note(("vold",), ("vold",)) == []
    assert _category_note((), ("indbrud i beboelse",)) == [
        "Ingen kategori valgt: analysen bruger indbrud i beboelse."
    ]
    assert "analysen bruger alle" in _category_note((), ())[0]
