"""The routine's saved position in the runner's persistent record (any day).

A store fault (no persistence adapter, store unavailable) means the position is not remembered for
another day; the routine itself carries on. The position within a session is the conversation's
(hipcoach.dialog.conversation).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from hipcoach.persistence.access import RecordAccess
from hipcoach.routines.loader import get_routine
from hipcoach.routines.player import Position
from hipcoach.routines.records import Saved, declined_record, read_saved, saved_record

KEY = "routine"
# The routine last stopped because it hurt, and the day: {"id": routine id, "on": "YYYY-MM-DD"},
# so "resume my routine" later says why there is nothing to pick up and what the plan allows.
STOPPED_KEY = "routine_stopped_for_pain"


def saved(records: RecordAccess) -> Saved | None:
    record = records.load()
    return read_saved(record.get(KEY)) if record is not None else None


def with_routine(record: dict[str, Any], value: dict[str, Any] | None) -> dict[str, Any]:
    """The record with the saved routine set (or removed, for None): a new dict."""
    if value is None:
        return {key: item for key, item in record.items() if key != KEY}
    return {**record, KEY: value}


def _write(records: RecordAccess, value: dict[str, Any] | None) -> bool:
    def change(record: dict[str, Any]) -> dict[str, Any] | None:
        if record.get(KEY) == value or (value is None and KEY not in record):
            return None
        return with_routine(record, value)

    return records.update(change).saved


def save_position(records: RecordAccess, position: Position, today: date) -> bool:
    """Remember where the runner is (with today's date), so "resume my routine" finds it."""
    return _write(records, saved_record(position, today))


def decline_offer(records: RecordAccess) -> bool:
    """The runner said no to picking the saved routine up: keep it, but stop offering it."""

    def change(record: dict[str, Any]) -> dict[str, Any]:
        value = record.get(KEY)
        return with_routine(record, declined_record(value)) if isinstance(value, dict) else record

    return records.update(change).saved


def forget_position(records: RecordAccess) -> bool:
    """The routine is done: nothing to resume."""
    return _write(records, None)


@dataclass(frozen=True)
class StoppedForPain:
    routine_id: str
    on: date


def mark_stopped_for_pain(records: RecordAccess, routine_id: str, today: date) -> bool:
    """The routine stopped because it hurt: nothing to resume, but the stop is remembered."""
    stopped = {"id": routine_id, "on": today.isoformat()}

    def change(record: dict[str, Any]) -> dict[str, Any]:
        return {**with_routine(record, None), STOPPED_KEY: stopped}

    return records.update(change).saved


def stopped_for_pain(records: RecordAccess) -> StoppedForPain | None:
    """The routine last stopped for pain, when one was and no routine was started since."""
    record = records.load()
    value = record.get(STOPPED_KEY) if record is not None else None
    if not isinstance(value, dict) or get_routine(str(value.get("id"))) is None:
        return None  # tampered, stale or foreign data reads as none
    try:
        on = date.fromisoformat(str(value.get("on")))
    except ValueError:
        return None
    return StoppedForPain(str(value["id"]), on)


def forget_stop(records: RecordAccess) -> bool:
    """A routine started again: the earlier stop for pain is history."""

    def change(record: dict[str, Any]) -> dict[str, Any] | None:
        if STOPPED_KEY not in record:
            return None
        return {key: item for key, item in record.items() if key != STOPPED_KEY}

    return records.update(change).saved
