"""The data folder: atomic writes, versions, rollback, lock, log and original copies."""

from __future__ import annotations

import json
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely import box

import tryg_geo.store.folder as store_module
from tryg_geo.errors import StoreError, UsageError
from tryg_geo.store.folder import Store, check_kind

REJECTED = pd.DataFrame(
    {
        "row": [3],
        "column": ["dato"],
        "value": ["x"],
        "reason": ["unparseable_date"],
        "message": ["m"],
    }
)


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("TRYG_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "data")


def frame(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {"area_id": [f"D{i}" for i in range(n)], "value": [float(i) for i in range(n)]}
    )


def write(store: Store, n: int, tmp_path: Path | None = None, name: str = "fil.csv") -> dict:
    original = None
    if tmp_path is not None:
        original = tmp_path / name
        original.write_bytes(f"område;værdi\nD0;{n}\n".encode("cp1252"))
    return store.write(
        "measurements",
        frame(n),
        rejected=REJECTED,
        report={"file": name, "accepted": n},
        original=original,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (except the lock file) by relative path, with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def current_dir(store: Store, kind: str = "measurements") -> Path:
    folder = store.root / kind
    return folder / (folder / "CURRENT").read_text(encoding="utf-8").strip()


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(".tmp-")]


# ---- writing and reading --------------------------------------------------------------------------
def test_default_root_is_the_data_dir_setting(tmp_path):
    assert Store().root == tmp_path / "data"


def test_write_and_read_back(store, tmp_path):
    meta = write(store, 3, tmp_path)
    assert store.has("measurements")
    pd.testing.assert_frame_equal(store.read("measurements"), frame(3))
    assert store.meta("measurements") == json.loads(json.dumps(meta, default=str))
    assert meta["rows"] == 3 and meta["file"] == "fil.csv" and meta["demo"] is False
    assert store.read_rejected("measurements")["reason"].tolist() == ["unparseable_date"]
    assert store.status()["kinds"]["measurements"]["rows"] == 3


def test_geo_kind_round_trip(store):
    districts = gpd.GeoDataFrame(
        {"district_id": ["D1"], "name": ["Midtby"], "population": [100]},
        geometry=[box(0, 0, 1, 1)],
        crs="EPSG:25832",
    )
    store.write("districts", districts, rejected=REJECTED.iloc[0:0], report={"file": "d.geojson"})
    back = store.read("districts")
    assert isinstance(back, gpd.GeoDataFrame)
    assert back.crs.to_epsg() == 25832
    assert back.geometry.iloc[0].equals(box(0, 0, 1, 1))


def test_import_log_and_original_copy(store, tmp_path):
    write(store, 1, tmp_path, "første.csv")
    write(store, 2, tmp_path, "anden.csv")
    lines = (store.root / "import_log.jsonl").read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines]
    assert [e["file"] for e in entries] == ["første.csv", "anden.csv"]
    assert [e["rows"] for e in entries] == [1, 2]
    copy = Path(entries[1]["original_copy"])
    assert copy.parent == store.root / "originals"
    assert copy.name.endswith("_measurements_anden.csv")
    assert copy.read_bytes() == (tmp_path / "anden.csv").read_bytes()
    assert len(list((store.root / "originals").iterdir())) == 2


def test_read_of_missing_kind(store):
    assert not store.has("incidents")
    with pytest.raises(StoreError, match="Der er ingen hændelser i"):
        store.read("incidents")
    assert store.meta("incidents") == {}
    assert list(store.read_rejected("incidents").columns) == [
        "row",
        "column",
        "value",
        "reason",
        "message",
    ]


def test_damaged_file_is_a_store_error(store, tmp_path):
    write(store, 1)
    (current_dir(store) / "data.parquet").write_bytes(b"not parquet")
    with pytest.raises(StoreError, match="kan ikke læses"):
        store.read("measurements")


def test_unknown_kind(store):
    with pytest.raises(UsageError, match="Ukendt datatype 'crimes'"):
        check_kind("crimes")
    with pytest.raises(UsageError):
        store.has("crimes")


def test_version_and_demo_flag(store):
    before = store.version()
    store.write("measurements", frame(1), rejected=REJECTED, report={}, demo=True)
    after = store.version()
    assert before != after
    assert store.is_demo()
    write(store, 2)
    assert store.version() != after
    assert not store.is_demo()


# ---- versions and rollback ------------------------------------------------------------------------
def test_versions_are_kept(store):
    assert store.versions("measurements") == []
    write(store, 1)
    assert store.versions("measurements") == []
    write(store, 2)
    write(store, 3)
    versions = store.versions("measurements")
    assert len(versions) == 2
    assert [len(pd.read_parquet(v / "data.parquet")) for v in versions] == [1, 2]  # oldest first


def test_rollback_restores_the_previous_version(store, tmp_path):
    write(store, 1, tmp_path, "a.csv")
    first = snapshot(current_dir(store))
    version_before = store.version()
    write(store, 2, tmp_path, "b.csv")
    replaced = current_dir(store)
    meta = store.rollback("measurements")
    pd.testing.assert_frame_equal(store.read("measurements"), frame(1))
    assert meta["file"] == "a.csv"
    assert store.meta("measurements")["file"] == "a.csv"
    assert snapshot(current_dir(store)) == first  # byte for byte the first version
    assert store.version() == version_before  # caches keyed on it show the first data again
    # The replaced version stays on disk but is not offered for the next rollback.
    assert len(pd.read_parquet(replaced / "data.parquet")) == 2
    assert store.versions("measurements") == []
    log = (store.root / "import_log.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(log[-1])["rollback_to"]


def test_rollback_twice_goes_two_versions_back(store):
    for n in (1, 2, 3):
        write(store, n)
    store.rollback("measurements")
    assert len(store.read("measurements")) == 2
    store.rollback("measurements")
    assert len(store.read("measurements")) == 1
    with pytest.raises(StoreError, match="Der er ingen tidligere version af målinger"):
        store.rollback("measurements")


def test_rollback_without_versions(store):
    with pytest.raises(StoreError, match="ingen tidligere version"):
        store.rollback("incidents")


# ---- atomic writes --------------------------------------------------------------------------------
def test_failure_while_writing_parquet_changes_nothing(store, tmp_path, monkeypatch):
    write(store, 1, tmp_path)
    before = snapshot(store.root)

    def broken(frame, path, kind):
        Path(path).write_bytes(b"half a parquet file")
        raise OSError("disken er fuld")

    monkeypatch.setattr(store_module, "_to_parquet", broken)
    with pytest.raises(OSError, match="disken er fuld"):
        write(store, 2, tmp_path)
    assert snapshot(store.root) == before
    assert temp_files(store.root) == []
    assert store.versions("measurements") == []


def current_files(store: Store) -> dict[str, bytes]:
    """The pointer and every file of the version in use."""
    return {"CURRENT": (store.root / "measurements" / "CURRENT").read_bytes()} | snapshot(
        current_dir(store)
    )


def failing_replace(monkeypatch, fail_on: int) -> None:
    """Make the ``fail_on``-th call of os.replace (1-based) raise, like a full disk."""
    real = os.replace
    calls = {"n": 0}

    def replace(src, dst):
        calls["n"] += 1
        if calls["n"] == fail_on:
            raise OSError("rename fejlede")
        return real(src, dst)

    monkeypatch.setattr(store_module.os, "replace", replace)


def break_step(monkeypatch, step: str) -> None:
    def fail(*args, **kwargs):
        raise OSError(f"{step} fejlede")

    if step == "rejected.csv":
        monkeypatch.setattr(pd.DataFrame, "to_csv", fail)
    elif step == "meta.json":
        monkeypatch.setattr(store_module, "write_json", fail)
    elif step == "original":
        monkeypatch.setattr(store_module.shutil, "copyfile", fail)
    else:  # the switch of CURRENT (call 1 renames the copy of the original)
        failing_replace(monkeypatch, fail_on=2)


STEPS = ["rejected.csv", "meta.json", "original", "rename"]


@pytest.mark.parametrize("step", STEPS)
def test_failure_in_any_step_keeps_previous_data_byte_identical(store, tmp_path, monkeypatch, step):
    write(store, 1, tmp_path)
    before = current_files(store)
    break_step(monkeypatch, step)
    with pytest.raises(OSError, match="fejlede"):
        write(store, 2, tmp_path)
    monkeypatch.undo()
    assert current_files(store) == before
    pd.testing.assert_frame_equal(Store(store.root).read("measurements"), frame(1))


@pytest.mark.parametrize("step", STEPS)
def test_failure_in_any_step_leaves_no_temp_files(store, tmp_path, monkeypatch, step):
    write(store, 1, tmp_path)
    break_step(monkeypatch, step)
    with pytest.raises(OSError, match="fejlede"):
        write(store, 2, tmp_path)
    assert temp_files(store.root) == []


def test_failed_rename_adds_no_version(store, tmp_path, monkeypatch):
    write(store, 1, tmp_path)
    break_step(monkeypatch, "rename")
    with pytest.raises(OSError):
        write(store, 2, tmp_path)
    assert store.versions("measurements") == []


def test_failed_rename_of_the_new_version_keeps_everything(store, tmp_path, monkeypatch):
    write(store, 1, tmp_path)
    before = snapshot(store.root)

    def broken_rename(src, dst):
        raise OSError("rename fejlede")

    monkeypatch.setattr(store_module.os, "rename", broken_rename)
    with pytest.raises(OSError):
        write(store, 2, tmp_path)
    monkeypatch.undo()
    assert snapshot(store.root) == before
    assert temp_files(store.root) == []


# ---- lock -----------------------------------------------------------------------------------------
def test_second_writer_times_out_while_the_lock_is_held(store, monkeypatch):
    with (
        store.lock(),
        pytest.raises(StoreError, match="er optaget af en anden import"),
        Store(store.root).lock(timeout=0.2),
    ):
        pass


def test_write_while_locked_fails_and_changes_nothing(store, monkeypatch):
    write(store, 1)
    before = snapshot(store.root)
    real_lock = Store.lock
    monkeypatch.setattr(
        Store, "lock", lambda self, timeout=0.2, purpose="import": real_lock(self, timeout, purpose)
    )
    with Store(store.root).lock(timeout=0.2):
        with pytest.raises(StoreError, match="optaget"):
            write(Store(store.root), 2)
        with pytest.raises(StoreError, match="optaget"):
            Store(store.root).rollback("measurements")
    assert snapshot(store.root) == before
    write(store, 2)  # the lock is free again
    assert len(store.read("measurements")) == 2


def test_lock_is_released_after_an_error(store):
    with pytest.raises(RuntimeError), store.lock():
        raise RuntimeError("fejl midt i en import")
    with Store(store.root).lock(timeout=0.2):
        pass
