"""Reading vector files: formats, coordinate systems, and every way a file can be unusable."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, Polygon

from tryg_geo.errors import UnusableFileError, UsageError
from tryg_geo.ingest.feature_rows import (
    FeatureRows,
    check_geometries,
    keep_family,
    row_message,
    text_values,
)
from tryg_geo.ingest.vector_read import read_vector

# A small square in Aalborg, in UTM 32N metres and in lon/lat degrees.
UTM_SQUARE = Polygon([(552000, 6320000), (553000, 6320000), (553000, 6321000), (552000, 6321000)])
LONLAT_SQUARE = Polygon([(9.9, 57.04), (9.92, 57.04), (9.92, 57.05), (9.9, 57.05)])
CRS84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}


def geojson(path: Path, features: list[dict], crs: dict | None = None) -> Path:
    """Write a FeatureCollection by hand, so the test controls the crs member and Z values."""
    body: dict = {"type": "FeatureCollection"}
    if crs is not None:
        body["crs"] = crs
    body["features"] = features
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def feature(properties: dict, geometry: dict | None) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def polygon_z(ring: list[tuple[float, float]], z: float = -999.0) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, y, z] for x, y in ring]]}


def square(x: float, y: float, size: float) -> list[tuple[float, float]]:
    return [(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)]


def frame_utm(n: int = 2) -> gpd.GeoDataFrame:
    geoms = [shapely.affinity.translate(UTM_SQUARE, 2000 * i) for i in range(n)]
    return gpd.GeoDataFrame(
        {"id": [f"o{i}" for i in range(n)], "navn": [f"Område {i}" for i in range(n)]},
        geometry=geoms,
        crs="EPSG:25832",
    )


def zip_shapefile(tmp_path: Path, frame: gpd.GeoDataFrame, stem: str = "omr") -> Path:
    folder = tmp_path / f"shp_{stem}"
    folder.mkdir()
    frame.to_file(folder / f"{stem}.shp")
    archive = tmp_path / f"{stem}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(folder.iterdir()):
            zf.write(file, f"data/{file.name}")
    return archive


# ---- formats --------------------------------------------------------------------------------
def test_geojson_crs84_with_z_is_read_as_lonlat_and_flattened(tmp_path):
    ring = [(9.9, 57.04), (9.92, 57.04), (9.92, 57.05), (9.9, 57.04)]
    path = geojson(
        tmp_path / "a.geojson", [feature({"id": "1", "navn": "Ø"}, polygon_z(ring))], CRS84
    )
    frame, notes = read_vector(path)
    assert frame.crs.is_geographic
    assert frame.crs.equals("EPSG:4326") or frame.crs.to_epsg() == 4326
    assert not frame.geometry.has_z.any()
    assert list(frame.columns) == ["id", "navn", "geometry"]
    assert frame.loc[0, "navn"] == "Ø"
    assert any("tredje værdi" in n for n in notes)
    assert not any("antaget" in n for n in notes)  # declared, so nothing was assumed


def test_geopackage_with_two_layers_needs_a_layer(tmp_path):
    path = tmp_path / "to_lag.gpkg"
    frame_utm().to_file(path, layer="bydele")
    frame_utm(3).to_file(path, layer="postnumre")
    with pytest.raises(
        UnusableFileError, match=r"to_lag.gpkg har 2 lag: bydele, postnumre.*--layer"
    ):
        read_vector(path)
    frame, notes = read_vector(path, layer="postnumre")
    assert len(frame) == 3 and frame.crs.to_epsg() == 25832
    assert any("postnumre" in n for n in notes)
    frame, _ = read_vector(path, layer="BYDELE")  # layer names are matched case-insensitively
    assert len(frame) == 2
    with pytest.raises(UsageError, match=r"--layer 'vejene'.*Filens lag er: bydele, postnumre"):
        read_vector(path, layer="vejene")


def test_zipped_shapefile_in_a_folder_is_read(tmp_path):
    archive = zip_shapefile(tmp_path, frame_utm())
    with zipfile.ZipFile(archive, "a") as zf:  # macOS junk must not count as a second .shp
        zf.writestr("__MACOSX/data/._omr.shp", b"junk")
    frame, notes = read_vector(archive)
    assert len(frame) == 2 and frame.crs.to_epsg() == 25832
    assert list(frame["navn"]) == ["Område 0", "Område 1"]
    assert any("data/omr.shp" in n for n in notes)


def test_zip_with_windows_backslash_paths_is_read(tmp_path):
    folder = tmp_path / "win"
    folder.mkdir()
    frame_utm().to_file(folder / "omr.shp")
    archive = tmp_path / "win.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in folder.iterdir():
            zf.write(file, "kort\\" + file.name)
    assert len(read_vector(archive)[0]) == 2


def test_zip_with_two_shapefiles_asks_for_a_layer(tmp_path):
    folder = tmp_path / "two"
    folder.mkdir()
    frame_utm().to_file(folder / "a.shp")
    frame_utm(3).to_file(folder / "b.shp")
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in folder.iterdir():
            zf.write(file, file.name)
    with pytest.raises(UnusableFileError, match=r"two.zip har 2 lag: a, b.*--layer"):
        read_vector(archive)
    assert len(read_vector(archive, layer="b")[0]) == 3
    with pytest.raises(UsageError, match=r"--layer 'c'.*Filens lag er: a, b"):
        read_vector(archive, layer="c")


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_bare_shapefile_without_prj_guesses_utm(tmp_path):
    path = tmp_path / "bare.shp"
    frame_utm().set_crs(None, allow_override=True).to_file(path)
    assert not path.with_suffix(".prj").exists()
    frame, notes = read_vector(path)
    assert frame.crs.to_epsg() == 25832
    assert any("EPSG:25832" in n and "antaget" in n for n in notes)


def test_shapefile_without_its_sidecars_is_refused(tmp_path):
    path = tmp_path / "alene.shp"
    frame_utm().to_file(path)
    path.with_suffix(".dbf").unlink()
    with pytest.raises(UnusableFileError, match=r"alene.shp: Shapefilen mangler .*alene.dbf"):
        read_vector(path)


def test_geoparquet_is_read(tmp_path):
    path = tmp_path / "omr.parquet"
    frame_utm().to_parquet(path)
    frame, _ = read_vector(path)
    assert len(frame) == 2 and frame.crs.to_epsg() == 25832


def test_geopackage_attribute_tables_are_not_layers_to_choose(tmp_path):
    import pyogrio

    path = tmp_path / "blandet.gpkg"
    frame_utm().to_file(path, layer="bydele")
    pyogrio.write_dataframe(pd.DataFrame({"a": [1, 2]}), path, layer="opslag")
    frame, _ = read_vector(path)
    assert len(frame) == 2


def test_geojson_in_windows_encoding_is_read_with_a_note(tmp_path):
    body = {
        "type": "FeatureCollection",
        "features": [feature({"navn": "Nørresundby"}, polygon_z(square(9.9, 57.05, 0.01)))],
    }
    path = tmp_path / "gammel.geojson"
    path.write_bytes(json.dumps(body, ensure_ascii=False).encode("cp1252"))
    frame, notes = read_vector(path)
    assert frame.loc[0, "navn"] == "Nørresundby"
    assert any("cp1252" in n for n in notes)


def test_local_coordinate_system_is_ignored_and_guessed(tmp_path):
    path = tmp_path / "lokal.shp"
    frame_utm().to_file(path)
    path.with_suffix(".prj").write_text('LOCAL_CS["Unknown",UNIT["metre",1]]')
    frame, notes = read_vector(path)
    assert frame.crs.to_epsg() == 25832
    assert any("lokalt system" in n for n in notes) and any("antaget" in n for n in notes)


def test_plain_parquet_is_not_geoparquet(tmp_path):
    path = tmp_path / "tabel.parquet"
    pd.DataFrame({"id": [1, 2]}).to_parquet(path)
    with pytest.raises(UnusableFileError, match=r"tabel.parquet: .*uden geometri, ikke GeoParquet"):
        read_vector(path)


# ---- coordinate systems ---------------------------------------------------------------------
def test_geojson_without_crs_in_utm_is_assumed_25832(tmp_path):
    ring = square(552000, 6320000, 500)
    path = geojson(tmp_path / "utm.geojson", [feature({"id": 1}, polygon_z(ring))])
    frame, notes = read_vector(path)
    assert frame.crs.to_epsg() == 25832
    assert any("UTM 32N" in n and "antaget" in n for n in notes)


def test_geojson_without_crs_in_degrees_is_assumed_wgs84(tmp_path):
    ring = square(9.9, 57.0, 0.01)
    path = geojson(tmp_path / "grader.geojson", [feature({"id": 1}, polygon_z(ring))])
    frame, notes = read_vector(path)
    assert frame.crs.to_epsg() == 4326
    assert any("EPSG:4326" in n and "antaget" in n for n in notes)


def test_geojson_without_crs_and_unknown_numbers_asks_for_crs(tmp_path):
    path = geojson(tmp_path / "lokal.geojson", [feature({"id": 1}, polygon_z(square(100, 200, 5)))])
    with pytest.raises(UnusableFileError, match=r"lokal.geojson: filen angiver intet .*--crs"):
        read_vector(path)
    frame, notes = read_vector(path, crs="EPSG:25832")  # the user may say what it is
    assert frame.crs.to_epsg() == 25832 and not any("antaget" in n for n in notes)


def test_declared_wgs84_with_utm_numbers_is_refused(tmp_path):
    path = geojson(
        tmp_path / "forkert.geojson",
        [feature({"id": 1}, polygon_z(square(552000, 6320000, 500)))],
        CRS84,
    )
    with pytest.raises(UnusableFileError, match=r"forkert.geojson: .*meter som i UTM 32N.*25832"):
        read_vector(path)
    frame, notes = read_vector(path, crs="25832")  # a bare EPSG number is accepted
    assert frame.crs.to_epsg() == 25832
    assert any("--crs EPSG:25832" in n for n in notes)


def test_declared_utm_with_degrees_is_refused(tmp_path):
    path = tmp_path / "grader.gpkg"
    gpd.GeoDataFrame({"id": [1]}, geometry=[LONLAT_SQUARE], crs="EPSG:25832").to_file(path)
    with pytest.raises(UnusableFileError, match=r"længde-/breddegrader i grader.*EPSG:4326"):
        read_vector(path)


def test_swapped_latitude_and_longitude_are_refused(tmp_path):
    swapped = [(y, x) for x, y in square(9.9, 57.0, 0.01)]
    path = geojson(tmp_path / "byttet.geojson", [feature({"id": 1}, polygon_z(swapped))], CRS84)
    with pytest.raises(UnusableFileError, match=r"rækkefølgen breddegrad, længdegrad"):
        read_vector(path)


def test_crs_option_that_does_not_fit_is_a_usage_error(tmp_path):
    path = tmp_path / "utm.parquet"
    frame_utm().to_parquet(path)
    with pytest.raises(UsageError, match=r"--crs EPSG:4326 .* passer ikke til utm.parquet"):
        read_vector(path, crs="EPSG:4326")


@pytest.mark.parametrize("bad", ["EPSG:99999999", "ikke et crs", "EPSG:5799"])
def test_bad_crs_option_is_a_usage_error(tmp_path, bad):
    path = tmp_path / "utm.parquet"
    frame_utm().to_parquet(path)
    with pytest.raises(UsageError, match=r"--crs .*(ikke et kendt koordinatsystem|ikke et koordi)"):
        read_vector(path, crs=bad)


# ---- unusable files -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("skrald.geojson", r"skrald.geojson: filen indeholder binære data og er ikke GeoJSON"),
        ("skrald.json", r"skrald.json: filen indeholder binære data"),
        ("skrald.gpkg", r"skrald.gpkg: filen er ikke en gyldig GeoPackage-fil.*Forventede"),
        ("skrald.shp", r"skrald.shp: filen er ikke en gyldig Shapefile-fil"),
        ("skrald.parquet", r"skrald.parquet: filen er ikke en gyldig GeoParquet-fil"),
        ("skrald.zip", r"skrald.zip: filen er ikke et gyldigt zip-arkiv.*Forventede"),
    ],
)
def test_binary_garbage_is_one_clear_sentence(tmp_path, name, pattern):
    path = tmp_path / name
    path.write_bytes(os.urandom(4096))
    with pytest.raises(UnusableFileError, match=pattern) as caught:
        read_vector(path)
    assert caught.value.file == name and caught.value.expected


@pytest.mark.parametrize("name", ["tom.geojson", "tom.gpkg", "tom.zip", "tom.parquet", "tom.shp"])
def test_empty_file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(UnusableFileError, match=rf"{name}: filen er tom \(0 byte\)\. Forventede"):
        read_vector(path)


def test_json_that_is_not_geojson(tmp_path):
    path = tmp_path / "data.json"
    path.write_text(json.dumps({"rækker": [{"a": 1}], "kilde": "Excel"}), encoding="utf-8")
    with pytest.raises(UnusableFileError, match=r"data.json: filen er JSON, men har ingen GeoJSON"):
        read_vector(path)


def test_json_list_is_not_geojson(tmp_path):
    path = tmp_path / "liste.json"
    path.write_text("[1, 2, 3]", encoding="utf-8")
    with pytest.raises(UnusableFileError, match=r"liste.json: filen er ikke GeoJSON .* '\{'"):
        read_vector(path)


def test_truncated_geojson(tmp_path):
    path = geojson(tmp_path / "halv.geojson", [feature({"id": 1}, polygon_z(square(9.9, 57, 1)))])
    path.write_text(path.read_text()[:-30], encoding="utf-8")
    with pytest.raises(UnusableFileError, match=r"halv.geojson: filen ligner GeoJSON.*afkortet"):
        read_vector(path)


def test_geojson_without_features(tmp_path):
    path = geojson(tmp_path / "ingen.geojson", [], CRS84)
    with pytest.raises(UnusableFileError, match=r"ingen.geojson: filen indeholder ingen geo"):
        read_vector(path)


def test_unknown_extension(tmp_path):
    path = tmp_path / "kort.kml"
    path.write_text("<kml/>", encoding="utf-8")
    with pytest.raises(UnusableFileError, match=r"kort.kml: filtypen '.kml' kan ikke .*GeoJSON"):
        read_vector(path)


def test_missing_file(tmp_path):
    with pytest.raises(UnusableFileError, match=r"findes ikke"):
        read_vector(tmp_path / "væk.geojson")


# ---- unsafe zip archives --------------------------------------------------------------------
@pytest.mark.parametrize("entry", ["../udenfor.shp", "data/../../udenfor.dbf", "/etc/passwd.shp"])
def test_zip_slip_is_refused_before_anything_is_written(tmp_path, entry):
    archive = tmp_path / "slip.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("ok.txt", "hej")
        zf.writestr(entry, b"\x00\x00\x27\x0a")
    with pytest.raises(UnusableFileError, match=r"slip.zip: .*peger uden for arkivets mappe"):
        read_vector(archive)
    assert not (tmp_path.parent / "udenfor.shp").exists()


def test_zip_bomb_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("TRYG_UPLOAD_LIMIT_MB", "1")
    archive = tmp_path / "bombe.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("omr.shp", b"\x00" * 10_000_000)
    assert archive.stat().st_size < 100_000
    with pytest.raises(UnusableFileError, match=r"bombe.zip: zip-arkivet ligner en zip-bombe"):
        read_vector(archive)


def test_zip_larger_than_four_times_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("TRYG_UPLOAD_LIMIT_MB", "1")
    archive = tmp_path / "stor.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for i in range(5):  # incompressible, so no single entry looks like a bomb
            zf.writestr(f"del{i}.dbf", os.urandom(900_000))
    with pytest.raises(UnusableFileError, match=r"stor.zip: zip-arkivet fylder 4,5 MB.*4 × 1 MB"):
        read_vector(archive)


def test_zip_without_shapefile_names_what_it_holds(tmp_path):
    archive = tmp_path / "forkert.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("noter.txt", "hej")
        zf.writestr("omr.geojson", "{}")
    with pytest.raises(
        UnusableFileError,
        match=r"forkert.zip: .*ingen Shapefile \(.shp\); det indeholder: noter.txt, omr.geojson.*"
        r"importér GeoJSON",
    ):
        read_vector(archive)


def test_encrypted_zip_is_refused(tmp_path):
    archive = tmp_path / "hemmelig.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("omr.shp", b"data")
    # zipfile cannot encrypt: set the "encrypted" flag in the local and central headers.
    raw = bytearray(archive.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        raw[raw.index(signature) + offset] |= 0x1
    archive.write_bytes(bytes(raw))
    with pytest.raises(UnusableFileError, match=r"hemmelig.zip: .*adgangskode"):
        read_vector(archive)


# ---- shared row helpers ---------------------------------------------------------------------
def test_text_values_write_whole_floats_as_integers():
    values = text_values(pd.Series([1.0, None, " a ", 2.5, float("nan")], dtype=object))
    assert list(values) == ["1", "", "a", "2.5", ""]


def test_row_message_names_row_column_value_and_expectation():
    message = row_message(7, "KOMKODE", "", "id mangler", "en kode")
    assert message == "Objekt 7, kolonnen 'KOMKODE' = (tom): id mangler; forventede en kode."


def test_keep_family_drops_other_parts():
    mixed = shapely.GeometryCollection([UTM_SQUARE, Point(0, 0)])
    assert keep_family(mixed, "polygon").equals(UTM_SQUARE)
    assert keep_family(mixed, "line") is None


def test_check_geometries_rejects_and_repairs(tmp_path):
    bowtie = Polygon([(552000, 6320000), (553000, 6321000), (553000, 6320000), (552000, 6321000)])
    frame = gpd.GeoDataFrame(
        {"id": ["a", "b", "c"]}, geometry=[bowtie, None, Point(552000, 6320000)], crs=25832
    )
    features = FeatureRows("f.gpkg", frame, {"id": "id"}, [])
    geoms, repaired = check_geometries(features, ("polygon",), "et område", frame["id"].to_numpy())
    assert repaired == ["a"] and geoms[0].is_valid and geoms[0].area > 0
    rejected = features.rejections.frame()
    assert list(rejected["reason"]) == ["missing_geometry", "wrong_geometry_type"]
    assert list(rejected["row"]) == [2, 3]
