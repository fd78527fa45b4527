"""Every medical decision the dialog acts on, read in one place.

The rules decide: the triage rules for a check (`assess`, hipcoach.dialog.interview) and the care
plan for the rest (hipcoach.medical.care_plan: which routine is allowed or offered, whether a
routine stops, what a question about running or a follow-up is answered with, from this check and
the runner's history). The dialog reads their conclusions here and holds none of its own.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.interview import Assessment, assess
from hipcoach.dialog.result_speech import InForce
from hipcoach.dialog.turn import Turn
from hipcoach.medical.care_plan import CarePlan, care_plan
from hipcoach.medical.knowledge import knowledge
from hipcoach.medical.triage import level_if_present
from hipcoach.memory.episodes import history_of
from hipcoach.routines.loader import get_routine
from hipcoach.routines.offers import offer_from_plan
from hipcoach.speech.locales import numbers

__all__ = [
    "Assessment",
    "CarePlan",
    "assess",
    "at_level_in_force",
    "check_reasons",
    "routine_to_offer",
    "running_words",
    "safety_net_level",
    "stops_routine",
    "todays_plan",
]


def todays_plan(turn: Turn, conversation: Conversation, **said: object) -> CarePlan:
    """The care plan for this runner today: this session's check (with what was just `said`)
    and the stored history."""
    record = turn.records.load() or {}
    check = conversation.interview.findings if conversation.interview is not None else {}
    return care_plan({**check, **said}, history_of(record), turn.today)


# What was just told arrived mid-routine: the care plan's rules say whether that stops it.
TOLD_DURING_ROUTINE = "told_during_routine"


def stops_routine(turn: Turn, said: dict[str, Any]) -> bool:
    """Whether what the runner just told, mid-routine, stops it (content/care_plan_rules/
    routines.yaml: pain now or a warning sign; "it feels stiff" does not)."""
    if not said:
        return False
    record = turn.records.load() or {}
    plan = care_plan({**said, TOLD_DURING_ROUTINE: True}, history_of(record), turn.today)
    return plan.stop_routine


def at_level_in_force(
    turn: Turn, conversation: Conversation, assessment: Assessment
) -> tuple[Assessment, InForce | None, CarePlan]:
    """A finished check as it is spoken: at the care plan's level in force (today's check with
    the runner's history), never below it; with today's own level and the plan's reason when the
    level in force stands higher; and the plan itself (its running words are the result's
    "tomorrow"). Read before the check replaces the stored episode."""
    plan = todays_plan(turn, conversation)
    order = list(knowledge().levels)  # content/triage_levels.yaml, lowest first
    if order.index(plan.level) <= order.index(assessment.level):
        return assessment, None, plan
    because = plan.raised[0].text if plan.raised else None
    in_force = InForce(assessment.level, because, plan.level)
    return replace(assessment, level=plan.level), in_force, plan


def running_words(turn: Turn, plan: CarePlan) -> str:
    """The plan's answer to "can I run?", in the turn's locale, with the locale's numbers."""
    return plan.words("running", turn.texts, **numbers(turn.texts.locale))


def routine_to_offer(
    turn: Turn, conversation: Conversation, findings: dict[str, Any]
) -> str | None:
    """The routine a finished check may offer: the furthest the care plan allows now."""
    routine_id = offer_from_plan(todays_plan(turn, conversation, **findings))
    routine = get_routine(routine_id) if routine_id else None
    return routine.id if routine is not None else None


def check_reasons(findings: dict[str, Any], turn: Turn) -> tuple[str, ...]:
    """The rules behind a finished check's level and leading cause (ids, kept with the episode so
    "why?" on a later day says what the runner said then)."""
    plan = care_plan(findings, None, turn.today)
    return tuple(r.rule for r in (*plan.why, *plan.why_cause))


def safety_net_level(finding: str) -> str:
    """The level the rules give a warning sign that could not be asked about, alone."""
    return level_if_present(finding)
