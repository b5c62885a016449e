"""A missing column is explained with the controls of where the user is (CLI or Data page)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tryg_geo.errors import ColumnError, UnusableFileError
from tryg_geo.ingest.detect import page_wording
from tryg_geo.ingest.detect_roles import ROLE_LABELS, missing_message, missing_roles
from tryg_geo.ingest.incidents import load_incidents
from tryg_geo.ingest.measurements import load_measurements


def test_missing_category_names_the_cli_option_and_carries_the_role(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("dato;lat;lon\n2024-01-01;57,05;9,92\n", encoding="utf-8")
    with pytest.raises(ColumnError) as caught:
        load_incidents(path)
    error = caught.value
    assert isinstance(error, UnusableFileError)
    assert error.roles == ("category",)
    assert "--category-col" in str(error)
    page = error.with_advice(f"vælg kolonnen for {ROLE_LABELS['category']}")
    assert "vælg kolonnen for Kategori" in page
    assert "--" not in page


def test_missing_coordinates_carry_the_pair(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("dato;kategori;x\n2024-01-01;vold;555000\n", encoding="utf-8")
    with pytest.raises(ColumnError) as caught:
        load_incidents(path)
    assert caught.value.roles == ("x", "y")
    assert "--x-col" in str(caught.value)


def test_missing_measurement_value_column(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("område;periode;indikator\nkommune;2024;tryg_andel\n", encoding="utf-8")
    with pytest.raises(ColumnError) as caught:
        load_measurements(path)
    assert caught.value.roles == ("value",)
    assert "--value-col" in str(caught.value)
    assert "--" not in caught.value.with_advice("vælg kolonnen for Værdi")


def test_page_sentence_for_missing_roles() -> None:
    chosen = {"datetime": "dato", "category": None, "lat": None, "lon": None}
    missing = missing_roles("incidents", chosen)
    assert missing == ["category", "lat", "lon"]
    assert missing_message(missing).startswith(
        "Vælg kolonnen for Kategori, Breddegrad (lat) og Længdegrad (lon)"
    )


@pytest.mark.parametrize(
    ("cli", "page"),
    [
        ("angiv den med --id-col.", "vælg kolonnen for Id."),
        ("--layer 'ark2': arket findes ikke", "feltet Lag/ark = 'ark2': arket findes ikke"),
        ("Prøv --crs EPSG:25832.", "Prøv feltet Koordinatsystem = EPSG:25832."),
        ("angiv det med --crs, fx", "angiv det med feltet Koordinatsystem under Avanceret, fx"),
        (
            "så angiv dem med --lat-col og --lon-col.",
            "så vælg kolonnen for Breddegrad (lat) og Længdegrad (lon).",
        ),
        (
            "importér dem på siden Data – eller med python -m tryg_geo import kommune_crimes "
            "FIL og import kommune_population FIL. README, afsnittet Data",
            "importér dem på siden Data. README, afsnittet Data",
        ),
        (
            "som datatype Områder på siden Data eller med python -m tryg_geo import districts FIL.",
            "som datatype Områder på siden Data.",
        ),
    ],
)
def test_loader_messages_in_the_words_of_the_page(cli: str, page: str) -> None:
    assert page_wording(cli) == page
