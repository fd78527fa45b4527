"""Prevention questions at any time: the 10% rule (with the figure for a given distance), shoes,
ice or heat, warm-up and cool-down, strength work, running form."""

from __future__ import annotations

import math

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from hipcoach.speech import respond

KILOMETRE_UNITS = {"kilometres", "kilometers", "km", "k"}


def _slot(handler_input: HandlerInput, name: str) -> object:
    intent = handler_input.request_envelope.request.intent
    return (intent.slots or {}).get(name) if intent else None


def _rounded(value: float) -> str:
    """Half-unit precision below 30, whole units above: what a runner plans with."""
    rounded = math.floor(value * 2) / 2 if value < 30 else math.floor(value)
    return f"{rounded:g}"


def _reply(handler_input: HandlerInput, sentences: list[str]) -> Response:
    from hipcoach.handlers.interview import pending_question

    pending = pending_question(handler_input)  # a side question mid-check: back to the check
    if pending is not None:
        return respond.reply(handler_input, [*sentences, pending[0]], pending[1])
    texts = respond.texts(handler_input)
    anything_else = texts.get("interview.anything_else")
    return respond.reply(handler_input, [*sentences, anything_else], anything_else)


class PreventionHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("PreventionIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        from hipcoach.dialog.answers import slot_id  # slot parsing: off the launch path
        from hipcoach.medical.knowledge import knowledge

        topic = slot_id(_slot(handler_input, "topic"))
        topics = knowledge().prevention
        if topic not in topics:
            texts = respond.texts(handler_input)
            return respond.reply(
                handler_input,
                [texts.get("interview.prevention_unknown")],
                texts.get("interview.prevention_unknown"),
            )
        return _reply(handler_input, [topics[topic].text])


class MileageAdviceHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("MileageAdviceIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        from hipcoach.dialog.answers import (  # slot parsing: off the launch path
            slot_id,
            slot_number,
        )
        from hipcoach.medical.knowledge import knowledge
        from hipcoach.speech.locales import policy

        texts = respond.texts(handler_input)
        rule = knowledge().prevention["mileage"]
        distance = slot_number(_slot(handler_input, "distance"))
        if distance is None or not 0 < distance <= 1000:
            return _reply(handler_input, [rule.text])
        spoken_unit = slot_id(_slot(handler_input, "unit"))
        if spoken_unit is None:
            spoken_unit = "kilometres" if policy(texts.locale).distance_unit == "km" else "miles"
        unit_key = "unit_kilometres" if spoken_unit in KILOMETRE_UNITS else "unit_miles"
        percent = rule.numbers.get("max_weekly_increase_pct", 10)
        safe = distance * (1 + percent / 100)
        sentence = texts.get(
            "interview.mileage_with_distance",
            distance=f"{distance:g}",
            unit=texts.get(f"interview.{unit_key}"),
            safe=_rounded(safe),
            step=_rounded(safe - distance) if safe - distance >= 0.5 else f"{safe - distance:.1f}",
        )
        return _reply(handler_input, [sentence, rule.text])


def request_handlers() -> list[AbstractRequestHandler]:
    return [PreventionHandler(), MileageAdviceHandler()]
