"""Which routine to offer after a triage result.

Sharp pain: gentle stretching first; once it settles: strengthening (002: start with gentle
stretching, strengthen when the sharp pain reduces). Until a professional has seen a hip that needs
it, only gentle stretching. Nothing for urgent or emergency results, nor for a suspected stress
fracture (001: stop and rest as much as possible).
"""

from __future__ import annotations

GENTLE = "stretch"
STRENGTH = "strength"
_OFFERING_LEVELS = frozenset({"self_care", "see_professional"})
_NO_EXERCISE = frozenset({"stress_fracture"})


def offer_for(triage_level: str, condition_id: str, sharp_pain: bool) -> str | None:
    """The routine id to offer after a triage, or None when no routine should be offered."""
    if triage_level not in _OFFERING_LEVELS or condition_id in _NO_EXERCISE:
        return None
    if sharp_pain or triage_level == "see_professional":
        return GENTLE
    return STRENGTH
