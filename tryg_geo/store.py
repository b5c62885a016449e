"""The data folder: the only place that reads and writes stored data.

Layout (root is ``TRYG_DATA_DIR`` or ``data/``)::

    <kind>/current.parquet          the data in use (GeoParquet for districts and places)
    <kind>/rejected.csv             rejected rows of the import that made current.parquet
    <kind>/meta.json                file, time, counts, demo flag and version of current.parquet
    <kind>/versions/<stamp>.*       earlier versions (parquet, rejected csv, meta), newest last
    originals/<stamp>_<kind>_<file> byte-for-byte copy of every imported file (provenance)
    import_log.jsonl                one line per import: file, time, kind, counts
    .lock                           held while an import or rollback writes

Writes are atomic: every new file is written to a temporary name in the same folder and
renamed into place, so a failed import leaves the previous data exactly as it was.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from . import settings
from .errors import StoreError, UsageError
from .schema import GEO_KINDS, KIND_LABELS, KINDS

LOCK_TIMEOUT_S = 60.0
_VERSIONED_FILES = (
    (".parquet", "current.parquet"),
    (".csv", "rejected.csv"),
    (".json", "meta.json"),
)


def check_kind(kind: str) -> str:
    """Return ``kind`` when it is a known data kind, else raise :class:`UsageError`."""
    if kind not in KINDS:
        raise UsageError(f"Ukendt datatype {kind!r}; tilladte: {', '.join(KINDS)}.")
    return kind


class Store:
    """Read and write the data folder ``root`` (default: :func:`settings.data_dir`)."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root) if root is not None else settings.data_dir()

    # ---- reading -------------------------------------------------------------------------
    def has(self, kind: str) -> bool:
        return self._current(check_kind(kind)).exists()

    def read(self, kind: str) -> pd.DataFrame:
        """The current data of ``kind`` (a GeoDataFrame for districts and places)."""
        path = self._current(check_kind(kind))
        if not path.exists():
            raise StoreError(
                f"Der er ingen {KIND_LABELS[kind]} i {self.root}. "
                f"Importér en fil med 'python -m tryg_geo import {kind} FIL' eller lav demodata."
            )
        try:
            if kind in GEO_KINDS:
                return gpd.read_parquet(path)
            return pd.read_parquet(path)
        except Exception as exc:  # a damaged file must not become a traceback
            raise StoreError(f"Den gemte fil {path} kan ikke læses ({exc}).") from exc

    def read_rejected(self, kind: str) -> pd.DataFrame:
        path = self._dir(check_kind(kind)) / "rejected.csv"
        if not path.exists():
            return pd.DataFrame(columns=["row", "column", "value", "reason", "message"])
        return pd.read_csv(path, dtype=str, keep_default_na=False)

    def meta(self, kind: str) -> dict[str, Any]:
        path = self._dir(check_kind(kind)) / "meta.json"
        if not path.exists():
            return {}
        return json.loads(path.read_text(encoding="utf-8"))

    def version(self) -> str:
        """A string that changes whenever any kind is written: the key for caches."""
        return "|".join(f"{k}:{self.meta(k).get('version', '-')}" for k in KINDS)

    def is_demo(self) -> bool:
        """True when any loaded kind is demo data (every view must then say "Demodata")."""
        return any(self.meta(k).get("demo") for k in KINDS if self.has(k))

    def status(self) -> dict[str, Any]:
        return {
            "data_dir": str(self.root),
            "kinds": {k: self.meta(k) for k in KINDS if self.has(k)},
        }

    def versions(self, kind: str) -> list[Path]:
        """Earlier versions of ``kind`` that :meth:`rollback` can restore, oldest first."""
        folder = self._dir(check_kind(kind)) / "versions"
        if not folder.exists():
            return []
        return sorted(p for p in folder.glob("*.parquet") if ".rolled-back" not in p.name)

    # ---- writing -------------------------------------------------------------------------
    def write(
        self,
        kind: str,
        frame: pd.DataFrame,
        *,
        rejected: pd.DataFrame,
        report: dict[str, Any],
        original: Path | None = None,
        demo: bool = False,
    ) -> dict[str, Any]:
        """Replace the current data of ``kind``; the previous version is kept.

        Returns the metadata written beside the data.
        """
        folder = self._dir(check_kind(kind))
        with self.lock():
            folder.mkdir(parents=True, exist_ok=True)
            stamp = _stamp()
            meta = {
                "kind": kind,
                "file": report.get("file"),
                "imported_at": datetime.now().isoformat(timespec="seconds"),
                "demo": demo,
                "version": stamp,
                "rows": int(len(frame)),
                "report": report,
            }
            # Everything new goes to temporary files first: a failure here changes nothing.
            tmp_data = _write_tmp(folder, ".parquet", lambda p: _to_parquet(frame, p, kind))
            tmp_rej = _write_tmp(folder, ".csv", lambda p: rejected.to_csv(p, index=False))
            tmp_meta = _write_tmp(folder, ".json", lambda p: _write_json(p, meta))
            copy_of_original = self._keep_original(original, kind, stamp)
            self._archive_current(folder)
            os.replace(tmp_data, folder / "current.parquet")
            os.replace(tmp_rej, folder / "rejected.csv")
            os.replace(tmp_meta, folder / "meta.json")
            self._log({**meta, "original_copy": copy_of_original})
        return meta

    def rollback(self, kind: str) -> dict[str, Any]:
        """Restore the newest earlier version of ``kind``; the replaced one is kept aside."""
        folder = self._dir(check_kind(kind))
        with self.lock():
            candidates = self.versions(kind)
            if not candidates:
                raise StoreError(
                    f"Der er ingen tidligere version af {KIND_LABELS[kind]} at gå tilbage til."
                )
            stem = candidates[-1].name.removesuffix(".parquet")
            aside = f"{_stamp()}.rolled-back"
            for suffix, name in _VERSIONED_FILES:
                if (folder / name).exists():
                    shutil.copy2(folder / name, folder / "versions" / f"{aside}{suffix}")
                source = folder / "versions" / f"{stem}{suffix}"
                if source.exists():
                    os.replace(source, folder / name)
            meta = self.meta(kind)
            meta["version"] = _stamp()  # a new version, so caches refresh
            _write_json(folder / "meta.json", meta)
            self._log(
                {
                    "kind": kind,
                    "rollback_to": stem,
                    "at": datetime.now().isoformat(timespec="seconds"),
                }
            )
        return meta

    @contextmanager
    def lock(self, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
        """Hold the folder's write lock; a second writer waits, then gets a :class:`StoreError`."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+") as handle:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreError(
                            f"Data-mappen {self.root} er optaget af en anden import; prøv igen om lidt."
                        ) from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # ---- helpers -------------------------------------------------------------------------
    def _dir(self, kind: str) -> Path:
        return self.root / kind

    def _current(self, kind: str) -> Path:
        return self._dir(kind) / "current.parquet"

    def _archive_current(self, folder: Path) -> None:
        if not (folder / "current.parquet").exists():
            return
        versions = folder / "versions"
        versions.mkdir(exist_ok=True)
        stem = _stamp()
        for suffix, name in _VERSIONED_FILES:
            if (folder / name).exists():
                # A hard link costs nothing and survives the rename that replaces current.
                os.link(folder / name, versions / f"{stem}{suffix}")

    def _keep_original(self, original: Path | None, kind: str, stamp: str) -> str | None:
        if original is None:
            return None
        target_dir = self.root / "originals"
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / f"{stamp}_{kind}_{Path(original).name}"
        tmp = _write_tmp(target_dir, ".part", lambda p: shutil.copyfile(original, p))
        os.replace(tmp, target)
        return str(target)

    def _log(self, entry: dict[str, Any]) -> None:
        with open(self.root / "import_log.jsonl", "a", encoding="utf-8") as log:
            log.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")


def _stamp() -> str:
    # Sortable and unique even for two writes in the same second.
    return datetime.now().strftime("%Y%m%dT%H%M%S%f") + "-" + uuid.uuid4().hex[:4]


def _write_tmp(folder: Path, suffix: str, writer: Any) -> Path:
    tmp = folder / f".tmp-{uuid.uuid4().hex}{suffix}"
    try:
        writer(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _to_parquet(frame: pd.DataFrame, path: Path, kind: str) -> None:
    if kind in GEO_KINDS:
        gpd.GeoDataFrame(frame).to_parquet(path, index=False)
    else:
        frame.to_parquet(path, index=False)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
