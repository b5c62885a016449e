"""Backup and restore of the data folder: one zip file with a manifest of SHA-256 per file.

``python -m tryg_geo backup FILE`` takes the folder's lock (so no import or rollback is half
way), checks every file that has a recorded checksum while it copies it, and writes
``MANIFEST.json`` last; the archive appears under its name only when it is complete.

``python -m tryg_geo restore FILE`` first reads the whole archive and checks every member
against the manifest (a damaged archive is refused, naming the member; nothing is changed).
Into an empty data folder it puts back every file as it was (versions, history, import log,
roles and settings). Into a folder that has data it adds the archive's current data as new
versions of each kind, made current together: nothing is overwritten, and ``rollback`` goes
back to what was there before.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
import zipfile
import zlib
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from ..access import current_actor
from ..errors import StoreError, UsageError
from .checksum import CHUNK, sha256_stream
from .folder import Store
from .integrity import current_problems, damaged_error
from .schema import KINDS

FORMAT = "tryg-geo-backup"
FORMAT_VERSION = 1
MANIFEST = "MANIFEST.json"
#: Never backed up: uploads being imported, and every hidden name (the lock file, staging
#: folders ``.tmp-*``; keep any per-process or per-session state under a hidden name).
SKIPPED_TOP = ("uploads",)
NAMED = 5  # bad members named in a message; the rest are counted


# ---- backup -----------------------------------------------------------------------------------
def make_backup(store: Store, target: str | os.PathLike[str]) -> dict[str, Any]:
    """Write the data folder of ``store`` to the zip file ``target``; return its manifest.

    Raises
    ------
    UsageError
        ``target`` exists already, lies inside the data folder or its folder is missing.
    DataDamagedError
        A file of the current data differs from its recorded SHA-256 (no archive is written;
        repair first). Damaged files of earlier versions are copied as they are and listed
        under ``damaged`` in the manifest.
    """
    target = Path(target)
    _check_target(store, target)
    tmp = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex}")
    with store.lock(purpose="backup"):
        recorded = _recorded_checksums(store)
        files: dict[str, dict[str, Any]] = {}
        damaged: list[str] = []
        try:
            with zipfile.ZipFile(tmp, "w", allowZip64=True) as archive:
                for relative in _files_to_back_up(store.root):
                    files[relative] = entry = _add(archive, store.root / relative, relative)
                    expected, current = recorded.get(relative, (entry["sha256"], False))
                    if expected == entry["sha256"]:
                        continue
                    if current and not relative.startswith("originals/"):
                        # The data in use are damaged: repair them first (a damaged copy of an
                        # imported file is copied as it is and listed, like an old version).
                        error = damaged_error(current_problems(store, cached=False))
                        error.message = "Sikkerhedskopien er ikke lavet. " + error.message
                        raise error
                    damaged.append(relative)
                manifest = _manifest(store, files) | {"damaged": damaged}
                archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    return manifest


def _check_target(store: Store, target: Path) -> None:
    if target.exists():
        raise UsageError(
            f"{target} findes allerede; en sikkerhedskopi overskriver aldrig en fil. "
            "Vælg et nyt navn, fx med datoen (tryg-backup-2026-12-05.zip)."
        )
    if not target.parent.is_dir():
        raise UsageError(f"Mappen {target.parent} findes ikke; opret den først.")
    if target.resolve().is_relative_to(store.root.resolve()):
        raise UsageError(
            f"{target} ligger i data-mappen {store.root}; læg sikkerhedskopien et andet sted "
            "(helst på en anden disk)."
        )


def _files_to_back_up(root: Path) -> list[str]:
    """Every file below ``root`` as a relative POSIX path, sorted; see :data:`SKIPPED_TOP`."""
    found = []
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and not (here == root and d in SKIPPED_TOP)
        )
        for name in sorted(names):
            if not name.startswith(".") and (here / name).is_file():
                found.append((here / name).relative_to(root).as_posix())
    return found


def _recorded_checksums(store: Store) -> dict[str, tuple[str, bool]]:
    """Every SHA-256 recorded in a version's meta.json, by path below the data folder, and
    whether that version is current."""
    recorded: dict[str, tuple[str, bool]] = {}
    for kind in KINDS:
        current = store._current_name(kind)
        for folder in store._all_versions(kind):
            try:
                meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # copied as it is; `verify` names it
            for path, digest in (meta.get("checksums") or {}).items():
                recorded[path] = (digest, folder.name == current)
    return recorded


def _add(archive: zipfile.ZipFile, path: Path, name: str) -> dict[str, Any]:
    """Copy ``path`` into ``archive`` as ``name``, hashing the bytes as they are written."""
    info = zipfile.ZipInfo.from_file(path, name)
    # Parquet is compressed already; text (CSV, JSON, the log) shrinks a lot.
    info.compress_type = zipfile.ZIP_STORED if name.endswith(".parquet") else zipfile.ZIP_DEFLATED
    digest = _Hasher()
    with open(path, "rb") as source, archive.open(info, "w") as sink:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            sink.write(chunk)
    return {"sha256": digest.hexdigest(), "size": digest.size}


class _Hasher:
    """SHA-256 and byte count of what passes through."""

    def __init__(self) -> None:
        self._sha = hashlib.sha256()
        self.size = 0

    def update(self, chunk: bytes) -> None:
        self._sha.update(chunk)
        self.size += len(chunk)

    def hexdigest(self) -> str:
        return self._sha.hexdigest()


def _manifest(store: Store, files: dict[str, dict[str, Any]]) -> dict[str, Any]:
    who, _ = current_actor()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": datetime.now().isoformat(timespec="seconds"),
        "created_by": who,
        "host": os.uname().nodename,
        "data_dir": str(store.root.resolve()),
        "current": {k: n for k in KINDS if (n := store._current_name(k))},
        "files": files,
    }


# ---- check an archive -------------------------------------------------------------------------
def check_archive(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read every member of the backup ``path`` and check it against the manifest.

    Returns
    -------
    dict
        The manifest.

    Raises
    ------
    StoreError
        The archive is incomplete, has no readable manifest, or a member is missing, extra,
        unreadable or differs from its SHA-256 (the message names the members).
    """
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"Sikkerhedskopien {path} findes ikke.")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise StoreError(
            f"{path} er ikke en hel sikkerhedskopi ({exc}): arkivets indholdsfortegnelse mangler "
            "eller er beskadiget. Intet er gendannet; brug en anden sikkerhedskopi."
        ) from exc
    with archive:
        manifest = _read_manifest(archive, path)
        bad = _bad_members(archive, manifest)
    if bad:
        named = "; ".join(f"'{name}' {cause}" for name, cause in list(bad.items())[:NAMED])
        more = f" (og {len(bad) - NAMED} filer mere)" if len(bad) > NAMED else ""
        raise StoreError(
            f"Sikkerhedskopien {path} er beskadiget: {named}{more}. "
            "Intet er gendannet; brug en anden sikkerhedskopi."
        )
    return manifest


def _read_manifest(archive: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except KeyError:
        raise StoreError(
            f"{path} har intet {MANIFEST} og er ikke en sikkerhedskopi fra Tryg Geo "
            "(python -m tryg_geo backup). Intet er gendannet."
        ) from None
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError) as exc:
        raise StoreError(
            f"Sikkerhedskopien {path} er beskadiget: '{MANIFEST}' kan ikke læses ({exc}). "
            "Intet er gendannet; brug en anden sikkerhedskopi."
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise StoreError(f"{path}: '{MANIFEST}' er ikke et manifest fra Tryg Geo; intet gendannet.")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise StoreError(
            f"{path} er lavet af en nyere Tryg Geo (format {manifest.get('format_version')}); "
            "opdatér Tryg Geo først. Intet er gendannet."
        )
    return manifest


def _bad_members(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> dict[str, str]:
    """Member name -> what is wrong with it (Danish), for every member that fails."""
    files: dict[str, dict[str, Any]] = manifest.get("files") or {}
    present = {info.filename for info in archive.infolist()} - {MANIFEST}
    bad = {name: "står ikke i manifestet" for name in sorted(present - set(files))}
    for name, entry in files.items():
        if not _safe(name):
            bad[name] = "har et navn uden for data-mappen"
        elif name not in present:
            bad[name] = "mangler i arkivet"
        else:
            try:
                with archive.open(name) as member:
                    digest = sha256_stream(member)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
                bad[name] = f"kan ikke læses ({exc})"
                continue
            if digest != entry.get("sha256"):
                bad[name] = (
                    f"passer ikke med manifestet (SHA-256 {digest[:12]}…, "
                    f"manifestet siger {str(entry.get('sha256'))[:12]}…)"
                )
    return bad


def _safe(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts and "\\" not in name
