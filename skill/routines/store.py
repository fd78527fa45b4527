"""The bridge between the routine player and ask-sdk's attributes: mode, session and saved position.

A store fault (no persistence adapter, store unavailable) means the position is not remembered for
another day; the routine itself carries on.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from hipcoach.clock import today
from hipcoach.dialog import state as dialog
from hipcoach.dialog.state import Mode
from hipcoach.persistence import user_record
from hipcoach.routines.player import PlayerState, Position
from hipcoach.routines.records import Saved, read_saved, read_session, saved_record, session_record
from hipcoach.speech import respond

KEY = "routine"


def in_routine(handler_input: HandlerInput) -> bool:
    return dialog.is_in(handler_input, Mode.ROUTINE)


def current(handler_input: HandlerInput) -> PlayerState | None:
    """The player state in this session, if a routine is being played."""
    return read_session(respond.session(handler_input).get(KEY))


def enter(handler_input: HandlerInput, state: PlayerState) -> None:
    """Routine mode with this state, in the session and saved for another day."""
    dialog.enter(handler_input, Mode.ROUTINE)
    respond.session(handler_input)[KEY] = session_record(state)
    save_position(handler_input, state.position)


def leave(handler_input: HandlerInput) -> None:
    dialog.enter(handler_input, Mode.IDLE)
    respond.session(handler_input).pop(KEY, None)


def saved(handler_input: HandlerInput) -> Saved | None:
    record = user_record.load(handler_input)
    return read_saved(record.get(KEY)) if record is not None else None


def _write(handler_input: HandlerInput, value: dict[str, object] | None) -> bool:
    record = user_record.load(handler_input)
    if record is None:
        return False
    if value is None:
        if KEY not in record:
            return True
        record.pop(KEY)
    else:
        if record.get(KEY) == value:
            return True
        record[KEY] = value
    return user_record.save(handler_input, record)


def save_position(handler_input: HandlerInput, position: Position) -> bool:
    """Remember where the runner is (with today's date), so "resume my routine" finds it."""
    return _write(handler_input, saved_record(position, today(handler_input)))


def forget_position(handler_input: HandlerInput) -> bool:
    """The routine is done: nothing to resume."""
    return _write(handler_input, None)
