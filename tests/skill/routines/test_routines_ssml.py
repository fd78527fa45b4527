"""Timed step SSML: within Alexa's limits, breaks never adjacent, holds and reps really timed.

The lines expected are looked up by their keys in content/speech/routine.yaml (and the cues in the
routines' content), so these tests check which line comes where, not the current wording."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipcoach.routines.loader import routines
from hipcoach.routines.model import localise
from hipcoach.routines.speech import render_step
from hipcoach.routines.timeline import Say, Silence, countdown, to_ssml_body
from hipcoach.speech.texts import Texts

US, GB = Texts("en-US"), Texts("en-GB")


def line(texts: Texts, key: str, **params: object) -> str:
    return texts.get(f"routine.{key}", **params)


BREAK = re.compile(r'<break time="(\d+)ms"/>')
MAX_AUDIO_SECONDS = 90
ALL_STEPS = [
    (locale, routine_id, index)
    for locale in ("en-US", "en-GB")
    for routine_id, routine in sorted(routines().items())
    for index in range(len(routine.steps()))
]


@pytest.mark.parametrize(("locale", "routine_id", "index"), ALL_STEPS)
def test_every_step_fits_alexa(locale, routine_id, index):
    routine = routines()[routine_id]
    speech = render_step(routine, index, Texts(locale))
    assert len(speech.ssml) < 4000
    assert speech.estimated_seconds <= MAX_AUDIO_SECONDS
    ET.fromstring(speech.ssml)  # well-formed XML
    breaks = [int(ms) for ms in BREAK.findall(speech.ssml)]
    assert breaks and all(0 < ms <= 10_000 for ms in breaks)
    assert not re.search(r"/>\s*<break", speech.ssml), "two breaks in a row"
    step = routine.steps()[index]
    exercise = routine.exercise_of(step)
    assert sum(breaks) == (exercise.work_seconds + routine.rests_after(step)) * 1000
    assert speech.final == (index == len(routine.steps()) - 1)
    assert "next" in speech.reprompt


def test_a_30_second_hold_is_chained_with_spoken_markers():
    speech = render_step(routines()["stretch"], 0, Texts("en-US"))
    body = speech.ssml
    assert line(US, "hold_start", seconds=30) in body
    halfway, ten_left, release = (line(US, k) for k in ("halfway", "ten_seconds_left", "release"))
    assert line(US, "seconds_left", seconds=20) in body
    assert body.index(halfway) < body.index(ten_left) < body.index(release)
    assert line(US, "switch_legs") in body
    assert body.rstrip("</speak>").endswith(line(US, "next_side"))


def test_first_step_of_an_exercise_gives_its_cues_and_later_steps_do_not():
    stretch = routines()["stretch"]
    texts = Texts("en-US")
    first, second = render_step(stretch, 0, texts).ssml, render_step(stretch, 1, texts).ssml
    cue = localise(stretch.exercises[0].cues[0], "en-US")
    assert cue in first and line(US, "side_first_left") in first
    assert cue not in second and line(US, "side_right") in second


def test_reps_are_counted_aloud_at_a_steady_pace():
    strength = routines()["strength"]
    index = next(i for i, s in enumerate(strength.steps()) if s.exercise == 6)  # banded raises
    speech = render_step(strength, index, Texts("en-US"))
    counted = [
        s.text for s in speech.segments if isinstance(s, Say) and re.fullmatch(r"\d+\.", s.text)
    ]
    assert counted == [f"{n}." for n in range(1, 11)]
    gaps = [
        speech.segments[i].seconds
        for i in range(len(speech.segments) - 1)
        if isinstance(speech.segments[i], Silence) and speech.segments[i + 1].text in counted
    ]
    assert gaps == [3] * 10


def test_rest_between_sets_is_timed_after_the_last_side():
    strength = routines()["strength"]
    steps = strength.steps()
    index = steps.index(
        next(s for s in steps if s.exercise == 1 and s.side.value == "right" and s.set == 1)
    )
    body = render_step(strength, index, Texts("en-US")).ssml
    assert line(US, "rest_start", seconds=20) in body and line(US, "rest_over") in body
    assert line(US, "next_set", set=2) in body


def test_multi_hold_step_times_every_hold():
    strength = routines()["strength"]
    index = next(i for i, s in enumerate(strength.steps()) if s.exercise == 7)
    speech = render_step(strength, index, Texts("en-GB"))
    assert speech.ssml.count(line(GB, "release")) == 5
    assert speech.timed_seconds == 5 * 10 + 4 * 2


def test_last_step_finishes_the_routine():
    stretch = routines()["stretch"]
    speech = render_step(stretch, len(stretch.steps()) - 1, Texts("en-GB"))
    name = localise(stretch.name, "en-GB")
    assert speech.final and line(GB, "finished", routine=name) in speech.ssml


def test_lead_lines_are_escaped():
    speech = render_step(routines()["stretch"], 0, Texts("en-US"), lead=["Tom & <Jerry>"])
    assert "Tom &amp; &lt;Jerry&gt;" in speech.ssml


def test_adjacent_silences_are_refused():
    with pytest.raises(ValueError, match="two silences"):
        to_ssml_body([Say("a"), Silence(3), Silence(4)])


@given(st.integers(min_value=1, max_value=60))
def test_countdown_adds_up_and_never_runs_silent_more_than_10_seconds(seconds):
    segments = countdown(
        seconds, marker=lambda left: f"{left} left" if left % 10 == 0 else None, finish="done"
    )
    silences = [s.seconds for s in segments if isinstance(s, Silence)]
    assert sum(silences) == seconds
    assert all(0 < s <= 10 for s in silences)
    assert all(
        isinstance(a, Silence) != isinstance(b, Silence) for a, b in itertools.pairwise(segments)
    )
    assert segments[-1] == Say("done")
