"""Running shoes: the current pair and the distance on it, from the training log.

Stored `shoes`: {"since": purchase date or None, "base_km": distance the runner stated,
"counted_from": the first day whose logged runs are added}. A pair started with "I got new shoes"
has base 0 and counts from its purchase day; "my shoes have about 400 miles on them" sets the base
and counts what is logged after today. The distance on the pair and how worn that is, the
prevention rules decide (from the log as records).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hipcoach.memory.dates import from_iso, to_iso

MAX_SHOE_KM = 5000.0


def new_pair(day: date, exact: bool = True) -> dict[str, Any]:
    """A pair bought on `day`: today, a day the runner named, or (not exact) the Monday of a week
    they named ("last week"), which is not said back as a day."""
    return {"since": to_iso(day), "since_exact": exact, "base_km": 0.0, "counted_from": to_iso(day)}


def with_stated_distance(shoes: dict[str, Any] | None, km: float, today: date) -> dict[str, Any]:
    """The current pair with the distance the runner says is on it (a new dict)."""
    if not 0 <= km <= MAX_SHOE_KM:
        raise ValueError("shoe distance out of range")
    since = shoes.get("since") if shoes else None
    return {
        "since": since,
        "since_exact": bool(shoes.get("since_exact", True)) if shoes else True,
        "base_km": round(km, 3),
        "counted_from": to_iso(today + timedelta(days=1)),
    }


def validate_shoes(raw: object) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        return None
    since = raw.get("since")
    if since is not None and from_iso(since) is None:
        return None
    counted_from = raw.get("counted_from", since)
    base = raw.get("base_km", 0.0)
    if from_iso(counted_from) is None or isinstance(base, bool):
        return None
    if not isinstance(base, int | float | Decimal) or not math.isfinite(float(base)):
        return None
    if not 0 <= float(base) <= MAX_SHOE_KM:
        return None
    exact = raw.get("since_exact", True) is not False
    return {
        "since": since,
        "since_exact": exact,
        "base_km": float(base),
        "counted_from": counted_from,
    }
