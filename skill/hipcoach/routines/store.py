"""The bridge between the routine player and ask-sdk's attributes: mode, session and saved position.

A store fault (no persistence adapter, store unavailable) means the position is not remembered for
another day; the routine itself carries on.
"""

from __future__ import annotations

from typing import Any

from ask_sdk_core.exceptions import AttributesManagerException
from ask_sdk_core.handler_input import HandlerInput

from hipcoach.clock import today
from hipcoach.dialog import state as dialog
from hipcoach.dialog.state import Mode
from hipcoach.memory.store import update
from hipcoach.persistence import user_record
from hipcoach.routines.player import PlayerState, Position
from hipcoach.routines.records import (
    Saved,
    declined_record,
    read_saved,
    read_session,
    saved_record,
    session_record,
)

KEY = "routine"


def _session(handler_input: HandlerInput) -> dict[str, Any]:
    attributes = handler_input.attributes_manager.session_attributes
    if attributes is None:  # an out-of-session request: ask-sdk raises before this, never None
        raise AttributesManagerException("no session attributes out of session")
    return attributes


def in_routine(handler_input: HandlerInput) -> bool:
    return dialog.is_in(handler_input, Mode.ROUTINE)


def current(handler_input: HandlerInput) -> PlayerState | None:
    """The player state in this session, if a routine is being played."""
    return read_session(_session(handler_input).get(KEY))


def enter(handler_input: HandlerInput, state: PlayerState) -> None:
    """Routine mode with this state, in the session and saved for another day."""
    dialog.enter(handler_input, Mode.ROUTINE)
    _session(handler_input)[KEY] = session_record(state)
    save_position(handler_input, state.position)


def leave(handler_input: HandlerInput) -> None:
    dialog.enter(handler_input, Mode.IDLE)
    _session(handler_input).pop(KEY, None)


def saved(handler_input: HandlerInput) -> Saved | None:
    record = user_record.load(handler_input)
    return read_saved(record.get(KEY)) if record is not None else None


def with_routine(record: dict[str, Any], value: dict[str, Any] | None) -> dict[str, Any]:
    """The record with the saved routine set (or removed, for None): a new dict."""
    if value is None:
        return {key: item for key, item in record.items() if key != KEY}
    return {**record, KEY: value}


def _write(handler_input: HandlerInput, value: dict[str, Any] | None) -> bool:
    def change(record: dict[str, Any]) -> dict[str, Any] | None:
        if record.get(KEY) == value or (value is None and KEY not in record):
            return None
        return with_routine(record, value)

    return user_record.update(handler_input, change).saved


def save_position(handler_input: HandlerInput, position: Position) -> bool:
    """Remember where the runner is (with today's date), so "resume my routine" finds it."""
    return _write(handler_input, saved_record(position, today(handler_input)))


def decline_offer(handler_input: HandlerInput) -> bool:
    """The runner said no to picking the saved routine up: keep it, but stop offering it."""

    def change(record: dict[str, Any]) -> dict[str, Any]:
        value = record.get(KEY)
        return with_routine(record, declined_record(value)) if isinstance(value, dict) else record

    return update(handler_input, change) is not None


def forget_position(handler_input: HandlerInput) -> bool:
    """The routine is done: nothing to resume."""
    return _write(handler_input, None)
