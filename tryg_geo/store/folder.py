"""The data folder: the only place that reads and writes stored data.

Layout (root is ``TRYG_DATA_DIR`` or ``data/``)::

    <kind>/CURRENT                  name of the version in use (one line)
    <kind>/<version>/data.parquet   the data (GeoParquet for districts and places)
    <kind>/<version>/rejected.csv   rejected rows of the import that made this version
    <kind>/<version>/meta.json      file, time, counts, demo flag, source, SHA-256 of each file
    <kind>/failed/<version>/rejected.csv  rejected rows of an import that accepted none
    originals/<version>_<kind>_<file>  byte-for-byte copy of every imported file (provenance)
    uploads/<tmp>/<file>            a dashboard upload while it is imported (removed afterwards)
    import_log.jsonl                one line per import (also a failed one), rollback or restore:
                                    who, via, when, file, counts
    .lock                           held while an import, rollback, backup or restore runs;
                                    names who holds it (for the second writer's message)

A new version is written completely into a temporary folder, renamed into place, and only then
made current by replacing ``CURRENT`` (an atomic rename). Whatever fails before that last step
leaves the previous data in use and no trace of the failed import; earlier versions stay on disk
for :meth:`Store.rollback`.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from .. import settings
from ..access import current_actor
from ..csv_safe import csv_bytes
from ..errors import StoreError, UsageError
from .checksum import sha256_file
from .integrity import damaged_error, version_problems
from .partnership import Partnership, load_partnership, partnership_stamp
from .schema import GEO_KINDS, KIND_LABELS, KINDS

LOCK_TIMEOUT_S = 60.0
#: The folder (under each kind) of the imports that accepted no row: their rejected rows.
FAILED_DIR = "failed"
#: What may hold the lock, as the waiting writer is told ("optaget af …").
LOCK_PURPOSES = {
    "import": "en anden import",
    "rollback": "en tilbagerulning",
    "backup": "en sikkerhedskopiering (backup)",
    "restore": "en gendannelse (restore)",
}
KEEP_VERSIONS = 20  # earlier versions kept per kind; older ones are removed after an import
#: The counts of an import's report copied to the top of its log line.
LOG_COUNTS = ("rows_read", "accepted", "rejected", "duplicates", "outside_districts")


@dataclass
class Version:
    """One kind's new data, as handed to :meth:`Store.write_many`."""

    kind: str
    frame: pd.DataFrame
    rejected: pd.DataFrame
    report: dict[str, Any]
    original: Path | None = None
    demo: bool = False
    #: Where the data comes from, as the user named it (``import --source``); None when not given.
    source: str | None = None
    #: The days the imported rows cover, when they differ from the frame's (an append: the
    #: file's rows only); None: :func:`data_period` of ``frame``.
    period: list[str] | None = None


def check_kind(kind: str) -> str:
    """Return ``kind`` when it is a known data kind, else raise :class:`UsageError`."""
    if kind not in KINDS:
        raise UsageError(f"Ukendt datatype {kind!r}; tilladte: {', '.join(KINDS)}.")
    return kind


class Store:
    """Read and write the data folder ``root`` (default: :func:`settings.data_dir`)."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root) if root is not None else settings.data_dir()
        self._lock_depth = 0

    # ---- reading -------------------------------------------------------------------------
    def has(self, kind: str) -> bool:
        current = self._current(check_kind(kind))
        return current is not None and (current / "data.parquet").exists()

    def read(self, kind: str) -> pd.DataFrame:
        """The current data of ``kind`` (a GeoDataFrame for districts and places)."""
        if not self.has(kind):
            raise StoreError(
                f"Der er ingen {KIND_LABELS[kind]} i {self.root}. "
                f"Importér en fil med 'python -m tryg_geo import {kind} FIL' eller lav demodata."
            )
        path = self._current(kind) / "data.parquet"
        try:
            if kind in GEO_KINDS:
                return gpd.read_parquet(path)
            return pd.read_parquet(path)
        except Exception as exc:  # a damaged file must not become a traceback
            raise StoreError(f"Den gemte fil {path} kan ikke læses ({exc}).") from exc

    def read_rejected(self, kind: str) -> pd.DataFrame:
        current = self._current(check_kind(kind))
        if current is None or not (current / "rejected.csv").exists():
            return pd.DataFrame(columns=["row", "column", "value", "reason", "message"])
        return pd.read_csv(current / "rejected.csv", dtype=str, keep_default_na=False)

    def rejected_path(self, kind: str) -> Path | None:
        """Where the rejected rows of the current version are (for messages and downloads)."""
        current = self._current(check_kind(kind))
        return None if current is None else current / "rejected.csv"

    def meta(self, kind: str) -> dict[str, Any]:
        current = self._current(check_kind(kind))
        if current is None:
            return {}
        try:
            return json.loads((current / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):  # missing or damaged: `verify` and `status` name it
            return {}

    def version(self) -> str:
        """A string that changes whenever any kind is written or rolled back, or the
        partnership setting (``partnerskab.toml``) changes: the cache key."""
        version = "|".join(f"{k}:{self._current_name(k) or '-'}" for k in KINDS)
        stamp = partnership_stamp(self.root)
        return f"{version}|partnerskab:{stamp}" if stamp else version

    def partnership(self) -> Partnership:
        """Whose dashboard this is: ``partnerskab.toml`` of this folder (Tryg Aalborg without).

        Raises
        ------
        UsageError
            The file is broken (it names the key, the value and what is allowed).
        """
        return load_partnership(self.root)

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
        current = self._current_name(check_kind(kind))
        if current is None:
            return []
        return [p for p in self._all_versions(kind) if p.name < current]

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
        source: str | None = None,
    ) -> dict[str, Any]:
        """Make ``frame`` the current data of ``kind``; the previous version is kept.

        Returns the metadata written beside the data.
        """
        item = Version(kind, frame, rejected, report, original, demo, source)
        return self.write_many([item])[0]

    def write_many(self, items: list[Version]) -> list[dict[str, Any]]:
        """Make several kinds current together: all of them, or — if anything fails — none.

        Used when new districts change the district of every stored incident: the districts
        and the re-assigned incidents must never be out of step.
        """
        with self.lock():
            staged: list[tuple[Version, str, dict[str, Any], Path | None]] = []
            switched: list[tuple[str, str | None]] = []  # (kind, previous version)
            try:
                for item in items:
                    staged.append(self._stage(item))
                for item, name, _, _ in staged:
                    switched.append((item.kind, self._current_name(item.kind)))
                    self._point_current(self._dir(item.kind), name)
            except BaseException:
                self._undo(staged, switched)
                raise
            for item, _, meta, copy in staged:
                counts = {k: meta["report"][k] for k in LOG_COUNTS if k in meta["report"]}
                self._log(
                    {
                        "action": "import",
                        **meta,
                        **counts,
                        "original_copy": str(copy) if copy else None,
                    }
                )
                self._prune(item.kind)
        return [meta for _, _, meta, _ in staged]

    def _stage(self, item: Version) -> tuple[Version, str, dict[str, Any], Path | None]:
        """Write one version completely under its final name; it is not current yet."""
        folder = self._dir(check_kind(item.kind))
        folder.mkdir(parents=True, exist_ok=True)
        name = version_stamp()
        meta = {
            "kind": item.kind,
            "file": item.report.get("file"),
            "imported_at": datetime.now().isoformat(timespec="seconds"),
            "demo": item.demo,
            "source": item.source,
            "version": name,
            "rows": int(len(item.frame)),
            "period": item.period or data_period(item.frame),
            "report": item.report,
        }
        staging = folder / f".tmp-{uuid.uuid4().hex}"
        copy: Path | None = None
        try:
            staging.mkdir()
            _to_parquet(item.frame, staging / "data.parquet", item.kind)
            (staging / "rejected.csv").write_bytes(csv_bytes(item.rejected))
            copy = self._keep_original(item.original, item.kind, name)
            # SHA-256 of every file the version consists of, by path below the data folder:
            # `verify`, `status` and every load check them (tryg_geo.store.integrity).
            meta["checksums"] = {
                f"{item.kind}/{name}/{file}": sha256_file(staging / file)
                for file in ("data.parquet", "rejected.csv")
            } | ({f"originals/{copy.name}": sha256_file(copy)} if copy else {})
            write_json(staging / "meta.json", meta)
            os.rename(staging, folder / name)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            if copy is not None:
                copy.unlink(missing_ok=True)
            raise
        return item, name, meta, copy

    def _undo(self, staged, switched) -> None:
        """Point every switched kind back and remove what was staged: no trace is left."""
        for kind, previous in reversed(switched):
            pointer = self._dir(kind) / "CURRENT"
            if previous is None:
                pointer.unlink(missing_ok=True)
            else:
                self._point_current(self._dir(kind), previous)
        for item, name, _, copy in staged:
            shutil.rmtree(self._dir(item.kind) / name, ignore_errors=True)
            if copy is not None:
                copy.unlink(missing_ok=True)

    def rollback(self, kind: str) -> dict[str, Any]:
        """Make the newest earlier version of ``kind`` current again; nothing is deleted."""
        folder = self._dir(check_kind(kind))
        with self.lock(purpose="rollback"):
            earlier = self.versions(kind)
            if not earlier:
                raise StoreError(
                    f"Der er ingen tidligere version af {KIND_LABELS[kind]} at gå tilbage til."
                )
            _refuse_damaged(self, kind, earlier[-1])
            replaced = self._current_name(kind)
            self._point_current(folder, earlier[-1].name)
            back = self.meta(kind)
            self._log(
                {
                    "action": "rollback",
                    "kind": kind,
                    "file": back.get("file"),
                    "rows": back.get("rows"),
                    "rollback_to": earlier[-1].name,
                    "replaced": replaced,
                }
            )
        return self.meta(kind)

    @contextmanager
    def lock(self, timeout: float | None = None, purpose: str = "import") -> Iterator[None]:
        """Hold the folder's write lock; a second writer waits, then gets a :class:`StoreError`.

        Re-entrant for the same Store object, so an import can read, compute and write under
        one lock. ``purpose`` (a key of :data:`LOCK_PURPOSES`) is written into the lock file
        with who and when, so the writer that has to wait is told what holds the folder.
        """
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        timeout = LOCK_TIMEOUT_S if timeout is None else timeout
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+b") as handle:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    busy = _busy_message(self.root, handle.fileno())
                    if time.monotonic() > deadline:
                        raise StoreError(busy) from None
                    notice = _ON_WAIT.get()
                    if notice is not None:  # once per wait: say why nothing happens yet
                        notice(f"Venter: {busy.replace('; prøv igen om lidt.', '.')}")
                        _ON_WAIT.set(None)
                    time.sleep(0.05)
            _write_holder(handle.fileno(), purpose)
            self._lock_depth = 1
            try:
                yield
            finally:
                self._lock_depth = 0
                os.ftruncate(handle.fileno(), 0)
                fcntl.flock(handle, fcntl.LOCK_UN)

    # ---- files around an import ---------------------------------------------------------
    def failed_rejections_path(self, kind: str) -> Path:
        """Where the rejected rows of the newest import of ``kind`` that accepted no row are."""
        failed = self._failed_imports(check_kind(kind))
        return (failed[-1] if failed else self._dir(kind) / FAILED_DIR / "-") / "rejected.csv"

    def record_failed_import(
        self, kind: str, rejected: pd.DataFrame, report: dict[str, Any], reason: str
    ) -> Path:
        """Keep the rejected rows of an import that accepted none, and log it.

        The rows go where a successful import keeps its rejected rows, in a folder of their
        own under the kind (``<kind>/failed/<version>/rejected.csv``, written completely before
        it appears, neutralised like every CSV, pruned like the versions); the data in use is
        not touched. ``import_log.jsonl`` gets a line ``action = "import_failed"`` with who,
        the file, the counts and ``reason``.

        Returns
        -------
        Path
            The kept ``rejected.csv``.
        """
        folder = self._dir(check_kind(kind)) / FAILED_DIR
        with self.lock():
            folder.mkdir(parents=True, exist_ok=True)
            name = version_stamp()
            staging = folder / f".tmp-{uuid.uuid4().hex}"
            try:
                staging.mkdir()
                (staging / "rejected.csv").write_bytes(csv_bytes(rejected))
                os.rename(staging, folder / name)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            path = folder / name / "rejected.csv"
            self.log_failed_import(kind, report.get("file"), reason, report, rejected_file=path)
            for old in self._failed_imports(kind)[:-KEEP_VERSIONS]:
                shutil.rmtree(old, ignore_errors=True)
        return path

    def log_failed_import(
        self,
        kind: str,
        file: str | None,
        reason: str,
        report: dict[str, Any] | None = None,
        *,
        rejected_file: Path | None = None,
    ) -> None:
        """Add an ``import_failed`` line to ``import_log.jsonl``: who, via, when, the kind, the
        file, the counts found in ``report`` and the reason (a Danish sentence)."""
        counts = {k: report[k] for k in LOG_COUNTS if report and k in report}
        entry = {"action": "import_failed", "kind": kind, "file": file, **counts, "reason": reason}
        if rejected_file is not None:
            entry["rejected_file"] = str(rejected_file)
        with self.lock():  # creates the folder too: the reason must not be lost to a missing one
            self._log(entry)

    def _failed_imports(self, kind: str) -> list[Path]:
        folder = self._dir(kind) / FAILED_DIR
        if not folder.exists():
            return []
        return sorted(p for p in folder.iterdir() if p.is_dir() and p.name[:1].isdigit())

    @contextmanager
    def upload(self, file_name: str, data: bytes) -> Iterator[Path]:
        """Uploaded bytes as a file ``uploads/<folder of its own>/<file_name>``, removed after.

        A folder of its own per upload: two users uploading "hændelser.csv" at once never meet,
        and the loaders still see the user's file name. ``file_name`` must already be cleaned
        (no folders, no ``..``); the store keeps a copy of an imported file in ``originals/``.
        """
        folder = self.root / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        target = Path(tempfile.mkdtemp(dir=folder)) / file_name
        try:
            target.write_bytes(data)
            yield target
        finally:
            shutil.rmtree(target.parent, ignore_errors=True)

    # ---- helpers -------------------------------------------------------------------------
    def _dir(self, kind: str) -> Path:
        return self.root / kind

    def _current_name(self, kind: str) -> str | None:
        pointer = self._dir(kind) / "CURRENT"
        try:
            name = pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return name or None

    def _current(self, kind: str) -> Path | None:
        name = self._current_name(kind)
        return None if name is None else self._dir(kind) / name

    def _all_versions(self, kind: str) -> list[Path]:
        folder = self._dir(kind)
        if not folder.exists():
            return []
        return sorted(p for p in folder.iterdir() if p.is_dir() and p.name[:1].isdigit())

    def _point_current(self, folder: Path, name: str) -> None:
        tmp = folder / f".tmp-{uuid.uuid4().hex}"
        try:
            tmp.write_text(name + "\n", encoding="utf-8")
            os.replace(tmp, folder / "CURRENT")  # the one step that switches versions
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def _keep_original(self, original: Path | None, kind: str, name: str) -> Path | None:
        if original is None:
            return None
        target_dir = self.root / "originals"
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / f"{name}_{kind}_{Path(original).name}"
        tmp = target_dir / f".tmp-{uuid.uuid4().hex}"
        try:
            shutil.copyfile(original, tmp)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return target

    def _prune(self, kind: str) -> None:
        for old in self.versions(kind)[:-KEEP_VERSIONS]:
            shutil.rmtree(old, ignore_errors=True)

    def _log(self, entry: dict[str, Any]) -> None:
        who, via = current_actor()
        entry = {"who": who, "via": via, "at": datetime.now().isoformat(timespec="seconds")} | entry
        with open(self.root / "import_log.jsonl", "a", encoding="utf-8") as log:
            log.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")

    def log_entries(self, last: int = 20) -> list[dict[str, Any]]:
        """The newest ``last`` lines of the import log, newest first (a damaged line is skipped)."""
        path = self.root / "import_log.jsonl"
        if not path.exists():
            return []
        entries: list[dict[str, Any]] = []
        for line in reversed(path.read_text(encoding="utf-8").splitlines()):
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(entry, dict):
                entries.append(entry)
            if len(entries) >= last:
                break
        return entries


def version_stamp() -> str:
    """A new version's folder name: sortable and unique even for two writes in the same
    microsecond (also used by ``restore``)."""
    return datetime.now().strftime("%Y%m%dT%H%M%S%f") + "-" + uuid.uuid4().hex[:6]


def data_period(frame: pd.DataFrame) -> list[str] | None:
    """The first and last day a version's rows cover (ISO dates), for the import log and the
    digest's "what arrived"; None for kinds without dates (districts, places)."""
    if "time" in frame and len(frame):
        times = pd.to_datetime(frame["time"], errors="coerce").dropna()
        first, last = (times.min(), times.max()) if len(times) else (None, None)
    elif "period_start" in frame and "period_end" in frame and len(frame):
        first = pd.to_datetime(frame["period_start"], errors="coerce").min()
        last = pd.to_datetime(frame["period_end"], errors="coerce").max() - pd.Timedelta(days=1)
    else:
        return None
    if first is None or pd.isna(first) or pd.isna(last):
        return None
    return [first.date().isoformat(), last.date().isoformat()]


def _to_parquet(frame: pd.DataFrame, path: Path, kind: str) -> None:
    if kind in GEO_KINDS:
        gpd.GeoDataFrame(frame).to_parquet(path, index=False)
    else:
        frame.to_parquet(path, index=False)


def write_json(path: Path, data: dict[str, Any]) -> None:
    """``data`` as indented UTF-8 JSON (a version's meta.json, a restore's manifest)."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")


_ON_WAIT: ContextVar[Callable[[str], None] | None] = ContextVar("tryg_geo_on_wait", default=None)


@contextmanager
def telling_waits(notice: Callable[[str], None]) -> Iterator[None]:
    """Within this block, a writer that has to wait for the lock calls ``notice`` once with a
    Danish sentence naming what holds the folder (the command line prints it on stderr)."""
    token = _ON_WAIT.set(notice)
    try:
        yield
    finally:
        _ON_WAIT.reset(token)


def _write_holder(fd: int, purpose: str) -> None:
    """Say in the lock file what holds it: purpose, who, since when, which process."""
    who, _ = current_actor()
    holder = {
        "purpose": purpose,
        "who": who,
        "since": datetime.now().isoformat(timespec="seconds"),
        "pid": os.getpid(),
        "host": os.uname().nodename,
    }
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(holder, ensure_ascii=False).encode("utf-8"), 0)


def _busy_message(root: Path, fd: int) -> str:
    """The Danish sentence for a writer that waited too long, naming what holds the lock."""
    try:
        holder = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
    except (OSError, ValueError):
        holder = {}
    what = LOCK_PURPOSES.get(holder.get("purpose"), LOCK_PURPOSES["import"])
    message = f"Data-mappen {root} er optaget af {what}; prøv igen om lidt."
    if holder.get("since"):
        since = str(holder["since"]).replace("T", " kl. ")
        who = f" af {holder['who']}" if holder.get("who") else ""
        message += f" (Startet {since}{who}, proces {holder.get('pid')} på {holder.get('host')}.)"
    return message


def _refuse_damaged(store: Store, kind: str, folder: Path) -> None:
    """A rollback must not make a damaged version current (see ``verify``)."""
    problems = [p for p in version_problems(store, kind, folder) if p.data]
    if problems:
        error = damaged_error(problems)
        error.message = "Tilbagerulningen er stoppet; intet er ændret. " + error.message
        raise error
