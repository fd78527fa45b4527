"""Errors raised by the persistence adapters."""

from __future__ import annotations

from ask_sdk_core.exceptions import PersistenceException


class PersistenceUnavailable(PersistenceException):
    """The store cannot be read or written right now (locked, unwritable, corrupted, unreachable).

    Raised instead of losing or overwriting data: the caller carries on without memory.
    """
