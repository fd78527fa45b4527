"""The policy's asides and its microphone, over the whole table.

- Whatever the runner does, in whatever mode, the microphone stays open only after a question
  or a prompt that says what to say (every (mode, act) of the table, through its action).
- A question, a remark or a request said in the middle of a check is answered or done, and the
  pending question asked again: the check is never dropped.
- A story said with a question in the same breath (`Turn.then`) records the facts and answers
  the question; what the check decides is said to be decided by it.
- What the skill cannot do is named in kind, from content.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from _policy_harness import Records, after_result, findings, in_routine, mid_check, run, turn

from hipcoach.dialog.answering import Placeholders
from hipcoach.dialog.check import question_text
from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.state import Mode
from hipcoach.dialog.turn import SESSION_ENDED, Turn
from hipcoach.dialog.turn_rules import one_rules_session
from hipcoach.handlers.policy import Act, action_for
from hipcoach.medical.knowledge import knowledge
from hipcoach.speech import said
from hipcoach.speech.answers import catalogue
from hipcoach.speech.texts import Texts
from hipcoach.understanding.acts import Context
from hipcoach.understanding.reading import read

TODAY = date(2026, 11, 20)


def offer() -> Conversation:
    conversation = after_result()
    conversation.mode, conversation.offer = Mode.OFFER, "stretch"
    return conversation


MODES: dict[Mode, Any] = {
    Mode.IDLE: Conversation,
    Mode.INTERVIEW: mid_check,
    Mode.RESULT: after_result,
    Mode.OFFER: offer,
    Mode.ROUTINE: in_routine,
    Mode.RESUME_OFFER: lambda: Conversation(mode=Mode.RESUME_OFFER),
    Mode.FOLLOWUP: lambda: Conversation(mode=Mode.FOLLOWUP),
    Mode.CONFIRM_DELETE: lambda: Conversation(mode=Mode.CONFIRM_DELETE),
    Mode.SHOE_QUESTION: lambda: Conversation(mode=Mode.SHOE_QUESTION),
}

# What the runner does, one turn for each act (the table is keyed by act, the action reads the
# turn's intent and slots).
TURNS: dict[Act, Turn] = {
    Act.LAUNCHED: turn(request_type="LaunchRequest"),
    Act.SESSION_ENDED: turn(request_type=SESSION_ENDED),
    Act.OTHER_REQUEST: turn(request_type="Connections.Response"),
    Act.ANSWERED: turn("AMAZON.NoIntent"),
    Act.VOLUNTEERED: turn("TellFindingsIntent", **findings("stiffness=true")),
    Act.RED_FLAG: turn("TellFindingsIntent", **findings("fever_or_chills=true")),
    Act.ASKED: turn("MedicationIntent"),
    Act.UNANSWERABLE: turn("AMAZON.FallbackIntent", act="unanswerable"),
    Act.CANNOT_DO: turn("AMAZON.FallbackIntent", act="cannot_do", request="booking|booking"),
    Act.THANKED: turn("AMAZON.FallbackIntent", act="thanked"),
    Act.STRETCH_FELT: turn("AMAZON.FallbackIntent", act="stretch_felt"),
    Act.CORRECTED: turn("LocationIntent", act="corrected", location="front|front_hip"),
    Act.REPEAT: turn("AMAZON.RepeatIntent"),
    Act.HELP: turn("AMAZON.HelpIntent"),
    Act.STOPPED: turn("AMAZON.StopIntent"),
    Act.START_OVER: turn("AMAZON.StartOverIntent"),
    Act.WHY: turn("WhyIntent"),
    Act.YES: turn("AMAZON.YesIntent"),
    Act.NO: turn("AMAZON.NoIntent"),
    Act.MORE: turn("TellMeMoreIntent"),
    Act.START_CHECK: turn("StartCheckIntent"),
    Act.START_ROUTINE: turn("StartRoutineIntent", routine="stretch|stretch"),
    Act.RESUME_ROUTINE: turn("ResumeRoutineIntent"),
    Act.CARRY_ON: turn("AMAZON.ResumeIntent"),
    Act.HOLD: turn("AMAZON.PauseIntent"),
    Act.NAVIGATE: turn("AMAZON.NextIntent"),
    Act.HURTS: turn("RoutinePainIntent"),
    Act.MEMORY: turn("LogRunIntent", distance="5", unit="miles|miles"),
    Act.PROGRESS: turn("ProgressIntent", progress="better|better"),
    Act.DELETE: turn("DeleteDataIntent"),
    Act.NOT_UNDERSTOOD: turn("AMAZON.FallbackIntent"),
}


PROMPT = re.compile(r"\b(say|ask)\b", re.IGNORECASE)


def test_every_act_has_a_turn_here() -> None:
    assert set(TURNS) == set(Act)


def _fresh(heard: Turn) -> Turn:
    return replace(heard, records=Records())  # each run on its own empty record


@pytest.mark.parametrize("mode", list(Mode))
@pytest.mark.parametrize("act", list(Act))
def test_the_microphone_stays_open_only_after_a_question(mode: Mode, act: Act) -> None:
    conversation = MODES[mode]()
    heard = _fresh(TURNS[act])
    if act is Act.ANSWERED and mode is Mode.SHOE_QUESTION:
        heard = _fresh(turn("NumberIntent", number="300"))
    with one_rules_session(), said.recording():  # the row's action, even where act_of
        reply = action_for(mode, act)(heard, conversation)  # would read the turn otherwise
    if reply.silent or reply.end_session or reply.ssml is not None:
        return  # closed, silent, or a routine's timed step (its own prompt and reprompt)
    last = reply.speech[-1].rstrip() if reply.speech else ""
    # a question, or a prompt that tells what to say ("Say check my hip to start one.")
    assert last.endswith("?") or PROMPT.search(last), (mode.value, act.value, reply.speech)


# -- asides in the middle of a check ----------------------------------------------------------


@pytest.mark.parametrize(
    "heard",
    [
        turn("ShoeWearIntent"),
        turn("ShoeMilesIntent", distance="450", unit="miles|miles"),
        turn("RunningQuestionIntent"),
        turn("SeeDoctorIntent"),
        turn("ExercisesIntent"),
        turn("AMAZON.FallbackIntent", act="cannot_do", request="calling|calling"),
    ],
    ids=["shoe wear", "shoe count", "running", "doctor", "exercises", "cannot do"],
)
def test_an_aside_mid_check_keeps_the_check(heard: Turn) -> None:
    conversation = mid_check()
    reply, keys = run(conversation, _fresh(heard))
    assert conversation.mode is Mode.INTERVIEW and conversation.asking == "pain_location"
    assert "question.pain_location.short" in keys and reply.reprompt
    assert "interview.not_understood" not in keys and "memory.anything_else" not in keys


def test_a_shoe_count_mid_check_is_kept_and_the_check_goes_on() -> None:
    records = Records()
    conversation = mid_check()
    heard = turn("ShoeMilesIntent", distance="450", unit="miles|miles", records=records)
    reply, keys = run(conversation, heard)
    assert records.record.get("shoes") and conversation.asking == "pain_location"
    assert "question.pain_location.short" in keys and reply.reprompt


def test_a_shoe_count_said_to_the_shoe_question_answers_it() -> None:
    """The pending question's kind of answer first: "my shoes have about 600 miles on them" to
    "how many miles are on your shoes?" is its answer, never an aside that asks it again."""
    conversation = mid_check("shoe_miles")
    heard = turn("ShoeMilesIntent", distance="600", unit="miles|miles")
    _reply, keys = run(conversation, heard)
    assert conversation.interview is not None
    assert conversation.interview.findings.get("shoe_miles") == 600
    assert conversation.asking != "shoe_miles"
    assert "question.shoe_miles.short" not in keys


def test_what_the_check_decides_is_said_to_be_decided_by_it_mid_check() -> None:
    for intent, key in (
        ("SeeDoctorIntent", "questions.check_decides_urgency"),
        ("RunningQuestionIntent", "questions.check_decides_running"),
    ):
        _, keys = run(mid_check(), turn(intent))
        assert key in keys


# -- a story and a question in one breath -----------------------------------------------------


def _with_question(story: Turn, question: Turn) -> Turn:
    return replace(story, then=question)


def test_an_opening_with_a_question_records_the_facts_and_acknowledges_it() -> None:
    conversation = Conversation()
    story = turn("TellFindingsIntent", **findings("pain_location=outer_hip"))
    reply, keys = run(conversation, _with_question(story, turn("SeeDoctorIntent")))
    assert conversation.interview is not None
    assert conversation.interview.findings["pain_location"] == "outer_hip"
    texts = Texts("en-US")
    decides = texts.get("questions.check_decides_urgency").format_map(Placeholders(texts))
    assert decides in reply.speech and "911" in decides and "question.emergency_screen" in keys
    assert reply.speech[-1] == question_text("emergency_screen", "en-US")[0] and reply.reprompt


def test_an_opening_with_a_question_the_seeds_answer_answers_it_before_the_check() -> None:
    conversation = Conversation()
    story = turn("TellFindingsIntent", **findings("pain_location=groin"))
    reply, keys = run(conversation, _with_question(story, turn("MedicationIntent")))
    assert conversation.interview is not None and conversation.asking == "emergency_screen"
    assert "answer.medication" in keys and "question.emergency_screen" in keys
    assert reply.speech[-1] == question_text("emergency_screen", "en-US")[0]  # asked in full
    assert "questions.back_to_question" not in keys


def test_an_answer_with_a_question_records_the_answer_and_answers_the_question() -> None:
    conversation = mid_check("pain_location")
    answer = turn("LocationIntent", location="side|outer_hip")
    reply, keys = run(conversation, _with_question(answer, turn("MedicationIntent")))
    assert conversation.interview is not None
    assert conversation.interview.findings["pain_location"] == "outer_hip"
    assert "answer.medication" in keys and reply.speech[-1].endswith("?")


def test_an_emergency_said_with_a_question_closes_on_the_call() -> None:
    conversation = Conversation()
    story = turn("TellFindingsIntent", **findings("fever_or_chills=true", "sudden_swelling=true"))
    reply, keys = run(conversation, _with_question(story, turn("MedicationIntent")))
    assert reply.end_session and "answer.medication" not in keys


# -- can't-do requests, in kind ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        ("could you get me in to see a physio next week, book it for me", "booking"),
        ("please phone the surgery for me", "calling"),
        ("email my coach that I'm injured", "messages"),
        ("can you order a foam roller", "buying"),
        ("set me a timer for thirty seconds", "timers"),
        ("wake me at six tomorrow", "alarms"),
    ],
)
def test_a_request_it_cannot_do_is_heard_in_kind(words: str, kind: str) -> None:
    for locale in ("en-US", "en-GB"):
        understood = read(words, Context(TODAY, locale, "idle"))
        assert understood.act == "CannotDo" and understood.slot_ids() == {"request": kind}


@pytest.mark.parametrize(
    "words", ["should I call my doctor", "do I need to book a physio", "should I buy new shoes"]
)
def test_a_question_about_their_own_next_step_is_no_request(words: str) -> None:
    assert read(words, Context(TODAY, "en-US", "idle")).act != "CannotDo"


def test_every_kind_of_request_has_its_sentence_in_every_locale() -> None:
    from hipcoach.understanding.context import raw

    for kind in raw()["cannot_do"]:
        for locale in ("en-US", "en-GB"):
            assert Texts(locale).has(f"questions.cannot_do_{kind}"), kind


def test_the_reply_names_what_was_asked_for() -> None:
    reply, keys = run(Conversation(), turn("AMAZON.FallbackIntent", act="cannot_do",
                                           request="booking|booking"))  # fmt: skip
    assert "questions.cannot_do_booking" in keys and "questions.cannot_do" not in keys
    assert "questions.what_i_can_do" in keys and "appointment" in reply.speech[0]


# -- content ----------------------------------------------------------------------------------


def test_mid_check_texts_exist_and_condition_names_are_conditions() -> None:
    texts = Texts("en-GB")
    for entry in catalogue().answers.values():
        if entry.mid_check:
            assert texts.has(f"questions.{entry.mid_check}"), entry.id
    from hipcoach.understanding.matcher import load_model

    names = set(load_model("en-US").slot_type_values("ConditionNameType"))
    assert names and names <= set(knowledge().conditions)
