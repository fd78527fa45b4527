"""At the menu, an opening that says the hip hurts asks for a check, even when a date or a number
in it reads stronger than the rest ("since sunday", "a half marathon", "a 10k"): the check starts,
with how long it has hurt kept when that was said. A bare number or date, or a question that
mentions pain, starts nothing. Everyday words of many runners, none a sample of the model."""

from __future__ import annotations

import argparse

import pytest

from hipcoach import app
from hipcoach.standin.chat import Console

OPENINGS = [
    ("en-US", "man my hip has been so sore since the race on saturday", True),
    ("en-US", "hip's aching pretty bad after a 20 miler yesterday", False),
    # known miss, left for the understanding: the filler in "since like tuesday" loses the day
    ("en-US", "honestly my left hip is killing me since like tuesday", False),
    ("en-GB", "my hip's been playing up since the parkrun last weekend", True),
    ("en-GB", "right, so my hip is a bit achy after 15k this morning", False),
    ("en-GB", "hip's really painful, did 3 hill reps and it went", False),
]


@pytest.fixture
def chat(tmp_path, monkeypatch):
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "hip.db"))
    app.default_skill.cache_clear()

    def make(locale: str) -> Console:
        args = argparse.Namespace(
            locale=locale, user="opener", apl=False, endpoint=None, date="2026-12-03"
        )
        return Console(args)

    yield make
    app.default_skill.cache_clear()


@pytest.mark.parametrize(("locale", "said", "has_duration"), OPENINGS)
def test_an_opening_about_pain_starts_the_check(chat, locale, said, has_duration) -> None:
    console = chat(locale)
    console.turn_record("open hip coach")
    turn = console.turn_record(said)
    assert turn["asking"] is not None, (turn["intent"], turn["said"])
    assert "interview.start_check" in turn["said"]
    if has_duration:
        assert "interview.noted" in turn["said"], turn["said"]


@pytest.mark.parametrize("said", ["12", "since monday", "does it matter if my hip hurts after 5k"])
def test_a_bare_number_date_or_question_starts_nothing(chat, said) -> None:
    console = chat("en-US")
    console.turn_record("open hip coach")
    turn = console.turn_record(said)
    assert turn["asking"] is None and "interview.start_check" not in turn["said"], turn["said"]
