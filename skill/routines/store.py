"""The bridge between the routine player and ask-sdk's attributes: mode, session and saved position.

A store fault (no persistence adapter, store unavailable) means the position is not remembered for
another day; the routine itself carries on.
"""

from __future__ import annotations

import logging

from ask_sdk_core.exceptions import AttributesManagerException, PersistenceException
from ask_sdk_core.handler_input import HandlerInput

from hipcoach.clock import today
from hipcoach.routines import MODE
from hipcoach.routines.player import PlayerState, Position
from hipcoach.routines.records import Saved, read_saved, read_session, saved_record, session_record

KEY = "routine"
IDLE = "idle"
log = logging.getLogger(__name__)
_FAULTS = (AttributesManagerException, PersistenceException)


def in_routine(handler_input: HandlerInput) -> bool:
    return handler_input.attributes_manager.session_attributes.get("mode") == MODE


def current(handler_input: HandlerInput) -> PlayerState | None:
    """The player state in this session, if a routine is being played."""
    return read_session(handler_input.attributes_manager.session_attributes.get(KEY))


def enter(handler_input: HandlerInput, state: PlayerState) -> None:
    """Routine mode with this state, in the session and saved for another day."""
    session = handler_input.attributes_manager.session_attributes
    session["mode"] = MODE
    session[KEY] = session_record(state)
    save_position(handler_input, state.position)


def leave(handler_input: HandlerInput) -> None:
    session = handler_input.attributes_manager.session_attributes
    session["mode"] = IDLE
    session.pop(KEY, None)


def saved(handler_input: HandlerInput) -> Saved | None:
    try:
        record = handler_input.attributes_manager.persistent_attributes
    except _FAULTS as exc:
        log.warning("routine position unavailable on read: %s", type(exc).__name__)
        return None
    return read_saved(record.get(KEY)) if isinstance(record, dict) else None


def _write(handler_input: HandlerInput, value: dict[str, object] | None) -> bool:
    manager = handler_input.attributes_manager
    try:
        record = manager.persistent_attributes
        if value is None:
            if KEY not in record:
                return True
            record.pop(KEY)
        else:
            if record.get(KEY) == value:
                return True
            record[KEY] = value
        manager.save_persistent_attributes()
    except _FAULTS as exc:
        log.warning("routine position unavailable on write: %s", type(exc).__name__)
        return False
    return True


def save_position(handler_input: HandlerInput, position: Position) -> bool:
    """Remember where the runner is (with today's date), so "resume my routine" finds it."""
    return _write(handler_input, saved_record(position, today(handler_input)))


def forget_position(handler_input: HandlerInput) -> bool:
    """The routine is done: nothing to resume."""
    return _write(handler_input, None)
