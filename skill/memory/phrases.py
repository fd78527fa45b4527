"""Memory's spoken sentences, assembled from content/speech/memory.yaml (plain text, not SSML)."""

from __future__ import annotations

from datetime import date
from typing import Any

from hipcoach.memory.dates import days_between
from hipcoach.memory.episodes import FollowUp
from hipcoach.memory.shoes import REPLACE_BY_MILES, REPLACE_FROM_MILES
from hipcoach.memory.units import KM_PER_MILE, Unit, from_km, spoken_number
from hipcoach.speech.texts import Texts


def distance(texts: Texts, km: float, unit: Unit) -> str:
    """'25 miles', '1 kilometre', from kilometres."""
    value = from_km(km, unit)
    number = spoken_number(value)
    key = f"memory.distance_{unit}_one" if number == "1" else f"memory.distance_{unit}"
    return texts.get(key, n=number)


def amount(texts: Texts, value: float, unit: Unit) -> str:
    """A distance already in the runner's unit."""
    number = spoken_number(value)
    key = f"memory.distance_{unit}_one" if number == "1" else f"memory.distance_{unit}"
    return texts.get(key, n=number)


def days(texts: Texts, count: int) -> str:
    return texts.get("memory.days_one") if count == 1 else texts.get("memory.days_many", n=count)


def ago(texts: Texts, then: date, today: date) -> str:
    """'today', 'yesterday', '5 days ago', 'about 3 weeks ago'."""
    count = max(days_between(then, today), 0)
    if count == 0:
        return texts.get("memory.ago_today")
    if count == 1:
        return texts.get("memory.ago_yesterday")
    if count < 14:
        return texts.get("memory.ago_days", n=count)
    return texts.get("memory.ago_weeks", n=round(count / 7))


def where(texts: Texts, location: str | None) -> str | None:
    return texts.get(f"memory.where_{location}") if location else None


def followup_question(texts: Texts, episode: dict[str, Any]) -> str:
    place = where(texts, episode.get("location"))
    if place:
        return texts.get("memory.followup_question", where=place)
    return texts.get("memory.followup_question_unknown")


def followup_answer(texts: Texts, outcome: FollowUp) -> str:
    parts = [texts.get(f"memory.followup_{outcome.progress}", days=days(texts, outcome.days))]
    if outcome.escalate:
        parts += [
            texts.get(f"memory.escalate_{reason}", days=days(texts, outcome.days))
            for reason in outcome.reasons
        ]
        parts.append(texts.get("memory.escalate_action"))
    return " ".join(parts)


def shoe_limits(texts: Texts, unit: Unit) -> dict[str, str]:
    """The 300–500 mile range, in the runner's unit (kilometres rounded to tens)."""
    low, high = REPLACE_FROM_MILES, REPLACE_BY_MILES
    if unit == "km":
        low, high = round(low * KM_PER_MILE, -1), round(high * KM_PER_MILE, -1)
    return {"low": spoken_number(low), "high": amount(texts, high, unit)}


def condition_name(texts: Texts, condition: str | None) -> str | None:
    key = f"memory.condition_{condition}"
    return texts.get(key) if condition and texts.has(key) else None
