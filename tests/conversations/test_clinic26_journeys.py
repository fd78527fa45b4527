"""The clinical review decisions of clinic26 (docs/clinical-review.md) across days, through the
chat console (local NLU, real envelopes, the one skill object, a real SQLite file), in en-US and
en-GB: what the runner hears is what the care plan concludes that day.

(a) an emergency, then "the paramedics checked me over": urgent (a doctor or urgent care within
    24 hours), no running, no routine; then a doctor or urgent care ends it;
(b) a self-care check, then "about the same" the next day: self care, early days, no booking;
    a week later: see a professional;
(e) after the emergency room, "can I run" goes by the advice given, never "ask them".
"""

from __future__ import annotations

import pytest
from _conversations import Check, Conversation, Day, Tally, Turn, run

from hipcoach import app

LAUNCH = "open hip coach"
EMERGENCY = Check({"cannot_bear_weight": True, "after_fall_or_injury": True}, "emergency", None)
SELF_CARE = Check(
    {"pain_location": "outer_hip", "tender_outer_hip": True, "worse_lying_on_side": True},
    "self_care",
    "trochanteric_bursitis",
)
CREW = {
    "en-US": "the paramedics came and checked me over, they said nothing's broken",
    "en-GB": "the ambulance crew had a look and said it's fine",
}
IMAGED = {
    "en-US": "I went to urgent care and they x-rayed it",
    "en-GB": "I went to the minor injuries unit and they x-rayed it",
}


@pytest.fixture(autouse=True)
def _fresh_skill(tmp_path, monkeypatch):
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "hip.db"))
    app.default_skill.cache_clear()
    yield
    app.default_skill.cache_clear()


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_a_crew_ends_the_emergency_not_the_suspicion_then_imaging_care_ends_it(tmp_path, locale):
    conversation = Conversation(
        f"emergency, crew, urgent care ({locale})",
        [
            Day("2026-11-16", [Turn(LAUNCH, "LaunchRequest"), EMERGENCY], locale),
            Day(
                "2026-11-17",
                [
                    Turn(LAUNCH, "LaunchRequest", mode="followup"),
                    Turn(
                        CREW[locale],
                        "TellFindingsIntent",
                        key="care_plan.followup_seen_crew_urgent",
                    ),
                    Turn(
                        "can I run today",
                        "RunningQuestionIntent",
                        key="care_plan.running_no_running_see_doctor",
                    ),
                    Turn(
                        "start the strength routine",
                        "StartRoutineIntent",
                        key="care_plan.routine_refused",
                    ),
                ],
                locale,
            ),
            Day(
                "2026-11-18",
                [
                    Turn(LAUNCH, "LaunchRequest"),
                    Turn(
                        IMAGED[locale],
                        "TellFindingsIntent",
                        key="care_plan.followup_seen_professional",
                    ),
                    Turn(
                        "can I run",
                        "RunningQuestionIntent",
                        key="care_plan.running_run_as_professional_advised",
                    ),
                ],
                locale,
            ),
        ],
        stored=lambda record: any(
            f.get("seen_ambulance_crew") for f in record["episode"]["followups"]
        ),
    )
    problems = run(conversation, tmp_path / "hip.db", "crew", Tally())
    assert not problems


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_about_the_same_is_early_days_the_next_day_and_a_reason_a_week_later(tmp_path, locale):
    conversation = Conversation(
        f"self care, the same next day, the same a week on ({locale})",
        [
            Day("2026-11-16", [Turn(LAUNCH, "LaunchRequest"), SELF_CARE], locale),
            Day(
                "2026-11-17",
                [
                    Turn(LAUNCH, "LaunchRequest", mode="followup"),
                    Turn(
                        "about the same really",
                        "ProgressIntent",
                        key="care_plan.followup_same_early",
                        not_key="memory.escalate_action",
                    ),
                    Turn(
                        "can I go for a run",
                        "RunningQuestionIntent",
                        key="care_plan.running_run_easy_if_pain_free",
                    ),
                ],
                locale,
            ),
            Day(
                "2026-11-23",
                [
                    Turn(LAUNCH, "LaunchRequest", mode="followup"),
                    Turn(
                        "no change, it's the same",
                        "ProgressIntent",
                        key="care_plan.followup_same_see_professional",
                    ),
                ],
                locale,
            ),
        ],
        # The next day books nothing (no reasons kept); a week on, not easing is a reason.
        stored=lambda record: (
            [bool(f["reasons"]) for f in record["episode"]["followups"]] == [False, True]
        ),
    )
    problems = run(conversation, tmp_path / "hip.db", "same", Tally())
    assert not problems
