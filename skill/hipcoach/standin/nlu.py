"""The local stand-in for Alexa's NLU: routing among the model's intents and slot filling, nothing
more.

It reads Alexa's interaction model (skill-package/interactionModels/custom/<locale>.json) and does
what Alexa does with it:
- an utterance that is exactly a sample of an intent goes to that intent (the built-in intents by
  their samples: "yes", "stop", "say that again");
- otherwise it goes to the sample with the most carrier words around a catch-all slot ("no {words}"
  before "{words}"), and the slot holds the words spoken, verbatim; a custom slot value is
  resolved (ER_SUCCESS_MATCH) only when the words are exactly one of the type's values;
- nothing said goes to AMAZON.FallbackIntent.
It holds no understanding: no negation, no synonyms, no anchors, no repairs. The skill's own
understanding (hipcoach.understanding) reads the words, the same behind Lambda, the web service
and this console. The model has no built-in slot types (docs/understanding.md); a model with one
is refused rather than filled differently from Alexa.

`parse_invocation()` tells a launch phrase ("open hip coach") from a one-shot ("ask hip coach to
start my stretches") so the chat console can send a LaunchRequest or an IntentRequest, as a device
does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

from hipcoach.intent_result import NluResult, SlotFill, SlotValue
from hipcoach.speech.locales import model_locale

SKILL_PACKAGE_DIR = Path(__file__).resolve().parents[2] / "skill-package"
FALLBACK_INTENT = "AMAZON.FallbackIntent"
DEFAULT_LOCALE = "en-US"
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")
_SLOT = re.compile(r"^\{([A-Za-z_][A-Za-z0-9_]*)\}$")


def tokens(text: str) -> tuple[str, ...]:
    """Lower-case words as Alexa's speech recognition writes them (no punctuation)."""
    return tuple(_WORD.findall(text.lower().replace("’", "'")))


@dataclass(frozen=True)
class _Sample:
    intent: str
    text: str
    before: tuple[str, ...]
    slot: str | None  # the one catch-all slot, when the sample has it
    after: tuple[str, ...]


@dataclass(frozen=True)
class AlexaModel:
    locale: str
    invocation_name: str
    intent_slots: Mapping[str, Mapping[str, str]]
    values: Mapping[str, Mapping[tuple[str, ...], SlotValue]]  # slot type -> words -> value
    samples: tuple[_Sample, ...]


def model_path(locale: str) -> Path:
    """Alexa's interaction model for a locale (the nearest locale with one: locales.yaml)."""
    return SKILL_PACKAGE_DIR / "interactionModels" / "custom" / f"{model_locale(locale)}.json"


def parse_model(data: Mapping[str, Any], locale: str) -> AlexaModel:
    language = data["interactionModel"]["languageModel"]
    values: dict[str, dict[tuple[str, ...], SlotValue]] = {}
    for slot_type in language.get("types", []):
        table: dict[tuple[str, ...], SlotValue] = {}
        for entry in slot_type.get("values", []):
            name = entry["name"]["value"]
            value = SlotValue(entry.get("id") or name, name)
            for phrase in [name, *entry["name"].get("synonyms", [])]:
                table.setdefault(tokens(phrase), value)
        values[slot_type["name"]] = table
    intent_slots: dict[str, dict[str, str]] = {}
    samples: list[_Sample] = []
    for intent in language.get("intents", []):
        slots = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        for name, slot_type in slots.items():
            if slot_type.startswith("AMAZON."):
                raise ValueError(f"{intent['name']}.{name}: the stand-in fills no built-in slot")
        intent_slots[intent["name"]] = slots
        for text in intent.get("samples", []):
            samples.append(_sample(intent["name"], text))
    return AlexaModel(
        locale, language.get("invocationName", ""), intent_slots, values, tuple(samples)
    )


def _sample(intent: str, text: str) -> _Sample:
    parts = text.split()
    at = [i for i, part in enumerate(parts) if _SLOT.match(part)]
    if len(at) > 1:
        raise ValueError(f"{intent}: {text!r} has more than one slot")
    if not at:
        return _Sample(intent, text, tokens(text), None, ())
    i = at[0]
    slot = _SLOT.match(parts[i])
    assert slot is not None
    before, after = tokens(" ".join(parts[:i])), tokens(" ".join(parts[i + 1 :]))
    return _Sample(intent, text, before, slot[1], after)


@cache
def load_model(locale: str = DEFAULT_LOCALE) -> AlexaModel:
    path = model_path(locale)
    return parse_model(json.loads(path.read_text(encoding="utf-8")), model_locale(locale))


class Nlu:
    """Routes typed utterances among one locale's intents, as Alexa would."""

    def __init__(self, locale: str = DEFAULT_LOCALE, *, model: AlexaModel | None = None) -> None:
        self.model = model or load_model(locale)
        self.locale = self.model.locale

    def resolve(self, utterance: str, today: date | None = None) -> NluResult:
        """The intent and slots Alexa sends for these words (`today` is unused: no date slots)."""
        del today
        words = tokens(utterance)
        best: tuple[int, _Sample, tuple[str, ...]] | None = None
        for sample in self.model.samples:
            if sample.slot is None:
                if words and words == sample.before:
                    return self._result(sample, {}, utterance)
                continue
            n, m = len(sample.before), len(sample.after)
            if len(words) <= n + m or words[:n] != sample.before:
                continue
            if m and words[-m:] != sample.after:
                continue
            if best is None or n + m > best[0]:
                best = (n + m, sample, words[n : len(words) - m])
        if best is None:
            return NluResult(FALLBACK_INTENT, {}, {}, 0.0, utterance)
        _, sample, heard = best
        assert sample.slot is not None
        slot_type = self.model.intent_slots[sample.intent][sample.slot]
        value = self.model.values.get(slot_type, {}).get(heard)
        fill = SlotFill(" ".join(heard), slot_type, value)
        return self._result(sample, {sample.slot: fill}, utterance)

    def _result(self, sample: _Sample, fills: Mapping[str, SlotFill], utterance: str) -> NluResult:
        slot_types = dict(self.model.intent_slots.get(sample.intent, {}))
        slots = {name: fills.get(name) for name in slot_types}
        return NluResult(sample.intent, slots, slot_types, 1.0, utterance, sample.text)


@cache
def _nlu(locale: str) -> Nlu:
    return Nlu(locale)


def resolve(utterance: str, locale: str = DEFAULT_LOCALE, today: date | None = None) -> NluResult:
    """Module-level shortcut: `Nlu(locale).resolve(utterance)` with a cached Nlu."""
    return _nlu(model_locale(locale)).resolve(utterance, today)


@dataclass(frozen=True)
class Invocation:
    """An utterance that addresses the skill by name: a launch, or a one-shot with its request."""

    kind: Literal["launch", "one_shot"]
    request: str = ""


_NAME = r"(?:the\s+)?hip\s*coach"
_LAUNCH_VERBS = (
    r"(?:please\s+)?(?:open(?:\s+up)?|launch|start(?:\s+up)?|begin|load|run|play|use|fire\s+up|"
    r"talk\s+to|speak\s+to|go\s+to)"
)


def parse_invocation(utterance: str, invocation_name: str = "hip coach") -> Invocation | None:
    """Whether an utterance opens the skill ("open hip coach" -> launch) or asks it something
    in one go ("ask hip coach to start my stretches" -> one_shot "start my stretches")."""
    name = (
        _NAME
        if invocation_name == "hip coach"
        else r"(?:the\s+)?"
        + r"\s*".join(re.escape(word) for word in invocation_name.lower().split())
    )
    text = " ".join(re.sub(r"[^a-z0-9' ]+", " ", utterance.lower().replace("’", "'")).split())
    text = re.sub(r"^(?:hey\s+|ok\s+)?alexa\s+", "", text)
    if re.fullmatch(rf"(?:{_LAUNCH_VERBS}\s+)?{name}(?:\s+(?:skill|please|now))*", text):
        return Invocation("launch")
    connective = r"(?:(?:to|for|about|that|if|whether|and)\s+)?"
    patterns = (
        rf"(?:please\s+)?(?:ask|tell|have)\s+{name}\s+{connective}(?P<rest>.+)",
        rf"{_LAUNCH_VERBS}\s+{name}\s+(?:and|to|for|about)\s+(?P<rest>.+)",
        rf"(?P<rest>.+?)\s+(?:using|with|on|from|in|via)\s+{name}",
    )
    for pattern in patterns:
        match = re.fullmatch(pattern, text)
        if match:
            rest = match.group("rest").strip()
            if re.fullmatch(r"(?:please|now)?", rest):
                return Invocation("launch")
            return Invocation("one_shot", rest)
    if re.fullmatch(rf"(?:please\s+)?(?:ask|tell)\s+{name}", text):
        return Invocation("launch")
    return None
