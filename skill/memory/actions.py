"""What each memory request does to the record and what is said back (no ask-sdk here).

Each function takes the user's persistent record and returns a `Reply`: the text to speak and,
when something changed, the new record to save.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from hipcoach.memory import store
from hipcoach.memory.dates import from_iso
from hipcoach.memory.episodes import (
    FollowUp,
    apply_followup,
    new_episode,
)
from hipcoach.memory.phrases import ago, amount, distance, followup_answer, shoe_limits
from hipcoach.memory.shoes import new_pair, shoe_km, wear_level
from hipcoach.memory.training import (
    last_logged_week,
    log_run,
    log_week_total,
    safe_next_week_km,
    total_for,
    within_ten_percent,
)
from hipcoach.memory.units import Unit, default_unit, from_km, parse_unit, safe_limit, to_km
from hipcoach.speech.texts import Texts

PERIODS = ("last_week", "this_week", "today")


@dataclass(frozen=True)
class Reply:
    text: str
    record: dict[str, Any] | None = None  # the record to save, when it changed
    followup: FollowUp | None = field(default=None)


def runner_unit(record: dict[str, Any], locale: str | None) -> Unit:
    """The unit the runner last used, else the locale's (miles en-US, kilometres en-GB)."""
    unit = store.training(record).get("unit")
    return unit if unit in ("mi", "km") else default_unit(locale)


def _safe_text(texts: Texts, last_km: float, unit: Unit) -> str:
    safe = safe_limit(from_km(safe_next_week_km(last_km), unit))
    return amount(texts, safe, unit)


def log_distance(
    record: dict[str, Any],
    texts: Texts,
    locale: str | None,
    number: float | None,
    unit_word: str | None,
    period: str | None,
    today: date,
) -> Reply:
    """'I ran 25 miles last week', 'I did 40 kilometres this week', 'add a 10k today'."""
    if number is None:
        return Reply(texts.get("memory.log_missing_distance"))
    said = parse_unit(unit_word)
    unit = said or runner_unit(record, locale)
    km = to_km(number, unit)
    training = {**store.training(record), "unit": unit}
    try:
        if period == "last_week":
            training = log_week_total(training, today - timedelta(days=7), km, today)
            text = " ".join(
                [
                    texts.get("memory.logged_last_week", distance=amount(texts, number, unit)),
                    texts.get("memory.ten_percent_safe", safe=_safe_text(texts, km, unit)),
                ]
            )
        elif period == "this_week":
            training = log_week_total(training, today, km, today)
            text = texts.get("memory.logged_this_week", distance=amount(texts, number, unit))
        else:
            training = log_run(training, today, km, today)
            text = texts.get(
                "memory.logged_run",
                distance=amount(texts, number, unit),
                total=distance(texts, total_for(training, today), unit),
            )
    except ValueError:
        return Reply(texts.get("memory.log_out_of_range"))
    return Reply(text, {**record, "training": training})


def plan_week(
    record: dict[str, Any],
    texts: Texts,
    locale: str | None,
    number: float | None,
    unit_word: str | None,
    today: date,
) -> Reply:
    """'How much can I run this week?' / 'I want to run 40 miles this week' (the 10% rule)."""
    last = last_logged_week(store.training(record), today)
    if last is None:
        return Reply(texts.get("memory.plan_no_history"))
    last_km = last[1]
    unit = parse_unit(unit_word) or runner_unit(record, locale)
    last_text = distance(texts, last_km, unit)
    safe_text = _safe_text(texts, last_km, unit)
    if number is None:
        return Reply(texts.get("memory.plan_safe", last=last_text, safe=safe_text))
    planned = amount(texts, number, unit)
    if within_ten_percent(to_km(number, unit), last_km):
        return Reply(texts.get("memory.plan_ok", planned=planned, last=last_text))
    return Reply(texts.get("memory.plan_too_much", planned=planned, last=last_text, safe=safe_text))


def new_shoes(record: dict[str, Any], texts: Texts, locale: str | None, today: date) -> Reply:
    text = texts.get("memory.shoes_new", **shoe_limits(texts, runner_unit(record, locale)))
    return Reply(text, {**record, "shoes": new_pair(today)})


def shoe_wear(record: dict[str, Any], texts: Texts, locale: str | None, today: date) -> Reply:
    shoes = store.shoes(record)
    if shoes is None:
        return Reply(texts.get("memory.shoes_unknown"))
    unit = runner_unit(record, locale)
    km = shoe_km(shoes, store.training(record), today)
    since = from_iso(shoes["since"]) or today
    text = texts.get(
        f"memory.shoes_{wear_level(km)}",
        when=ago(texts, since, today),
        distance=distance(texts, km, unit),
        **shoe_limits(texts, unit),
    )
    if km == 0:
        text = f"{text} {texts.get('memory.shoes_log_hint')}"
    return Reply(text)


def record_check(
    record: dict[str, Any],
    findings: dict[str, Any],
    triage_level: str,
    leading_condition: str | None,
    today: date,
) -> dict[str, Any]:
    """The record with a new episode from a finished check (replacing any earlier one)."""
    return {**record, "episode": new_episode(findings, triage_level, leading_condition, today)}


def followup(record: dict[str, Any], texts: Texts, progress: str, today: date) -> Reply:
    """A follow-up answer (gone, better, same, worse) applied to the open episode."""
    episode = store.episode(record)
    if episode is None or episode["status"] != "open":
        return Reply(texts.get("memory.no_episode"))
    updated, outcome = apply_followup(episode, progress, today)
    return Reply(followup_answer(texts, outcome), {**record, "episode": updated}, outcome)
