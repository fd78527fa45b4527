"""Memory's view of the runner's persistent record: each area read back validated.

Loading and saving the record itself, fault-tolerant, is `hipcoach.persistence.user_record`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from hipcoach.persistence.user_record import delete_all, load, save

__all__ = ["Change", "delete_all", "episode", "load", "save", "shoes", "training", "update"]

# A memory change: a pure function from the stored record to a new one (the input untouched), so
# a conditional write can re-apply it to a fresher record (issue 17).
Change = Callable[[dict[str, Any]], dict[str, Any]]


def update(handler_input: HandlerInput, change: Change) -> dict[str, Any] | None:
    """Apply `change` to the stored record and save it: the resulting record, or None when memory
    is unavailable. Nothing is written when the change leaves the record as it was."""
    record = load(handler_input)
    if record is None:
        return None
    updated = change(record)
    if updated == record:
        return updated
    return updated if save(handler_input, updated) else None


# The areas' validators are imported when an area is read: a first launch reads none of them.


def episode(record: dict[str, Any]) -> dict[str, Any] | None:
    from hipcoach.memory.episodes import validate_episode

    return validate_episode(record.get("episode"))


def training(record: dict[str, Any]) -> dict[str, Any]:
    from hipcoach.memory.training import empty_training, validate_training

    return validate_training(record.get("training")) or empty_training()


def shoes(record: dict[str, Any]) -> dict[str, Any] | None:
    from hipcoach.memory.shoes import validate_shoes

    return validate_shoes(record.get("shoes"))
