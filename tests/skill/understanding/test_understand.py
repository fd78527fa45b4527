"""hipcoach.understanding.understand: the runner's whole words to what they did and said, from
what Alexa routed (the catch-all's words, or a built-in intent) and the pending question."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from hipcoach.understanding import Context, understand
from hipcoach.understanding.acts import CANNOT_DO, QUESTION_UNANSWERABLE
from hipcoach.understanding.words import days_since

TODAY = date(2025, 11, 20)  # a Thursday
MENU = Context(today=TODAY)
YES_NO = ("AMAZON.YesIntent", "AMAZON.NoIntent", "DontKnowIntent")


def asking(finding: str, *expects: str, locale: str = "en-US") -> Context:
    return Context(today=TODAY, locale=locale, mode="interview", asking=finding, expects=expects)


def heard(words: str, context: Context = MENU, intent: str = "UtteranceIntent"):
    return understand(words, intent, None, context)


def said(words: str, context: Context = MENU) -> dict[str, tuple[str, str, str]]:
    return {f.finding: (f.value, f.polarity, f.certainty) for f in heard(words, context).findings}


def test_a_negation_reaches_over_a_list() -> None:
    got = heard("no fever or swelling, nothing like that", asking("urgent_screen", *YES_NO))
    assert got.slot_ids() == {
        "finding_a": "fever_or_chills=false",
        "finding_b": "sudden_swelling=false",
    }
    assert said("no fever or swelling")["sudden_swelling"][1] == "negated"


def test_a_termination_ends_the_scope() -> None:
    values = set(heard("no fever but I fell").slot_ids().values())
    assert {"fever_or_chills=false", "after_fall_or_injury=true"} <= values


def test_a_leading_no_does_not_reach_a_new_clause() -> None:
    values = set(heard("no fever, it is swollen").slot_ids().values())
    assert "sudden_swelling=true" in values and "fever_or_chills=false" in values


def test_a_no_before_a_finding_said_with_its_own_negation_agrees() -> None:
    assert "cannot_move_leg=true" in heard("nope, can't move it").slot_ids().values()


def test_a_correction_replaces_what_came_before() -> None:
    got = heard("on the side of my hip, no wait, it's more at the front", asking("pain_location"))
    assert got.corrected and got.slot_ids() == {"location": "front_hip"}
    again = heard("it's sharp, actually I mean more of a dull ache")
    assert again.corrected and "dull_ache" in str(again.slot_ids())


def test_a_hedge_keeps_the_value() -> None:
    assert said("I guess it's kind of on the outside")["pain_location"][0] == "outer_hip"
    assert heard("I guess not? no, I don't think any of those").intent == "AMAZON.NoIntent"


@pytest.mark.parametrize(
    "words",
    ["no, it stays in the groin", "No, it stays in the same place", "just there", "nowhere else"],
)
def test_staying_put_means_no_spread(words: str) -> None:
    got = heard(words, asking("pain_radiates", "RadiationIntent", *YES_NO))
    values = set(got.slot_ids().values())
    assert "pain_radiates=none" in values or "none" in values, got
    assert "worsening=false" not in values


def test_a_yes_and_the_words_after_it_read_together() -> None:
    got = heard(
        "the pain is really bad like a nine", asking("urgent_screen", *YES_NO), "AnswerYesIntent"
    )
    assert got.intent == "AMAZON.YesIntent"
    assert ("pain_severity", "9") in {(f.finding, f.value) for f in got.findings}


@pytest.mark.parametrize("words", ["like a nine", "it's about seven out of ten", "maybe a 6"])
def test_a_score_anywhere_answers_the_severity_question(words: str) -> None:
    got = heard(words, asking("pain_severity", "NumberIntent", "DontKnowIntent"))
    assert got.intent == "NumberIntent" and got.slot_ids()["number"] in {"9", "7", "6"}


@pytest.mark.parametrize("words", ["I'm 65", "I had cancer two years ago"])
def test_ages_and_history_are_no_duration(words: str) -> None:
    got = heard(words, asking("pain_days", "DurationIntent", "NumberIntent", "DontKnowIntent"))
    assert got.intent not in ("DurationIntent", "NumberIntent"), got


def test_a_duration_answers_how_long() -> None:
    got = heard("about three weeks", asking("pain_days", "DurationIntent", "NumberIntent"))
    assert got.intent == "DurationIntent" and got.slot_ids()["duration"] == "P3W"


def test_a_start_in_the_future_is_the_past_one() -> None:
    # Alexa resolves "since Saturday" to the coming Saturday and a date without a year to the
    # next one; both mean the past occurrence
    assert days_since("2025-11-22", TODAY) == 5  # Saturday the 15th
    assert days_since("2026-11-20", TODAY) == 0
    assert days_since("2025-12-25", TODAY) == 330  # Christmas last year
    got = heard("since saturday", asking("pain_days", "DurationIntent", "NumberIntent"))
    assert days_since(got.slot_ids().get("since"), TODAY) == 5


@pytest.mark.parametrize(
    ("words", "value"), [("hip flexer", "front_hip"), ("the outsde of my hip", "outer_hip")]
)
def test_misheard_words_are_mended_against_the_catalogue(words: str, value: str) -> None:
    assert value in str(heard(words, asking("pain_location", "LocationIntent")).slot_ids())


@pytest.mark.parametrize(
    "words",
    [
        "is running downhill bad for my hip",
        "should I wear a hip brace when I run",
        "is my hip pain something serious",
    ],
)
def test_a_question_never_records_a_finding_nor_starts_a_check(words: str) -> None:
    for context in (MENU, asking("pain_timing", "TimingIntent")):
        got = heard(words, context)
        assert got.intent not in ("TellFindingsIntent", "StartCheckIntent", "TimingIntent"), got
        assert "=" not in str(got.slot_ids()), got


@pytest.mark.parametrize(
    "words",
    [
        "can I take CBD oil for my hip",
        "should I take glucosamine",
        "what pace should I run my marathon at",
        "is it OK to drink beer after a run",
        "tell me a joke",
    ],
)
def test_what_the_seeds_cannot_answer_is_said_honestly(words: str) -> None:
    assert heard(words).act == QUESTION_UNANSWERABLE


@pytest.mark.parametrize(
    "words", ["remind me to ice my hip tonight", "set a timer for ten minutes"]
)
def test_what_the_skill_cannot_do_is_said_honestly(words: str) -> None:
    assert heard(words).act == CANNOT_DO


def test_questions_the_seeds_answer_are_still_answered() -> None:
    assert heard("can I take ibuprofen").intent == "MedicationIntent"
    assert heard("should i call the doctor").intent == "SeeDoctorIntent"


def test_a_built_in_intent_is_its_act() -> None:
    assert heard("", intent="AMAZON.StopIntent").act == "Stop"
    assert heard("", intent="AMAZON.RepeatIntent").act == "Repeat"
    assert heard("", intent="AMAZON.HelpIntent").act == "Help"


def test_the_carrier_of_no_is_read_with_the_words() -> None:
    got = heard(
        "it stays in the groin", asking("pain_radiates", "RadiationIntent"), "AnswerNoIntent"
    )
    assert got.words == "no it stays in the groin"


def test_importing_the_understanding_loads_nothing_heavy() -> None:
    code = (
        "import sys, hipcoach.understanding; "
        "heavy = [m for m in ('rapidfuzz', 'ask_sdk_core', 'yaml', 'hipcoach.understanding.matcher')"
        " if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_negation_in_a_later_clause_never_takes_back_a_red_flag() -> None:
    """ "gone" belongs to the hip in its own clause, not to the temperature before it (a blind
    runner's fever was read as denied and the check ended a level too low)."""
    got = heard("well now you mention it i've had a temperature and the hip's gone all puffy")
    said = {(f.finding, f.value, f.polarity) for f in got.findings}
    assert ("fever_or_chills", "true", "affirmed") in said
