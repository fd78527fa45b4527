"""Distances: stored in kilometres, spoken in the runner's unit ('mi' or 'km')."""

from __future__ import annotations

import math
from typing import Literal

from hipcoach.speech.locales import policy

Unit = Literal["mi", "km"]
KM_PER_MILE = 1.609344
_UNIT_WORDS: dict[str, Unit] = {
    "mi": "mi",
    "mile": "mi",
    "miles": "mi",
    "km": "km",
    "k": "km",
    "ks": "km",
    "kilometre": "km",
    "kilometres": "km",
    "kilometer": "km",
    "kilometers": "km",
    "kms": "km",
}


def default_unit(locale: str | None) -> Unit:
    """The locale's unit (content/locales.yaml), for a runner who has not said one."""

    return policy(locale).distance_unit


def parse_unit(raw: str | None) -> Unit | None:
    """The unit a runner said ('miles', 'kilometres', 'k', ...), or None when unsaid/unknown."""
    if not raw:
        return None
    return _UNIT_WORDS.get(raw.strip().lower().rstrip("."))


def is_unit(value: object) -> bool:
    return value in ("mi", "km")


def to_km(distance: float, unit: Unit) -> float:
    return distance * KM_PER_MILE if unit == "mi" else distance


def from_km(km: float, unit: Unit) -> float:
    return km / KM_PER_MILE if unit == "mi" else km


def shown(value: float) -> float:
    """A distance as spoken back: one decimal, no float noise (25.000001 -> 25.0)."""
    return round(value + 1e-9, 1)


def safe_limit(value: float) -> float:
    """Round a 10%-rule ceiling down, never up: to a half under 30, to a whole number above."""
    eps = 1e-6
    if value < 30:
        return math.floor(value * 2 + eps) / 2
    return float(math.floor(value + eps))


def spoken_number(value: float) -> str:
    """'27.5', '27' (no trailing .0)."""
    rounded = shown(value)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}"
