"""The audit trail: every import and rollback names who, how, when, the file and the counts."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest

from tryg_geo import access
from tryg_geo.cli import main
from tryg_geo.ingest.importer import import_file
from tryg_geo.store.folder import Store

MEASUREMENTS = (
    "område;periode;indikator;værdi;n\n"
    "kommune;2024;tryg_andel;87,5;214\n"
    "kommune;2023;tryg_andel;mange;200\n"
)


@pytest.fixture()
def csv(tmp_path: Path) -> Path:
    path = tmp_path / "tryghed.csv"
    path.write_text(MEASUREMENTS, encoding="utf-8")
    return path


def log(store: Store) -> list[dict]:
    text = (store.root / "import_log.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def test_dashboard_import_and_rollback_name_the_signed_in_person(tmp_path: Path, csv: Path):
    store = Store(tmp_path / "data")
    with access.acting_as("data@aalborg.dk", "dashboard"):
        import_file("measurements", csv, store=store)
        import_file("measurements", csv, store=store)
        store.rollback("measurements")
    first, _, rollback = log(store)
    assert first["who"] == "data@aalborg.dk" and first["via"] == "dashboard"
    assert first["action"] == "import" and first["kind"] == "measurements"
    assert first["file"] == "tryghed.csv"
    assert (first["rows_read"], first["accepted"], first["rejected"]) == (2, 1, 1)
    assert first["at"][:4].isdigit() and "T" in first["at"]
    assert rollback["action"] == "rollback" and rollback["who"] == "data@aalborg.dk"
    assert rollback["file"] == "tryghed.csv" and rollback["rows"] == 1


def test_outside_acting_as_the_os_user_is_named(tmp_path: Path, csv: Path):
    store = Store(tmp_path / "data")
    import_file("measurements", csv, store=store)
    assert log(store)[0]["who"] == getpass.getuser()
    assert log(store)[0]["via"] == "python"


def test_cli_import_and_rollback_are_logged_with_the_os_user(
    tmp_path: Path, csv: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("TRYG_DATA_DIR", str(tmp_path / "data"))
    assert main(["import", "measurements", str(csv)]) == 0
    assert main(["import", "measurements", str(csv)]) == 0
    assert main(["rollback", "measurements"]) == 0
    entries = log(Store(tmp_path / "data"))
    assert [e["action"] for e in entries] == ["import", "import", "rollback"]
    assert {e["who"] for e in entries} == {getpass.getuser()}
    assert {e["via"] for e in entries} == {"kommandolinje"}


def test_dry_run_writes_no_log_line(tmp_path: Path, csv: Path):
    store = Store(tmp_path / "data")
    import_file("measurements", csv, store=store, dry_run=True)
    assert not (store.root / "import_log.jsonl").exists()


def test_log_entries_newest_first_skipping_damaged_lines(tmp_path: Path, csv: Path):
    store = Store(tmp_path / "data")
    assert store.log_entries() == []
    for who in ("a@x.dk", "b@x.dk", "c@x.dk"):
        with access.acting_as(who, "dashboard"):
            import_file("measurements", csv, store=store)
    with open(store.root / "import_log.jsonl", "a", encoding="utf-8") as f:
        f.write('{"who": "halv linje\n')
    assert [e["who"] for e in store.log_entries(2)] == ["c@x.dk", "b@x.dk"]
    assert len(store.log_entries()) == 3


def test_acting_as_ends_with_its_block():
    with access.acting_as("x@y.dk", "dashboard"):
        assert access.current_actor() == ("x@y.dk", "dashboard")
    assert access.current_actor()[1] == "python"
