"""Turning an intent request into a finding value for the question being asked.

The mapping (which intent and slot answers which question) is content: `questions.yaml`.
Slot ids come from Alexa's entity resolution when it matched, else the spoken value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from hipcoach.dialog.turn import Heard, SlotValue
from hipcoach.medical.knowledge import Answer, Question, knowledge
from hipcoach.understanding.words import days_since, duration_days, parse_duration, tokens

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


def slot_id(slot: SlotValue | None) -> str | None:
    """The resolved id of a custom slot value, else its raw value (lower-cased)."""
    return slot.id if slot is not None else None


def slot_number(slot: SlotValue | None) -> float | None:
    """An AMAZON.NUMBER slot as a number, or None when it holds no number ("?" from Alexa)."""
    if slot is None or slot.value in (None, "", "?"):
        return None
    try:
        number = float(str(slot.value).strip())
    except ValueError:
        return None
    return number if number == number and abs(number) < 1e9 else None


def _slots(request: Heard) -> Mapping[str, SlotValue]:
    return request.slots


def _duration_slot_days(slot: SlotValue | None) -> int | None:
    """AMAZON.DURATION as ISO 8601 (Alexa), or as the spoken words (simulators pass them on)."""
    value = slot.value if slot is not None else None
    days = duration_days(value)
    if days is None and value:
        spoken = parse_duration(tokens(str(value)))
        days = duration_days(spoken) if spoken else None
    return days


def _days_from_slots(slots: Mapping[str, SlotValue], today: date) -> int | None:
    days = _duration_slot_days(slots.get("duration"))
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


def interpret(question: Question, request: Heard, today: date) -> Interpretation:
    """The finding value an intent gives for `question`, or why it gives none."""
    name = request.intent
    slots = _slots(request)
    for answer in question.answers:
        if answer.intent != name:
            continue
        found = _apply(answer, slots, today)
        if found is not None:
            return found
    return NOT_AN_ANSWER


def _apply(answer: Answer, slots: Mapping[str, SlotValue], today: date) -> Interpretation | None:
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


# ---------------------------------------------------------------------------------------------
# Findings carried by any utterance, read against the pending question

# The intents that carry findings, and the yes or no each says in front of them.
FINDINGS_INTENTS: dict[str, bool | None] = {
    "TellFindingsIntent": None,
    "AffirmFindingsIntent": True,
    "DenyFindingsIntent": False,
}
FINDING_SLOTS = ("finding_a", "finding_b", "finding_c", "finding_d")


FALLBACK_INTENT = "AMAZON.FallbackIntent"


def carries_findings(request: Heard) -> bool:
    """A findings intent, or words no intent reads that still name findings ("my hip is really
    swollen and red and I've been hot and shivery since last night")."""
    return request.intent in FINDINGS_INTENTS or (
        request.intent == FALLBACK_INTENT and bool(request.said)
    )


def _finding_value(raw: str) -> tuple[str, Any] | None:
    """A catalogue id `finding=value` as (finding, value): true/false are booleans."""
    finding, sep, value = raw.partition("=")
    if not sep or not finding or not value:
        return None
    return finding, {"true": True, "false": False}.get(value, value)


def carried_findings(request: Heard) -> dict[str, Any]:
    """Every finding an utterance names (TellFindingsIntent), as {finding: value}. A finding named
    with two values at once is left out: a wrong value is worse than none."""
    if not carries_findings(request):
        return {}
    slots = _slots(request)
    found: dict[str, Any] = {}
    clashing: set[str] = set()
    for name in FINDING_SLOTS:
        raw = slot_id(slots.get(name))
        pair = _finding_value(raw) if raw else None
        if pair is None:
            continue
        finding, value = pair
        if finding in found and found[finding] != value:
            clashing.add(finding)
        found[finding] = value
    kept = {k: v for k, v in found.items() if k not in clashing}
    return {**_said(request, set(found)), **kept}


def _said(request: Heard, besides: set[str]) -> dict[str, Any]:
    """The findings the understanding read beyond the intent's slots (the slots' reading wins
    where both name a finding)."""
    return {name: value for name, value in request.said.items() if name not in besides}


def reply_of(request: Heard) -> bool | None:
    """The yes or no said in front of findings ("yeah, going up stairs"), if any."""
    name = request.intent
    return FINDINGS_INTENTS.get(name) if name is not None else None


@dataclass(frozen=True)
class Reading:
    """What one utterance says, read against the pending question first.

    kind: "value" (the asked finding gets `value`), "partial" (the runner answered part of it:
    `volunteered` holds what they named, the question itself gets no value), "unknown",
    "clarify" (they asked which, or named several: ask again, briefly), "bad_number",
    "not_an_answer". `volunteered` holds every other finding the utterance carried.
    """

    kind: str
    value: Any = None
    volunteered: dict[str, Any] = field(default_factory=dict)


def read_answer(question: Question, request: Heard, today: date) -> Reading:
    """The meaning of an utterance for `question`, with whatever else it volunteered: the
    question's own kind of answer first, then every other finding said in the same breath
    ("gradually, over like two weeks since I upped my mileage" to "how did it start?")."""
    reading = _read_answer(question, request, today)
    asked = question.finding
    said = _said(request, {asked, *reading.volunteered})
    if reading.kind == "not_an_answer" and asked in request.said:
        return Reading("value", request.said[asked], {**reading.volunteered, **said})
    if request.denies_all and question.covers and reading.kind in ("partial", "not_an_answer"):
        named = {k: v for k, v in {**reading.volunteered, **said}.items() if k in question.covers}
        if not any(v is True for v in named.values()):  # "no, none of those, I can walk fine"
            return Reading("value", False, {**reading.volunteered, **said})
    return replace(reading, volunteered={**said, **reading.volunteered})


def _read_answer(question: Question, request: Heard, today: date) -> Reading:
    carried = carried_findings(request)
    asked = question.finding
    if asked in carried:
        value = carried.pop(asked)
        return Reading("value", value, carried)
    for said, meaning in question.reads.items():  # "it only hurts when I run" to "when?"
        pair = _finding_value(said)
        if pair is not None and pair[0] in carried and carried[pair[0]] == pair[1]:
            return Reading("value", meaning, carried)
    if carries_findings(request):
        reading = _read_findings(question, carried, reply_of(request))
        reply = reply_of(request)
        if reading.kind != "not_an_answer" or reply is None or not carried:
            return reading
        if any(isinstance(value, bool) for value in carried.values()):
            return reading  # "yeah, it clicks" to the night question: about the clicking?
        # "nope, it's just the butt" to "does it spread?": a place, a time or a kind is no yes
        # or no, so the yes or no answers the question and the value is kept beside it
        bare = "AMAZON.YesIntent" if reply else "AMAZON.NoIntent"
        for answer in question.answers:
            if answer.intent == bare:
                found = _apply_reading(answer, question, {}, today)
                if found is not None:
                    return replace(found, volunteered={**found.volunteered, **carried})
        return reading
    for answer in question.answers:
        if request.intent is None or answer.intent != request.intent:
            continue
        found = _apply_reading(answer, question, _slots(request), today)
        if found is not None:
            return found
    return Reading("not_an_answer", None, _volunteered_score(request))


def _volunteered_score(request: Heard) -> dict[str, Any]:
    """A bare score out of ten said to a question that takes no number ("it's a nine" while asked
    about swelling) is the pain's severity: kept, and the question asked again."""
    if request.intent != "NumberIntent":
        return {}
    number = slot_number(_slots(request).get("number"))
    if number is None or number != int(number) or not 0 <= number <= 10:
        return {}
    return {"pain_severity": int(number)}


def _read_findings(question: Question, carried: dict[str, Any], reply: bool | None) -> Reading:
    if question.covers:  # a screen, answered by naming its items
        named = {k: v for k, v in carried.items() if k in question.covers}
        if any(v is True for v in named.values()):
            return Reading("value", True, carried)  # "yes, I fell": yes, and the fall
        if named:  # only denials ("no, I can walk on it"): the other items are asked one by
            # one, unless every item was denied; a no to one item never rules out the rest
            if set(named) >= set(question.covers):
                return Reading("value", False, carried)
            return Reading("partial", None, carried)
        if reply is not None:
            return Reading("value", reply, carried)  # "no, it's on the outside"
        return Reading("not_an_answer", None, carried)
    # A yes or no in front of other findings ("yeah, it clicks" to the night question) may be
    # about them rather than the question: the question is asked again rather than guessed.
    return Reading("not_an_answer", None, carried)


def _apply_reading(
    answer: Answer, question: Question, slots: Mapping[str, SlotValue], today: date
) -> Reading | None:
    if answer.clarify:
        spoken = slot_id(slots.get(answer.slot)) if answer.slot else None
        if answer.slot is None or spoken in answer.clarify:
            return Reading("clarify")
    if answer.unit_slot:
        number = slot_number(slots.get(answer.slot or "number"))
        if number is None:
            return Reading("bad_number")
        unit = slot_id(slots.get(answer.unit_slot))
        factor = answer.unit_factor.get(unit or "", 1.0) if unit else 1.0
        return _redirect(answer, question, round(number * factor))
    found = _apply(answer, slots, today)
    if found is None:
        return None
    if found.kind != "value":
        return Reading(found.kind, found.value)
    return _redirect(answer, question, found.value)


def _redirect(answer: Answer, question: Question, value: Any) -> Reading:
    """A value for the asked finding, or for the finding the answer names instead."""
    if answer.finding is None or answer.finding == question.finding:
        return Reading("value", value)
    volunteered = {answer.finding: value}
    if question.covers and answer.finding in question.covers and value is True:
        return Reading("value", True, volunteered)
    return Reading("partial", None, volunteered)


# Intents of one finding each (the slot names the finding's value): outside a check they still
# say something about the hip ("it's my bum" at the menu starts a check that knows it).
SINGLE_FINDING_INTENTS = frozenset(
    {"LocationIntent", "RadiationIntent", "TimingIntent", "OnsetIntent", "QualityIntent"}
)


def findings_in(request: Heard, today: date) -> dict[str, Any]:
    """Every finding an utterance names outside a question: the catalogue's, or the value of a
    one-finding intent (LocationIntent -> pain_location, ...), read through questions.yaml."""
    if carries_findings(request):
        return carried_findings(request)
    if request.intent not in SINGLE_FINDING_INTENTS:
        return {}
    found: dict[str, Any] = {}
    for finding, question in knowledge().questions.items():
        for answer in question.answers:
            if answer.intent == request.intent and answer.slot and answer.map:
                meaning = _apply(answer, _slots(request), today)
                if meaning is not None and meaning.kind == "value":
                    found.setdefault(finding, meaning.value)
    if len(found) != 1:
        return {}  # one reading only; else nothing is guessed
    return {**_said(request, set(found)), **found}


def days_from_request(request: Heard, today: date) -> int | None:
    """How long it has hurt, when the request says (StartCheckIntent's since / duration)."""
    slots = _slots(request)
    if not any(slots.get(n) is not None and slots[n].value for n in ("since", "duration")):
        return None
    return _days_from_slots(slots, today)
