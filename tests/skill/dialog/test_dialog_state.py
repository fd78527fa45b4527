"""The dialog state machine: unknown stored modes read as idle; a disallowed move is refused."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from hipcoach.dialog import state
from hipcoach.dialog.state import Mode


def _input(session: dict) -> SimpleNamespace:
    return SimpleNamespace(attributes_manager=SimpleNamespace(session_attributes=session))


@pytest.mark.parametrize("stored", [None, 3, "nonsense", ["interview"], {"mode": "x"}])
def test_unreadable_mode_is_idle(stored: object) -> None:
    assert state.read({"mode": stored}) is Mode.IDLE


def test_every_mode_can_return_to_the_menu_or_start_a_check() -> None:
    for mode in Mode:
        for target in (Mode.IDLE, Mode.INTERVIEW, Mode.ROUTINE):
            session = {"mode": mode.value}
            state.enter(_input(session), target)  # type: ignore[arg-type]
            assert session["mode"] == target.value


def test_a_result_needs_an_interview_or_a_follow_up() -> None:
    with pytest.raises(state.TransitionError):
        state.enter(_input({"mode": "routine"}), Mode.RESULT)  # type: ignore[arg-type]
    with pytest.raises(state.TransitionError):
        state.enter(_input({"mode": "confirm_delete"}), Mode.OFFER)  # type: ignore[arg-type]
