"""Persistence adapters for the skill's persistent attributes (SQLite locally, DynamoDB on AWS).

Both are versioned (`versioned.VersionedAdapter`): conditional writes on the version read, so the
skill changes a runner's record only through `user_record.update`, never by a blind save.

The SQLite adapter is imported on first use (`hipcoach.persistence.SQLitePersistenceAdapter`):
Lambda, which keeps memory on DynamoDB, never loads sqlite3.
"""

from typing import Any

from hipcoach.persistence.errors import PersistenceUnavailable

__all__ = ["PersistenceUnavailable", "SQLitePersistenceAdapter", "default_sqlite_path"]


def __getattr__(name: str) -> Any:
    if name in ("SQLitePersistenceAdapter", "default_sqlite_path"):
        from hipcoach.persistence import sqlite

        return getattr(sqlite, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
