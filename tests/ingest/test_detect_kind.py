"""Which kind a file holds, judged from the file: the demo data of each kind written as a user
would have it, the agreement suite's police export, and files that are none of them."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from tryg_geo.compute.registry import get_initiative
from tryg_geo.demo.districts import make_districts
from tryg_geo.demo.incidents import make_incidents
from tryg_geo.demo.measurements import make_measurements
from tryg_geo.demo.places import make_places
from tryg_geo.ingest.detect_kind import KindGuess, detect_kind, guess_kind
from tryg_geo.ingest.importer import detect_upload
from tryg_geo.ingest.template import build_template

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "agreement"))
from police_file import police_csv  # noqa: E402


@pytest.fixture(scope="module")
def districts() -> gpd.GeoDataFrame:
    return make_districts()


def test_demo_districts_are_districts(tmp_path, districts) -> None:
    districts.to_file(tmp_path / "bydele.geojson")
    guess = detect_kind(tmp_path / "bydele.geojson")
    assert guess == KindGuess("districts", "Genkendt som områder: filen har flader (polygoner).")


def test_demo_places_are_places_by_their_art_column(tmp_path) -> None:
    make_places().to_file(tmp_path / "steder.geojson")
    guess = detect_kind(tmp_path / "steder.geojson")
    assert guess.kind == "places"
    assert guess.reason == "Genkendt som steder: flader med en kolonne for art ('kind')."


def test_points_without_dates_are_places(tmp_path) -> None:
    places = make_places()
    points = places[["place_id", "name"]].set_geometry(places.centroid)
    points.to_file(tmp_path / "punkter.gpkg")
    assert detect_kind(tmp_path / "punkter.gpkg") == KindGuess(
        "places", "Genkendt som steder: filen har punkter uden dato."
    )


def test_demo_incidents_as_a_csv_are_incidents(tmp_path, districts) -> None:
    incidents = make_incidents(districts, count=300, rng=np.random.default_rng(1))
    table = incidents[["incident_id", "time", "category", "x", "y"]]
    table = table.rename(columns={"time": "tidspunkt"})
    table.to_csv(tmp_path / "haendelser.csv", sep=";", index=False)
    guess = detect_kind(tmp_path / "haendelser.csv")
    assert guess.kind == "incidents"
    assert guess.reason == (
        "Genkendt som hændelser: kolonner med dato og koordinater ('tidspunkt', 'x' og 'y')."
    )


def test_demo_incidents_as_points_with_dates_are_incidents(tmp_path, districts) -> None:
    incidents = make_incidents(districts, count=50, rng=np.random.default_rng(2))
    points = gpd.GeoDataFrame(
        {"dato": incidents["time"].astype(str), "kategori": incidents["category"]},
        geometry=gpd.points_from_xy(incidents["x"], incidents["y"]),
        crs="EPSG:25832",
    )
    points.to_file(tmp_path / "punkter.geojson")
    guess = detect_kind(tmp_path / "punkter.geojson")
    assert guess.kind == "incidents" and "punkter med en kolonne med dato ('dato')" in guess.reason


def test_the_police_export_is_incidents(tmp_path) -> None:
    guess = detect_kind(police_csv(tmp_path / "politi.csv"))
    assert guess.kind == "incidents"
    assert "('Dato', 'Breddegrad' og 'Længdegrad')" in guess.reason


def test_demo_measurements_are_measurements(tmp_path) -> None:
    measurements = make_measurements(make_places(), seed=3)
    measurements.head(500).to_csv(tmp_path / "maalinger.csv", index=False)
    guess = detect_kind(tmp_path / "maalinger.csv")
    assert guess == KindGuess(
        "measurements",
        "Genkendt som målinger: kolonner med indikator, periode og værdi "
        "('indicator', 'period' og 'value').",
    )


def test_a_template_is_measurements(tmp_path) -> None:
    path = tmp_path / "skabelon.xlsx"
    path.write_bytes(build_template(get_initiative("fri-tid"), today=date(2026, 11, 30)))
    assert detect_kind(path).kind == "measurements"
    assert "skabelon" in detect_kind(path).reason


def test_a_table_of_neither_kind_is_not_guessed() -> None:
    frame = pd.DataFrame({"navn": ["Anna", "Bo"], "alder": ["31", "44"]})
    guess = guess_kind(frame)
    assert guess.kind is None and guess.reason.endswith("Vælg datatypen selv.")


def test_lines_alone_are_not_guessed() -> None:
    guess = guess_kind(pd.DataFrame({"navn": ["vej"]}), {"LineString"})
    assert guess.kind is None and "hverken flader" in guess.reason


def test_an_unreadable_upload_guesses_nothing(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("TRYG_DATA_DIR", str(tmp_path / "data"))
    guess = detect_upload("tom.csv", b"   ")
    assert guess.kind is None and "ikke kunne læses" in guess.reason
