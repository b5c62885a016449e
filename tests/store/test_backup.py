"""Backup, restore and verify: the restore drill gives byte-identical exports; damaged data and
damaged archives are named with the file, the cause and the command that repairs them."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest

import tryg_geo.store.dataset as dataset_module
from tryg_geo import DataDamagedError, StoreError, TrygGeoError
from tryg_geo.cache import LRU
from tryg_geo.cli import main
from tryg_geo.demo.make import make_demo
from tryg_geo.ingest.importer import import_file
from tryg_geo.render.csv_export import view_csv
from tryg_geo.store.backup import MANIFEST, check_archive, make_backup
from tryg_geo.store.dataset import load_dataset
from tryg_geo.store.folder import Store
from tryg_geo.store.integrity import verify
from tryg_geo.store.restore import restore_backup
from tryg_geo.store.sessions import SessionStore
from tryg_geo.views.registry import build_view, default_filters, view_keys

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
FIRST = BAD / "decimal_comma.csv"  # 2 incidents
SECOND = BAD / "cp1252_aeoeaa.csv"  # 3 incidents


def run(capsys, root: Path, monkeypatch, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setenv("TRYG_DATA_DIR", str(root))
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def files(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` except the lock file, with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def exports(root: Path) -> dict[str, bytes]:
    """The CSV of every view (or the sentence saying why there is none), as the CLI writes it."""
    ds = load_dataset(Store(root))
    filters = default_filters(ds)
    out: dict[str, bytes] = {}
    for key in view_keys():
        try:
            out[key] = view_csv(build_view(key, ds, filters))
        except TrygGeoError as exc:  # e.g. a view whose counts are all below the discretion rule
            out[key] = str(exc).encode()
    return out


def flip(path: Path, at: int = 200) -> None:
    """Change one byte in the middle of ``path``; its size stays the same."""
    data = bytearray(path.read_bytes())
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.fixture()
def full(tmp_path) -> Store:
    """A folder with history: an import with its original copy, then demo data on top."""
    store = Store(tmp_path / "data")
    import_file("incidents", FIRST, store=store, source="Politiet, udtræk")
    make_demo(store, incidents=1500)
    (store.root / "roles.toml").write_text('[users]\n"d@x.dk" = "dataansvarlig"\n')
    return store


# ---- the restore drill ------------------------------------------------------------------------
def test_restore_drill_gives_byte_identical_exports(full, tmp_path, capsys, monkeypatch):
    before = exports(full.root)
    assert any(b.startswith(b"\xef\xbb\xbf") for b in before.values())  # real CSV, not only errors
    archive = tmp_path / "tryg-backup.zip"
    code, out, _ = run(capsys, full.root, monkeypatch, "backup", str(archive))
    assert code == 0 and "Sikkerhedskopi gemt" in out

    empty = tmp_path / "ny-server" / "data"
    code, out, err = run(capsys, empty, monkeypatch, "restore", str(archive))
    assert code == 0, err
    assert "Gendannet i den tomme data-mappe" in out
    assert files(empty) == files(full.root)  # versions, originals, log, roles: all of it
    assert exports(empty) == before
    code, out, _ = run(capsys, empty, monkeypatch, "verify")
    assert code == 0 and "er i orden" in out


def test_every_import_records_its_files_checksums(full):
    meta = json.loads(
        (full.root / "incidents" / full.versions("incidents")[0] / "meta.json").read_text()
    )
    version = meta["version"]
    assert set(meta["checksums"]) == {
        f"incidents/{version}/data.parquet",
        f"incidents/{version}/rejected.csv",
        f"originals/{version}_incidents_{FIRST.name}",
    }
    copy = full.root / "originals" / f"{version}_incidents_{FIRST.name}"
    assert copy.read_bytes() == FIRST.read_bytes()
    assert (
        meta["checksums"][f"originals/{copy.name}"] == hashlib.sha256(copy.read_bytes()).hexdigest()
    )


def test_backup_manifest_lists_every_file_but_the_lock_and_uploads(full, tmp_path):
    (full.root / "uploads" / "tmpx").mkdir(parents=True)
    (full.root / "uploads" / "tmpx" / "halv.csv").write_text("a;b\n")
    manifest = make_backup(full, tmp_path / "b.zip")
    expected = set(files(full.root)) - {"uploads/tmpx/halv.csv"}
    assert set(manifest["files"]) == expected
    assert manifest["current"] == {k: full._current_name(k) for k in manifest["current"]}
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        assert set(archive.namelist()) == expected | {MANIFEST}


def test_sign_ins_stay_out_of_a_backup(full, tmp_path):
    # A backup is handed to other people; the session store (hashes of login cookies) is
    # per-installation state that must neither travel nor be restored over a live one.
    SessionStore(full.root, max_age=3600, idle=600).start("a" * 64)
    assert (full.root / ".sessions.sqlite").is_file()
    make_backup(full, tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        assert not [n for n in archive.namelist() if "sessions" in n]


def test_backup_never_overwrites_and_never_lands_in_the_data_folder(full, tmp_path):
    target = tmp_path / "b.zip"
    target.write_bytes(b"gammel")
    with pytest.raises(TrygGeoError, match="findes allerede"):
        make_backup(full, target)
    assert target.read_bytes() == b"gammel"
    with pytest.raises(TrygGeoError, match="ligger i data-mappen"):
        make_backup(full, full.root / "b.zip")


# ---- damaged data -----------------------------------------------------------------------------
def test_damaged_parquet_is_named_with_cause_and_rollback(tmp_path, capsys, monkeypatch):
    root = tmp_path / "data"
    store = Store(root)
    import_file("incidents", FIRST, store=store)
    import_file("incidents", SECOND, store=store)
    assert len(load_dataset(store).incidents) == 3
    damaged = root / "incidents" / store._current_name("incidents") / "data.parquet"
    flip(damaged)

    code, out, _ = run(capsys, root, monkeypatch, "status")
    assert code == 1
    assert str(damaged) in out and "indholdet er ændret siden importen" in out
    assert "python -m tryg_geo rollback incidents" in out
    code, out, _ = run(capsys, root, monkeypatch, "verify")
    assert code == 1 and str(damaged) in out and "rollback incidents" in out
    code, out, _ = run(capsys, root, monkeypatch, "verify", "--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    assert [p["path"] for p in report["problems"]] == [str(damaged)]
    # A replica that loads it (a restart, another process) never shows it as if in order; this
    # process keeps serving the copy it loaded before the damage.
    monkeypatch.setattr(dataset_module, "_DATASETS", LRU("datasets"))
    with pytest.raises(DataDamagedError, match="data.parquet"):
        load_dataset(Store(root))

    code, out, _ = run(capsys, root, monkeypatch, "rollback", "incidents")
    assert code == 0
    code, out, _ = run(capsys, root, monkeypatch, "status")
    assert code == 0 and "FEJL" not in out
    assert len(load_dataset(Store(root)).incidents) == 2


def test_truncated_parquet_without_earlier_version_points_to_restore(tmp_path, capsys, monkeypatch):
    root = tmp_path / "data"
    import_file("incidents", FIRST, store=Store(root))
    damaged = root / "incidents" / Store(root)._current_name("incidents") / "data.parquet"
    damaged.write_bytes(damaged.read_bytes()[:100])
    code, out, _ = run(capsys, root, monkeypatch, "status")
    assert code == 1 and str(damaged) in out
    assert "python -m tryg_geo restore" in out and "rollback" not in out


def test_rollback_refuses_a_damaged_earlier_version(tmp_path):
    store = Store(tmp_path / "data")
    import_file("incidents", FIRST, store=store)
    import_file("incidents", SECOND, store=store)
    flip(store.versions("incidents")[-1] / "data.parquet")
    current = store._current_name("incidents")
    with pytest.raises(DataDamagedError, match="Tilbagerulningen er stoppet"):
        store.rollback("incidents")
    assert store._current_name("incidents") == current


def test_damaged_copy_of_the_original_is_named_but_the_data_load(tmp_path, capsys, monkeypatch):
    root = tmp_path / "data"
    import_file("incidents", FIRST, store=Store(root))
    copy = next((root / "originals").iterdir())
    flip(copy, at=10)
    assert len(load_dataset(Store(root)).incidents) == 2  # the data themselves are intact
    code, out, _ = run(capsys, root, monkeypatch, "verify")
    assert code == 1 and str(copy) in out and "data er ikke berørt" in out


def test_backup_refuses_damaged_current_data(full, tmp_path):
    flip(full._current("incidents") / "data.parquet", at=300)
    with pytest.raises(DataDamagedError, match="Sikkerhedskopien er ikke lavet"):
        make_backup(full, tmp_path / "b.zip")
    assert list(tmp_path.glob("*b.zip*")) == []  # no half archive left behind


# ---- damaged archives -------------------------------------------------------------------------
def _member_offset(archive: Path, name: str) -> int:
    """Where the bytes of the stored member ``name`` start in the zip file."""
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(name)
    with open(archive, "rb") as handle:
        handle.seek(info.header_offset + 26)
        name_len = int.from_bytes(handle.read(2), "little")
        extra_len = int.from_bytes(handle.read(2), "little")
    return info.header_offset + 30 + name_len + extra_len


def test_damaged_archive_member_is_refused_by_name(full, tmp_path, capsys, monkeypatch):
    archive = tmp_path / "b.zip"
    make_backup(full, archive)
    member = f"incidents/{full._current_name('incidents')}/data.parquet"
    flip(archive, at=_member_offset(archive, member) + 500)
    empty = tmp_path / "ny" / "data"
    code, _, err = run(capsys, empty, monkeypatch, "restore", str(archive))
    assert code == 1
    assert f"'{member}'" in err and "er beskadiget" in err and "Intet er gendannet" in err
    assert not empty.exists() or files(empty) == {}


def _rewrite(archive: Path, target: Path, *, manifest=None, extra: dict | None = None) -> None:
    """Copy ``archive`` to ``target`` with an edited manifest and/or extra members."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as sink:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == MANIFEST and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            sink.writestr(info, data)
        for name, data in (extra or {}).items():
            sink.writestr(name, data)


def test_manifest_mismatch_extra_and_missing_members_are_named(full, tmp_path):
    archive = tmp_path / "b.zip"
    make_backup(full, archive)
    log = "import_log.jsonl"

    def wrong_sum(manifest):
        manifest["files"][log]["sha256"] = "0" * 64
        return manifest

    _rewrite(archive, tmp_path / "sum.zip", manifest=wrong_sum)
    with pytest.raises(StoreError, match=f"'{log}' passer ikke med manifestet"):
        check_archive(tmp_path / "sum.zip")

    _rewrite(archive, tmp_path / "extra.zip", extra={"incidents/ekstra.parquet": b"x"})
    with pytest.raises(StoreError, match="'incidents/ekstra.parquet' står ikke i manifestet"):
        check_archive(tmp_path / "extra.zip")

    def missing(manifest):
        manifest["files"]["roles2.toml"] = {"sha256": "1" * 64, "size": 1}
        return manifest

    _rewrite(archive, tmp_path / "missing.zip", manifest=missing)
    with pytest.raises(StoreError, match="'roles2.toml' mangler i arkivet"):
        check_archive(tmp_path / "missing.zip")

    def escape(manifest):
        manifest["files"]["../../etc/x"] = {"sha256": "1" * 64, "size": 1}
        return manifest

    _rewrite(archive, tmp_path / "escape.zip", manifest=escape)
    with pytest.raises(StoreError, match="uden for data-mappen"):
        check_archive(tmp_path / "escape.zip")


def test_truncated_archive_is_refused(full, tmp_path):
    archive = tmp_path / "b.zip"
    make_backup(full, archive)
    archive.write_bytes(archive.read_bytes()[:-2000])
    with pytest.raises(StoreError, match="ikke en hel sikkerhedskopi"):
        restore_backup(Store(tmp_path / "ny"), archive)


# ---- restore never overwrites -----------------------------------------------------------------
def test_restore_into_a_folder_with_data_adds_new_versions(full, tmp_path):
    archive = tmp_path / "b.zip"
    make_backup(full, archive)
    other = Store(tmp_path / "other")
    import_file("incidents", SECOND, store=other)
    before = files(other.root)
    result = restore_backup(other, archive)
    assert result["mode"] == "new_versions"
    after = files(other.root)
    for name, data in before.items():  # nothing overwritten: the log only grows
        if name == "import_log.jsonl":
            assert after[name].startswith(data)
        elif not name.endswith("CURRENT"):
            assert after[name] == data, name
    assert len(load_dataset(other).incidents) == 1500  # the archive's data are current
    assert other.meta("incidents")["restored_from"]["archive"] == "b.zip"
    assert Store(other.root).has("districts")
    entries = other.log_entries()
    assert {e["action"] for e in entries[:4]} == {"restore"}
    assert verify(other)[0] == []
    other.rollback("incidents")  # back to what was there before the restore
    assert len(load_dataset(other).incidents) == 3


def test_restore_into_an_empty_folder_refuses_a_different_existing_file(full, tmp_path):
    archive = tmp_path / "b.zip"
    make_backup(full, archive)
    target = tmp_path / "ny"
    target.mkdir()
    (target / "roles.toml").write_text('[users]\n"x@x.dk" = "leder"\n')
    with pytest.raises(StoreError, match="roles.toml findes allerede"):
        restore_backup(Store(target), archive)
    assert {p.name for p in target.iterdir()} <= {"roles.toml", ".lock"}
    shutil.copy(full.root / "roles.toml", target / "roles.toml")  # the same file is fine
    assert restore_backup(Store(target), archive)["kept"] == ["roles.toml"]


def test_a_damaged_earlier_version_is_backed_up_as_it_is_and_listed(
    full, tmp_path, capsys, monkeypatch
):
    old = full.versions("incidents")[0] / "data.parquet"
    flip(old)
    archive = tmp_path / "b.zip"
    code, out, err = run(capsys, full.root, monkeypatch, "backup", str(archive))
    relative = old.relative_to(full.root).as_posix()
    assert code == 0 and relative in err and "verify" in err
    assert check_archive(archive)["damaged"] == [relative]
    empty = tmp_path / "ny"
    assert restore_backup(Store(empty), archive)["mode"] == "empty"
    problems, _ = verify(Store(empty))
    assert [(p.path, p.current) for p in problems] == [(str(empty / relative), False)]
    assert "rm -r" in problems[0].repair
