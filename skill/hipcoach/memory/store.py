"""Memory's view of the runner's persistent record: each area read back validated.

Loading and changing the record itself, fault-tolerant, is `hipcoach.persistence.user_record`:
`load(handler_input)` gives a copy of the record, `update(handler_input, change)` applies a pure
`record -> record` function to the latest stored version (re-applied when another device wrote in
between) and returns an `UpdateResult` whose `record` is what is now stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hipcoach.memory.episodes import validate_episode
from hipcoach.memory.shoes import validate_shoes
from hipcoach.memory.training import empty_training, validate_training
from hipcoach.persistence.user_record import UpdateResult, delete_all, load, update

__all__ = ["Change", "UpdateResult", "delete_all", "episode", "load", "shoes", "training", "update"]

# A memory change: a pure function from the stored record to a new one (the input untouched), so
# the conditional write can re-apply it to a fresher record.
Change = Callable[[dict[str, Any]], dict[str, Any]]


# The areas' validators are imported when an area is read: a first launch reads none of them.


def episode(record: dict[str, Any]) -> dict[str, Any] | None:

    return validate_episode(record.get("episode"))


def training(record: dict[str, Any]) -> dict[str, Any]:

    return validate_training(record.get("training")) or empty_training()


def shoes(record: dict[str, Any]) -> dict[str, Any] | None:

    return validate_shoes(record.get("shoes"))
