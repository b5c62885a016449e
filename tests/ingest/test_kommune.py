"""Keeping one kommune's areas of a national boundary file (``--kommune``), on small files made
here: two kommuner (one with an island on its own row), postal areas without a kommune code that
lie wholly, half, barely and not inside, and parishes with a KOMKODE column."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from tryg_geo.cli import main
from tryg_geo.errors import UsageError
from tryg_geo.ingest.importer import import_file
from tryg_geo.ingest.kommune import KOMMUNE_SHARE, kommune_code
from tryg_geo.store.folder import Store

X0, Y0 = 550_000, 6_310_000  # near Aalborg, EPSG:25832
KM = 1_000


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRYG_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def write(path: Path, rows: list[dict]) -> Path:
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:25832")
    frame.to_file(path, driver="GeoJSON")
    return path


@pytest.fixture()
def kommuner(tmp_path: Path) -> Path:
    """0851 is the western 10 × 10 km (and an island), 0849 the eastern."""
    return write(
        tmp_path / "kommuner.geojson",
        [
            {"KOMKODE": "0851", "KOMNAVN": "Aalborg", "geometry": box(X0, Y0, X0 + 10 * KM, Y0 + 10 * KM)},
            {"KOMKODE": "0851", "KOMNAVN": "Aalborg", "geometry": box(X0, Y0 + 11 * KM, X0 + KM, Y0 + 12 * KM)},
            {"KOMKODE": "0849", "KOMNAVN": "Jammerbugt", "geometry": box(X0 + 10 * KM, Y0, X0 + 20 * KM, Y0 + 10 * KM)},
        ],
    )  # fmt: skip


@pytest.fixture()
def postnumre(tmp_path: Path) -> Path:
    """9000 inside, 9200 half inside, 9300 barely (5 %) inside, 9400 outside, no kommune code."""

    def area(code, x0, x1):
        return {
            "POSTNR_TXT": code,
            "POSTBYNAVN": f"By {code}",
            "geometry": box(X0 + x0, Y0, X0 + x1, Y0 + KM),
        }

    return write(
        tmp_path / "postnumre.geojson",
        [area("9000", 1 * KM, 2 * KM), area("9200", 9.5 * KM, 10.5 * KM),
         area("9300", 9.95 * KM, 10.95 * KM), area("9400", 12 * KM, 13 * KM)],
    )  # fmt: skip


def test_postal_areas_are_kept_by_the_kommune_boundary(postnumre, kommuner) -> None:
    result = import_file("districts", postnumre, kommune="851", kommune_file=kommuner, dry_run=True)
    assert sorted(result.frame["district_id"]) == ["9000", "9200"]
    assert result.kommune == {
        "code": "0851", "name": "Aalborg", "kept": 2, "dropped": 2, "by": "boundary",
    }  # fmt: skip
    assert result.report()["kommune"]["dropped"] == result.outside_kommune == 2
    assert result.rows_read == result.accepted + result.outside_kommune
    (sentence,) = [w for w in result.warnings if w.startswith("Kun områderne")]
    assert sentence == (
        "Kun områderne i kommune 0851 (Aalborg) er beholdt: 2 af 4 (med mindst 10 % af "
        "arealet inden for kommunegrænsen fra kommuner.geojson); 2 er udeladt."
    )
    assert 0.05 < KOMMUNE_SHARE < 0.5  # 9300's 5 % is a border sliver, 9200's half is not


def test_a_file_with_a_kommune_code_is_kept_by_its_code(tmp_path, kommuner) -> None:
    sogne = write(
        tmp_path / "sogne.geojson",
        [
            {"SOGNEKODE": "8001", "SOGNENAVN": "Budolfi", "KOMKODE": "851", "geometry": box(X0, Y0, X0 + KM, Y0 + KM)},
            {"SOGNEKODE": "8002", "SOGNENAVN": "Vor Frue", "KOMKODE": "0851", "geometry": box(X0 + KM, Y0, X0 + 2 * KM, Y0 + KM)},
            {"SOGNEKODE": "8003", "SOGNENAVN": "Aabybro", "KOMKODE": "0849", "geometry": box(X0 + 2 * KM, Y0, X0 + 3 * KM, Y0 + KM)},
        ],
    )  # fmt: skip
    columns = {"id": "SOGNEKODE", "name": "SOGNENAVN"}
    result = import_file("districts", sogne, columns=columns, kommune="0851", dry_run=True)
    assert sorted(result.frame["district_id"]) == ["8001", "8002"]
    assert result.kommune["by"] == "code" and result.outside_kommune == 1
    assert any("efter kommunekoden i kolonnen 'KOMKODE'" in w for w in result.warnings)


def test_the_kommuner_file_itself_keeps_one_kommune(kommuner) -> None:
    result = import_file("districts", kommuner, kommune="0851")
    assert result.frame["district_id"].tolist() == ["0851"]
    assert (result.rows_read, result.duplicates, result.outside_kommune) == (3, 1, 1)
    assert Store().read("districts")["district_id"].tolist() == ["0851"]


def test_without_a_code_column_a_boundary_is_needed(postnumre) -> None:
    with pytest.raises(UsageError, match="--kommune-fil"):
        import_file("districts", postnumre, kommune="0851", dry_run=True)


def test_unknown_kommune_and_bad_code_and_other_kinds_are_refused(postnumre, kommuner) -> None:
    with pytest.raises(UsageError, match="kommunekode 0999 findes ikke"):
        import_file("districts", postnumre, kommune="0999", kommune_file=kommuner, dry_run=True)
    with pytest.raises(UsageError, match="fire cifre"):
        kommune_code("Aalborg")
    with pytest.raises(UsageError, match="kun for områder"):
        import_file("places", postnumre, kommune="0851", dry_run=True)


def test_cli_reports_kept_and_dropped(postnumre, kommuner, capsys) -> None:
    code = main(
        ["import", "districts", str(postnumre), "--kommune", "0851",
         "--kommune-fil", str(kommuner), "--json"]
    )  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["accepted"] == 2
    assert report["kommune"] | {} == {
        "code": "0851", "name": "Aalborg", "kept": 2, "dropped": 2, "by": "boundary",
    }  # fmt: skip
    main(["import", "districts", str(postnumre), "--kommune", "0851", "--kommune-fil", str(kommuner), "--dry-run"])  # fmt: skip
    assert "Uden for kommunen:  2 (udeladt)" in capsys.readouterr().out
