"""Nothing lost: a failed import leaves the data folder byte for byte as it was, the previous
version comes back with ``python -m tryg_geo rollback KIND``, and imports at the same moment
(separate processes on one data folder) wait for each other or fail with one clear sentence.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

import tryg_geo.ingest.importer
import tryg_geo.ingest.incidents
import tryg_geo.store.folder
from tryg_geo.cli import main
from tryg_geo.ingest.importer import import_file
from tryg_geo.store.folder import Store, telling_waits

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
REPO = Path(__file__).resolve().parents[2]
FIRST = BAD / "decimal_comma.csv"  # 2 incidents
SECOND = BAD / "cp1252_aeoeaa.csv"  # 3 incidents
DISTRICTS = BAD / "geojson_no_crs_utm.geojson"
OTHER_DISTRICTS = BAD / "overlapping_districts.geojson"


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (the whole data folder, logs included)."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def assert_consistent(store: Store, kind: str) -> None:
    """CURRENT names a complete version, its data reads, and no temporary leftovers remain."""
    folder = store.root / kind
    current = (folder / "CURRENT").read_text(encoding="utf-8").strip()
    assert (folder / current).is_dir()
    for version in (p for p in folder.iterdir() if p.is_dir()):
        assert not version.name.startswith(".tmp"), version
        assert {p.name for p in version.iterdir()} == {"data.parquet", "rejected.csv", "meta.json"}
    assert not [p for p in folder.iterdir() if p.name.startswith(".tmp")]
    frame = store.read(kind)
    assert store.meta(kind)["rows"] == len(frame) > 0


@pytest.fixture()
def store(tmp_path, monkeypatch) -> Store:
    """A data folder holding one import of FIRST; the CLI uses it too."""
    monkeypatch.setenv("TRYG_DATA_DIR", str(tmp_path / "data"))
    store = Store(tmp_path / "data")
    import_file("incidents", FIRST, store=store)
    return store


# ---- a failure halfway through ----------------------------------------------------------------
def _half_parquet(frame, path, kind):
    Path(path).write_bytes(b"PAR1 half a file")
    raise OSError(28, "No space left on device")


def _fail(*args, **kwargs):
    raise OSError(5, "Input/output error")


FAILURES = {
    # where: (object, attribute, replacement)
    "loader": (tryg_geo.ingest.incidents, "enrich_incidents", _fail),
    "parquet written halfway": (tryg_geo.store.folder, "_to_parquet", _half_parquet),
    "meta.json": (tryg_geo.store.folder, "write_json", _fail),
    "copy of the original": (tryg_geo.store.folder.shutil, "copyfile", _fail),
    "rename of the new version": (tryg_geo.store.folder.os, "rename", _fail),
    "switch of CURRENT": (tryg_geo.store.folder.os, "replace", _fail),
}


@pytest.mark.parametrize("where", FAILURES)
def test_failed_import_leaves_the_data_folder_byte_identical(store, monkeypatch, where):
    before = tree(store.root)
    target, name, replacement = FAILURES[where]
    with monkeypatch.context() as patch, pytest.raises(OSError):
        patch.setattr(target, name, replacement)
        import_file("incidents", SECOND, store=store)
    assert tree(store.root) == before
    assert_consistent(store, "incidents")
    assert len(store.read("incidents")) == 2


@pytest.mark.parametrize("where", ["parquet written halfway", "rename of the new version"])
def test_failed_import_on_the_command_line_is_one_sentence_and_changes_nothing(
    store, monkeypatch, capsys, where
):
    before = tree(store.root)
    target, name, replacement = FAILURES[where]
    with monkeypatch.context() as patch:
        patch.setattr(target, name, replacement)
        code = main(["import", "incidents", str(SECOND)])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert "de gemte data er uændrede" in err  # a disk error, said as one sentence
    assert tree(store.root) == before


def test_failed_import_then_rollback_goes_to_the_version_before_the_last_good_one(
    store, monkeypatch, capsys
):
    import_file("incidents", SECOND, store=store)
    with monkeypatch.context() as patch, pytest.raises(OSError):
        patch.setattr(tryg_geo.store.folder, "_to_parquet", _half_parquet)
        import_file("incidents", FIRST, store=store)
    assert main(["rollback", "incidents"]) == 0
    assert len(store.read("incidents")) == 2  # FIRST, not a half-written third version
    assert_consistent(store, "incidents")


# ---- rollback ---------------------------------------------------------------------------------
def test_rollback_on_the_command_line_restores_the_previous_version_exactly(store, capsys):
    first_frame = store.read("incidents")
    first_bytes = (store.root / "incidents" / store._current_name("incidents")).joinpath(
        "data.parquet"
    )
    first_bytes = first_bytes.read_bytes()
    import_file("incidents", SECOND, store=store)
    assert len(store.read("incidents")) == 3
    capsys.readouterr()
    assert main(["rollback", "incidents"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    # (The sentence starts with the lower-case label: "hændelser er nu igen versionen fra …".)
    assert out.lower().startswith("hændelser er nu igen versionen fra ")
    assert "(decimal_comma.csv)" in out
    pd.testing.assert_frame_equal(store.read("incidents"), first_frame)
    current = store.root / "incidents" / store._current_name("incidents")
    assert (current / "data.parquet").read_bytes() == first_bytes
    assert_consistent(store, "incidents")


def test_rollback_without_an_earlier_version_is_one_sentence(store, capsys):
    assert main(["rollback", "incidents"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("Fejl: Der er ingen tidligere version af hændelser")
    assert "Traceback" not in err


def test_failed_district_import_with_incidents_stored_changes_nothing(tmp_path, monkeypatch):
    store = Store(tmp_path / "data")
    import_file("districts", DISTRICTS, store=store)
    import_file("incidents", BAD / "points_on_boundary.csv", store=store)
    before = tree(store.root)
    with monkeypatch.context() as patch, pytest.raises(OSError):
        patch.setattr(tryg_geo.ingest.importer, "enrich_incidents", _fail)
        import_file("districts", OTHER_DISTRICTS, store=store)
    assert tree(store.root) == before


def test_incidents_imported_during_a_district_import_are_not_lost(tmp_path, monkeypatch):
    root = tmp_path / "data"
    import_file("incidents", FIRST, store=Store(root))
    real_enrich = tryg_geo.ingest.importer.enrich_incidents

    waiting = threading.Event()

    def colleague_imports() -> None:
        with telling_waits(lambda _: waiting.set()):
            import_file("incidents", SECOND, store=Store(root))

    colleague = threading.Thread(target=colleague_imports)

    def enrich_while_another_import_runs(incidents, districts):
        # A colleague's import (another Store, as in another process) starts right now: it
        # must wait for the lock, not be overwritten by the re-assigned old incidents. Go on
        # only once it is seen waiting, so the test never passes by the colleague being late.
        colleague.start()
        assert waiting.wait(timeout=60), "the colleague's import never waited for the lock"
        return real_enrich(incidents, districts)

    with monkeypatch.context() as patch:
        patch.setattr(
            tryg_geo.ingest.importer, "enrich_incidents", enrich_while_another_import_runs
        )
        import_file("districts", DISTRICTS, store=Store(root))
    colleague.join(timeout=60)
    assert len(Store(root).read("incidents")) == 3  # the newest import, SECOND


# ---- two processes at the same moment ---------------------------------------------------------
def _import_process(root: Path, path: Path, *, lock_timeout: float | None = None):
    env = {**os.environ, "TRYG_DATA_DIR": str(root), "PYTHONPATH": str(REPO)}
    env.pop("TRYG_DEBUG", None)
    if lock_timeout is None:
        argv = [sys.executable, "-m", "tryg_geo", "import", "incidents", str(path)]
    else:
        code = (
            "import sys, tryg_geo.store.folder as s; s.LOCK_TIMEOUT_S = float(sys.argv[1]); "
            "from tryg_geo.cli import main; sys.exit(main(sys.argv[2:]))"
        )
        argv = [sys.executable, "-c", code, str(lock_timeout), "import", "incidents", str(path)]
    return subprocess.Popen(
        argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_until_at_the_lock(processes, lock: Path, timeout: float = 30.0) -> None:
    """Wait until every process has the lock file open (so it is waiting for the lock)."""
    deadline = time.monotonic() + timeout
    waiting: set[int] = set()
    while len(waiting) < len(processes):
        assert time.monotonic() < deadline, "the imports never reached the lock"
        for process in processes:
            assert process.poll() is None, process.communicate()
            fds = Path(f"/proc/{process.pid}/fd")
            try:
                targets = {os.readlink(fd) for fd in fds.iterdir()}
            except (FileNotFoundError, ProcessLookupError):
                continue
            if str(lock) in targets:
                waiting.add(process.pid)
        time.sleep(0.05)


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc")
def test_two_imports_at_the_same_moment_wait_for_each_other(store):
    before = len(store.versions("incidents"))
    with store.lock():
        processes = [_import_process(store.root, p) for p in (SECOND, FIRST)]
        _wait_until_at_the_lock(processes, store.root / ".lock")
    # The lock is free: both go, one after the other.
    results = [p.communicate(timeout=60) for p in processes]
    for process, (out, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err
        assert "Traceback" not in out + err
        # Each was told once, in Danish, why it waited (the test's lock, then the other one).
        assert err.startswith("Venter: Data-mappen ") and err.count("\n") == 1, err
        assert "er optaget af en anden import." in err
    assert len(store.versions("incidents")) == before + 2
    assert len(store.read("incidents")) in (2, 3)
    assert_consistent(store, "incidents")
    log = (store.root / "import_log.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(log) == 3


def test_many_imports_at_once_keep_the_store_consistent(store):
    processes = [_import_process(store.root, p) for p in (FIRST, SECOND) * 2]
    for process in processes:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert "Traceback" not in out + err
    assert len(store.versions("incidents")) == 4  # five versions: the fixture's and four more
    assert_consistent(store, "incidents")
    assert len((store.root / "import_log.jsonl").read_text().splitlines()) == 5


def test_import_while_the_folder_stays_busy_fails_with_the_lock_sentence(store):
    before = tree(store.root)
    with store.lock():
        process = _import_process(store.root, SECOND, lock_timeout=0.3)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 1, err
    assert "Traceback" not in out + err
    waited, failed = err.splitlines()  # told it waits, then that it gives up
    assert waited.startswith("Venter: Data-mappen ") and "er optaget af en anden import." in waited
    assert failed.startswith("Fejl: Data-mappen ")
    assert "er optaget af en anden import; prøv igen om lidt." in failed
    assert tree(store.root) == before
    assert_consistent(store, "incidents")


# ---- one data folder, many readers (replicas are processes) -----------------------------------
def test_an_import_by_another_process_is_seen_on_the_next_load(store):
    from tryg_geo.store.dataset import load_dataset

    first = load_dataset(Store(store.root))
    assert len(first.incidents) == 2
    assert load_dataset(Store(store.root)) is first  # a rerun reuses what is loaded
    process = _import_process(store.root, SECOND)  # another replica imports
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    after = load_dataset(Store(store.root))  # this replica's next rerun, no restart
    assert after is not first and len(after.incidents) == 3
    assert after.version == Store(store.root).version()


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc")
def test_second_writer_is_told_in_danish_what_holds_the_folder(store):
    code = (
        "import sys, time; from tryg_geo.store.folder import Store; "
        "l = Store(sys.argv[1]).lock(purpose='backup'); l.__enter__(); "
        "print('låst', flush=True); time.sleep(30)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(store.root)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "låst"
        process = _import_process(store.root, SECOND, lock_timeout=0.3)
        out, err = process.communicate(timeout=120)
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert process.returncode == 1 and "Traceback" not in out + err
    assert "er optaget af en sikkerhedskopiering (backup); prøv igen om lidt." in err
    assert f"proces {holder.pid}" in err
    assert len(store.read("incidents")) == 2  # nothing changed
