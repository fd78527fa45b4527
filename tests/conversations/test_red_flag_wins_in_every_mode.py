"""A warning sign said where the skill waits for some other answer ("is it any better?" on a
later day, the shoe question, the resume offer, "should I delete it?") is acted on that very
turn: the emergency or urgent advice is spoken and the stored level in force rises (issue 22; a
blind clinician's day-3 fever and swelling was heard only as "worse"). Through the chat console
(local NLU, real envelopes, a real SQLite file), in en-US and en-GB."""

from __future__ import annotations

from datetime import date

import pytest
from _conversations import Check, Conversation, Day, Tally, Turn, run, stored_record

from hipcoach import app
from hipcoach.medical.care_plan import care_plan
from hipcoach.memory.episodes import history_of
from hipcoach.standin.chat import Console

DAY1, DAY3 = "2026-11-16", "2026-11-18"
BURSITIS = Check(
    {"pain_location": "outer_hip", "tender_outer_hip": True, "worse_lying_on_side": True},
    "self_care",
    "trochanteric_bursitis",
)
# (what the runner says instead of answering, the level it must raise the day to)
WARNINGS = {
    "en-US": [
        ("honestly worse, I've got a fever and chills and the hip is all swollen", "emergency"),
        ("I slipped on the stairs last night and now I can't put any weight on it", "emergency"),
        ("not better, and I can't move my leg at all since this morning", "emergency"),
    ],
    "en-GB": [
        ("I'm all hot and shivery and my hip's swollen up", "emergency"),
        ("I came off my bike and I can't stand on that leg now", "emergency"),
        ("um, it looks kind of out of place, like deformed", "emergency"),
    ],
}


@pytest.fixture
def database(tmp_path, monkeypatch):
    db = tmp_path / "hip.db"
    monkeypatch.setenv("HIPCOACH_DB", str(db))
    app.default_skill.cache_clear()
    yield db
    app.default_skill.cache_clear()


def _level_in_force(db, user: str, on: str) -> str:
    return care_plan({}, history_of(stored_record(db, user)), date.fromisoformat(on)).level


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
@pytest.mark.parametrize("case", [0, 1, 2])
def test_a_warning_sign_answering_is_it_any_better(database, locale, case):
    said, level = WARNINGS[locale][case]
    day1 = Conversation(
        f"self care ({locale})",
        [Day(DAY1, [Turn("open hip coach", "LaunchRequest"), BURSITIS], locale)],
    )
    assert not run(day1, database, "m", Tally())
    console = _console(locale, DAY3)
    asked = console.turn_record("open hip coach")
    assert console.conversation.session is not None
    assert console.conversation.session.attributes["mode"] == "followup", asked
    turn = console.turn_record(said)
    # told on this turn, and kept: the level in force on this and later days
    assert turn["result"] is not None and turn["result"]["triage"] == level, turn
    assert _level_in_force(database, "m", DAY3) == level


def _console(locale: str, day: str) -> Console:
    import argparse

    args = argparse.Namespace(locale=locale, user="m", apl=False, endpoint=None, date=day)
    return Console(args)


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_a_warning_sign_answering_the_shoe_question(database, locale):
    console = _console(locale, DAY1)
    console.turn_record("open hip coach")
    asked = console.turn_record("how worn are my shoes")
    assert console.conversation.session is not None
    assert console.conversation.session.attributes["mode"] == "shoe_question", asked
    turn = console.turn_record(WARNINGS[locale][1][0])
    assert turn["result"] is not None and turn["result"]["triage"] == "emergency", turn


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_a_warning_sign_answering_the_resume_offer(database, locale):
    console = _console(locale, DAY1)
    for said in ("open hip coach", "start my stretches", "i'm done for today"):
        console.turn_record(said)
    console.turn_record("open hip coach")
    assert console.conversation.session is not None
    assert console.conversation.session.attributes["mode"] == "resume_offer"
    turn = console.turn_record(WARNINGS[locale][0][0])
    assert turn["result"] is not None and turn["result"]["triage"] == "emergency", turn
