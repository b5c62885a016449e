"""The command line: exit codes, --json report keys, human report, status, rollback."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import tryg_geo.ingest.importer as importer
from tryg_geo.cli import main
from tryg_geo.store.folder import Store

HEADER = "id;dato;kategori;x;y\n"
GOOD = "{i};01-01-2024 10:00;vold;555702;6323433\n"
REPORT_KEYS = {
    "kind",
    "file",
    "rows_read",
    "accepted",
    "rejected",
    "duplicates",
    "outside_districts",
    "warnings",
    "rejected_reasons",
    "mode",
}


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("TRYG_DATA_DIR", str(folder))
    monkeypatch.delenv("TRYG_UPLOAD_LIMIT_MB", raising=False)
    monkeypatch.delenv("TRYG_DEBUG", raising=False)
    return folder


def write(tmp_path: Path, text: str, name: str = "hændelser.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    return path


@pytest.fixture
def mixed_file(tmp_path) -> Path:
    """4 rows: 2 accepted, 1 rejected (impossible date), 1 exact duplicate."""
    return write(
        tmp_path,
        HEADER
        + GOOD.format(i=1)
        + GOOD.format(i=2)
        + "3;31-02-2024 10:00;vold;555702;6323433\n"
        + GOOD.format(i=1),
    )


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---- import ---------------------------------------------------------------------------------------
def test_import_json_report_has_exactly_the_keys(capsys, mixed_file, data_dir):
    code, out, err = run(capsys, "import", "incidents", str(mixed_file), "--json")
    assert code == 0
    report = json.loads(out)
    assert set(report) == REPORT_KEYS
    assert report["kind"] == "incidents"
    assert report["file"] == "hændelser.csv"
    assert (report["rows_read"], report["accepted"], report["rejected"], report["duplicates"]) == (
        4,
        2,
        1,
        1,
    )
    assert report["outside_districts"] == 2
    assert report["rejected_reasons"] == {"impossible_date": 1}
    assert all(isinstance(w, str) for w in report["warnings"])
    assert err == ""
    assert Store(data_dir).has("incidents")


def test_import_human_report_mentions_counts(capsys, mixed_file):
    code, out, _ = run(capsys, "import", "incidents", str(mixed_file))
    assert code == 0
    assert "Importeret: hændelser fra hændelser.csv" in out
    assert "Rækker læst:        4" in out
    assert "Godkendt:           2" in out
    assert "Afvist:             1" in out
    assert "Dubletter fjernet:  1" in out
    assert "Uden for områder:   2 (beholdt)" in out
    assert "impossible_date: 1 (Datoen findes ikke)" in out
    assert "Række 4, kolonne 'dato', værdi '31-02-2024 10:00': Datoen findes ikke" in out


def test_human_report_numbers_in_danish() -> None:
    from tryg_geo.cli.data import _human_report

    report = {
        "kind": "incidents",
        "file": "indbrud.csv",
        "rows_read": 4797,
        "accepted": 4792,
        "rejected": 5,
        "duplicates": 0,
        "outside_districts": 1250,
        "rejected_reasons": {"unparseable_date": 1200},
        "warnings": [],
        "mode": {"mode": "append", "before": 200000, "new": 4792, "already_stored": 0},
    }
    text = _human_report(report, pd.DataFrame(), dry_run=True)
    assert "Rækker læst:        4.797" in text and "Godkendt:           4.792" in text
    assert "Uden for områder:   1.250 (beholdt)" in text
    assert "unparseable_date: 1.200 (" in text
    assert "Tilstand: tilføj (--mode append) – 200.000 + 4.792 hændelser" in text


def test_import_mode_replace_is_the_default_and_the_report_says_so(capsys, tmp_path, data_dir):
    first = write(tmp_path, HEADER + "".join(GOOD.format(i=i) for i in range(1, 4)), "marts.csv")
    second = write(tmp_path, HEADER + "".join(GOOD.format(i=i) for i in range(3, 5)), "april.csv")
    assert run(capsys, "import", "incidents", str(first))[0] == 0
    code, out, _ = run(capsys, "import", "incidents", str(second))
    assert code == 0
    assert "Tilstand: erstat (--mode replace, standard) – 3 hændelser erstattes af 2" in out
    assert len(Store(data_dir).read("incidents")) == 2


def test_import_mode_append_adds_and_reports_duplicates(capsys, tmp_path, data_dir):
    first = write(tmp_path, HEADER + "".join(GOOD.format(i=i) for i in range(1, 4)), "marts.csv")
    second = write(tmp_path, HEADER + "".join(GOOD.format(i=i) for i in range(3, 5)), "april.csv")
    run(capsys, "import", "incidents", str(first))
    code, out, _ = run(capsys, "import", "incidents", str(second), "--mode", "append", "--json")
    assert code == 0
    assert json.loads(out)["mode"] == {
        "mode": "append",
        "before": 3,
        "new": 2,
        "already_stored": 1,
        "after": 4,
    }
    assert sorted(Store(data_dir).read("incidents")["incident_id"]) == ["1", "2", "3", "4"]
    code, out, _ = run(capsys, "import", "incidents", str(second), "--mode", "append")
    assert "Tilstand: tilføj (--mode append) – 4 + 2 hændelser, heraf 2 dubletter" in out


def test_import_mode_append_is_refused_for_other_kinds(capsys, tmp_path, data_dir):
    path = write(tmp_path, "område;periode;indikator;værdi\nD1;2024;tryg_andel;87,5\n", "m.csv")
    code, _, err = run(capsys, "import", "measurements", str(path), "--mode", "append")
    assert code == 2
    assert "kun bruges til hændelser" in err
    assert not Store(data_dir).has("measurements")


def test_human_report_lists_five_rejections_and_counts_the_rest(capsys, tmp_path):
    bad = "".join(f"{i};i går;vold;555702;6323433\n" for i in range(2, 10))
    code, out, _ = run(
        capsys, "import", "incidents", str(write(tmp_path, HEADER + GOOD.format(i=1) + bad))
    )
    assert code == 0
    assert out.count("  Række ") == 5
    assert "… og 3 afviste rækker mere (alle står i " in out and "rejected.csv)." in out


def test_dry_run(capsys, mixed_file, data_dir):
    code, out, _ = run(capsys, "import", "incidents", str(mixed_file), "--dry-run")
    assert code == 0
    assert out.startswith("Kontrolleret (intet gemt): hændelser fra hændelser.csv")
    assert not Store(data_dir).has("incidents")


def test_measurements_import_json(capsys, tmp_path):
    path = write(tmp_path, "område;periode;indikator;værdi\nD1;2024;tryg_andel;87,5\n", "m.csv")
    code, out, _ = run(capsys, "import", "measurements", str(path), "--json")
    assert code == 0
    report = json.loads(out)
    assert set(report) == REPORT_KEYS
    assert "Andele blev læst som procent (0–100) og gemt som 0–1." in report["warnings"]


def test_no_accepted_rows_exits_1(capsys, tmp_path, data_dir):
    path = write(tmp_path, HEADER + "1;i går;vold;555702;6323433\n")
    code, out, _ = run(capsys, "import", "incidents", str(path), "--json")
    assert code == 1
    report = json.loads(out)
    assert (report["accepted"], report["rejected"]) == (0, 1)
    assert not Store(data_dir).has("incidents")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "filen er tom"),
        (HEADER.encode(), "filen har kun en overskriftsrække og ingen data"),
        (b"\x00\x01\x02PNG" * 50, "binære data"),
        (b"id;dato;kategori\n1;01-01-2024;vold\n", "der mangler koordinater"),
    ],
)
def test_unusable_file_exits_1_with_one_danish_sentence(capsys, tmp_path, content, message):
    path = tmp_path / "fil.csv"
    path.write_bytes(content)
    code, out, err = run(capsys, "import", "incidents", str(path))
    assert code == 1
    assert out == ""
    assert err.startswith("Fejl: ")
    assert message in err
    assert "Traceback" not in err


def test_missing_file_exits_1(capsys, tmp_path):
    code, _, err = run(capsys, "import", "incidents", str(tmp_path / "findes-ikke.csv"))
    assert code == 1
    assert "findes ikke" in err


def test_file_over_the_upload_limit_exits_1(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TRYG_UPLOAD_LIMIT_MB", "0")
    path = write(tmp_path, HEADER + GOOD.format(i=1) * 30_000)  # about 1 MB
    code, _, err = run(capsys, "import", "incidents", str(path))
    assert code == 1
    assert "grænsen er 0 MB (indstillingen TRYG_UPLOAD_LIMIT_MB)" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["import", "incidents", "{file}", "--lat-col", "bredde"], "--lat-col 'bredde'"),
        (["import", "incidents", "{file}", "--crs", "EPSG:99999999"], "--crs 'EPSG:99999999'"),
        (["import", "forbrydelser", "{file}"], "invalid choice"),
        (["import", "incidents"], "required"),
        (["import", "incidents", "{file}", "--ukendt"], "unrecognized arguments"),
        ([], "required"),
        (["slet", "alt"], "invalid choice"),
    ],
)
def test_usage_errors_exit_2(capsys, mixed_file, argv, message):
    argv = [a.replace("{file}", str(mixed_file)) for a in argv]
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err


def test_help_exits_0(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "import" in out and "status" in out and "rollback" in out


def test_unexpected_error_is_one_sentence_exit_1(capsys, mixed_file, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("noget gik galt")

    monkeypatch.setattr(importer, "import_file", broken)
    code, _, err = run(capsys, "import", "incidents", str(mixed_file))
    assert code == 1
    assert err.startswith("Uventet fejl (RuntimeError: noget gik galt).")
    assert "TRYG_DEBUG=1" in err
    assert "Traceback" not in err


# ---- status ---------------------------------------------------------------------------------------
def test_status_of_an_empty_folder(capsys, data_dir):
    code, out, _ = run(capsys, "status")
    assert code == 0
    assert f"Data-mappe: {data_dir}" in out
    assert "Intet indlæst endnu." in out
    code, out, _ = run(capsys, "status", "--json")
    assert code == 0
    assert json.loads(out) == {
        "data_dir": str(data_dir),
        "demo": False,
        "kinds": {},
        "ok": True,
        "problems": [],
        "error": None,
        "as_of": "Data pr.: ingen hændelser · ingen import",
    }


def test_status_after_an_import(capsys, mixed_file, tmp_path):
    assert main(["import", "incidents", str(mixed_file)]) == 0
    measurements = write(
        tmp_path,
        "område;periode;indikator;værdi\nD1;2023;tryg_andel;0,8\nD1;2024-Q2;tryg_andel;0,9\n",
        "m.csv",
    )
    assert main(["import", "measurements", str(measurements)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "status")
    assert code == 0
    assert "hændelser: 2 rækker, 2024-01-01 – 2024-01-01 (fra hændelser.csv" in out
    assert "målinger: 2 rækker (fra m.csv" in out
    assert "tryg_andel: 2023 – 2024-Q2 (2 rækker)" in out
    assert "(Demodata)" not in out
    code, out, _ = run(capsys, "status", "--json")
    status = json.loads(out)
    incidents = status["kinds"]["incidents"]
    assert (incidents["rows"], incidents["rejected"], incidents["file"]) == (2, 1, "hændelser.csv")
    assert incidents["categories"] == ["vold"]
    assert incidents["outside_districts"] == 2
    assert status["kinds"]["measurements"]["indicators"]["tryg_andel"]["rows"] == 2


# ---- rollback -------------------------------------------------------------------------------------
def test_rollback(capsys, tmp_path, data_dir):
    first = write(tmp_path, HEADER + GOOD.format(i=1), "første.csv")
    second = write(tmp_path, HEADER + GOOD.format(i=1) + GOOD.format(i=2), "anden.csv")
    assert main(["import", "incidents", str(first)]) == 0
    assert main(["import", "incidents", str(second)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "rollback", "incidents")
    assert code == 0
    assert "Hændelser er nu igen versionen fra" in out and "(første.csv)" in out
    assert len(Store(data_dir).read("incidents")) == 1
    code, _, err = run(capsys, "rollback", "incidents")
    assert code == 1
    assert "Der er ingen tidligere version af hændelser at gå tilbage til." in err


def test_rollback_of_an_empty_folder_exits_1(capsys):
    code, _, err = run(capsys, "rollback", "measurements")
    assert code == 1
    assert err.startswith("Fejl: ")
