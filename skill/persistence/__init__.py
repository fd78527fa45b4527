"""Persistence adapters for the skill's persistent attributes (SQLite locally, DynamoDB on AWS)."""

from hipcoach.persistence.errors import PersistenceUnavailable
from hipcoach.persistence.sqlite import SQLitePersistenceAdapter, default_sqlite_path

__all__ = ["PersistenceUnavailable", "SQLitePersistenceAdapter", "default_sqlite_path"]
