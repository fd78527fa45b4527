"""Shoes across weeks: the pair's date, distance since from the log, the 300–500 mile reminder."""

from __future__ import annotations

from _memory_harness import MONDAY, Device, day

MILES = ("miles", "miles")
KMS = ("kilometres", "kilometres")
THIS_WEEK = ("this week", "this_week")
LAST_WEEK = ("last week", "last_week")


def test_unknown_shoes(adapter):
    turn = Device(adapter).on(MONDAY).say("ShoeWearIntent")
    assert "I got new shoes" in turn.speech


def test_new_pair_counts_logged_weeks_and_reminds(adapter):
    runner = Device(adapter)
    runner.on(MONDAY).say("LogRunIntent", distance="50", unit=MILES, period=LAST_WEEK)
    turn = runner.on(MONDAY).say("NewShoesIntent")
    assert "300 to 500 miles" in turn.speech
    shoes = runner.stored()["shoes"]
    assert shoes["since"] == shoes["counted_from"] == "2024-03-04" and shoes["base_km"] == 0

    turn = runner.on(day(1)).say("ShoeWearIntent")
    assert "about 0 miles" in turn.speech and "keep logging" in turn.speech

    for week in range(7):  # seven weeks of 40 miles, each logged on its Sunday
        runner.on(day(7 * week + 6)).say(
            "LogRunIntent", distance="40", unit=MILES, period=THIS_WEEK
        )
    turn = runner.on(day(49)).say("ShoeWearIntent")
    assert "about 280 miles" in turn.speech and "plenty of life left" in turn.speech
    assert "about 7 weeks ago" in turn.speech

    runner.on(day(55)).say("LogRunIntent", distance="40", unit=MILES, period=THIS_WEEK)
    turn = runner.on(day(56)).say("ShoeWearIntent")
    assert "about 320 miles" in turn.speech and "start planning a new pair" in turn.speech

    for week in range(8, 13):
        runner.on(day(7 * week + 6)).say(
            "LogRunIntent", distance="40", unit=MILES, period=THIS_WEEK
        )
    turn = runner.on(day(91)).say("ShoeWearIntent")
    assert "about 520 miles" in turn.speech and "time for a new pair" in turn.speech

    runner.on(day(91)).say("NewShoesIntent")
    assert "about 0 miles" in runner.on(day(92)).say("ShoeWearIntent").speech


def test_mid_week_pair_counts_only_what_came_after(adapter):
    runner = Device(adapter)
    runner.on(MONDAY).say("LogRunIntent", distance="5", unit=MILES)  # before the new pair
    runner.on(day(2)).say("NewShoesIntent")
    runner.on(day(2)).say("LogRunIntent", distance="6", unit=MILES)
    assert "about 6 miles" in runner.on(day(3)).say("ShoeWearIntent").speech

    other = Device(adapter)
    other.on(day(3)).say("NewShoesIntent")  # Thursday
    other.on(day(6)).say("LogRunIntent", distance="28", unit=MILES, period=THIS_WEEK)
    assert "about 16 miles" in other.on(day(7)).say("ShoeWearIntent").speech  # 4 of 7 days


def test_kilometres_for_a_uk_runner(adapter):
    runner = Device(adapter, locale="en-GB")
    turn = runner.on(MONDAY).say("NewShoesIntent")
    assert "300 to 500 miles" in turn.speech and "480 to 800" in turn.speech
    runner.on(day(6)).say("LogRunIntent", distance="60", unit=KMS, period=THIS_WEEK)
    turn = runner.on(day(7)).say("ShoeWearIntent")
    assert "about 60 kilometres" in turn.speech and "6 days ago" not in turn.speech
    assert "7 days ago" in turn.speech
