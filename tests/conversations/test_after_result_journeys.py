"""After a result (issue 22 clinical review): every question a runner asks next is answered from
the care plan's level in force, in the same session, in a new one and on a later day, in en-US and
en-GB, through the chat console (local NLU, real envelopes, the one skill object, a real SQLite
file).

- At urgent or emergency, "tonight?", "can I run?", "how long?", "see a doctor?" and "which
  exercises?" lead with the action in force, with the locale's number, and never give home care
  as if it applied.
- "Why?" after a result explains it from the plan's reasons (only what the runner said), with the
  seed of each on the card, however long after the result it is asked.
- A fresh strain (a sudden, sharp pull) is not run on the next day, not even an easy, shorter run,
  until the runner says the sharp pain has settled.
"""

from __future__ import annotations

import argparse
from datetime import date

import pytest
from _conversations import Check, _seed_check

from hipcoach import app
from hipcoach.medical.care_plan import care_plan
from hipcoach.speech.answers import catalogue
from hipcoach.speech.locales import policy
from hipcoach.standin.chat import Console

DAY1, DAY2, DAY4 = "2026-11-16", "2026-11-17", "2026-11-19"
LAUNCH = "open hip coach"
# What a runner asks once they have heard their result, in plain words.
AFTER_RESULT = {
    "tonight": "what should I do about it tonight",
    "running": "am I ok to go for a run tomorrow",
    "healing_time": "how long until it heals",
    "see_doctor": "do I need to see a doctor",
    "hip_strength": "what exercises should I do for my hip",
}
# The home-care answers that must not be given while an urgent or emergency level is in force.
HOME_CARE = ("tonight", "running", "healing_time", "hip_strength")
WHY = ("why", "why do you say that", "how did you decide")


@pytest.fixture(autouse=True)
def _database(tmp_path, monkeypatch):
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "hip.db"))
    app.default_skill.cache_clear()
    yield tmp_path / "hip.db"
    app.default_skill.cache_clear()


def _console(locale: str, user: str, day: str) -> Console:
    args = argparse.Namespace(locale=locale, user=user, apl=False, endpoint=None, date=day)
    return Console(args)


def _fall_with_a_deformed_leg(console: Console) -> dict:
    console.turn_record(LAUNCH)
    console.turn_record("check my hip")
    result = console.turn_record("yes I fell and my hip looks out of place")
    assert result["result"]["triage"] == "emergency"
    assert result["result"]["conditions"][0] == "fracture_or_dislocation"
    return result


def _home_care_words(locale: str) -> list[str]:
    """The general answers' own words (ice, easy runs, healing times, strength moves)."""
    answers = catalogue().answers
    words = []
    for answer_id in HOME_CARE:
        entry = answers[answer_id]
        text = entry.text_for(locale)
        if text:
            words.append(text.split(".")[0])
    words.append("bridges, clamshells")
    return words


def _assert_held(reply: dict, locale: str, level_words: str) -> None:
    speech = reply["speech"]
    number = policy(locale).emergency_number
    assert speech.startswith(level_words), speech
    assert number in speech
    for words in _home_care_words(locale):
        assert words not in speech, (words, speech)


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_after_an_emergency_every_question_leads_with_the_emergency(locale):
    console = _console(locale, "fall", DAY1)
    result = _fall_with_a_deformed_leg(console)
    assert result["end_session"]  # call now: the microphone closes
    emergency = "This needs emergency care now."
    for question in AFTER_RESULT.values():
        _assert_held(console.turn_record(question), locale, emergency)
    # Two days later, nobody has seen it yet: the same.
    later = _console(locale, "fall", DAY4)
    later.turn_record(LAUNCH)
    for question in AFTER_RESULT.values():
        _assert_held(later.turn_record(question), locale, emergency)


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_a_day_after_an_urgent_stress_fracture_the_urgent_action_leads(_database, locale):
    findings = {
        "pain_location": "groin",
        "night_pain": True,
        "worsening": True,
        "pain_timing": "at_rest",
        "mileage_increase_pct": 40,
    }
    plan = care_plan(findings, None, date.fromisoformat(DAY1))
    assert plan.level == "urgent" and plan.self_care_held
    _seed_check(
        _database, "femur", date.fromisoformat(DAY1), Check(findings, plan.level, plan.leader)
    )
    console = _console(locale, "femur", DAY2)
    console.turn_record(LAUNCH)
    for question in AFTER_RESULT.values():
        reply = console.turn_record(question)
        _assert_held(reply, locale, "Stop running and see a doctor within 24 hours")
    if locale == "en-GB":  # the locale's urgent service is named too
        assert "111" in reply["speech"]


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_self_care_answers_stay_home_care(locale):
    """Below urgent nothing is held: a mild outer-hip check still hears its ice and easy runs."""
    console = _console(locale, "mild", DAY1)
    plan = care_plan(
        {"pain_location": "outer_hip", "tender_outer_hip": True}, None, date.fromisoformat(DAY1)
    )
    assert not plan.self_care_held
    console.turn_record(LAUNCH)
    reply = console.turn_record(AFTER_RESULT["tonight"])
    assert "ice" in reply["speech"].lower()


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_why_after_a_result_explains_it_from_what_was_said(locale):
    console = _console(locale, "why", DAY1)
    _fall_with_a_deformed_leg(console)
    for question in WHY:  # a new session: the check ended with the call
        reply = console.turn_record(question)
        speech = reply["speech"]
        assert "haven't reached a conclusion" not in speech
        assert "looks deformed or out of place" in speech  # what the runner said
        assert policy(locale).emergency_number in speech  # the emergency still leads the way
        assert "result.why_plan" in reply["said"]
    later = _console(locale, "why", DAY4)
    later.turn_record(LAUNCH)
    reply = later.turn_record("why do you say that")
    assert "looks deformed or out of place" in reply["speech"]
    assert "broken or dislocated hip" in reply["speech"]  # the cause, with its own reasons


def test_why_reasons_carry_their_seed():
    plan = care_plan({"after_fall_or_injury": True, "hip_deformed": True}, None, None)
    assert plan.why and plan.why_cause
    for reason in (*plan.why, *plan.why_cause):
        assert reason.source.endswith(".txt")
        assert reason.quote or reason.judgement


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_no_easy_run_the_day_after_a_fresh_sharp_strain(_database, locale):
    findings = {  # a sudden, sharp pull at the front of the hip, mid-sprint, today
        "pain_location": "front_hip",
        "onset": "sudden",
        "pain_quality": "sharp",
        "recent_speedwork": True,
        "pain_days": 0,
    }
    first = care_plan(findings, None, date.fromisoformat(DAY1))
    assert first.leader == "hip_flexor_strain"
    assert first.running == "rest_until_sharp_pain_settled"
    check = Check(findings, first.level, first.leader)
    _seed_check(_database, "sprint", date.fromisoformat(DAY1), check)
    next_day = _console(locale, "sprint", DAY2)
    next_day.turn_record(LAUNCH)
    reply = next_day.turn_record("can I go for an easy shorter run today")
    assert "care_plan.running_rest_until_sharp_pain_settled" in reply["said"]
    assert "until the sharp pain has settled" in reply["speech"]
