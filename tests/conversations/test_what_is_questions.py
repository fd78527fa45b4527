""" "What is bursitis?", "what's runner's hip?": a runner asks what a condition is, at the menu, in
the middle of a check or after a result. The skill tells it from the condition's own description
(content/conditions.yaml, each from its seed) and says only a professional can tell whether the
runner has it; with no condition named, what runner's hip is and what causes it (seed 000). It
never starts a check, records a finding or answers about something else (before this, "what is a
labral tear" got the stretching advice). Everyday words, none a sample utterance of the model.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import pytest

from hipcoach import app
from hipcoach.medical.knowledge import knowledge
from hipcoach.standin.chat import Console
from hipcoach.standin.nlu import model_path

# (what a runner says, the condition it names, or None for runner's hip in general)
ASKED: list[tuple[str, str | None]] = [
    ("sorry what actually is bursitis", "trochanteric_bursitis"),
    ("so what's this IT band thing", "it_band_syndrome"),
    ("what does a labral tear even mean", "labral_tear"),
    ("hang on what is a stress fracture exactly", "stress_fracture"),
    ("can you tell me what tendinitis is", "iliopsoas_tendinitis"),
    ("i keep hearing about runner's hip, what is that", None),
    ("why do so many runners get hip pain", None),
    ("what's behind hip pain in runners usually", None),
]


@pytest.fixture
def chat(tmp_path, monkeypatch):
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "hip.db"))
    app.default_skill.cache_clear()

    def make(locale: str) -> Console:
        args = argparse.Namespace(
            locale=locale, user="runner", apl=False, endpoint=None, date="2026-11-20"
        )
        return Console(args)

    yield make
    app.default_skill.cache_clear()


def _samples() -> set[str]:
    found: set[str] = set()
    for locale in ("en-US", "en-GB"):
        model = json.loads(model_path(locale).read_text(encoding="utf-8"))
        for intent in model["interactionModel"]["languageModel"]["intents"]:
            found |= set(intent.get("samples", []))
    return found


def _told(turn: dict[str, Any], condition: str | None) -> bool:
    if condition is None:
        return "answer.what_is" in turn["said"]
    description = knowledge().conditions[condition].description.text
    return description in turn["speech"] and "questions.what_is_not_a_diagnosis" in turn["said"]


def test_the_questions_are_not_sample_utterances() -> None:
    assert not [said for said, _ in ASKED if said in _samples()]


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
@pytest.mark.parametrize(("said", "condition"), ASKED)
def test_at_the_menu(chat, locale, said, condition) -> None:
    console = chat(locale)
    console.turn_record("open hip coach")
    turn = console.turn_record(said)
    assert _told(turn, condition), (turn["intent"], turn["slots"], turn["said"])
    assert turn["asking"] is None and not turn["end_session"]


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_mid_check_the_question_is_answered_and_the_check_goes_on(chat, locale) -> None:
    console = chat(locale)
    console.turn_record("open hip coach")
    first = console.turn_record("my hip hurts on the outside after running")
    pending = first["asking"]
    assert pending is not None
    turn = console.turn_record(ASKED[0][0])
    assert _told(turn, ASKED[0][1]), turn["said"]
    assert turn["asking"] == pending, "the same question is asked again"


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_after_a_result_the_result_stands(chat, locale) -> None:
    console = chat(locale)
    console.turn_record("open hip coach")
    turn = console.turn_record("check my hip")
    for _ in range(40):
        if not turn["asking"]:
            break
        turn = console.turn_record("no")
    assert turn["result"], turn
    asked = console.turn_record(ASKED[2][0])
    assert _told(asked, ASKED[2][1]), asked["said"]
    session = console.conversation.session
    assert session is not None and session.attributes["mode"] in ("result", "offer_routine")
