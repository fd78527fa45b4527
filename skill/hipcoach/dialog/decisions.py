"""Every medical decision the dialog acts on, read in one place.

The rules decide (content/rules/, through `hipcoach.dialog.interview.assess`); this module only
asks them. It is the one place the dialog switches to the care plan (hipcoach.medical.care_plan)
when that lands: the level in force, which routine may be offered, what a follow-up adds.
"""

from __future__ import annotations

from typing import Any

from forwardrules import FactError
from hipcoach.dialog.interview import Assessment, InterviewState, assess
from hipcoach.dialog.result_speech import level_action
from hipcoach.medical.knowledge import knowledge
from hipcoach.routines.loader import get_routine
from hipcoach.routines.offers import offer_for

__all__ = ["Assessment", "assess", "followup_action", "routine_to_offer"]


def _sharp_pain(findings: dict[str, Any]) -> bool:
    severity = findings.get("pain_severity")
    return findings.get("pain_quality") == "sharp" or (
        isinstance(severity, int | float) and severity >= 7
    )


def routine_to_offer(assessment: Assessment, findings: dict[str, Any]) -> str | None:
    """The routine a finished check may offer (content/conditions.yaml and triage_levels.yaml)."""
    routine_id = offer_for(assessment.level, assessment.leader or "", _sharp_pain(findings))
    routine = get_routine(routine_id) if routine_id else None
    return routine.id if routine is not None else None


def followup_action(findings: dict[str, Any], locale: str) -> str | None:
    """On a follow-up: the action for the level the rules now give, when it is more than the
    memory's own follow-up advice (which already says to see a professional after a week or when
    worse); None otherwise."""
    try:
        assessment = assess(InterviewState(findings=dict(findings), asked=0))
    except FactError:
        return None
    if assessment.level in ("self_care", "see_professional"):
        return None
    return level_action(knowledge(), assessment.level, locale)
