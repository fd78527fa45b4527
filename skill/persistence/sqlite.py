"""Persistent attributes in a local SQLite file: the embedded default store.

One row per user (the request's `context.System.user.user_id`), the attributes as JSON text.
Each thread gets its own connection; the database runs in WAL mode with a busy timeout, and every
save is one transaction. A file that cannot be opened, is locked for too long, or is not a valid
database raises `PersistenceUnavailable`; the adapter never deletes or rewrites such a file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope

from hipcoach.persistence.errors import PersistenceUnavailable

DEFAULT_TIMEOUT_SECONDS = 3.0  # well inside Alexa's 8 s response budget
_SCHEMA = """
CREATE TABLE IF NOT EXISTS attributes (
    user_id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
)
"""


def default_sqlite_path() -> Path:
    """$HIPCOACH_DB, else hipcoach/hipcoach.db in $XDG_DATA_HOME (default ~/.local/share)."""
    override = os.environ.get("HIPCOACH_DB")
    if override:
        return Path(override).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home).expanduser() / "hipcoach" / "hipcoach.db"


def user_id_of(request_envelope: RequestEnvelope) -> str:
    """The user id the attributes are keyed by; PersistenceUnavailable when the request has none."""
    system = request_envelope.context.system if request_envelope.context else None
    user = system.user if system else None
    user_id = user.user_id if user else None
    if not user_id:
        raise PersistenceUnavailable("the request carries no user id to key attributes by")
    return str(user_id)


class SQLitePersistenceAdapter(AbstractPersistenceAdapter):
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

    # -- the ask-sdk interface ------------------------------------------------------------------

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        user_id = user_id_of(request_envelope)
        with self._errors("read"):
            row = (
                self._connection()
                .execute("SELECT data FROM attributes WHERE user_id = ?", (user_id,))
                .fetchone()
            )
        if row is None:
            return {}
        try:
            data = json.loads(row[0])
        except ValueError:
            raise PersistenceUnavailable("a stored record is not valid JSON") from None
        if not isinstance(data, dict):
            raise PersistenceUnavailable("a stored record is not a JSON object")
        return data

    def save_attributes(
        self, request_envelope: RequestEnvelope, attributes: dict[str, Any]
    ) -> None:
        user_id = user_id_of(request_envelope)
        payload = json.dumps(attributes, separators=(",", ":"), sort_keys=True)
        with self._errors("write"), self._transaction() as conn:
            conn.execute(
                "INSERT INTO attributes (user_id, data) VALUES (?, ?) "
                "ON CONFLICT(user_id) DO UPDATE SET data = excluded.data, "
                "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                (user_id, payload),
            )

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        user_id = user_id_of(request_envelope)
        with self._errors("delete"), self._transaction() as conn:
            conn.execute("DELETE FROM attributes WHERE user_id = ?", (user_id,))

    # -- housekeeping ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close every connection this adapter opened (in any thread)."""
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()
        self._local = threading.local()

    # -- internals ------------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PersistenceUnavailable(
                f"cannot create the data folder {self.path.parent}: {exc.strerror or exc}"
            ) from None
        conn = sqlite3.connect(
            self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            self._prepare(conn)
        except BaseException:
            conn.close()
            raise
        self._local.conn = conn
        with self._lock:
            self._connections.append(conn)
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """Validate the file, then switch to WAL and create the table (once per adapter)."""
        # Reading the schema first fails on a file that is not a database, before anything writes.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if self._schema_ready:
            return
        with self._lock:
            if self._schema_ready:
                return
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(_SCHEMA)
            self._schema_ready = True

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
            raise PersistenceUnavailable(
                f"cannot {action} the memory store at {self.path}: {exc}"
            ) from None
        except sqlite3.DatabaseError as exc:
            raise PersistenceUnavailable(
                f"the memory store at {self.path} is damaged and was left untouched: {exc}"
            ) from None
