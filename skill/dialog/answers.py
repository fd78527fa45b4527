"""Turning an intent request into a finding value for the question being asked.

The mapping (which intent and slot answers which question) is content: `questions.yaml`.
Slot ids come from Alexa's entity resolution when it matched, else the spoken value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import IntentRequest, Slot
from ask_sdk_model.slu.entityresolution import StatusCode

from hipcoach.dialog.spoken_values import days_since, duration_days
from hipcoach.medical.knowledge import Answer, Question

_UNIT_DAYS = {
    "hour": 1 / 24,
    "hours": 1 / 24,
    "day": 1,
    "days": 1,
    "week": 7,
    "weeks": 7,
    "month": 30,
    "months": 30,
}


InterpretationKind = Literal["value", "unknown", "not_an_answer", "bad_number"]


@dataclass(frozen=True)
class Interpretation:
    """What an utterance meant for the current question."""

    kind: InterpretationKind
    value: Any = None


NOT_AN_ANSWER = Interpretation("not_an_answer")


def slot_id(slot: Slot | None) -> str | None:
    """The resolved id of a custom slot value, else its raw value (lower-cased)."""
    if slot is None or slot.value in (None, ""):
        return None
    resolutions = slot.resolutions.resolutions_per_authority if slot.resolutions else None
    for authority in resolutions or []:
        matched = authority.status and authority.status.code == StatusCode.ER_SUCCESS_MATCH
        value = authority.values[0].value if matched and authority.values else None
        if value is not None:
            return value.id
    return str(slot.value).strip().lower()


def request_slot(handler_input: HandlerInput, name: str) -> Slot | None:
    """A slot of the request's intent, or None (any request type, any slots)."""
    intent = getattr(handler_input.request_envelope.request, "intent", None)
    slots = getattr(intent, "slots", None)
    return slots.get(name) if isinstance(slots, dict) else None


def slot_number(slot: Slot | None) -> float | None:
    """An AMAZON.NUMBER slot as a number, or None when it holds no number ("?" from Alexa)."""
    if slot is None or slot.value in (None, "", "?"):
        return None
    try:
        number = float(str(slot.value).strip())
    except ValueError:
        return None
    return number if number == number and abs(number) < 1e9 else None


def _slots(request: IntentRequest) -> dict[str, Slot]:
    return dict(request.intent.slots or {}) if request.intent else {}


def _days_from_slots(slots: dict[str, Slot], today: date) -> int | None:
    days = duration_days(slots["duration"].value if "duration" in slots else None)
    if days is not None:
        return days
    number = slot_number(slots.get("number"))
    unit = slot_id(slots.get("unit")) or "days"
    if number is not None:
        return round(number * _UNIT_DAYS.get(unit, 1))
    since = slots.get("since")
    if since is not None and since.value:
        return days_since(since.value, today)  # dates, weeks ("2025-W46") and months
    return None


def interpret(question: Question, request: IntentRequest, today: date) -> Interpretation:
    """The finding value an intent gives for `question`, or why it gives none."""
    name = request.intent.name if request.intent else None
    slots = _slots(request)
    for answer in question.answers:
        if answer.intent != name:
            continue
        found = _apply(answer, slots, today)
        if found is not None:
            return found
    return NOT_AN_ANSWER


def _apply(answer: Answer, slots: dict[str, Slot], today: date) -> Interpretation | None:
    if answer.unknown:
        return Interpretation("unknown")
    if answer.duration_days:
        days = _days_from_slots(slots, today)
        return Interpretation("value", days) if days is not None else Interpretation("bad_number")
    if answer.number:
        number = slot_number(slots.get(answer.slot or "number"))
        if number is None:
            return Interpretation("bad_number")
        return Interpretation("value", int(number) if number.is_integer() else number)
    if answer.slot:
        spoken = slot_id(slots.get(answer.slot))
        if spoken is None:
            return None
        if answer.map:
            return Interpretation("value", answer.map[spoken]) if spoken in answer.map else None
        return Interpretation("value", spoken)
    return Interpretation("value", answer.value)
