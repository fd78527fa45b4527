"""The one skill object that Lambda, the web service and the chat console all run."""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from hipcoach.handlers import interview, memory, prevention, routines


def retriage(handler_input: HandlerInput, findings: dict[str, Any]) -> str | None:
    """hipcoach.dialog.retriage.retriage, imported on a follow-up (it loads the rule engine)."""
    from hipcoach.dialog.retriage import retriage as run

    return run(handler_input, findings)


def build_skill(
    persistence_adapter: AbstractPersistenceAdapter | None = None, skill_id: str | None = None
) -> CustomSkill:
    """Assemble the handlers: mode-specific first (interview answers, routine, memory
    confirmations), then intents that work anywhere, then the fallbacks."""
    builder = CustomSkillBuilder(persistence_adapter=persistence_adapter)
    if skill_id:
        builder.skill_id = skill_id
    handlers = [
        *interview.answer_handlers(),
        *routines.request_handlers(),
        *memory.request_handlers(retriage=retriage),
        *interview.request_handlers(),
        *prevention.request_handlers(),
        *interview.fallback_handlers(),
    ]
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
