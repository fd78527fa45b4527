"""Running shoes: the date of the current pair and the distance on it, from the training log.

Seeds: replace running shoes every 300–500 miles (003_b55f5c078ddef855.txt,
004_983ba7b6c6361c1b.txt).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hipcoach.memory.dates import from_iso, to_iso
from hipcoach.memory.training import km_since
from hipcoach.memory.units import KM_PER_MILE

REPLACE_FROM_MILES = 300.0
REPLACE_BY_MILES = 500.0


def new_pair(today: date) -> dict[str, Any]:
    return {"since": to_iso(today)}


def validate_shoes(raw: object) -> dict[str, Any] | None:
    if not isinstance(raw, dict) or from_iso(raw.get("since")) is None:
        return None
    return {"since": raw["since"]}


def shoe_km(shoes: dict[str, Any], training: dict[str, Any] | None, today: date) -> float:
    since = from_iso(shoes["since"]) or today
    return km_since(training, since, today) if training else 0.0


def wear_level(km: float) -> str:
    """'fresh' under 300 miles, 'due_soon' from 300, 'replace' from 500."""
    miles = km / KM_PER_MILE
    if miles >= REPLACE_BY_MILES:
        return "replace"
    if miles >= REPLACE_FROM_MILES:
        return "due_soon"
    return "fresh"
