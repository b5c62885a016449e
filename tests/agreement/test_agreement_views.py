"""Agreement: what one part of a view says, every other part says too — on the demo data and
after a real-format police import (tests/agreement/conftest.py builds both once).

Each test names the finding of issue 20 it guards; all of them failed on main at b02c1b3.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import texts as T

from tryg_geo.compute import privacy
from tryg_geo.compute.breaks import NO_DATA_COLOR, SUPPRESSED_COLOR

DATA = ("demo", "import")


# ---- finding 3: Overblik's KPI and its highlights use one test --------------------------------
@pytest.mark.parametrize("data", DATA)
def test_overblik_kpi_equals_highlights_and_table(by_key, data):
    view = by_key[(data, "overblik")].view
    kpi = next(k for k in view.kpis if k.label == "Markante ændringer")
    marked = int(kpi.value)
    assert marked == int(view.table["significant"].sum())
    assert marked == int((view.display["Markant ændring"] == "Ja").sum())
    named = [h for h in view.highlights if "end samme periode sidste år (en " in h]
    if marked == 0:
        assert not named
        assert any("normale variation" in h or "ikke tal nok" in h for h in view.highlights)
    else:
        assert len(named) == min(marked, 5), (marked, view.highlights)
        assert not any(h.startswith("Ingen af indsatsernes") for h in view.highlights)


# ---- finding 4: a trend text never hides hidden months behind "højest 0" -----------------------
@pytest.mark.parametrize("data", DATA)
def test_byens_rum_trend_texts_agree_with_totals(by_key, data):
    from tryg_geo.views.alt_text import trend_sentence
    from tryg_geo.views.registry import default_filters

    built = by_key[(data, "byens-rum")]
    filters = default_filters(built.ds)
    first = pd.Timestamp(filters.start).to_period("M").start_time
    table = built.view.table.set_index("place_name")
    hidden = privacy.hidden_text()
    for trend in built.view.trends:
        sentence = trend_sentence(trend.title, trend.data, trend.unit)
        row = table.loc[trend.title]
        months = trend.data.assign(period=pd.to_datetime(trend.data["period"]))
        inside = months[
            (months["period"] >= first) & (months["period"] <= pd.Timestamp(filters.end))
        ]
        shown_sum = float(np.nansum(inside["value"]))
        total = row["value"]
        gaps = trend.data["value"].isna().any()
        untold = bool(row["value_suppressed"]) or (np.isfinite(total) and total > shown_sum)
        if gaps and untold:
            assert hidden in sentence, sentence
        top = trend.data["value"].max()
        if gaps and np.isfinite(total) and total > 0 and top == 0:
            assert f"højest {hidden}" in sentence or "højest 0" not in sentence, sentence


@pytest.mark.parametrize("data", DATA)
def test_every_trend_text_names_hidden_periods(built, data):
    from tryg_geo.views.alt_text import trend_sentence

    hidden = privacy.hidden_text()
    for b in (b for b in built if b.data == data):
        for trend in b.view.trends:
            if "suppressed" not in trend.data:
                continue
            sentence = trend_sentence(trend.title, trend.data, trend.unit)
            n = int(trend.data["suppressed"].fillna(False).astype(bool).sum())
            if n:
                assert hidden in sentence, (b.key, sentence)


def test_byens_rum_trends_say_which_months_are_hidden(by_key):
    trends = by_key[("demo", "byens-rum")].view.trends
    assert trends and all("suppressed" in t.data for t in trends)


# ---- finding 5: the map text never contradicts the map; Gi* needs enough events ---------------
def _class_features(spec) -> int:
    colours = spec.features["color"].astype(str)
    return int((~colours.isin([NO_DATA_COLOR, SUPPRESSED_COLOR])).sum())


@pytest.mark.parametrize("data", DATA)
def test_map_text_agrees_with_what_is_drawn(built, data):
    from tryg_geo.views.alt_text import view_map_text

    for b in (b for b in built if b.data == data and b.view.map is not None):
        text = view_map_text(b.view)
        drawn = _class_features(b.view.map)
        if drawn:
            assert "har et tal, der kan vises" not in text, (b.key, text)
        for count in re.findall(r"(\d[\d.]*) \w+ uden data", text):
            no_data = int((b.view.map.features["color"] == NO_DATA_COLOR).sum())
            cells = "incidents" in b.view.table and b.view.map.kind == "cells"
            assert cells or int(count.replace(".", "")) <= no_data, (b.key, text)
        if b.view.map.kind == "cells" and "hotspot_class" in b.view.table:
            assert "uden data" not in text, (b.key, text)


def test_analyse_needs_enough_events(by_key):
    from tryg_geo.analysis import hotspots

    minimum = getattr(hotspots, "MIN_EVENTS", 30)
    view = by_key[("import", "analyse")].view
    incidents = int(re.search(r"\((\d[\d.]*) hændelser\)", " ".join(view.highlights)).group(1))
    assert incidents < minimum
    assert view.map is None or _class_features(view.map) == 0
    assert any(str(minimum) in n and "hændelser" in n for n in view.notes + view.highlights)
    hot = next(k for k in view.kpis if k.label.startswith("Hotspots"))
    assert hot.value == "–"
    demo = by_key[("demo", "analyse")].view
    assert demo.map is not None and _class_features(demo.map) > 0


@pytest.mark.parametrize("data", DATA)
def test_near_repeat_table_only_when_something_can_be_said(data, demo_ds, import_ds):
    """ "Der er for få hændelser …" above a table with red cells would say two things."""
    from tryg_geo.compute.filters import Filters
    from tryg_geo.views.analyse import analyse_panels
    from tryg_geo.views.registry import default_filters

    ds = demo_ds if data == "demo" else import_ds
    filters: Filters = default_filters(ds, {})
    panels = analyse_panels(ds, filters, detail=False)
    too_few = "for få hændelser" in panels.reading
    assert (panels.heat is None) is too_few, panels.reading
    assert (panels.heat_styles is None) is too_few
    if data == "import":  # 40 incidents over a year, a handful of burglaries
        assert too_few


# ---- finding 6: the Natteliv heat map has whole-number classes, never one solid colour ---------
@pytest.mark.parametrize("data", DATA)
def test_heatmap_classes(by_key, data):
    from tryg_geo.render.charts import heatmap_chart

    grid = by_key[(data, "natteliv")].view.heatmap
    spec = heatmap_chart(grid)
    color = spec["encoding"]["color"]
    assert color["type"] in ("nominal", "ordinal"), color
    labels = color["scale"]["domain"]
    colours = color["scale"]["range"]
    assert len(set(colours)) == len(colours) >= 2
    assert all(not re.search(r",\d", label) for label in labels), labels
    _no_overlap([lab for lab in labels if lab[0].isdigit() or lab[0] == "≤"])
    # Each class names the counts it holds: no "1 – 5" beside "Skjult (<5)".
    shown = grid.to_numpy(dtype="float64")
    shown = sorted({int(v) for v in shown[np.isfinite(shown)].ravel()})
    for label in labels:
        if label[0].isdigit():
            low, _, high = label.partition(" – ")
            assert int(low.replace(".", "")) in shown, (label, shown)
            assert int((high or low).replace(".", "")) in shown, (label, shown)


# ---- finding 7: the period says what the data cover; no comparison with nothing --------------
def test_period_caption_says_what_the_data_cover(demo_ds, import_ds):
    from tryg_geo.compute.filters import period_caption
    from tryg_geo.views.registry import default_filters

    assert period_caption(default_filters(demo_ds), demo_ds) == "Seneste 12 måneder"
    caption = period_caption(default_filters(import_ds), import_ds)
    assert "02.09.2025" in caption and "25.11.2025" in caption and "kun" in caption, caption


def test_no_comparison_with_a_year_without_data(by_key):
    nat = by_key[("import", "natteliv")].view
    for kpi in nat.kpis:
        assert kpi.delta in (None, "–")
        assert "Samme periode sidste år: 0" not in (kpi.help or ""), kpi.help
        assert "ingen hændelser" in (kpi.help or "").lower(), kpi.help
    rum = by_key[("import", "byens-rum")].view.display
    assert set(rum["Hændelser sidste år"]) == {"–"}, set(rum["Hændelser sidste år"])
    over = by_key[("import", "overblik")].view
    row = over.table.set_index("slug").loc["et-trygt-natteliv"]
    assert not np.isfinite(row["previous_value"]) and not np.isfinite(row["change"])
    assert any("samme periode året før" in n and "02.09.2025" in n for n in over.notes)


# ---- finding 8: one figure, one definition -----------------------------------------------------
@pytest.mark.parametrize("data", DATA)
def test_nightlife_zone_is_one_figure(by_key, data):
    nat = {k.label: k.value for k in by_key[(data, "natteliv")].view.kpis}
    over = by_key[(data, "overblik")].view.display.set_index("Indsats").loc["Et trygt natteliv"]
    ini = by_key[(data, "indsats/et-trygt-natteliv")].view
    zone = [label for label in nat if "nattelivszone" in label.lower()]
    assert zone
    for label in zone:
        if nat[label] != over["Seneste"]:
            # Two numbers: two names, and the natteliv one says what it counts beside it.
            assert label != over["Indikator"] and "narkotika" in label, (label, nat[label])
        else:
            assert label == over["Indikator"], (label, over["Indikator"])
    assert over["Seneste"] in {k.value for k in ini.kpis}


# ---- formats, words, legends -------------------------------------------------------------------
@pytest.mark.parametrize("data", DATA)
def test_one_danish_number_format(built, data):
    problems = []
    for b in (b for b in built if b.data == data):
        for text in T.view_texts(b.view) + (b.png_texts or []):
            problems += [f"{b.key}: {p} i {text[:90]!r}" for p in T.format_problems(text)]
    assert not problems, "\n".join(problems[:20])


def test_metric_delta_keeps_the_minus():
    from tryg_geo.fmt import metric_delta

    assert metric_delta("−18 %") == ("−18 %", "down")
    assert metric_delta("+5 %") == ("+5 %", "up")
    assert metric_delta("±0 %") == (None, "off")
    assert metric_delta("–") == (None, "off")


@pytest.mark.parametrize("data", DATA)
def test_no_english_words(built, data):
    found = []
    for b in (b for b in built if b.data == data):
        for text in T.view_texts(b.view) + (b.png_texts or []):
            found += [f"{b.key}: {w!r} i {text[:90]!r}" for w in T.english_words(text)]
    assert not found, "\n".join(found[:20])


def _bounds(label: str) -> tuple[float, float]:
    numbers = T.numbers_in(label.replace("≤", ""))
    if label.startswith("≤"):
        return -np.inf, numbers[0]
    return numbers[0], numbers[-1]


def _no_overlap(labels: list[str], *, whole: bool = True) -> None:
    """Classes in order; whole-number classes share no number ('0', '0 – 12' overlap), classes
    of measured values (a, b] may share a bound."""
    ranges = [_bounds(lab) for lab in labels]
    for (a0, a1), (b0, b1), lab in zip(ranges, ranges[1:], labels[1:], strict=False):
        assert a0 <= a1 and b0 <= b1, (labels, lab)
        assert a1 < b0 if whole else a1 <= b0, (labels, lab)


def _class_labels(spec) -> list[str]:
    return [lab for _, lab in spec.legend.entries if lab[:1].isdigit() or lab[:1] in "≤−"]


@pytest.mark.parametrize("data", DATA)
def test_legends(built, data):
    for b in (b for b in built if b.data == data and b.view.map is not None):
        spec = b.view.map
        labels = _class_labels(spec)
        if "value" not in spec.features or not labels:
            continue
        shown = spec.features["value"].astype("float64")
        shown = shown[np.isfinite(shown)]
        distinct = len(np.unique(shown))
        assert len(labels) >= min(2, distinct), (b.key, labels, sorted(set(shown)))
        if distinct == 1:
            assert T.numbers_in(labels[0])[-1] == pytest.approx(shown.iloc[0]), (b.key, labels)
        whole = bool(len(shown)) and (shown == np.round(shown)).all() and shown.max() > 1
        if whole:  # counts: whole-number bounds
            assert not any(re.search(r"\d,\d", lab) for lab in labels), (b.key, labels)
        _no_overlap([lab.replace(" %", "") for lab in labels], whole=whole)


# ---- map, CSV and PNG show the same figures ---------------------------------------------------
def _csv_numbers(frame: pd.DataFrame) -> set[tuple[int, float]]:
    """(decimals, value rounded to them) of every number in the CSV, shares also in percent."""
    values = set()
    for column in frame.columns:
        numeric = pd.to_numeric(frame[column], errors="coerce").dropna().astype("float64")
        for v in numeric:
            for scaled in (v, v * 100) if abs(v) <= 1 else (v,):
                values |= {(d, round(abs(scaled), d)) for d in (0, 1, 2)}
    return values


def _decimals(number_text: str) -> int:
    return len(number_text.split(",")[1]) if "," in number_text else 0


@pytest.mark.parametrize("data", DATA)
def test_map_labels_are_in_the_csv(built, by_key, data):
    """Every number on an area or place map is in the view's CSV; Overblik's CSV has one row
    per initiative, and its district map is Tryg bydel's, so its numbers are in that CSV."""
    missing = []
    for b in (b for b in built if b.data == data and b.view.map is not None):
        if b.view.map.kind == "cells":
            continue
        csv = by_key[(data, "tryg-bydel")].csv if b.key == "overblik" else b.csv
        in_csv = _csv_numbers(csv)
        for label in b.view.map.features["label"].astype(str):
            head = re.split(r" \(n=| · ", label)[0].replace(privacy.hidden_text(), "")
            for text in re.findall(r"\d[\d.]*(?:,\d+)?", head):
                number = T.numbers_in(text)[0]
                if (_decimals(text), round(abs(number), _decimals(text))) not in in_csv:
                    missing.append(f"{b.key}: {label!r}")
    assert not missing, "\n".join(missing[:20])


@pytest.mark.parametrize("data", DATA)
def test_png_shows_the_key_figures_and_legend(built, data):
    for b in (b for b in built if b.data == data and b.png_texts is not None):
        drawn = " ".join(b.png_texts)
        for kpi in b.view.kpis:
            assert kpi.value in drawn, (b.key, kpi.label, kpi.value)
        if b.view.map is not None:
            for _, label in b.view.map.legend.entries:
                assert label in drawn, (b.key, label)


# ---- labels: demo only for demo ------------------------------------------------------------
def test_no_label_claims_demo_for_non_demo_data(built):
    # After a real police import over demo areas and places, the label names exactly the demo
    # parts: the incidents are the police's, never "Demodata" as a whole.
    for b in (b for b in built if b.data == "import" and b.key in ("natteliv", "analyse")):
        source = b.view.source
        assert source.startswith("Demodata: "), (b.key, source)
        demo_part = source.split("·")[0]
        assert "områder" in demo_part and "hændelser" not in demo_part.lower(), (b.key, source)
        assert "Nordjyllands Politi" in source, (b.key, source)
        if "data" in b.csv:
            assert not (b.csv["data"] == "Demodata").any(), b.key


def test_map_text_groups_thousands():
    from tryg_geo.views.alt_text import map_sentence

    n = 1562
    text = map_sentence(
        [f"celle {i}" for i in range(n)], [np.nan] * n, ["–"] * n, what="x", noun_plural="celler"
    )
    assert "1.562 celler" in text and not T.format_problems(text), text
