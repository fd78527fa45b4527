"""How the policy's new readings are understood (issue 23): thanks said to close, a progress word
said with a question at a follow-up, a hold word before a question, a question that names a
record's words, and the emergency services asked about."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from hipcoach.understanding import rules
from hipcoach.understanding.acts import THANKED, Context
from hipcoach.understanding.reading import read

TODAY = date(2026, 12, 3)
FOLLOWUP = Context(TODAY, "en-GB", "followup", None, ("ProgressIntent",))
MID_CHECK = Context(TODAY, "en-US", "interview", "pain_location", ("LocationIntent",))


@pytest.mark.parametrize(
    "words",
    ["okay, thanks", "cool, cheers", "great, thank you", "brilliant, ta very much",
     "thanks so much, that's really helpful", "alright, got it", "lovely, thank you"],
)  # fmt: skip
def test_thanks_alone_closes(words: str) -> None:
    assert rules.closing(words)
    assert read(words, Context(TODAY, "en-GB", "result")).act == THANKED


@pytest.mark.parametrize(
    "words", ["yes thanks", "no thanks", "okay", "great", "thanks, can I take paracetamol?"]
)
def test_thanks_with_an_answer_or_a_question_keeps_its_meaning(words: str) -> None:
    assert not rules.closing(words)
    assert read(words, Context(TODAY, "en-GB", "result")).act != THANKED


def test_a_progress_word_then_a_question_keeps_both() -> None:
    understood = read("it's a bit better actually, is it okay to do an easy run?", FOLLOWUP)
    assert understood.intent == "ProgressIntent"
    assert understood.slot_ids() == {"progress": "better"}  # better, never "not worse"
    assert understood.then is not None and understood.then.intent == "RunningQuestionIntent"


def test_a_progress_word_keeps_a_warning_sign_said_with_it() -> None:
    understood = read("it's worse and now I can't put any weight on it", FOLLOWUP)
    assert understood.values().get("cannot_bear_weight") is True


def test_a_hold_word_before_a_question_is_only_a_breath_outside_a_routine() -> None:
    asked = read("hang on, should I be ringing 999 for this?", replace(MID_CHECK, locale="en-GB"))
    assert asked.slot_ids() == {"anchor": "see_doctor"}
    routine = Context(TODAY, "en-GB", "routine")
    assert read("hang on, should I be ringing 999 for this?", routine).intent != asked.intent


def test_the_emergency_services_asked_about_are_the_see_doctor_question() -> None:
    for words in ("should I call an ambulance?", "do I need to call 911 for this?"):
        assert read(words, MID_CHECK).slot_ids() == {"anchor": "see_doctor"}


def test_a_question_in_a_records_words_is_read_by_its_topic() -> None:
    asked = read("would a new pair of trainers help?", MID_CHECK)
    assert asked.slot_ids() == {"anchor": "shoes"}
    told = read("I got new trainers yesterday", Context(TODAY, "en-GB", "idle"))
    assert told.intent == "NewShoesIntent"


@pytest.mark.parametrize(
    "words",
    ["what should I eat before a long run?", "is a pint after a run alright?",
     "what's a good marathon time for someone my age?", "should I take energy gels?"],
)  # fmt: skip
def test_food_drink_and_race_times_are_answered_honestly(words: str) -> None:
    understood = read(words, MID_CHECK)
    assert understood.act == "QuestionUnanswerable"
    assert not understood.values()  # a question records nothing
