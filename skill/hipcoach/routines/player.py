"""The routine player: a pure state machine over a routine's steps.

No Alexa, no text: a command moves the position and says what the response should be about.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    DESCRIBE = "describe"  # how to do the step just played ("what am I supposed to be doing")
    PREVIEW = "preview"  # what comes after it ("what's next"), without moving
    SLOWER = "slower"  # the step again, and the rest of the routine, at the slower pace


class Outcome(StrEnum):
    PLAY = "play"  # play the step at the (new) position
    AT_START = "at_start"  # "previous" on the first step: play it again, saying so
    PAUSED = "paused"
    TIME_LEFT = "time_left"  # answer how long is left; the position does not move
    DESCRIBE = "describe"  # say how to do the step; the position does not move
    PREVIEW = "preview"  # name what comes next; the position does not move
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
    """Where the runner is. The step at `position` has been played: each step is one response
    with all its timed audio, so whatever the runner says next comes after it."""

    position: Position
    paused: bool = False
    slow: bool = False  # the runner asked to go slower: reps at each exercise's slow_tempo
    came_from: Step | None = None  # the step before the last move: where "go back" returns


@dataclass(frozen=True)
class Transition:
    state: PlayerState
    outcome: Outcome
    seconds_left: int  # estimated seconds still to play after the (new) position's step
    exercises_left: int  # exercises with a step still to play after it


# Commands that answer without moving: the position's step stays the one just played.
_STAY = {
    Command.TIME_LEFT: Outcome.TIME_LEFT,
    Command.STOP: Outcome.STOPPED,
    Command.DESCRIBE: Outcome.DESCRIBE,
    Command.PREVIEW: Outcome.PREVIEW,
}


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
    paused, slow = False, state.slow
    came_from = state.came_from if state.came_from in steps else None
    here = steps[index]
    if command is Command.NEXT:
        index, came_from = index + 1, here
    elif command is Command.PREVIOUS:
        # back where the runner was before the last move (the exercise they skipped), else the
        # step before this one
        earlier = came_from is not None and steps.index(came_from) < index
        before = steps.index(came_from) if came_from is not None and earlier else index - 1
        if before < 0:
            outcome = Outcome.AT_START
        index, came_from = max(before, 0), None
    elif command is Command.START_OVER:
        index, came_from = 0, here
    elif command is Command.SKIP:
        current = here.exercise
        index = next((n for n, s in enumerate(steps) if s.exercise > current), len(steps))
        came_from = here
    elif command is Command.PAUSE:
        outcome, paused = Outcome.PAUSED, True
    elif command is Command.SLOWER:
        slow = True
    elif command is Command.RESUME and not state.paused:
        # "keep going" after a step that was not paused: the step was played, so go on
        index, came_from = index + 1, here
    elif command in _STAY:
        # the preview asks "ready?" for what comes next: a yes moves on, paused or not
        outcome, paused = _STAY[command], state.paused and command is not Command.PREVIEW
    # REPEAT, SLOWER and RESUME (when paused) play the current step again.
    if index >= len(steps):
        last = PlayerState(Position.at(routine, len(steps) - 1), slow=slow)
        return Transition(last, Outcome.FINISHED, 0, 0)
    new_state = PlayerState(Position.at(routine, index), paused, slow, came_from)
    after = steps[index + 1 :]
    return Transition(
        state=new_state,
        outcome=outcome,
        seconds_left=routine.seconds_from(index + 1),
        exercises_left=len({step.exercise for step in after}),
    )
