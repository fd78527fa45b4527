"""In the two modes this area adds (the launch's resume offer, the shoe question), every intent
of the model, with no slots filled, gets a real answer: never the error apology."""

from __future__ import annotations

import argparse
import json

import pytest

from hipcoach import app
from hipcoach.intent_result import NluResult
from hipcoach.speech.ssml import plain
from hipcoach.speech.texts import Texts
from hipcoach.standin.chat import Console
from hipcoach.standin.nlu import model_path

_MODEL = json.loads(model_path("en-US").read_text())["interactionModel"]["languageModel"]
INTENTS = {i["name"]: {s["name"]: s["type"] for s in i.get("slots", [])} for i in _MODEL["intents"]}


@pytest.fixture
def console(tmp_path, monkeypatch):
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "hip.db"))
    app.default_skill.cache_clear()
    yield Console(
        argparse.Namespace(locale="en-US", user="m", apl=False, endpoint=None, date="2026-11-23")
    )
    app.default_skill.cache_clear()


def _into(console: Console, mode: str) -> None:
    if mode == "resume_offer":
        for said in ("open hip coach", "start my stretches", "i'm done for today"):
            console.turn_record(said)
        console.turn_record("open hip coach")
    else:
        console.turn_record("open hip coach")
        console.turn_record("how worn are my shoes")
    assert console.conversation.session is not None
    assert console.conversation.session.attributes["mode"] == mode


@pytest.mark.parametrize("mode", ["resume_offer", "shoe_question"])
@pytest.mark.parametrize("intent", sorted(INTENTS))
def test_every_intent_gets_an_answer(console, mode, intent):
    _into(console, mode)
    slots = INTENTS[intent]
    understood = NluResult(intent, dict.fromkeys(slots), slots, 1.0, intent)
    envelope = console.conversation.intent(understood, console._timestamp())
    response = console.transport.send(envelope)
    speech = plain(response.response.output_speech.ssml)
    assert speech and Texts("en-US").get("interview.error") not in speech
