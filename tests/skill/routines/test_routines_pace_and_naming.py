"""Issue 23's routine steps: "slower" counts reps at the exercise's slow pace (still timed
exactly), a step played again names its exercise, "how do I do this" describes the step from
content, and "what's next" names what follows without moving."""

from __future__ import annotations

import pytest
import yaml

from hipcoach.content_location import CONTENT_DIR
from hipcoach.routines.loader import RoutineError, parse_routine, routines
from hipcoach.routines.model import localise
from hipcoach.routines.speech import describe, render_step, what_next
from hipcoach.routines.timeline import Silence
from hipcoach.speech.texts import Texts

US = Texts("en-US")


def _index(routine_id: str, exercise: int, set_number: int = 1, side: str | None = "left") -> int:
    steps = routines()[routine_id].steps()
    return next(
        n
        for n, s in enumerate(steps)
        if s.exercise == exercise and s.set == set_number and (s.side and s.side.value) == side
    )


def test_slower_counts_reps_at_the_slow_tempo_and_stays_exactly_timed():
    warm_up = routines()["warm_up"]
    exercise = warm_up.exercises[0]
    assert exercise.slow_tempo > exercise.tempo
    normal = render_step(warm_up, 0, US)
    slow = render_step(warm_up, 0, US, slow=True)
    gaps = {s.seconds for s in slow.segments if isinstance(s, Silence)}
    assert exercise.slow_tempo in gaps and exercise.tempo not in gaps
    reps = exercise.reps or 0
    assert slow.timed_seconds - normal.timed_seconds == reps * (
        exercise.slow_tempo - exercise.tempo
    )


def test_a_step_played_again_names_its_exercise_without_the_cues():
    stretch = routines()["stretch"]
    index = _index("stretch", 4, set_number=2)  # the inner hip stretch, set 2, left leg
    name = localise(stretch.exercises[4].name, "en-US")
    cue = localise(stretch.exercises[4].cues[0], "en-US")
    plain = render_step(stretch, index, US).ssml
    named = render_step(stretch, index, US, announce=True).ssml
    assert name not in plain
    assert name in named and cue not in named
    assert US.get("routine.set_intro", set=2, sets=3) in named


@pytest.mark.parametrize("routine_id", ["stretch", "strength", "warm_up"])
def test_how_to_do_it_comes_from_content(routine_id: str):
    routine = routines()[routine_id]
    lines = describe(routine, 0, US)
    exercise = routine.exercises[0]
    assert US.get("routine.describe_intro", name=localise(exercise.name, "en-US")) == lines[0]
    assert all(localise(cue, "en-US") in lines for cue in exercise.cues)
    assert lines[-1] == US.get(f"routine.describe_feel_{routine.kind}")


def test_whats_next_names_the_next_exercise_after_the_other_leg():
    stretch = routines()["stretch"]
    ahead = what_next(stretch, 0, US, ahead=True)
    assert localise(stretch.exercises[1].name, "en-US") in ahead and ahead.endswith("?")
    assert what_next(stretch, 0, US) == US.get("routine.next_side")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda e: e.update(slow_tempo=1), "slow_tempo"),  # slower than the normal pace only
        (lambda e: (e.pop("reps"), e.update(hold=20)), "only go with reps"),
    ],
)
def test_loader_checks_the_slow_tempo(change, message):
    data = yaml.safe_load((CONTENT_DIR / "routines" / "warm_up.yaml").read_text())
    change(data["exercises"][0])
    with pytest.raises(RoutineError, match=message):
        parse_routine(data, "warm_up.yaml")
