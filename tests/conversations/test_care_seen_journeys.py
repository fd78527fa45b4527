"""Journeys across days after each level, for each kind of care the runner says has seen the hip
(issue 22, the blind clinician's finding: a physio must not end an emergency). Day 1 a check; day 2
the follow-up, who has seen it, "can I run today" and a strength routine; day 4 the follow-up and
the run question again. In en-US and en-GB, through the chat console (local NLU, real envelopes,
the one skill object, a real SQLite file).

What the skill says is what the care plan concludes for that day; the plan itself must keep the
guarantee: only a doctor or emergency care ends an urgent or emergency level (any professional a
"see a professional" one), and a physio or an unspecified professional never brings back running
or routines at those levels.
"""

from __future__ import annotations

from datetime import date

import pytest
from _conversations import Check, Conversation, Day, Tally, Turn, run

from hipcoach import app
from hipcoach.medical.care_plan import CarePlan, Contact, History, care_plan
from hipcoach.medical.knowledge import LEVELS

DAY1, DAY2, DAY4 = "2026-11-16", "2026-11-17", "2026-11-19"
LAUNCH = "open hip coach"
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
    # The blind clinician's case: a suspected joint infection, "call 911 / go to the ER".
    "emergency": Check({"fever_or_chills": True, "sudden_swelling": True}, "emergency", None),
}
# Who has seen it, as runners put it, by the stored note key (content/rules/vocabulary.yaml).
SAID = {
    "en-US": {
        "seen_emergency_care": "I was in the emergency room on Sunday night",
        "seen_doctor": "a sports medicine doctor saw me on Tuesday",
        "seen_therapist": "my chiropractor worked on it twice this week",
        "seen": "I've had someone look at it",
    },
    "en-GB": {
        "seen_emergency_care": "I spent the night in hospital",
        "seen_doctor": "the doc had a look and wasn't worried",  # a denial: DenyFindingsIntent
        "seen_therapist": "I went to see a physio on Saturday",
        "seen": "a professional had a look",
    },
}
FINDING = {"seen": "professional_seen"}  # the other note keys are their findings' names
DOCTOR_OR_EMERGENCY = ("seen_doctor", "seen_emergency_care")


@pytest.fixture(autouse=True)
def _fresh_skill():
    yield
    app.default_skill.cache_clear()


def _plan(check: Check, *later: Contact, on: str) -> CarePlan:
    first = Contact(date.fromisoformat(DAY1), check_level=check.level, condition=check.condition)
    return care_plan({}, History((first, *later)), date.fromisoformat(on))


def test_the_emergency_check_is_what_the_rules_conclude():
    plan = care_plan(CHECKS["emergency"].findings, None, date.fromisoformat(DAY1))
    assert plan.level == "emergency" and plan.leader == "joint_infection"


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
@pytest.mark.parametrize("kind", ["seen_emergency_care", "seen_doctor", "seen_therapist", "seen"])
@pytest.mark.parametrize("level", LEVELS)
def test_followup_run_and_routine_after_each_level_and_each_kind_of_care(
    tmp_path, monkeypatch, locale, level, kind
):
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "hip.db"))
    app.default_skill.cache_clear()
    check = CHECKS[level]
    seen = frozenset({FINDING.get(kind, kind)})
    day2, day4 = date.fromisoformat(DAY2), date.fromisoformat(DAY4)
    told = Contact(day2, followup="better", seen=seen)
    after = _plan(check, told, on=DAY2)
    later = _plan(check, told, Contact(day4, followup="same"), on=DAY4)

    # The plan's guarantees, whatever the wording below.
    ends = level in ("self_care", "see_professional") or kind in DOCTOR_OR_EMERGENCY
    for plan in (after, later):
        if ends:  # ended; "about the same" later may ask for a professional again, no more
            assert LEVELS.index(plan.level) <= LEVELS.index("see_professional")
        else:
            assert plan.level == level and plan.routines == ()
            assert plan.running in ("no_running_see_doctor", "no_running_emergency")
            assert plan.followup not in ("seen_professional", "better", "gone")
            reason = plan.why_not("strength")
            assert reason is not None and "doctor" in reason.text, reason
    if ends:
        assert after.level == "self_care" and after.followup == "seen_professional"
        assert after.running == "run_as_professional_advised"
    else:
        doubt = "unsure" if kind == "seen" else "not_doctor"
        assert after.followup == f"seen_{doubt}_{level}"

    def routine(words: str, plan: CarePlan) -> Turn:
        if plan.allows("strength"):
            return Turn(words, "StartRoutineIntent", mode="routine")
        return Turn(words, "StartRoutineIntent", key="care_plan.routine_refused")

    conversation = Conversation(
        f"{level} then {kind} ({locale})",
        [
            Day(DAY1, [Turn(LAUNCH, "LaunchRequest"), check], locale),
            Day(
                DAY2,
                [
                    Turn(LAUNCH, "LaunchRequest", mode="followup"),
                    Turn("it's a little better", "ProgressIntent"),
                    Turn(
                        SAID[locale][kind],
                        "DenyFindingsIntent"
                        if "wasn't" in SAID[locale][kind]
                        else "TellFindingsIntent",
                        key=f"care_plan.followup_{after.followup}",
                    ),
                    Turn(
                        "can I run today",
                        "RunningQuestionIntent",
                        key=f"care_plan.running_{after.running}",
                    ),
                    routine("start the strength routine", after),
                ],
                locale,
            ),
            Day(
                DAY4,
                [
                    Turn(LAUNCH, "LaunchRequest", mode="followup"),
                    Turn(
                        "about the same really",
                        "ProgressIntent",
                        key=f"care_plan.followup_{later.followup}",
                    ),
                    Turn(
                        "am I okay to go running",
                        "RunningQuestionIntent",
                        key=f"care_plan.running_{later.running}",
                    ),
                ],
                locale,
            ),
        ],
        stored=lambda record: record["episode"]["followups"][0].get(kind) is True,
    )
    problems = run(conversation, tmp_path / "hip.db", "j", Tally())
    assert not problems
