"""The interview as runners really answer: read against the pending question first, screens
answered by naming their items, repair instead of loops, side questions that come back to the
check. Assertions on what the skill decided (asking, findings, result), not on its phrasing."""

from __future__ import annotations

import argparse
from datetime import date

import pytest

from hipcoach import app
from hipcoach.app import slot_value
from hipcoach.dialog.answers import read_answer
from hipcoach.dialog.turn import Said
from hipcoach.medical.knowledge import knowledge
from hipcoach.standin.chat import Console
from hipcoach.standin.envelopes import build_slot
from hipcoach.understanding.matcher import Nlu

TODAY = date(2026, 11, 20)


@pytest.fixture
def chat(tmp_path, monkeypatch):
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "hip.db"))
    app.default_skill.cache_clear()

    def make(locale: str = "en-US") -> Console:
        args = argparse.Namespace(
            locale=locale, user="kim", apl=False, endpoint=None, date=TODAY.isoformat()
        )
        return Console(args)

    yield make
    app.default_skill.cache_clear()


def say(console: Console, *utterances: str) -> list[dict]:
    return [console.turn_record(u) for u in utterances]


def reading(question: str, said: str, locale: str = "en-US"):
    result = Nlu(locale).resolve(said, TODAY)
    slots = {name: build_slot(name, fill) for name, fill in result.slots.items()}
    request = Said(result.intent, {n: slot_value(s) for n, s in slots.items()})
    return read_answer(knowledge().questions[question], request, TODAY)


def test_a_question_is_put_at_most_twice_then_left_unknown(chat) -> None:
    turns = say(chat(), "open hip coach", "check my hip", "no", "no", "banana", "purple", "eh")
    asked = [t["asking"] for t in turns]
    assert asked[3] == asked[4] == "pain_location"
    assert asked[5] != "pain_location"  # moved on
    assert "pain_location" not in turns[5]["findings"]
    assert len(turns[4]["speech"]) < len(turns[3]["speech"])  # the second time is shorter


def test_a_safety_screen_not_understood_is_broken_into_single_questions(chat) -> None:
    turns = say(chat(), "open hip coach", "check my hip", "banana", "purple")
    assert turns[2]["asking"] == "emergency_screen"
    # never skipped: its own items come next, one at a time
    assert turns[3]["asking"] in {
        "hip_deformed",
        "cannot_bear_weight",
        "cannot_move_leg",
        "after_fall_or_injury",
    }


def test_a_bare_yes_to_a_screen_asks_which_then_keeps_the_named_item(chat) -> None:
    turns = say(chat(), "open hip coach", "check my hip", "yeah", "I took a tumble off my bike")
    assert turns[2]["asking"] == "emergency_screen"  # "which one?"
    assert turns[3]["findings"]["after_fall_or_injury"] is True
    assert turns[3]["asking"] != "emergency_screen"


def test_a_screen_answered_in_plain_words(chat) -> None:
    turns = say(chat(), "open hip coach", "check my hip", "nah nothing like that", "none of them")
    assert turns[2]["asking"] == "urgent_screen" and turns[3]["asking"] == "pain_location"
    turns = say(chat(), "open hip coach", "check my hip", "no, I can stand on it fine")
    assert turns[2]["findings"]["cannot_bear_weight"] is False
    # a no to one item rules nothing else out: the rest are asked one at a time
    assert turns[2]["asking"] in {"hip_deformed", "cannot_move_leg", "after_fall_or_injury"}


def test_a_red_flag_said_anywhere_acts_at_once(chat) -> None:
    turns = say(
        chat(),
        "open hip coach",
        "check my hip",
        "no",
        "no",
        "hang on, it actually started when I fell and now I can't put weight on it",
    )
    assert turns[-1]["result"]["triage"] == "emergency"
    assert turns[-1]["findings"]["after_fall_or_injury"] is True


def test_what_was_said_first_is_never_overwritten_by_an_aside(chat) -> None:
    turns = say(chat(), "open hip coach", "it's worse when I lie on it", "I can lie on it fine, no")
    assert turns[-1]["findings"]["worse_lying_on_side"] is True


def test_both_at_the_location_question_asks_which_hurts_most(chat) -> None:
    turns = say(chat(), "open hip coach", "check my hip", "no", "no", "both", "the groin mostly")
    assert turns[4]["asking"] == "pain_location" and "pain_timing" not in turns[4]["findings"]
    assert turns[5]["findings"]["pain_location"] == "groin"


def test_answers_read_against_the_question() -> None:
    assert reading("intense_pain", "maybe a six").volunteered == {"pain_severity": 6}
    assert reading("intense_pain", "about a nine").volunteered == {"pain_severity": 9}
    worse = reading("concern_screen", "it's getting worse")
    assert (worse.kind, worse.value, worse.volunteered) == ("value", True, {"worsening": True})
    shoes = reading("shoe_miles", "about 600 kilometres", "en-GB")
    assert (shoes.kind, shoes.value) == ("value", 373)
    assert reading("pain_days", "two days since the race").value == 2
    assert reading("pain_days", "since my long run on Sunday").value == 5
    assert reading("pain_timing", "both").value == "during_and_after"
    assert reading("pain_radiates", "yes").kind == "clarify"
    timing = reading("pain_timing", "honestly it only hurts when I run")
    assert (timing.value, timing.volunteered) == ("during_run", {"daily_activities_limited": False})
    assert reading("pain_lifting_leg", "stairs are a struggle to be fair").value is True
    # "are you unable to...?": the runner answers the ability, not the grammar
    assert reading("cannot_bear_weight", "no I can't").value is True
    assert reading("cannot_bear_weight", "yeah I can").value is False
    assert reading("cannot_move_leg", "nope, can't move it").value is True
    assert reading("emergency_screen", "I can't").value is True


def test_a_distance_mid_check_is_not_logged_as_a_run(chat) -> None:
    console = chat("en-GB")
    turns = say(console, "open hip coach", "check my hip", "no", "no", "I ran 600 kilometres")
    assert turns[-1]["intent"] == "LogRunIntent"
    assert turns[-1]["asking"] == "pain_location"  # still in the check, nothing logged
    later = say(console, "stop", "open hip coach", "what do you know about me")
    assert "600" not in later[-1]["speech"]


def test_a_side_question_is_answered_and_the_check_resumes(chat) -> None:
    turns = say(
        chat(),
        "open hip coach",
        "check my hip",
        "no",
        "how much should I increase my mileage",
        "no",
        "start my stretches",
    )
    assert turns[3]["asking"] == "urgent_screen"  # asked again after the answer
    assert turns[4]["asking"] == "pain_location"  # the "no" answered the screen
    assert turns[5]["asking"] == "pain_location"  # the routine waits for the check


def test_findings_field_is_null_outside_a_check(chat) -> None:
    turns = say(chat(), "open hip coach", "my hip hurts on the outside when I lie on it")
    assert turns[0]["findings"] is None
    assert turns[1]["findings"] == {"pain_location": "outer_hip", "worse_lying_on_side": True}


def test_the_runners_story_at_the_menu_starts_a_check_that_knows_it(chat) -> None:
    turns = say(chat("en-GB"), "open hip coach", "my hip's been playing up since saturday")
    assert turns[1]["intent"] == "StartCheckIntent"
    assert turns[1]["findings"] == {"pain_days": 6}  # Saturday the 14th to Friday the 20th
    turns = say(chat(), "open hip coach", "um it's kind of in my butt")
    assert turns[1]["findings"] == {"pain_location": "buttock"}
    assert turns[1]["asking"] == "emergency_screen"  # safety still comes first
