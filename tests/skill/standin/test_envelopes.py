"""Request envelopes are real ask_sdk_model objects, run through a real CustomSkill and JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import get_supported_interfaces, is_intent_name, is_request_type
from ask_sdk_model import IntentRequest, LaunchRequest, RequestEnvelope, SessionEndedRequest
from ask_sdk_model.response import Response
from ask_sdk_model.slu.entityresolution import StatusCode

from hipcoach.standin.envelopes import (
    Conversation,
    DeviceProfile,
    request_from_json,
    request_timestamp,
    response_from_json,
    to_dict,
    to_json,
)
from hipcoach.standin.nlu import model_path, resolve

TODAY = date(2025, 11, 20)
AT = datetime(2025, 11, 20, 7, 30, tzinfo=UTC)


class Counter(AbstractRequestHandler):
    """Counts turns in session attributes; StopIntent ends the session."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return not is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        attributes = handler_input.attributes_manager.session_attributes
        attributes["turns"] = attributes.get("turns", 0) + 1
        builder = handler_input.response_builder.speak(f"turn {attributes['turns']}")
        if is_intent_name("AMAZON.StopIntent")(handler_input):
            return builder.set_should_end_session(True).response
        return builder.ask("and?").response


class Ended(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response


def skill():
    builder = SkillBuilder()
    builder.add_request_handler(Counter())
    builder.add_request_handler(Ended())
    return builder.create()


def test_launch_envelope() -> None:
    conversation = Conversation("en-GB", DeviceProfile(user_id="amzn1.ask.account.A"))
    envelope = conversation.launch(AT)
    assert isinstance(envelope, RequestEnvelope)
    assert isinstance(envelope.request, LaunchRequest)
    assert envelope.session.new is True and envelope.session.attributes == {}
    assert envelope.request.locale == "en-GB"
    assert envelope.request.timestamp == AT
    assert envelope.request.request_id.startswith("amzn1.echo-api.request.")
    system = envelope.context.system
    assert system.user.user_id == envelope.session.user.user_id == "amzn1.ask.account.A"
    assert system.application.application_id == envelope.session.application.application_id
    assert system.device.supported_interfaces.alexa_presentation_apl is None


def test_apl_device_declares_the_interface() -> None:
    envelope = Conversation(device=DeviceProfile(apl=True)).launch(AT)
    apl = envelope.context.system.device.supported_interfaces.alexa_presentation_apl
    assert apl is not None and apl.runtime.max_version
    assert envelope.context.viewport is not None
    data = to_dict(envelope)
    assert "Alexa.Presentation.APL" in data["context"]["System"]["device"]["supportedInterfaces"]


def _a_seeded_answer() -> str:
    """A value of the catch-all's type that the model routes to the catch-all intent (the seed
    values are the catalogue's phrasings, capped in number: which ones varies with the catalogue)."""
    model = json.loads(model_path("en-US").read_text(encoding="utf-8"))
    types = model["interactionModel"]["languageModel"]["types"]
    seeded = next(t for t in types if t["name"] == "RunnerWordsType")["values"]
    for value in (v["name"]["value"] for v in seeded):
        if resolve(value, "en-US", TODAY).intent == "UtteranceIntent":
            return str(value)
    raise AssertionError("no seed value of the catch-all is routed to it")


def test_intent_envelope_has_every_slot_and_resolutions() -> None:
    said = _a_seeded_answer()
    result = resolve(said, "en-US", TODAY)
    envelope = Conversation().intent(result, AT)
    request = envelope.request
    assert isinstance(request, IntentRequest)
    assert request.intent.name == "UtteranceIntent"
    slot = request.intent.slots["words"]
    assert slot.value == said
    authority = slot.resolutions.resolutions_per_authority[0]
    assert authority.status.code == StatusCode.ER_SUCCESS_MATCH  # a seed value of the catch-all
    assert authority.authority.endswith(".RunnerWordsType")
    unseeded = Conversation().intent(resolve("my hip went ping on a hill", "en-US", TODAY), AT)
    words = unseeded.request.intent.slots["words"]
    assert words.value == "my hip went ping on a hill" and words.resolutions is None


def test_json_is_alexa_shaped_and_round_trips() -> None:
    envelope = Conversation().intent(resolve("no, it's a dull ache", "en-US", TODAY), AT)
    data = json.loads(to_json(envelope))
    assert data["version"] == "1.0"
    assert data["request"]["type"] == "IntentRequest"
    assert data["request"]["timestamp"] == "2025-11-20T07:30:00Z"
    assert data["session"]["sessionId"] and data["context"]["System"]["user"]["userId"]
    assert data["request"]["intent"]["name"] == "AnswerNoIntent"
    assert data["request"]["intent"]["slots"]["words"]["value"] == "it's a dull ache"
    back = request_from_json(to_json(envelope))
    assert back.request.intent.slots["words"].value == "it's a dull ache"
    assert back.request.timestamp == AT


def test_session_carries_attributes_and_ends_like_a_device() -> None:
    conversation = Conversation("en-US")
    app = skill()
    first = conversation.launch(AT)
    assert conversation.absorb(app.invoke(request_envelope=first, context=None)) is False

    second = conversation.intent(resolve("yes"), AT)
    assert second.session.new is False
    assert second.session.session_id == first.session.session_id
    assert second.session.attributes == {"turns": 1}
    response = app.invoke(request_envelope=second, context=None)
    # a web service's JSON answer works as well as the object
    assert conversation.absorb(json.dumps(to_dict(response))) is False

    third = conversation.intent(resolve("stop"), AT)
    assert third.session.attributes == {"turns": 2}
    assert conversation.absorb(app.invoke(request_envelope=third, context=None)) is True
    assert not conversation.in_session

    fourth = conversation.intent(resolve("yes"), AT)  # a one-shot opens a new session
    assert fourth.session.new is True and fourth.session.attributes == {}
    assert fourth.session.session_id != first.session.session_id


def test_session_ended_request() -> None:
    conversation = Conversation()
    opened = conversation.launch(AT)
    ended = conversation.end(AT, "EXCEEDED_MAX_REPROMPTS")
    assert isinstance(ended.request, SessionEndedRequest)
    assert ended.request.reason.value == "EXCEEDED_MAX_REPROMPTS"
    assert ended.session.session_id == opened.session.session_id
    assert not conversation.in_session
    errored = Conversation().end(AT, "ERROR", "boom")
    assert errored.request.error.message == "boom"
    skill().invoke(request_envelope=ended, context=None)


def test_supported_interfaces_read_by_the_sdk() -> None:
    envelope = Conversation(device=DeviceProfile(apl=True)).launch(AT)

    seen: list[bool] = []

    class Probe(AbstractRequestHandler):
        def can_handle(self, handler_input: HandlerInput) -> bool:
            return True

        def handle(self, handler_input: HandlerInput) -> Response:
            apl = get_supported_interfaces(handler_input).alexa_presentation_apl
            seen.append(apl is not None)
            return handler_input.response_builder.response

    builder = SkillBuilder()
    builder.add_request_handler(Probe())
    builder.create().invoke(request_envelope=envelope, context=None)
    assert seen == [True]


def test_request_timestamp_follows_the_given_date() -> None:
    now = datetime(2030, 1, 2, 9, 15, 30, 123456, tzinfo=UTC)
    assert request_timestamp(now=now) == now.replace(microsecond=0)
    assert request_timestamp(TODAY, now) == datetime(2025, 11, 20, 9, 15, 30, tzinfo=UTC)
    assert request_timestamp().tzinfo is not None


def test_response_from_json() -> None:
    response = response_from_json(
        {"version": "1.0", "sessionAttributes": {"mode": "idle"}, "response": {}}
    )
    assert response.session_attributes == {"mode": "idle"}
