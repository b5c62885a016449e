"""Finding 7 of issue 19: the audit trail took "who" from the environment and forgot failed
imports."""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import sys
from pathlib import Path

from tryg_geo.cli import main
from tryg_geo.ingest.importer import import_file
from tryg_geo.store.folder import Store

ROOT = Path(__file__).resolve().parents[2]
ME = pwd.getpwuid(os.geteuid()).pw_name
GOOD = "område;periode;indikator;værdi;n\nkommune;2024;tryg_andel;87,5;214\n"
BAD = 'id;dato;kategori;x;y\n1;i går;vold;555702;6323433\n2;=HYPERLINK("http://x");vold;1;1\n'


def log(root: Path) -> list[dict]:
    text = (root / "import_log.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def test_logname_does_not_choose_who_is_logged(tmp_path: Path) -> None:
    root = tmp_path / "data"
    csv = tmp_path / "tryghed.csv"
    csv.write_text(GOOD, encoding="utf-8")
    store = Store(root)
    import_file("measurements", csv, store=store)
    import_file("measurements", csv, store=store)
    env = {
        "PYTHONPATH": str(ROOT),
        "PATH": "/usr/bin:/bin",
        "TRYG_DATA_DIR": str(root),
        "LOGNAME": "x",
        "USER": "x",
        "LNAME": "x",
        "USERNAME": "x",
    }
    subprocess.run(
        [sys.executable, "-m", "tryg_geo", "rollback", "measurements"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    last = log(root)[-1]
    assert last["action"] == "rollback" and last["via"] == "kommandolinje"
    assert last["who"] == ME != "x"


def test_a_cli_import_that_accepts_no_row_is_logged(tmp_path: Path, monkeypatch, capsys) -> None:
    root = tmp_path / "data"
    monkeypatch.setenv("TRYG_DATA_DIR", str(root))
    monkeypatch.setenv("LOGNAME", "x")
    bad = tmp_path / "dårlig.csv"
    bad.write_text(BAD, encoding="utf-8")
    assert main(["import", "incidents", str(bad)]) == 1
    (entry,) = log(root)
    assert entry["action"] == "import_failed" and entry["who"] == ME
    assert entry["via"] == "kommandolinje" and entry["file"] == "dårlig.csv"
    assert (entry["rows_read"], entry["accepted"], entry["rejected"]) == (2, 0, 2)
    assert entry["reason"].startswith("Ingen rækker blev godkendt")
    kept = Path(entry["rejected_file"])
    # Kept where the successful imports keep theirs (under the kind), never a loose file.
    assert kept.parent.parent == root / "incidents" / "failed" and kept.exists()
    assert not (root / "incidents" / "rejected_last_failed_import.csv").exists()
    assert "'=HYPERLINK" in kept.read_text(encoding="utf-8")  # neutralised like every CSV
    assert str(kept) in capsys.readouterr().out


def test_an_unusable_file_is_logged_too(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "data"
    monkeypatch.setenv("TRYG_DATA_DIR", str(root))
    wrong = tmp_path / "forkert.csv"
    wrong.write_text("a;b\n1;2\n", encoding="utf-8")
    assert main(["import", "incidents", str(wrong)]) != 0
    (entry,) = log(root)
    assert entry["action"] == "import_failed" and entry["who"] == ME
    assert entry["file"] == "forkert.csv" and entry["reason"]
    assert main(["import", "incidents", str(wrong), "--dry-run"]) != 0
    assert len(log(root)) == 1  # a dry run stores and logs nothing
