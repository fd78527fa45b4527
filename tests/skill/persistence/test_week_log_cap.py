"""A week's log keeps at most MAX_RUNS_PER_WEEK entries, yet every acknowledged run counts: 30 runs
in one week are all in the week's total, as said and as stored (issue 26: the 22nd run used to be
answered "added" while the total stayed put)."""

from __future__ import annotations

from datetime import date

import pytest
from _memory_harness import MONDAY, Device, day

from hipcoach.memory.training import (
    MAX_RUN_KM,
    MAX_RUNS_PER_WEEK,
    empty_training,
    log_run,
    validate_training,
    week_total,
)

KMS = ("kilometres", "kilometres")
TODAY = ("today", "today")


def test_thirty_runs_in_a_week_all_count(adapter):
    runner = Device(adapter, locale="en-GB")
    total = 0
    for n in range(30):
        km = 1 + n % 5
        total += km
        turn = runner.on(day(n % 7)).say("LogRunIntent", distance=str(km), unit=KMS, period=TODAY)
        week = turn.text("week_this_week")
        assert turn.says("logged_run", total=turn.km(str(total)), week=week), n
    stored = validate_training(runner.stored()["training"])
    assert stored is not None
    rec = stored["weeks"]["2024-W10"]
    assert len(rec["runs"]) <= MAX_RUNS_PER_WEEK
    assert week_total(rec) == pytest.approx(total)


def test_merging_keeps_every_days_total():
    training = empty_training()
    per_day: dict[str, float] = {}
    for n in range(40):
        when = day(n % 7)
        training = log_run(training, when, 2.5 + n % 3, day(6))
        per_day[when.isoformat()] = per_day.get(when.isoformat(), 0) + 2.5 + n % 3
    rec = training["weeks"]["2024-W10"]
    assert len(rec["runs"]) == MAX_RUNS_PER_WEEK
    kept: dict[str, float] = {}
    for run in rec["runs"]:
        kept[run["date"]] = kept.get(run["date"], 0) + run["km"]
    assert kept == pytest.approx(per_day)
    assert validate_training(training) is not None


def test_a_week_that_cannot_hold_another_run_refuses_it():
    training = empty_training()
    sunday = date(2024, 3, 10)
    for n in range(MAX_RUNS_PER_WEEK):  # every day three runs too long to merge
        training = log_run(training, MONDAY if n < 3 else day(n // 3), MAX_RUN_KM * 0.6, sunday)
    with pytest.raises(ValueError):
        log_run(training, MONDAY, MAX_RUN_KM * 0.6, sunday)
