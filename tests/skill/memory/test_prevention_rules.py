"""The prevention rulebook (content/prevention_rules/) on records of the stored log, and memory
changes as pure functions: record in, new record out, the input untouched."""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from hipcoach.memory import actions
from hipcoach.memory.prevention import (
    RULES_DIR,
    advise,
    check_records,
    day_number,
    followup_records,
    plan_records,
    rulebook,
    shoe_records,
    today_record,
    training_records,
    week_before_records,
    week_number,
)
from hipcoach.memory.units import KM_PER_MILE
from hipcoach.speech.texts import Texts

SEEDS = {"000_cb8f435cf69bc1c5.txt", "002_21009937cbaba596.txt", "003_b55f5c078ddef855.txt"}
SEEDS |= {"004_983ba7b6c6361c1b.txt", "001_ce3c0a190a02efa1.txt"}
TODAY = date(2026, 11, 25)  # a Wednesday in ISO week 48
MONDAY = date(2026, 11, 23)
# the installed `forwardrules` command beside this interpreter, else the same entry point
SCRIPT = Path(sys.executable).with_name("forwardrules")
CLI = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "forwardrules.cli"]


def _log(this_km: float, last_km: float) -> dict:
    """A stored log: last week's stated total, this week's distance as two runs."""
    weeks: dict = {}
    if last_km:
        weeks["2026-W47"] = {"base": last_km, "base_to": "2026-11-22", "runs": []}
    if this_km:
        runs = [
            {"date": "2026-11-23", "km": this_km / 2},
            {"date": "2026-11-24", "km": this_km / 2},
        ]
        weeks["2026-W48"] = {"base": 0.0, "base_to": None, "runs": runs}
    return {"unit": "km", "weeks": weeks}


def _weeks(this_km: float, last_km: float) -> list[dict]:
    return today_record(TODAY) + training_records(_log(this_km, last_km))


def _checks(count: int) -> list[dict]:
    return check_records([(TODAY - timedelta(days=n * 9)).isoformat() for n in range(count)])


def test_every_rule_cites_a_seed():
    for path in RULES_DIR.glob("*.yaml"):
        for rule in (yaml.safe_load(path.read_text()) or {}).get("rules", []):
            assert rule["meta"]["source"] in SEEDS, rule["id"]
            assert rule["meta"]["why"], rule["id"]


def test_the_rulebook_loads_once_and_is_all_records():
    assert rulebook() is rulebook()
    assert not rulebook().rules and rulebook().record_rules  # no rule reads a scalar fact


def test_weeks_are_numbered_consecutively_from_monday():
    assert week_number(MONDAY) == week_number(MONDAY + timedelta(days=6))
    assert week_number(MONDAY) - week_number(MONDAY - timedelta(days=1)) == 1
    assert week_number(date(2027, 1, 4)) - week_number(date(2026, 12, 28)) == 1  # across a year


@pytest.mark.parametrize(
    ("this_km", "last_km", "warned", "pct"),
    [(40, 20, True, 100), (22, 20, False, 10), (22.5, 20, True, 12), (15, 20, False, -25)],
)
def test_mileage_jump(this_km, last_km, warned, pct):
    advice = advise(_weeks(this_km, last_km))
    assert (advice.jump(TODAY) is not None) is warned
    assert advice.field("week_change", "pct", week=week_number(TODAY)) == pct
    assert advice.week_km(TODAY) == this_km and advice.week_km(TODAY, weeks_back=1) == last_km
    if warned:
        assert advice.jump(TODAY)["cap_km"] == pytest.approx(last_km * 1.1)


def test_a_jump_is_judged_for_every_logged_week():
    log = {
        "unit": "km",
        "weeks": {
            "2026-W46": {"base": 10.0, "base_to": "2026-11-15", "runs": []},
            "2026-W47": {"base": 30.0, "base_to": "2026-11-22", "runs": []},
            "2026-W48": {"base": 0.0, "base_to": None, "runs": [{"date": "2026-11-24", "km": 8}]},
        },
    }
    advice = advise(today_record(TODAY), training_records(log))
    assert advice.jump(TODAY - timedelta(days=7))["pct"] == 200  # last week tripled the one before
    assert advice.jump(TODAY) is None  # this week is well under last week


def test_no_jump_without_a_week_before():
    advice = advise(_weeks(40, 0))
    assert advice.all("week_change") == () and advice.jump(TODAY) is None


def test_next_week_counts_from_this_week_else_last():
    next_from_this = advise(_weeks(18, 10), plan_records("next_week"))
    assert next_from_this.plan_basis == "this_week" and next_from_this.plan_base_km == 18
    assert next_from_this.cap_km == pytest.approx(19.8)
    next_from_last = advise(_weeks(0, 10), plan_records("next_week"))
    assert next_from_last.plan_basis == "last_week"
    this_week = advise(_weeks(18, 10), plan_records("this_week"))
    assert this_week.plan_basis == "last_week" and this_week.cap_km == pytest.approx(11.0)
    nothing = advise(_weeks(18, 0), plan_records("this_week"))
    assert nothing.plan_basis == "none" and nothing.cap_km is None
    empty = advise(today_record(TODAY), plan_records("next_week"))
    assert empty.plan_basis == "none" and empty.cap_km is None


def test_a_stated_week_in_any_unit_gives_its_cap():
    assert advise(week_before_records(30), plan_records("this_week")).cap_km == pytest.approx(33)


@pytest.mark.parametrize(("planned", "over"), [(22, False), (22.01, True), (10, False)])
def test_a_plan_against_the_cap(planned, over):
    advice = advise(_weeks(0, 20), plan_records("this_week", planned))
    assert advice.plan_over_cap is over


@pytest.mark.parametrize(
    ("miles", "wear"), [(0, "fresh"), (299.9, "fresh"), (300, "due"), (499, "due"), (500, "worn")]
)
def test_shoe_wear(miles, wear):
    pair = {"since": None, "base_km": miles * KM_PER_MILE, "counted_from": "2026-11-26"}
    advice = advise(today_record(TODAY), shoe_records(pair))
    assert advice.shoe_wear == wear
    assert advice.field("shoe_wear", "miles") == pytest.approx(miles)


def test_shoe_miles_are_summed_from_the_log_since_the_pair_counts():
    log = {
        "unit": "km",
        "weeks": {
            # a week stated on Sunday 22 Nov, the pair bought on Friday 20 Nov: 3 of its 7 days
            "2026-W47": {"base": 70.0, "base_to": "2026-11-22", "runs": []},
            "2026-W48": {"base": 0.0, "base_to": None, "runs": [{"date": "2026-11-24", "km": 12}]},
            "2026-W46": {"base": 0.0, "base_to": None, "runs": [{"date": "2026-11-12", "km": 9}]},
        },
    }
    pair = {"since": "2026-11-20", "base_km": 5.0, "counted_from": "2026-11-20"}
    advice = advise(today_record(TODAY), shoe_records(pair), training_records(log))
    assert advice.shoe_km == pytest.approx(5 + 30 + 12)
    assert advice.shoe_wear == "fresh"
    worn = advise(
        today_record(TODAY),
        shoe_records({**pair, "base_km": 500 * KM_PER_MILE}),
        training_records(log),
    )
    assert worn.shoe_wear == "worn"


def _followup(progress: str, pain_days: int | None = None, days_since_check: int = 0) -> list:
    episode = {
        "recorded": (TODAY - timedelta(days=days_since_check)).isoformat(),
        "started": (TODAY - timedelta(days=pain_days)).isoformat() if pain_days else None,
    }
    return followup_records(episode, progress)


@pytest.mark.parametrize(
    ("records", "level", "reasons"),
    [
        (_followup("better", pain_days=12), "none", ()),
        (_followup("same", pain_days=12), "see_professional", ("more_than_a_week",)),
        # Clinic26, decision b: not easing counts once the check is a week old or the pain has
        # lasted more than a week, not the day after the check.
        (_followup("same", pain_days=3), "none", ()),
        (_followup("same", days_since_check=2), "none", ()),
        (_followup("same", pain_days=9, days_since_check=2), "see_professional", ("not_easing",)),
        (_followup("same", days_since_check=7), "see_professional", ("not_easing",)),
        (_followup("same", pain_days=3, days_since_check=9), "see_professional", ("not_easing",)),
        (_followup("worse", days_since_check=9), "see_professional", ("worsening",)),
        (
            _followup("same", days_since_check=9),
            "see_professional",
            ("more_than_a_week_since_check",),
        ),
        (_followup("better") + _checks(3), "see_professional", ("recurrent",)),
        (_followup("gone") + _checks(3), "none", ()),
        (_followup("better") + _checks(2), "none", ()),
    ],
)
def test_followup_escalation(records, level, reasons):
    advice = advise(today_record(TODAY), records)
    assert advice.escalation == (None if level == "none" else level)
    assert set(reasons) <= set(advice.reasons)
    if not reasons:
        assert advice.reasons == ()
    if "more_than_a_week" in advice.reasons:  # the start was said: the check's age is not used
        assert "more_than_a_week_since_check" not in advice.reasons


def test_checks_are_counted_in_the_last_30_days():
    checks = ["2026-10-20", "2026-10-27", "2026-11-10", "2026-11-25", "nonsense"]
    advice = advise(today_record(TODAY), check_records(checks))
    assert advice.field("checks_in_window", "count") == 3  # 27 Oct is 30 days back: inside
    assert advice.recurrent
    fewer = advise(today_record(TODAY), check_records(["2026-10-26", *checks[2:]]))
    assert fewer.field("checks_in_window", "count") == 2 and not fewer.recurrent


def test_the_seam_turns_the_log_into_records():
    training = {
        "unit": "km",
        "weeks": {
            "2026-W47": {"base": 20.0, "base_to": "2026-11-22", "runs": []},
            "2026-W48": {"base": 0.0, "base_to": None, "runs": [{"date": "2026-11-24", "km": 8}]},
        },
    }
    records = training_records(training)
    assert {r["type"] for r in records} == {"week_total", "run"}
    run = next(r for r in records if r["type"] == "run")
    assert run["day"] == day_number(date(2026, 11, 24)) and run["week"] == week_number(TODAY)
    advice = advise(today_record(TODAY), records)
    assert advice.week_km(TODAY) == 8.0 and advice.week_km(TODAY, weeks_back=1) == 20.0


def _everything() -> list[dict]:
    """One runner's whole log: weeks, runs, a pair of shoes, checks and a follow-up."""
    log = _log(30, 20)
    log["weeks"]["2026-W48"]["runs"].append({"date": "2026-11-25", "km": 4.0})
    pair = {"since": "2026-11-20", "base_km": 480.0, "counted_from": "2026-11-20"}
    episode = {"recorded": "2026-11-10", "started": None}
    return [
        *today_record(TODAY),
        *training_records(log),
        *plan_records("next_week", 40),
        *shoe_records(pair),
        *_checks(3),
        *followup_records(episode, "same"),
    ]


def _decisions(derived: list[dict]) -> list[str]:
    return sorted(json.dumps(item, sort_keys=True) for item in derived)


def test_decisions_do_not_depend_on_the_order_of_the_records():
    records = _everything()
    expected = None
    shuffler = random.Random(48)
    for _ in range(12):
        shuffled = records[:]
        shuffler.shuffle(shuffled)
        with rulebook().session() as session:
            for start in range(0, len(shuffled), 3):  # in several inserts too
                session.insert(shuffled[start : start + 3])
            found = _decisions([r.to_json() for r in session.result().derived_records()])
        expected = expected or found
        assert found == expected
    kinds = {json.loads(item)["type"] for item in expected}
    assert {"mileage_jump", "plan_cap", "shoe_wear", "recurrent", "escalation"} <= kinds


def test_a_changed_log_takes_back_what_it_no_longer_supports():
    records = _weeks(40, 20)
    with rulebook().session() as session:
        session.insert(records)
        result = session.result()
        assert [r["week"] for r in result.records("mileage_jump")] == [week_number(TODAY)]
        for run in result.records("run"):
            session.remove(run.id)
        after = session.result()
        assert after.records("mileage_jump") == [] and after.records("week_change") == []


def test_every_decision_explains_itself_down_to_the_log_with_its_seed():
    with rulebook().session() as session:
        session.insert(_everything())
        result = session.result()
        for firing in result.record_firings:
            assert firing.meta["source"] in SEEDS
        jump = result.records("mileage_jump")[0]
        # down to the stored weeks; the sums of their runs are shown as aggregates, not inputs
        inputs = result.explain(jump).inputs()
        assert len([item for item in inputs if item.startswith("week_total {")]) >= 2
        assert "runs = 34" not in inputs and "runs = 34" in result.explain(jump).text()
        derived = {name for name, spec in rulebook().vocabulary.records.items() if spec.derived}
        assert not any(item.split(" ")[0] in derived for item in inputs)


def test_the_command_line_runs_the_rulebook_on_a_list_of_records(tmp_path):
    facts = tmp_path / "log.json"
    facts.write_text(json.dumps(_everything()))
    done = subprocess.run(
        [*CLI, "run", str(RULES_DIR), str(facts)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    derived = json.loads(done.stdout)["facts"]
    by_type: dict[str, list[dict]] = {}
    for item in derived:
        by_type.setdefault(item["type"], []).append(item)
    assert by_type["mileage_jump"][0]["pct"] == 70  # 34 km after last week's 20
    assert by_type["plan_basis"] == [{"type": "plan_basis", "basis": "this_week", "base_km": 34}]
    assert by_type["plan_cap"][0]["km"] == pytest.approx(37.4)
    assert by_type["plan_over_cap"]  # 40 km is more than 37.4
    assert [w["level"] for w in by_type["shoe_wear"]] == ["due"]
    assert by_type["recurrent"] == [{"type": "recurrent", "checks": 3}]
    reasons = {e["reason"] for e in by_type["escalation"]}
    assert reasons == {"not_easing", "more_than_a_week_since_check", "recurrent"}
    assert _decisions(derived) == _decisions(
        [r.to_json() for r in _run(_everything()).derived_records()]
    )


def _run(records: list[dict]):
    with rulebook().session() as session:
        session.insert(records)
        return session.result()


# -- pure changes -----------------------------------------------------------------------------


def _record() -> dict:
    return {
        "training": {
            "unit": "mi",
            "weeks": {"2026-W47": {"base": 32.187, "base_to": "2026-11-22", "runs": []}},
        },
        "shoes": {
            "since": "2026-11-01",
            "since_exact": True,
            "base_km": 0.0,
            "counted_from": "2026-11-01",
        },
        "episode": {
            "started": None,
            "recorded": "2026-11-16",
            "location": "outer_hip",
            "triage": "self_care",
            "condition": None,
            "status": "open",
            "followups": [],
        },
        "checks": ["2026-11-16"],
    }


@pytest.mark.parametrize(
    "make",
    [
        lambda r, t: actions.log_distance(r, t, "en-US", 40, "miles", "this_week", None, TODAY),
        lambda r, t: actions.log_distance(r, t, "en-US", 10, "k", None, "2026-11-22", TODAY),
        lambda r, t: actions.new_shoes(r, t, "en-US", "2026-W47", TODAY),
        lambda r, t: actions.set_shoe_distance(r, t, "en-US", 400, "miles", TODAY),
        lambda r, t: actions.followup(r, t, "same", TODAY),
    ],
)
def test_every_change_is_pure_and_its_reply_comes_from_the_result(make):
    texts = Texts("en-US")
    record = _record()
    before = copy.deepcopy(record)
    answer = make(record, texts)
    assert answer.change is not None
    result = answer.change(record)
    assert record == before  # the input is untouched
    assert result != record and answer.change(copy.deepcopy(record)) == result  # re-appliable
    assert answer.say(result)


def test_record_check_is_pure_and_keeps_check_dates():
    record = _record()
    before = copy.deepcopy(record)
    result = actions.record_check(record, {"pain_days": 2}, "self_care", None, TODAY)
    assert record == before
    assert result["checks"] == ["2026-11-16", "2026-11-25"]
    assert result["episode"]["started"] == "2026-11-23"


@pytest.mark.parametrize(
    ("this_km", "last_km", "basis", "cap"),
    [
        (8.0, 16.0, "last_week", 17.6),  # a week under way, short of the last: build from the last
        (20.0, 16.0, "this_week", 22.0),  # this week already past the last: build from this one
        (0.0, 16.0, "last_week", 17.6),  # nothing yet this week
    ],
)
def test_next_week_builds_from_the_larger_of_a_week_under_way_and_the_last(
    this_km, last_km, basis, cap
):
    advice = advise(_weeks(this_km, last_km), plan_records("next_week"))
    assert advice.plan_basis == basis
    assert advice.cap_km == pytest.approx(cap)
