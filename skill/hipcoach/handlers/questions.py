"""The questions runners ask, answered anywhere: at the menu, after a result, mid-check.

Which intent asks what, and the answers with their seeds, are content (content/answers.yaml,
content/language/questions.yaml). After a result, a question that has a part of that result
("can I run tomorrow", "what should I do tonight", "how long will it take") is answered from it.
In the middle of a check the answer is followed by the pending question again, so nothing is lost.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import IntentRequest, Response

from hipcoach.dialog import state as dialog
from hipcoach.dialog.state import Mode
from hipcoach.memory.units import Unit
from hipcoach.speech import respond
from hipcoach.speech.texts import Texts

ANSWERED_KEY = "answered"  # the last answer's id, for the logs of what was understood
TOPIC_INTENT = "QuestionTopicIntent"  # a question around one topic anchor (questions.yaml)
TOPIC_SLOT = "anchor"  # its QuestionTopicType slot: the value id is the answer id


def placeholders(texts: Texts) -> dict[str, str]:
    """What an answer's text may name: the locale's professional, emergency number and word for
    running shoes, and the shoe-replacement range in the locale's unit."""
    from hipcoach.medical.triage import see_doctor_signs
    from hipcoach.memory.units import default_unit
    from hipcoach.speech.locales import policy

    return {
        **see_doctor_signs(texts.locale, texts.get("care_plan.signs_or")),
        "professional": texts.get("questions.professional"),
        "shoes": texts.get("questions.shoes"),
        "emergency_number": policy(texts.locale).emergency_number,
        **shoe_limits(texts, default_unit(texts.locale)),
    }


def shoe_limits(texts: Texts, unit: Unit) -> dict[str, str]:
    """The seeds' shoe-replacement range (content/prevention.yaml, in miles), in `unit`
    (kilometres rounded to tens)."""
    from hipcoach.medical.knowledge import knowledge
    from hipcoach.memory.phrases import amount
    from hipcoach.memory.units import KM_PER_MILE, spoken_number

    numbers = knowledge().prevention["shoes"].numbers
    low, high = float(numbers["replace_min_miles"]), float(numbers["replace_max_miles"])
    if unit == "km":
        low, high = round(low * KM_PER_MILE, -1), round(high * KM_PER_MILE, -1)
    return {"low": spoken_number(low), "high": amount(texts, high, unit)}


def topic_text(texts: Texts, topic: str) -> str:
    from hipcoach.medical.knowledge import knowledge

    return knowledge().prevention[topic].text.format(**placeholders(texts))


def answer_reply(handler_input: HandlerInput, answer_id: str, sentences: list[str]) -> Response:
    """Say an answer, then go back to where the conversation was."""
    from hipcoach.handlers import result as result_handlers

    respond.session(handler_input)[ANSWERED_KEY] = answer_id
    texts = respond.texts(handler_input)
    if dialog.is_in(handler_input, Mode.INTERVIEW):
        from hipcoach.handlers.interview import pending_question_speech

        pending = pending_question_speech(handler_input)
        if pending is not None:
            speech, reprompt = pending
            back = texts.get("questions.back_to_question")
            return respond.reply(handler_input, [*sentences, back, speech], reprompt)
    result = result_handlers.current_result(handler_input)
    if result is not None:
        return result_handlers.follow_up(handler_input, result, sentences)
    if dialog.is_in(handler_input, Mode.CONFIRM_DELETE, Mode.RESUME_OFFER):
        dialog.enter(handler_input, Mode.IDLE)  # a yes after "anything else?" must not delete
    return respond.reply(
        handler_input,
        [*sentences, texts.get("questions.anything_else")],
        texts.get("questions.anything_else_reprompt"),
    )


def answer(handler_input: HandlerInput, answer_id: str) -> Response:
    """The answer `answer_id` of content/answers.yaml, from the current result when it has one."""
    from hipcoach.handlers import result as result_handlers
    from hipcoach.speech.answers import catalogue

    entry = catalogue().answers[answer_id]
    texts = respond.texts(handler_input)
    text = entry.text_for(texts.locale)
    general = [text.format(**placeholders(texts))] if text else []
    if entry.topic:
        general = [topic_text(texts, entry.topic)]
    if entry.after_result:
        respond.session(handler_input)[ANSWERED_KEY] = answer_id
        told = result_handlers.tell_part(handler_input, entry.after_result)
        if told is not None:
            return told
    if entry.care_plan and not dialog.is_in(handler_input, Mode.INTERVIEW):
        from hipcoach.handlers.care import todays_plan

        plan = todays_plan(handler_input)
        if plan.pain_reported:  # the rules' answer for this runner today (issue 22)
            general = [plan.words(entry.care_plan, texts, **placeholders(texts))]
    if not general:
        mid_check = dialog.is_in(handler_input, Mode.INTERVIEW)
        general = [
            texts.get("result.no_result_part_mid_check" if mid_check else "result.no_result_part")
        ]
    return answer_reply(handler_input, answer_id, general)


class QuestionHandler(AbstractRequestHandler):
    """Any intent content/answers.yaml names, in any mode but a playing routine."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        if not isinstance(request, IntentRequest) or request.intent is None:
            return False
        if dialog.is_in(handler_input, Mode.ROUTINE):
            return False
        from hipcoach.speech.answers import catalogue

        return request.intent.name in catalogue().by_intent

    def handle(self, handler_input: HandlerInput) -> Response:
        from hipcoach.speech.answers import catalogue

        request = handler_input.request_envelope.request
        assert isinstance(request, IntentRequest) and request.intent is not None  # can_handle
        return answer(handler_input, catalogue().by_intent[str(request.intent.name)])


def topic_answer_id(handler_input: HandlerInput) -> str | None:
    """The answer id a QuestionTopicIntent's anchor resolves to, or None (another intent, no
    value, or a value that names no answer: the fallback then asks again)."""
    from hipcoach.dialog.answers import request_slot, slot_id
    from hipcoach.speech.answers import catalogue

    request = handler_input.request_envelope.request
    if not isinstance(request, IntentRequest) or request.intent is None:
        return None
    if request.intent.name != TOPIC_INTENT:
        return None
    answer_id = slot_id(request_slot(handler_input, TOPIC_SLOT))
    return answer_id if answer_id in catalogue().answers else None


class TopicQuestionHandler(AbstractRequestHandler):
    """QuestionTopicIntent ("ibuprofen?", "what about a foam roller"): the answer its anchor
    names, said as the intent that asks it would (from a result, then back to a pending
    question)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if dialog.is_in(handler_input, Mode.ROUTINE):
            return False
        return topic_answer_id(handler_input) is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        from hipcoach.handlers import prevention
        from hipcoach.speech.answers import catalogue

        answer_id = topic_answer_id(handler_input)
        assert answer_id is not None  # can_handle
        shoes = catalogue().answers[answer_id].topic == prevention.SHOES
        if shoes and prevention._knows_the_shoes(handler_input):
            from hipcoach.handlers.memory import ShoeWearHandler

            # as PreventionIntent does: with a count kept, the wear of the runner's own pair
            respond.session(handler_input)[ANSWERED_KEY] = answer_id
            return ShoeWearHandler().handle(handler_input)
        return answer(handler_input, answer_id)


def request_handlers() -> list[AbstractRequestHandler]:
    return [QuestionHandler(), TopicQuestionHandler()]
