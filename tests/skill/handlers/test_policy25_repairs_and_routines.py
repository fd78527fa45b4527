"""The policy where runners found it wrong (policy25): a repair of a question no longer asked
never leads what comes next; "check my hip" while a routine plays stops it first; "what do you
know about me" says a routine was stopped because it hurt; "should I delete it?" not understood
is asked again; "do I need new shoes?" with no count kept is answered, then the count asked."""

from __future__ import annotations

from datetime import date

from _policy_harness import Records, after_result, in_routine, run, turn

from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.interview import InterviewState
from hipcoach.dialog.state import Mode
from hipcoach.memory.episodes import new_episode
from hipcoach.routines import store


def _asked_twice(asking: str) -> Conversation:
    findings: dict[str, object] = {"emergency_screen": False, "urgent_screen": False}
    state = InterviewState(findings=findings, asking=asking, asked=2)
    state.repeats = 2
    return Conversation(mode=Mode.INTERVIEW, interview=state)


def test_a_question_given_up_on_is_not_repaired_first() -> None:
    conversation = _asked_twice("pain_location")
    reply, keys = run(conversation, turn("AMAZON.FallbackIntent"))
    assert "interview.not_understood" not in keys, keys
    assert "interview.moving_on" in keys
    assert conversation.asking != "pain_location" and not reply.end_session


def test_a_question_put_again_is_repaired_first() -> None:
    conversation = _asked_twice("pain_location")
    assert conversation.interview is not None
    conversation.interview.repeats = 1
    reply, keys = run(conversation, turn("AMAZON.FallbackIntent"))
    assert keys[0] == "interview.not_understood"
    assert conversation.asking == "pain_location"
    assert reply.speech[-1].endswith("?")


def test_check_my_hip_during_a_routine_stops_it_first_and_offers_the_check() -> None:
    records = Records()
    playing = in_routine()
    reply, keys = run(playing, turn("StartCheckIntent", records=records))
    assert "care_plan.routine_stopped" in keys and reply.speech[-1].endswith("?")
    assert playing.routine is None and playing.asking is None
    assert store.stopped_for_pain(records) is not None
    _reply, keys = run(playing, turn("AMAZON.YesIntent", records=records))
    assert playing.asking is not None  # the check, from its safety questions


def test_what_do_you_know_says_a_routine_stopped_for_pain() -> None:
    records = Records({"profile": {"first_seen": "2026-11-01"}})
    run(in_routine(), turn("RoutinePainIntent", records=records))
    reply, keys = run(Conversation(), turn("WhatDoYouKnowIntent", records=records))
    assert "memory.readback_routine_stopped" in keys
    assert reply.speech[-1].endswith("?")


def test_a_delete_confirmation_not_understood_is_asked_again() -> None:
    records = Records({"profile": {"first_seen": "2026-11-01"}})
    conversation = Conversation()
    run(conversation, turn("DeleteDataIntent", records=records))
    _reply, keys = run(conversation, turn("AMAZON.FallbackIntent", records=records))
    assert "memory.delete_confirm" in keys and conversation.mode is Mode.CONFIRM_DELETE
    assert records.record  # nothing deleted
    _, keys = run(conversation, turn("AMAZON.NoIntent", records=records))
    assert "memory.delete_kept" in keys and records.record


def test_a_shoe_question_with_no_count_kept_is_answered_then_the_count_asked() -> None:
    records = Records({"profile": {"first_seen": "2026-11-01"}})
    conversation = Conversation()
    reply, keys = run(conversation, turn("ShoeWearIntent", records=records))
    assert "answer.shoes" in keys and "memory.shoes_unknown" in keys
    assert conversation.mode is Mode.SHOE_QUESTION and reply.speech[-1].endswith("?")


def test_not_understood_after_a_result_keeps_the_result_and_asks_what_is_left() -> None:
    conversation = after_result()
    reply, keys = run(conversation, turn("AMAZON.FallbackIntent"))
    assert keys[0] == "interview.not_understood"
    assert "interview.help_general" not in keys and "interview.offer_start" not in keys
    assert conversation.is_in(Mode.RESULT, Mode.OFFER) and conversation.outcome is not None
    assert reply.speech[-1].endswith("?")


def test_not_understood_at_a_follow_up_asks_it_again() -> None:
    conversation = Conversation(mode=Mode.FOLLOWUP)
    reply, keys = run(conversation, turn("AMAZON.FallbackIntent"))
    assert set(keys) == {"interview.not_understood", "memory.followup_reprompt"}
    assert conversation.mode is Mode.FOLLOWUP and reply.speech[-1].endswith("?")


def test_not_understood_at_the_resume_offer_offers_it_again() -> None:
    records = Records()
    run(in_routine(), turn("AMAZON.StopIntent", records=records))  # saved where it stopped
    conversation = Conversation(mode=Mode.RESUME_OFFER)
    reply, keys = run(conversation, turn("AMAZON.FallbackIntent", records=records))
    assert keys[:2] == ["interview.not_understood", "routine.resume_offer"]
    assert conversation.mode is Mode.RESUME_OFFER and reply.speech[-1].endswith("?")


def test_not_understood_at_a_follow_up_after_an_emergency_says_it_again() -> None:
    findings = {"pain_location": "outer_hip", "cannot_bear_weight": True}
    episode = new_episode(findings, "emergency", None, date(2026, 11, 19))
    records = Records({"episode": episode, "profile": {"first_seen": "2026-11-19"}})
    conversation = Conversation(mode=Mode.FOLLOWUP)
    reply, keys = run(conversation, turn("AMAZON.FallbackIntent", records=records))
    assert "memory.followup_in_force_emergency" in keys, keys
    assert conversation.mode is Mode.FOLLOWUP and reply.speech[-1].endswith("?")
