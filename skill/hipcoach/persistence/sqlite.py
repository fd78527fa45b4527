"""Persistent attributes in a local SQLite file: the embedded default store.

One row per user (the request's `context.System.user.user_id`), the attributes as JSON text and a
version token (`hipcoach.persistence.versioned`): a write names the version it read and changes
the row only if it is still that one, in one transaction. Each thread gets its own connection; the
database runs in WAL mode with a busy timeout. A file that cannot be opened, is locked for too
long, or is not a valid database raises `PersistenceUnavailable`; the adapter never deletes or
rewrites such a file.

A file held locked by another process costs one full busy timeout, not one per request: after a
wait runs out, calls in the next :data:`BUSY_BACKOFF_SECONDS` wait only :data:`BUSY_PROBE_SECONDS`
for the lock (enough to notice it is gone) instead of queueing behind it, so requests that waited
for a thread meanwhile still answer within Alexa's 8 s.

A delete leaves nothing of the runner on disk: `secure_delete` is on (freed content is zeroed) and
the delete is followed by a WAL checkpoint that truncates the WAL file, so neither the main file nor
the WAL keeps an old copy of the row.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ask_sdk_model import RequestEnvelope

from hipcoach.persistence.errors import PersistenceUnavailable
from hipcoach.persistence.versioned import Stored, VersionedAdapter, WriteConflict, new_version

DEFAULT_TIMEOUT_SECONDS = 2.5  # one wait, plus a queue behind other waits, inside Alexa's 8 s
BUSY_BACKOFF_SECONDS = 1.0
BUSY_PROBE_SECONDS = 0.1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS attributes (
    user_id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    version TEXT
)
"""
# A checkpoint cannot truncate the WAL while another connection is mid-read: retry briefly.
CHECKPOINT_ATTEMPTS = 50
CHECKPOINT_PAUSE_SECONDS = 0.01
SETUP_PAUSE_SECONDS = 0.02


def default_sqlite_path() -> Path:
    """$HIPCOACH_DB, else hipcoach/hipcoach.db in $XDG_DATA_HOME (default ~/.local/share)."""
    override = os.environ.get("HIPCOACH_DB")
    if override:
        return Path(override).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home).expanduser() / "hipcoach" / "hipcoach.db"


def user_id_of(request_envelope: RequestEnvelope) -> str:
    """The user id the attributes are keyed by; PersistenceUnavailable when the request has none."""
    context = request_envelope.context
    system = context.system if context is not None else None
    user = system.user if system is not None else None
    user_id = user.user_id if user is not None else None
    if not user_id:
        raise PersistenceUnavailable("the request carries no user id to key attributes by")
    return str(user_id)


class SQLitePersistenceAdapter(VersionedAdapter):
    """ask-sdk persistence adapter on one SQLite file, safe to share between threads."""

    def __init__(
        self, path: str | os.PathLike[str] | None = None, timeout: float = DEFAULT_TIMEOUT_SECONDS
    ) -> None:
        self.path = Path(path) if path is not None else default_sqlite_path()
        self.timeout = timeout
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._schema_ready = False
        self._busy_until = 0.0  # monotonic: calls before then only probe the lock (module doc)

    # -- versioned reads and conditional writes -------------------------------------------------

    def read(self, request_envelope: RequestEnvelope) -> Stored:
        user_id = user_id_of(request_envelope)
        with self._errors("read"):
            row = (
                self._connection()
                .execute("SELECT data, version FROM attributes WHERE user_id = ?", (user_id,))
                .fetchone()
            )
        if row is None:
            return Stored({}, None)
        try:
            data = json.loads(row[0])
        except ValueError:
            raise PersistenceUnavailable("a stored record is not valid JSON") from None
        if not isinstance(data, dict):
            raise PersistenceUnavailable("a stored record is not a JSON object")
        # A row written before versions existed reads as version "" (still conditional).
        return Stored(data, row[1] or "")

    def write(
        self, request_envelope: RequestEnvelope, record: dict[str, Any], expected: str | None
    ) -> str:
        user_id = user_id_of(request_envelope)
        payload = json.dumps(record, separators=(",", ":"), sort_keys=True)
        version = new_version()
        with self._errors("write"), self._transaction() as conn:
            if expected is None:
                cursor = conn.execute(
                    "INSERT INTO attributes (user_id, data, version) VALUES (?, ?, ?) "
                    "ON CONFLICT(user_id) DO NOTHING",
                    (user_id, payload, version),
                )
            else:
                cursor = conn.execute(
                    "UPDATE attributes SET data = ?, version = ?, "
                    "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                    "WHERE user_id = ? AND coalesce(version, '') = ?",
                    (payload, version, user_id, expected),
                )
            if cursor.rowcount != 1:
                raise WriteConflict("the stored record changed since it was read")
        return version

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        user_id = user_id_of(request_envelope)
        with self._errors("delete"):
            with self._transaction() as conn:
                conn.execute("DELETE FROM attributes WHERE user_id = ?", (user_id,))
            self._checkpoint()

    # -- housekeeping ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close every connection this adapter opened (in any thread)."""
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()
        self._local = threading.local()

    # -- internals ------------------------------------------------------------------------------

    def _wait_seconds(self) -> float:
        """How long this call may wait for a lock: the busy timeout, or a probe just after one
        ran out (see the module doc)."""
        return BUSY_PROBE_SECONDS if time.monotonic() < self._busy_until else self.timeout

    def _connection(self) -> sqlite3.Connection:
        wait = self._wait_seconds()
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            if getattr(self._local, "wait", None) != wait:
                conn.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
                self._local.wait = wait
            return conn
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PersistenceUnavailable(
                f"cannot create the data folder {self.path.parent}: {exc.strerror or exc}"
            ) from None
        conn = sqlite3.connect(
            self.path, timeout=wait, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
            conn.execute("PRAGMA secure_delete = ON")  # per connection: zero what is deleted
            self._prepare(conn, wait)
        except BaseException:
            conn.close()
            raise
        self._local.conn = conn
        self._local.wait = wait
        with self._lock:
            self._connections.append(conn)
        return conn

    def _prepare(self, conn: sqlite3.Connection, wait: float) -> None:
        """Validate the file, then switch to WAL and create the table (once per adapter).

        Several processes opening a new file at once race to switch it to WAL; the loser can be
        told "database is locked" without the busy timeout being applied, so that is retried
        (every step is idempotent) for as long as the busy timeout would have waited.
        """
        deadline = time.monotonic() + wait
        while True:
            try:
                self._prepare_once(conn)
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(SETUP_PAUSE_SECONDS)

    def _prepare_once(self, conn: sqlite3.Connection) -> None:
        # Reading the schema first fails on a file that is not a database, before anything writes.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA synchronous = NORMAL")  # per connection
        if self._schema_ready:
            return
        with self._lock:
            if self._schema_ready:
                return
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            conn.execute(_SCHEMA)
            columns = {row[1] for row in conn.execute("PRAGMA table_info(attributes)")}
            if "version" not in columns:  # a file from before versioned writes
                try:
                    conn.execute("ALTER TABLE attributes ADD COLUMN version TEXT")
                except sqlite3.OperationalError as exc:
                    if "duplicate column" not in str(exc):  # another process added it first
                        raise
            self._schema_ready = True

    def _checkpoint(self) -> None:
        """Copy the WAL into the main file and truncate it, so no old frame keeps deleted rows."""
        conn = self._connection()
        for _ in range(CHECKPOINT_ATTEMPTS):
            busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy:
                return
            time.sleep(CHECKPOINT_PAUSE_SECONDS)
        raise PersistenceUnavailable("the WAL could not be checkpointed after a delete")

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                self._busy_until = time.monotonic() + BUSY_BACKOFF_SECONDS
            raise PersistenceUnavailable(
                f"cannot {action} the memory store at {self.path}: {exc}"
            ) from None
        except sqlite3.DatabaseError as exc:
            raise PersistenceUnavailable(
                f"the memory store at {self.path} is damaged and was left untouched: {exc}"
            ) from None
