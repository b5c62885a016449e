"""Provenance on the command line: ``import --source`` stores the source with the version.

A new user imports their own districts and a police export with ``--source``; the source is
stored in the version's meta.json (kept by rollback and by the re-assignment that new districts
cause), shown by ``status`` and ``status --json``. Flags are read exactly: an abbreviated or
mistyped flag is a usage error (exit 2), so ``--source`` is never read as ``--source-col``.
How the views, PNGs and CSVs use the source: ``tests/views/test_provenance_views.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from user_files import DISTRICTS, SOURCE, districts_geojson, police_csv

from tryg_geo import (
    Store,
    UsageError,
    import_file,
)
from tryg_geo.cli import main


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("TRYG_DATA_DIR", str(folder))
    monkeypatch.setenv("TRYG_BASEMAP", "none")
    monkeypatch.delenv("TRYG_DEBUG", raising=False)
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Districts (no source given) and a police export with --source, imported by the CLI."""
    code, _, err = run(
        capsys, "import", "districts", str(districts_geojson(tmp_path / "omraader.geojson"))
    )
    assert code == 0, err
    police = police_csv(tmp_path / "politi_2025.csv")
    code, out, err = run(capsys, "import", "incidents", str(police), "--source", SOURCE)
    assert code == 0, err
    assert f"Kilde: {SOURCE}" in out
    return police


# ---- stored with the version ------------------------------------------------------------------
def test_import_stores_the_source_in_meta(imported: Path, data_dir: Path) -> None:
    assert Store(data_dir).meta("incidents")["source"] == SOURCE
    assert Store(data_dir).meta("districts")["source"] is None


def test_import_file_takes_the_source_as_a_parameter(tmp_path: Path, data_dir: Path) -> None:
    store = Store(data_dir)
    path = districts_geojson(tmp_path / "d.geojson")
    result = import_file("districts", path, source="  Aalborg Kommune,\n  GIS 2025 ", store=store)
    assert result.accepted == len(DISTRICTS)
    assert store.meta("districts")["source"] == "Aalborg Kommune, GIS 2025"


def test_a_dry_run_stores_no_source(tmp_path: Path, data_dir: Path) -> None:
    store = Store(data_dir)
    import_file("districts", districts_geojson(tmp_path / "d.geojson"), source="X", dry_run=True)
    assert not store.has("districts")


def test_an_overlong_source_is_a_usage_error(tmp_path: Path, data_dir: Path) -> None:
    path = districts_geojson(tmp_path / "d.geojson")
    with pytest.raises(UsageError, match=r"Kilden er 201 tegn lang; højst 200 tegn"):
        import_file("districts", path, source="x" * 201, store=Store(data_dir))
    assert not Store(data_dir).has("districts")


def test_status_json_shows_the_source_per_kind(imported: Path, capsys) -> None:
    code, out, _ = run(capsys, "status", "--json")
    assert code == 0
    kinds = json.loads(out)["kinds"]
    assert kinds["incidents"]["source"] == SOURCE
    assert kinds["districts"]["source"] is None


def test_status_in_words_names_the_source(imported: Path, capsys) -> None:
    code, out, _ = run(capsys, "status")
    assert code == 0
    assert f"kilde: {SOURCE}" in out


def test_new_districts_keep_the_incidents_source(imported: Path, tmp_path, data_dir, capsys):
    """New districts re-assign the stored incidents: a new incidents version, same source."""
    before = Store(data_dir).meta("incidents")["version"]
    path = districts_geojson(tmp_path / "nye.geojson", population=False)
    code, _, err = run(capsys, "import", "districts", str(path), "--source", "Aalborg Kommune")
    assert code == 0, err
    meta = Store(data_dir).meta("incidents")
    assert meta["version"] != before
    assert meta["source"] == SOURCE
    assert Store(data_dir).meta("districts")["source"] == "Aalborg Kommune"


def test_rollback_brings_back_the_previous_source(imported: Path, data_dir, capsys) -> None:
    police = imported
    code, _, _ = run(capsys, "import", "incidents", str(police), "--source", "Andet udtræk")
    assert code == 0
    assert Store(data_dir).meta("incidents")["source"] == "Andet udtræk"
    assert run(capsys, "rollback", "incidents")[0] == 0
    assert Store(data_dir).meta("incidents")["source"] == SOURCE


# ---- the command line reads flags exactly -----------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "flag"),
    [
        (["import", "incidents", "{file}", "--sourc", "X"], "--sourc"),
        (["import", "incidents", "{file}", "--dry"], "--dry"),
        (["import", "incidents", "{file}", "--date", "Dato"], "--date"),
        (["export", "--view", "natteliv", "--form", "csv", "--out", "x.csv"], "--form"),
        (["status", "--js"], "--js"),
    ],
)
def test_abbreviated_flags_are_usage_errors(tmp_path, capsys, argv, flag) -> None:
    police = police_csv(tmp_path / "p.csv")
    code, _, err = run(capsys, *[a.replace("{file}", str(police)) for a in argv])
    assert code == 2
    assert f"unrecognized arguments: {flag}" in err


def test_source_is_not_read_as_the_source_column(tmp_path, capsys, data_dir) -> None:
    """Before, '--source X' became '--source-col X' and failed: the file has no column X."""
    police = police_csv(tmp_path / "p.csv")
    code, _, err = run(capsys, "import", "incidents", str(police), "--source", "Politiet")
    assert code == 0, err
    assert Store(data_dir).meta("incidents")["source"] == "Politiet"
