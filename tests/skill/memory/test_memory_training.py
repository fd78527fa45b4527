"""The training log and the 10% rule across sessions and days, in both locales' units.

Assertions name the content keys a reply was built from and the figures placed into them
(`Turn.says`), so a wording edit in content/speech/memory.yaml breaks none of them."""

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
    assert turn.says("logged_week", distance=turn.miles("25"), week=turn.text("week_last_week"))
    assert turn.says("ten_percent_safe", safe=turn.miles("27.5"))
    stored = runner.stored()["training"]
    assert stored["unit"] == "mi"
    assert stored["weeks"]["2024-W09"]["base"] == pytest.approx(40.234, abs=0.001)

    turn = runner.on(day(2)).say("PlanWeekIntent")
    assert turn.says(
        "plan_this_week_from_last_week", base=turn.miles("25"), safe=turn.miles("27.5")
    )


def test_planned_jump_warns_with_the_safe_figure(adapter):
    runner = Device(adapter)
    runner.on(MONDAY).say("LogRunIntent", distance="25", unit=MILES, period=LAST_WEEK)
    talk = runner.on(day(1))
    turn = talk.say("PlanWeekIntent", distance="40", unit=MILES)
    this_week = turn.text("week_this_week")
    assert turn.says(
        "plan_too_much",
        planned=turn.miles("40"),
        week=this_week,
        base=turn.miles("25"),
        safe=turn.miles("27.5"),
    )
    assert not turn.says("plan_ok")
    turn = talk.say("PlanWeekIntent", distance="27")
    assert turn.says("plan_ok", planned=turn.miles("27"), week=this_week, base=turn.miles("25"))
    assert not turn.says("plan_too_much")


def test_this_week_in_kilometres_becomes_last_week_next_monday(adapter):
    runner = Device(adapter, locale="en-GB")
    turn = runner.on(day(6)).say("LogRunIntent", distance="40", unit=KMS, period=THIS_WEEK)
    assert turn.says("logged_week", distance=turn.km("40"), week=turn.text("week_this_week"))
    turn = runner.on(day(7)).say("PlanWeekIntent")
    assert turn.says("plan_this_week_from_last_week", base=turn.km("40"), safe=turn.km("44"))
    turn = runner.on(day(8)).say("PlanWeekIntent", distance="50", unit=KMS)
    assert turn.says("plan_too_much", planned=turn.km("50"), safe=turn.km("44"))


def test_add_a_10k_today_switches_unit_and_accumulates(adapter):
    runner = Device(adapter)  # en-US: miles by default
    turn = runner.on(MONDAY).say("LogRunIntent", distance="10", unit="k", period=TODAY)
    today, this_week = turn.text("ago_today"), turn.text("week_this_week")
    ten = turn.km("10")
    assert turn.says("logged_run", distance=ten, when=today, total=ten, week=this_week)
    assert runner.stored()["training"]["unit"] == "km"
    turn = runner.on(day(2)).say("LogRunIntent", distance="5")  # no unit: the runner's own
    assert turn.says(
        "logged_run", distance=turn.km("5"), when=today, total=turn.km("15"), week=this_week
    )
    turn = runner.on(day(8)).say("PlanWeekIntent")
    assert turn.says("plan_this_week_from_last_week", base=turn.km("15"), safe=turn.km("16.5"))


def test_units_default_by_locale(adapter):
    us, gb = Device(adapter, "en-US"), Device(adapter, "en-GB")
    turn = us.on(MONDAY).say("LogRunIntent", distance="8")
    assert turn.says("logged_run", distance=turn.miles("8"), total=turn.miles("8"))
    turn = gb.on(MONDAY).say("LogRunIntent", distance="8")
    assert turn.says("logged_run", distance=turn.km("8"), total=turn.km("8"))
    assert us.stored()["training"]["unit"] == "mi" and gb.stored()["training"]["unit"] == "km"


def test_stated_total_includes_earlier_runs(adapter):
    runner = Device(adapter, "en-GB")
    runner.on(MONDAY).say("LogRunIntent", distance="10", unit=KMS)
    runner.on(day(2)).say("LogRunIntent", distance="30", unit=KMS, period=THIS_WEEK)
    runner.on(day(3)).say("LogRunIntent", distance="5", unit=KMS)
    turn = runner.on(day(7)).say("PlanWeekIntent")
    assert turn.says("plan_this_week_from_last_week", base=turn.km("35"))


def test_asked_in_the_other_unit(adapter):
    runner = Device(adapter, "en-GB")
    runner.on(MONDAY).say("LogRunIntent", distance="25", unit=MILES, period=LAST_WEEK)
    talk = runner.on(day(1))
    turn = talk.say("PlanWeekIntent", distance="44", unit=KMS)  # 25 mi = 40.2 km; +10% = 44.3
    assert turn.says("plan_ok", planned=turn.km("44"), base=turn.km("40.2"))
    turn = talk.say("PlanWeekIntent", distance="45", unit=KMS)
    assert turn.says("plan_too_much", planned=turn.km("45"), safe=turn.km("44"))
    turn = talk.say("PlanWeekIntent")  # the runner's unit: miles
    assert turn.says("plan_this_week_from_last_week", safe=turn.miles("27.5"))


def test_no_history_missing_distance_and_nonsense(adapter):
    runner = Device(adapter)
    talk = runner.on(MONDAY)
    assert talk.say("PlanWeekIntent").says("plan_no_history")
    turn = talk.say("LogRunIntent", period=TODAY)
    assert turn.says("log_missing_distance") and not turn.says("logged_run")
    turn = talk.say("LogRunIntent", distance="5000", unit=MILES, period=LAST_WEEK)
    assert turn.says("log_out_of_range") and not turn.says("logged_week")
    assert "training" not in runner.stored()
    # This week's own log does not count as a "last week".
    assert talk.say("LogRunIntent", distance="20", unit=MILES, period=THIS_WEEK).says("logged_week")
    assert runner.on(day(3)).say("PlanWeekIntent").says("plan_no_history")


def test_a_week_long_ago_is_not_last_week(adapter):
    runner = Device(adapter)
    runner.on(MONDAY).say("LogRunIntent", distance="20", unit=MILES, period=LAST_WEEK)
    turn = runner.on(day(21)).say("PlanWeekIntent")  # three weeks on, nothing logged since
    assert turn.says("plan_no_history")


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
