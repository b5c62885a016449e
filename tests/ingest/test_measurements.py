"""load_measurements: every rejection reason, duplicates, share scale detection, warnings."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tryg_geo.errors import UnusableFileError, UsageError
from tryg_geo.ingest.measurements import is_share_indicator, load_measurements

HEADER = "område;periode;indikator;værdi;n\n"
GOOD = "D01;2024;tryg_andel;87,5;120\n"
PERCENT_NOTE = "Andele blev læst som procent (0–100) og gemt som 0–1."
FRACTION_NOTE = "Andele blev læst som brøker (0–1)."


def write(tmp_path: Path, text: str, name: str = "målinger.csv", encoding="cp1252") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def assert_counts(result) -> None:
    assert result.rows_read == result.accepted + len(result.rejected) + result.duplicates


CASES = [
    ("missing_area", " ;2024;tryg_andel;80;100", "område"),
    ("missing_indicator", "D02;2024;;80;100", "indikator"),
    ("missing_period", "D02;;tryg_andel;80;100", "periode"),
    ("unparseable_period", "D02;2024-Q5;tryg_andel;80;100", "periode"),
    ("unparseable_period", "D02;sidste år;tryg_andel;80;100", "periode"),
    ("missing_value", "D02;2024;tryg_andel;;100", "værdi"),
    ("not_a_number", "D02;2024;tryg_andel;firs;100", "værdi"),
    ("not_finite", "D02;2024;tryg_andel;NaN;100", "værdi"),
    ("not_finite", "D02;2024;tryg_andel;inf;100", "værdi"),
    ("n_not_a_number", "D02;2024;tryg_andel;80;mange", "n"),
    ("n_not_a_number", "D02;2024;tryg_andel;80;NaN", "n"),
    ("n_not_positive", "D02;2024;tryg_andel;80;0", "n"),
    ("n_not_positive", "D02;2024;tryg_andel;80;-3", "n"),
    ("n_not_positive", "D02;2024;tryg_andel;80;2,5", "n"),
    ("share_above_100", "D02;2024;tryg_andel;120;100", "værdi"),
    ("share_negative", "D02;2024;tryg_andel;-5;100", "værdi"),
    ("conflicting_duplicate", "D01;2024;tryg_andel;70;120", "værdi"),
]


@pytest.mark.parametrize(("reason", "line", "column"), CASES)
def test_each_rejection_reason(tmp_path, reason, line, column):
    path = write(tmp_path, HEADER + GOOD + line + "\n" + "D03;2024;tryg_andel;60;50\n")
    result = load_measurements(path)
    assert result.rejected["reason"].tolist() == [reason]
    assert result.rejected["row"].tolist() == [3]
    assert result.rejected["column"].tolist() == [column]
    assert result.accepted == 2
    assert result.report()["rejected_reasons"] == {reason: 1}
    assert_counts(result)


def test_every_reason_in_one_file(tmp_path):
    text = HEADER + GOOD + "".join(line + "\n" for _, line, _ in CASES) + GOOD
    result = load_measurements(write(tmp_path, text))
    assert set(result.rejected["reason"]) == {reason for reason, _, _ in CASES}
    assert result.accepted == 1
    assert result.duplicates == 1
    assert result.rows_read == len(CASES) + 2
    assert_counts(result)


def test_messages_say_what_was_expected(tmp_path):
    text = (
        HEADER
        + GOOD
        + "D02;2024;tryg_andel;80;0\nD03;2024;tryg_andel;120;1\nD01;2024;tryg_andel;1;120\n"
    )
    messages = load_measurements(write(tmp_path, text)).rejected.set_index("reason")["message"]
    assert messages["n_not_positive"].startswith("Antal svar (n) skal være et helt tal på mindst 1")
    assert messages["share_above_100"] == "En andel kan ikke være over 100 %; forventet 0–100 %."
    assert messages["conflicting_duplicate"].startswith("Samme område, periode og indikator")


# ---- duplicates -----------------------------------------------------------------------------------
def test_exact_duplicates_are_counted_even_when_spelled_differently(tmp_path):
    text = (
        HEADER
        + "D01;2024-Q3;tryg_andel;87,5;120\n"
        + "D01;K3 2024;tryg_andel;87.5;120\n"  # same period, same value
        + "D01;2024-Q3;tryg_andel;87,5;120\n"
        + "D01;2024-Q4;tryg_andel;87,5;120\n"
    )
    result = load_measurements(write(tmp_path, text))
    assert result.accepted == 2
    assert result.duplicates == 2
    assert len(result.rejected) == 0
    assert result.frame["period"].tolist() == ["2024-Q3", "2024-Q4"]


def test_duplicate_of_a_rejected_row_is_accepted(tmp_path):
    text = HEADER + "D01;2024;tryg_andel;87,5;0\n" + GOOD
    result = load_measurements(write(tmp_path, text))
    assert result.rejected["reason"].tolist() == ["n_not_positive"]
    assert result.accepted == 1


# ---- shares ---------------------------------------------------------------------------------------
def test_percent_shares_are_stored_as_fractions_with_a_warning(tmp_path):
    text = (
        HEADER
        + "D01;2024;tryg_andel;87,5;120\nD02;2024;tryg_andel;100;80\nD03;2024;fritid_deltagere;250;\n"
    )
    result = load_measurements(write(tmp_path, text))
    values = dict(zip(result.frame["area_id"], result.frame["value"], strict=True))
    assert values == pytest.approx({"D01": 0.875, "D02": 1.0, "D03": 250.0})
    assert PERCENT_NOTE in result.warnings
    assert FRACTION_NOTE not in result.warnings


def test_fraction_shares_are_kept_with_a_warning(tmp_path):
    text = (
        HEADER
        + "D01;2024;tryg_andel;0,875;120\nD02;2024;tryg_andel;1;80\nD03;2024;tryg_andel;0;80\n"
    )
    result = load_measurements(write(tmp_path, text))
    assert result.frame["value"].tolist() == pytest.approx([0.875, 1.0, 0.0])
    assert FRACTION_NOTE in result.warnings
    assert PERCENT_NOTE not in result.warnings


def test_no_shares_no_scale_warning(tmp_path):
    text = HEADER + "D01;2024;fritid_deltagere;250;\n"
    result = load_measurements(write(tmp_path, text))
    assert result.frame["value"].tolist() == [250.0]
    assert not any("Andele" in w for w in result.warnings)


def test_share_names_by_registry_or_suffix():
    assert is_share_indicator("tryg_andel")
    assert is_share_indicator("min_egen_ANDEL")
    assert is_share_indicator("svar_pct")
    assert is_share_indicator("tilfredshed_procent")
    assert not is_share_indicator("fritid_deltagere")
    assert not is_share_indicator("antal_klager")


def test_rejected_rows_do_not_decide_the_scale(tmp_path):
    # The row with value 80 is rejected (n = 0), so the file's shares are fractions.
    text = HEADER + "D01;2024;tryg_andel;0,8;120\nD02;2024;tryg_andel;80;0\n"
    result = load_measurements(write(tmp_path, text))
    assert result.frame["value"].tolist() == [0.8]
    assert FRACTION_NOTE in result.warnings


def test_one_typo_does_not_rescale_a_fraction_file(tmp_path):
    text = (
        HEADER
        + "D01;2024;tryg_andel;0,875;120\nD02;2024;tryg_andel;0,91;120\n"
        + "D03;2024;tryg_andel;0,66;120\nD04;2024;tryg_andel;1,2;120\n"
    )
    result = load_measurements(write(tmp_path, text))
    assert result.frame["value"].tolist() == pytest.approx([0.875, 0.91, 0.66])
    assert result.rejected["reason"].tolist() == ["share_above_100"]


# ---- areas, indicators, n -------------------------------------------------------------------------
def test_kommune_in_any_case_and_n_as_integer(tmp_path):
    text = HEADER + "KOMMUNE;2024-05;tryg_andel;0,9;800\nKommune;maj 2023;tryg_andel;0,8;\n"
    result = load_measurements(write(tmp_path, text))
    assert result.frame["area_id"].tolist() == ["kommune", "kommune"]
    assert result.frame["period"].tolist() == ["2024-05", "2023-05"]
    assert str(result.frame["n"].dtype) == "Int64"
    assert result.frame["n"].iloc[0] == 800
    assert pd.isna(result.frame["n"].iloc[1])


def test_store_columns(tmp_path):
    result = load_measurements(write(tmp_path, HEADER + GOOD))
    assert list(result.frame.columns) == [
        "area_id",
        "period",
        "period_start",
        "period_end",
        "indicator",
        "value",
        "n",
    ]
    row = result.frame.iloc[0]
    assert (row["period_start"], row["period_end"]) == (
        pd.Timestamp("2024-01-01"),
        pd.Timestamp("2025-01-01"),
    )


def test_unknown_areas_and_unregistered_indicators_are_kept_with_warnings(tmp_path):
    text = HEADER + GOOD + "D99;2024;helt_ukendt_indikator;5;\nkommune;2024;tryg_andel;0,5;10\n"
    result = load_measurements(write(tmp_path, text), known_areas=["D01", "D02"])
    assert result.accepted == 3
    assert (
        "1 område-id'er findes ikke blandt de indlæste områder og steder (fx D99); målingerne "
        "er gemt, men vises ikke på kort." in result.warnings
    )
    assert any(
        w.startswith("1 indikatorer står ikke i indsatsregistret (fx helt_ukendt_indikator)")
        for w in result.warnings
    )


def test_without_known_areas_no_area_warning(tmp_path):
    result = load_measurements(write(tmp_path, HEADER + "D99;2024;tryg_andel;0,5;10\n"))
    assert not any("område-id'er" in w for w in result.warnings)


def test_aliases_and_explicit_columns(tmp_path):
    text = "Bydel;År;Spørgsmål;Andel\nD01;2024;tryg_andel;0,5\n"
    assert load_measurements(write(tmp_path, text, "a.csv")).accepted == 1
    text = "sted;tid;hvad;tal\nD01;2024;tryg_andel;0,5\n"
    result = load_measurements(
        write(tmp_path, text, "b.csv"),
        columns={"area": "sted", "period": "tid", "indicator": "hvad", "value": "tal"},
    )
    assert result.accepted == 1


def test_explicit_column_that_does_not_exist(tmp_path):
    with pytest.raises(UsageError, match="--n-col 'respondenter': kolonnen findes ikke"):
        load_measurements(write(tmp_path, HEADER + GOOD), columns={"n": "respondenter"})


def test_missing_value_column(tmp_path):
    path = write(tmp_path, "område;periode;indikator\nD01;2024;tryg_andel\n")
    with pytest.raises(UnusableFileError, match="der mangler en kolonne med værdi") as info:
        load_measurements(path)
    assert "--value-col" in str(info.value)


def test_xlsx_survey_with_title_rows_on_a_named_sheet(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Forside"
    book.active.append(["Tryghedsmålingen 2024"])
    sheet = book.create_sheet("Tabel 3")
    for row in [
        ["Tryghedsmåling, Aalborg Kommune"],
        ["Andel trygge, pct."],
        ["område", "periode", "indikator", "værdi", "n"],
        ["D01", "2024", "tryg_andel", 87.5, 120],
        ["kommune", 2024, "tryg_andel", "91,2", 800],
        ["D02", "2024", "tryg_andel", 87.5, 0],
    ]:
        sheet.append(row)
    path = tmp_path / "tryghed.xlsx"
    book.save(path)
    result = load_measurements(path, layer="Tabel 3")
    assert result.frame["value"].tolist() == pytest.approx([0.875, 0.912])
    assert result.frame["period"].tolist() == ["2024", "2024"]
    assert result.rejected[["row", "reason"]].values.tolist() == [[6, "n_not_positive"]]
    assert PERCENT_NOTE in result.warnings
    assert "De første 2 rækker over overskriften blev sprunget over." in result.warnings


def test_header_only_and_empty(tmp_path):
    with pytest.raises(UnusableFileError, match="kun en overskriftsrække"):
        load_measurements(write(tmp_path, HEADER, "kun.csv"))
    with pytest.raises(UnusableFileError, match="filen er tom"):
        load_measurements(write(tmp_path, "", "tom.csv"))


@pytest.mark.parametrize("extra", [";x", ";x;x"])
def test_first_data_row_with_too_many_fields(tmp_path, extra):
    text = HEADER + GOOD.rstrip("\n") + extra + "\n" + "D02;2024;tryg_andel;80;100\n"
    result = load_measurements(write(tmp_path, text))
    assert result.rejected["reason"].tolist() == ["too_many_fields"]
    assert result.accepted == 1
