"""What `understand()` takes and gives: plain data, no ask-sdk.

The act vocabulary is the internal intents the handlers dispatch on (the catalogue's intents:
LocationIntent -> act "Location", AMAZON.YesIntent -> "Yes", TellFindingsIntent ->
"TellFindings"), plus acts of its own: QuestionUnanswerable (a question the seeds cannot answer),
CannotDo (a request the skill cannot carry out: reminders, timers), and the built-ins Repeat, Help,
Stop. A correction ("no wait, it's more at the front") is the act of what it replaces the earlier
words with, marked `corrected`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

QUESTION_UNANSWERABLE = "QuestionUnanswerable"
CANNOT_DO = "CannotDo"
THANKED = "Thanked"  # thanks said to close ("okay, thanks"): nothing asked, nothing answered
STRETCH_FELT = "StretchFelt"  # in a routine: "it's a good stretch", "I can feel it pulling"
CANNOT_DO_SLOT = "request"  # CannotDo's slot: the kind asked for (triggers.yaml `cannot_do`)
FALLBACK_INTENT = "AMAZON.FallbackIntent"

Polarity = Literal["affirmed", "negated"]
Certainty = Literal["certain", "uncertain"]


@dataclass(frozen=True)
class Context:
    """What the skill knows when the words arrive."""

    today: date
    locale: str = "en-US"
    mode: str | None = None  # the dialog mode (hipcoach.dialog.state.Mode's value)
    asking: str | None = None  # the pending question's finding id
    expects: tuple[str, ...] = ()  # the internal intents the pending question takes, first first


@dataclass(frozen=True)
class SlotValue:
    """A slot as the handlers read it: the words heard, their type, and the value id."""

    value: str
    slot_type: str
    id: str | None = None  # a custom type's value id; None for built-in types (value is it)


@dataclass(frozen=True)
class SaidFinding:
    """A finding the runner said, with what ConText made of it."""

    finding: str
    value: str  # the catalogue's value id after `=` ("true", "groin")
    polarity: Polarity = "affirmed"
    certainty: Certainty = "certain"
    words: str = ""


@dataclass(frozen=True)
class Understanding:
    """What the runner did (`act`, and `intent`: the internal intent the handlers dispatch on
    today), with its slots as value ids and every finding said."""

    act: str
    intent: str
    slots: Mapping[str, SlotValue] = field(default_factory=dict)
    findings: tuple[SaidFinding, ...] = ()
    corrected: bool = False
    words: str = ""
    confidence: float = 0.0
    # the whole of a list denied ("no, none of those, I can walk fine"): a screen's every item
    denies_all: bool = False
    # a question asked after the answer in one breath ("no, none of them, can I take ibuprofen?"):
    # what the question part alone is understood as, so neither part is dropped
    then: Understanding | None = None

    @property
    def understood(self) -> bool:
        return self.intent != FALLBACK_INTENT or self.act in (
            QUESTION_UNANSWERABLE,
            CANNOT_DO,
            THANKED,
            STRETCH_FELT,
        )

    def slot_ids(self) -> dict[str, str]:
        return {name: slot.id or slot.value for name, slot in self.slots.items()}

    def values(self, warning_signs: Collection[str] = ()) -> dict[str, bool | int | str]:
        """Every finding said, as the interview records it: a negated yes/no finding is false, a
        negated value with no opposite is dropped, a finding said with two values is dropped
        (a wrong value is worse than none; a correction has already kept only its later one).
        A warning sign said both ways in one breath is kept as said: it can only raise urgency
        ("no, I couldn't, I can't put any weight on it, I'm hopping")."""
        found: dict[str, bool | int | str] = {}
        clashing: set[str] = set()
        for said in self.findings:
            value = _value(said.value)
            if said.polarity == "negated":
                if value is not True:
                    continue
                value = False
            if said.finding in found and found[said.finding] != value:
                if said.finding in warning_signs:
                    found[said.finding] = True
                    continue
                clashing.add(said.finding)
            found[said.finding] = value
        return {name: value for name, value in found.items() if name not in clashing}


def _value(raw: str) -> bool | int | str:
    if raw in ("true", "false"):
        return raw == "true"
    return int(raw) if raw.isdigit() else raw


def act_of(intent: str) -> str:
    """The act an internal intent stands for: "AMAZON.YesIntent" -> "Yes"."""
    name = intent.removeprefix("AMAZON.")
    return name.removesuffix("Intent") or name
