"""Views follow the data: a view opens on an indicator that has numbers for the period.

A new user with their own districts and a police export but no survey: Tryg bydel opens on
incidents (per 1 000 when the districts have a population, counts when not); a survey
indicator stays selectable and says which file would fill it; ``export --view tryg-bydel``
writes the true counts, never a CSV of empty values; Overblik and the indsats pages lead with
an indicator that has numbers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from user_files import COUNTS, SOURCE, districts_geojson, police_csv

from tryg_geo import Store, build_view, default_filters, load_dataset, view_csv
from tryg_geo.cli import main
from tryg_geo.render.csv_export import read_csv


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("TRYG_DATA_DIR", str(folder))
    monkeypatch.setenv("TRYG_BASEMAP", "none")
    return folder


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def imported(tmp_path: Path, capsys, *, population: bool) -> None:
    districts = districts_geojson(tmp_path / "omraader.geojson", population=population)
    assert run(capsys, "import", "districts", str(districts))[0] == 0
    police = police_csv(tmp_path / "politi.csv")
    assert run(capsys, "import", "incidents", str(police), "--source", SOURCE)[0] == 0


@pytest.fixture
def with_population(tmp_path: Path, capsys, data_dir: Path):
    imported(tmp_path, capsys, population=True)
    return load_dataset(Store(data_dir))


@pytest.fixture
def without_population(tmp_path: Path, capsys, data_dir: Path):
    imported(tmp_path, capsys, population=False)
    return load_dataset(Store(data_dir))


# ---- Tryg bydel ---------------------------------------------------------------------------------
def test_tryg_bydel_opens_on_incidents_per_1000(with_population) -> None:
    ds = with_population
    view = build_view("tryg-bydel", ds, default_filters(ds))
    assert set(view.table["indicator"]) == {"haendelser_pr_1000"}
    assert "Trygge i nabolaget" not in view.title
    table = view.table.set_index("district_id")
    assert table.loc["9000", "incidents"] == COUNTS["9000"]
    assert table.loc["9220", "incidents_per_1000"] == pytest.approx(17 / 31_000 * 1000, abs=0.01)
    assert view.map is not None and view.map.legend.title.startswith("Hændelser pr. 1.000")


def test_tryg_bydel_without_population_opens_on_counts(without_population) -> None:
    ds = without_population
    view = build_view("tryg-bydel", ds, default_filters(ds))
    assert set(view.table["indicator"]) == {"haendelser"}
    assert view.title == "Tryg bydel – Anmeldte hændelser"
    assert view.map is not None and view.map.legend.title == "Hændelser"
    assert view.table.set_index("district_id").loc["9220", "incidents"] == COUNTS["9220"]


def test_a_survey_indicator_without_data_says_which_file_fills_it(with_population) -> None:
    ds = with_population
    view = build_view("tryg-bydel", ds, default_filters(ds).with_(indicator="tryg_andel"))
    assert view.title == "Tryg bydel – Trygge i nabolaget"
    assert len(view.table) == 0
    text = view.missing or ""
    assert "Der er ingen målinger af «Trygge i nabolaget»" in text
    assert "som målinger (CSV eller XLSX med kolonnerne" in text and "tryg_andel" in text


def test_rate_without_population_says_which_file_fills_it(without_population) -> None:
    ds = without_population
    view = build_view("tryg-bydel", ds, default_filters(ds).with_(indicator="haendelser_pr_1000"))
    text = " ".join(view.notes)
    assert "befolkning" in text and "områder" in text


def test_cli_export_of_tryg_bydel_has_the_true_counts(with_population, tmp_path, capsys) -> None:
    out = tmp_path / "tryg-bydel.csv"
    code, _, err = run(
        capsys, "export", "--view", "tryg-bydel", "--format", "csv", "--out", str(out)
    )
    assert code == 0, err
    table = read_csv(out.read_bytes())
    assert {"district_id", "incidents", "source"} <= set(table.columns)
    shown = table.set_index(table["district_id"].astype(str))
    assert shown.loc["9000", "incidents"] == COUNTS["9000"]
    assert shown.loc["9220", "incidents"] == COUNTS["9220"]
    assert pd.isna(shown.loc["9200", "incidents"])  # 3 incidents: hidden, never exported
    assert pd.isna(shown.loc["9400", "incidents"])  # hidden beside it (the total is shown)
    assert set(table["source"]) == {SOURCE}


def test_cli_export_of_an_empty_indicator_writes_no_file(with_population, tmp_path, capsys):
    out = tmp_path / "tom.csv"
    code, _, err = run(
        capsys, "export", "--view", "tryg-bydel", "--indicator", "tryg_andel", "--format", "csv",
        "--out", str(out),
    )  # fmt: skip
    assert code == 1
    assert not out.exists()
    assert "Der er ingen målinger af «Trygge i nabolaget»" in err
    assert "--indicator haendelser_pr_1000" in err


# ---- Overblik and Indsatser ---------------------------------------------------------------------
def test_overblik_leads_tryg_bydel_with_the_indicator_that_has_data(with_population) -> None:
    ds = with_population
    view = build_view("overblik", ds, default_filters(ds))
    row = view.table.set_index("slug").loc["tryg-bydel"]
    assert row["indicator"] == "indbrud_pr_1000"
    assert row["value"] == pytest.approx(69 / 93_000 * 1000, abs=0.05)


def test_indsats_leads_with_the_indicator_that_has_data(with_population) -> None:
    ds = with_population
    view = build_view("indsats/tryg-bydel", ds, default_filters(ds))
    assert view.kpis[0].label == "Indbrud i beboelse pr. 1.000 indbyggere"
    assert view.kpis[0].value not in ("–", "ingen data")


def test_demo_tryg_bydel_still_opens_on_the_survey(tmp_path: Path) -> None:
    from tryg_geo import make_demo

    store = Store(tmp_path / "demo")
    make_demo(store, incidents=2_000, seed=5)
    ds = load_dataset(store)
    view = build_view("tryg-bydel", ds, default_filters(ds))
    assert set(view.table["indicator"]) == {"tryg_andel"}
    assert view_csv(view)


# ---- Byens rum ----------------------------------------------------------------------------------
def test_byens_rum_opens_on_the_observation_with_data(tmp_path: Path) -> None:
    """Only people counted at the quay: the view (and so the CLI) opens on them, not on
    complaints, as the page's select box does (measured observations first)."""
    import tiny_data

    rows = [tiny_data.measurement("personer_til_stede", "havnefronten", "2025-06", 40.5)]
    ds = tiny_data.build(tmp_path, measurements=rows)
    view = build_view("byens-rum", ds, default_filters(ds))
    assert set(view.table["indicator"]) == {"personer_til_stede"}
    chosen = build_view("byens-rum", ds, default_filters(ds).with_(place_indicator="klager"))
    assert set(chosen.table["indicator"]) == {"klager"}
