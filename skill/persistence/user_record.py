"""The runner's persistent record, read and written through the ask-sdk persistence adapter.

Any store fault (no adapter configured, file locked, table unreachable) makes memory unavailable
for this request rather than failing the skill. Only the exception's type is logged.
"""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_core.exceptions import AttributesManagerException, PersistenceException
from ask_sdk_core.handler_input import HandlerInput

log = logging.getLogger(__name__)
_FAULTS = (AttributesManagerException, PersistenceException)


def load(handler_input: HandlerInput) -> dict[str, Any] | None:
    """The user's persistent record (cached for the request), or None when memory is unavailable."""
    try:
        record = handler_input.attributes_manager.persistent_attributes
    except _FAULTS as exc:
        log.warning("memory unavailable on read: %s", type(exc).__name__)
        return None
    if not isinstance(record, dict):
        return None
    return record


def save(handler_input: HandlerInput, record: dict[str, Any]) -> bool:
    """Write the whole record in one save; False when the store is unavailable."""
    manager = handler_input.attributes_manager
    try:
        manager.persistent_attributes = record
        manager.save_persistent_attributes()
    except _FAULTS as exc:
        log.warning("memory unavailable on write: %s", type(exc).__name__)
        return False
    return True


def delete_all(handler_input: HandlerInput) -> bool:
    """Delete everything kept for this user, in the store and in the request's cache."""
    try:
        handler_input.attributes_manager.delete_persistent_attributes()
    except _FAULTS as exc:
        log.warning("memory unavailable on delete: %s", type(exc).__name__)
        return False
    return True
