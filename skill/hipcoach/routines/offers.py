"""Which routine to offer after a triage result: the policy is content, this only applies it.

Each condition says the most it may be offered while the pain is sharp and once it has settled
(content/conditions.yaml `routine`: a strain nothing until the sharp pain eases, bursitis gentle
stretching first, then strengthening; 002, 003), and each triage level caps it
(content/triage_levels.yaml `routine_cap`: only gentle stretching until a professional has seen
a hip that needs it, nothing while it is urgent). The offer is the lesser of the two.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hipcoach.medical.care_plan import CarePlan


def offer_for(triage_level: str, condition_id: str, sharp_pain: bool) -> str | None:
    """The routine id to offer after a triage, or None when no routine should be offered."""
    # Imported here: the knowledge base loads the rules engine, which a launch never needs.
    from hipcoach.medical.knowledge import ROUTINE_STEPS, knowledge

    kb = knowledge()
    level = kb.levels.get(triage_level)
    if level is None:
        return None
    condition = kb.conditions.get(condition_id)
    policy = condition.routine if condition else kb.routine_without_cause
    allowed = policy.sharp if sharp_pain else policy.settled
    step = min(ROUTINE_STEPS.index(allowed), ROUTINE_STEPS.index(level.routine_cap))
    return None if step == 0 else ROUTINE_STEPS[step]


def offer_from_plan(plan: CarePlan) -> str | None:
    """The routine to offer after a check, read from the care plan (issue 22): the furthest step
    of ROUTINE_STEPS the rules allow now, or None when they allow none. The handlers use this;
    `offer_for` is the former policy, kept until its tests move to the plan."""
    from hipcoach.medical.knowledge import ROUTINE_STEPS

    allowed = [step for step in ROUTINE_STEPS if plan.allows(step)]
    return allowed[-1] if allowed else None


def with_exercises(plan: CarePlan) -> CarePlan:
    """The plan with the exercises of each allowed routine (content/routines/), by id."""
    from dataclasses import replace

    from hipcoach.routines.loader import routines

    known = routines()
    exercises = {
        rid: tuple(exercise.id for exercise in known[rid].exercises)
        for rid in plan.routines
        if rid in known
    }
    return replace(plan, exercises=exercises)
