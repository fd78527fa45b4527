"""The one skill object that Lambda, the web service and the chat console all run.

Session attributes come back from the device on every turn, so they are the request's to tamper
with: before any handler runs, only the keys the skill owns are kept (:data:`OWNED_SESSION_KEYS`),
each at most :data:`MAX_SESSION_VALUE_BYTES` of JSON. Anything else a request carries is not
echoed back, which keeps every response within Alexa's 24 KB. The persistent record never travels
in the session: it is read from the store on each request (``hipcoach.persistence.user_record``).
"""

from __future__ import annotations

import json
import os
from functools import cache
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from hipcoach.dialog.state import KEY as MODE
from hipcoach.handlers import interview, memory, prevention, questions, result, routines
from hipcoach.understanding.interceptor import UnderstandWords

ROUTINE_KEY = "routine"  # hipcoach.routines.store.KEY (not imported here: it loads the player)
OWNED_SESSION_KEYS = frozenset(
    {
        MODE,
        interview.STATE_KEY,
        interview.OFFER_KEY,
        interview.OUTCOME_KEY,
        ROUTINE_KEY,
        result.RESULT_KEY,
        questions.ANSWERED_KEY,
    }
)
# The largest the skill writes is the interview state, about 1 KB; seven keys at this bound stay
# well inside Alexa's 24 KB together with the speech.
MAX_SESSION_VALUE_BYTES = 3 * 1024


def _small(value: Any) -> bool:
    try:
        return len(json.dumps(value, separators=(",", ":"))) <= MAX_SESSION_VALUE_BYTES
    except (TypeError, ValueError, RecursionError):
        return False


class KeepOwnedSessionAttributes(AbstractRequestInterceptor):
    """Drop the session keys the skill does not own, and owned ones grown beyond any real size."""

    def process(self, handler_input: HandlerInput) -> None:
        if handler_input.request_envelope.session is None:
            return
        attributes = handler_input.attributes_manager.session_attributes
        if not isinstance(attributes, dict):
            handler_input.attributes_manager.session_attributes = {}
            return
        for key in list(attributes):
            if key not in OWNED_SESSION_KEYS or not _small(attributes[key]):
                del attributes[key]


def retriage(handler_input: HandlerInput, findings: dict[str, Any]) -> str | None:
    """hipcoach.dialog.retriage.retriage, imported on a follow-up (it loads the rule engine)."""
    from hipcoach.dialog.retriage import retriage as run

    return run(handler_input, findings)


def build_skill(
    persistence_adapter: AbstractPersistenceAdapter | None = None, skill_id: str | None = None
) -> CustomSkill:
    """Assemble the handlers: mode-specific first (routine, memory confirmations, a result's
    parts, interview answers), then intents that work anywhere (runners' questions, prevention),
    then the fallbacks."""
    builder = (
        CustomSkillBuilder(persistence_adapter=persistence_adapter)
        if persistence_adapter is not None
        else CustomSkillBuilder()
    )
    if skill_id:
        builder.skill_id = skill_id  # type: ignore[assignment]  # ask-sdk types it as None
    handlers = [
        *interview.answer_handlers(),
        *routines.request_handlers(),
        *memory.request_handlers(retriage=retriage),
        *result.request_handlers(),
        *interview.request_handlers(),
        *questions.request_handlers(),
        *prevention.request_handlers(),
        *interview.fallback_handlers(),
    ]
    builder.add_global_request_interceptor(KeepOwnedSessionAttributes())
    builder.add_global_request_interceptor(UnderstandWords())
    for handler in handlers:
        builder.add_request_handler(handler)
    builder.add_exception_handler(interview.ApologiseOnError())
    return builder.create()


def default_persistence() -> AbstractPersistenceAdapter | None:
    """DynamoDB when HIPCOACH_DYNAMODB_TABLE is set; otherwise the local SQLite file."""
    if os.environ.get("HIPCOACH_DYNAMODB_TABLE"):
        from hipcoach.persistence.dynamodb import from_environment

        return from_environment()
    from hipcoach.persistence.sqlite import SQLitePersistenceAdapter, default_sqlite_path

    return SQLitePersistenceAdapter(default_sqlite_path())


@cache
def default_skill() -> CustomSkill:
    return build_skill(default_persistence(), os.environ.get("SKILL_ID") or None)
