"""Journeys across days (issue 22): after a check at each level, a follow-up, a run question and a
routine request on a later day, in en-US and en-GB, through the chat console (local NLU, real
envelopes, the one skill object, a real SQLite file). What the skill says and does must be what
the care plan (content/care_plan_rules/) concludes for that runner on that day, and the plan
itself must keep the clinical guarantees: an urgent or emergency result is not lowered by
"it's better", no routine while urgent, no strength before the sharp pain has settled.
"""

from __future__ import annotations

from datetime import date

import pytest
from _conversations import Check, Conversation, Day, Tally, Turn, run

from hipcoach import app
from hipcoach.medical.care_plan import CarePlan, Contact, History, care_plan
from hipcoach.medical.knowledge import LEVELS

DAY1, DAY2, DAY3 = "2026-11-16", "2026-11-17", "2026-11-19"
LAUNCH = "open hip coach"
# A finished check at each level: findings as the interview would leave them, its level and
# leading cause (the rules' own outcome for those findings, checked below).
CHECKS = {
    "self_care": Check(
        {"pain_location": "outer_hip", "tender_outer_hip": True, "worse_lying_on_side": True},
        "self_care",
        "trochanteric_bursitis",
    ),
    "see_professional": Check(
        {"pain_location": "groin", "clicking": True, "locking_or_catching": True},
        "see_professional",
        "labral_tear",
    ),
    "urgent": Check(
        {
            "pain_location": "groin",
            "night_pain": True,
            "worsening": True,
            "pain_timing": "at_rest",
            "mileage_increase_pct": 40,
        },
        "urgent",
        "stress_fracture",
    ),
    "emergency": Check({"cannot_bear_weight": True}, "emergency", "stress_fracture"),
}
ROUTINES = {"stretch": "start my stretches", "strength": "let's do some strength work"}


def _database(tmp_path, monkeypatch):
    """A fresh SQLite file for the skill (the skill object is rebuilt to use it)."""
    db = tmp_path / "hip.db"
    monkeypatch.setenv("HIPCOACH_DB", str(db))
    app.default_skill.cache_clear()
    return db


@pytest.fixture(autouse=True)
def _fresh_skill():
    yield
    app.default_skill.cache_clear()


def _plan(check: Check, *later: Contact, on: str) -> CarePlan:
    # the check as it is stored: its level and cause, what the pain felt like and how strong
    first = Contact(
        date.fromisoformat(DAY1),
        check_level=check.level,
        condition=check.condition,
        quality=check.findings.get("pain_quality"),
        severity=check.findings.get("pain_severity"),
    )
    return care_plan({}, History((first, *later)), date.fromisoformat(on))


@pytest.mark.parametrize("level", LEVELS)
def test_the_checks_are_what_the_rules_conclude(level):
    check = CHECKS[level]
    plan = care_plan(check.findings, None, date.fromisoformat(DAY1))
    assert plan.level == level and plan.leader == check.condition


def _journey(level: str, locale: str, progress_words: str, progress: str) -> Conversation:
    check = CHECKS[level]
    day2 = date.fromisoformat(DAY2)
    after = _plan(check, Contact(day2, followup=progress), on=DAY2)
    routine_turns = [
        Turn(words, "StartRoutineIntent", mode="routine")
        if after.allows(routine)
        else Turn(words, "StartRoutineIntent", key="care_plan.routine_refused")
        for routine, words in ROUTINES.items()
    ]
    return Conversation(
        f"{level} then {progress} ({locale})",
        [
            Day(DAY1, [Turn(LAUNCH, "LaunchRequest"), check], locale),
            Day(
                DAY2,
                [
                    Turn(LAUNCH, "LaunchRequest", mode="followup"),
                    Turn(
                        progress_words, "ProgressIntent", key=f"care_plan.followup_{after.followup}"
                    ),
                    Turn(
                        "can i run today",
                        "RunningQuestionIntent",
                        key=f"care_plan.running_{after.running}",
                    ),
                    *routine_turns,
                ],
                locale,
            ),
        ],
    )


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize(
    ("words", "progress"), [("it's a bit better", "better"), ("it's getting worse", "worse")]
)
def test_followup_run_and_routine_after_each_level(
    tmp_path, monkeypatch, locale, level, words, progress
):
    database = _database(tmp_path, monkeypatch)
    after = _plan(CHECKS[level], Contact(date.fromisoformat(DAY2), followup=progress), on=DAY2)
    # The plan's guarantees, whatever the wording below.
    assert LEVELS.index(after.level) >= LEVELS.index(level)
    if LEVELS.index(level) >= LEVELS.index("urgent"):
        assert after.routines == () and after.running.startswith("no_running")
    assert not after.allows("strength")  # nobody said the sharp pain has settled
    tally = Tally()
    problems = run(_journey(level, locale, words, progress), database, "j", tally)
    assert not problems


CONDITION_CHECKS = {
    "trochanteric_bursitis": {
        "pain_location": "outer_hip",
        "tender_outer_hip": True,
        "worse_lying_on_side": True,
    },
    "hip_flexor_strain": {
        "pain_location": "front_hip",
        "onset": "sudden",
        "pain_lifting_leg": True,
    },
    "it_band_syndrome": {
        "pain_location": "outer_hip",
        "downhill_running": True,
        "pain_timing": "during_run",
    },
    "muscle_imbalance": {
        "one_side_weaker": True,
        "pain_timing": "after_run",
        "pain_location": "buttock",
    },
    "muscle_soreness": {
        "pain_quality": "dull_ache",
        "pain_timing": "after_run",
        "eases_with_rest": True,
        "pain_severity": 2,
    },
}


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
@pytest.mark.parametrize("condition", sorted(CONDITION_CHECKS))
def test_a_routine_request_after_each_condition_is_as_the_plan_says(
    tmp_path, monkeypatch, locale, condition
):
    database = _database(tmp_path, monkeypatch)
    findings = CONDITION_CHECKS[condition]
    first = care_plan(findings, None, date.fromisoformat(DAY1))
    assert first.leader == condition
    check = Check(findings, first.level, condition)
    plan = _plan(check, on=DAY3)
    turns = [
        Turn(words, "StartRoutineIntent", mode="routine")
        if plan.allows(routine)
        else Turn(words, "StartRoutineIntent", key="care_plan.routine_refused")
        for routine, words in ROUTINES.items()
    ]
    days = [
        Day(DAY1, [check], locale),
        Day(DAY3, [Turn(LAUNCH, "LaunchRequest"), turns[0]], locale),
    ]
    days.append(Day(DAY3, [Turn(LAUNCH, "LaunchRequest"), turns[1]], locale))
    if condition == "hip_flexor_strain":
        assert not plan.allows("stretch")  # a fresh strain is not stretched (003)
    problems = run(Conversation(f"{condition} ({locale})", days), database, "c", Tally())
    assert not problems


def test_this_hurts_during_a_routine_stops_it(tmp_path, monkeypatch):
    """Routines open with "stop if it hurts"; "this hurts" (RoutinePainIntent, proposed in
    content/language/findings_added.yaml) stops the routine at once and offers a check."""
    import argparse

    from hipcoach.intent_result import NluResult
    from hipcoach.standin.chat import Console

    _database(tmp_path, monkeypatch)
    args = argparse.Namespace(locale="en-GB", user="pain", apl=False, endpoint=None, date=DAY2)
    console = Console(args)
    console.turn_record(LAUNCH)
    started = console.turn_record("start my stretches")
    assert "routine.start" in started["said"] and "Stop if anything hurts" in started["speech"]
    hurts = NluResult("RoutinePainIntent", {}, {}, 1.0, "ow that hurts")
    monkeypatch.setattr(console.nlu, "resolve", lambda text, today: hurts)
    stopped = console.turn_record("ow that hurts")
    assert "care_plan.routine_stopped" in stopped["said"]
    assert "through pain" in stopped["speech"]
    session = console.conversation.session
    assert session is not None and session.attributes.get("mode") != "routine"
