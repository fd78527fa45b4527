"""The routine player: navigation as a pure state machine, and its session/saved records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipcoach.routines.loader import routines
from hipcoach.routines.model import Side, Step
from hipcoach.routines.player import (
    Command,
    Outcome,
    PlayerState,
    Position,
    apply,
    is_valid,
    start,
)
from hipcoach.routines.records import read_saved, read_session, saved_record, session_record

STRETCH = routines()["stretch"]
STRENGTH = routines()["strength"]


def test_steps_go_side_by_side_then_set_by_set():
    steps = STRENGTH.steps()
    assert steps[0] == Step(0, None, 1)  # bridges: both legs together
    assert steps[1] == Step(0, None, 2)
    clam = [s for s in steps if s.exercise == 1]
    assert clam == [
        Step(1, Side.LEFT, 1),
        Step(1, Side.RIGHT, 1),
        Step(1, Side.LEFT, 2),
        Step(1, Side.RIGHT, 2),
    ]


def test_next_walks_every_step_then_finishes():
    state = start(STRETCH)
    seen = [state.position.step]
    while True:
        transition = apply(STRETCH, state, Command.NEXT)
        if transition.outcome is Outcome.FINISHED:
            break
        assert transition.outcome is Outcome.PLAY
        state = transition.state
        seen.append(state.position.step)
    assert tuple(seen) == STRETCH.steps()


def test_previous_goes_back_and_stops_at_the_start():
    state = start(STRETCH)
    at_start = apply(STRETCH, state, Command.PREVIOUS)
    assert at_start.outcome is Outcome.AT_START
    assert at_start.state.position == state.position
    forward = apply(STRETCH, state, Command.NEXT).state
    back = apply(STRETCH, forward, Command.PREVIOUS)
    assert back.outcome is Outcome.PLAY and back.state.position == state.position


def test_skip_jumps_to_the_next_exercise_from_any_side():
    right_side = PlayerState(Position("stretch", 0, Side.RIGHT, 1))
    skipped = apply(STRETCH, right_side, Command.SKIP)
    assert skipped.state.position == Position("stretch", 1, Side.LEFT, 1)
    last = PlayerState(Position("stretch", 4, Side.LEFT, 2))
    assert apply(STRETCH, last, Command.SKIP).outcome is Outcome.FINISHED


def test_pause_resume_repeat_keep_the_position():
    state = apply(STRETCH, start(STRETCH), Command.NEXT).state
    paused = apply(STRETCH, state, Command.PAUSE)
    assert paused.outcome is Outcome.PAUSED and paused.state.paused
    assert paused.state.position == state.position
    resumed = apply(STRETCH, paused.state, Command.RESUME)
    assert resumed.outcome is Outcome.PLAY and not resumed.state.paused
    assert resumed.state.position == state.position
    repeated = apply(STRETCH, state, Command.REPEAT)
    assert repeated.outcome is Outcome.PLAY and repeated.state.position == state.position


def test_next_after_pause_carries_on():
    paused = apply(STRETCH, start(STRETCH), Command.PAUSE).state
    moved = apply(STRETCH, paused, Command.NEXT)
    assert not moved.state.paused and moved.state.position.side is Side.RIGHT


def test_time_left_counts_what_is_still_to_play_after_the_step_just_played():
    state = start(STRENGTH)
    first = apply(STRENGTH, state, Command.TIME_LEFT)
    assert first.outcome is Outcome.TIME_LEFT and first.state == state
    assert first.seconds_left == STRENGTH.seconds_from(1)
    assert first.exercises_left == len(STRENGTH.exercises)  # bridges have a second set
    later = apply(STRENGTH, apply(STRENGTH, state, Command.SKIP).state, Command.TIME_LEFT)
    assert later.seconds_left < first.seconds_left
    assert later.exercises_left == len(STRENGTH.exercises) - 1


def test_a_finished_exercise_is_not_counted_as_left():
    # issue 23: "how long is left" after the stretch's first exercise (both legs) still counted it
    state = PlayerState(Position("stretch", 0, Side.RIGHT, 1))
    left = apply(STRETCH, state, Command.TIME_LEFT)
    assert left.exercises_left == len(STRETCH.exercises) - 1
    assert left.seconds_left == STRETCH.seconds_from(2)


def test_go_back_returns_where_the_runner_was_before_the_last_move():
    skipped = apply(STRETCH, start(STRETCH), Command.SKIP).state
    back = apply(STRETCH, skipped, Command.PREVIOUS)
    assert back.outcome is Outcome.PLAY and back.state.position == start(STRETCH).position
    stepped = apply(STRETCH, apply(STRETCH, start(STRETCH), Command.NEXT).state, Command.NEXT)
    back = apply(STRETCH, stepped.state, Command.PREVIOUS)
    assert back.state.position == Position("stretch", 0, Side.RIGHT, 1)
    again = apply(STRETCH, back.state, Command.PREVIOUS)  # then one step at a time
    assert again.state.position == start(STRETCH).position


def test_describe_preview_and_slower_stay_on_the_step():
    state = PlayerState(Position("stretch", 1, Side.LEFT, 1))
    for command, outcome in (
        (Command.DESCRIBE, Outcome.DESCRIBE),
        (Command.PREVIEW, Outcome.PREVIEW),
    ):
        moved = apply(STRETCH, state, command)
        assert moved.outcome is outcome and moved.state.position == state.position
    slower = apply(STRETCH, state, Command.SLOWER)
    assert slower.outcome is Outcome.PLAY and slower.state.position == state.position
    assert slower.state.slow and apply(STRETCH, slower.state, Command.NEXT).state.slow


def test_stop_keeps_the_position():
    state = PlayerState(Position("stretch", 2, Side.RIGHT, 1))
    stopped = apply(STRETCH, state, Command.STOP)
    assert stopped.outcome is Outcome.STOPPED and stopped.state.position == state.position


def test_a_position_the_routine_does_not_have_is_refused():
    for position in (
        Position("stretch", 9, Side.LEFT, 1),
        Position("stretch", 0, None, 1),
        Position("stretch", 0, Side.LEFT, 2),
        Position("strength", 0, None, 1),
    ):
        assert not is_valid(STRETCH, position)
        with pytest.raises(ValueError):
            apply(STRETCH, PlayerState(position), Command.NEXT)


@given(st.lists(st.sampled_from(list(Command)), max_size=60))
def test_any_command_sequence_stays_on_a_real_step(commands):
    state = start(STRENGTH)
    for command in commands:
        transition = apply(STRENGTH, state, command)
        assert is_valid(STRENGTH, transition.state.position)
        if transition.outcome is Outcome.FINISHED:
            assert transition.seconds_left == 0
            return
        state = transition.state


def test_records_round_trip():
    state = PlayerState(Position("stretch", 3, Side.RIGHT, 1), paused=True)
    assert read_session(session_record(state)) == state
    came = PlayerState(
        Position("stretch", 3, Side.LEFT, 1), slow=True, came_from=Step(1, Side.LEFT, 1)
    )
    assert read_session(session_record(came)) == came
    tampered = {**session_record(came), "came_from": {"exercise": 99, "side": "left", "set": 1}}
    assert read_session(tampered) == PlayerState(came.position, slow=True)
    saved = read_saved(saved_record(state.position, date(2025, 5, 1)))
    assert saved is not None
    assert saved.position == state.position and saved.saved_on == date(2025, 5, 1)


def test_saved_record_from_dynamodb_decimals():
    data = {"id": "strength", "exercise": Decimal(7), "side": "left", "set": Decimal(3)}
    saved = read_saved({**data, "saved_on": "2025-05-01"})
    assert saved is not None and saved.position == Position("strength", 7, Side.LEFT, 3)


@pytest.mark.parametrize(
    "data",
    [
        None,
        "stretch",
        {},
        {"id": "yoga", "exercise": 0, "side": "left", "set": 1, "saved_on": "2025-05-01"},
        {"id": "stretch", "exercise": 0, "side": "up", "set": 1, "saved_on": "2025-05-01"},
        {"id": "stretch", "exercise": 99, "side": "left", "set": 1, "saved_on": "2025-05-01"},
        {"id": "stretch", "exercise": True, "side": "left", "set": 1, "saved_on": "2025-05-01"},
        {"id": "stretch", "exercise": 0.5, "side": "left", "set": 1, "saved_on": "2025-05-01"},
        {"id": "stretch", "exercise": 0, "side": "left", "set": 1, "saved_on": "yesterday"},
        {"id": "stretch", "exercise": 0, "side": "left", "set": 1},
    ],
)
def test_tampered_records_read_as_nothing(data):
    assert read_saved(data) is None
