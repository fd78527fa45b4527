"""Warning signs said in the words of the final blind run: mid-check and at a follow-up days later
they raise the level or the follow-up, never pass unnoticed."""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from typing import Any

import pytest

DAY = date(2026, 11, 16)


@pytest.fixture(autouse=True)
def _own_database(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "hipcoach.db"))


def _console(locale: str, user: str, day: date) -> Any:
    from hipcoach.standin.chat import Console

    args = argparse.Namespace(
        locale=locale, user=user, apl=False, endpoint=None, date=day.isoformat()
    )
    return Console(args)


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("en-GB", "in the groin, and to be honest since yesterday I can barely move my leg at all"),
        ("en-US", "I can hardly move my leg"),
        ("en-GB", "I can barely put weight on it"),
    ],
)
def test_a_barely_or_hardly_is_still_the_warning_sign(locale: str, said: str) -> None:
    console = _console(locale, f"barely-{locale}-{len(said)}", DAY)
    console.turn_record("open hip coach")
    console.turn_record("my hip hurts after my run")
    turn = console.turn_record(said)
    assert turn["result"] is not None and turn["result"]["triage"] == "emergency", turn


def test_a_new_warning_sign_at_the_follow_up_is_worse_not_missed() -> None:
    console = _console("en-GB", "followup-night", DAY)
    console.turn_record("open hip coach")
    # issue 22 added the history screen and reduced range of motion: up to 20 questions
    for line in ["my hip aches on the outside after runs"] + ["no"] * 20:
        turn = console.turn_record(line)
        if turn["result"]:
            break
    assert turn["result"] is not None
    later = _console("en-GB", "followup-night", DAY + timedelta(days=2))
    asked = later.turn_record("open hip coach")
    assert asked["end_session"] is False
    answer = later.turn_record("worse, it's started waking me up at night")
    assert answer["intent"] == "TellFindingsIntent"
    assert "care_plan.followup_worse_see_professional" in answer["said"], answer["said"]


def test_a_score_said_to_another_question_is_kept() -> None:
    console = _console("en-US", "score-elsewhere", DAY)
    console.turn_record("open hip coach")
    console.turn_record("my hip hurts after running")
    console.turn_record("no")
    turn = console.turn_record("honestly it's like a nine out of ten")
    assert turn["findings"]["pain_severity"] == 9


def test_a_warning_sign_said_after_the_result_reopens_the_check() -> None:
    console = _console("en-US", "after-result-fever", DAY)
    console.turn_record("open hip coach")
    turn = console.turn_record("my hip hurts on the outside and it's sore to press")
    for _ in range(15):
        if turn["result"]:
            break
        turn = console.turn_record("no")
    assert turn["result"] is not None and turn["result"]["triage"] != "emergency"
    later = console.turn_record("oh and um, I forgot to say, I've been feeling feverish too")
    assert later["intent"] == "TellFindingsIntent"
    assert later["findings"]["fever_or_chills"] is True
    while later["result"] is None and later["asking"] is not None:
        later = console.turn_record("no")
    assert later["result"] is not None
    assert later["result"]["triage"] in ("urgent", "emergency")


def test_fever_in_the_same_breath_as_swelling_is_kept() -> None:
    console = _console("en-US", "fever-and-swelling", DAY)
    console.turn_record("open hip coach")
    console.turn_record("my hip hurts after my run")
    console.turn_record("no")
    turn = console.turn_record(
        "well um, it's kind of hot and puffy and I've been feeling feverish since last night"
    )
    assert turn["findings"]["fever_or_chills"] is True
    assert turn["findings"]["sudden_swelling"] is True
    assert turn["result"] is not None and turn["result"]["triage"] == "emergency"


def test_the_safety_net_is_for_a_screen_item_not_for_how_long() -> None:
    console = _console("en-US", "safety-net-scope", DAY)
    console.turn_record("open hip coach")
    console.turn_record("my hip hurts after running")
    console.turn_record("yes")  # to the emergency screen: which one?
    console.turn_record("something about my knee")  # the items are then asked one by one
    console.turn_record("blah blah")
    turn = console.turn_record("bloop")  # the single deformity question, not understood twice
    assert "interview.safety_net_emergency" in turn["said"]  # the level the rules give it
    other = _console("en-US", "safety-net-duration", DAY)
    other.turn_record("open hip coach")
    turn = other.turn_record("my hip hurts on the outside after running, worse when I lie on it")
    while turn["asking"] != "pain_days" and turn["result"] is None:
        turn = other.turn_record("no")
    other.turn_record("no")
    turn = other.turn_record("no")  # how long, not understood twice
    assert not any(key.startswith("interview.safety_net") for key in turn["said"])
    assert "interview.moving_on" in turn["said"]
