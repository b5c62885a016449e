"""Real survey names as aliases of the registry's indicators (tryg_geo.ingest.aliases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tryg_geo.errors import UsageError
from tryg_geo.ingest.aliases import canonical_indicators, known_indicator_names, load_aliases


def test_tryghedsundersoegelsens_names_are_the_registry_indicators() -> None:
    names, renamed = canonical_indicators(
        ["tryg_i_nabolaget", "Tryg i nabolaget", "tillid_til_politiet", "tryg_andel", "ukendt"]
    )
    assert names.tolist() == [
        "tryg_andel",
        "tryg_andel",
        "tillid_politi_andel",
        "tryg_andel",
        "ukendt",
    ]
    assert renamed == {
        "tryg_i_nabolaget": "tryg_andel",
        "Tryg i nabolaget": "tryg_andel",
        "tillid_til_politiet": "tillid_politi_andel",
    }


def test_known_names_hold_registry_and_aliases() -> None:
    names = known_indicator_names()
    assert "tryg_andel" in names and "tryginabolaget" in names


def test_alias_to_unknown_indicator_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text('[[alias]]\nindicator = "findes_ikke"\nnames = ["x"]\n', encoding="utf-8")
    with pytest.raises(UsageError, match="findes_ikke"):
        load_aliases(path)


def test_one_name_for_two_indicators_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "aliases.toml"
    path.write_text(
        '[[alias]]\nindicator = "tryg_andel"\nnames = ["tryg"]\n'
        '[[alias]]\nindicator = "tillid_politi_andel"\nnames = ["Tryg"]\n',
        encoding="utf-8",
    )
    with pytest.raises(UsageError, match="bruges allerede"):
        load_aliases(path)


def test_survey_name_is_stored_as_registry_indicator_and_its_unit_checked(tmp_path: Path) -> None:
    from tryg_geo.ingest.measurements import load_measurements

    path = tmp_path / "tryghed.csv"
    path.write_text(
        "område;periode;indikator;værdi;n\n"
        "vejgaard;2024;tryg_i_nabolaget;87,5;214\n"
        "gug;2024;Tryg i nabolaget;130;90\n"
        "kommune;2024;tillid_til_politiet;86,5;900\n",
        encoding="utf-8",
    )
    result = load_measurements(path)
    assert result.frame["indicator"].tolist() == ["tryg_andel", "tillid_politi_andel"]
    assert result.frame["value"].tolist() == pytest.approx([0.875, 0.865])
    (row,) = result.rejected.to_dict("records")
    assert (row["row"], row["column"], row["value"], row["reason"]) == (
        3,
        "værdi",
        "130",
        "share_above_100",
    )
    assert any("tryg_i_nabolaget → tryg_andel" in w for w in result.warnings)


def test_statistics_bank_columns_and_periods(tmp_path: Path) -> None:
    """Danmarks Statistik's TID/INDHOLD columns and its 2024M05 months."""
    from tryg_geo.ingest.measurements import load_measurements

    path = tmp_path / "dst.csv"
    path.write_text(
        "OMRÅDE;TID;INDIKATOR;INDHOLD\nkommune;2024M05;bekymrende_fravær;14,2\n",
        encoding="utf-8",
    )
    frame = load_measurements(path).frame
    assert frame[["area_id", "period", "indicator"]].values.tolist() == [
        ["kommune", "2024-05", "bekymrende_fravaer_andel"]
    ]
    assert frame["value"].tolist() == pytest.approx([0.142])
