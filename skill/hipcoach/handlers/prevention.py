"""Prevention questions at any time: the 10% rule (with the figure for a given distance), shoes,
ice or heat, stretching, warm-up and cool-down, strength work, foam rolling, rest days, surfaces,
cross-training, running form; "tell me about prevention" after a result gives that condition's own.

Each answer is followed by what comes next where the runner is (hipcoach.handlers.questions):
the pending question mid-check, the result's other parts after a result, else "anything else?".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import IntentRequest, Response, Slot

from hipcoach.dialog import state as dialog
from hipcoach.dialog.state import Mode
from hipcoach.speech import respond

GENERAL = "prevention"  # the topic for "how do I prevent this" (content/prevention.yaml)
SHOES = "shoes"  # the topic a kept shoe count answers better


def _slot(handler_input: HandlerInput, name: str) -> Slot | None:
    request = handler_input.request_envelope.request
    intent = request.intent if isinstance(request, IntentRequest) else None
    return (intent.slots or {}).get(name) if intent else None


@dataclass(frozen=True)
class MileageAdvice:
    safe: str  # the most to run this week, rounded down as a runner plans
    step: str  # the increase on last week


def _rounded(value: float) -> str:
    """Half-unit precision below 30, whole units above: what a runner plans with."""
    rounded = math.floor(value * 2) / 2 if value < 30 else math.floor(value)
    return f"{rounded:g}"


def mileage_advice(distance: float) -> MileageAdvice | None:
    """The 10% rule for last week's `distance`, in any unit: the cap is the prevention rules'
    (content/prevention_rules/), which work on a week's distance whatever its unit."""
    from hipcoach.memory.prevention import advise, plan_records, week_before_records

    safe = advise(week_before_records(distance), plan_records("this_week")).cap_km
    if safe is None:
        return None
    step = safe - distance
    return MileageAdvice(_rounded(safe), _rounded(step) if step >= 0.5 else f"{step:.1f}")


def _leader_prevention(handler_input: HandlerInput) -> str | None:
    """The leading condition's own prevention advice, once a result has been told."""
    if not dialog.is_in(handler_input, Mode.RESULT, Mode.OFFER):
        return None
    from hipcoach.handlers.result import RESULT_KEY
    from hipcoach.medical.knowledge import knowledge

    told = respond.session(handler_input).get(RESULT_KEY)
    leader = told.get("leader") if isinstance(told, dict) else None
    conditions = knowledge().conditions
    if not isinstance(leader, str) or leader not in conditions:
        return None
    return conditions[leader].prevention.text


def _knows_the_shoes(handler_input: HandlerInput) -> bool:
    """At the menu, whether the runner's own shoes are on record (their count answers it)."""
    if not dialog.is_in(handler_input, Mode.IDLE):
        return False
    from hipcoach.memory import store

    record = store.load(handler_input)
    return record is not None and store.shoes(record) is not None


class PreventionHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("PreventionIntent")(handler_input) and not dialog.is_in(
            handler_input, Mode.ROUTINE
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        from hipcoach.dialog.answers import slot_id  # slot parsing: off the launch path
        from hipcoach.handlers.questions import answer_reply, topic_text
        from hipcoach.medical.knowledge import knowledge
        from hipcoach.speech.answers import catalogue

        texts = respond.texts(handler_input)
        topic = slot_id(_slot(handler_input, "topic")) or GENERAL
        if topic not in knowledge().prevention:
            return respond.reply(
                handler_input,
                [texts.get("questions.prevention_topics")],
                texts.get("questions.prevention_topics_reprompt"),
            )
        answer_id = catalogue().by_topic.get(topic, topic)
        if topic == SHOES and _knows_the_shoes(handler_input):
            from hipcoach.handlers.memory import ShoeWearHandler

            # "do my trainers need replacing?" with a count kept: the wear of their own pair
            respond.session(handler_input)["answered"] = answer_id
            return ShoeWearHandler().handle(handler_input)
        if topic == GENERAL:
            own = _leader_prevention(handler_input)
            if own:
                return answer_reply(handler_input, answer_id, [own])
        return answer_reply(handler_input, answer_id, [topic_text(texts, topic)])


class MileageAdviceHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("MileageAdviceIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        from hipcoach.dialog.answers import (  # slot parsing: off the launch path
            slot_id,
            slot_number,
        )
        from hipcoach.handlers.questions import answer_reply, topic_text
        from hipcoach.memory.units import default_unit, parse_unit

        texts = respond.texts(handler_input)
        distance = slot_number(_slot(handler_input, "distance"))
        if distance is None or not 0 < distance <= 1000:
            return answer_reply(handler_input, "ten_percent_rule", [topic_text(texts, "mileage")])
        spoken = slot_id(_slot(handler_input, "unit"))
        unit = parse_unit(spoken) or default_unit(texts.locale)
        advice = mileage_advice(distance)
        if advice is None:
            return answer_reply(handler_input, "ten_percent_rule", [topic_text(texts, "mileage")])
        sentence = texts.get(
            "interview.mileage_with_distance",
            distance=f"{distance:g}",
            unit=texts.get("interview.unit_kilometres" if unit == "km" else "interview.unit_miles"),
            safe=advice.safe,
            step=advice.step,
        )
        return answer_reply(handler_input, "ten_percent_rule", [sentence])  # the rule said once


def request_handlers() -> list[AbstractRequestHandler]:
    return [PreventionHandler(), MileageAdviceHandler()]
