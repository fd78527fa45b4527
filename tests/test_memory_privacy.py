"""'What do you know about me?' and 'delete my data' (with confirmation), across sessions."""

from __future__ import annotations

from _memory_harness import MONDAY, Device, day, make_adapter

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
    assert "don't keep anything" in turn.speech
    fill(runner)
    turn = runner.on(day(3)).say("WhatDoYouKnowIntent")
    speech = turn.speech
    assert "Your last hip check was 3 days ago" in speech
    assert "The pain had started 7 days ago" in speech
    assert "see a physical therapist or doctor" in speech
    assert "It hurt on the outside" in speech
    assert "IT band syndrome" in speech
    assert "Your last logged week was 25 miles" in speech
    assert "1 week of training logged" in speech
    assert "current shoes 2 days ago" in speech
    assert speech.count("delete my data") == 1


def test_closed_episode_is_read_back_as_gone(adapter):
    runner = Device(adapter, locale="en-GB")
    runner.finish_check(MONDAY, {"pain_location": "groin"}, "self_care", None)
    talk = runner.on(day(2))
    talk.launch()
    talk.say("ProgressIntent", progress=("gone", "gone"))
    speech = runner.on(day(3)).say("WhatDoYouKnowIntent").speech
    assert "look after it at home" in speech and "it's gone" in speech


def test_delete_asks_first_and_no_keeps_everything(adapter):
    runner = Device(adapter)
    fill(runner)
    talk = runner.on(day(2))
    turn = talk.say("DeleteDataIntent")
    assert "Should I delete it?" in turn.speech
    assert turn.attributes["mode"] == "confirm_delete"
    turn = talk.say("AMAZON.NoIntent")
    assert "haven't deleted" in turn.speech
    assert set(runner.stored()) == {"episode", "checks", "training", "shoes"}
    # A later yes in the same session is not a confirmation any more.
    assert talk.say("AMAZON.YesIntent").speech == "unhandled"
    assert set(runner.stored()) == {"episode", "checks", "training", "shoes"}


def test_delete_yes_removes_everything_for_that_user_only(adapter):
    runner, neighbour = Device(adapter), Device(adapter)
    fill(runner)
    fill(neighbour)
    talk = runner.on(day(2))
    talk.say("DeleteDataIntent")
    turn = talk.say("AMAZON.YesIntent")
    assert "deleted everything" in turn.speech
    assert runner.stored() == {}
    assert set(neighbour.stored()) == {"episode", "checks", "training", "shoes"}
    # Nothing comes back in later sessions: no follow-up, no log, no shoes.
    assert runner.on(day(3)).launch().speech == "Welcome back."
    assert "don't keep anything" in runner.on(day(3)).say("WhatDoYouKnowIntent").speech
    assert "don't know how far" in runner.on(day(3)).say("PlanWeekIntent").speech


def test_delete_only_after_a_fresh_confirmation_in_a_new_session(adapter):
    runner = Device(adapter)
    fill(runner)
    runner.on(day(2)).say("DeleteDataIntent")  # session ends without an answer
    assert runner.on(day(2)).say("AMAZON.YesIntent").speech == "unhandled"
    assert runner.stored() != {}


def test_damaged_store_is_reported_and_left_alone(tmp_path):
    path = tmp_path / "hipcoach.db"
    path.write_bytes(b"garbage" * 100)
    runner = Device(SQLitePersistenceAdapter(path))
    talk = runner.on(MONDAY)
    assert "can't reach my memory" in talk.say("WhatDoYouKnowIntent").speech
    assert "can't reach my memory" in talk.say("LogRunIntent", distance="3").speech
    talk.say("DeleteDataIntent")
    assert "can't reach my memory" in talk.say("AMAZON.YesIntent").speech
    assert "couldn't save" in runner.finish_check(MONDAY, {}, "self_care", None).speech
    assert talk.launch().speech == "Welcome back."
    assert path.read_bytes() == b"garbage" * 100


def test_no_adapter_means_no_memory_but_a_working_skill(tmp_path):
    runner = Device(None)
    talk = runner.on(MONDAY)
    assert "can't reach my memory" in talk.say("NewShoesIntent").speech
    assert talk.launch().speech == "Welcome back."


def test_same_store_seen_by_a_second_adapter(tmp_path):
    first = Device(make_adapter("sqlite", tmp_path))
    fill(first)
    second = Device(SQLitePersistenceAdapter(tmp_path / "hipcoach.db"), user_id=first.user_id)
    assert "25 miles" in second.on(day(5)).say("WhatDoYouKnowIntent").speech
