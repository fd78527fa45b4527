"""'What do you know about me?' and 'delete my data' (with confirmation), across sessions.

Assertions name the content keys a reply was built from and the values placed into them."""

from __future__ import annotations

from _memory_harness import MONDAY, NO_FOLLOWUP, UNHANDLED, Device, day, make_adapter

from hipcoach.persistence import SQLitePersistenceAdapter

MILES = ("miles", "miles")
LAST_WEEK = ("last week", "last_week")


def fill(runner: Device) -> None:
    runner.finish_check(
        MONDAY,
        {"pain_location": "outer_hip", "pain_days": 4},
        "see_professional",
        "it_band_syndrome",
    )
    runner.on(day(1)).say("LogRunIntent", distance="25", unit=MILES, period=LAST_WEEK)
    runner.on(day(1)).say("NewShoesIntent")


def test_read_back_nothing_then_everything(adapter):
    runner = Device(adapter)
    turn = runner.on(MONDAY).say("WhatDoYouKnowIntent")
    assert turn.says("readback_nothing") and not turn.says("readback_intro")
    fill(runner)
    turn = runner.on(day(3)).say("WhatDoYouKnowIntent")
    assert not turn.says("readback_nothing")
    assert turn.says(
        "readback_episode",
        when=turn.text("ago_days", n=3),
        triage=turn.text("triage_see_professional"),
    )
    assert turn.says("readback_started", started=turn.text("ago_days", n=7))
    assert turn.says("readback_where", where=turn.text("where_outer_hip"))
    assert turn.says("readback_condition", condition=turn.text("condition_it_band_syndrome"))
    assert not turn.says("readback_closed")
    assert turn.says("readback_last_week", distance=turn.miles("25"))
    assert turn.says("readback_weeks_one")
    assert turn.says("readback_shoes", when=turn.text("ago_days", n=2))
    assert turn.said.count("memory.readback_outro") == 1 and turn.says("readback_outro")
    assert turn.speech.count(turn.text("readback_outro")) == 1


def test_closed_episode_is_read_back_as_gone(adapter):
    runner = Device(adapter, locale="en-GB")
    runner.finish_check(MONDAY, {"pain_location": "groin"}, "self_care", None)
    talk = runner.on(day(2))
    talk.launch()
    talk.say("ProgressIntent", progress=("gone", "gone"))
    turn = runner.on(day(3)).say("WhatDoYouKnowIntent")
    assert turn.says("readback_episode", triage=turn.text("triage_self_care"))
    assert turn.says("readback_closed")


def test_delete_asks_first_and_no_keeps_everything(adapter):
    runner = Device(adapter)
    fill(runner)
    talk = runner.on(day(2))
    turn = talk.say("DeleteDataIntent")
    assert turn.says("delete_confirm")
    assert turn.mode == "confirm_delete"
    turn = talk.say("AMAZON.NoIntent")
    assert turn.says("delete_kept") and not turn.says("delete_done")
    assert set(runner.stored()) == {"episode", "checks", "training", "shoes"}
    # A later yes in the same session is not a confirmation any more.
    assert talk.say("AMAZON.YesIntent").speech == UNHANDLED
    assert set(runner.stored()) == {"episode", "checks", "training", "shoes"}


def test_delete_yes_removes_everything_for_that_user_only(adapter):
    runner, neighbour = Device(adapter), Device(adapter)
    fill(runner)
    fill(neighbour)
    talk = runner.on(day(2))
    talk.say("DeleteDataIntent")
    turn = talk.say("AMAZON.YesIntent")
    assert turn.says("delete_done")
    assert runner.stored() == {}
    assert set(neighbour.stored()) == {"episode", "checks", "training", "shoes"}
    # Nothing comes back in later sessions: no follow-up, no log, no shoes.
    assert runner.on(day(3)).launch().speech == NO_FOLLOWUP
    assert runner.on(day(3)).say("WhatDoYouKnowIntent").says("readback_nothing")
    assert runner.on(day(3)).say("PlanWeekIntent").says("plan_no_history")
    assert runner.on(day(3)).say("ShoeWearIntent").says("shoes_unknown")


def test_delete_only_after_a_fresh_confirmation_in_a_new_session(adapter):
    runner = Device(adapter)
    fill(runner)
    runner.on(day(2)).say("DeleteDataIntent")  # session ends without an answer
    assert runner.on(day(2)).say("AMAZON.YesIntent").speech == UNHANDLED
    assert runner.stored() != {}


def test_damaged_store_is_reported_and_left_alone(tmp_path):
    path = tmp_path / "hipcoach.db"
    path.write_bytes(b"garbage" * 100)
    runner = Device(SQLitePersistenceAdapter(path))
    talk = runner.on(MONDAY)
    assert talk.say("WhatDoYouKnowIntent").says("unavailable")
    assert talk.say("LogRunIntent", distance="3").says("unavailable")
    talk.say("DeleteDataIntent")
    turn = talk.say("AMAZON.YesIntent")
    assert turn.says("unavailable") and not turn.says("delete_done")
    turn = runner.finish_check(MONDAY, {}, "self_care", None)
    assert turn.says("episode_not_kept") and not turn.says("episode_kept")
    assert talk.launch().speech == NO_FOLLOWUP
    assert path.read_bytes() == b"garbage" * 100


def test_no_adapter_means_no_memory_but_a_working_skill(tmp_path):
    runner = Device(None)
    talk = runner.on(MONDAY)
    assert talk.say("NewShoesIntent").says("unavailable")
    assert talk.launch().speech == NO_FOLLOWUP


def test_same_store_seen_by_a_second_adapter(tmp_path):
    first = Device(make_adapter("sqlite", tmp_path))
    fill(first)
    second = Device(SQLitePersistenceAdapter(tmp_path / "hipcoach.db"), user_id=first.user_id)
    turn = second.on(day(5)).say("WhatDoYouKnowIntent")
    assert turn.says("readback_last_week", distance=turn.miles("25"))
