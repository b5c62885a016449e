"""import_file: validation, storing, versions, district re-assignment, dry run, limits."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely import box

import tryg_geo.ingest.importer as importer
from tryg_geo.errors import UnusableFileError, UsageError
from tryg_geo.ingest.importer import import_file
from tryg_geo.ingest.result import LoadResult
from tryg_geo.store.folder import Store

HEADER = "id;dato;kategori;x;y\n"


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TRYG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TRYG_UPLOAD_LIMIT_MB", raising=False)


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "data")


def write(tmp_path: Path, text: str, name: str = "hændelser.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    return path


def incidents_csv(tmp_path: Path, points: list[tuple[int, int]], name="hændelser.csv") -> Path:
    rows = "".join(f"{i};01-01-2024 10:00;vold;{x};{y}\n" for i, (x, y) in enumerate(points, 1))
    return write(tmp_path, HEADER + rows, name)


def districts(*squares: tuple[str, float, float, float, float]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "district_id": [s[0] for s in squares],
            "name": [f"Område {s[0]}" for s in squares],
            "population": pd.array([100] * len(squares), dtype="Int64"),
        },
        geometry=[box(*s[1:]) for s in squares],
        crs="EPSG:25832",
    )


@pytest.fixture
def fake_district_loader(monkeypatch):
    """The districts loader is someone else's module: stand in with a fixed GeoDataFrame."""
    chosen: dict[str, gpd.GeoDataFrame] = {}

    def load(path, store, **options):
        frame = chosen["frame"]
        empty = pd.DataFrame(columns=["row", "column", "value", "reason", "message"])
        return LoadResult("districts", Path(path).name, frame, empty, rows_read=len(frame))

    monkeypatch.setitem(importer._LOADERS, "districts", load)
    return chosen


def district_ids(frame: pd.DataFrame) -> list[str | None]:
    return [None if pd.isna(v) else str(v) for v in frame["district_id"]]


# ---- importing ------------------------------------------------------------------------------------
def test_import_stores_accepted_rows_and_report(tmp_path, store):
    path = write(
        tmp_path, HEADER + "1;01-01-2024 10:00;vold;555702;6323433\n2;i går;vold;555702;6323433\n"
    )
    result = import_file("incidents", path, store=store)
    assert (result.rows_read, result.accepted, len(result.rejected)) == (2, 1, 1)
    stored = store.read("incidents")
    assert stored["incident_id"].tolist() == ["1"]
    assert stored["cell_100m"].astype(str).tolist() == ["100m_63234_5557"]
    assert store.meta("incidents")["report"] == result.report()
    assert store.read_rejected("incidents")["reason"].tolist() == ["unparseable_date"]
    originals = list((store.root / "originals").iterdir())
    assert len(originals) == 1 and originals[0].read_bytes() == path.read_bytes()


def test_default_store_is_the_data_dir(tmp_path):
    import_file("incidents", incidents_csv(tmp_path, [(555702, 6323433)]))
    assert Store(tmp_path / "data").has("incidents")


def test_replacing_a_kind_keeps_the_previous_version(tmp_path, store):
    import_file("incidents", incidents_csv(tmp_path, [(555702, 6323433)], "a.csv"), store=store)
    import_file("incidents", incidents_csv(tmp_path, [(555702, 6323433)] * 3, "b.csv"), store=store)
    assert len(store.read("incidents")) == 3
    versions = store.versions("incidents")
    assert len(versions) == 1
    assert len(pd.read_parquet(versions[0] / "data.parquet")) == 1
    store.rollback("incidents")
    assert len(store.read("incidents")) == 1
    assert store.meta("incidents")["file"] == "a.csv"


def test_zero_accepted_rows_leaves_current_data_untouched(tmp_path, store):
    import_file("incidents", incidents_csv(tmp_path, [(555702, 6323433)], "god.csv"), store=store)
    folder = store.root / "incidents"
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    bad = write(tmp_path, HEADER + "1;i går;vold;555702;6323433\n2;;vold;1;1\n", "dårlig.csv")
    result = import_file("incidents", bad, store=store)
    assert result.accepted == 0 and len(result.rejected) == 2
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert after == before
    failed = store.failed_rejections_path("incidents").read_bytes()
    assert b"unparseable_date" in failed
    assert store.versions("incidents") == []
    assert any(w.startswith("Ingen rækker blev godkendt") for w in result.warnings)


def test_zero_accepted_rows_on_first_import_stores_nothing(tmp_path, store):
    bad = write(tmp_path, HEADER + "1;i går;vold;555702;6323433\n")
    result = import_file("incidents", bad, store=store)
    assert result.accepted == 0
    assert not store.has("incidents")


def test_dry_run_writes_nothing(tmp_path, store):
    path = incidents_csv(tmp_path, [(555702, 6323433)])
    result = import_file("incidents", path, dry_run=True, store=store)
    assert result.accepted == 1
    assert not store.root.exists() or list(store.root.rglob("*")) == []


def test_dry_run_of_a_replacement_changes_nothing(tmp_path, store):
    import_file("incidents", incidents_csv(tmp_path, [(555702, 6323433)], "a.csv"), store=store)
    before = {str(p): p.read_bytes() for p in store.root.rglob("*") if p.is_file()}
    import_file(
        "incidents",
        incidents_csv(tmp_path, [(555702, 6323433)] * 2, "b.csv"),
        dry_run=True,
        store=store,
    )
    assert {str(p): p.read_bytes() for p in store.root.rglob("*") if p.is_file()} == before


def test_measurements_import_warns_about_unknown_areas(tmp_path, store, fake_district_loader):
    fake_district_loader["frame"] = districts(("D1", 0, 0, 1, 1))
    import_file("districts", write(tmp_path, "x", "områder.geojson"), store=store)
    path = write(
        tmp_path, "område;periode;indikator;værdi\nD1;2024;tryg_andel;0,9\nD7;2024;tryg_andel;0,8\n"
    )
    result = import_file("measurements", path, store=store)
    assert result.accepted == 2
    assert any("(fx D7)" in w for w in result.warnings)
    assert len(store.read("measurements")) == 2


# ---- districts and incidents ----------------------------------------------------------------------
def test_incidents_get_districts_already_stored(tmp_path, store, fake_district_loader):
    fake_district_loader["frame"] = districts(("D1", 555600, 6323400, 555800, 6323500))
    import_file("districts", write(tmp_path, "x", "områder.geojson"), store=store)
    path = incidents_csv(tmp_path, [(555702, 6323433), (556000, 6324000)])
    result = import_file("incidents", path, store=store)
    assert district_ids(store.read("incidents")) == ["D1", None]
    assert result.outside_districts == 1


def test_importing_districts_after_incidents_reassigns_them(tmp_path, store, fake_district_loader):
    points = [(555650, 6323450), (555750, 6323450), (555700, 6323450), (556500, 6323450)]
    import_file("incidents", incidents_csv(tmp_path, points), store=store)
    assert district_ids(store.read("incidents")) == [None, None, None, None]

    fake_district_loader["frame"] = districts(
        ("D2", 555600, 6323400, 555700, 6323500), ("D1", 555700, 6323400, 555800, 6323500)
    )
    result = import_file("districts", write(tmp_path, "x", "områder.geojson"), store=store)
    stored = store.read("incidents")
    assert district_ids(stored) == ["D2", "D1", "D1", None]
    assert store.meta("incidents")["report"]["outside_districts"] == 1
    assert result.warnings[-1] == (
        "De gemte hændelser fik tildelt de nye områder (3 skiftede område, 1 ligger uden for)."
    )
    # The re-assignment is a new version of the incidents: the old one can be restored.
    assert len(store.versions("incidents")) == 1
    # Rejected rows of the incident import survive the re-assignment.
    assert list(store.read_rejected("incidents").columns)[:1] == ["row"]

    fake_district_loader["frame"] = districts(("D9", 555600, 6323400, 556600, 6323500))
    import_file("districts", write(tmp_path, "y", "nye.geojson"), store=store)
    assert district_ids(store.read("incidents")) == ["D9", "D9", "D9", "D9"]
    assert store.meta("incidents")["report"]["outside_districts"] == 0


# ---- refusals -------------------------------------------------------------------------------------
def test_file_over_the_upload_limit(tmp_path, store, monkeypatch):
    monkeypatch.setenv("TRYG_UPLOAD_LIMIT_MB", "1")
    path = tmp_path / "stor.csv"
    row = "1;01-01-2024 10:00;vold;555702;6323433\n"
    path.write_bytes((HEADER + row * (1_600_000 // len(row) + 1)).encode("cp1252"))
    with pytest.raises(UnusableFileError, match="stor.csv fylder 2 MB; grænsen er 1 MB") as info:
        import_file("incidents", path, store=store)
    assert "TRYG_UPLOAD_LIMIT_MB" in str(info.value)
    assert info.value.expected == "højst 1 MB"
    assert not store.root.exists() or not (store.root / "incidents").exists()


def test_upload_limit_must_be_a_whole_number(tmp_path, store, monkeypatch):
    monkeypatch.setenv("TRYG_UPLOAD_LIMIT_MB", "mange")
    with pytest.raises(UsageError, match="TRYG_UPLOAD_LIMIT_MB='mange' skal være et int"):
        import_file("incidents", incidents_csv(tmp_path, [(555702, 6323433)]), store=store)


def test_missing_file(tmp_path, store):
    with pytest.raises(UnusableFileError, match="findes ikke"):
        import_file("incidents", tmp_path / "ingen.csv", store=store)
    with pytest.raises(UnusableFileError, match="findes ikke"):
        import_file("incidents", tmp_path, store=store)  # a folder is not a file


def test_unknown_kind(tmp_path, store):
    with pytest.raises(UsageError, match="Ukendt datatype 'hændelser'"):
        import_file("hændelser", incidents_csv(tmp_path, [(555702, 6323433)]), store=store)


def test_unusable_file_stores_nothing(tmp_path, store):
    path = write(tmp_path, "id;dato;kategori;adresse\n1;01-01-2024;vold;Jomfru Ane Gade\n")
    with pytest.raises(UnusableFileError, match="der mangler koordinater"):
        import_file("incidents", path, store=store)
    assert not store.has("incidents")


def test_explicit_missing_column_is_a_usage_error(tmp_path, store):
    with pytest.raises(UsageError, match="--x-col 'øst': kolonnen findes ikke"):
        import_file(
            "incidents",
            incidents_csv(tmp_path, [(555702, 6323433)]),
            columns={"x": "øst"},
            store=store,
        )


def test_real_district_file_after_incidents_end_to_end(tmp_path, store):
    """The same as above through the real districts loader (a GeoPackage in EPSG:25832)."""
    points = [(555650, 6323450), (555700, 6323450), (556500, 6323450)]
    import_file("incidents", incidents_csv(tmp_path, points), store=store)
    squares = gpd.GeoDataFrame(
        {"id": ["D2", "D1"], "navn": ["Vest", "Øst"], "indbyggere": [100, 200]},
        geometry=[box(555600, 6323400, 555700, 6323500), box(555700, 6323400, 555800, 6323500)],
        crs="EPSG:25832",
    )
    path = tmp_path / "områder.gpkg"
    squares.to_file(path, driver="GPKG")
    result = import_file("districts", path, store=store)
    assert result.accepted == 2
    # On the shared edge x = 555 700 the lowest id wins; the point outside is kept.
    assert district_ids(store.read("incidents")) == ["D2", "D1", None]
    assert any("De gemte hændelser fik tildelt de nye områder" in w for w in result.warnings)
