"""Excel templates for the initiatives' own numbers (tryg_geo.ingest.template)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from tryg_geo.compute.registry import Indicator, Initiative, get_initiative, load_initiatives
from tryg_geo.errors import UnusableFileError, UsageError
from tryg_geo.ingest.measurements import load_measurements
from tryg_geo.ingest.template import (
    INSTRUCTIONS_SHEET,
    build_template,
    coming_periods,
    is_template,
    template_indicators,
)

TODAY = date(2026, 11, 30)
DISTRICTS = pd.DataFrame({"district_id": ["vejgaard", "gug"], "name": ["Vejgaard", "Gug"]})


def _workbook(slug: str, tmp_path: Path, districts: pd.DataFrame | None = DISTRICTS):
    path = tmp_path / f"{slug}.xlsx"
    path.write_bytes(build_template(get_initiative(slug), districts=districts, today=TODAY))
    return path, load_workbook(path)


def test_every_initiative_with_reported_numbers_gets_a_template(tmp_path: Path) -> None:
    for initiative in load_initiatives():
        path, book = _workbook(initiative.slug, tmp_path)
        indicators = template_indicators(initiative)
        assert book.sheetnames[0] == INSTRUCTIONS_SHEET
        assert book.sheetnames[1:] == [i.measurement_name[:31] for i in indicators]
        assert is_template(path)


def test_sheets_hold_exactly_the_needed_columns_areas_and_periods(tmp_path: Path) -> None:
    _, book = _workbook("tryg-bydel", tmp_path)
    assert book.sheetnames == [INSTRUCTIONS_SHEET, "tryg_andel", "tillid_politi_andel"]
    sheet = book["tryg_andel"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("område", "områdenavn", "periode", "indikator", "værdi", "n")
    # Districts sorted by name, each with the coming survey years.
    assert [r[:4] for r in rows[1:]] == [
        ("gug", "Gug", "2026", "tryg_andel"),
        ("gug", "Gug", "2027", "tryg_andel"),
        ("vejgaard", "Vejgaard", "2026", "tryg_andel"),
        ("vejgaard", "Vejgaard", "2027", "tryg_andel"),
    ]
    assert all(r[4] is None and r[5] is None for r in rows[1:])


def test_kommune_indicators_and_counts_have_no_n_column(tmp_path: Path) -> None:
    _, book = _workbook("tryghedsambassadoerer", tmp_path)
    rows = list(book["ambassadoer_timer"].iter_rows(values_only=True))
    assert rows[0] == ("område", "områdenavn", "periode", "indikator", "værdi")
    assert {r[0] for r in rows[1:]} == {"kommune"}
    assert [r[2] for r in rows[1:]] == [f"2026-{m:02d}" for m in (11, 12)] + [
        f"2027-{m:02d}" for m in range(1, 11)
    ]


def test_place_indicators_are_prefilled_with_their_places(tmp_path: Path) -> None:
    _, book = _workbook("socialt-udsatte-i-byens-rum-og-pladser", tmp_path)
    rows = list(book["klager"].iter_rows(values_only=True))[1:]
    assert {r[0] for r in rows} == {"nytorv", "gammeltorv", "cw-obels-plads", "jf-kennedys-plads"}


def test_district_indicator_without_districts_falls_back_to_kommune(tmp_path: Path) -> None:
    _, book = _workbook("tryg-bydel", tmp_path, districts=None)
    rows = list(book["tryg_andel"].iter_rows(values_only=True))[1:]
    assert {r[0] for r in rows} == {"kommune"}


def test_validation_rules_on_values(tmp_path: Path) -> None:
    _, book = _workbook("en-vej-ind", tmp_path)
    rules = {}
    for name in book.sheetnames[1:]:
        for dv in book[name].data_validations.dataValidation:
            rules[(name, str(dv.sqref))] = (dv.type, dv.operator, dv.formula1, dv.formula2)
    assert rules[("en_vej_ind_gennemfoert_andel", "E2:E5")] == ("decimal", "between", "0", "100")
    assert rules[("en_vej_ind_gennemfoert_andel", "F2:F5")] == (
        "whole",
        "greaterThanOrEqual",
        "1",
        None,
    )
    assert rules[("en_vej_ind_forloeb", "E2:E5")] == ("whole", "greaterThanOrEqual", "0", None)


def test_instructions_are_danish_and_name_every_sheet(tmp_path: Path) -> None:
    _, book = _workbook("et-trygt-natteliv", tmp_path)
    text = "\n".join(str(c.value or "") for c in book[INSTRUCTIONS_SHEET]["A"])
    assert "Udfyld kolonnen 'værdi'" in text
    assert "tryg_natteliv_andel" in text
    assert "procent mellem 0 og 100" in text
    assert "politiets hændelser" in text  # the incident indicator is not in the template


def test_initiative_counted_from_incidents_only_has_no_template() -> None:
    only_incidents = Initiative(
        slug="kun-politi",
        title="Kun politi",
        partners=("Politi",),
        description="",
        headline="vold",
        data_needed="",
        indicators=(
            Indicator(
                id="vold",
                label="Vold",
                unit="antal",
                source="incidents",
                area="kommune",
                higher_is_better=False,
                help="",
            ),
        ),
    )
    with pytest.raises(UsageError, match="hændelser"):
        build_template(only_incidents, today=TODAY)


@pytest.mark.parametrize(
    ("length", "expected"),
    [
        ("year", ["2026", "2027"]),
        ("quarter", ["2026-Q4", "2027-Q1", "2027-Q2", "2027-Q3"]),
    ],
)
def test_coming_periods(length: str, expected: list[str]) -> None:
    assert coming_periods(length, TODAY) == expected


def test_other_workbooks_are_not_templates(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    pd.DataFrame({"område": ["kommune"], "værdi": [1]}).to_excel(path, index=False)
    assert not is_template(path)
    assert not is_template(tmp_path / "missing.csv")


# ---- a filled template imports as measurements -----------------------------------------------
def _fill(path: Path, cells: dict[str, dict[str, object]]) -> None:
    book = load_workbook(path)
    for sheet, values in cells.items():
        for ref, value in values.items():
            book[sheet][ref] = value
    book.save(path)


def test_filled_template_imports_every_sheet_without_column_choice(tmp_path: Path) -> None:
    path, _ = _workbook("tryg-bydel", tmp_path)
    _fill(
        path,
        {
            "tryg_andel": {"E2": 87.5, "F2": 214, "E4": 90, "F4": 180},
            "tillid_politi_andel": {"E3": 86.5},
        },
    )
    result = load_measurements(path)
    assert (result.rows_read, result.accepted, len(result.rejected)) == (3, 3, 0)
    frame = result.frame.sort_values(["indicator", "area_id"]).reset_index(drop=True)
    assert frame["indicator"].tolist() == ["tillid_politi_andel", "tryg_andel", "tryg_andel"]
    assert frame["area_id"].tolist() == ["gug", "gug", "vejgaard"]
    assert frame["period"].tolist() == ["2027", "2026", "2026"]
    assert frame["value"].tolist() == pytest.approx([0.865, 0.875, 0.9])
    assert frame["n"].isna().tolist() == [True, False, False]
    assert frame["n"].iloc[1:].tolist() == [214, 180]
    assert any("rækker uden værdi blev sprunget over" in w for w in result.warnings)


def test_template_shares_are_percent_even_when_small(tmp_path: Path) -> None:
    """A template says 'procent': 0,8 is 0,8 %, not 80 %."""
    path, _ = _workbook("tryg-bydel", tmp_path)
    _fill(path, {"tryg_andel": {"E2": 0.8}})
    (value,) = load_measurements(path).frame["value"].tolist()
    assert value == pytest.approx(0.008)


def test_wrongly_filled_template_names_sheet_row_column_value(tmp_path: Path) -> None:
    path, _ = _workbook("en-vej-ind", tmp_path)
    _fill(
        path,
        {
            "en_vej_ind_gennemfoert_andel": {"E2": 130, "F2": 20, "E3": 75, "F3": 0},
            "en_vej_ind_forloeb": {"E2": "mange", "E3": -2, "E4": 12},
        },
    )
    result = load_measurements(path)
    assert (result.rows_read, result.accepted, len(result.rejected)) == (5, 1, 4)
    rejected = result.rejected.set_index(["sheet", "row"])
    share = rejected.loc[("en_vej_ind_gennemfoert_andel", 2)]
    assert (share["column"], share["value"], share["reason"]) == ("værdi", "130", "share_above_100")
    assert share["message"].startswith(
        "Ark 'en_vej_ind_gennemfoert_andel', række 2, kolonnen 'værdi' = '130':"
    )
    assert "0–100 %" in share["message"]
    n_zero = rejected.loc[("en_vej_ind_gennemfoert_andel", 3)]
    assert (n_zero["column"], n_zero["reason"]) == ("n", "n_not_positive")
    text = rejected.loc[("en_vej_ind_forloeb", 2)]
    assert (text["value"], text["reason"]) == ("mange", "not_a_number")
    assert text["message"].startswith(
        "Ark 'en_vej_ind_forloeb', række 2, kolonnen 'værdi' = 'mange':"
    )
    negative = rejected.loc[("en_vej_ind_forloeb", 3)]
    assert negative["reason"] == "negative_count"


def test_empty_template_is_unusable_with_a_reason(tmp_path: Path) -> None:
    path, _ = _workbook("fri-tid", tmp_path)
    with pytest.raises(UnusableFileError, match="ingen udfyldte værdier"):
        load_measurements(path)
