"""The prompt's own words always work: every option a question names, said back as a runner
would, in each locale, resolves (through the generated model and the local NLU) to its value."""

from __future__ import annotations

from datetime import date

import pytest

from hipcoach.app import slot_value
from hipcoach.dialog.answers import read_answer
from hipcoach.dialog.turn import Said
from hipcoach.medical.knowledge import knowledge
from hipcoach.standin.envelopes import build_slot
from hipcoach.understanding.matcher import Nlu

TODAY = date(2026, 11, 20)
# question -> [(words the prompt names, what answering with them records)]; `named` must appear
# in the prompt (checked), `say` is how a runner echoes it.
OPTIONS: dict[str, list[tuple[str, str, dict[str, object]]]] = {
    "emergency_screen": [
        ("a fall", "yes a fall", {"after_fall_or_injury": True}),
        ("put weight on the leg", "i can't put weight on the leg", {"cannot_bear_weight": True}),
        ("move it", "i can't move it", {"cannot_move_leg": True}),
        ("look out of place", "it looks out of place", {"hip_deformed": True}),
    ],
    "urgent_screen": [
        ("intense pain", "intense pain", {"urgent_screen": True}),
        ("sudden swelling", "sudden swelling", {"sudden_swelling": True}),
        ("numbness", "numbness", {"numbness_or_tingling": True}),
        ("chills", "chills", {"fever_or_chills": True}),
        (
            "sharp pain whenever you put weight on it",
            "sharp pain whenever i put weight on it",
            {"pain_on_weight_bearing": True},
        ),
    ],
    "concern_screen": [
        ("wakes you at night", "it wakes me at night", {"night_pain": True}),
        ("getting worse", "it's getting worse", {"worsening": True}),
        ("rest doesn't help", "rest doesn't help", {"eases_with_rest": False}),
        ("keeps coming back", "it keeps coming back", {"recurrent": True}),
        ("gives way", "it gives way", {"giving_way": True}),
        ("weakens the leg", "my leg feels weak", {"leg_weakness": True}),
    ],
    "pain_location": [
        ("outside of the hip", "the outside of the hip", {"pain_location": "outer_hip"}),
        ("front of the hip", "the front of the hip", {"pain_location": "front_hip"}),
        ("groin", "the groin", {"pain_location": "groin"}),
        ("deep inside the joint", "deep inside the joint", {"pain_location": "deep_joint"}),
    ],
    "pain_radiates": [
        ("down the thigh", "down the thigh", {"pain_radiates": "thigh_or_knee"}),
        ("into the lower back", "into the lower back", {"pain_radiates": "lower_back"}),
        ("nowhere", "nowhere", {"pain_radiates": "none"}),
    ],
    "pain_timing": [
        ("during the run", "during the run", {"pain_timing": "during_run"}),
        ("at rest", "even at rest", {"pain_timing": "at_rest"}),
    ],
    "pain_quality": [
        ("a dull ache", "a dull ache", {"pain_quality": "dull_ache"}),
        ("a sharp pain", "a sharp pain", {"pain_quality": "sharp"}),
        ("burning", "burning", {"pain_quality": "burning"}),
    ],
    "onset": [
        ("suddenly", "suddenly", {"onset": "sudden"}),
        ("gradually", "gradually", {"onset": "gradual"}),
    ],
}
LOCAL_WORDS: dict[tuple[str, str], list[tuple[str, str, dict[str, object]]]] = {
    ("en-GB", "pain_location"): [("bottom", "my bottom", {"pain_location": "buttock"})],
    ("en-US", "pain_location"): [("buttock", "the buttock", {"pain_location": "buttock"})],
    ("en-GB", "pain_radiates"): [
        ("towards the knee", "towards the knee", {"pain_radiates": "thigh_or_knee"})
    ],
    ("en-US", "pain_radiates"): [
        ("toward the knee", "toward the knee", {"pain_radiates": "thigh_or_knee"})
    ],
    ("en-GB", "urgent_screen"): [
        ("pins and needles", "pins and needles", {"numbness_or_tingling": True}),
        ("a temperature", "a temperature", {"fever_or_chills": True}),
    ],
    ("en-US", "urgent_screen"): [("a fever", "a fever", {"fever_or_chills": True})],
}
CASES = [
    (locale, question, named, say, expected)
    for locale in ("en-US", "en-GB")
    for question, options in OPTIONS.items()
    for named, say, expected in [*options, *LOCAL_WORDS.get((locale, question), [])]
]


def _request(nlu: Nlu, utterance: str) -> Said:
    result = nlu.resolve(utterance, TODAY)
    slots = {name: build_slot(name, fill) for name, fill in result.slots.items()}
    return Said(result.intent, {n: slot_value(s) for n, s in slots.items()})


@pytest.mark.parametrize(("locale", "question", "named", "say", "expected"), CASES)
def test_every_named_option_resolves(locale, question, named, say, expected) -> None:
    asked = knowledge().questions[question]
    assert named.lower() in asked.text(locale).lower()
    reading = read_answer(asked, _request(Nlu(locale), say), TODAY)
    recorded = dict(reading.volunteered)
    if reading.kind == "value":
        recorded[question] = reading.value
    assert reading.kind in ("value", "partial"), (say, reading)
    for finding, value in expected.items():
        assert recorded.get(finding) == value, (say, recorded)


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_questions_are_short(locale) -> None:
    for question in knowledge().questions.values():
        assert len(question.text(locale).split()) <= 30, question.finding
        # the second time it is asked: shorter, naming the options
        assert len(question.reprompt_text(locale).split()) < len(question.text(locale).split())
