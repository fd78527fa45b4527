"""The training log and the 10% rule across sessions and days, in both locales' units."""

from __future__ import annotations

from datetime import date

import pytest
from _memory_harness import MONDAY, Device, day

from hipcoach.memory.dates import week_key
from hipcoach.memory.training import empty_training, last_logged_week, log_week_total
from hipcoach.memory.units import default_unit, parse_unit, safe_limit, spoken_number

MILES = ("miles", "miles")
KMS = ("kilometres", "kilometres")
LAST_WEEK = ("last week", "last_week")
THIS_WEEK = ("this week", "this_week")
TODAY = ("today", "today")


def test_last_week_then_ten_percent_in_a_later_session(adapter):
    runner = Device(adapter)
    turn = runner.on(MONDAY).say("LogRunIntent", distance="25", unit=MILES, period=LAST_WEEK)
    assert "Got it: 25 miles last week." in turn.speech
    assert "up to 27.5 miles this week" in turn.speech
    stored = runner.stored()["training"]
    assert stored["unit"] == "mi"
    assert stored["weeks"]["2024-W09"]["base"] == pytest.approx(40.234, abs=0.001)

    turn = runner.on(day(2)).say("PlanWeekIntent")
    assert "Last week you ran 25 miles" in turn.speech
    assert "up to 27.5 miles this week" in turn.speech


def test_planned_jump_warns_with_the_safe_figure(adapter):
    runner = Device(adapter)
    runner.on(MONDAY).say("LogRunIntent", distance="25", unit=MILES, period=LAST_WEEK)
    talk = runner.on(day(1))
    turn = talk.say("PlanWeekIntent", distance="40", unit=MILES)
    assert "40 miles this week would be more than a 10% jump" in turn.speech
    assert "about 27.5 miles" in turn.speech
    turn = talk.say("PlanWeekIntent", distance="27")
    assert "27 miles this week is within the 10% rule" in turn.speech


def test_this_week_in_kilometres_becomes_last_week_next_monday(adapter):
    runner = Device(adapter, locale="en-GB")
    turn = runner.on(day(6)).say("LogRunIntent", distance="40", unit=KMS, period=THIS_WEEK)
    assert "40 kilometres this week" in turn.speech
    turn = runner.on(day(7)).say("PlanWeekIntent")
    assert "Last week you ran 40 kilometres" in turn.speech
    assert "up to 44 kilometres" in turn.speech
    turn = runner.on(day(8)).say("PlanWeekIntent", distance="50", unit=KMS)
    assert "more than a 10% jump" in turn.speech and "about 44 kilometres" in turn.speech


def test_add_a_10k_today_switches_unit_and_accumulates(adapter):
    runner = Device(adapter)  # en-US: miles by default
    turn = runner.on(MONDAY).say("LogRunIntent", distance="10", unit="k", period=TODAY)
    assert "Added 10 kilometers today. That makes 10 kilometers this week." in turn.speech
    turn = runner.on(day(2)).say("LogRunIntent", distance="5")  # no unit: the runner's own
    assert "Added 5 kilometers today. That makes 15 kilometers this week." in turn.speech
    turn = runner.on(day(8)).say("PlanWeekIntent")
    assert "15 kilometers" in turn.speech and "up to 16.5 kilometers" in turn.speech


def test_units_default_by_locale(adapter):
    us, gb = Device(adapter, "en-US"), Device(adapter, "en-GB")
    assert "Added 8 miles today" in us.on(MONDAY).say("LogRunIntent", distance="8").speech
    assert "Added 8 kilometres today" in gb.on(MONDAY).say("LogRunIntent", distance="8").speech


def test_stated_total_includes_earlier_runs(adapter):
    runner = Device(adapter, "en-GB")
    runner.on(MONDAY).say("LogRunIntent", distance="10", unit=KMS)
    runner.on(day(2)).say("LogRunIntent", distance="30", unit=KMS, period=THIS_WEEK)
    runner.on(day(3)).say("LogRunIntent", distance="5", unit=KMS)
    turn = runner.on(day(7)).say("PlanWeekIntent")
    assert "Last week you ran 35 kilometres" in turn.speech


def test_asked_in_the_other_unit(adapter):
    runner = Device(adapter, "en-GB")
    runner.on(MONDAY).say("LogRunIntent", distance="25", unit=MILES, period=LAST_WEEK)
    talk = runner.on(day(1))
    turn = talk.say("PlanWeekIntent", distance="44", unit=KMS)  # 25 mi = 40.2 km; +10% = 44.3
    assert "44 kilometres this week is within the 10% rule after 40.2 kilometres" in turn.speech
    turn = talk.say("PlanWeekIntent", distance="45", unit=KMS)
    assert "45 kilometres this week would be more than a 10% jump" in turn.speech
    assert "about 44 kilometres" in turn.speech
    assert "up to 27.5 miles" in talk.say("PlanWeekIntent").speech  # the runner's unit: miles


def test_no_history_missing_distance_and_nonsense(adapter):
    runner = Device(adapter)
    talk = runner.on(MONDAY)
    assert "don't know how far you ran last week" in talk.say("PlanWeekIntent").speech
    assert "How far did you run" in talk.say("LogRunIntent", period=TODAY).speech
    turn = talk.say("LogRunIntent", distance="5000", unit=MILES, period=LAST_WEEK)
    assert "doesn't sound right" in turn.speech
    assert "training" not in runner.stored()
    # This week's own log does not count as a "last week".
    talk.say("LogRunIntent", distance="20", unit=MILES, period=THIS_WEEK)
    assert "don't know how far" in runner.on(day(3)).say("PlanWeekIntent").speech


def test_a_week_long_ago_is_not_last_week(adapter):
    runner = Device(adapter)
    runner.on(MONDAY).say("LogRunIntent", distance="20", unit=MILES, period=LAST_WEEK)
    turn = runner.on(day(21)).say("PlanWeekIntent")  # three weeks on, nothing logged since
    assert "don't know how far you ran last week" in turn.speech


def test_session_keeps_mode_idle_and_stays_open(adapter):
    runner = Device(adapter)
    turn = runner.on(MONDAY).say("LogRunIntent", distance="3", unit=MILES)
    assert turn.attributes == {"mode": "idle"}
    assert turn.reprompt and not turn.end_session


# -- pure helpers --------------------------------------------------------------------------------


def test_iso_weeks_across_new_year():
    assert week_key(date(2024, 12, 30)) == "2025-W01"
    log = log_week_total(empty_training(), date(2024, 12, 23), 30.0, date(2024, 12, 30))
    assert last_logged_week(log, date(2024, 12, 30)) == ("2024-W52", 30.0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(27.5, 27.5), (27.39, 27.0), (16.5, 16.5), (44.000001, 44.0), (33.9, 33.0), (0.9, 0.5)],
)
def test_safe_limit_rounds_down(value, expected):
    assert safe_limit(value) == expected


def test_units():
    assert default_unit("en-US") == "mi" and default_unit("en-GB") == "km"
    assert default_unit(None) == "mi"
    assert parse_unit("Kilometers") == "km" and parse_unit("k") == "km"
    assert parse_unit("mile") == "mi" and parse_unit("furlongs") is None
    assert spoken_number(25.00000001) == "25" and spoken_number(27.5) == "27.5"
