"""StatBank's semicolon CSV (STRAF11, FOLK1A): read, detected, imported with provenance.

The fixtures in ``tests/fixtures/statbank/`` are in StatBank's export format (see their
README): names and codes, UTF-8 with BOM, UTF-8 and cp1252, ``..`` and a region row.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tryg_geo.cli import main
from tryg_geo.errors import UnusableFileError
from tryg_geo.ingest.detect_kind import detect_kind
from tryg_geo.ingest.importer import detect_upload, import_file, preview_upload
from tryg_geo.ingest.reasons import REASON_LABELS
from tryg_geo.ingest.statbank import CRIMES, POPULATION, load_statbank
from tryg_geo.store.dataset import load_dataset
from tryg_geo.store.folder import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "statbank"
NAMES = FIXTURES / "straf11_navne.csv"
CODES = FIXTURES / "straf11_koder_cp1252.csv"
FOLK1A = FIXTURES / "folk1a_navne.csv"


def test_names_with_bom_are_read_and_counted() -> None:
    result = load_statbank(CRIMES, NAMES)
    report = result.report()
    # 9 areas × 4 types × 4 quarters, and one region row
    assert report["rows_read"] == 145 == report["accepted"] + report["rejected"]
    assert report["rejected_reasons"] == {"not_kommune": 1, "not_published": 4}
    frame = result.frame
    aalborg = frame[frame["area_name"] == "Aalborg"]
    assert set(aalborg["area_code"]) == {"0851"}
    assert sorted(aalborg["period"].unique()) == ["2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1"]
    assert set(frame.loc[frame["area_name"] == "Hele landet", "area_code"]) == {"000"}
    assert "Straffelov i alt" in set(frame["category"])


def test_codes_in_cp1252_give_the_same_kommuner() -> None:
    result = load_statbank(CRIMES, CODES)
    assert result.report()["rejected_reasons"] == {"not_a_number": 1}
    assert any("cp1252" in w for w in result.warnings)
    names = dict(zip(result.frame["area_code"], result.frame["area_name"], strict=True))
    assert names["0851"] == "Aalborg" and names["0101"] == "København"
    assert result.rows_read == result.accepted + len(result.rejected)


def test_folk1a_keeps_totals_and_rejects_breakdowns() -> None:
    result = load_statbank(POPULATION, FOLK1A)
    assert result.report()["rejected_reasons"] == {"not_total": 2}
    aalborg = result.frame[
        (result.frame["area_code"] == "0851") & (result.frame["period"] == "2025-Q1")
    ]
    assert aalborg["value"].tolist() == [224978.0]
    assert set(REASON_LABELS) >= {"not_total", "not_kommune", "not_published"}


def test_decimal_comma_and_plain_utf8(tmp_path: Path) -> None:
    path = tmp_path / "straf.csv"
    path.write_text(
        "OMRÅDE;OVERTRÆD;TID;INDHOLD\nAalborg;Straffelov i alt;2025K1;12,5\n", encoding="utf-8"
    )
    assert load_statbank(CRIMES, path).frame["value"].tolist() == [12.5]


def test_the_wrong_kind_and_a_foreign_header_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnusableFileError, match="importér den som kommune_crimes"):
        load_statbank(POPULATION, NAMES)
    other = tmp_path / "x.csv"
    other.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(UnusableFileError, match="OMRÅDE, TID og INDHOLD"):
        load_statbank(CRIMES, other)


@pytest.mark.parametrize(("path", "kind"), [(NAMES, CRIMES), (CODES, CRIMES), (FOLK1A, POPULATION)])
def test_the_wizard_detects_the_kind_from_the_header(path: Path, kind: str, tmp_path) -> None:
    assert detect_kind(path).kind == kind
    guess = detect_upload(path.name, path.read_bytes(), store=Store(tmp_path))
    assert guess.kind == kind and "Statistikbanken" in guess.reason
    preview = preview_upload(kind, path.name, path.read_bytes(), store=Store(tmp_path))
    assert (
        preview.columns[-1] == "INDHOLD"
        and preview.row_count
        == path.read_text(encoding="cp1252" if path == CODES else "utf-8-sig").count("\n") - 1
    )


def test_import_stores_both_tables_with_provenance(tmp_path: Path) -> None:
    store = Store(tmp_path)
    import_file(CRIMES, NAMES, store=store, source="Danmarks Statistik, STRAF11")
    import_file(POPULATION, FOLK1A, store=store)
    ds = load_dataset(store)
    assert ds.provenance[CRIMES]["source"] == "Danmarks Statistik, STRAF11"
    assert ds.provenance[POPULATION]["file"] == "folk1a_navne.csv"
    assert len(ds.kommune_crimes) == 140 and len(ds.kommune_population) == 18
    assert store.meta(CRIMES)["report"]["rejected"] == 5


def test_the_cli_imports_a_statbank_file(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("TRYG_DATA_DIR", str(tmp_path))
    assert main(["import", POPULATION, str(FOLK1A), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["rows_read"], report["accepted"], report["rejected"]) == (20, 18, 2)
    assert Store(tmp_path).has(POPULATION)
