"""The interview when runners say several things in one breath (both locales, everyday words):
what the skill decided (asking, findings, result), not its phrasing."""

from __future__ import annotations

import argparse
from datetime import date

import pytest

from hipcoach import app
from hipcoach.standin.chat import Console

TODAY = date(2026, 11, 20)


@pytest.fixture
def chat(tmp_path, monkeypatch):
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "hip.db"))
    app.default_skill.cache_clear()

    def make(locale: str = "en-US") -> Console:
        args = argparse.Namespace(
            locale=locale, user="sam", apl=False, endpoint=None, date=TODAY.isoformat()
        )
        return Console(args)

    yield make
    app.default_skill.cache_clear()


def say(console: Console, *utterances: str) -> list[dict]:
    return [console.turn_record(u) for u in utterances]


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_a_no_with_details_answers_the_screen(chat, locale: str) -> None:
    turns = say(
        chat(locale),
        "open hip coach",
        "check my hip",
        "no, none of those, I can walk about fine, it's just a dull ache",
    )
    assert turns[1]["asking"] == "emergency_screen"
    assert turns[2]["asking"] not in ("emergency_screen", None)
    assert turns[2]["findings"].get("cannot_bear_weight") is False


def test_a_question_after_a_no_is_answered_and_the_no_recorded(chat) -> None:
    turns = say(
        chat(),
        "open hip coach",
        "check my hip",
        "um no, none of them, can I still take ibuprofen though?",
    )
    last = turns[2]
    assert last["asking"] not in ("emergency_screen", None)  # the answer recorded: moved on
    assert "ibuprofen" in last["speech"].lower()  # and the question answered


def test_a_red_flag_after_a_denial_is_acted_on_that_turn(chat) -> None:
    turns = say(
        chat("en-GB"),
        "open hip coach",
        "my hip's sore at the front",
        "no I didn't fall, but I've been really hot and shivery since last night",
    )
    result = turns[2]["result"]
    assert result is not None and result["triage"] in ("urgent", "emergency")
    assert turns[2]["findings"]["fever_or_chills"] is True


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_a_correction_at_the_menu_starts_the_check_with_the_corrected_place(chat, locale) -> None:
    turns = say(
        chat(locale),
        "open hip coach",
        "so my hip hurts on the side no wait it's more at the front where my leg meets my hip",
    )
    assert not turns[1]["end_session"]
    assert turns[1]["findings"] == {"pain_location": "front_hip"}


def test_an_opening_of_several_facts_keeps_them_and_skips_their_questions(chat) -> None:
    console = chat()
    turns = say(
        console,
        "open hip coach",
        "um so the outside of my right hip has been sore for about three weeks, it's worse "
        "when I lie on that side and I'd say it's like a five",
    )
    found = turns[1]["findings"]
    assert found["pain_location"] == "outer_hip"
    assert found["pain_days"] == 21
    assert found["worse_lying_on_side"] is True
    assert found["pain_severity"] == 5
    asked = [turns[1]["asking"]]
    for _ in range(12):
        turn = say(console, "no")[0]
        if turn["result"] or turn["asking"] is None:
            break
        asked.append(turn["asking"])
    assert not {"pain_location", "pain_days", "worse_lying_on_side", "pain_severity"} & set(asked)
