"""A warning sign told with other words around it is acted on the turn it is said, and an urgent
or emergency level in force is not lost on a later day (issue 22 and 23; a blind runner tester's
first run: an opening with a fall and "can't put any weight on that leg at all" was asked about
again, "no, I just couldn't, I can't put any weight on it, I'm hopping" at the safety screen was
heard as a plain no, and a day after "call 911" a run announced was met with the menu).

Through the chat console (the stand-in routes, the skill's own understanding reads, a real SQLite
file), in en-US and en-GB."""

from __future__ import annotations

import argparse

import pytest

from hipcoach import app
from hipcoach.standin.chat import Console
from hipcoach.understanding.acts import SaidFinding, Understanding

DAY1, DAY2, DAY4 = "2026-12-01", "2026-12-02", "2026-12-04"
EMERGENCY_WORDS = ("911", "999", "emergency")


@pytest.fixture
def database(tmp_path, monkeypatch):
    db = tmp_path / "hip.db"
    monkeypatch.setenv("HIPCOACH_DB", str(db))
    app.default_skill.cache_clear()
    yield db
    app.default_skill.cache_clear()


def _console(locale: str, day: str, user: str = "r") -> Console:
    args = argparse.Namespace(locale=locale, user=user, apl=False, endpoint=None, date=day)
    return Console(args)


def _emergency_told(turn: dict) -> bool:
    return turn["result"] is not None and turn["result"]["triage"] == "emergency"


# Openings that tell a warning sign among other words: the emergency is told on this very turn.
OPENINGS = [
    (
        "en-US",
        "I slipped on black ice this morning, landed right on my hip, and now I can't put any "
        "weight on that leg at all",
    ),
    ("en-US", "so um my leg is kind of twisted outward since I fell off my bike"),
    (
        "en-GB",
        "I've just been knocked over by a cyclist and my leg looks all wrong, it's sort of bent "
        "out at the hip",
    ),
    ("en-GB", "came off my bike and I can't stand on that leg at all now"),
    # a hip swollen up and hot or red to the touch: a possible joint infection (the blind
    # clinician's runner after a cortisone shot got two more screens)
    (
        "en-US",
        "I had a cortisone shot in my hip about ten days ago and now the whole hip is all swollen "
        "up and hot to the touch",
    ),
    ("en-GB", "my hip's really swollen and the skin over it is red"),
]


@pytest.mark.parametrize(("locale", "said"), OPENINGS)
def test_a_warning_sign_in_the_opening_is_told_at_once(database, locale, said):
    console = _console(locale, DAY1)
    console.turn_record("open hip coach")
    turn = console.turn_record(said)
    assert _emergency_told(turn), turn
    # a sign of the joint is never read as how the pain feels ("hot to the touch" is not burning)
    assert turn["findings"].get("pain_quality") != "burning", turn


# A "no" said first to the safety screen, then the sign itself ("can you not put weight on it?"
# invites "no, I can't"): the sign stands.
SCREEN_ANSWERS = [
    (
        "en-US",
        "honestly no, I tried to stand up this morning and I just couldn't, I can't put any "
        "weight on it, I'm hopping around",
    ),
    ("en-GB", "no I couldn't, I can't put any weight on it at all, I'm hobbling on crutches"),
]


@pytest.mark.parametrize(("locale", "said"), SCREEN_ANSWERS)
def test_a_no_before_the_sign_at_the_screen_does_not_deny_it(database, locale, said):
    console = _console(locale, DAY1)
    console.turn_record("open hip coach")
    console.turn_record("check my hip")
    turn = console.turn_record(said)
    assert _emergency_told(turn), turn


def test_a_warning_sign_said_both_ways_in_one_breath_is_kept_as_said():
    heard = Understanding(
        "TellFindings",
        "TellFindingsIntent",
        findings=(
            SaidFinding("cannot_bear_weight", "true"),
            SaidFinding("cannot_bear_weight", "true", "negated"),
            SaidFinding("night_pain", "true"),
            SaidFinding("night_pain", "true", "negated"),
        ),
    )
    # a warning sign can only raise urgency; any other finding said both ways is dropped
    assert heard.values(("cannot_bear_weight",)) == {"cannot_bear_weight": True}
    assert heard.values() == {}


def test_a_common_word_near_a_catalogue_word_is_not_mended_into_it(database):
    console = _console("en-US", DAY1)
    console.turn_record("open hip coach")
    console.turn_record("check my hip")
    turn = console.turn_record("no, none of that, I tried to stand up and I can walk fine")
    # "tried" is not "tripped": no fall recorded
    assert turn["findings"].get("after_fall_or_injury") is not True, turn


def _emergency_on_day1(locale: str) -> None:
    console = _console(locale, DAY1)
    console.turn_record("open hip coach")
    turn = console.turn_record("I fell on the ice and I can't put any weight on my leg")
    assert _emergency_told(turn), turn


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_the_level_in_force_is_said_again_on_a_later_day(database, locale):
    _emergency_on_day1(locale)
    console = _console(locale, DAY2)
    welcome = console.turn_record("open hip coach")
    assert "memory.followup_in_force_emergency" in welcome["said"], welcome
    # words the skill does not follow still meet the level in force, never just the menu
    turn = console.turn_record("right so anyway I reckon I'll give it a little test later")
    if "interview.not_understood" in turn["said"]:
        assert "memory.followup_in_force_emergency" in turn["said"], turn
    assert any(word in turn["speech"].lower() for word in EMERGENCY_WORDS), turn


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_no_reminder_once_a_doctor_has_seen_it(database, locale):
    _emergency_on_day1(locale)
    console = _console(locale, DAY2)
    console.turn_record("open hip coach")
    console.turn_record("I went to the emergency room and a doctor checked it")
    later = _console(locale, DAY4)
    welcome = later.turn_record("open hip coach")
    assert "memory.followup_in_force_emergency" not in welcome["said"], welcome


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("en-US", "can I run"),
        ("en-GB", "can I run"),
        ("en-GB", "I've got a parkrun on Saturday, can I still do it"),
        ("en-US", "can I do an easy jog today, like two miles"),
        ("en-US", "can I do my track workout"),
    ],
)
def test_a_run_asked_about_after_an_emergency_is_refused(database, locale, said):
    _emergency_on_day1(locale)
    console = _console(locale, DAY2)
    console.turn_record("open hip coach")
    turn = console.turn_record(said)
    assert any(key.startswith("care_plan.running_no_running") for key in turn["said"]), turn


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_the_runners_own_stretches_asked_for_after_emergency_care_go_by_the_plan(database, locale):
    _emergency_on_day1(locale)
    console = _console(locale, DAY2)
    console.turn_record("open hip coach")
    console.turn_record("I went to the emergency room last night and a doctor checked it")
    later = _console(locale, DAY4)
    later.turn_record("open hip coach")
    turn = later.turn_record("can I do my stretches")
    # a request for the runner's routine, which the care plan refuses after emergency care (the
    # treating team's exercises), never the general advice on stretching before a run
    assert "answer.stretching" not in turn["said"], turn
    assert "care_plan.routine_refused" in turn["said"], turn
