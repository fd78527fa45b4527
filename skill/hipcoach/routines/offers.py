"""Which routine to offer after a triage result: the policy is content, this only applies it.

Each condition says the most it may be offered while the pain is sharp and once it has settled
(content/conditions.yaml `routine`: a strain nothing until the sharp pain eases, bursitis gentle
stretching first, then strengthening; 002, 003), and each triage level caps it
(content/triage_levels.yaml `routine_cap`: only gentle stretching until a professional has seen
a hip that needs it, nothing while it is urgent). The offer is the lesser of the two.
"""

from __future__ import annotations


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
