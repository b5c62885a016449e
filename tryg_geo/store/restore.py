"""Restore a backup made by :func:`tryg_geo.store.backup.make_backup` — never overwriting.

Into an empty data folder every file comes back as it was (the ``CURRENT`` pointers last, so
a replica reading meanwhile sees no data rather than half of it). Into a folder with data, the
archive's current version of each kind becomes a new version, and all kinds are made current
together; what was current before stays as the version ``rollback`` goes back to.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import StoreError
from .backup import check_archive
from .checksum import CHUNK, sha256_file
from .folder import Store, version_stamp, write_json
from .schema import KINDS


def restore_backup(store: Store, archive_path: str | os.PathLike[str]) -> dict[str, Any]:
    """Check the archive (see :func:`check_archive`), then restore it into ``store``.

    Returns
    -------
    dict
        ``mode`` ("empty" or "new_versions"), ``kinds`` (kind -> version made current),
        ``files`` (files written) and ``kept`` (files of the folder left as they were).

    Raises
    ------
    StoreError
        The archive is damaged (nothing changed), or — into an empty folder — a file the
        archive holds exists with other content (nothing changed).
    """
    archive_path = Path(archive_path)
    manifest = check_archive(archive_path)
    with store.lock(purpose="restore"), zipfile.ZipFile(archive_path) as archive:
        if _is_empty(store):
            return _restore_all(store, archive, manifest)
        return _restore_as_new_versions(store, archive, manifest, archive_path.name)


def _is_empty(store: Store) -> bool:
    """No kind has a version, and nothing was ever imported or logged here."""
    if any(store._current_name(k) or store._all_versions(k) for k in KINDS):
        return False
    originals = store.root / "originals"
    has_originals = originals.is_dir() and any(originals.iterdir())
    return not has_originals and not (store.root / "import_log.jsonl").exists()


def _restore_all(store: Store, archive: zipfile.ZipFile, manifest: dict) -> dict[str, Any]:
    files: dict[str, dict[str, Any]] = manifest["files"]
    kept, conflicts = [], []
    for name, entry in files.items():
        target = store.root / name
        if target.exists():
            same = target.is_file() and sha256_file(target) == entry["sha256"]
            (kept if same else conflicts).append(name)
    if conflicts:
        raise StoreError(
            f"Gendannelsen er stoppet, og intet er ændret: {', '.join(conflicts)} findes "
            f"allerede i data-mappen {store.root} med et andet indhold. Flyt filen væk (eller "
            "gendan i en tom mappe), og kør igen."
        )
    # Pointers last: until they are written, a reader sees an empty folder, never half data.
    order = sorted((n for n in files if n not in kept), key=lambda n: n.endswith("/CURRENT"))
    for name in order:
        _extract(archive, name, store.root / name, files[name]["sha256"])
    return {
        "mode": "empty",
        "kinds": dict(manifest.get("current") or {}),
        "files": len(order),
        "kept": kept,
    }


def _restore_as_new_versions(
    store: Store, archive: zipfile.ZipFile, manifest: dict, archive_name: str
) -> dict[str, Any]:
    staged: list[tuple[str, str, list[Path]]] = []  # kind, new version, originals written
    switched: list[tuple[str, str | None]] = []
    try:
        for kind, old in (manifest.get("current") or {}).items():
            staged.append(_stage_version(store, archive, manifest, kind, old, archive_name))
        for kind, name, _ in staged:
            switched.append((kind, store._current_name(kind)))
            store._point_current(store._dir(kind), name)
    except BaseException:
        _undo(store, staged, switched)
        raise
    for kind, name, _ in staged:
        meta = store.meta(kind)
        store._log(
            {
                "action": "restore",
                "kind": kind,
                "file": meta.get("file"),
                "rows": meta.get("rows"),
                "restored_from": meta.get("restored_from"),
                "version": name,
                "replaced": dict(switched).get(kind),
            }
        )
        store._prune(kind)
    return {
        "mode": "new_versions",
        "kinds": {kind: name for kind, name, _ in staged},
        "files": sum(len(_version_members(manifest, k, o)) for k, o in manifest["current"].items()),
        "kept": [],
    }


def _stage_version(
    store: Store, archive: zipfile.ZipFile, manifest: dict, kind: str, old: str, archive_name: str
) -> tuple[str, str, list[Path]]:
    """Write the archive's version ``old`` of ``kind`` as a new version; not current yet."""
    files = manifest["files"]
    meta = json.loads(archive.read(f"{kind}/{old}/meta.json").decode("utf-8"))
    name = version_stamp()
    folder = store._dir(kind)
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f".tmp-{uuid.uuid4().hex}"
    originals: list[Path] = []
    checksums: dict[str, str] = {}
    try:
        for member in _version_members(manifest, kind, old):
            if member.startswith("originals/"):
                new_name = name + member.removeprefix(f"originals/{old}")
                target = store.root / "originals" / new_name
                checksums[f"originals/{new_name}"] = files[member]["sha256"]
                originals.append(target)
            else:
                file = member.removeprefix(f"{kind}/{old}/")
                target = staging / file
                checksums[f"{kind}/{name}/{file}"] = files[member]["sha256"]
            _extract(archive, member, target, files[member]["sha256"])
        meta |= {
            "version": name,
            "checksums": checksums,
            "restored_from": {
                "archive": archive_name,
                "version": old,
                "backup_created_at": manifest.get("created_at"),
                "restored_at": datetime.now().isoformat(timespec="seconds"),
            },
        }
        write_json(staging / "meta.json", meta)
        os.rename(staging, folder / name)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for path in originals:
            path.unlink(missing_ok=True)
        raise
    return kind, name, originals


def _version_members(manifest: dict, kind: str, old: str) -> list[str]:
    """The archive's files of one version (its folder, without meta.json, and its original)."""
    inside = f"{kind}/{old}/"
    original = f"originals/{old}_{kind}_"
    return [
        n
        for n in manifest["files"]
        if (n.startswith(inside) and n != inside + "meta.json" and "/" not in n[len(inside) :])
        or n.startswith(original)
    ]


def _undo(store: Store, staged, switched) -> None:
    for kind, previous in reversed(switched):
        if previous is None:
            (store._dir(kind) / "CURRENT").unlink(missing_ok=True)
        else:
            store._point_current(store._dir(kind), previous)
    for kind, name, originals in staged:
        shutil.rmtree(store._dir(kind) / name, ignore_errors=True)
        for path in originals:
            path.unlink(missing_ok=True)


def _extract(archive: zipfile.ZipFile, name: str, target: Path, sha256: str) -> None:
    """Write member ``name`` to ``target`` (via a temporary file), checking its SHA-256 again."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".tmp-{uuid.uuid4().hex}"
    digest = hashlib.sha256()
    try:
        with archive.open(name) as source, open(tmp, "wb") as sink:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                sink.write(chunk)
        if digest.hexdigest() != sha256:
            raise StoreError(
                f"'{name}' blev ændret i sikkerhedskopien under gendannelsen; kør igen."
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
