"""Reading tables: encodings, delimiters, title rows, ragged rows, XLSX and unusable files."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tryg_geo.errors import UnusableFileError, UsageError
from tryg_geo.ingest.tables import decode_text, find_header, read_table, sniff_delimiter

ROLES = ("datetime", "time", "category", "lat", "lon", "x", "y", "id")


def write(tmp_path: Path, name: str, text: str, encoding: str = "cp1252") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(tmp_path: Path, name: str, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


# ---- encodings and delimiters -----------------------------------------------------------------
def test_cp1252_semicolon_with_danish_letters(tmp_path):
    path = write(
        tmp_path,
        "politi.csv",
        "dato;kategori;lat;lon\n24-12-2023;hærværk på skøjtebane;57,05;9,92\n"
        "25-12-2023;Røveri, Åboulevarden;57,04;9,91\n",
        "cp1252",
    )
    table = read_table(path, ROLES)
    assert list(table.frame.columns) == ["dato", "kategori", "lat", "lon"]
    assert table.frame["kategori"].tolist() == ["hærværk på skøjtebane", "Røveri, Åboulevarden"]
    assert table.frame["lat"].tolist() == ["57,05", "57,04"]  # text; parsing is parse's job
    assert table.rows.tolist() == [2, 3]
    assert table.rows_read == 2
    assert (
        table.notes[0] == "Læst som CSV med tegnsæt cp1252 (Windows/Excel) og skilletegn semikolon."
    )


def test_utf8_bom_comma_with_quoted_decimal_commas(tmp_path):
    path = write(
        tmp_path,
        "bom.csv",
        '\ufeffdato,kategori,lat,lon\n01-01-2024,vold,"57,05","9,92"\n02-01-2024,tyveri,"57,1","9,9"\n',
        "utf-8",
    )
    table = read_table(path, ROLES)
    # The BOM must not stick to the first column name.
    assert list(table.frame.columns) == ["dato", "kategori", "lat", "lon"]
    assert table.frame["lat"].tolist() == ["57,05", "57,1"]
    assert "UTF-8 med BOM" in table.notes[0]
    assert "komma" in table.notes[0]


def test_utf8_tab_separated(tmp_path):
    path = write(
        tmp_path, "t.tsv", "dato\tkategori\tx\ty\n01-01-2024\tbørn\t555702\t6323433\n", "utf-8"
    )
    table = read_table(path, ROLES)
    assert table.frame.loc[0, "kategori"] == "børn"
    assert table.notes[0] == "Læst som CSV med tegnsæt UTF-8 og skilletegn tabulator."


def test_pipe_separated(tmp_path):
    path = write(tmp_path, "p.txt", "dato|kategori|x|y\n01-01-2024|vold|555702|6323433\n")
    table = read_table(path, ROLES)
    assert table.frame.loc[0, "y"] == "6323433"
    assert "lodret streg" in table.notes[0]


def test_decode_text_reports_encoding():
    assert decode_text("æøå".encode(), "f") == ("æøå", "UTF-8")
    assert decode_text("\ufeffæøå".encode(), "f") == ("æøå", "UTF-8 med BOM")
    assert decode_text("æøå".encode("cp1252"), "f") == ("æøå", "cp1252 (Windows/Excel)")


def test_sniff_delimiter_prefers_semicolon_with_decimal_commas():
    lines = ["dato;kategori;lat;lon", "01-01-2024;vold;57,05;9,92", "01-01-2024;vold;57,06;9,93"]
    assert sniff_delimiter(lines, "f") == ";"


# ---- header search and row numbers --------------------------------------------------------------
def test_title_rows_above_header_are_skipped_and_rows_numbered_like_excel(tmp_path):
    path = write(
        tmp_path,
        "titel.csv",
        "Hændelser i Aalborg Midtby;;;\nUdtrukket 02-01-2024;;;\n\n"
        "dato;kategori;x;y\n01-01-2024;vold;555702;6323433\n02-01-2024;tyveri;555703;6323434\n",
    )
    table = read_table(path, ROLES)
    assert list(table.frame.columns) == ["dato", "kategori", "x", "y"]
    assert len(table.frame) == 2
    # Header on spreadsheet row 4, so the data rows are 5 and 6.
    assert table.rows.tolist() == [5, 6]
    assert "De første 3 rækker over overskriften blev sprunget over." in table.notes


def test_blank_lines_are_neither_rows_nor_shift_row_numbers(tmp_path):
    path = write(
        tmp_path,
        "blank.csv",
        "dato;kategori;x;y\n01-01-2024;vold;1;2\n\n;;;\n02-01-2024;vold;1;2\n",
    )
    table = read_table(path, ROLES)
    assert len(table.frame) == 2
    assert table.rows.tolist() == [2, 5]
    assert table.rows_read == 2


def test_find_header_needs_two_expected_names():
    rows = [["Rapport", ""], ["dato", "noget"], ["dato", "kategori"]]
    assert find_header(rows, ("datetime", "category"), "f") == 2
    # Only one role expected: one name is enough.
    assert find_header([["titel"], ["kategori"]], ("category",), "f") == 1
    # Nothing recognisable: the first non-empty row, so column matching can explain.
    assert find_header([["", ""], ["a", "b"]], ("datetime", "category"), "f") == 1


# ---- ragged rows ----------------------------------------------------------------------------------
def test_row_with_too_many_fields_becomes_a_rejection_and_short_rows_are_padded(tmp_path):
    path = write(
        tmp_path,
        "ragged.csv",
        "dato;kategori;x;y\n"
        "01-01-2024;vold;555702;6323433\n"
        "01-01-2024;vold;555702;6323433;ekstra\n"
        "01-01-2024;vold\n"
        "\n"
        "01-01-2024;vold;555702;6323433\n",
    )
    table = read_table(path, ROLES)
    assert table.rows.tolist() == [2, 4, 6]
    assert table.frame.loc[1, "x"] == ""
    assert table.rows_read == 4
    bad = table.bad_rows
    assert bad["row"].tolist() == [3]
    assert bad["reason"].tolist() == ["too_many_fields"]
    assert bad["message"].iloc[0].startswith("Rækken har 5 felter, men overskriften har 4")
    merged = table.with_bad_rows(bad.iloc[0:0])
    assert merged["row"].tolist() == [3]


def test_first_data_row_with_too_many_fields_does_not_shift_columns(tmp_path):
    path = write(
        tmp_path,
        "first_ragged.csv",
        "id;dato;kategori;x;y\n"
        "1;01-01-2024;vold;555702;6323433;ekstra\n"
        "2;02-01-2024;vold;555702;6323433\n"
        "3;03-01-2024;vold;555702;6323433\n",
    )
    table = read_table(path, ROLES)
    assert table.frame["dato"].tolist() == ["02-01-2024", "03-01-2024"]
    assert table.bad_rows is not None and table.bad_rows["row"].tolist() == [2]


def test_one_ragged_row_does_not_change_the_detected_delimiter(tmp_path):
    rows = "".join(f"{i};01-01-2024 10:00;vold;57,0488;9,9217\n" for i in range(1, 6))
    path = write(
        tmp_path,
        "ragged_comma.csv",
        "id;dato;kategori;lat;lon\n" + rows + "6;01-01-2024 10:00;vold;57,0488;9,9217;x;y\n",
    )
    table = read_table(path, ROLES)
    assert list(table.frame.columns) == ["id", "dato", "kategori", "lat", "lon"]


@pytest.mark.parametrize("separator", ["\u2028", "\x0c"])
def test_unicode_line_separator_inside_a_cell_keeps_one_record(tmp_path, separator):
    path = write(
        tmp_path,
        "ls.csv",
        "dato;kategori;x;y\n"
        "01-01-2024;vold;1;2\n"
        f"01-01-2024;vold{separator}på gaden;1;2\n"
        "01-01-2024;vold;1;2\n",
        "utf-8",
    )
    table = read_table(path, ROLES)
    assert table.rows_read == 3
    assert table.rows.tolist() == [2, 3, 4]


def test_csv_whose_first_header_starts_with_pk_is_read_as_csv(tmp_path):
    path = write(tmp_path, "pk.csv", "PK;dato;kategori;x;y\n1;01-01-2024;vold;555702;6323433\n")
    table = read_table(path, ROLES)
    assert len(table.frame) == 1


# ---- unusable files -------------------------------------------------------------------------------
@pytest.mark.parametrize("content", [b"", b"   \r\n\n\t\n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "tom.csv"
    path.write_bytes(content)
    with pytest.raises(UnusableFileError, match=r"tom\.csv: filen er tom\."):
        read_table(path, ROLES)


@pytest.mark.parametrize("body", ["", ";;;\n\n;;;\n"])
def test_header_only(tmp_path, body):
    path = write(tmp_path, "kun.csv", "dato;kategori;x;y\n" + body)
    with pytest.raises(UnusableFileError, match="filen har kun en overskriftsrække og ingen data"):
        read_table(path, ROLES)


def test_binary_garbage_with_nul_bytes(tmp_path):
    path = tmp_path / "billede.csv"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(
        UnusableFileError, match="ikke en tekstfil \\(den indeholder binære data\\)"
    ):
        read_table(path, ROLES)


def test_binary_garbage_without_nul_bytes(tmp_path):
    path = tmp_path / "støj.csv"
    # Bytes cp1252 cannot decode (0x81, 0x8d, 0x8f, 0x90, 0x9d) plus control characters.
    path.write_bytes(b"\x81\x8d\x8f\x90\x9d\x01\x02\x03" * 200)
    with pytest.raises(UnusableFileError, match="filen ligner ikke tekst"):
        read_table(path, ROLES)


def test_text_without_any_delimiter(tmp_path):
    path = write(tmp_path, "brev.txt", "Kære kommune\nHer er tallene\n")
    with pytest.raises(UnusableFileError, match="kunne ikke finde kolonner") as info:
        read_table(path, ROLES)
    assert info.value.file == "brev.txt"
    assert info.value.row == 1


# ---- XLSX -----------------------------------------------------------------------------------------
def test_xlsx_with_title_rows_above_header(tmp_path):
    path = write_xlsx(
        tmp_path,
        "hændelser.xlsx",
        {
            "Ark1": [
                ["Hændelser i Aalborg Midtby 2024"],
                ["Kilde: Nordjyllands Politi"],
                [],
                ["dato", "kategori", "lat", "lon"],
                ["24-12-2023 23:45", "Hærværk", 57.0488, "9,9217"],
                [None, None, None, None],
                ["25-12-2023", "vold", 57.05, 9.92],
            ]
        },
    )
    table = read_table(path, ROLES)
    assert list(table.frame.columns) == ["dato", "kategori", "lat", "lon"]
    assert table.frame["kategori"].tolist() == ["Hærværk", "vold"]
    assert table.frame["lat"].tolist() == ["57.0488", "57.05"]
    assert table.rows.tolist() == [5, 7]
    assert table.notes == [
        "Læst som Excel, arket 'Ark1'.",
        "De første 3 rækker over overskriften blev sprunget over.",
    ]


def test_xlsx_first_sheet_with_data_or_the_named_sheet(tmp_path):
    path = write_xlsx(
        tmp_path,
        "ark.xlsx",
        {
            "Forside": [],
            "Data": [["dato", "kategori"], ["01-01-2024", "vold"]],
            "Andet": [["dato", "kategori"], ["02-01-2024", "tyveri"], ["03-01-2024", "tyveri"]],
        },
    )
    assert read_table(path, ROLES).frame["kategori"].tolist() == ["vold"]
    assert len(read_table(path, ROLES, sheet="Andet").frame) == 2
    with pytest.raises(UsageError, match="--layer 'Mangler': arket findes ikke i ark.xlsx"):
        read_table(path, ROLES, sheet="Mangler")


def test_xlsx_header_only(tmp_path):
    path = write_xlsx(tmp_path, "kun.xlsx", {"Ark": [["dato", "kategori", "x", "y"]]})
    with pytest.raises(UnusableFileError, match="kun en overskriftsrække"):
        read_table(path, ROLES)


def test_xlsx_empty_workbook(tmp_path):
    path = write_xlsx(tmp_path, "tom.xlsx", {"Ark": []})
    with pytest.raises(UnusableFileError, match="regnearket er tomt"):
        read_table(path, ROLES)


def test_damaged_xlsx(tmp_path):
    path = tmp_path / "skadet.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"ikke en rigtig zip" * 20)
    with pytest.raises(UnusableFileError, match="kan ikke læses som Excel \\(XLSX\\)"):
        read_table(path, ROLES)
