"""The prevention rulebook (content/prevention_rules/) on its own, and memory changes as pure
functions: record in, new record out, the input untouched."""

from __future__ import annotations

import copy
from datetime import date

import pytest
import yaml

from hipcoach.memory import actions
from hipcoach.memory.prevention import RULES_DIR, advise, checks_within, rulebook, week_facts
from hipcoach.speech.texts import Texts

SEEDS = {"000_cb8f435cf69bc1c5.txt", "002_21009937cbaba596.txt", "003_b55f5c078ddef855.txt"}
SEEDS |= {"004_983ba7b6c6361c1b.txt", "001_ce3c0a190a02efa1.txt"}
TODAY = date(2026, 11, 25)  # a Wednesday in ISO week 48


def test_every_rule_cites_a_seed():
    for path in RULES_DIR.glob("*.yaml"):
        for rule in (yaml.safe_load(path.read_text()) or {}).get("rules", []):
            assert rule["meta"]["source"] in SEEDS, rule["id"]
            assert rule["meta"]["why"], rule["id"]


def test_the_rulebook_loads_once():
    assert rulebook() is rulebook()


@pytest.mark.parametrize(
    ("this_km", "last_km", "warned", "pct"),
    [(40, 20, True, 100), (22, 20, None, 10), (22.5, 20, True, 12), (15, 20, None, -25)],
)
def test_mileage_jump(this_km, last_km, warned, pct):
    advice = advise({"this_week_km": this_km, "last_week_km": last_km})
    assert advice.get("mileage_warning") is warned
    assert advice.get("mileage_jump_pct") == pct


def test_no_jump_without_a_week_before():
    advice = advise({"this_week_km": 40, "last_week_km": 0})
    assert advice.get("mileage_jump_pct") is None and advice.get("mileage_warning") is None


def test_next_week_counts_from_this_week_else_last():
    next_from_this = advise({"this_week_km": 18, "last_week_km": 10, "plan_week": "next_week"})
    assert next_from_this.get("plan_basis") == "this_week"
    assert next_from_this.get("cap_km") == pytest.approx(19.8)
    next_from_last = advise({"this_week_km": 0, "last_week_km": 10, "plan_week": "next_week"})
    assert next_from_last.get("plan_basis") == "last_week"
    this_week = advise({"this_week_km": 18, "last_week_km": 10, "plan_week": "this_week"})
    assert this_week.get("plan_basis") == "last_week" and this_week.get("cap_km") == 11.0
    nothing = advise({"this_week_km": 18, "last_week_km": 0, "plan_week": "this_week"})
    assert nothing.get("plan_basis") == "none" and nothing.get("cap_km") is None


@pytest.mark.parametrize(("planned", "over"), [(22, None), (22.01, True), (10, None)])
def test_a_plan_against_the_cap(planned, over):
    advice = advise({"last_week_km": 20, "plan_week": "this_week", "planned_km": planned})
    assert advice.get("plan_over_cap") is over


@pytest.mark.parametrize(
    ("miles", "wear"), [(0, "fresh"), (299.9, "fresh"), (300, "due"), (499, "due"), (500, "worn")]
)
def test_shoe_wear(miles, wear):
    assert advise({"shoe_miles": miles}).get("shoe_wear") == wear


@pytest.mark.parametrize(
    ("facts", "level", "reasons"),
    [
        ({"progress": "better", "pain_days": 12}, "none", ()),
        ({"progress": "same", "pain_days": 12}, "see_professional", ("more_than_a_week",)),
        ({"progress": "same", "pain_days": 3}, "see_professional", ("not_easing",)),
        ({"progress": "worse", "days_since_check": 9}, "see_professional", ("worsening",)),
        (
            {"progress": "same", "days_since_check": 9},
            "see_professional",
            ("more_than_a_week_since_check",),
        ),
        ({"progress": "better", "checks_last_30_days": 3}, "see_professional", ("recurrent",)),
        ({"progress": "gone", "checks_last_30_days": 3}, "none", ()),
        ({"progress": "better", "checks_last_30_days": 2}, "none", ()),
    ],
)
def test_followup_escalation(facts, level, reasons):
    advice = advise(facts)
    assert advice.get("escalation") == level
    assert set(reasons) <= set(advice.reasons)
    if not reasons:
        assert advice.reasons == ()


def test_the_seam_turns_the_log_into_week_facts():
    training = {
        "unit": "km",
        "weeks": {
            "2026-W47": {"base": 20.0, "base_to": "2026-11-22", "runs": []},
            "2026-W48": {"base": 0.0, "base_to": None, "runs": [{"date": "2026-11-24", "km": 8}]},
        },
    }
    assert week_facts(training, TODAY) == {
        "this_week_km": 8.0,
        "last_week_km": 20.0,
        "weeks_logged": 2,
    }
    checks = ["2026-10-20", "2026-10-27", "2026-11-10", "2026-11-25", "nonsense"]
    assert checks_within(checks, TODAY) == 3  # 27 Oct is 30 days back: inside


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
