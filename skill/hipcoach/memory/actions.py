"""What each memory request does to the record and what is said back (no ask-sdk here).

Each request gives an `Answer`: `change`, a pure function from the stored record to a new one
(None when nothing is written), and `say`, the reply computed from the resulting record. The
handler applies the change with `store.update` (which a conditional write may re-apply to a fresher
record) and speaks `say(result)`. What the log means is the prevention rules' decision
(hipcoach.memory.prevention, on the stored log as records); this module picks the sentences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from hipcoach.memory import store
from hipcoach.memory.dates import from_iso, week_key
from hipcoach.memory.episodes import (
    apply_followup,
    apply_note,
    last_followup,
    new_episode,
    validate_checks,
    with_check,
    with_level_in_force,
)
from hipcoach.memory.phrases import (
    amount,
    distance,
    followup_answer,
    followup_reasons,
    on_day,
    shoe_wear_text,
    week_phrase,
)
from hipcoach.memory.prevention import (
    Advice,
    advise,
    check_records,
    followup_records,
    plan_records,
    today_record,
    training_records,
)
from hipcoach.memory.shoes import new_pair, with_stated_distance
from hipcoach.memory.training import log_run, log_week_total
from hipcoach.memory.units import Unit, default_unit, from_km, parse_unit, safe_limit, to_km
from hipcoach.speech.texts import Texts

if TYPE_CHECKING:
    from hipcoach.medical.care_plan import CarePlan

PERIODS = ("last_week", "this_week", "today")
PLAN_WEEKS = ("this_week", "next_week")

Say = Callable[[dict[str, Any]], str]


@dataclass(frozen=True)
class Answer:
    say: Say  # the reply, from the record after the change
    change: store.Change | None = None  # pure: record -> new record; None: nothing to write


def told(text: str) -> Answer:
    return Answer(lambda _record: text)


def runner_unit(record: dict[str, Any], locale: str | None) -> Unit:
    """The unit the runner last used, else the locale's (content/locales.yaml)."""
    unit = store.training(record).get("unit")
    return unit if unit in ("mi", "km") else default_unit(locale)


def _safe(texts: Texts, km: float, unit: Unit) -> str:
    """A 10%-rule cap as spoken: rounded down, never up (after dropping the noise of storing
    kilometres to the metre, so 30 miles' cap is 33, not 32)."""
    return amount(texts, safe_limit(round(from_km(km, unit), 2)), unit)


# -- the training log -------------------------------------------------------------------------


@dataclass(frozen=True)
class _When:
    """Where a logged distance goes: a week's total, or a run on one day."""

    day: date
    week_total: bool
    week_only: bool = False  # the runner named a week, not a day: never say a day back


def _when(period: str | None, spoken_date: str | None, today: date) -> _When | None:
    """From the PeriodType slot (a week's total: "I ran 20 miles last week") or an AMAZON.DATE
    value (a run: "I did a 10k yesterday"); None for a day that has not come yet."""
    if period == "last_week":
        return _When(today - timedelta(days=7), week_total=True)
    if period == "this_week":
        return _When(today, week_total=True)
    if not spoken_date or period == "today":
        return _When(today, week_total=False)
    from hipcoach.understanding.words import days_since

    spoken_date = spoken_date.upper()  # slot values arrive lower-cased: "2026-w47"

    day = from_iso(spoken_date) if "-W" not in spoken_date else None
    if day is not None:
        return _When(day, week_total=False) if day <= today else None
    back = days_since(spoken_date, today)
    if back is None:
        return _When(today, week_total=False)
    start = today - timedelta(days=back)
    if "-W" in spoken_date and not spoken_date.endswith("-WE"):
        # "I did a 10k last week": a run in that week, on its last day up to today
        return _When(min(start + timedelta(days=6), today), week_total=False, week_only=True)
    return _When(start, week_total=False)  # a weekend: its Saturday; a month: its first day


def jump_warning(texts: Texts, advice: Advice, day: date, today: date, unit: Unit) -> str:
    """The 10% rule's warning when the week holding `day` jumped from the week before, or ''."""
    jump = advice.jump(day)
    if jump is None:
        return ""
    last = advice.week_km(day, weeks_back=1)
    pct = jump["pct"]
    current = week_key(day) == week_key(today)
    which = "last_week" if current else "week_before"
    kind = "double" if 95 <= pct <= 105 else "triple" if 195 <= pct <= 205 else "pct"
    return " ".join(
        [
            texts.get(
                f"memory.jump_{kind}_{which}",
                pct=round(pct),
                last=distance(texts, last, unit),
                cap=_safe(texts, jump["cap_km"], unit),
            ),
            texts.get("memory.jump_advice"),
        ]
    )


def log_distance(
    record: dict[str, Any],
    texts: Texts,
    locale: str | None,
    number: float | None,
    unit_word: str | None,
    period: str | None,
    spoken_date: str | None,
    today: date,
) -> Answer:
    """'I ran 25 miles last week', 'I did a 10k yesterday', 'add 8k on Sunday'."""
    if number is None:
        return told(texts.get("memory.log_missing_distance"))
    when = _when(period, spoken_date, today)
    if when is None:
        return told(texts.get("memory.log_future"))
    unit = parse_unit(unit_word) or runner_unit(record, locale)
    km = to_km(number, unit)
    try:  # the same checks the change makes, so a bad distance gets an answer, not a fault
        _logged(store.training(record), when, km, unit, today)
    except ValueError:
        return told(texts.get("memory.log_out_of_range"))

    def change(current: dict[str, Any]) -> dict[str, Any]:
        return {**current, "training": _logged(store.training(current), when, km, unit, today)}

    def say(result: dict[str, Any]) -> str:
        # the rules on the log as it now is, with this week's 10% cap asked for too
        training = training_records(store.training(result))
        advice = advise(today_record(today), training, plan_records("this_week"))
        said = amount(texts, number, unit)
        week = week_phrase(texts, when.day, today)
        if when.week_total:
            parts = [texts.get("memory.logged_week", distance=said, week=week)]
        else:
            parts = [
                texts.get(
                    "memory.logged_run",
                    distance=said,
                    when=week if when.week_only else on_day(texts, when.day, today),
                    total=distance(texts, advice.week_km(when.day), unit),
                    week=week,
                )
            ]
        warning = jump_warning(texts, advice, when.day, today, unit)
        if warning:
            parts.append(warning)
        elif when.week_total and week_key(when.day) == week_key(today - timedelta(days=7)):
            cap = advice.cap_km
            if cap is not None:
                parts.append(texts.get("memory.ten_percent_safe", safe=_safe(texts, cap, unit)))
        return " ".join(parts)

    return Answer(say, change)


def _logged(
    training: dict[str, Any], when: _When, km: float, unit: Unit, today: date
) -> dict[str, Any]:
    training = {**training, "unit": unit}
    if when.week_total:
        return log_week_total(training, when.day, km, today)
    return log_run(training, when.day, km, today)


def plan_week(
    record: dict[str, Any],
    texts: Texts,
    locale: str | None,
    number: float | None,
    unit_word: str | None,
    week: str | None,
    today: date,
) -> Answer:
    """'How much can I run this week?', 'how much next week?', 'is 40 miles too much?'."""
    training = store.training(record)
    unit = parse_unit(unit_word) or runner_unit(record, locale)
    target = week if week in PLAN_WEEKS else "this_week"
    planned = to_km(number, unit) if number is not None else None
    advice = advise(today_record(today), training_records(training), plan_records(target, planned))
    return told(_plan_text(texts, advice, number, unit, target, today))


def _plan_text(
    texts: Texts,
    advice: Advice,
    number: float | None,
    unit: Unit,
    target: str,
    today: date,
) -> str:
    basis, cap = advice.plan_basis, advice.cap_km
    if basis in (None, "none") or cap is None:
        # Imported here: the knowledge base loads the rules engine, which a launch never needs
        # (tests/lambda/test_lambda_zip.py measures what a launch imports).
        from hipcoach.medical.knowledge import knowledge

        # nothing logged: the rule itself (content/prevention.yaml), then how to get a figure
        rule = knowledge().prevention["mileage"].text
        return f"{rule} {texts.get('memory.plan_no_history')}"
    done = advice.week_km(today)
    values = {
        "base": distance(texts, advice.plan_base_km, unit),
        "safe": _safe(texts, cap, unit),
        "week": texts.get(f"memory.week_{target}"),
    }
    if number is not None:
        key = "memory.plan_too_much" if advice.plan_over_cap else "memory.plan_ok"
        return texts.get(key, planned=amount(texts, number, unit), **values)
    parts = [texts.get(f"memory.plan_{target}_from_{basis}", **values)]
    if target == "this_week" and advice.jump(today) is not None:
        parts.append(texts.get("memory.plan_over_already", done=distance(texts, done, unit)))
    elif target == "this_week" and done > 0:
        left = max(safe_limit(from_km(cap, unit)) - from_km(done, unit), 0.0)
        parts.append(
            texts.get(
                "memory.plan_so_far",
                done=distance(texts, done, unit),
                left=amount(texts, safe_limit(left), unit),
            )
        )
    return " ".join(parts)


# -- shoes ------------------------------------------------------------------------------------


def _pair_day(spoken_date: str | None, today: date) -> tuple[date, bool]:
    """When a pair was bought, and whether that is a day the runner named (not just a week)."""
    if not spoken_date:
        return today, True
    spoken_date = spoken_date.upper()  # slot values arrive lower-cased: "2026-w47"
    if "-W" in spoken_date:
        from hipcoach.understanding.words import days_since

        back = days_since(spoken_date, today)
        return (today - timedelta(days=back), False) if back is not None else (today, True)
    day = from_iso(spoken_date)
    if day is not None:
        return min(day, today), True
    from hipcoach.understanding.words import days_since

    back = days_since(spoken_date, today)
    return (today - timedelta(days=back), False) if back is not None else (today, True)


def new_shoes(
    record: dict[str, Any], texts: Texts, locale: str | None, spoken_date: str | None, today: date
) -> Answer:
    """'I got new shoes', 'I got new shoes last week' (counted from that week)."""
    day, exact = _pair_day(spoken_date, today)

    def change(current: dict[str, Any]) -> dict[str, Any]:
        return {**current, "shoes": new_pair(day, exact)}

    def say(result: dict[str, Any]) -> str:
        unit = runner_unit(result, locale)
        key = "memory.shoes_new" if day == today else "memory.shoes_new_earlier"
        return " ".join([texts.get(key), shoe_wear_text(texts, locale, result, unit, today)])

    return Answer(say, change)


def set_shoe_distance(
    record: dict[str, Any],
    texts: Texts,
    locale: str | None,
    number: float | None,
    unit_word: str | None,
    today: date,
) -> Answer:
    """'My shoes have about 400 miles on them', 'my trainers have done about 600k'."""
    if number is None:
        return told(texts.get("memory.shoes_ask_distance"))
    unit = parse_unit(unit_word) or runner_unit(record, locale)
    km = to_km(number, unit)
    try:
        with_stated_distance(store.shoes(record), km, today)
    except ValueError:
        return told(texts.get("memory.log_out_of_range"))

    def change(current: dict[str, Any]) -> dict[str, Any]:
        return {**current, "shoes": with_stated_distance(store.shoes(current), km, today)}

    def say(result: dict[str, Any]) -> str:
        return " ".join(
            [texts.get("memory.shoes_set"), shoe_wear_text(texts, locale, result, unit, today)]
        )

    return Answer(say, change)


def shoe_wear(record: dict[str, Any], texts: Texts, locale: str | None, today: date) -> Answer:
    if store.shoes(record) is None:
        return told(texts.get("memory.shoes_unknown"))
    unit = runner_unit(record, locale)
    return told(shoe_wear_text(texts, locale, record, unit, today))


# -- hip checks and follow-ups ---------------------------------------------------------------


def record_check(
    record: dict[str, Any],
    findings: dict[str, Any],
    triage_level: str,
    leading_condition: str | None,
    today: date,
    in_force: str | None = None,
    reasons: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The record with a new episode from a finished check (replacing any earlier one, whose
    level in force `in_force` keeps when above this check's), and the check's date kept to
    notice repeated bouts. A new dict."""
    return {
        **record,
        "episode": new_episode(findings, triage_level, leading_condition, today, in_force, reasons),
        "checks": with_check(record.get("checks"), today),
    }


def is_recurrent(record: dict[str, Any], today: date) -> bool:
    """Whether the rules call the stored checks repeated bouts of pain."""
    return advise(
        today_record(today), check_records(validate_checks(record.get("checks")))
    ).recurrent


def followup_advice(
    record: dict[str, Any], episode: dict[str, Any], progress: str, today: date
) -> Advice:
    """What the prevention rules make of a follow-up answer, the episode and the stored checks."""
    return advise(
        today_record(today),
        followup_records(episode, progress),
        check_records(validate_checks(record.get("checks"))),
    )


def followup(
    record: dict[str, Any],
    texts: Texts,
    progress: str | None,
    today: date,
    notes: dict[str, bool] | None = None,
) -> Answer:
    """A follow-up answer (gone, better, same, worse) applied to the open episode, with what the
    runner said of a professional having seen it or the sharp pain having settled (`notes`,
    `hipcoach.memory.episodes.NOTES` keys), kept with today's date; either may come alone."""
    notes = {key: True for key, said in (notes or {}).items() if said}
    episode = store.episode(record)
    if episode is None or episode["status"] != "open":
        if notes and progress is None:
            return told(texts.get("memory.note_no_episode"))
        return told(texts.get("memory.no_episode"))

    def change(current: dict[str, Any]) -> dict[str, Any]:
        open_episode = store.episode(current)
        if open_episode is None or open_episode["status"] != "open":
            return current
        updated = open_episode
        if progress is not None:
            advice = followup_advice(current, open_episode, progress, today)
            updated = apply_followup(
                open_episode, progress, today, advice.reasons, advice.escalation
            )
        if notes:
            updated = apply_note(updated, notes, today)
        changed = {**current, "episode": updated}
        # The level in force after this answer, kept with it: a later launch reminds of a level
        # that stands whatever raised it (the check, or this follow-up), running the rules only
        # when such a level was told (hipcoach.dialog.memory.in_force_reminder). The same plan
        # `say` reads below (one rules run: the care plan caches it by its facts).
        return {**changed, "episode": with_level_in_force(updated, _plan(changed).level, today)}

    def _plan(result: dict[str, Any]) -> CarePlan:
        from hipcoach.medical.care_plan import care_plan
        from hipcoach.memory.episodes import history_of

        return care_plan({}, history_of(result), today)

    def say(result: dict[str, Any]) -> str:
        from hipcoach.speech.locales import numbers as locale_numbers

        updated = store.episode(result)
        outcome = last_followup(updated, today) if updated and progress is not None else None
        if updated is None or (outcome is None and not notes):
            return texts.get("memory.no_episode")
        # What the answer means is the care plan's (content/care_plan_rules/followup.yaml): an
        # urgent or emergency result is not cleared by "it's better", only by a professional.
        plan = _plan(result)
        noted = [texts.get(f"memory.note_{key}") for key in notes]
        if plan.followup is None:
            if outcome is None:
                return " ".join([*noted, texts.get("memory.note_kept")])
            return " ".join([*noted, followup_answer(texts, outcome, updated)])
        numbers = locale_numbers(texts.locale)
        # The reasons are facts the rules found (days, repeated checks); the words that say
        # what to do are the care plan's.
        reasons = followup_reasons(texts, outcome, updated) if outcome is not None else []
        # What it says of running is the plan's running conclusion (one source of truth).
        running = texts.get(
            "care_plan.followup_running", running=plan.words("running", texts, **numbers)
        )
        return " ".join([*noted, *reasons, plan.words("followup", texts, **numbers), running])

    return Answer(say, change)
