"""load_incidents: every rejection reason, duplicates, times, coordinates, districts, cells."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
from pyproj import Transformer
from shapely import box

from tryg_geo.errors import UnusableFileError, UsageError
from tryg_geo.ingest.incidents import load_incidents

NOW = datetime(2025, 1, 1, 12, 0)
# Jomfru Ane Gade, Aalborg.
E, N = 555702, 6323433
LAT, LON = "57,0488", "9,9217"
HEADER_LATLON = "id;dato;kategori;lat;lon\n"
HEADER_XY = "id;dato;kategori;x;y\n"


def write(tmp_path: Path, text: str, name: str = "hændelser.csv", encoding="cp1252") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def load(path: Path, **options):
    return load_incidents(path, now=NOW, **options)


def good_latlon(i: int, date: str = "01-01-2024 10:00") -> str:
    return f"{i};{date};vold;{LAT};{LON}\n"


def good_xy(i: int, date: str = "01-01-2024 10:00") -> str:
    return f"{i};{date};vold;{E};{N}\n"


def districts_frame() -> gpd.GeoDataFrame:
    """Two squares sharing the edge x = 555 700 and a third above; file order not by id."""
    return gpd.GeoDataFrame(
        {
            "district_id": ["D2", "D1", "D3"],
            "name": ["Vest", "Øst", "Nord"],
            "population": [1, 2, 3],
        },
        geometry=[
            box(555600, 6323400, 555700, 6323500),
            box(555700, 6323400, 555800, 6323500),
            box(555600, 6323500, 555800, 6323600),
        ],
        crs="EPSG:25832",
    )


def assert_counts(result) -> None:
    assert result.rows_read == result.accepted + len(result.rejected) + result.duplicates


# ---- one row, one reason --------------------------------------------------------------------------
LATLON_CASES = [
    ("missing_time", f"9;;vold;{LAT};{LON}", "dato"),
    ("unparseable_date", f"9;i går;vold;{LAT};{LON}", "dato"),
    ("impossible_date", f"9;31-02-2024;vold;{LAT};{LON}", "dato"),
    ("future_date", f"9;01-01-2030 10:00;vold;{LAT};{LON}", "dato"),
    ("too_old_date", f"9;31-12-1989 10:00;vold;{LAT};{LON}", "dato"),
    ("missing_category", f"9;01-01-2024 10:00;  ;{LAT};{LON}", "kategori"),
    ("missing_coordinates", f"9;01-01-2024 10:00;vold;;{LON}", "lat"),
    ("missing_coordinates", f"9;01-01-2024 10:00;vold;{LAT};", "lon"),
    ("not_a_number", f"9;01-01-2024 10:00;vold;nord;{LON}", "lat"),
    ("not_finite", f"9;01-01-2024 10:00;vold;NaN;{LON}", "lat"),
    ("not_finite", f"9;01-01-2024 10:00;vold;{LAT};inf", "lon"),
    ("not_finite", f"9;01-01-2024 10:00;vold;{LAT};-Infinity", "lon"),
    ("latlon_swapped", f"9;01-01-2024 10:00;vold;{LON};{LAT}", "lat/lon"),
    ("utm_in_latlon", f"9;01-01-2024 10:00;vold;{N};{E}", "lat/lon"),
    ("utm_in_latlon", f"9;01-01-2024 10:00;vold;{E};{N}", "lat/lon"),
    ("outside_denmark", "9;01-01-2024 10:00;vold;48,8566;2,3522", "lat/lon"),
    ("missing_id", f" ;01-01-2024 10:00;vold;{LAT};{LON}", "id"),
]


@pytest.mark.parametrize(("reason", "line", "column"), LATLON_CASES)
def test_each_latlon_rejection_reason(tmp_path, reason, line, column):
    path = write(tmp_path, HEADER_LATLON + good_latlon(1) + line + "\n" + good_latlon(2))
    result = load(path)
    assert result.accepted == 2
    assert result.rejected["reason"].tolist() == [reason]
    assert result.rejected["row"].tolist() == [3]
    assert result.rejected["column"].tolist() == [column]
    assert result.rejected["message"].iloc[0].endswith(".")
    assert result.report()["rejected_reasons"] == {reason: 1}
    assert_counts(result)


def test_degrees_in_xy_are_explained_in_the_words_of_each_surface(tmp_path):
    """The command line names --lat-col/--lon-col; the Data page its own select boxes."""
    from tryg_geo.ingest.detect import page_wording

    line = f"9;01-01-2024 10:00;vold;{LON};{LAT}\n"
    message = load(write(tmp_path, HEADER_XY + good_xy(1) + line)).rejected["message"].iloc[0]
    assert "angiv dem med --lat-col og --lon-col" in message
    page = page_wording(message)
    assert "--" not in page
    assert "vælg kolonnen for Breddegrad (lat) og Længdegrad (lon)" in page


XY_CASES = [
    ("xy_swapped", f"9;01-01-2024 10:00;vold;{N};{E}"),
    ("latlon_in_xy", f"9;01-01-2024 10:00;vold;{LON};{LAT}"),
    ("latlon_in_xy", f"9;01-01-2024 10:00;vold;{LAT};{LON}"),
    ("outside_denmark", "9;01-01-2024 10:00;vold;100;100"),
    ("not_a_number", f"9;01-01-2024 10:00;vold;øst;{N}"),
    ("missing_coordinates", f"9;01-01-2024 10:00;vold;{E};"),
]


@pytest.mark.parametrize(("reason", "line"), XY_CASES)
def test_each_xy_rejection_reason(tmp_path, reason, line):
    path = write(tmp_path, HEADER_XY + good_xy(1) + line + "\n" + good_xy(2))
    result = load(path)
    assert result.accepted == 2
    assert result.rejected["reason"].tolist() == [reason]
    assert result.rejected["row"].tolist() == [3]
    assert_counts(result)


def test_rejection_messages_say_what_was_expected(tmp_path):
    path = write(
        tmp_path,
        HEADER_LATLON
        + good_latlon(1)
        + f"2;01-01-2024;vold;{LON};{LAT}\n"
        + f"3;01-01-2024;vold;{N};{E}\n"
        + "4;01-01-2024;vold;48,85;2,35\n"
        + f"5;31-02-2024;vold;{LAT};{LON}\n",
    )
    messages = load(path).rejected.set_index("reason")["message"]
    assert messages["latlon_swapped"].startswith("Bredde- og længdegrad er byttet om")
    assert "brug --x-col og --y-col" in messages["utm_in_latlon"]
    assert (
        "breddegrad 54,3–58 og længdegrad 7,5–15,5 (WGS84, grader)" in messages["outside_denmark"]
    )
    assert messages["impossible_date"] == (
        "Datoen findes ikke i kalenderen; forventet en dato som 24-12-2023 23:45 eller "
        "2023-12-24T23:45."
    )


def test_too_many_fields(tmp_path):
    path = write(
        tmp_path,
        HEADER_XY
        + good_xy(1)
        + good_xy(2)
        + f"3;01-01-2024 10:00;vold;{E};{N};ekstra\n"
        + good_xy(4),
    )
    result = load(path)
    assert result.accepted == 3
    assert result.rejected["reason"].tolist() == ["too_many_fields"]
    assert result.rejected["row"].tolist() == [4]
    assert result.rows_read == 4
    assert_counts(result)


def test_every_reason_in_one_file_keeps_the_counts(tmp_path):
    lines = [line for _, line, _ in LATLON_CASES]
    text = HEADER_LATLON + good_latlon(1) + "\n".join(lines) + "\n" + good_latlon(2)
    text += good_latlon(2)  # exact duplicate
    text += f"1;02-01-2024 10:00;vold;{LAT};{LON}\n"  # same id, other content
    result = load(write(tmp_path, text))
    expected = {reason for reason, _, _ in LATLON_CASES} | {"duplicate_id"}
    assert set(result.rejected["reason"]) == expected
    assert result.accepted == 2
    assert result.duplicates == 1
    assert result.rows_read == len(lines) + 4
    assert result.rejected["row"].is_monotonic_increasing
    assert_counts(result)


# ---- duplicates -----------------------------------------------------------------------------------
def test_exact_duplicates_are_counted_not_rejected(tmp_path):
    path = write(tmp_path, HEADER_XY + good_xy(1) + good_xy(2) + good_xy(1) + good_xy(1))
    result = load(path)
    assert result.accepted == 2
    assert result.duplicates == 2
    assert len(result.rejected) == 0
    assert result.frame["incident_id"].tolist() == ["1", "2"]
    assert result.report()["duplicates"] == 2


def test_same_id_with_other_content_is_rejected_and_first_kept(tmp_path):
    path = write(tmp_path, HEADER_XY + good_xy(1) + good_xy(1, "02-01-2024 10:00"))
    result = load(path)
    assert result.accepted == 1
    assert result.frame["time"].iloc[0] == pd.Timestamp("2024-01-01 10:00")
    assert result.rejected["reason"].tolist() == ["duplicate_id"]
    assert result.rejected["row"].tolist() == [3]


def test_duplicate_id_of_a_rejected_row_is_accepted(tmp_path):
    path = write(tmp_path, HEADER_XY + f"1;i går;vold;{E};{N}\n" + good_xy(1))
    result = load(path)
    assert result.rejected["reason"].tolist() == ["unparseable_date"]
    assert result.accepted == 1


def test_without_id_column_rows_get_row_ids(tmp_path):
    path = write(tmp_path, f"dato;kategori;x;y\n01-01-2024;vold;{E};{N}\n02-01-2024;vold;{E};{N}\n")
    result = load(path)
    assert result.frame["incident_id"].tolist() == ["r2", "r3"]


# ---- times --------------------------------------------------------------------------------------
def test_date_and_separate_time_columns(tmp_path):
    path = write(
        tmp_path,
        "id;dato;klokkeslæt;kategori;x;y\n"
        f"1;24-12-2023;23:45;vold;{E};{N}\n"
        f"2;24-12-2023;23.45;vold;{E};{N}\n"
        f"3;25-12-2023;0815;vold;{E};{N}\n"
        f"4;31-02-2024;10:00;vold;{E};{N}\n",
    )
    result = load(path)
    assert result.frame["time"].tolist() == [
        pd.Timestamp("2023-12-24 23:45"),
        pd.Timestamp("2023-12-24 23:45"),
        pd.Timestamp("2023-12-25 08:15"),
    ]
    assert result.frame["hour"].tolist() == [23, 23, 8]
    assert result.frame["weekday"].tolist() == [6, 6, 0]  # Sunday, Sunday, Monday
    rejected = result.rejected.iloc[0]
    assert (rejected["reason"], rejected["column"], rejected["value"]) == (
        "impossible_date",
        "dato+klokkeslæt",
        "31-02-2024 10:00",
    )


def test_empty_date_with_separate_time_is_missing_time(tmp_path):
    path = write(tmp_path, f"id;dato;tid;kategori;x;y\n1;;10:00;vold;{E};{N}\n")
    assert load(path).rejected["reason"].tolist() == ["missing_time"]


def test_iso_with_zone_converted_to_copenhagen_time_across_dst(tmp_path):
    stamps = [
        "2024-03-31T00:30:00Z",  # before the spring switch: 01:30 CET
        "2024-03-31T01:30:00Z",  # after: 03:30 CEST
        "2024-10-27T00:30:00Z",  # first 02:30 (CEST)
        "2024-10-27T01:30:00Z",  # second 02:30 (CET)
        "2024-07-01T10:00:00+00:00",
        "2024-01-15T23:30:00+00:00",  # next day in Denmark
    ]
    text = HEADER_XY + "".join(f"{i};{s};vold;{E};{N}\n" for i, s in enumerate(stamps, 1))
    result = load(write(tmp_path, text))
    assert result.frame["time"].dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2024-03-31 01:30",
        "2024-03-31 03:30",
        "2024-10-27 02:30",
        "2024-10-27 02:30",
        "2024-07-01 12:00",
        "2024-01-16 00:30",
    ]
    assert result.frame["hour"].tolist() == [1, 3, 2, 2, 12, 0]
    assert result.frame["time"].dt.tz is None
    assert "Tidspunkter med tidszone blev omregnet til dansk tid." in result.warnings


def test_times_without_zone_are_danish_time(tmp_path):
    result = load(write(tmp_path, HEADER_XY + good_xy(1, "2024-03-31 02:30")))
    assert result.frame["time"].iloc[0] == pd.Timestamp("2024-03-31 02:30")
    assert "Tidspunkter uden tidszone er læst som dansk tid (Europe/Copenhagen)." in result.warnings


# ---- categories, optional columns, aliases --------------------------------------------------------
def test_categories_are_normalised(tmp_path):
    text = (
        "id;tidspunkt;Overtrædelse;Øst;Nord;Kilde;Indsats\n"
        f"1;01-01-2024;  Vold ;{E};{N};Politi;natteliv\n"
        f"2;01-01-2024;HÆRVÆRK   på  bil;{E};{N};;\n"
    )
    result = load(write(tmp_path, text))
    assert result.frame["category"].tolist() == ["vold", "hærværk på bil"]
    assert result.frame["source"].tolist()[0] == "Politi"
    assert pd.isna(result.frame["source"].tolist()[1])
    assert result.frame["initiative"].tolist()[0] == "natteliv"


def test_store_columns_and_types(tmp_path):
    result = load(write(tmp_path, HEADER_XY + good_xy(1)))
    assert list(result.frame.columns) == [
        "incident_id",
        "time",
        "category",
        "x",
        "y",
        "district_id",
        "cell_100m",
        "hour",
        "weekday",
        "source",
        "initiative",
    ]
    assert result.frame["hour"].dtype == np.int8
    assert result.frame["x"].dtype == np.float64
    assert isinstance(result.frame["category"].dtype, pd.CategoricalDtype)


def test_explicit_columns_with_unusual_names(tmp_path):
    text = f"Nr;Gerningsdag;Hvad;Højde;Bredde2\n7;01-01-2024;vold;{LAT};{LON}\n"
    columns = {"id": "Nr", "datetime": "Gerningsdag", "category": "hvad", "lat": "Højde"}
    result = load(write(tmp_path, text), columns={**columns, "lon": "Bredde2"})
    assert result.accepted == 1
    assert result.frame["incident_id"].tolist() == ["7"]


def test_explicit_column_that_does_not_exist(tmp_path):
    path = write(tmp_path, HEADER_LATLON + good_latlon(1))
    with pytest.raises(
        UsageError, match="--lat-col 'bredde': kolonnen findes ikke i hændelser.csv"
    ):
        load(path, columns={"lat": "bredde"})


def test_both_coordinate_pairs_use_the_one_filled_more_often(tmp_path):
    text = (
        "id;dato;kategori;lat;lon;x;y\n"
        f"1;01-01-2024;vold;;;{E};{N}\n"
        f"2;01-01-2024;vold;{LAT};{LON};{E};{N}\n"
    )
    result = load(write(tmp_path, text))
    assert result.accepted == 2
    assert result.frame["x"].tolist() == [E, E]


# ---- coordinates ----------------------------------------------------------------------------------
def test_latlon_is_projected_to_utm32(tmp_path):
    result = load(write(tmp_path, HEADER_LATLON + good_latlon(1)))
    expected = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True).transform(
        9.9217, 57.0488
    )
    assert (result.frame["x"].iloc[0], result.frame["y"].iloc[0]) == pytest.approx(expected)
    assert "Koordinater med decimalkomma blev læst." in result.warnings


@pytest.mark.parametrize(
    ("crs", "x", "y"), [("EPSG:4326", "9,9217", "57,0488"), ("EPSG:3857", "1104475", "7770000")]
)
def test_xy_in_another_crs(tmp_path, crs, x, y):
    result = load(write(tmp_path, HEADER_XY + f"1;01-01-2024;vold;{x};{y}\n"), crs=crs)
    source = Transformer.from_crs(crs, "EPSG:25832", always_xy=True)
    expected = source.transform(float(x.replace(",", ".")), float(y.replace(",", ".")))
    assert result.accepted == 1
    assert (result.frame["x"].iloc[0], result.frame["y"].iloc[0]) == pytest.approx(expected)
    assert f"Koordinater blev omregnet fra {crs} til EPSG:25832." in result.warnings


def test_xy_default_crs_is_utm32(tmp_path):
    result = load(write(tmp_path, HEADER_XY + good_xy(1)))
    assert (result.frame["x"].iloc[0], result.frame["y"].iloc[0]) == (E, N)
    assert not any("omregnet" in w for w in result.warnings)


def test_unknown_crs_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="--crs 'EPSG:99999999' er ikke et kendt koordinatsystem"):
        load(write(tmp_path, HEADER_XY + good_xy(1)), crs="EPSG:99999999")


def test_ddkn_cell_of_jomfru_ane_gade(tmp_path):
    result = load(write(tmp_path, HEADER_XY + good_xy(1)))
    assert result.frame["cell_100m"].tolist() == ["100m_63234_5557"]


# ---- districts ------------------------------------------------------------------------------------
def test_points_on_shared_boundary_go_to_lowest_district_id(tmp_path):
    text = HEADER_XY + "".join(
        f"{i};01-01-2024;vold;{x};{y}\n"
        for i, (x, y) in enumerate(
            [
                (555700, 6323450),  # edge D1|D2
                (555650, 6323450),  # inside D2
                (555750, 6323450),  # inside D1
                (555700, 6323500),  # corner of D1, D2 and D3
                (555650, 6323500),  # edge D2|D3
                (555650, 6323550),  # inside D3
                (556000, 6324000),  # outside every district
            ],
            1,
        )
    )
    result = load(write(tmp_path, text), districts=districts_frame())
    assert result.frame["district_id"].astype(object).where(
        result.frame["district_id"].notna(), None
    ).tolist() == ["D1", "D2", "D1", "D1", "D2", "D3", None]
    assert result.outside_districts == 1
    assert result.accepted == 7
    assert result.report()["outside_districts"] == 1
    assert (
        "1 hændelse ligger uden for alle områder; den er beholdt og tælles som 'uden for'."
        in result.warnings
    )


def test_without_districts_everything_is_outside_and_kept(tmp_path):
    result = load(write(tmp_path, HEADER_XY + good_xy(1) + good_xy(2)))
    assert result.accepted == 2
    assert result.outside_districts == 2
    assert result.frame["district_id"].isna().all()
    assert (
        "Der er ingen områder indlæst: alle hændelser tælles som uden for områderne."
        in result.warnings
    )


def test_all_inside_gives_no_outside_warning(tmp_path):
    text = HEADER_XY + "1;01-01-2024;vold;555650;6323450\n"
    result = load(write(tmp_path, text), districts=districts_frame())
    assert result.outside_districts == 0
    assert not any("uden for" in w for w in result.warnings)


# ---- other formats --------------------------------------------------------------------------------
def test_xlsx_incidents_with_title_rows(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Hændelser"
    for row in [
        ["Nordjyllands Politi — udtræk"],
        [],
        ["id", "dato", "kategori", "lat", "lon"],
        [1, datetime(2024, 1, 1, 10, 0), "Vold", 57.0488, 9.9217],
        [2, "24-12-2023 23:45", "Hærværk", "57,0488", "9,9217"],
        [3, "31-02-2024", "vold", 57.0488, 9.9217],
    ]:
        sheet.append(row)
    path = tmp_path / "hændelser.xlsx"
    book.save(path)
    result = load(path)
    assert result.accepted == 2
    assert result.frame["time"].tolist() == [
        pd.Timestamp("2024-01-01 10:00"),
        pd.Timestamp("2023-12-24 23:45"),
    ]
    assert result.rejected[["row", "reason"]].values.tolist() == [[6, "impossible_date"]]
    assert "Læst som Excel, arket 'Hændelser'." in result.warnings


def test_xlsx_with_duplicate_header_names_does_not_crash(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["id", "dato", "kategori", "kategori", "x", "y"])
    book.active.append([1, "01-01-2024", "vold", "vold", E, N])
    path = tmp_path / "dobbelt.xlsx"
    book.save(path)
    try:
        result = load(path)
    except UnusableFileError:
        return  # refusing the file with a message is fine too
    assert result.accepted == 1


# ---- unusable files -------------------------------------------------------------------------------
def test_no_coordinate_columns(tmp_path):
    path = write(tmp_path, "id;dato;kategori;adresse\n1;01-01-2024;vold;Jomfru Ane Gade 5\n")
    with pytest.raises(UnusableFileError, match="der mangler koordinater") as info:
        load(path)
    assert "Filens kolonner er: id, dato, kategori, adresse." in str(info.value)
    assert info.value.expected == "lat/lon eller x/y"


def test_only_one_coordinate_column(tmp_path):
    path = write(tmp_path, f"id;dato;kategori;lat\n1;01-01-2024;vold;{LAT}\n")
    with pytest.raises(UnusableFileError, match="der mangler koordinater"):
        load(path)


def test_no_date_column(tmp_path):
    path = write(tmp_path, f"id;kategori;x;y\n1;vold;{E};{N}\n")
    with pytest.raises(UnusableFileError, match="der mangler en kolonne med tidspunkt eller dato"):
        load(path)


def test_no_category_column(tmp_path):
    path = write(tmp_path, f"id;dato;x;y\n1;01-01-2024;{E};{N}\n")
    with pytest.raises(UnusableFileError, match="der mangler en kolonne med kategori"):
        load(path)


def test_empty_and_header_only_files(tmp_path):
    with pytest.raises(UnusableFileError, match="filen er tom"):
        load(write(tmp_path, "", "tom.csv"))
    with pytest.raises(UnusableFileError, match="kun en overskriftsrække og ingen data"):
        load(write(tmp_path, HEADER_XY, "kun.csv"))


def test_binary_garbage(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    with pytest.raises(UnusableFileError, match="binære data"):
        load(path)
