"""Episodes across days: kept when a check ends, followed up on later launches, escalated.

Assertions name the content keys a reply was built from, the values placed into them, the dialog
mode and the stored record, not the current wording of content/speech/memory.yaml."""

from __future__ import annotations

from _memory_harness import MONDAY as DAY0
from _memory_harness import NO_FOLLOWUP, UNHANDLED, Device, day, envelope_for, make_adapter

from hipcoach.memory.episodes import apply_followup, followup_findings, needs_followup, new_episode

ASKS = "followup_question"
# What a follow-up says is the care plan's (issue 22): content/speech/care_plan.yaml keys.
ESCALATION = "care_plan.followup_same_see_professional"
WORSE = "care_plan.followup_worse_see_professional"

OUTER = {"pain_location": "outer_hip", "pain_days": 2, "pain_severity": 4}


def test_check_end_keeps_minimum_and_says_how_to_delete(adapter):
    runner = Device(adapter)
    turn = runner.finish_check(DAY0, OUTER, "self_care", "trochanteric_bursitis")
    assert turn.says("episode_kept") and not turn.says("episode_not_kept")
    episode = runner.stored()["episode"]
    assert episode == {
        "started": "2024-03-02",
        "recorded": "2024-03-04",
        "location": "outer_hip",
        "quality": None,  # what the pain felt like, when said: the care plan reads it later
        "reasons": [],  # the rule ids behind the result, when the dialog gives them ("why?")
        "triage": "self_care",
        "condition": "trochanteric_bursitis",
        "status": "open",
        "followups": [],
    }
    assert "pain_severity" not in str(runner.stored())


def test_no_followup_the_same_day(adapter):
    runner = Device(adapter)
    runner.finish_check(DAY0, OUTER, "self_care", "trochanteric_bursitis")
    turn = runner.on(DAY0).launch()
    assert turn.speech == NO_FOLLOWUP and not turn.says(ASKS)
    assert turn.mode != "followup"


def test_followup_next_days_better_then_gone(adapter):
    runner = Device(adapter)
    runner.finish_check(DAY0, {"pain_location": "outer_hip", "pain_days": 1}, "self_care", None)

    talk = runner.on(day(2))
    turn = talk.launch()
    assert turn.said == ["memory.where_outer_hip", "memory.followup_question"]
    assert turn.speech == turn.text(ASKS, where=turn.text("where_outer_hip"))
    assert turn.mode == "followup"
    turn = talk.say("AMAZON.YesIntent")
    assert turn.says("care_plan.followup_better")
    assert ESCALATION not in turn.said
    assert not any(key.startswith("memory.escalate_") for key in turn.said)
    assert turn.mode == "idle"

    # Asked once a day at most.
    assert not runner.on(day(2)).launch().says(ASKS)

    talk = runner.on(day(4))
    assert talk.launch().says(ASKS)
    turn = talk.say("ProgressIntent", progress=("it's gone", "gone"))
    assert turn.says("care_plan.followup_gone") and ESCALATION not in turn.said
    assert runner.stored()["episode"]["status"] == "closed"
    assert not runner.on(day(6)).launch().says(ASKS)


def test_better_after_more_than_a_week_gives_no_booking_advice(adapter):
    runner = Device(adapter)
    runner.finish_check(DAY0, {"pain_location": "groin", "pain_days": 5}, "self_care", None)
    talk = runner.on(day(3))
    turn = talk.launch()
    assert turn.says(ASKS, where=turn.text("where_groin"))
    turn = talk.say("ProgressIntent", progress=("a bit better", "better"))
    assert turn.says("care_plan.followup_better") and ESCALATION not in turn.said
    stored = runner.stored()["episode"]
    assert stored["triage"] == "self_care"
    assert stored["followups"] == [{"date": "2024-03-07", "progress": "better", "reasons": []}]
    talk = runner.on(day(4))
    talk.launch()
    turn = talk.say("ProgressIntent", progress=("about the same", "same"))
    assert turn.says("escalate_more_than_a_week", days=turn.text("days_many", n=9))
    assert turn.says("escalate_not_easing") and ESCALATION in turn.said
    assert runner.stored()["episode"]["followups"][-1]["reasons"] == [
        "more_than_a_week",
        "not_easing",
    ]


def test_not_easing_escalates_in_en_gb(adapter):
    # A week after a self-care check (clinic26, decision b: not the day after it).
    runner = Device(adapter, locale="en-GB")
    runner.finish_check(DAY0, {"pain_location": "front_hip", "pain_days": 0}, "self_care", None)
    talk = runner.on(day(7))
    turn = talk.launch()
    assert turn.says(ASKS, where=turn.text("where_front_hip"))
    turn = talk.say("AMAZON.NoIntent")
    assert turn.says("escalate_not_easing")
    assert ESCALATION in turn.said
    assert "physio or your GP" in turn.speech  # end to end: the en-GB words for who to see


def test_not_easing_two_days_after_self_care_is_early_days_in_en_gb(adapter):
    """Clinic26, decision b: "no" (not better) two days after a self-care check keeps self care,
    says it is early days and when to be seen, and books nothing."""
    runner = Device(adapter, locale="en-GB")
    runner.finish_check(DAY0, {"pain_location": "front_hip", "pain_days": 0}, "self_care", None)
    talk = runner.on(day(2))
    talk.launch()
    turn = talk.say("AMAZON.NoIntent")
    assert "care_plan.followup_same_early" in turn.said
    assert ESCALATION not in turn.said and not turn.says("escalate_not_easing")
    assert "physio or your GP" in turn.speech and "within a week" in turn.speech
    assert runner.stored()["episode"]["triage"] == "self_care"


def test_worsening_escalates_and_level_never_drops(adapter):
    runner = Device(adapter)
    runner.finish_check(DAY0, {"pain_location": "deep_joint"}, "urgent", "labral_tear")
    talk = runner.on(day(1))
    talk.launch()
    turn = talk.say("ProgressIntent", progress=("worse", "worse"))
    assert turn.says("escalate_worsening")
    # Worse after an urgent check: still urgent, see a doctor today (the care plan).
    assert "care_plan.followup_worse_urgent" in turn.said
    assert runner.stored()["episode"]["triage"] == "urgent"


def test_days_so_far_are_computed_never_asked(adapter):
    runner = Device(adapter)
    runner.finish_check(DAY0, {"pain_location": "buttock", "pain_days": 3}, "self_care", None)
    talk = runner.on(day(9))
    talk.launch()
    turn = talk.say("ProgressIntent", progress=("same", "same"))
    assert turn.says("escalate_more_than_a_week", days=turn.text("days_many", n=12))
    assert ESCALATION in turn.said


def test_old_episodes_are_not_followed_up(adapter):
    runner = Device(adapter)
    runner.finish_check(DAY0, OUTER, "self_care", None)
    assert runner.on(day(42)).launch().says(ASKS)
    assert runner.on(day(43)).launch().speech == NO_FOLLOWUP


def test_unknown_location_and_new_check_replaces_old(adapter):
    runner = Device(adapter)
    runner.finish_check(DAY0, {}, "self_care", None)
    turn = runner.on(day(1)).launch()
    assert turn.says("followup_question_unknown") and not turn.says(ASKS)
    runner.finish_check(day(5), OUTER, "see_professional", "it_band_syndrome")
    assert runner.stored()["episode"]["recorded"] == "2024-03-09"


def test_yes_outside_followup_mode_is_not_a_followup(adapter):
    runner = Device(adapter)
    runner.finish_check(DAY0, OUTER, "self_care", None)
    talk = runner.on(day(1))
    turn = talk.say("AMAZON.YesIntent")
    assert turn.speech == UNHANDLED
    assert runner.stored()["episode"]["followups"] == []


def test_progress_without_episode(adapter):
    runner = Device(adapter)
    turn = runner.on(DAY0).say("ProgressIntent", progress=("better", "better"))
    assert turn.says("no_episode") and not turn.says("care_plan.followup_better")


def test_survives_a_new_adapter_instance(tmp_path):
    first = Device(make_adapter("sqlite", tmp_path))
    first.finish_check(DAY0, OUTER, "self_care", None)
    again = Device(make_adapter("sqlite", tmp_path), user_id=first.user_id)
    turn = again.on(day(1)).launch()
    assert turn.says(ASKS, where=turn.text("where_outer_hip"))


def test_tampered_episode_restarts_cleanly(adapter):
    runner = Device(adapter)
    runner.finish_check(DAY0, OUTER, "self_care", None)
    record = runner.stored()
    record["episode"]["started"] = "not a date"
    adapter.save_attributes(envelope_for(runner.user_id), record)
    turn = runner.on(day(1)).launch()
    assert turn.speech == NO_FOLLOWUP


# -- the pure functions ------------------------------------------------------------------------


def test_followup_findings_from_answers():
    ep = new_episode({"pain_location": "outer_hip", "pain_days": 4}, "self_care", None, DAY0)
    assert followup_findings(ep, day(2)) == {"pain_days": 6, "pain_location": "outer_hip"}
    ep = apply_followup(ep, "worse", day(2), ("not_easing", "worsening"), "see_professional")
    assert ep["triage"] == "see_professional"
    assert followup_findings(ep, day(2))["worsening"] is True
    assert needs_followup(ep, day(2)) is False
    assert needs_followup(ep, day(3)) is True


def test_bad_or_missing_pain_days_invent_no_start():
    for bad in (True, "five", None):
        ep = new_episode({"pain_days": bad}, "nonsense", None, DAY0)
        assert ep["started"] is None
        assert ep["triage"] == "self_care"


def test_a_third_check_in_a_month_says_pain_that_keeps_coming_back_should_be_seen(adapter):
    note = "recurrent_note"
    runner = Device(adapter)
    first = runner.finish_check(DAY0, {"pain_location": "groin"}, "self_care", None)
    second = runner.finish_check(day(12), {"pain_location": "groin"}, "self_care", None)
    assert not first.says(note) and not second.says(note)
    third = runner.finish_check(day(25), {"pain_location": "groin"}, "self_care", None)
    assert third.says(note) and third.says("episode_kept")
    later = runner.finish_check(day(60), {"pain_location": "groin"}, "self_care", None)
    assert not later.says(note)  # the earlier checks are more than a month back
