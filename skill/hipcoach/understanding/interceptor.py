"""The edge between Alexa's request and the skill's understanding, until one conversation policy
reads `Understanding` itself: an ask-sdk request interceptor that rewrites a catch-all request
(UtteranceIntent, AnswerYesIntent, AnswerNoIntent with the runner's words) into the internal intent
and slots the handlers dispatch on, with custom values resolved as Alexa's entity resolution
reports them (ER_SUCCESS_MATCH with the value id). The request object is rewritten in place, so a
caller holding the envelope (the chat console) sees what the skill understood.

Acts the handlers have no intent for yet (QuestionUnanswerable, CannotDo) reach them as
AMAZON.FallbackIntent.
"""

from __future__ import annotations

from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Intent, IntentConfirmationStatus, IntentRequest, Slot
from ask_sdk_model.slot_confirmation_status import SlotConfirmationStatus
from ask_sdk_model.slu.entityresolution import (
    Resolution,
    Resolutions,
    Status,
    StatusCode,
    Value,
    ValueWrapper,
)

from hipcoach.clock import today
from hipcoach.understanding.acts import Context, SlotValue
from hipcoach.understanding.reading import understand
from hipcoach.understanding.rules import catch_all_intents

AUTHORITY = "amzn1.er-authority.echo-sdk.hipcoach"


class UnderstandWords(AbstractRequestInterceptor):
    """Rewrite a catch-all IntentRequest into the internal intent the handlers expect."""

    def process(self, handler_input: HandlerInput) -> None:
        request = handler_input.request_envelope.request
        if not isinstance(request, IntentRequest) or request.intent is None:
            return
        name = request.intent.name
        if name is None or name not in catch_all_intents():
            return
        words = " ".join(
            str(slot.value) for slot in (request.intent.slots or {}).values() if slot and slot.value
        )
        understood = understand(words, name, None, _context(handler_input, request))
        request.intent = Intent(
            name=understood.intent,
            slots={n: _slot(n, value) for n, value in understood.slots.items()} or None,
            confirmation_status=IntentConfirmationStatus.NONE,
        )


def _context(handler_input: HandlerInput, request: IntentRequest) -> Context:
    attributes: Any = handler_input.attributes_manager.session_attributes
    attributes = attributes if isinstance(attributes, dict) else {}
    mode = attributes.get("mode") if isinstance(attributes.get("mode"), str) else None
    interview = attributes.get("interview")
    asking = interview.get("asking") if isinstance(interview, dict) else None
    asking = asking if isinstance(asking, str) and mode == "interview" else None
    return Context(
        today=today(handler_input),
        locale=request.locale or "en-US",
        mode=mode,
        asking=asking,
        expects=_expects(asking),
    )


def _expects(asking: str | None) -> tuple[str, ...]:
    """The intents the pending question takes, from content (questions.yaml's answers)."""
    if asking is None:
        return ()
    from hipcoach.medical.knowledge import knowledge

    question = knowledge().questions.get(asking)
    if question is None:
        return ()
    return tuple(dict.fromkeys(answer.intent for answer in question.answers))


def _slot(name: str, value: SlotValue) -> Slot:
    resolutions = None
    if value.id is not None:
        resolutions = Resolutions(
            resolutions_per_authority=[
                Resolution(
                    authority=f"{AUTHORITY}.{value.slot_type}",
                    status=Status(code=StatusCode.ER_SUCCESS_MATCH),
                    values=[ValueWrapper(value=Value(name=value.value, id=value.id))],
                )
            ]
        )
    return Slot(
        name=name,
        value=value.value,
        confirmation_status=SlotConfirmationStatus.NONE,
        resolutions=resolutions,
    )
