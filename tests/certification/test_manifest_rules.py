"""Certification's manifest rules, on the tracked skill package: every example phrase is a sample
utterance of its own locale (as Alexa would hear it), the phrases and the description follow the
publishing rules, the health-skill disclaimer and emergency number are in every description, and
the icons are PNGs of the sizes Amazon asks for."""

from __future__ import annotations

import json
import re
import struct
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from hipcoach.speech.locales import policy

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "skill" / "skill-package"
MANIFEST = json.loads((PACKAGE / "skill.json").read_text(encoding="utf-8"))["manifest"]
LOCALES = sorted(MANIFEST["publishingInformation"]["locales"])
# Alexa's launch and one-shot forms: "open <invocation>", "ask <invocation> [to|for|...] <sample>".
LAUNCH_VERBS = ("open", "start", "launch", "begin", "load", "play", "talk to", "use")
ONE_SHOT_VERBS = ("ask", "tell", "open", "launch", "start", "use", "load", "begin")
CONNECTORS = ("to", "for", "about", "that", "if", "whether", "and")


def model(locale: str) -> dict[str, Any]:
    path = PACKAGE / "interactionModels" / "custom" / f"{locale}.json"
    language: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))["interactionModel"][
        "languageModel"
    ]
    return language


def words(text: str) -> str:
    """As Alexa hears it: lower case, no punctuation but the apostrophes inside words."""
    text = re.sub(r"[^\w\s']", " ", text.lower())
    return " ".join(text.split())


Piece = str | frozenset[str] | None  # a word; a custom slot's values; a built-in slot (any words)
MAX_SLOT_WORDS = 6


@cache
def samples(locale: str) -> list[tuple[str, tuple[Piece, ...]]]:
    """(intent, pieces) for every sample: its words, and its slots as what each accepts (a custom
    slot its values and synonyms, a built-in slot (AMAZON.*) a few words)."""
    language = model(locale)
    values: dict[str, frozenset[str]] = {}
    for slot_type in language.get("types", []):
        names = []
        for value in slot_type["values"]:
            names += [value["name"]["value"], *value["name"].get("synonyms", [])]
        values[slot_type["name"]] = frozenset(words(n) for n in names)
    found = []
    for intent in language["intents"]:
        slot_types = {s["name"]: s["type"] for s in intent.get("slots", [])}
        for sample in intent.get("samples", []):
            pieces: list[Piece] = []
            for number, part in enumerate(re.split(r"\{(\w+)\}", sample)):
                if number % 2 == 0:
                    pieces += words(part).split()
                else:
                    pieces.append(values.get(slot_types[part]))
            found.append((intent["name"], tuple(pieces)))
    return found


def matches(pieces: tuple[Piece, ...], heard: tuple[str, ...]) -> bool:
    """Whether the words `heard` are what this sample accepts, slot values included."""
    if not pieces:
        return not heard
    first, rest = pieces[0], pieces[1:]
    if isinstance(first, str):
        return bool(heard) and heard[0] == first and matches(rest, heard[1:])
    for size in range(1, min(MAX_SLOT_WORDS, len(heard)) + 1):
        value = " ".join(heard[:size])
        if (first is None or value in first) and matches(rest, heard[size:]):
            return True
    return False


def utterance_of(phrase: str, invocation: str) -> str | None:
    """The sample part of an example phrase; None for the launch form ("Alexa, open hip coach")."""
    heard = words(phrase)
    assert heard.startswith("alexa "), phrase
    rest = heard.removeprefix("alexa ")
    for verb in LAUNCH_VERBS:
        if rest == f"{verb} {invocation}":
            return None
    for verb in ONE_SHOT_VERBS:
        lead = f"{verb} {invocation} "
        if rest.startswith(lead):
            request = rest.removeprefix(lead)
            first, _, remainder = request.partition(" ")
            return remainder if first in CONNECTORS and remainder else request
    raise AssertionError(f"{phrase!r} names neither a launch nor a one-shot of {invocation!r}")


def intent_for(locale: str, utterance: str) -> str | None:
    heard = tuple(utterance.split())
    for intent, pieces in samples(locale):
        if matches(pieces, heard):
            return intent
    return None


@pytest.mark.parametrize("locale", LOCALES)
def test_every_example_phrase_is_a_sample_utterance_of_its_locale(locale):
    info = MANIFEST["publishingInformation"]["locales"][locale]
    invocation = model(locale)["invocationName"]
    phrases = info["examplePhrases"]
    assert 1 <= len(phrases) <= 3
    assert utterance_of(phrases[0], invocation) is None, "the first phrase launches the skill"
    for phrase in phrases[1:]:
        utterance = utterance_of(phrase, invocation)
        assert utterance, phrase
        assert intent_for(locale, utterance), f"{locale}: {phrase!r} is not a sample utterance"


def test_the_matcher_refuses_what_is_not_a_sample():
    """The check can fail: the en-GB phrase the deployer found, and words outside a slot's values."""
    assert intent_for("en-GB", "how much i can add to my mileage") is None
    assert intent_for("en-GB", "start my stretches") == "UtteranceIntent"
    assert intent_for("en-US", "how much can i add to my spaceship") is None


@pytest.mark.parametrize("locale", LOCALES)
def test_the_description_carries_the_health_disclaimer_and_the_emergency_number(locale):
    info = MANIFEST["publishingInformation"]["locales"][locale]
    description = " ".join(info["description"].split())
    assert "not medical advice" in description
    assert "not a substitute for professional care" in description
    assert f"call {policy(locale).emergency_number}" in description
    assert len(info["summary"]) <= 160 and len(description) <= 4000
    assert "alexa" not in info["name"].lower()  # policy 1a: no "Alexa" in the skill's name
    assert MANIFEST["publishingInformation"]["category"] == "HEALTH_AND_FITNESS"


def test_distribution_matches_the_locales():
    countries = set(MANIFEST["publishingInformation"]["distributionCountries"])
    assert countries == {locale.split("-")[1] for locale in LOCALES}


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("locale", LOCALES)
def test_the_icons_ship_in_the_package_at_amazons_sizes(locale):
    info = MANIFEST["publishingInformation"]["locales"][locale]
    for field, size in (("smallIconUri", 108), ("largeIconUri", 512)):
        uri = info[field]
        assert uri.startswith("file://assets/images/"), uri
        assert png_size(PACKAGE / uri.removeprefix("file://")) == (size, size)


def test_the_privacy_answers_match_what_is_kept():
    """docs/deploying.md argues each answer; lambda/check_package.py enforces the two that
    matter for a health skill."""
    compliance = MANIFEST["privacyAndCompliance"]
    assert compliance["usesPersonalInfo"] is True  # a record per runner, kept across days
    assert compliance["usesHealthInfo"] is False  # not a HIPAA CE or BA; Amazon processes no PHI
    assert compliance["isChildDirected"] is False
    assert compliance["allowsPurchases"] is False and compliance["containsAds"] is False
    assert "locales" not in compliance  # the URLs are the deployment's (lambda/skill_package.py)
