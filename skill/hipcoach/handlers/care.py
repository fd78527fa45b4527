"""Today's care plan for the runner in this request: this session's check and the stored history,
through the rules (hipcoach.medical.care_plan). Handlers read it; nothing here decides."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ask_sdk_core.handler_input import HandlerInput

if TYPE_CHECKING:
    from hipcoach.medical.care_plan import CarePlan

# The session attribute holding the interview (hipcoach.handlers.interview.STATE_KEY).
INTERVIEW_KEY = "interview"


def session_findings(handler_input: HandlerInput) -> dict[str, Any]:
    """This session's check findings so far (empty when there is none)."""
    from hipcoach.dialog.interview import InterviewState

    attributes = handler_input.attributes_manager.session_attributes or {}
    state = InterviewState.from_attributes(attributes.get(INTERVIEW_KEY))
    return dict(state.findings) if state is not None else {}


def todays_plan(handler_input: HandlerInput, **said: object) -> CarePlan:
    """The care plan for this runner today: this session's check (with what was just `said`)
    and the stored history."""
    from hipcoach.clock import today
    from hipcoach.medical.care_plan import care_plan
    from hipcoach.memory.episodes import history_of
    from hipcoach.memory.store import load

    record = load(handler_input) or {}
    findings = {**session_findings(handler_input), **said}
    return care_plan(findings, history_of(record), today(handler_input))
