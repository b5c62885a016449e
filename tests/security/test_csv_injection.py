"""Finding 5 of issue 19: a cell such as =HYPERLINK(...) or @SUM(A1) came out of Tryg Geo's
CSV files as it went in, and Excel ran it. Every writer now goes through tryg_geo.csv_safe."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from tryg_geo.csv_safe import FORMULA_START, neutralise, safe_cell
from tryg_geo.ingest.importer import import_file
from tryg_geo.render import csv_export, pack
from tryg_geo.store.folder import Store
from tryg_geo.views.model import View
from tryg_geo.views.registry import default_filters

EVIL = ['=HYPERLINK("http://x","klik")', "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3", "\t=1", "\r=1"]
NUMBERS = ["-3", "-0,5", "+1.234,5", "-2.5e3", "-,5"]


def cells(data: bytes, sep: str) -> list[str]:
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=sep) for cell in row]


def assert_no_formula(data: bytes, sep: str) -> None:
    for cell in cells(data, sep):
        if cell.startswith(FORMULA_START):
            assert safe_cell(cell) == cell, f"formula-like cell {cell!r}"


@pytest.mark.parametrize("value", EVIL)
def test_formula_text_gets_a_quote(value: str) -> None:
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", NUMBERS)
def test_numbers_as_text_stay_numbers(value: str) -> None:
    assert safe_cell(value) == value


def test_numeric_columns_are_untouched() -> None:
    frame = pd.DataFrame({"n": [-3, 5], "x": [-0.5, 1.0], "t": ["=1", "ok"]})
    out = neutralise(frame)
    assert out["n"].tolist() == [-3, 5] and out["x"].tolist() == [-0.5, 1.0]
    assert out["t"].tolist() == ["'=1", "ok"]


def test_rejected_rows_are_neutralised_in_the_store(tmp_path: Path) -> None:
    evil = EVIL[:5]  # a bare carriage return would end the line in the source file itself
    rows = "".join(f"{i};{v};vold;555702;6323433\n" for i, v in enumerate(evil + ["-3"], 1))
    good = "99;01-01-2024 10:00;vold;555702;6323433\n"
    path = tmp_path / "hændelser.csv"
    path.write_text("id;dato;kategori;x;y\n" + rows + good, encoding="utf-8")
    store = Store(tmp_path / "data")
    result = import_file("incidents", path, store=store)
    assert result.accepted == 1 and len(result.rejected) == len(evil) + 1
    data = store.rejected_path("incidents").read_bytes()
    assert_no_formula(data, ",")
    stored = cells(data, ",")
    assert "'" + EVIL[0] in stored and "'@SUM(A1)" in stored
    assert "-3" in stored  # a number stays a number
    # The Data page's download reads the stored rows back: still neutral, not quoted twice.
    again = neutralise(store.read_rejected("incidents"))
    assert "'@SUM(A1)" in again["value"].tolist()


@pytest.mark.parametrize("dialect", ["excel", "standard"])
def test_exports_are_neutralised_and_keep_numbers(dialect: str) -> None:
    table = pd.DataFrame(
        {
            "district_name": ["@SUM(A1)", '=HYPERLINK("http://x")', "Øst"],
            "change": [-3.0, -0.5, 1.0],
        }
    )
    view = View(key="natteliv", title="t", subtitle="s", demo=False, source="kilde", table=table)
    data = csv_export.view_csv(view, dialect)
    sep = ";" if dialect == "excel" else ","
    assert_no_formula(data, sep)
    back = csv_export.read_csv(data, dialect)
    assert back["district_name"].tolist()[:2] == ["'@SUM(A1)", '\'=HYPERLINK("http://x")']
    assert back["change"].tolist() == [-3.0, -0.5, 1.0]  # still numbers, not text


def test_pack_files_hold_no_formula(demo_ds, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pack.png_page, "view_png", lambda *a, **k: b"png")
    filters = default_filters(demo_ds, {"preset": "all"})
    index = pack.make_pack(demo_ds, tmp_path, filters, dialect="standard")
    index.loc[0, "note"] = "@SUM(A1)"  # the index writer too
    (tmp_path / "index.csv").write_bytes(pack._index_csv(index, "standard"))
    assert "'@SUM(A1)" in cells((tmp_path / "index.csv").read_bytes(), ",")
    for path in tmp_path.glob("*.csv"):
        assert_no_formula(path.read_bytes(), ",")
