"""Re-running triage on a follow-up: what the memory knows about an episode, through the rules."""

from __future__ import annotations

from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from forwardrules import FactError
from hipcoach.dialog.interview import InterviewState, assess
from hipcoach.dialog.result_speech import level_action
from hipcoach.speech import respond


def retriage(handler_input: HandlerInput, findings: dict[str, Any]) -> str | None:
    """The action for the level the rules now give, when it is more than the memory's own
    follow-up advice (which already says to see a professional after a week or when worse)."""
    try:
        assessment = assess(InterviewState(findings=dict(findings), asked=0))
    except FactError:
        return None
    if assessment.level in ("self_care", "see_professional"):
        return None
    from hipcoach.medical.knowledge import knowledge

    return level_action(knowledge(), assessment.level, respond.texts(handler_input).locale)
