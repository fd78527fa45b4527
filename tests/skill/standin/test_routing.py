"""The stand-in for Alexa routes and fills slots only: what Alexa does, nothing the skill reads.

It imports nothing of the skill's understanding, dialog or handlers; every utterance that is not a
built-in intent's own sample reaches the skill verbatim in the catch-all slot; a launch phrase is
told from a one-shot as a device does."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from hipcoach.standin import nlu as standin
from hipcoach.standin.nlu import FALLBACK_INTENT, Invocation, Nlu, parse_invocation

STANDIN = Path(standin.__file__).resolve().parent
LOCALES = ("en-US", "en-GB")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_the_standin_imports_no_understanding() -> None:
    """Not the understanding, the dialog, the handlers, nor the words parsers they share."""
    forbidden = ("hipcoach.understanding", "hipcoach.dialog", "hipcoach.handlers")
    for module in ("nlu.py", "envelopes.py"):
        imported = _imports(STANDIN / module)
        assert not [m for m in imported if m.startswith(forbidden)], (module, imported)


def _model(locale: str) -> dict:
    return json.loads(standin.model_path(locale).read_text())["interactionModel"]["languageModel"]


@pytest.mark.parametrize("locale", LOCALES)
def test_built_in_samples_route_to_their_intent(locale: str) -> None:
    nlu = Nlu(locale)
    for intent in _model(locale)["intents"]:
        if not intent["name"].startswith("AMAZON."):
            continue
        for sample in intent["samples"]:
            assert nlu.resolve(sample).intent == intent["name"], sample


@pytest.mark.parametrize(
    "said",
    [
        "no fever or swelling, nothing like that",
        "it hurts on the outside, no wait, it's more at the front",
        "is running downhill bad for my hip",
        "I'm 65",
        "bursitus",
        "the pain is like a nine",
        "since Saturday",
        "yes i can",
        "not really",
    ],
)
def test_other_words_arrive_verbatim_in_the_catch_all(said: str) -> None:
    heard = Nlu("en-US").resolve(said)
    (fill,) = [f for f in heard.slots.values() if f is not None]
    carrier = {"UtteranceIntent": (), "AnswerYesIntent": ("yes",), "AnswerNoIntent": ("no",)}
    assert heard.intent in carrier
    assert (*carrier[heard.intent], *fill.value.split()) == standin.tokens(said)


def test_a_leading_yes_or_no_keeps_the_words_after_it() -> None:
    heard = Nlu("en-US").resolve("no, it stays in the groin")
    assert heard.intent == "AnswerNoIntent"
    assert heard.slot_ids() == {"words": "it stays in the groin"}
    assert Nlu("en-US").resolve("no").intent == "AMAZON.NoIntent"


def test_nothing_said_is_the_fallback() -> None:
    assert Nlu("en-US").resolve("").intent == FALLBACK_INTENT


def test_the_model_has_no_built_in_slot_the_standin_would_fill_differently() -> None:
    for locale in LOCALES:
        for intent in _model(locale)["intents"]:
            for slot in intent.get("slots", []):
                assert not slot["type"].startswith("AMAZON."), intent["name"]


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("open hip coach", Invocation("launch")),
        ("Alexa, open Hip Coach", Invocation("launch")),
        ("launch hip coach", Invocation("launch")),
        ("start hip coach", Invocation("launch")),
        ("talk to hip coach", Invocation("launch")),
        ("hip coach", Invocation("launch")),
        ("ask hip coach", Invocation("launch")),
        ("ask hip coach to start my stretches", Invocation("one_shot", "start my stretches")),
        (
            "Alexa, ask hip coach how much can I add to my mileage",
            Invocation("one_shot", "how much can i add to my mileage"),
        ),
        ("tell hip coach I got new shoes", Invocation("one_shot", "i got new shoes")),
        ("open hip coach and check my hip", Invocation("one_shot", "check my hip")),
        ("ask hip coach for help", Invocation("one_shot", "help")),
        ("check my hip with hip coach", Invocation("one_shot", "check my hip")),
        ("it's on the outside", None),
        ("open the pod bay doors", None),
    ],
)
def test_parse_invocation(said: str, expected: Invocation | None) -> None:
    assert parse_invocation(said) == expected


def test_a_one_shot_arrives_as_words() -> None:
    invocation = parse_invocation("ask hip coach to start my stretches")
    assert invocation is not None and invocation.kind == "one_shot"
    assert Nlu("en-US").resolve(invocation.request).slot_ids() == {"words": "start my stretches"}
