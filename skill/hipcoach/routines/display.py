"""The screen for a routine step (Echo Show and other APL devices): the APL document
skill/hipcoach/apl/routine.json and its data: exercise, side, a countdown for the hold, progress."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from hipcoach.routines.model import Routine, Side, localise
from hipcoach.routines.speech import StepSpeech
from hipcoach.routines.timeline import Silence, estimate_seconds
from hipcoach.speech.texts import Texts

if TYPE_CHECKING:
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

TOKEN = "hipcoach-routine"
DATASOURCE = "routine"
_SIDE_LABEL = {
    Side.LEFT: "routine.screen_side_left",
    Side.RIGHT: "routine.screen_side_right",
    None: "routine.screen_both_sides",
}


@cache
def document() -> dict[str, Any]:
    """The APL document, parsed once."""
    text = files("hipcoach").joinpath("apl/routine.json").read_text(encoding="utf-8")
    parsed: dict[str, Any] = json.loads(text)
    return parsed


def _lead_in_ms(speech: StepSpeech) -> int:
    """How long is said before the first silence: when the first hold starts."""
    before: list[Any] = []
    for segment in speech.segments:
        if isinstance(segment, Silence):
            break
        before.append(segment)
    return round(estimate_seconds(before) * 1000)


def screen_data(routine: Routine, index: int, texts: Texts, speech: StepSpeech) -> dict[str, Any]:
    """The datasource for step `index`: every field the document binds."""
    step = routine.steps()[index]
    exercise = routine.exercise_of(step)
    hold = exercise.hold or 0
    if exercise.hold and exercise.holds > 1:
        work = texts.get("routine.screen_holds", holds=exercise.holds, seconds=hold)
    elif exercise.hold:
        work = texts.get("routine.screen_hold", seconds=hold)
    else:
        work = texts.get("routine.screen_reps", reps=exercise.reps)
    number, total = step.exercise + 1, len(routine.exercises)
    set_label = texts.get("routine.screen_set", set=step.set, sets=exercise.sets)
    return {
        "title": localise(routine.name, texts.locale),
        "exerciseName": localise(exercise.name, texts.locale),
        "sideLabel": texts.get(_SIDE_LABEL[step.side]),
        "setLabel": set_label if exercise.sets > 1 else "",
        "workLabel": work,
        "progressLabel": texts.get("routine.screen_progress", number=number, total=total),
        "progressPercent": round(100 * index / len(routine.steps())),
        "holdSeconds": hold,
        "holds": exercise.holds,
        "betweenMs": exercise.between * 1000,
        "leadInMs": _lead_in_ms(speech),
    }


def directive_for(
    screen: bool, routine: Routine, index: int, texts: Texts, speech: StepSpeech
) -> RenderDocumentDirective | None:
    """The RenderDocument directive for this step, or None when the device has no APL screen."""
    if not screen:
        return None
    # Imported here: the APL models cost a cold start ~50 ms and voice-only devices never need them.
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    return RenderDocumentDirective(
        token=TOKEN,
        document=document(),
        datasources={DATASOURCE: screen_data(routine, index, texts, speech)},
    )
