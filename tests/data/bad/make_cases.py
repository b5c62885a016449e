"""Write the bad-input files of tests/data/bad/ (run once; the files are committed).

    .venv/bin/python tests/data/bad/make_cases.py

Every file is small. The zip bombs are small on disk too: one declares 4 GB in its directory
while holding a few KB, one is 300 MB of real zeros deflated to about 300 KB. The "very large
file" case is not here: tests/test_bad_input.py writes it into a temporary folder at test time,
under a lowered ``TRYG_UPLOAD_LIMIT_MB``. What each file must produce is in CASES.md.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
XSS = "<img src=x onerror=alert(1)>"
LONG = "Langt navn " + "x" * (10_000 - len("Langt navn "))

# Aalborg in degrees and in EPSG:25832 metres.
LAT, LON = 57.048, 9.921
X0, Y0 = 554_000.0, 6_322_000.0  # south-west corner of tests/tiny_data.py's district "a"

INCIDENT_HEADER = "id;dato;kategori;lat;lon"


def csv(*lines: str, encoding: str = "utf-8", newline: str = "\r\n") -> bytes:
    return (newline.join(lines) + newline).encode(encoding)


def incidents(*rows: str) -> bytes:
    return csv(INCIDENT_HEADER, *rows)


# ---- GeoJSON --------------------------------------------------------------------------------
def feature(props: dict, geometry: dict | None) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def polygon(ring: list[tuple[float, ...]]) -> dict:
    return {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}


def square(lon: float, lat: float, d: float = 0.01) -> dict:
    return polygon([(lon, lat), (lon + d, lat), (lon + d, lat + d), (lon, lat + d), (lon, lat)])


def square_utm(x: float, y: float, d: float = 1000.0) -> dict:
    return polygon([(x, y), (x + d, y), (x + d, y + d), (x, y + d), (x, y)])


def geojson(*features: dict, crs: str | None = "EPSG:4326") -> bytes:
    data: dict = {"type": "FeatureCollection"}
    if crs is not None:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    data["features"] = list(features)
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def district(did: str, name: str, geometry: dict, population: object = 1000) -> dict:
    return feature({"id": did, "navn": name, "indbyggere": population}, geometry)


# ---- zip ------------------------------------------------------------------------------------
def zipped(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression, compresslevel=9) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            archive.writestr(info, data, compress_type=compression, compresslevel=9)
    return buffer.getvalue()


def declare_size(data: bytes, entry: str, size: int) -> bytes:
    """``data`` (a zip) with ``entry``'s uncompressed size replaced by ``size`` in both its
    local header and the central directory: what a crafted archive can claim."""
    out = bytearray(data)
    name = entry.encode()
    position = 0
    while (position := out.find(b"PK\x03\x04", position)) != -1:
        length = struct.unpack_from("<H", out, position + 26)[0]
        if bytes(out[position + 30 : position + 30 + length]) == name:
            struct.pack_into("<I", out, position + 22, size)
        position += 4
    position = 0
    while (position := out.find(b"PK\x01\x02", position)) != -1:
        length = struct.unpack_from("<H", out, position + 28)[0]
        if bytes(out[position + 46 : position + 46 + length]) == name:
            struct.pack_into("<I", out, position + 24, size)
        position += 4
    return bytes(out)


SHAPEFILE_SIDECARS = {"kort.shx": b"\x00" * 100, "kort.dbf": b"\x03" + b"\x00" * 40}


# ---- XLSX -----------------------------------------------------------------------------------
def xlsx_with_title_rows() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Hændelser"
    sheet.append(["Nordjyllands Politi — udtræk til Tryg Aalborg"])
    sheet.append(["Udtrukket 02-01-2025, fortroligt"])
    sheet.append([])
    sheet.append(["id", "dato", "kategori", "lat", "lon"])
    sheet.append(["1", "24-12-2023 23:45", "Vold", LAT, LON])
    sheet.append(["2", "25-12-2023 01:10", "Hærværk", LAT + 0.001, LON + 0.001])
    sheet.append(["3", "01-06-2024 14:00", "Tyveri", LAT - 0.001, LON - 0.002])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---- the cases ------------------------------------------------------------------------------
def cases() -> dict[str, Callable[[], bytes]]:
    """file name -> function producing its bytes (same order as CASES.md)."""
    ok = f"{LAT};{LON}"
    return {
        # -- files refused as a whole
        "empty.csv": lambda: b"",
        "header_only.csv": lambda: csv(INCIDENT_HEADER),
        "binary_garbage.csv": lambda: bytes(range(256)) * 8,
        "json_not_geojson.json": lambda: json.dumps(
            {"kommune": "Aalborg", "bydele": ["Vestbyen", "Hasseris"], "antal": 2}
        ).encode(),
        "wrong_delimiter_spaces.csv": lambda: csv(
            "id dato kategori lat lon",
            f"1 24-12-2023 vold {LAT} {LON}",
            f"2 25-12-2023 hærværk {LAT} {LON}",
        ),
        "no_coordinate_columns.csv": lambda: csv(
            "id;dato;kategori;adresse", "1;24-12-2023 23:45;vold;Boulevarden 1"
        ),
        "districts_as_csv.csv": lambda: csv("id;navn;indbyggere", "1;Vestbyen;11000"),
        "empty_feature_collection.geojson": lambda: geojson(),
        "geojson_as_measurements.geojson": lambda: geojson(
            district("D01", "Vestbyen", square(LON, LAT))
        ),
        "xlsx_damaged.xlsx": lambda: b"PK\x03\x04" + b"dette er ikke et regneark " * 40,
        "geojson_truncated.geojson": lambda: geojson(district("1", "Vestbyen", square(LON, LAT)))[
            :-25
        ],
        "geojson_latlat_order.geojson": lambda: geojson(
            district("1", "Vestbyen", square(LAT, LON)), crs=None
        ),
        "zip_without_shp.zip": lambda: zipped(
            {"områder.geojson": geojson(district("1", "A", square(LON, LAT))), "læs_mig.txt": b"x"}
        ),
        "zip_slip.zip": lambda: zipped(
            {"../../kort.shp": b"\x00\x00\x27\x0a", "../../kort.shx": b""}
        ),
        "zip_absolute_path.zip": lambda: zipped({"/tmp/kort.shp": b"\x00\x00\x27\x0a"}),
        "zip_bomb_declared.zip": lambda: declare_size(
            zipped({"kort.shp": bytes(1_000_000), **SHAPEFILE_SIDECARS}), "kort.shp", 4_000_000_000
        ),
        "zip_bomb_zeros.zip": lambda: zipped(
            {"kort.shp": bytes(300_000_000), **SHAPEFILE_SIDECARS}
        ),
        "zip_lies_small.zip": lambda: declare_size(
            zipped({"kort.shp": bytes(50_000_000), **SHAPEFILE_SIDECARS}), "kort.shp", 1_000
        ),
        "zip_many_entries.zip": lambda: zipped(
            {f"del_{i}.txt": (b"%d;" % i) * 450_000 for i in range(5)}
        ),
        # -- accepted, with a warning or note saying what was assumed
        "cp1252_aeoeaa.csv": lambda: (
            incidents(
                f"1;24-12-2023 23:45;Hærværk;{ok}",
                f"2;25-12-2023 01:10;Tyveri på Østerå;{ok}",
                f"3;26-12-2023 02:00;Røveri;{ok}",
            )
            .decode()
            .encode("cp1252")
        ),
        "utf8_bom.csv": lambda: (
            b"\xef\xbb\xbf"
            + incidents(f"1;24-12-2023 23:45;vold;{ok}", f"2;25-12-2023 01:10;hærværk;{ok}")
        ),
        "decimal_comma.csv": lambda: incidents(
            "1;24-12-2023 23:45;vold;57,0488;9,9217", "2;25-12-2023 01:10;vold;57,0501;9,9190"
        ),
        "mixed_date_formats.csv": lambda: incidents(
            f"1;24-12-2023 23:45;vold;{ok}",
            f"2;2024-03-31T01:30:00Z;vold;{ok}",
            f"3;15.08.2024 22:05;vold;{ok}",
            f"4;2024-05-01;vold;{ok}",
        ),
        "self_intersecting_polygon.geojson": lambda: geojson(
            district(
                "1",
                "Sløjfen",
                polygon(
                    [
                        (LON, LAT),
                        (LON + 0.01, LAT + 0.01),
                        (LON + 0.01, LAT),
                        (LON, LAT + 0.01),
                        (LON, LAT),
                    ]
                ),
            ),
            district("2", "Firkanten", square(LON + 0.02, LAT)),
        ),
        "geojson_no_crs_utm.geojson": lambda: geojson(
            district("1", "Vest", square_utm(X0, Y0)),
            district("2", "Øst", square_utm(X0 + 1000, Y0)),
            crs=None,
        ),
        "coordinates_3d.geojson": lambda: geojson(
            district(
                "1",
                "Højt",
                polygon(
                    [
                        (LON, LAT, -999),
                        (LON + 0.01, LAT, -999),
                        (LON + 0.01, LAT + 0.01, -999),
                        (LON, LAT, -999),
                    ]
                ),
            )
        ),
        "overlapping_districts.geojson": lambda: geojson(
            district("1", "Vest", square(LON, LAT, 0.02)),
            district("2", "Øst", square(LON + 0.01, LAT, 0.02)),
        ),
        "points_on_boundary.csv": lambda: csv(
            "id;dato;kategori;x;y",
            f"1;01-06-2024 12:00;vold;{X0 + 1000:.0f};{Y0 + 500:.0f}",  # shared by a and b
            f"2;01-06-2024 12:00;vold;{X0:.0f};{Y0 + 500:.0f}",  # west edge of a
            f"3;01-06-2024 12:00;vold;{X0 + 2000:.0f};{Y0 + 1000:.0f}",  # corner of b and c
            f"4;01-06-2024 12:00;vold;{X0 + 3000:.0f};{Y0:.0f}",  # south-east corner of c
            f"5;01-06-2024 12:00;vold;{X0 + 1500:.0f};{Y0 + 500:.0f}",  # inside b
        ),
        "xlsx_title_rows.xlsx": xlsx_with_title_rows,
        "html_district_names.geojson": lambda: geojson(
            district("1", XSS, square(LON, LAT)),
            district("2", "<script>alert('x')</script> & Co", square(LON + 0.02, LAT)),
        ),
        "html_place_names.geojson": lambda: geojson(
            feature(
                {"id": "p1", "navn": XSS, "stedtype": XSS},
                {"type": "Point", "coordinates": [LON, LAT]},
            )
        ),
        "html_category.csv": lambda: incidents(f"1;24-12-2023 23:45;{XSS};{ok}"),
        "long_names.geojson": lambda: geojson(
            district("1", LONG, square(LON, LAT)), district("2", "Kort", square(LON + 0.02, LAT))
        ),
        # -- some rows rejected with a reason
        "comma_delimiter_decimal_comma.csv": lambda: csv(
            "id,dato,kategori,lat,lon",
            "1,24-12-2023 23:45,vold,57,0488,9,9217",
            "2,25-12-2023 01:10,vold,57,0501,9,9190",
            f"3,26-12-2023 02:00,vold,{LAT},{LON}",
        ),
        "impossible_dates.csv": lambda: incidents(
            f"1;31-02-2024 12:00;vold;{ok}",
            f"2;2024-13-01;vold;{ok}",
            f"3;i går;vold;{ok}",
            f"4;24-12-2023 23:45;vold;{ok}",
        ),
        "future_dates.csv": lambda: incidents(
            f"1;01-01-2099 12:00;vold;{ok}", f"2;24-12-2023 23:45;vold;{ok}"
        ),
        "latlon_swapped.csv": lambda: incidents(
            f"1;24-12-2023 23:45;vold;{LON};{LAT}", f"2;24-12-2023 23:45;vold;{ok}"
        ),
        "utm_in_latlon.csv": lambda: incidents(
            f"1;24-12-2023 23:45;vold;{Y0:.0f};{X0:.0f}", f"2;24-12-2023 23:45;vold;{ok}"
        ),
        "outside_denmark.csv": lambda: incidents(
            "1;24-12-2023 23:45;vold;52.52;13.405",  # Berlin
            "2;24-12-2023 23:45;vold;0;0",
            f"3;24-12-2023 23:45;vold;{ok}",
        ),
        "missing_coordinates.csv": lambda: incidents(
            "1;24-12-2023 23:45;vold;;",
            f"2;24-12-2023 23:45;vold;{LAT};",
            f"3;24-12-2023 23:45;vold;{ok}",
        ),
        "nan_inf.csv": lambda: incidents(
            f"1;24-12-2023 23:45;vold;NaN;{LON}",
            f"2;24-12-2023 23:45;vold;{LAT};inf",
            "3;24-12-2023 23:45;vold;-inf;-inf",
            f"4;24-12-2023 23:45;vold;{ok}",
        ),
        "duplicate_ids.csv": lambda: incidents(
            f"1;24-12-2023 23:45;vold;{ok}",
            f"1;24-12-2023 23:45;vold;{ok}",  # the same row again: a duplicate
            f"2;25-12-2023 01:10;vold;{ok}",
            f"2;25-12-2023 01:10;hærværk;{ok}",  # same id, other content: rejected
        ),
        "negative_population.geojson": lambda: geojson(
            district("1", "Vest", square(LON, LAT), population=-120),
            district("2", "Øst", square(LON + 0.02, LAT), population=4000),
        ),
        "points_as_districts.geojson": lambda: geojson(
            district("1", "Punkt", {"type": "Point", "coordinates": [LON, LAT]}),
            district("2", "Firkant", square(LON + 0.02, LAT)),
        ),
        "share_above_100.csv": lambda: csv(
            "område;periode;indikator;værdi;n",
            "D01;2024;tryg_andel;87,5;120",
            "D02;2024;tryg_andel;91,0;80",
            "D03;2024;tryg_andel;134,0;95",
        ),
        "share_negative.csv": lambda: csv(
            "område;periode;indikator;værdi;n",
            "D01;2024;tryg_andel;0,87;120",
            "D02;2024;tryg_andel;-0,10;80",
        ),
        "n_zero.csv": lambda: csv(
            "område;periode;indikator;værdi;n",
            "D01;2024;tryg_andel;87,5;0",
            "D02;2024;tryg_andel;91,0;80",
        ),
        "nothing_accepted.csv": lambda: incidents(
            f"1;31-02-2024;vold;{ok}", f"2;30-02-2024;vold;{ok}"
        ),
        "negative_count.csv": lambda: csv(
            "sted;periode;indikator;værdi",
            "nytorv;2024-05;klager;-5",
            "nytorv;2024-06;klager;12",
        ),
        "unparseable_period.csv": lambda: csv(
            "område;periode;indikator;værdi;n",
            "D01;sidste år;tryg_andel;87,5;120",
            "D02;2024;tryg_andel;91,0;80",
        ),
    }


def main() -> None:
    for name, make in cases().items():
        (HERE / name).write_bytes(make())
        print(f"{name}: {(HERE / name).stat().st_size} byte")


if __name__ == "__main__":
    main()
