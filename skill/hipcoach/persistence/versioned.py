"""Versioned reads and conditional writes: what makes "read, change, write" safe between devices.

Every stored record carries a version: a random token, new on every write. A writer names the
version it read; the store writes only if that is still the stored version, else it raises
:class:`WriteConflict` and the caller re-reads and re-applies its change
(``hipcoach.persistence.user_record.update``). A missing record has version ``None``: writing with
``expected=None`` creates the record only if none exists.

Why random tokens rather than a counter: a delete removes the record entirely (nothing of the
runner may stay on disk, not even a tombstone under their id). With a counter, a record re-created
after a delete could reach the version an old writer read before the delete, and that writer would
then resurrect what was deleted. A fresh random token can never match a token read earlier.

The adapters still implement ask-sdk's ``get_attributes``/``save_attributes`` (a plain save is an
unconditional write), so ask-sdk's attributes manager keeps working with them.
"""

from __future__ import annotations

import os
from abc import abstractmethod
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope

from hipcoach.records import record


class WriteConflict(Exception):
    """The stored record is no longer the version the writer read (another device wrote or
    deleted it in between)."""


@record(frozen=True)
class Stored:
    """A record as read, with the version a conditional write must name (None: no record)."""

    record: dict[str, Any]
    version: str | None


def new_version() -> str:
    return os.urandom(16).hex()  # secrets.token_hex, without its imports (cold start)


class VersionedAdapter(AbstractPersistenceAdapter):
    """An ask-sdk persistence adapter that also offers versioned reads and conditional writes."""

    @abstractmethod
    def read(self, request_envelope: RequestEnvelope) -> Stored:
        """The user's record and its version; an empty record and None when there is none."""

    @abstractmethod
    def write(
        self, request_envelope: RequestEnvelope, record: dict[str, Any], expected: str | None
    ) -> str:
        """Store ``record`` if the stored version is still ``expected``; return the new version.

        Raises :class:`WriteConflict` when it is not, ``PersistenceUnavailable`` on a store fault.
        """

    # -- ask-sdk's interface, on top of the versioned one ------------------------------------

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        return self.read(request_envelope).record

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: Any) -> None:
        """ask-sdk's blind save (last writer wins): kept for the interface, the skill never uses
        it; it writes through ``hipcoach.persistence.user_record.update``."""
        for _ in range(20):
            current = self.read(request_envelope)
            try:
                self.write(request_envelope, dict(attributes), current.version)
                return
            except WriteConflict:
                continue
        raise WriteConflict("the record kept changing during a blind save")
