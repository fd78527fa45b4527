"""The prevention rules (content/prevention_rules/) run on what the memory keeps.

The rules decide: the 10% rule's cap and the mileage-jump warning, shoe wear, when a follow-up calls
for a professional, and repeated checks. This module only turns the stored log into the rules'
scalar input facts (the seam that records, issue 13, can replace) and runs them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from forwardrules import load_rulebook
from hipcoach.memory.dates import from_iso, week_key, week_start
from hipcoach.memory.units import KM_PER_MILE
from hipcoach_content import CONTENT_DIR

RULES_DIR = CONTENT_DIR / "prevention_rules"
RULEBOOK_CACHE_ENV = "HIPCOACH_RULEBOOK_CACHE"  # the same on-disk cache as the hip rulebook
RECURRENT_WINDOW_DAYS = 30


@cache
def rulebook() -> Any:
    """The validated prevention rulebook, loaded once per process."""
    cache_dir = os.environ.get(RULEBOOK_CACHE_ENV) or None
    return load_rulebook(RULES_DIR, cache_dir=cache_dir)


@dataclass(frozen=True)
class Advice:
    """What the prevention rules concluded from one set of facts."""

    conclusions: Mapping[str, Any]

    def get(self, name: str) -> Any:
        return self.conclusions.get(name)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(self.conclusions.get("escalation_reason") or ())


def advise(facts: Mapping[str, Any]) -> Advice:
    """Run the prevention rules on these facts (unknown facts left out)."""
    known = {name: value for name, value in facts.items() if value is not None}
    with rulebook().session() as session:
        session.add(known)
        return Advice(dict(session.result().conclusions()))


# -- the seam: aggregates of the stored log as the rules' scalar facts ---------------------------


def _week_total(training: Mapping[str, Any], key: str) -> float:
    rec = training["weeks"].get(key)
    if not rec:
        return 0.0
    return float(rec["base"]) + sum(float(run["km"]) for run in rec["runs"])


def week_facts(training: Mapping[str, Any], day: date) -> dict[str, Any]:
    """The week holding `day` (as this_week_km) and the week before it (last_week_km)."""
    key = week_key(day)
    start = week_start(key) or day
    return {
        "this_week_km": round(_week_total(training, key), 3),
        "last_week_km": round(_week_total(training, week_key(start - timedelta(days=7))), 3),
        "weeks_logged": sum(1 for k in training["weeks"] if _week_total(training, k) > 0),
    }


def shoe_facts(shoe_km: float) -> dict[str, Any]:
    return {"shoe_miles": round(shoe_km / KM_PER_MILE, 1)}


def checks_within(checks: list[str], today: date, days: int = RECURRENT_WINDOW_DAYS) -> int:
    """How many hip checks were finished in the last `days` days (today included)."""
    oldest = today - timedelta(days=days - 1)
    return sum(1 for iso in checks if (d := from_iso(iso)) is not None and oldest <= d <= today)
