"""One turn of the conversation as plain data: what the edge (`hipcoach.app`) reads from Alexa's
request, with no ask-sdk type in it."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import field
from datetime import date
from functools import cached_property
from typing import Protocol

from hipcoach.persistence.access import RecordAccess
from hipcoach.records import record
from hipcoach.speech.texts import Texts

LAUNCH, INTENT, SESSION_ENDED = "LaunchRequest", "IntentRequest", "SessionEndedRequest"


@record(frozen=True)
class SlotValue:
    """A slot as Alexa filled it: the words heard and, when entity resolution matched, the id."""

    value: str | None
    resolved: str | None = None

    @property
    def id(self) -> str | None:
        """The resolved id, else the words heard (lower-cased); None when empty."""
        if self.value in (None, ""):
            return None
        if self.resolved is not None:
            return self.resolved
        return str(self.value).strip().lower()


class Heard(Protocol):
    """What was heard: the intent Alexa routed to and its slots (a Turn is one)."""

    @property
    def intent(self) -> str | None: ...

    @property
    def slots(self) -> Mapping[str, SlotValue]: ...

    @property
    def said(self) -> Mapping[str, object]: ...

    @property
    def denies_all(self) -> bool: ...


@record(frozen=True)
class Said:
    """An utterance as Alexa routed it, without the rest of a turn (tests, the stand-in)."""

    intent: str | None
    slots: Mapping[str, SlotValue] = field(default_factory=dict)
    said: Mapping[str, object] = field(default_factory=dict)
    denies_all: bool = False


@record(frozen=True)
class Turn:
    request_type: str
    intent: str | None
    slots: Mapping[str, SlotValue]
    locale: str | None
    today: date
    records: RecordAccess
    screen: bool = False  # the device renders APL
    act: str | None = None  # what the runner did, when understanding said (policy.Act's value)
    extra: Mapping[str, object] = field(default_factory=dict)
    # every finding the understanding read in the words, beyond what the intent's slots carry
    # ("um the outside of my hip, about three weeks, worse lying on it, like a six")
    said: Mapping[str, object] = field(default_factory=dict)
    denies_all: bool = False  # the whole of a list denied ("no, none of those")
    then: Turn | None = None  # a question asked after the answer, in the same breath

    @cached_property
    def texts(self) -> Texts:
        return Texts(self.locale)

    def is_intent(self, *names: str) -> bool:
        return self.intent in names

    def slot(self, name: str) -> SlotValue | None:
        return self.slots.get(name)

    def slot_id(self, name: str) -> str | None:
        slot = self.slots.get(name)
        return slot.id if slot is not None else None

    def number(self, name: str) -> float | None:
        """A slot as a positive finite number, else None."""
        raw = self.slot_id(name)
        try:
            value = float(raw) if raw is not None else None
        except ValueError:
            return None
        return value if value is not None and 0 < value < math.inf else None
