"""The policy in the modes blind testers found wrong (issues 23 and 22): thanks after a result
closes, a warning sign said with a progress word at a follow-up wins, a progress word and a
question are both dealt with, and a routine stopped for pain is explained when resumed."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from _policy_harness import Records, after_result, in_routine, mid_check, run, turn

from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.state import Mode
from hipcoach.handlers.policy import Act, act_of, action_for
from hipcoach.routines import store


def test_thanks_after_a_result_closes_warmly_and_starts_nothing() -> None:
    conversation = after_result()
    reply, keys = run(conversation, turn("AMAZON.FallbackIntent", act=Act.THANKED.value))
    assert "interview.thanked" in keys
    assert reply.end_session and conversation.asking is None


def test_thanks_mid_check_asks_the_pending_question_again_and_records_nothing() -> None:
    conversation = mid_check("pain_location")
    assert conversation.interview is not None
    before = dict(conversation.interview.findings)
    reply, keys = run(conversation, turn("AMAZON.FallbackIntent", act=Act.THANKED.value))
    assert conversation.asking == "pain_location" and not reply.end_session
    assert conversation.interview.findings == before
    assert any(key.startswith("question.pain_location") for key in keys)


def test_a_warning_sign_said_with_a_progress_word_wins_at_a_follow_up() -> None:
    conversation = Conversation(mode=Mode.FOLLOWUP)
    heard = replace(
        turn("ProgressIntent", progress="worse|worse"), said={"cannot_bear_weight": True}
    )
    assert act_of(heard, conversation) is Act.RED_FLAG
    reply, _keys = run(conversation, heard)
    assert conversation.outcome is not None and conversation.outcome.triage == "emergency"
    assert "911" in " ".join(reply.speech)


def test_a_progress_word_alone_is_the_follow_up_answer() -> None:
    conversation = Conversation(mode=Mode.FOLLOWUP)
    heard = replace(turn("ProgressIntent", progress="better|better"), said={"worsening": False})
    assert act_of(heard, conversation) in (Act.ANSWERED, Act.PROGRESS)
    assert action_for(Mode.FOLLOWUP, act_of(heard, conversation)).__name__ == "memory.followup"


def test_a_routine_stopped_for_pain_is_explained_when_resumed() -> None:
    records = Records()
    playing = in_routine()
    _reply, keys = run(playing, turn("RoutinePainIntent", records=records))
    assert "care_plan.routine_stopped" in keys
    assert store.stopped_for_pain(records) is not None and store.saved(records) is None
    reply, keys = run(Conversation(), turn("ResumeRoutineIntent", records=records))
    assert "care_plan.routine_stopped_before" in keys
    assert "routine.no_saved_routine" not in keys
    assert {"care_plan.routine_again_offer", "care_plan.routine_refused"} & set(keys)
    assert reply.speech[-1].rstrip().endswith("?") and not reply.end_session


def test_a_routine_started_again_forgets_the_stop() -> None:
    records = Records()
    run(in_routine(), turn("RoutinePainIntent", records=records))
    # the day it hurt no routine starts (the care plan's no_routine_pain_during_routine)
    again = turn("StartRoutineIntent", routine="stretch|stretch", records=records)
    _reply, keys = run(Conversation(), again)
    assert "care_plan.routine_refused" in keys and store.stopped_for_pain(records) is not None
    # the next day it does, and the stop is history
    run(Conversation(), replace(again, today=again.today + timedelta(days=1)))
    assert store.stopped_for_pain(records) is None
