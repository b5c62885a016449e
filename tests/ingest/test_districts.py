"""Loading districts: column aliases, every rejection reason, repair, merge, overlap, formats."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon

from tryg_geo.errors import UnusableFileError, UsageError
from tryg_geo.ingest.districts import load_districts
from tryg_geo.store.schema import COLUMNS

CRS84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
X0, Y0 = 552_000.0, 6_320_000.0  # Aalborg, UTM 32N


def box(i: int, size: float = 1000.0, dx: float = 0.0) -> Polygon:
    """The i-th square of a row of touching squares in Aalborg (no overlaps)."""
    return shapely.box(X0 + i * size + dx, Y0, X0 + (i + 1) * size + dx, Y0 + size)


def write_gpkg(path: Path, data: dict, geoms: list, crs: str = "EPSG:25832") -> Path:
    gpd.GeoDataFrame(data, geometry=geoms, crs=crs).to_file(path)
    return path


def write_geojson(path: Path, features: list[tuple[dict, dict | None]], crs=CRS84) -> Path:
    body = {"type": "FeatureCollection", "crs": crs} if crs else {"type": "FeatureCollection"}
    body["features"] = [{"type": "Feature", "properties": p, "geometry": g} for p, g in features]
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


def lonlat_z(x: float, y: float, d: float = 0.01) -> dict:
    ring = [(x, y), (x + d, y), (x + d, y + d), (x, y + d), (x, y)]
    return {"type": "Polygon", "coordinates": [[[a, b, -999.0] for a, b in ring]]}


def rejected_by_reason(result) -> dict[str, list[int]]:
    frame = result.rejected
    return {r: sorted(frame.loc[frame["reason"] == r, "row"]) for r in frame["reason"].unique()}


# ---- the happy path -------------------------------------------------------------------------
def test_dagi_style_postal_areas_load_in_store_schema(tmp_path):
    path = write_geojson(
        tmp_path / "postnumre.geojson",
        [
            ({"POSTNR_TXT": "9000", "POSTBYNAVN": "Aalborg"}, lonlat_z(9.90, 57.03)),
            ({"POSTNR_TXT": "9400", "POSTBYNAVN": "Nørresundby"}, lonlat_z(9.92, 57.06)),
        ],
    )
    result = load_districts(path)
    frame = result.frame
    assert list(frame.columns) == list(COLUMNS["districts"])
    assert list(frame["district_id"]) == ["9000", "9400"]
    assert list(frame["name"]) == ["Aalborg", "Nørresundby"]
    assert frame["population"].dtype == "Int64" and frame["population"].isna().all()
    assert pd.api.types.is_string_dtype(frame["district_id"])
    assert frame.crs.to_epsg() == 25832
    assert set(frame.geom_type) == {"MultiPolygon"} and not frame.has_z.any()
    assert result.rows_read == 2 and result.accepted == 2 and len(result.rejected) == 0


def test_kommune_columns_and_population(tmp_path):
    path = write_gpkg(
        tmp_path / "kommuner.gpkg",
        {"KOMKODE": ["0851", "0849"], "KOMNAVN": ["Aalborg", "Jammerbugt"], "Indbyggere": [1, 2]},
        [box(0), box(1)],
    )
    frame = load_districts(path).frame
    assert list(frame["district_id"]) == ["0851", "0849"]  # leading zero kept: it is text
    assert list(frame["population"]) == [1, 2]


def test_extra_aliases_of_this_module(tmp_path):
    path = write_gpkg(
        tmp_path / "sogne.gpkg",
        {"Sognekode": ["7001"], "Sognenavn": ["Budolfi"], "Befolkningstal": ["12.345"]},
        [box(0)],
    )
    frame = load_districts(path).frame
    assert frame.loc[0, "district_id"] == "7001" and frame.loc[0, "name"] == "Budolfi"
    assert frame.loc[0, "population"] == 12345  # Danish digit grouping, not 12.345 people


def test_explicit_columns_win_and_must_exist(tmp_path):
    path = write_gpkg(
        tmp_path / "valg.gpkg", {"id": ["a"], "kode2": ["K1"], "titel": ["Vest"]}, [box(0)]
    )
    frame = load_districts(path, columns={"id": "kode2", "name": "titel", "lat": None}).frame
    assert frame.loc[0, "district_id"] == "K1" and frame.loc[0, "name"] == "Vest"
    with pytest.raises(UsageError, match=r"--id-col 'findes_ikke'.*valg.gpkg"):
        load_districts(path, columns={"id": "findes_ikke"})


def test_numeric_ids_become_text_without_decimals(tmp_path):
    path = write_gpkg(
        tmp_path / "tal.gpkg", {"id": [1.0, 2.0], "navn": ["a", "b"]}, [box(0), box(1)]
    )
    assert list(load_districts(path).frame["district_id"]) == ["1", "2"]


def test_without_id_column_the_name_is_the_id(tmp_path):
    path = write_gpkg(tmp_path / "navne.gpkg", {"navn": ["Vest", "Øst"]}, [box(0), box(1)])
    result = load_districts(path)
    assert list(result.frame["district_id"]) == ["Vest", "Øst"]
    assert any("ingen id-kolonne" in w for w in result.warnings)


def test_without_id_and_name_column_the_file_is_unusable(tmp_path):
    path = write_gpkg(tmp_path / "blot.gpkg", {"farve": ["rød"]}, [box(0)])
    with pytest.raises(UnusableFileError, match=r"blot.gpkg: der mangler en kolonne med område"):
        load_districts(path)


def test_names_are_kept_as_data_and_missing_names_become_ids(tmp_path):
    long_name = "x" * 10_000
    path = write_gpkg(
        tmp_path / "navne.gpkg",
        {"id": ["a", "b", "c"], "navn": ["<b>Vest</b> & Co", long_name, None]},
        [box(0), box(1), box(2)],
    )
    result = load_districts(path)
    assert list(result.frame["name"]) == ["<b>Vest</b> & Co", long_name, "c"]
    assert any("intet navn" in w and "c" in w for w in result.warnings)


# ---- rejections -----------------------------------------------------------------------------
def test_every_rejection_reason(tmp_path):
    zero_area = Polygon([(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 20, Y0 + 20), (X0, Y0)])
    in_germany = shapely.box(560_000, 5_900_000, 561_000, 5_901_000)
    rows = [
        ("ok", "1000", box(0)),  # 1
        (None, "5", box(1)),  # 2 missing_id
        ("   ", "5", box(2)),  # 3 missing_id (blank)
        ("tom", "5", None),  # 4 missing_geometry
        ("punkt", "5", Point(X0, Y0)),  # 5 wrong_geometry_type
        ("flad", "5", zero_area),  # 6 invalid_geometry
        ("tyskland", "5", in_germany),  # 7 outside_denmark
        ("tekst", "mange", box(3)),  # 8 not_a_number
        ("neg", "-5", box(4)),  # 9 negative_population
        ("halv", "12,5", box(5)),  # 10 not_whole_number
        ("kæmpe", "20000000", box(6)),  # 11 implausible_population
        ("uendelig", "inf", box(7)),  # 12 not_finite
        ("tomt_tal", "", box(8)),  # 13 accepted: population may be empty
    ]
    path = write_gpkg(
        tmp_path / "fejl.gpkg",
        {"id": [r[0] for r in rows], "befolkning": [r[1] for r in rows]},
        [r[2] for r in rows],
    )
    result = load_districts(path)
    assert rejected_by_reason(result) == {
        "missing_id": [2, 3],
        "missing_geometry": [4],
        "wrong_geometry_type": [5],
        "invalid_geometry": [6],
        "outside_denmark": [7],
        "not_a_number": [8],
        "negative_population": [9],
        "not_whole_number": [10],
        "implausible_population": [11],
        "not_finite": [12],
    }
    assert list(result.frame["district_id"]) == ["ok", "tomt_tal"]
    assert list(result.frame["population"].astype(object).fillna(-1)) == [1000, -1]
    assert result.rows_read == 13 and result.accepted == 2 and len(result.rejected) == 11
    messages = result.rejected.set_index("row")["message"]
    assert messages[2] == (
        "Objekt 2, kolonnen 'id' = (tom): id mangler; forventede en områdekode i hver række "
        "(fx postnummer 9000 eller kommunekode 0851)."
    )
    assert messages[5].startswith("Objekt 5, kolonnen 'geometry' = 'Point': geometrien er et punkt")
    assert "forventede et område som polygon" in messages[5]
    assert messages[7].startswith("Objekt 7, kolonnen 'geometry' = 'POLYGON ((")
    assert "uden for Danmark; forventede en geometri i Danmark" in messages[7]
    assert messages[9] == (
        "Objekt 9, kolonnen 'befolkning' = '-5': indbyggertallet er negativt; forventede et "
        "helt antal indbyggere ≥ 0 (eller et tomt felt)."
    )
    assert "ugyldig og kan ikke repareres" in messages[6]
    assert set(result.rejected.columns) == {"row", "column", "value", "reason", "message"}


def test_all_rows_rejected_gives_an_empty_frame_in_store_schema(tmp_path):
    path = write_gpkg(tmp_path / "alt_galt.gpkg", {"id": ["a"]}, [Point(X0, Y0)])
    result = load_districts(path)
    assert result.accepted == 0 and len(result.rejected) == 1
    assert list(result.frame.columns) == list(COLUMNS["districts"])
    assert result.frame.crs.to_epsg() == 25832


# ---- repair, merge, overlap -----------------------------------------------------------------
def test_self_intersecting_polygon_is_repaired_and_named(tmp_path):
    bowtie = Polygon([(X0, Y0), (X0 + 1000, Y0 + 1000), (X0 + 1000, Y0), (X0, Y0 + 1000)])
    assert not bowtie.is_valid
    path = write_gpkg(tmp_path / "sløjfe.gpkg", {"id": ["sløjfe", "fin"]}, [bowtie, box(3)])
    result = load_districts(path)
    assert result.accepted == 2 and len(result.rejected) == 0
    assert result.frame.is_valid.all()
    assert result.frame.geometry.iloc[0].area == pytest.approx(500_000)
    assert any("repareret" in w and "sløjfe" in w and "fin" not in w for w in result.warnings)


def test_rows_sharing_an_id_are_merged_like_dagi_islands(tmp_path):
    path = write_geojson(
        tmp_path / "øer.geojson",
        [
            ({"KOMKODE": "0851", "KOMNAVN": "Aalborg"}, lonlat_z(9.90, 57.03)),
            ({"KOMKODE": "0849", "KOMNAVN": "Jammerbugt"}, lonlat_z(9.50, 57.10)),
            ({"KOMKODE": "0851", "KOMNAVN": "Aalborg"}, lonlat_z(10.10, 57.00)),
            ({"KOMKODE": "0851", "KOMNAVN": "Aalborg"}, lonlat_z(10.20, 57.00)),
        ],
    )
    result = load_districts(path)
    assert list(result.frame["district_id"]) == ["0851", "0849"]
    aalborg = result.frame.geometry.iloc[0]
    assert isinstance(aalborg, MultiPolygon) and len(aalborg.geoms) == 3
    assert result.duplicates == 2 and result.rows_read == 4 and result.accepted == 2
    assert any(w.startswith("3 rækker blev slået sammen til 1 område,") for w in result.warnings)


def test_merged_population_is_taken_from_the_first_row_and_differences_are_named(tmp_path):
    path = write_gpkg(
        tmp_path / "dele.gpkg",
        {"id": ["a", "a", "b", "b"], "navn": ["A", "A2", "B", "B"], "pop": [10, 10, 5, 7]},
        [box(0), box(5), box(1), box(6)],
    )
    result = load_districts(path)
    assert list(result.frame["population"]) == [10, 5]  # never summed
    assert list(result.frame["name"]) == ["A", "B"]
    assert any("forskellige navne" in w and "a" in w for w in result.warnings)
    assert any("forskellige indbyggertal" in w and ": b." in w for w in result.warnings)


def test_overlapping_districts_are_accepted_with_a_warning(tmp_path):
    path = write_gpkg(
        tmp_path / "overlap.gpkg",
        {"id": ["vest", "midt", "øst", "nabo"]},
        [box(0), box(0, dx=500), box(5), box(6)],  # vest/midt overlap 500 × 1000 m
    )
    result = load_districts(path)
    assert result.accepted == 4
    overlap = [w for w in result.warnings if "overlapper" in w]
    assert len(overlap) == 1
    assert "1 par af områder overlapper" in overlap[0] and "vest og midt (50,0 ha)" in overlap[0]
    assert "nabo" not in overlap[0]  # touching neighbours do not overlap


def test_tiny_slivers_are_not_reported(tmp_path):
    path = write_gpkg(tmp_path / "splint.gpkg", {"id": ["a", "b"]}, [box(0), box(1, dx=-0.05)])
    assert not any("overlapper" in w for w in load_districts(path).warnings)


# ---- every format gives the same districts --------------------------------------------------
def _reference() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["1", "2"], "navn": ["Vest", "Øst"], "befolkning": [100, 200]},
        geometry=[box(0), box(1)],
        crs="EPSG:25832",
    )


def _as_geojson_utm_without_crs(tmp_path: Path) -> Path:
    path = tmp_path / "omr.geojson"
    text = _reference().to_json(drop_id=True)
    body = json.loads(text)
    body.pop("crs", None)
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def _as_gpkg_second_layer(tmp_path: Path) -> Path:
    path = tmp_path / "omr.gpkg"
    gpd.GeoDataFrame({"x": [1]}, geometry=[Point(X0, Y0)], crs=25832).to_file(path, layer="punkter")
    _reference().to_file(path, layer="områder")
    return path


def _as_zip(tmp_path: Path) -> Path:
    _reference().to_file(tmp_path / "omr.shp")
    archive = tmp_path / "omr.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            zf.write(tmp_path / f"omr{suffix}", f"omr{suffix}")
    return archive


def _as_shp(tmp_path: Path) -> Path:
    _reference().to_file(tmp_path / "omr.shp")
    return tmp_path / "omr.shp"


def _as_parquet(tmp_path: Path) -> Path:
    _reference().to_crs(4326).to_parquet(tmp_path / "omr.parquet")
    return tmp_path / "omr.parquet"


@pytest.mark.parametrize(
    "make", [_as_geojson_utm_without_crs, _as_gpkg_second_layer, _as_zip, _as_shp, _as_parquet]
)
def test_every_format_gives_the_same_districts(tmp_path, make):
    path = make(tmp_path)
    layer = "områder" if path.suffix == ".gpkg" else None
    result = load_districts(path, layer=layer)
    frame = result.frame
    assert list(frame["district_id"]) == ["1", "2"]
    assert list(frame["name"]) == ["Vest", "Øst"]
    assert list(frame["population"]) == [100, 200]
    assert frame.crs.to_epsg() == 25832
    for got, want in zip(frame.geometry, [box(0), box(1)], strict=True):
        assert got.symmetric_difference(want).area < 1.0  # metres², after any reprojection
