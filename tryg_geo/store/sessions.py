"""Sign-in sessions on the server: opened at sign-in, revoked at "Log ud", shared by replicas.

Streamlit's login cookie is signed but lives for 30 days and cannot be withdrawn: a copy taken
before "Log ud" would keep working. The dashboard therefore keeps its own record of every
sign-in in ``.sessions.sqlite`` in the data folder (the folder every replica shares), keyed by a
SHA-256 of the login cookie's exact value (never the cookie itself, so the file holds nothing
that signs anyone in). A cookie whose key is not here, is revoked, older than the maximum age
or idle for too long opens nothing.

SQLite in WAL mode lets several processes read while one writes; every call opens its own
short connection, so a restart or a second replica sees the same sessions at once.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = ["SESSIONS_FILE", "SessionStore", "Verdict"]

#: The file in the data folder that holds the sessions.
SESSIONS_FILE = ".sessions.sqlite"  # hidden: a backup leaves it out (store.backup)
#: How often (seconds) a session's "last seen" is written at most: activity within a minute
#: is one write, not one per click.
TOUCH_EVERY = 60.0
#: Revoked or expired rows are kept this long (seconds) for the record, then purged.
KEEP_ENDED = 7 * 24 * 3600.0

Verdict = Literal["ok", "unknown", "revoked", "expired", "idle"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    key TEXT PRIMARY KEY,      -- sha256 of the login cookie's value
    started REAL NOT NULL,     -- unix time of the sign-in
    last_seen REAL NOT NULL,   -- unix time of the last request that used it
    revoked REAL               -- unix time of "Log ud"; NULL while open
)
"""


@dataclass(frozen=True)
class SessionStore:
    """The sessions of one data folder.

    Parameters
    ----------
    root
        The data folder (``settings.data_dir()``).
    max_age
        Seconds after sign-in when a session ends, however active.
    idle
        Seconds without a request after which a session ends.
    """

    root: Path
    max_age: float
    idle: float

    @property
    def path(self) -> Path:
        return Path(self.root) / SESSIONS_FILE

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        Path(self.root).mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute(_SCHEMA)
            yield con
        finally:
            con.close()

    def start(self, key: str, now: float | None = None) -> None:
        """Record a fresh sign-in (a new login cookie)."""
        now = time.time() if now is None else now
        with self._db() as con:
            con.execute(
                "INSERT OR REPLACE INTO sessions (key, started, last_seen, revoked) "
                "VALUES (?, ?, ?, NULL)",
                (key, now, now),
            )
            con.execute(
                "DELETE FROM sessions WHERE started < ?", (now - self.max_age - KEEP_ENDED,)
            )

    def check(self, key: str, now: float | None = None, *, touch: bool = True) -> Verdict:
        """Whether the session ``key`` may still be used; with ``touch``, mark it as used now."""
        now = time.time() if now is None else now
        with self._db() as con:
            row = con.execute(
                "SELECT started, last_seen, revoked FROM sessions WHERE key = ?", (key,)
            ).fetchone()
            if row is None:
                return "unknown"
            started, last_seen, revoked = row
            if revoked is not None:
                return "revoked"
            if now - started > self.max_age:
                return "expired"
            if now - last_seen > self.idle:
                return "idle"
            if touch and now - last_seen >= TOUCH_EVERY:
                con.execute("UPDATE sessions SET last_seen = ? WHERE key = ?", (now, key))
            return "ok"

    def revoke(self, key: str, now: float | None = None) -> bool:
        """End the session ``key`` ("Log ud"); ``False`` when it was not open."""
        now = time.time() if now is None else now
        with self._db() as con:
            done = con.execute(
                "UPDATE sessions SET revoked = ? WHERE key = ? AND revoked IS NULL", (now, key)
            )
            return done.rowcount > 0
