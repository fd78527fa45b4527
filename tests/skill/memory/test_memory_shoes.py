"""Shoes across weeks: the pair's date, distance since from the log, the 300–500 mile reminder.

Assertions name the content keys (fresh, due, worn: the shoe rules' verdict) and the distances
placed into them, not the current wording."""

from __future__ import annotations

from _memory_harness import MONDAY, Device, day

MILES = ("miles", "miles")
KMS = ("kilometres", "kilometres")
THIS_WEEK = ("this week", "this_week")
LAST_WEEK = ("last week", "last_week")


def test_unknown_shoes(adapter):
    turn = Device(adapter).on(MONDAY).say("ShoeWearIntent")
    assert turn.says("shoes_unknown") and not turn.says("shoes_distance_since")


def test_new_pair_counts_logged_weeks_and_reminds(adapter):
    runner = Device(adapter)
    runner.on(MONDAY).say("LogRunIntent", distance="50", unit=MILES, period=LAST_WEEK)
    turn = runner.on(MONDAY).say("NewShoesIntent")
    assert turn.says("shoes_new") and turn.says("shoes_fresh")
    assert "300 to 500 miles" in turn.speech  # end to end: the seeds' window, in words
    shoes = runner.stored()["shoes"]
    assert shoes["since"] == shoes["counted_from"] == "2024-03-04" and shoes["base_km"] == 0

    turn = runner.on(day(1)).say("ShoeWearIntent")
    assert turn.says("shoes_distance_since", distance=turn.miles("0"))
    assert turn.says("shoes_log_hint")

    for week in range(7):  # seven weeks of 40 miles, each logged on its Sunday
        runner.on(day(7 * week + 6)).say(
            "LogRunIntent", distance="40", unit=MILES, period=THIS_WEEK
        )
    turn = runner.on(day(49)).say("ShoeWearIntent")
    assert turn.says(
        "shoes_distance_since", when=turn.text("ago_weeks", n=7), distance=turn.miles("280")
    )
    assert turn.says("shoes_fresh") and not turn.says("shoes_log_hint")

    runner.on(day(55)).say("LogRunIntent", distance="40", unit=MILES, period=THIS_WEEK)
    turn = runner.on(day(56)).say("ShoeWearIntent")
    assert turn.says("shoes_distance_since", distance=turn.miles("320"))
    assert turn.says("shoes_due") and not turn.says("shoes_fresh")

    for week in range(8, 13):
        runner.on(day(7 * week + 6)).say(
            "LogRunIntent", distance="40", unit=MILES, period=THIS_WEEK
        )
    turn = runner.on(day(91)).say("ShoeWearIntent")
    assert turn.says("shoes_distance_since", distance=turn.miles("520"))
    assert turn.says("shoes_worn") and not turn.says("shoes_due")

    runner.on(day(91)).say("NewShoesIntent")
    turn = runner.on(day(92)).say("ShoeWearIntent")
    assert turn.says("shoes_distance_since", distance=turn.miles("0"))


def test_mid_week_pair_counts_only_what_came_after(adapter):
    runner = Device(adapter)
    runner.on(MONDAY).say("LogRunIntent", distance="5", unit=MILES)  # before the new pair
    runner.on(day(2)).say("NewShoesIntent")
    runner.on(day(2)).say("LogRunIntent", distance="6", unit=MILES)
    turn = runner.on(day(3)).say("ShoeWearIntent")
    assert turn.says("shoes_distance_since", distance=turn.miles("6"))

    other = Device(adapter)
    other.on(day(3)).say("NewShoesIntent")  # Thursday
    other.on(day(6)).say("LogRunIntent", distance="28", unit=MILES, period=THIS_WEEK)
    turn = other.on(day(7)).say("ShoeWearIntent")
    assert turn.says("shoes_distance_since", distance=turn.miles("16"))  # 4 of 7 days


def test_kilometres_for_a_uk_runner(adapter):
    runner = Device(adapter, locale="en-GB")
    turn = runner.on(MONDAY).say("NewShoesIntent")
    assert turn.says("shoes_fresh") and turn.says("shoes_window_km")
    runner.on(day(6)).say("LogRunIntent", distance="60", unit=KMS, period=THIS_WEEK)
    turn = runner.on(day(7)).say("ShoeWearIntent")
    assert turn.says(
        "shoes_distance_since", when=turn.text("ago_days", n=7), distance=turn.km("60")
    )


def test_a_us_runner_in_kilometres_hears_no_kilometre_window(adapter):
    runner = Device(adapter)  # en-US: the window stays in miles, as the seeds give it
    runner.on(MONDAY).say("LogRunIntent", distance="10", unit=KMS, period=THIS_WEEK)
    turn = runner.on(MONDAY).say("NewShoesIntent")
    assert turn.says("shoes_fresh") and not turn.says("shoes_window_km")
