"""The session's dialog state: which mode the conversation is in, in one place.

One explicit state machine. Each mode says what the skill is waiting for, so a handler decides
from `current()` alone whether an utterance is its own:

- IDLE: the menu; nothing is pending.
- INTERVIEW: a hip check is asking its questions (the pending question is in the interview state).
- RESULT: a check's result was told; its parts (tonight, tomorrow, why, ...) can be asked for.
- OFFER: a routine was offered after a result; yes starts it.
- ROUTINE: a routine is playing; navigation words belong to it.
- RESUME_OFFER: launch offered to pick up an unfinished routine; yes/continue resumes it.
- FOLLOWUP: launch asked how the hip is since the last check.
- CONFIRM_DELETE: the runner asked to delete their data; yes deletes.
- SHOE_QUESTION: asked how far the current shoes have gone; a distance answers it (never a run).

`enter()` refuses a transition the table does not allow (a programming error, raised), and any
unreadable value in the session attributes (tampering, an old version) reads as IDLE.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from ask_sdk_core.handler_input import HandlerInput

KEY = "mode"


class Mode(StrEnum):
    IDLE = "idle"
    INTERVIEW = "interview"
    RESULT = "result"
    OFFER = "offer_routine"
    ROUTINE = "routine"
    RESUME_OFFER = "resume_offer"
    FOLLOWUP = "followup"
    CONFIRM_DELETE = "confirm_delete"
    SHOE_QUESTION = "shoe_question"


# Where each mode may go next. Every mode may return to IDLE, start a check (INTERVIEW), start a
# routine (ROUTINE) or ask to delete (CONFIRM_DELETE): a runner can change their mind anywhere.
_ANYWHERE = frozenset({Mode.IDLE, Mode.INTERVIEW, Mode.ROUTINE, Mode.CONFIRM_DELETE})
TRANSITIONS: dict[Mode, frozenset[Mode]] = {
    Mode.IDLE: _ANYWHERE | {Mode.FOLLOWUP, Mode.RESUME_OFFER, Mode.RESULT, Mode.SHOE_QUESTION},
    Mode.INTERVIEW: _ANYWHERE | {Mode.RESULT, Mode.OFFER},
    Mode.RESULT: _ANYWHERE | {Mode.RESULT, Mode.OFFER},
    Mode.OFFER: _ANYWHERE | {Mode.RESULT, Mode.OFFER},
    Mode.ROUTINE: _ANYWHERE,
    Mode.RESUME_OFFER: _ANYWHERE | {Mode.RESUME_OFFER},
    Mode.FOLLOWUP: _ANYWHERE | {Mode.FOLLOWUP, Mode.RESULT, Mode.OFFER},
    Mode.CONFIRM_DELETE: _ANYWHERE,
    Mode.SHOE_QUESTION: _ANYWHERE | {Mode.RESULT, Mode.SHOE_QUESTION},
}


class TransitionError(RuntimeError):
    """A handler tried a transition the dialog does not allow."""


def _session(handler_input: HandlerInput) -> dict[str, Any]:
    session = handler_input.attributes_manager.session_attributes
    if session is None:  # ask-sdk types it Optional; a request always has a session dict
        session = handler_input.attributes_manager.session_attributes = {}
    return session


def read(session_attributes: dict[str, Any]) -> Mode:
    """The mode stored in session attributes; IDLE for anything missing or unknown."""
    value = session_attributes.get(KEY)
    try:
        return Mode(value) if isinstance(value, str) else Mode.IDLE
    except ValueError:
        return Mode.IDLE


def current(handler_input: HandlerInput) -> Mode:
    return read(_session(handler_input))


def is_in(handler_input: HandlerInput, *modes: Mode) -> bool:
    return current(handler_input) in modes


def enter(handler_input: HandlerInput, mode: Mode) -> None:
    """Move to `mode`; raises TransitionError for a move the table does not allow."""
    here = current(handler_input)
    if mode != here and mode not in TRANSITIONS[here]:
        raise TransitionError(f"{here} -> {mode}")
    _session(handler_input)[KEY] = mode.value
