"""Real survey names as aliases of the registry's indicators (tryg_geo.aliases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tryg_geo.aliases import canonical_indicators, known_indicator_names, load_aliases
from tryg_geo.errors import UsageError


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
