"""Memory's spoken sentences, assembled from content/speech/memory.yaml (plain text, not SSML)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hipcoach.memory import store
from hipcoach.memory.dates import days_between, from_iso, week_key
from hipcoach.memory.episodes import FollowUp
from hipcoach.memory.prevention import advise, shoe_records, today_record, training_records
from hipcoach.memory.units import Unit, from_km, spoken_number
from hipcoach.speech.locales import policy
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


def spoken_date(texts: Texts, day: date) -> str:
    """'November 20' (en-US) or '20 November' (en-GB), from content."""
    month = texts.get(f"memory.month_{day.month}")
    return texts.get("memory.date", month=month, day=day.day)


def on_day(texts: Texts, day: date, today: date) -> str:
    """'today', 'yesterday', 'on Sunday' (this past week), else 'on November 20'."""
    count = days_between(day, today)
    if count <= 0:
        return texts.get("memory.ago_today")
    if count == 1:
        return texts.get("memory.ago_yesterday")
    if count < 7:
        weekday = texts.get(f"memory.weekday_{day.weekday()}")
        return texts.get("memory.on_weekday", weekday=weekday)
    return texts.get("memory.on_date", date=spoken_date(texts, day))


def week_phrase(texts: Texts, day: date, today: date) -> str:
    """'this week', 'last week', or 'that week'."""
    if week_key(day) == week_key(today):
        return texts.get("memory.week_this_week")
    if week_key(day) == week_key(today - timedelta(days=7)):
        return texts.get("memory.week_last_week")
    return texts.get("memory.week_that_week")


def followup_answer(texts: Texts, outcome: FollowUp, episode: dict[str, Any]) -> str:
    """The answer to a follow-up, with the rules' reasons to see a professional. A duration is
    stated only when the runner gave it; else the check's own date is named."""
    parts = [texts.get(f"memory.followup_{outcome.progress}")]
    if outcome.escalate:
        recorded = from_iso(episode["recorded"])
        values = {
            "days": days(texts, outcome.days) if outcome.days is not None else "",
            "date": spoken_date(texts, recorded) if recorded else "",
        }
        parts += [texts.get(f"memory.escalate_{reason}", **values) for reason in outcome.reasons]
        parts.append(texts.get("memory.escalate_action"))
    return " ".join(parts)


def shoe_wear_text(
    texts: Texts, locale: str | None, record: dict[str, Any], unit: Unit, today: date
) -> str:
    """How far the current pair has gone and what the rules make of it (fresh, due, worn). The
    300-500 mile window is said in miles, as the seeds give it; a runner who uses kilometres in
    a kilometre locale also hears it in kilometres (an en-US runner never does)."""

    shoes = store.shoes(record)
    if shoes is None:
        return texts.get("memory.shoes_unknown")
    advice = advise(
        today_record(today), shoe_records(shoes), training_records(store.training(record))
    )
    km = advice.shoe_km
    since = from_iso(shoes.get("since"))
    said = distance(texts, km, unit)
    if since is not None and shoes.get("since_exact", True):
        when = ago(texts, since, today)
        head = texts.get("memory.shoes_distance_since", when=when, distance=said)
    else:
        head = texts.get("memory.shoes_distance", distance=said)

    wear = advice.shoe_wear or "fresh"
    parts = [head, texts.get(f"memory.shoes_{wear}")]
    if unit == "km" and policy(locale).distance_unit == "km":
        parts.append(texts.get("memory.shoes_window_km"))
    if km == 0:
        parts.append(texts.get("memory.shoes_log_hint"))
    return " ".join(parts)


def condition_name(texts: Texts, condition: str | None) -> str | None:
    key = f"memory.condition_{condition}"
    return texts.get(key) if condition and texts.has(key) else None
