"""Plain turns and conversations for the policy's tests (no Alexa envelopes): an in-memory record,
a turn with slots given as "words|id", a check in progress, a told result, a playing routine."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from hipcoach.dialog.conversation import Conversation, Outcome, ResultMemory
from hipcoach.dialog.interview import InterviewState
from hipcoach.dialog.state import Mode
from hipcoach.dialog.turn import INTENT, SlotValue, Turn
from hipcoach.dialog.turn_rules import one_rules_session
from hipcoach.handlers.policy import respond
from hipcoach.persistence.user_record import Change, UpdateResult
from hipcoach.routines.loader import get_routine
from hipcoach.routines.player import start
from hipcoach.speech import said

TODAY = date(2026, 11, 20)


class Records:
    """The runner's record in memory (a RecordAccess)."""

    def __init__(self, record: dict[str, Any] | None = None) -> None:
        self.record: dict[str, Any] = record or {}

    def load(self) -> dict[str, Any] | None:
        return copy.deepcopy(self.record)

    def update(self, change: Change) -> UpdateResult:
        new = change(copy.deepcopy(self.record))
        if new is None:
            return UpdateResult(saved=True, record=self.record)
        self.record = new
        return UpdateResult(saved=True, record=new, changed=True)

    def delete_all(self) -> bool:
        self.record = {}
        return True


def turn(intent: str | None = None, *, request_type: str = INTENT, act: str | None = None,
         records: Records | None = None, **slots: str) -> Turn:  # fmt: skip
    """A turn; a slot given as "words|id" is resolved to that id."""
    filled = {}
    for name, value in slots.items():
        words, _, resolved = value.partition("|")
        filled[name] = SlotValue(words, resolved or None)
    return Turn(request_type, intent, filled, "en-US", TODAY, records or Records(), act=act)


def findings(*pairs: str) -> dict[str, str]:
    """TellFindingsIntent slots naming catalogue ids ("fever_or_chills=true")."""
    return {f"finding_{'abcd'[n]}": f"said|{pair}" for n, pair in enumerate(pairs)}


def mid_check(asking: str = "pain_location") -> Conversation:
    state = InterviewState(findings={"emergency_screen": False}, asking=asking, asked=1)
    state.repeats = 1
    return Conversation(mode=Mode.INTERVIEW, interview=state)


def after_result() -> Conversation:
    state = InterviewState(findings={"pain_location": "outer_hip", "pain_days": 3}, asked=2)
    return Conversation(
        mode=Mode.RESULT,
        interview=state,
        outcome=Outcome("self_care", ["trochanteric_bursitis"]),
        result=ResultMemory(leader="trochanteric_bursitis"),
    )


def in_routine() -> Conversation:
    routine = get_routine("stretch")
    assert routine is not None
    return Conversation(mode=Mode.ROUTINE, routine=start(routine))


def run(conversation: Conversation, heard: Turn) -> tuple[Any, list[str]]:
    with one_rules_session(), said.recording() as keys:
        reply = respond(heard, conversation)
    return reply, said.unique(keys)
