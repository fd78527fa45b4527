"""The routine player: a pure state machine over a routine's steps.

No Alexa, no text: a command moves the position and says what the response should be about.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from hipcoach.routines.model import Routine, Side, Step


class Command(StrEnum):
    NEXT = "next"
    PREVIOUS = "previous"
    REPEAT = "repeat"
    SKIP = "skip"
    PAUSE = "pause"
    RESUME = "resume"
    TIME_LEFT = "time_left"
    STOP = "stop"
    START_OVER = "start_over"  # the routine from its first step


class Outcome(StrEnum):
    PLAY = "play"  # play the step at the (new) position
    AT_START = "at_start"  # "previous" on the first step: play it again, saying so
    PAUSED = "paused"
    TIME_LEFT = "time_left"  # answer how long is left; the position does not move
    STOPPED = "stopped"  # save the position and end the session
    FINISHED = "finished"  # past the last step


@dataclass(frozen=True)
class Position:
    """Where a runner is: routine id, exercise index, side (or None) and set (from 1)."""

    routine_id: str
    exercise: int
    side: Side | None
    set: int

    @property
    def step(self) -> Step:
        return Step(self.exercise, self.side, self.set)

    @classmethod
    def at(cls, routine: Routine, index: int) -> Position:
        step = routine.steps()[index]
        return cls(routine.id, step.exercise, step.side, step.set)


@dataclass(frozen=True)
class PlayerState:
    position: Position
    paused: bool = False


@dataclass(frozen=True)
class Transition:
    state: PlayerState
    outcome: Outcome
    seconds_left: int  # estimated seconds from the (new) position to the end
    exercises_left: int  # exercises not yet finished, the current one included


def start(routine: Routine) -> PlayerState:
    return PlayerState(Position.at(routine, 0))


def is_valid(routine: Routine, position: Position) -> bool:
    return position.routine_id == routine.id and position.step in routine.steps()


def apply(routine: Routine, state: PlayerState, command: Command) -> Transition:
    """The next state and outcome; ValueError if the state is not a position in `routine`."""
    if not is_valid(routine, state.position):
        raise ValueError(f"{state.position} is not a step of routine {routine.id!r}")
    steps = routine.steps()
    index = routine.index_of(state.position.step)
    outcome = Outcome.PLAY
    paused = False
    if command is Command.NEXT:
        index += 1
    elif command is Command.PREVIOUS:
        if index == 0:
            outcome = Outcome.AT_START
        index = max(index - 1, 0)
    elif command is Command.START_OVER:
        index = 0
    elif command is Command.SKIP:
        current = steps[index].exercise
        index = next((n for n, s in enumerate(steps) if s.exercise > current), len(steps))
    elif command is Command.PAUSE:
        outcome, paused = Outcome.PAUSED, True
    elif command is Command.TIME_LEFT:
        outcome, paused = Outcome.TIME_LEFT, state.paused
    elif command is Command.STOP:
        outcome, paused = Outcome.STOPPED, state.paused
    # REPEAT and RESUME play the current step again.
    if index >= len(steps):
        last = PlayerState(Position.at(routine, len(steps) - 1))
        return Transition(last, Outcome.FINISHED, 0, 0)
    new_state = replace(state, position=Position.at(routine, index), paused=paused)
    return Transition(
        state=new_state,
        outcome=outcome,
        seconds_left=routine.seconds_from(index),
        exercises_left=len(routine.exercises) - steps[index].exercise,
    )
