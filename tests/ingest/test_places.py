"""Loading places: points, lines and polygons, kinds, rejections, repair and merging."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import GeometryCollection, LineString, MultiPolygon, Point, Polygon

from tryg_geo.errors import UnusableFileError
from tryg_geo.ingest.places import load_places
from tryg_geo.store.schema import COLUMNS

X0, Y0 = 552_000.0, 6_320_000.0  # Aalborg, UTM 32N


def square(i: int, size: float = 100.0) -> Polygon:
    return shapely.box(X0 + i * 1000, Y0, X0 + i * 1000 + size, Y0 + size)


def write_gpkg(path: Path, data: dict, geoms: list) -> Path:
    gpd.GeoDataFrame(data, geometry=geoms, crs="EPSG:25832").to_file(path)
    return path


def test_points_lines_and_polygons_in_store_schema(tmp_path):
    path = write_gpkg(
        tmp_path / "steder.gpkg",
        {
            "stedid": ["gammeltorv", "havn", "jomfru"],
            "stednavn": ["Gammeltorv", "Havnefronten", "Jomfru Ane Gade"],
            "type": ["  Torv ", "HAVNEFRONT", "Natteliv   Zone"],
        },
        [Point(X0, Y0), LineString([(X0, Y0), (X0 + 500, Y0 + 50)]), square(1)],
    )
    result = load_places(path)
    frame = result.frame
    assert list(frame.columns) == list(COLUMNS["places"])
    assert list(frame["place_id"]) == ["gammeltorv", "havn", "jomfru"]
    assert list(frame["kind"]) == ["torv", "havnefront", "natteliv zone"]
    assert list(frame.geom_type) == ["Point", "LineString", "Polygon"]
    assert frame.crs.to_epsg() == 25832
    assert result.rows_read == 3 and result.accepted == 3 and result.warnings == []


def test_geojson_in_degrees_with_z_is_reprojected(tmp_path):
    path = tmp_path / "steder.geojson"
    body = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"id": "torv", "navn": "C.W. Obels Plads", "art": "Plads"},
                "geometry": {"type": "Point", "coordinates": [9.9187, 57.0488, -999.0]},
            }
        ],
    }
    path.write_text(json.dumps(body), encoding="utf-8")
    frame = load_places(path).frame
    point = frame.geometry.iloc[0]
    x, y = Transformer.from_crs(4326, 25832, always_xy=True).transform(9.9187, 57.0488)
    assert not point.has_z
    assert point.x == pytest.approx(x, abs=0.01) and point.y == pytest.approx(y, abs=0.01)
    assert frame.loc[0, "kind"] == "plads"


def test_missing_kind_column_and_cells_become_unknown(tmp_path):
    path = write_gpkg(tmp_path / "uden_type.gpkg", {"id": ["a"]}, [Point(X0, Y0)])
    result = load_places(path)
    assert result.frame.loc[0, "kind"] == "ukendt" and result.frame.loc[0, "name"] == "a"
    assert any("ingen kolonne med stedtype" in w for w in result.warnings)
    path = write_gpkg(
        tmp_path / "huller.gpkg", {"id": ["a", "b"], "art": ["park", None]}, [square(0), square(1)]
    )
    result = load_places(path)
    assert list(result.frame["kind"]) == ["park", "ukendt"]
    assert any("1 steder har ingen stedtype" in w and ": b." in w for w in result.warnings)


def test_every_rejection_reason(tmp_path):
    zero_area = Polygon([(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 20, Y0 + 20), (X0, Y0)])
    rows = [
        ("ok", Point(X0, Y0)),  # 1
        ("", Point(X0, Y0)),  # 2 missing_id
        ("tom", None),  # 3 missing_geometry
        ("samling", GeometryCollection([Point(X0, Y0), square(0)])),  # 4 wrong_geometry_type
        ("flad", zero_area),  # 5 invalid_geometry
        ("oslo", Point(597_000, 6_643_000)),  # 6 outside_denmark (Oslo in UTM 32N)
        ("ok", square(2)),  # 7 mixed_geometry_types: "ok" is a point in row 1
    ]
    path = write_gpkg(tmp_path / "fejl.gpkg", {"id": [r[0] for r in rows]}, [r[1] for r in rows])
    result = load_places(path)
    by_reason = dict(zip(result.rejected["reason"], result.rejected["row"], strict=True))
    assert by_reason == {
        "missing_id": 2,
        "missing_geometry": 3,
        "wrong_geometry_type": 4,
        "invalid_geometry": 5,
        "outside_denmark": 6,
        "mixed_geometry_types": 7,
    }
    assert list(result.frame["place_id"]) == ["ok"]
    assert result.rows_read == 7 and result.accepted == 1 and result.duplicates == 0
    message = result.rejected.set_index("row").loc[7, "message"]
    assert message == (
        "Objekt 7, kolonnen 'geometry' = 'Polygon': stedet 'ok' er et punkt i objekt 1, men her "
        "en polygon; forventede samme slags geometri (punkt, linje eller polygon) i rækker med "
        "samme id."
    )
    message = result.rejected.set_index("row").loc[4, "message"]
    assert "geometrien er en blandet samling (GeometryCollection)" in message
    assert "forventede et sted som linje" in message


def test_invalid_polygon_is_repaired(tmp_path):
    bowtie = Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100)])
    path = write_gpkg(tmp_path / "sløjfe.gpkg", {"id": ["park"]}, [bowtie])
    result = load_places(path)
    assert result.accepted == 1 and result.frame.is_valid.all()
    assert any("repareret" in w and "park" in w for w in result.warnings)


def test_same_id_rows_are_merged(tmp_path):
    path = write_gpkg(
        tmp_path / "park.gpkg",
        {"id": ["park", "torv", "park"], "navn": ["Karolinelund", "Torv", "Karolinelund"]},
        [square(0), Point(X0, Y0 + 500), square(3)],
    )
    result = load_places(path)
    assert list(result.frame["place_id"]) == ["park", "torv"]
    assert isinstance(result.frame.geometry.iloc[0], MultiPolygon)
    assert result.duplicates == 1 and result.rows_read == 3
    assert any(w.startswith("2 rækker blev slået sammen til 1 sted,") for w in result.warnings)


def test_zipped_shapefile_of_points(tmp_path):
    frame = gpd.GeoDataFrame(
        {"id": [1, 2], "navn": ["Nytorv", "Budolfi Plads"], "art": ["torv", "plads"]},
        geometry=[Point(X0, Y0), Point(X0 + 300, Y0 + 300)],
        crs="EPSG:25832",
    )
    frame.to_file(tmp_path / "steder.shp")
    archive = tmp_path / "steder.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in sorted(tmp_path.glob("steder.*")):
            if file.suffix != ".zip":
                zf.write(file, file.name)
    result = load_places(archive)
    assert list(result.frame["place_id"]) == ["1", "2"]
    assert list(result.frame["name"]) == ["Nytorv", "Budolfi Plads"]


def test_file_without_id_or_name_is_unusable(tmp_path):
    path = write_gpkg(tmp_path / "blot.gpkg", {"farve": ["rød"]}, [Point(X0, Y0)])
    with pytest.raises(UnusableFileError, match=r"blot.gpkg: der mangler en kolonne med sted-id"):
        load_places(path)
