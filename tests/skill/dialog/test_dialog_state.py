"""The dialog state machine: unknown stored modes read as idle; a disallowed move is refused."""

from __future__ import annotations

import pytest

from hipcoach.dialog import conversation
from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.state import Mode, TransitionError


@pytest.mark.parametrize("stored", [None, 3, "nonsense", ["interview"], {"mode": "x"}])
def test_unreadable_mode_is_idle(stored: object) -> None:
    assert conversation.read({"mode": stored}).mode is Mode.IDLE


def test_every_mode_can_return_to_the_menu_or_start_a_check() -> None:
    for mode in Mode:
        for target in (Mode.IDLE, Mode.INTERVIEW, Mode.ROUTINE):
            state = Conversation(mode=mode)
            state.enter(target)
            assert conversation.write(state)["mode"] == target.value


def test_a_result_needs_an_interview_or_a_follow_up() -> None:
    with pytest.raises(TransitionError):
        Conversation(mode=Mode.ROUTINE).enter(Mode.RESULT)
    with pytest.raises(TransitionError):
        Conversation(mode=Mode.CONFIRM_DELETE).enter(Mode.OFFER)
