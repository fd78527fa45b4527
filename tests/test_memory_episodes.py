"""Episodes across days: kept when a check ends, followed up on later launches, escalated."""

from __future__ import annotations

from _memory_harness import MONDAY as DAY0
from _memory_harness import Device, day, envelope_for, make_adapter

from hipcoach.memory.episodes import apply_followup, followup_findings, needs_followup, new_episode

OUTER = {"pain_location": "outer_hip", "pain_days": 2, "pain_severity": 4}


def test_check_end_keeps_minimum_and_says_how_to_delete(adapter):
    runner = Device(adapter)
    turn = runner.finish_check(DAY0, OUTER, "self_care", "trochanteric_bursitis")
    assert "delete my data" in turn.speech
    episode = runner.stored()["episode"]
    assert episode == {
        "started": "2024-03-02",
        "recorded": "2024-03-04",
        "location": "outer_hip",
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
    assert "Is it any better" not in turn.speech
    assert turn.attributes.get("mode") != "followup"


def test_followup_next_days_better_then_gone(adapter):
    runner = Device(adapter)
    runner.finish_check(DAY0, {"pain_location": "outer_hip", "pain_days": 1}, "self_care", None)

    talk = runner.on(day(2))
    turn = talk.launch()
    assert turn.speech == "Last time your hip hurt on the outside. Is it any better?"
    assert turn.attributes["mode"] == "followup"
    turn = talk.say("AMAZON.YesIntent")
    assert "easing" in turn.speech
    assert "physio" not in turn.speech and "doctor" not in turn.speech
    assert turn.attributes["mode"] == "idle"
    assert runner.retriaged[-1] == {
        "pain_days": 3,
        "pain_location": "outer_hip",
        "eases_with_rest": True,
        "worsening": False,
    }

    # Asked once a day at most.
    assert "Is it any better" not in runner.on(day(2)).launch().speech

    talk = runner.on(day(4))
    assert "Is it any better" in talk.launch().speech
    turn = talk.say("ProgressIntent", progress=("it's gone", "gone"))
    assert "closed" in turn.speech
    assert runner.stored()["episode"]["status"] == "closed"
    assert "Is it any better" not in runner.on(day(6)).launch().speech


def test_better_after_more_than_a_week_gives_no_booking_advice(adapter):
    runner = Device(adapter)
    runner.finish_check(DAY0, {"pain_location": "groin", "pain_days": 5}, "self_care", None)
    talk = runner.on(day(3))
    assert "in the groin" in talk.launch().speech
    turn = talk.say("ProgressIntent", progress=("a bit better", "better"))
    assert "physical therapist or doctor" not in turn.speech
    stored = runner.stored()["episode"]
    assert stored["triage"] == "self_care"
    assert stored["followups"] == [{"date": "2024-03-07", "progress": "better", "reasons": []}]
    talk = runner.on(day(4))
    talk.launch()
    turn = talk.say("ProgressIntent", progress=("about the same", "same"))
    assert "9 days" in turn.speech and "physical therapist or doctor" in turn.speech
    assert runner.stored()["episode"]["followups"][-1]["reasons"] == [
        "more_than_a_week",
        "not_easing",
    ]


def test_not_easing_escalates_in_en_gb(adapter):
    runner = Device(adapter, locale="en-GB")
    runner.finish_check(DAY0, {"pain_location": "front_hip", "pain_days": 0}, "self_care", None)
    talk = runner.on(day(2))
    assert "at the front" in talk.launch().speech
    turn = talk.say("AMAZON.NoIntent")
    assert "isn't easing" in turn.speech
    assert "physio or your GP" in turn.speech
    assert runner.retriaged[-1]["eases_with_rest"] is False


def test_worsening_escalates_and_level_never_drops(adapter):
    runner = Device(adapter)
    runner.finish_check(DAY0, {"pain_location": "deep_joint"}, "urgent", "labral_tear")
    talk = runner.on(day(1))
    talk.launch()
    turn = talk.say("ProgressIntent", progress=("worse", "worse"))
    assert "getting worse" in turn.speech
    assert runner.stored()["episode"]["triage"] == "urgent"
    assert runner.retriaged[-1]["worsening"] is True


def test_days_so_far_are_computed_never_asked(adapter):
    runner = Device(adapter)
    runner.finish_check(DAY0, {"pain_location": "buttock", "pain_days": 3}, "self_care", None)
    talk = runner.on(day(9))
    talk.launch()
    turn = talk.say("ProgressIntent", progress=("same", "same"))
    assert "12 days" in turn.speech
    assert runner.retriaged[-1]["pain_days"] == 12


def test_old_episodes_are_not_followed_up(adapter):
    runner = Device(adapter)
    runner.finish_check(DAY0, OUTER, "self_care", None)
    assert "Is it any better" in runner.on(day(42)).launch().speech
    assert "Is it any better" not in runner.on(day(43)).launch().speech


def test_unknown_location_and_new_check_replaces_old(adapter):
    runner = Device(adapter)
    runner.finish_check(DAY0, {}, "self_care", None)
    assert "Last time we spoke" in runner.on(day(1)).launch().speech
    runner.finish_check(day(5), OUTER, "see_professional", "it_band_syndrome")
    assert runner.stored()["episode"]["recorded"] == "2024-03-09"


def test_yes_outside_followup_mode_is_not_a_followup(adapter):
    runner = Device(adapter)
    runner.finish_check(DAY0, OUTER, "self_care", None)
    talk = runner.on(day(1))
    turn = talk.say("AMAZON.YesIntent")
    assert turn.speech == "unhandled"
    assert runner.stored()["episode"]["followups"] == []


def test_progress_without_episode(adapter):
    runner = Device(adapter)
    turn = runner.on(DAY0).say("ProgressIntent", progress=("better", "better"))
    assert "check my hip" in turn.speech


def test_survives_a_new_adapter_instance(tmp_path):
    first = Device(make_adapter("sqlite", tmp_path))
    first.finish_check(DAY0, OUTER, "self_care", None)
    again = Device(make_adapter("sqlite", tmp_path), user_id=first.user_id)
    assert "on the outside" in again.on(day(1)).launch().speech


def test_tampered_episode_restarts_cleanly(adapter):
    runner = Device(adapter)
    runner.finish_check(DAY0, OUTER, "self_care", None)
    record = runner.stored()
    record["episode"]["started"] = "not a date"
    adapter.save_attributes(envelope_for(runner.user_id), record)
    turn = runner.on(day(1)).launch()
    assert turn.speech == "Welcome back."


# -- the pure functions ------------------------------------------------------------------------


def test_followup_findings_from_answers():
    ep = new_episode({"pain_location": "outer_hip", "pain_days": 4}, "self_care", None, DAY0)
    assert followup_findings(ep, day(2)) == {"pain_days": 6, "pain_location": "outer_hip"}
    ep = apply_followup(ep, "worse", day(2), ("not_easing", "worsening"))
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
    from hipcoach.speech.texts import Texts

    note = Texts("en-US").get("memory.recurrent_note")
    runner = Device(adapter)
    first = runner.finish_check(DAY0, {"pain_location": "groin"}, "self_care", None)
    second = runner.finish_check(day(12), {"pain_location": "groin"}, "self_care", None)
    assert note not in first.speech and note not in second.speech
    third = runner.finish_check(day(25), {"pain_location": "groin"}, "self_care", None)
    assert note in third.speech
    later = runner.finish_check(day(60), {"pain_location": "groin"}, "self_care", None)
    assert note not in later.speech  # the earlier checks are more than a month back
