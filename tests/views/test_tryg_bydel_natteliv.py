"""The Tryg bydel and Natteliv views on tiny stores whose every count is chosen here."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
import tiny_data
from tiny_data import X0, Y0, incidents_at, measurement

from tryg_geo.compute.filters import Filters
from tryg_geo.views.natteliv import natteliv_view
from tryg_geo.views.tryg_bydel import INCIDENT_RATE, tryg_bydel_view

YEAR_2025 = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31))
IN_B = (X0 + 1_300, Y0 + 300)
IN_C = (X0 + 2_300, Y0 + 300)


@pytest.fixture
def incident_store(tmp_path):
    return tiny_data.build(
        tmp_path,
        incidents=[
            incidents_at(40, when="2025-03-01 12:00"),  # district a, 2025
            incidents_at(20, when="2024-03-01 12:00"),  # district a, 2024
            incidents_at(3, when="2025-03-01 12:00", where=IN_B),  # small: hidden
            incidents_at(12, when="2025-03-01 12:00", where=IN_C),
            incidents_at(12, when="2024-03-01 12:00", where=IN_C),
        ],
        with_places=False,
    )


def test_incident_rates_per_district_with_suppression_and_change(incident_store):
    view = tryg_bydel_view(incident_store, YEAR_2025.with_(indicator=INCIDENT_RATE))
    table = view.table.set_index("district_id")
    assert table.loc["a", "incidents"] == 40
    assert table.loc["a", "incidents_per_1000"] == pytest.approx(4.0)  # 40 / 10 000 * 1 000
    assert table.loc["a", "change_pct"] == pytest.approx(100.0)
    # b has 3 (small); a total is shown, so the next smallest (c, 12) is hidden too.
    assert table.loc["b", "suppressed"] and table.loc["c", "suppressed"]
    assert np.isnan(float(table.loc["b", "incidents_per_1000"]))
    assert "3" not in set(view.display["Hændelser"]) and "<5" in set(view.display["Hændelser"])
    assert view.kpis[0].value == "55" and view.kpis[0].delta == "+72 %"  # 55 vs 32


def test_category_filter_changes_the_numbers(incident_store):
    all_categories = tryg_bydel_view(incident_store, YEAR_2025.with_(indicator=INCIDENT_RATE))
    only_theft = tryg_bydel_view(
        incident_store, YEAR_2025.with_(indicator=INCIDENT_RATE, categories=("tyveri",))
    )
    assert all_categories.kpis[0].value != only_theft.kpis[0].value


def test_district_profile_adds_a_kpi_and_a_trend_line(incident_store):
    view = tryg_bydel_view(incident_store, YEAR_2025.with_(indicator=INCIDENT_RATE, district="a"))
    assert [k.label for k in view.kpis] == ["Hændelser i kommunen", "Alfa"]
    assert set(view.trends[0].data["series"]) == {"Alfa", "Hele kommunen"}
    assert view.map.selected == "a"


def test_quarter_trend_leaves_out_a_last_quarter_the_data_end_inside(tmp_path):
    # Data cover July-November 2025: 4. kvt. is cut (like the trial's Oct-Nov) and would
    # look like a fall; it is left out of the chart and its text, and a note says why.
    frames = [
        incidents_at(30, when="2025-08-01 12:00"),
        incidents_at(20, when="2025-11-20 12:00"),
    ]
    ds = tiny_data.build(tmp_path, incidents=frames, with_places=False)
    view = tryg_bydel_view(ds, YEAR_2025.with_(indicator=INCIDENT_RATE))
    periods = set(view.trends[0].data["period"])
    assert pd.Timestamp("2025-07-01") in periods and pd.Timestamp("2025-10-01") not in periods
    note = next(n for n in view.notes if n.startswith("4. kvt. 2025 er ikke med"))
    assert "kun 51 af dens 92 dage" in note and "'4. kvt. 2025 (delvis)'" in note
    # Data through the quarter's last day: the quarter is whole and shown, no note.
    full = tiny_data.build(
        tmp_path / "full",
        incidents=[*frames, incidents_at(6, when="2025-12-31 12:00")],
        with_places=False,
    )
    whole = tryg_bydel_view(full, YEAR_2025.with_(indicator=INCIDENT_RATE))
    assert pd.Timestamp("2025-10-01") in set(whole.trends[0].data["period"])
    assert not any("er ikke med i grafen" in n for n in whole.notes)


def test_survey_share_with_wilson_interval_and_small_n_flag(tmp_path):
    ds = tiny_data.build(
        tmp_path,
        measurements=[
            measurement("tryg_andel", "a", "2025", 0.9, 400),
            measurement("tryg_andel", "a", "2024", 0.85, 380),
            measurement("tryg_andel", "b", "2025", 0.8, 20),
            measurement("tryg_andel", "kommune", "2025", 0.88, 1500),
        ],
        with_places=False,
    )
    view = tryg_bydel_view(ds, YEAR_2025.with_(indicator="tryg_andel"))
    table = view.table.set_index("district_id")
    assert table.loc["a", "ci_low"] < 0.9 < table.loc["a", "ci_high"]
    assert table.loc["a", "change_pp"] == pytest.approx(5.0)
    assert bool(table.loc["b", "small_n"]) and not bool(table.loc["a", "small_n"])
    labels = view.map.features.set_index("feature_id")["label"]
    assert labels["a"] == "90,0 % (n=400)" and "usikker" in labels["b"]
    assert view.kpis[0].value == "88,0 %"
    assert not any(note.startswith("Tal under") for note in view.notes)  # no "<5" shown
    # The kept survey rows equal the rows computed again, and a caller's copy changes nothing.
    from tryg_geo.views.tryg_bydel_survey import _sorted_rows, survey_rows

    copy = survey_rows(ds, "tryg_andel")
    copy.loc[:, "value"] = -1.0
    assert survey_rows(ds, "tryg_andel").equals(_sorted_rows(ds, "tryg_andel"))
    assert tryg_bydel_view(ds, YEAR_2025.with_(indicator="tryg_andel")).table.equals(view.table)


def test_natteliv_counts_only_the_chosen_nights_and_hides_small_cells(tmp_path):
    ds = tiny_data.build(
        tmp_path,
        incidents=[
            incidents_at(9, when="2025-06-14 01:00"),  # Friday's night
            incidents_at(2, when="2025-06-14 01:00", where=(X0 + 650, Y0 + 650)),  # small cell
            incidents_at(30, when="2025-06-11 01:00"),  # Tuesday's night: not counted
        ],
    )
    view = natteliv_view(ds, YEAR_2025)
    table = view.table.set_index("cell_id")
    # 2 is small, and with the night total (11) shown the 9 would give it away: both hidden.
    assert table["suppressed"].sum() == 2 and table["incidents"].isna().all()
    assert view.kpis[0].value == "11"
    # The hidden cells are grey shapes without a count: the small one reads "<5", the 9
    # (hidden only so that the 2 cannot be worked out from the total) reads "skjult".
    assert view.map.features["label"].tolist() == ["<5 hændelser pr. celle", "skjult"]
    assert table["complementary"].sum() == 1
    assert set(view.display["Hændelser"]) == {"<5", "skjult"}
    # Hour x weekday counts every night and hour; its cells add up across the map.
    assert view.heatmap.loc["onsdag", "01"] == 30 and view.heatmap.loc["lørdag", "01"] == 11


def test_natteliv_cell_size_rebins(tmp_path):
    ds = tiny_data.build(
        tmp_path,
        incidents=[
            incidents_at(6, when="2025-06-14 01:00", where=(X0 + 10, Y0 + 10)),
            incidents_at(6, when="2025-06-14 01:00", where=(X0 + 150, Y0 + 150)),
        ],
    )
    assert len(natteliv_view(ds, YEAR_2025).table) == 2
    coarse = natteliv_view(ds, YEAR_2025.with_(cell="1km")).table
    assert coarse["cell_id"].tolist() == ["1km_6322_554"] and coarse["incidents"].tolist() == [12]


# ---- nothing derivable by subtraction (found in review) -------------------------------------------
def test_outside_count_cannot_reveal_a_hidden_district(tmp_path):
    ds = tiny_data.build(
        tmp_path,
        incidents=[
            incidents_at(30, when="2025-03-01 12:00"),
            incidents_at(20, when="2025-03-01 12:00", where=IN_B),
            incidents_at(3, when="2025-03-01 12:00", where=IN_C),
            incidents_at(6, when="2025-03-01 12:00", where=(100.0, 100.0)),  # outside
        ],
        with_places=False,
    )
    view = tryg_bydel_view(ds, YEAR_2025.with_(indicator=INCIDENT_RATE))
    shown = view.table["incidents"].dropna().sum()
    outside_note = next(n for n in view.notes if "uden for områderne" in n)
    total = int(view.kpis[0].value.replace(".", ""))
    # Either the outside count or a second district is hidden: the residual is never one count.
    assert (
        outside_note.startswith(("<5", "skjult"))
        or total - shown - 6 >= 5
        or view.table["suppressed"].sum() >= 2
    )


def test_last_years_column_gets_complementary_suppression(tmp_path):
    ds = tiny_data.build(
        tmp_path,
        incidents=[
            incidents_at(40, when="2025-03-01 12:00"),
            incidents_at(30, when="2024-03-01 12:00"),
            incidents_at(20, when="2024-03-01 12:00", where=IN_B),
            incidents_at(2, when="2024-03-01 12:00", where=IN_C),
        ],
        with_places=False,
    )
    table = tryg_bydel_view(ds, YEAR_2025.with_(indicator=INCIDENT_RATE)).table
    assert table["previous_incidents"].isna().sum() >= 2  # 2 is small; a second one is hidden


def test_district_quarters_beside_the_total_hide_in_pairs(tmp_path):
    ds = tiny_data.build(
        tmp_path,
        incidents=[
            incidents_at(30, when="2025-02-01 12:00"),
            incidents_at(3, when="2025-05-01 12:00"),
            incidents_at(9, when="2025-08-01 12:00"),
            # Data to the quarter's last day, so 3. kvt. is whole and stays in the chart.
            incidents_at(6, when="2025-09-30 12:00", where=IN_C),
        ],
        with_places=False,
    )
    view = tryg_bydel_view(ds, YEAR_2025.with_(indicator=INCIDENT_RATE, district="a"))
    alfa = view.trends[0].data.query("series == 'Alfa'")
    assert alfa["value"].isna().sum() >= 2  # Q2 (3) and one more quarter of 2025


def test_natteliv_cell_texts_written_once_per_count_equal_one_per_row():
    import pandas as pd

    from tryg_geo.compute.privacy import shown_count
    from tryg_geo.views.natteliv import _display

    table = pd.DataFrame(
        {
            "cell_id": [f"100m_{k}_1" for k in range(6)],
            "incidents": pd.array([1234.0, 7.0, None, 7.0, 12.0, None], dtype="Float64"),
            "suppressed": [False, False, True, False, False, True],
        }
    )
    texts = list(_display(table)["Hændelser"])
    expected = [
        shown_count(v, s) for v, s in zip(table["incidents"], table["suppressed"], strict=True)
    ]
    assert texts == expected and texts[0] == "1.234" and texts[2] == shown_count(None, True)


# ---- honest hidden numbers (new-user trial) -------------------------------------------------------
def test_a_district_hidden_to_protect_another_reads_skjult_everywhere(incident_store, monkeypatch):
    """b (3) is small: "<5"; c (12) is hidden only so that b cannot be worked out from the
    kommune's total: "skjult" in the table, the map, the legend, the CSV, the notes and the
    text alternative — never "<5" — and with the limit at 10 no "<5" at all."""
    from tryg_geo.render.csv_export import csv_table
    from tryg_geo.views.alt_text import view_map_text

    for limit, small_text in ((5, "<5"), (10, "<10")):
        monkeypatch.setenv("TRYG_MIN_COUNT", str(limit))
        view = tryg_bydel_view(incident_store, YEAR_2025.with_(indicator=INCIDENT_RATE))
        table = view.table.set_index("district_id")
        assert table.loc["c", "complementary"] and not table.loc["b", "complementary"]
        shown = view.display.set_index("Område")["Hændelser"]
        assert shown["Gamma"] == "skjult" and shown["Beta"] == small_text
        labels = view.map.features.set_index("feature_id")["label"]
        assert labels["c"] == "skjult" and labels["b"] == f"{small_text} hændelser"
        legend = dict((label, colour) for colour, label in view.map.legend.entries)
        grey = next(label for label in legend if label.startswith("Skjult"))
        assert small_text in grey and "regnes ud af totalen" in grey
        assert any("regnes ud af totalen" in note for note in view.notes)
        csv = csv_table(view).set_index("district_id")
        assert csv.loc["c", "complementary"] == "ja" and csv.loc["b", "complementary"] == "nej"
        text = view_map_text(view)
        assert f"1 område vises som {small_text}." in text
        # At 10, c (12) alone would tell b lies in 1–5: a is hidden too.
        protecting = "1 område er" if limit == 5 else "2 områder er"
        assert f"{protecting} skjult, så en lille optælling ikke kan regnes ud af totalen." in text
        if limit == 10:
            every = " ".join([*view.display.astype(str).to_numpy().ravel(), *labels, grey, text])
            assert "<5" not in every


def test_legend_classes_hold_only_shown_counts(tmp_path):
    """With 1–4 hidden, a class starting after 0 starts at the smallest shown count: "0" and
    "6 – 74", never "1 – 74" (that would imply hidden counts of 1–4 in the class)."""
    from tryg_geo.views.tryg_bydel import INCIDENT_COUNT

    ds = tiny_data.build(
        tmp_path,
        incidents=[
            incidents_at(74, when="2025-03-01 12:00"),
            incidents_at(6, when="2025-03-01 12:00", where=IN_B),
        ],
        with_places=False,
    )
    view = tryg_bydel_view(ds, YEAR_2025.with_(indicator=INCIDENT_COUNT, scheme="quantiles"))
    labels = [label for _, label in view.map.legend.entries]
    assert "0" in labels and any(label.startswith("6") for label in labels), labels
    assert not any(label.startswith(("1 ", "1 –")) for label in labels), labels


def test_heatmap_names_all_seven_weekdays_and_skjult_cells():
    """Vega drops every other weekday on a short chart unless told not to; the spec names all
    seven, and a cell hidden only to protect another says "skjult" in its tooltip."""
    import pandas as pd

    from tryg_geo import fmt
    from tryg_geo.render.charts import heatmap_chart

    days = list(fmt.WEEKDAYS_DA)
    hours = [f"{h:02d}" for h in range(24)]
    grid = pd.DataFrame(
        np.arange(7 * 24, dtype="float64").reshape(7, 24), index=days, columns=hours
    )
    grid.iloc[0, 0] = grid.iloc[0, 1] = np.nan
    grid.attrs["complementary"] = frozenset({(days[0], "01")})
    spec = heatmap_chart(grid)
    y = spec["encoding"]["y"]
    assert y["sort"] == days and y["axis"]["values"] == days
    assert y["axis"]["labelOverlap"] is False
    rows = spec["data"]["values"]
    assert {r["ugedag"] for r in rows} == set(days)
    shown = {(r["ugedag"], r["time"]): r["vist"] for r in rows}
    assert shown[(days[0], "00")] == "<5" and shown[(days[0], "01")] == "skjult"


def test_hidden_districts_rank_above_zero_and_the_notes_explain_small(tmp_path, monkeypatch):
    """A hidden count is at least 1: "skjult" and "<N" rank above a shown 0, and the notes
    say what "<N" means (privacy.hidden_rule, limit from the setting), not only 'skjult'."""
    monkeypatch.setenv("TRYG_MIN_COUNT", "10")
    ds = tiny_data.build(
        tmp_path,
        incidents=[
            incidents_at(40, when="2025-03-01 12:00"),  # a: hidden to protect b
            incidents_at(3, when="2025-03-01 12:00", where=IN_B),  # b: small
        ],
        with_places=False,
    )
    view = tryg_bydel_view(ds, YEAR_2025.with_(indicator=INCIDENT_RATE))
    assert list(view.display["Hændelser"]) == ["skjult", "<10", "0"]
    assert "Tal under 10 vises som '<10'." in view.notes
    assert any(note.startswith("'skjult'") for note in view.notes)
    # Nothing small shown: no "<N" note.
    shown = tryg_bydel_view(_nothing_small_store(tmp_path / "big"), YEAR_2025)
    assert not any(note.startswith("Tal under") for note in shown.notes), shown.notes


def _nothing_small_store(path):
    """Two districts with large counts both years, one with 0: nothing is hidden."""
    return tiny_data.build(
        path,
        incidents=[
            incidents_at(40, when="2025-03-01 12:00"),
            incidents_at(30, when="2025-03-01 12:00", where=IN_B),
            incidents_at(40, when="2024-03-01 12:00"),
            incidents_at(30, when="2024-03-01 12:00", where=IN_B),
        ],
        with_places=False,
    )


def test_survey_shares_of_few_answers_explain_small(tmp_path):
    """A share of fewer answers than the limit shows n as "<5": the notes say why."""
    ds = tiny_data.build(
        tmp_path,
        measurements=[
            measurement("tryg_andel", "a", "2025", 0.9, 400),
            measurement("tryg_andel", "b", "2025", 0.5, 3),
        ],
        with_places=False,
    )
    view = tryg_bydel_view(ds, YEAR_2025.with_(indicator="tryg_andel"))
    assert "<5" in set(view.display["Svar (n)"])
    assert "Tal under 5 vises som '<5'; andelen af så få svar vises ikke." in view.notes
