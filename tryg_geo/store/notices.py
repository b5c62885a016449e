"""What the digest and the alerts remember in the data folder: sends, fired alerts, seen marks.

Three small JSON files beside the import log, each written whole to a temporary file and
renamed into place (``os.replace``) while ``.notices.lock`` is held with ``flock``, so two
replicas (or a timer and an import) never lose each other's line and a reader never sees half
a file::

    digest_log.json   one entry per digest sent: when, to whom, which role, which span
    alert_log.json    one entry per alert that fired: its key, rule, text, link, recipients
    alert_seen.json   per user (e-mail, sub or OS user): the keys of the alerts marked as seen

The rules themselves are ``alerts.toml`` (:data:`ALERTS_FILE`), written by the data owner and
parsed in :mod:`tryg_geo.compute.alert_rules`; the store only reads its text.
"""

from __future__ import annotations

import fcntl
import json
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from .. import settings

ALERTS_FILE = "alerts.toml"
DIGEST_LOG = "digest_log.json"
ALERT_LOG = "alert_log.json"
ALERT_SEEN = "alert_seen.json"
_LOCK = ".notices.lock"


def _root(root: str | os.PathLike[str] | None) -> Path:
    return Path(root) if root is not None else settings.data_dir()


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    """Hold ``.notices.lock`` (blocking: writes here take milliseconds)."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / _LOCK, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _read(path: Path, empty: Any) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return empty
    except (OSError, ValueError):  # damaged: start afresh rather than stop every import
        return empty


def _write(path: Path, data: Any) -> None:
    tmp = path.with_name(f".tmp-{uuid.uuid4().hex}-{path.name}")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), "utf-8")
        os.replace(tmp, path)  # atomic: a reader sees the old file or the new, never half
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _update(root: Path, name: str, empty: Any, change: Callable[[Any], Any]) -> Any:
    """Read, change and write ``name`` under the lock; return what ``change`` returned."""
    with _locked(root):
        data = _read(root / name, empty)
        result = change(data)
        _write(root / name, data)
    return result


def now_text() -> str:
    """The time stamp of every record: local time to the second, ISO 8601."""
    return datetime.now().isoformat(timespec="seconds")


# ---- the digest -------------------------------------------------------------------------------
def record_digest(entry: dict[str, Any], root: str | os.PathLike[str] | None = None) -> None:
    """Append one sent digest (call only after the relay accepted it)."""
    _update(_root(root), DIGEST_LOG, [], lambda log: log.append({"sent_at": now_text()} | entry))


def digest_log(root: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """Every digest sent, oldest first."""
    log = _read(_root(root) / DIGEST_LOG, [])
    return [e for e in log if isinstance(e, dict)]


def last_digest(role: str, root: str | os.PathLike[str] | None = None) -> dict[str, Any] | None:
    """The newest digest sent for ``role``; None before the first."""
    sent = [e for e in digest_log(root) if e.get("role") == role]
    return sent[-1] if sent else None


# ---- alerts ----------------------------------------------------------------------------------
def alert_rules_text(root: str | os.PathLike[str] | None = None) -> tuple[str, Path] | None:
    """The text of ``alerts.toml`` and its path; None when the data owner has written none."""
    path = _root(root) / ALERTS_FILE
    try:
        return path.read_text(encoding="utf-8"), path
    except FileNotFoundError:
        return None


def add_alerts(
    entries: list[dict[str, Any]], root: str | os.PathLike[str] | None = None
) -> list[dict[str, Any]]:
    """Append the alerts whose ``key`` is not yet in the log; return those added (with their
    ``fired_at``). Checked under the lock, so two replicas never fire one alert twice."""

    def add(log: list[dict[str, Any]]) -> list[dict[str, Any]]:
        known = {e.get("key") for e in log if isinstance(e, dict)}
        added = []
        for entry in entries:
            if entry["key"] in known:
                continue
            known.add(entry["key"])
            added.append({"fired_at": now_text()} | entry)
        log.extend(added)
        return added

    return _update(_root(root), ALERT_LOG, [], add)


def mark_alert_mailed(key: str, to: list[str], root: str | os.PathLike[str] | None = None) -> None:
    """Note that the alert ``key`` was e-mailed to ``to`` (only after the relay accepted it)."""

    def mark(log: list[dict[str, Any]]) -> None:
        for entry in log:
            if isinstance(entry, dict) and entry.get("key") == key:
                entry["mailed_at"] = now_text()
                entry["mailed_to"] = sorted({*entry.get("mailed_to", []), *to})

    _update(_root(root), ALERT_LOG, [], mark)


def alert_log(root: str | os.PathLike[str] | None = None) -> list[dict[str, Any]]:
    """Every alert that fired, oldest first."""
    log = _read(_root(root) / ALERT_LOG, [])
    return [e for e in log if isinstance(e, dict)]


def mark_seen(who: str, key: str, root: str | os.PathLike[str] | None = None) -> None:
    """Remember that ``who`` has seen the alert ``key`` (Overblik's "Markér som set")."""

    def mark(seen: dict[str, list[str]]) -> None:
        keys = seen.setdefault(who, [])
        if key not in keys:
            keys.append(key)

    _update(_root(root), ALERT_SEEN, {}, mark)


def seen_by(who: str, root: str | os.PathLike[str] | None = None) -> frozenset[str]:
    """The keys of the alerts ``who`` has marked as seen."""
    seen = _read(_root(root) / ALERT_SEEN, {})
    return frozenset(seen.get(who, ())) if isinstance(seen, dict) else frozenset()
