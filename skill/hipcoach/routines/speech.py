"""Render one step of a routine as timed SSML (and the reprompt that asks for "next").

Alexa cannot carry on by itself: without the AudioPlayer interface a skill speaks one response and
then waits for the user, so every step ends by asking the runner to say "next". Within a step the
holds, rests and reps are really timed: silences of at most 10 s, each followed by something said
("twenty seconds left", "halfway", a count), so that the audio lasts as long as the exercise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hipcoach.routines.model import Exercise, Routine, Side, Sides, localise
from hipcoach.routines.timeline import (
    Say,
    Segment,
    Silence,
    countdown,
    estimate_seconds,
    silence_seconds,
    to_ssml_body,
)
from hipcoach.speech import ssml
from hipcoach.speech.texts import Texts


@dataclass(frozen=True)
class StepSpeech:
    ssml: str
    reprompt: str  # SSML
    segments: tuple[Segment, ...]
    timed_seconds: int  # the silences: holds, rests and reps as timed
    estimated_seconds: float  # the whole audio, speech included (an estimate)
    final: bool  # the last step: the routine is done after it


def _hold_marker(texts: Texts, seconds: int) -> Callable[[int], str | None]:
    def marker(left: int) -> str | None:
        if left == 10 and seconds > 10:
            return texts.get("routine.ten_seconds_left")
        if seconds >= 20 and left == seconds // 2:
            return texts.get("routine.halfway")
        if left % 10 == 0:
            return texts.get("routine.seconds_left", seconds=left)
        if seconds > 10 and left <= 3:
            return texts.get("routine.count", number=left)
        return None

    return marker


def _rest_marker(texts: Texts, seconds: int) -> Callable[[int], str | None]:
    def marker(left: int) -> str | None:
        if left == 10 and seconds > 10:
            return texts.get("routine.ten_seconds_left")
        if left % 10 == 0:
            return texts.get("routine.seconds_left", seconds=left)
        return None

    return marker


def _hold(exercise: Exercise, texts: Texts) -> list[Segment]:
    seconds = exercise.hold or 0
    marker = _hold_marker(texts, seconds)
    release = texts.get("routine.release")
    if exercise.holds == 1:
        opening = Say(texts.get("routine.hold_start", seconds=seconds))
        return [opening, *countdown(seconds, marker=marker, finish=release)]
    segments: list[Segment] = []
    for number in range(1, exercise.holds + 1):
        if number > 1:
            segments.append(Silence(exercise.between))
        key = "routine.hold_first" if number == 1 else "routine.hold_number"
        line = texts.get(key, number=number, total=exercise.holds, seconds=seconds)
        segments.append(Say(line))
        segments.extend(countdown(seconds, marker=marker, finish=release))
    return segments


def _reps(exercise: Exercise, texts: Texts, slow: bool) -> list[Segment]:
    reps = exercise.reps or 0
    alternating = exercise.sides is Sides.ALTERNATING
    key = "routine.reps_alternating" if alternating else "routine.reps_start"
    segments: list[Segment] = [Say(texts.get(key, reps=reps))]
    tempo = exercise.slow_tempo if slow else exercise.tempo
    for number in range(1, reps + 1):
        segments += [Silence(tempo), Say(texts.get("routine.count", number=number))]
    segments.append(Say(texts.get("routine.reps_done")))
    return segments


def _rest(seconds: int, texts: Texts) -> list[Segment]:
    marker = _rest_marker(texts, seconds)
    finish = texts.get("routine.rest_over")
    opening = Say(texts.get("routine.rest_start", seconds=seconds))
    return [opening, *countdown(seconds, marker=marker, finish=finish)]


def what_next(routine: Routine, index: int, texts: Texts, *, ahead: bool = False) -> str:
    """What follows step `index`: the next exercise, the other leg or the next set (a question:
    "yes" moves on), or the routine's end. `ahead` also names the next exercise when the same
    one goes on ("what's next": the other leg, and after this exercise, pigeon pose)."""
    steps = routine.steps()
    if index + 1 >= len(steps):
        return texts.get("routine.finished", routine=localise(routine.name, texts.locale))
    here, there = steps[index], steps[index + 1]
    if there.exercise != here.exercise:
        name = localise(routine.exercises[there.exercise].name, texts.locale)
        return texts.get("routine.next_exercise", name=name)
    after = next((s.exercise for s in steps[index + 1 :] if s.exercise != here.exercise), None)
    if not ahead or after is None:
        if there.set == here.set:
            return texts.get("routine.next_side")
        return texts.get("routine.next_set", set=there.set)
    name = localise(routine.exercises[after].name, texts.locale)
    if there.set == here.set:
        return texts.get("routine.next_side_then", name=name)
    return texts.get("routine.next_set_then", set=there.set, name=name)


def _where(routine: Routine, index: int, texts: Texts, first: bool) -> list[Say]:
    """The step's set and side ("Set 2 of 3. Left leg.")."""
    step = routine.steps()[index]
    exercise = routine.exercise_of(step)
    segments: list[Say] = []
    if exercise.sets > 1:
        segments.append(Say(texts.get("routine.set_intro", set=step.set, sets=exercise.sets)))
    if step.side is Side.LEFT:
        segments.append(Say(texts.get("routine.side_first_left" if first else "routine.side_left")))
    elif step.side is Side.RIGHT:
        segments.append(Say(texts.get("routine.side_right")))
    return segments


def _intro(routine: Routine, index: int, texts: Texts) -> Say:
    step = routine.steps()[index]
    name = localise(routine.exercise_of(step).name, texts.locale)
    number, total = step.exercise + 1, len(routine.exercises)
    return Say(texts.get("routine.exercise_intro", number=number, total=total, name=name))


def step_segments(
    routine: Routine, index: int, texts: Texts, *, announce: bool = False, slow: bool = False
) -> list[Segment]:
    """Everything said and timed in step `index` of `routine`. The exercise is named (with its
    cues) on its first step, and named on any other when `announce` (a resume, a repeat, a step
    back: the runner may not remember where they were)."""
    step = routine.steps()[index]
    exercise = routine.exercise_of(step)
    first = step.set == 1 and step.side == exercise.side_order[0]
    segments: list[Segment] = []
    if first or announce:
        segments.append(_intro(routine, index, texts))
    if first:
        segments.extend(Say(localise(cue, texts.locale)) for cue in exercise.cues)
    segments.extend(_where(routine, index, texts, first))
    segments.extend(_hold(exercise, texts) if exercise.hold else _reps(exercise, texts, slow))
    if step.side is Side.LEFT:
        segments.append(Say(texts.get("routine.switch_legs")))
    rest = routine.rests_after(step)
    if rest:
        segments.extend(_rest(rest, texts))
    segments.append(Say(what_next(routine, index, texts)))
    return segments


def describe(routine: Routine, index: int, texts: Texts) -> list[str]:
    """How to do step `index` ("what am I supposed to be doing"): the exercise, its set and side,
    its cues, what it asks for (holds or reps) and how it should feel."""
    step = routine.steps()[index]
    exercise = routine.exercise_of(step)
    name = localise(exercise.name, texts.locale)
    lines = [texts.get("routine.describe_intro", name=name)]
    lines += [segment.text for segment in _where(routine, index, texts, first=False)]
    lines += [localise(cue, texts.locale) for cue in exercise.cues]
    if exercise.hold:
        lines.append(
            texts.get("routine.describe_hold", seconds=exercise.hold)
            if exercise.holds == 1
            else texts.get("routine.describe_holds", holds=exercise.holds, seconds=exercise.hold)
        )
    else:
        lines.append(texts.get("routine.describe_reps", reps=exercise.reps))
    lines.append(texts.get(f"routine.describe_feel_{routine.kind}"))
    return lines


def render_step(
    routine: Routine,
    index: int,
    texts: Texts,
    *,
    lead: Sequence[str] = (),
    announce: bool = False,
    slow: bool = False,
) -> StepSpeech:
    """The response for step `index`, after any `lead` lines (plain text, e.g. a welcome)."""
    segments = [Say(line) for line in lead] + step_segments(
        routine, index, texts, announce=announce, slow=slow
    )
    return StepSpeech(
        ssml=ssml.speak(to_ssml_body(segments)),
        reprompt=ssml.speak(ssml.text(texts.get("routine.reprompt"))),
        segments=tuple(segments),
        timed_seconds=silence_seconds(segments),
        estimated_seconds=estimate_seconds(segments),
        final=index + 1 >= len(routine.steps()),
    )
