"""Between Alexa's request and the skill's understanding: `rewrite` turns a catch-all request
(UtteranceIntent, AnswerYesIntent, AnswerNoIntent with the runner's words) into the internal intent
and slots the policy reads, with custom values resolved as Alexa's entity resolution reports them
(ER_SUCCESS_MATCH with the value id). The request object is rewritten in place, so a caller
holding the envelope (the chat console) sees what the skill understood. The edge (hipcoach.app)
calls it with the conversation's context and hands the policy the act (QuestionUnanswerable,
CannotDo, a correction) with the turn.
"""

from __future__ import annotations

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

from hipcoach.understanding.acts import Context, SlotValue, Understanding
from hipcoach.understanding.reading import understand
from hipcoach.understanding.rules import catch_all_intents

AUTHORITY = "amzn1.er-authority.echo-sdk.hipcoach"


def rewrite(request: object, context: Context) -> Understanding | None:
    """Understand a catch-all IntentRequest and rewrite it, in place, into the internal intent
    and slots the policy reads; None (the request untouched) for any other request."""
    if not isinstance(request, IntentRequest) or request.intent is None:
        return None
    name = request.intent.name
    if name is None or name not in catch_all_intents():
        return None
    words = " ".join(
        str(slot.value) for slot in (request.intent.slots or {}).values() if slot and slot.value
    )
    understood = understand(words, name, None, context)
    request.intent = Intent(
        name=understood.intent,
        slots={n: _slot(n, value) for n, value in understood.slots.items()} or None,
        confirmation_status=IntentConfirmationStatus.NONE,
    )
    return understood


def expects(asking: str | None) -> tuple[str, ...]:
    """The intents the pending question takes, from content (questions.yaml's answers)."""
    return _expects(asking)


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
