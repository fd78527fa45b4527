"""The one skill object that Lambda, the web service and the chat console all run, and the edge
where ask-sdk stops: one request handler turns Alexa's request into a plain `Turn`, the policy
(hipcoach.handlers.policy) answers it with a plain `Reply`, and the handler makes that the
response. The session attributes are read once and written once, through
hipcoach.dialog.conversation; the persistent record is read from the store on each request
(hipcoach.persistence), never carried in the session.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import IntentRequest, Response, Slot
from ask_sdk_model.ui import SimpleCard

from hipcoach import logs
from hipcoach.clock import today
from hipcoach.dialog import conversation
from hipcoach.dialog.acts import Act
from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.state import Mode
from hipcoach.dialog.turn import SlotValue, Turn
from hipcoach.dialog.turn_rules import one_rules_session
from hipcoach.handlers import launch, policy
from hipcoach.persistence.access import RequestRecords
from hipcoach.session_guard import FreshSessionWhenNeeded
from hipcoach.speech.reply import Reply

if TYPE_CHECKING:
    from hipcoach.understanding.acts import Understanding

log = logs.Log(__name__)

Policy = Callable[[Turn, Conversation], Reply]
PROGRESS_INTENT = "ProgressIntent"  # how the hip is since the last check


def slot_value(slot: Slot) -> SlotValue:
    """A slot as heard, with the id entity resolution matched (the first authority that did)."""
    # imported here: a LaunchRequest carries no slot, and a cold start need not load the module
    from ask_sdk_model.slu.entityresolution import StatusCode

    resolutions = slot.resolutions.resolutions_per_authority if slot.resolutions else None
    for authority in resolutions or []:
        matched = authority.status and authority.status.code == StatusCode.ER_SUCCESS_MATCH
        value = authority.values[0].value if matched and authority.values else None
        if value is not None and value.id is not None:
            return SlotValue(slot.value, value.id)
    return SlotValue(slot.value)


def slots_of(request: object) -> dict[str, SlotValue]:
    """Every filled slot of an IntentRequest; {} for any other request."""
    if not isinstance(request, IntentRequest) or request.intent is None:
        return {}
    return {
        name: slot_value(slot)
        for name, slot in (request.intent.slots or {}).items()
        if slot is not None
    }


def _screen(handler_input: HandlerInput) -> bool:
    """Whether the requesting device has a screen that renders APL."""
    context = handler_input.request_envelope.context
    system = context.system if context else None
    device = system.device if system else None
    interfaces = device.supported_interfaces if device else None
    return bool(interfaces and interfaces.alexa_presentation_apl)


def understood(handler_input: HandlerInput, state: Conversation) -> Understanding | None:
    """The runner's words (a catch-all request) read by the skill's understanding, knowing what
    the conversation waits for; the request is rewritten to what was understood."""
    request = handler_input.request_envelope.request
    if not isinstance(request, IntentRequest):
        return None  # a launch or a session end carries no words (and loads no understanding)
    from hipcoach.understanding.acts import Context
    from hipcoach.understanding.interceptor import expects, rewrite

    context = Context(
        today=today(handler_input),
        locale=getattr(request, "locale", None) or "en-US",
        mode=state.mode.value,
        asking=state.asking,
        expects=_expected(state, expects(state.asking)),
    )
    return rewrite(request, context)


def _expected(state: Conversation, asked: tuple[str, ...]) -> tuple[str, ...]:
    """What the conversation takes now: the pending question's answers, or in a routine its
    commands (the player waits for one)."""
    if state.is_in(Mode.ROUTINE):
        from hipcoach.dialog.reading import COMMANDS

        return (*asked, *COMMANDS)
    if state.is_in(Mode.FOLLOWUP):
        # "is it any better?": a progress word is its answer ("a bit better" is better, not
        # "not getting worse"); a warning sign said with it still wins (dialog.reading)
        return (*asked, PROGRESS_INTENT)
    return asked


def _act(understanding: Understanding | None) -> str | None:
    """What understanding said the runner did, where the intent alone does not tell it."""
    if understanding is None:
        return None
    from hipcoach.understanding.acts import (
        CANNOT_DO,
        QUESTION_UNANSWERABLE,
        STRETCH_FELT,
        THANKED,
    )

    if understanding.act == QUESTION_UNANSWERABLE:
        return Act.UNANSWERABLE.value
    if understanding.act == CANNOT_DO:
        return Act.CANNOT_DO.value
    if understanding.act == THANKED:
        return Act.THANKED.value
    if understanding.act == STRETCH_FELT:
        return Act.STRETCH_FELT.value
    # a correction word with no finding to correct ("what actually is bursitis") is no correction
    corrects = understanding.corrected and bool(understanding.findings)
    return Act.CORRECTED.value if corrects else None


def turn_of(handler_input: HandlerInput, understanding: Understanding | None = None) -> Turn:
    request = handler_input.request_envelope.request
    intent = request.intent if isinstance(request, IntentRequest) else None
    turn = Turn(
        request_type=str(getattr(request, "object_type", "") or ""),
        intent=intent.name if intent is not None else None,
        slots=slots_of(request),
        locale=getattr(request, "locale", None),
        today=today(handler_input),
        records=RequestRecords(handler_input),
        screen=_screen(handler_input),
        act=_act(understanding),
    )
    if understanding is None:
        return turn
    then = understanding.then
    from hipcoach.medical.knowledge import knowledge

    signs = knowledge().red_flags
    return replace(
        turn,
        said=understanding.values(signs),
        denies_all=understanding.denies_all,
        then=None
        if then is None
        else replace(
            turn,
            intent=then.intent,
            slots={n: SlotValue(v.value, v.id) for n, v in then.slots.items()},
            act=_act(then),
            said=then.values(signs),
        ),
    )


def response_of(handler_input: HandlerInput, reply: Reply) -> Response:
    builder = handler_input.response_builder
    speech = reply.speech_ssml()
    if speech is None:
        return builder.response
    builder.speak(speech)
    reprompt = reply.reprompt_as_ssml()
    if reprompt:
        builder.ask(reprompt)
    else:
        builder.set_should_end_session(True)
    if reply.card:
        builder.set_card(SimpleCard(title=reply.card[0], content=reply.card[1]))
    for directive in reply.directives:
        builder.add_directive(directive)
    return builder.response


class TurnHandler(AbstractRequestHandler):
    """Every request: a plain turn in, the policy's reply out."""

    def __init__(self, answer: Policy = policy.respond) -> None:
        self.answer = answer

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        manager = handler_input.attributes_manager
        in_session = handler_input.request_envelope.session is not None
        with one_rules_session():  # the turn runs the rules once
            state = conversation.read(manager.session_attributes if in_session else None)
            if in_session:  # what goes back if the turn fails: only what the skill owns
                manager.session_attributes = conversation.write(state)
            reply = self.answer(turn_of(handler_input, understood(handler_input, state)), state)
        if in_session:
            manager.session_attributes = conversation.write(state)
        return response_of(handler_input, reply)


class ApologiseOnError(AbstractExceptionHandler):
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        # The type only: a message could quote what the runner said.
        log.error("handler error: %s", type(exception).__name__)
        turn = turn_of(handler_input)
        if turn.request_type == "SessionEndedRequest":
            return handler_input.response_builder.response  # Alexa accepts no speech here
        return response_of(handler_input, launch.apology(turn))


def build_skill(
    persistence_adapter: AbstractPersistenceAdapter | None = None,
    skill_id: str | None = None,
    answer: Policy = policy.respond,
) -> CustomSkill:
    """The skill: one handler for every request, the error handler that apologises."""
    builder = (
        CustomSkillBuilder(persistence_adapter=persistence_adapter)
        if persistence_adapter is not None
        else CustomSkillBuilder()
    )
    if skill_id:
        builder.skill_id = skill_id  # type: ignore[assignment]  # ask-sdk types it as None
    builder.add_global_request_interceptor(FreshSessionWhenNeeded())
    builder.add_request_handler(TurnHandler(answer))
    builder.add_exception_handler(ApologiseOnError())
    return builder.create()


def default_persistence() -> AbstractPersistenceAdapter | None:
    """DynamoDB when HIPCOACH_DYNAMODB_TABLE is set; otherwise the local SQLite file."""
    if os.environ.get("HIPCOACH_DYNAMODB_TABLE"):
        # Imported only here: boto3 costs a cold start that the SQLite console never pays.
        from hipcoach.persistence.dynamodb import from_environment

        return from_environment()
    from hipcoach.persistence.sqlite import SQLitePersistenceAdapter, default_sqlite_path

    return SQLitePersistenceAdapter(default_sqlite_path())


@cache
def default_skill() -> CustomSkill:
    return build_skill(default_persistence(), os.environ.get("SKILL_ID") or None)
