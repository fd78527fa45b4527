"""The policy table, row by row: what the runner did, in each mode, gets its one action.

Turns are plain (hipcoach.dialog.turn.Turn) on an in-memory record, so each row is checked without
Alexa's envelopes; the conversation suites check the same through the whole skill.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from _policy_harness import after_result, findings, in_routine, mid_check, run, turn

from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.state import Mode
from hipcoach.dialog.turn import LAUNCH, SESSION_ENDED, Turn
from hipcoach.handlers import policy
from hipcoach.handlers.policy import ANY, TABLE, Act, act_of, action_for

# -- what the runner did, read against the mode ---------------------------------------------


@pytest.mark.parametrize(
    ("conversation", "heard", "act"),
    [
        (Conversation(), turn(request_type=LAUNCH), Act.LAUNCHED),
        (Conversation(), turn(request_type=SESSION_ENDED), Act.SESSION_ENDED),
        (Conversation(), turn(request_type="Connections.Response"), Act.OTHER_REQUEST),
        (mid_check(), turn("AMAZON.YesIntent"), Act.ANSWERED),
        (Conversation(), turn("AMAZON.YesIntent"), Act.YES),
        (mid_check(), turn("TellFindingsIntent", **findings("pain_location=groin")), Act.ANSWERED),
        (Conversation(), turn("TellFindingsIntent", **findings("stiffness=true")), Act.VOLUNTEERED),
        (
            Conversation(),
            turn("TellFindingsIntent", **findings("fever_or_chills=true")),
            Act.RED_FLAG,
        ),
        (
            after_result(),
            turn("TellFindingsIntent", **findings("fever_or_chills=true")),
            Act.RED_FLAG,
        ),
        (
            after_result(),
            turn("TellFindingsIntent", **findings("pain_location=outer_hip")),
            Act.NOT_UNDERSTOOD,
        ),  # nothing new: not a new check
        (
            in_routine(),
            turn("TellFindingsIntent", **findings("sudden_swelling=true")),
            Act.RED_FLAG,
        ),
        (
            in_routine(),
            turn("TellFindingsIntent", **findings("stiffness=true")),
            Act.NOT_UNDERSTOOD,
        ),
        # pain now or a warning sign mid-routine stops it, as the care plan's rules say
        (
            in_routine(),
            turn("TellFindingsIntent", **findings("pain_during_routine=true")),
            Act.HURTS,
        ),
        (in_routine(), turn("TellFindingsIntent", **findings("tender_outer_hip=true")), Act.HURTS),
        # a warning sign the triage acts on stops it for the check at once
        (in_routine(), turn("TellFindingsIntent", **findings("clicking=true")), Act.RED_FLAG),
        (
            in_routine(),
            turn("TellFindingsIntent", **findings("pain_during_routine=false")),
            Act.NOT_UNDERSTOOD,
        ),
        (in_routine(), turn("AMAZON.YesIntent"), Act.YES),
        (in_routine(), turn("ExerciseHowIntent"), Act.NAVIGATE),
        (in_routine(), turn("WhatNextIntent"), Act.NAVIGATE),
        (in_routine(), turn("AMAZON.NextIntent"), Act.NAVIGATE),
        (Conversation(), turn("AMAZON.NextIntent"), Act.NOT_UNDERSTOOD),
        (Conversation(), turn("PreventionIntent", topic="ice|ice_heat"), Act.ASKED),
        (mid_check(), turn("PreventionIntent", topic="ice|ice_heat"), Act.ASKED),
        (Conversation(), turn("LogRunIntent", distance="5"), Act.MEMORY),
        (mid_check(), turn("LogRunIntent", distance="5"), Act.ANSWERED),
        (Conversation(mode=Mode.SHOE_QUESTION), turn("NumberIntent", number="300"), Act.ANSWERED),
        (Conversation(mode=Mode.FOLLOWUP), turn("AMAZON.NoIntent"), Act.ANSWERED),
        (Conversation(), turn("ProgressIntent", progress="better"), Act.PROGRESS),
        (Conversation(), turn("AMAZON.StopIntent"), Act.STOPPED),
        (Conversation(), turn("FinishForTodayIntent"), Act.STOPPED),
        (in_routine(), turn("FinishForTodayIntent"), Act.NAVIGATE),
        (Conversation(), turn("AMAZON.FallbackIntent"), Act.NOT_UNDERSTOOD),
        (Conversation(), turn("AMAZON.FallbackIntent", act="cannot_do"), Act.CANNOT_DO),
    ],
)
def test_what_the_runner_did(conversation: Conversation, heard: Turn, act: Act) -> None:
    assert act_of(heard, conversation) is act


def test_every_act_has_an_action_in_every_mode() -> None:
    for act in Act:
        assert (ANY, act) in TABLE or all((mode, act) in TABLE for mode in Mode), act
        for mode in Mode:
            assert callable(action_for(mode, act))


# -- the rows, through their actions ----------------------------------------------------------


def test_answered_mid_check_records_it_and_asks_on() -> None:
    conversation = mid_check()
    reply, keys = run(conversation, turn("LocationIntent", location="outside|outer_hip"))
    assert conversation.interview is not None
    assert conversation.interview.findings["pain_location"] == "outer_hip"
    assert any(k.startswith("question.") for k in keys) and reply.reprompt


@pytest.mark.parametrize("where", ["menu", "mid_check", "after_result", "routine"])
def test_a_red_flag_is_acted_on_the_turn_it_is_said(where: str) -> None:
    conversation = {
        "menu": Conversation,
        "mid_check": mid_check,
        "after_result": after_result,
        "routine": in_routine,
    }[where]()
    heard = turn("TellFindingsIntent", **findings("fever_or_chills=true", "sudden_swelling=true"))
    _, keys = run(conversation, heard)
    assert conversation.outcome is not None and conversation.outcome.triage == "emergency"
    assert conversation.mode is Mode.RESULT and "result.emergency_reprompt" in keys
    assert not any(k.startswith("question.") for k in keys)


def test_volunteered_at_the_menu_starts_a_check_that_knows_it() -> None:
    conversation = Conversation()
    _, keys = run(conversation, turn("TellFindingsIntent", **findings("stiffness=true")))
    assert conversation.mode is Mode.INTERVIEW and conversation.interview is not None
    assert conversation.interview.findings["stiffness"] is True
    assert "interview.noted" in keys


@pytest.mark.parametrize("make", [Conversation, mid_check, after_result])
def test_a_question_is_answered_and_starts_no_check(make: Any) -> None:
    conversation = make()
    before = copy.deepcopy(conversation.interview)
    mode = conversation.mode
    reply, keys = run(conversation, turn("PreventionIntent", topic="ice|ice_heat"))
    assert "answer.ice_heat" in keys
    assert conversation.interview == before  # no finding recorded
    assert conversation.mode in (mode, Mode.RESULT, Mode.OFFER)
    if mode is Mode.INTERVIEW:  # the pending question again
        assert "question.pain_location.short" in keys and reply.reprompt


@pytest.mark.parametrize("act", ["unanswerable", "cannot_do"])
@pytest.mark.parametrize("make", [Conversation, mid_check, after_result])
def test_what_it_cannot_answer_or_do_is_said_honestly(act: str, make: Any) -> None:
    conversation = make()
    mode = conversation.mode
    key = "questions.cannot_answer" if act == "unanswerable" else "questions.cannot_do"
    reply, keys = run(conversation, turn("AMAZON.FallbackIntent", act=act))
    assert key in keys and "questions.what_i_can_do" in keys
    assert conversation.mode is mode  # nothing started, nothing dropped
    if mode is Mode.INTERVIEW:
        assert "question.pain_location.short" in keys
    assert reply.reprompt


def test_a_correction_replaces_the_value() -> None:
    conversation = mid_check("pain_timing")
    assert conversation.interview is not None
    conversation.interview.findings["pain_location"] = "outer_hip"
    heard = turn("TellFindingsIntent", act="corrected", **findings("pain_location=front_hip"))
    run(conversation, heard)
    assert conversation.interview.findings["pain_location"] == "front_hip"


def test_a_correction_never_takes_a_warning_sign_back() -> None:
    conversation = mid_check("pain_timing")
    assert conversation.interview is not None
    conversation.interview.findings["night_pain"] = True
    heard = turn("TellFindingsIntent", act="corrected", **findings("night_pain=false"))
    run(conversation, heard)
    assert conversation.interview.findings["night_pain"] is True


@pytest.mark.parametrize(
    ("make", "intent", "key"),
    [
        (mid_check, "AMAZON.RepeatIntent", "question.pain_location"),
        (mid_check, "AMAZON.HelpIntent", "interview.help_question"),
        (Conversation, "AMAZON.HelpIntent", "interview.help_general"),
        (in_routine, "AMAZON.HelpIntent", "routine.help"),
        (in_routine, "AMAZON.FallbackIntent", "routine.fallback"),
        (mid_check, "AMAZON.FallbackIntent", "interview.not_understood"),
        (Conversation, "AMAZON.NoIntent", "interview.goodbye"),
        (mid_check, "AMAZON.StopIntent", "interview.goodbye_mid_check"),
        (in_routine, "AMAZON.StopIntent", "routine.stopped_side"),
        (mid_check, "StartRoutineIntent", "interview.finish_check_first"),
        (Conversation, "DeleteDataIntent", "memory.delete_confirm"),
    ],
)
def test_built_ins_in_their_modes(make: Any, intent: str, key: str) -> None:
    _, keys = run(make(), turn(intent))
    assert key in keys


def test_stop_and_goodbye_close_the_microphone_everything_else_asks() -> None:
    reply, _ = run(mid_check(), turn("AMAZON.StopIntent"))
    assert reply.end_session and reply.reprompt is None
    reply, _ = run(Conversation(), turn("AMAZON.HelpIntent"))
    assert not reply.end_session and reply.reprompt


def test_actions_never_call_each_other_through_the_edge() -> None:
    import inspect

    from hipcoach.handlers import interview, memory, questions, result, routines

    for module in (interview, memory, questions, result, routines, policy):
        source = inspect.getsource(module)
        assert ".handle(" not in source and "handler_input" not in source, module.__name__
