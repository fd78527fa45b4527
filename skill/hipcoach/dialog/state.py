"""The dialog's modes and the moves between them: one explicit state machine.

Each mode says what the skill is waiting for, so the policy table (`hipcoach.handlers.policy`)
reads what an utterance means from the mode and what the runner did:

- IDLE: the menu; nothing is pending.
- INTERVIEW: a hip check is asking its questions (the pending question is in the interview state).
- RESULT: a check's result was told; its parts (tonight, tomorrow, why, ...) can be asked for.
- OFFER: a routine was offered after a result; yes starts it.
- ROUTINE: a routine is playing; navigation words belong to it.
- RESUME_OFFER: launch offered to pick up an unfinished routine; yes/continue resumes it.
- FOLLOWUP: launch asked how the hip is since the last check.
- CONFIRM_DELETE: the runner asked to delete their data; yes deletes.
- SHOE_QUESTION: asked how far the current shoes have gone; a distance answers it (never a run).

`Conversation.enter()` (hipcoach.dialog.conversation) refuses a transition the table does not
allow (a programming error, raised); an unreadable stored mode reads as IDLE.
"""

from __future__ import annotations

from enum import StrEnum


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
    # (OFFER: a routine the care plan allows, offered when the one asked for is not)
    Mode.IDLE: _ANYWHERE
    | {Mode.FOLLOWUP, Mode.RESUME_OFFER, Mode.RESULT, Mode.SHOE_QUESTION, Mode.OFFER},
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
    """A move the dialog does not allow."""
