"""Column proposals by name and by content (tryg_geo.ingest.detect)."""

from __future__ import annotations

import pandas as pd
import pytest

from tryg_geo.ingest.columns import find_columns
from tryg_geo.ingest.detect import propose_columns
from tryg_geo.ingest.detect_content import content_fit
from tryg_geo.ingest.detect_roles import KIND_ROLES, missing_roles


def _chosen(proposals):
    return {role: p.column for role, p in proposals.items()}


@pytest.mark.parametrize("id_column", ["OBJECTID_1", "Nøgle"])
def test_district_id_by_content_when_no_alias_matches(id_column: str) -> None:
    frame = pd.DataFrame(
        {
            id_column: ["101", "102", "103", "104"],
            "Bydel": ["Vejgaard", "Gug", "Hasseris", "Klarup"],
            "Folketal_2024": ["14800", "5000", "12000", "7000"],
        }
    )
    proposals = propose_columns("districts", frame)
    assert proposals["id"].column == id_column
    assert proposals["id"].by == "indhold"
    assert "forskellige værdier" in proposals["id"].reason
    assert proposals["name"].column == "Bydel"
    assert proposals["name"].by == "navn"
    assert proposals["population"].column == "Folketal_2024"
    assert "befolkningstal" in proposals["population"].reason


def test_name_by_content_and_row_numbers_are_no_population() -> None:
    frame = pd.DataFrame(
        {
            "kode": ["a", "b", "c", "d"],
            "Betegnelse_lang": ["Vejgaard Øst", "Gug", "Hasseris", "Klarup"],
            "løbenummer": ["1", "2", "3", "4"],
        }
    )
    proposals = propose_columns("districts", frame)
    assert proposals["id"].column == "kode"
    assert proposals["name"].column == "Betegnelse_lang"
    assert proposals["name"].by == "indhold"
    assert proposals["population"].column is None


def test_latlon_in_columns_named_y_and_x() -> None:
    frame = pd.DataFrame(
        {
            "Anmeldelsesdato": ["24-12-2023", "01-01-2024", "02-01-2024"],
            "Gerningskode": ["Vold", "Indbrud i beboelse", "Vold"],
            "Y": ["57,0510", "57,0420", "57,0300"],
            "X": ["9,9182", "9,9300", "9,9500"],
        }
    )
    proposals = propose_columns("incidents", frame)
    chosen = _chosen(proposals)
    assert (chosen["lat"], chosen["lon"]) == ("Y", "X")
    assert chosen["x"] is None and chosen["y"] is None
    assert "breddegrader" in proposals["lat"].reason
    assert chosen["datetime"] == "Anmeldelsesdato"
    assert chosen["category"] == "Gerningskode"
    assert missing_roles("incidents", chosen) == []


def test_utm_xy_by_content() -> None:
    frame = pd.DataFrame(
        {
            "Dato": ["24-12-2023", "25-12-2023"],
            "Hændelse": ["Vold", "Hærværk"],
            "X_koordinat": ["555702", "556010,5"],
            "Y_koordinat": ["6323433", "6322000"],
        }
    )
    proposals = propose_columns("incidents", frame)
    assert proposals["x"].column == "X_koordinat"
    assert proposals["y"].column == "Y_koordinat"
    assert "EPSG:25832" in proposals["x"].reason
    assert proposals["lat"].column is None


def test_utm_numbers_in_lat_lon_columns_move_to_x_y() -> None:
    frame = pd.DataFrame(
        {
            "dato": ["2024-01-01"],
            "kategori": ["vold"],
            "lat": ["6323433"],
            "lon": ["555702"],
        }
    )
    chosen = _chosen(propose_columns("incidents", frame))
    assert (chosen["x"], chosen["y"]) == ("lon", "lat")
    assert chosen["lat"] is None and chosen["lon"] is None


def test_danish_dates_and_clock_by_content() -> None:
    frame = pd.DataFrame(
        {
            "Hvornår": ["24-12-2023", "31-01-2024", "01-02-2024"],
            "Kl.slæt": ["23:45", "01:10", "12:00"],
            "Hvad": ["vold", "vold", "tyveri"],
            "bredde": ["57,05", "57,04", "57,03"],
            "længde": ["9,91", "9,92", "9,93"],
        }
    )
    proposals = propose_columns("incidents", frame)
    assert proposals["datetime"].column == "Hvornår"
    assert "datoer" in proposals["datetime"].reason
    assert proposals["time"].column == "Kl.slæt"
    assert proposals["category"].column == "Hvad"


def test_a_time_of_day_column_is_never_the_date() -> None:
    """'Gerningstidspunkt' is a name of both roles; its cells ('22:23') make it the time."""
    frame = pd.DataFrame(
        {
            "Journalnr": ["5100-1", "5100-2", "5100-3"],
            "Gerningstidspunkt": ["22:23", "17:33", "08:05"],
            "Gerningsdato": ["01-01-2023", "02-01-2023", "03-01-2023"],
            "Postnr": ["9000", "9000", "9220"],
            "Kategori": ["vold", "vold", "tyveri"],
        }
    )
    proposals = propose_columns("incidents", frame)
    assert proposals["datetime"].column == "Gerningsdato"
    assert proposals["time"].column == "Gerningstidspunkt"
    assert proposals["id"].column == "Journalnr"  # a case number, never the postal code
    # without the date column the time of day is still not taken as the date
    alone = propose_columns("incidents", frame.drop(columns="Gerningsdato"))
    assert alone["datetime"].column is None
    assert alone["time"].column == "Gerningstidspunkt"


def test_find_columns_prefers_the_column_whose_cells_fit() -> None:
    columns = ["Tidspunkt", "Dato", "Postnr", "Sagsnr"]
    table = pd.DataFrame(
        {"Tidspunkt": ["10:00"], "Dato": ["24-12-2023"], "Postnr": ["9000"], "Sagsnr": ["1"]}
    )
    by_name = find_columns(columns, ("datetime", "time", "id"))
    assert by_name["datetime"] == "Tidspunkt"  # names alone: the first alias wins
    assert by_name["id"] == "Postnr"  # the shared id list is the districts'
    judged = find_columns(
        columns, ("datetime", "time", "id"), kind="incidents", fit=content_fit(table)
    )
    assert judged == {"datetime": "Dato", "time": "Tidspunkt", "id": "Sagsnr"}


def test_half_a_coordinate_pair_is_not_proposed() -> None:
    frame = pd.DataFrame({"dato": ["2024-01-01"], "kategori": ["vold"], "n": ["57,05"]})
    chosen = _chosen(propose_columns("incidents", frame))
    assert chosen["lat"] is None
    assert missing_roles("incidents", chosen) == ["lat", "lon"]


def test_measurements_by_content() -> None:
    frame = pd.DataFrame(
        {
            "sted": ["vejgaard", "gug", "kommune"],
            "TID": ["2024K1", "2024K2", "2024"],
            "spm": ["tryg_i_nabolaget", "tryg_i_nabolaget", "tryg_i_nabolaget"],
            "resultat_pct": ["87,5", "90,1", "88,0"],
            "besvarelser": ["214", "180", "900"],
        }
    )
    proposals = propose_columns("measurements", frame, known_indicators=["tryg_i_nabolaget"])
    chosen = _chosen(proposals)
    assert chosen == {
        "area": "sted",
        "period": "TID",
        "indicator": "spm",
        "value": "resultat_pct",
        "n": "besvarelser",
    }
    assert proposals["indicator"].by == "indhold"


def test_every_role_of_every_kind_gets_a_proposal_object() -> None:
    frame = pd.DataFrame({"a": ["", ""], "b": ["x", "y"]})
    for kind, roles in KIND_ROLES.items():
        proposals = propose_columns(kind, frame)
        assert tuple(proposals) == roles


def test_vector_attribute_values_are_judged_as_text() -> None:
    frame = pd.DataFrame({"FID_key": [1.0, 2.0, 3.0], "area_m2": [1.5, 2.25, 3.75]})
    proposals = propose_columns("districts", frame)
    assert proposals["id"].column == "FID_key"
