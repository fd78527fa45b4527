"""Routines as data: a routine is a list of exercises; playing it walks a flat list of steps.

A step is one side of one set of one exercise: the unit that one Alexa response times out loud.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

# Rough length of what is spoken around the timed part of a step (intro, side, prompts), and of an
# exercise's cues the first time it is met. Used for "how long left" and for content limits.
STEP_SPEECH_SECONDS = 8
CUES_SPEECH_SECONDS = 12

Localised = str | Mapping[str, str]


def localise(value: Localised, locale: str, default_locale: str = "en-US") -> str:
    """One locale's wording of a text that is either plain or a {locale: text} mapping."""
    if isinstance(value, str):
        return value
    return value.get(locale) or value[default_locale]


class Sides(StrEnum):
    """How an exercise treats the legs."""

    BOTH = "both"  # one leg, then the other: a step per side
    ALTERNATING = "alternating"  # the legs alternate within each rep: one step per set
    NONE = "none"  # both legs together


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"


@dataclass(frozen=True)
class Exercise:
    id: str
    name: Localised
    source: str
    cues: tuple[Localised, ...]
    sides: Sides = Sides.BOTH
    hold: int | None = None  # seconds per hold (a timed exercise) ...
    holds: int = 1  # ... and holds per set, with `between` seconds of relaxing between them
    between: int = 0
    reps: int | None = None  # or counted reps ...
    tempo: int = 3  # ... at one every `tempo` seconds
    slow_tempo: int = 3  # ... or every `slow_tempo` seconds once the runner asked to go slower
    sets: int = 1
    rest: int = 0  # seconds of rest after a set when another follows

    @property
    def side_order(self) -> tuple[Side | None, ...]:
        return (Side.LEFT, Side.RIGHT) if self.sides is Sides.BOTH else (None,)

    @property
    def work_seconds(self) -> int:
        """Seconds timed aloud for one side of one set (holds or counted reps)."""
        if self.hold is not None:
            return self.hold * self.holds + self.between * (self.holds - 1)
        return (self.reps or 0) * self.tempo


@dataclass(frozen=True)
class Step:
    """A position inside a routine: which exercise (index), which side, which set (from 1)."""

    exercise: int
    side: Side | None
    set: int


@dataclass(frozen=True)
class Routine:
    id: str
    name: Localised
    kind: str
    source: str
    exercises: tuple[Exercise, ...]

    def steps(self) -> tuple[Step, ...]:
        """Every step in playing order: per exercise, per set, per side."""
        return self._steps

    @cached_property
    def _steps(self) -> tuple[Step, ...]:  # a routine is frozen: its steps are worked out once
        return tuple(
            Step(index, side, set_number)
            for index, exercise in enumerate(self.exercises)
            for set_number in range(1, exercise.sets + 1)
            for side in exercise.side_order
        )

    def index_of(self, step: Step) -> int:
        """The step's place in `steps()`; ValueError for a step this routine does not have."""
        return self.steps().index(step)

    def exercise_of(self, step: Step) -> Exercise:
        return self.exercises[step.exercise]

    def rests_after(self, step: Step) -> int:
        """Rest timed at the end of this step: after a set's last side, if another set follows."""
        exercise = self.exercise_of(step)
        last_side = step.side == exercise.side_order[-1]
        return exercise.rest if last_side and step.set < exercise.sets else 0

    def estimated_seconds(self, step: Step) -> int:
        """How long one step takes to play, speech included (an estimate)."""
        exercise = self.exercise_of(step)
        first = step.set == 1 and step.side == exercise.side_order[0]
        cues = CUES_SPEECH_SECONDS if first else 0
        return exercise.work_seconds + self.rests_after(step) + STEP_SPEECH_SECONDS + cues

    def seconds_from(self, index: int) -> int:
        """Estimated seconds to play from step `index` (included) to the end."""
        return sum(self.estimated_seconds(step) for step in self.steps()[index:])

    def total_seconds(self) -> int:
        return self.seconds_from(0)
