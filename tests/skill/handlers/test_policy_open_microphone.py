"""The microphone stays open only after a question, in every mode and for everything the runner
can do there: a property over the policy table (mode x act), each act said with a representative
turn, each mode in the state it is in on a device (a check pending, a told result, a routine
playing, a routine to pick up, a follow-up due)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from _policy_harness import Records, after_result, findings, in_routine, mid_check, run, turn

from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.reading import COMMANDS
from hipcoach.dialog.state import Mode
from hipcoach.dialog.turn import LAUNCH, SESSION_ENDED, Turn
from hipcoach.handlers.policy import Act
from hipcoach.memory.episodes import new_episode
from hipcoach.speech.reply import Reply, render


def _record_with_check() -> dict[str, object]:
    findings = {"pain_location": "outer_hip", "pain_days": 3}
    episode = new_episode(findings, "self_care", "trochanteric_bursitis", date(2026, 11, 17))
    return {"episode": episode, "profile": {"first_seen": "2026-11-17"}}


def _offer() -> Conversation:
    conversation = after_result()
    conversation.mode, conversation.offer = Mode.OFFER, "stretch"
    return conversation


def _resume_offer(records: Records) -> Conversation:
    playing = in_routine()
    run(playing, turn("AMAZON.StopIntent", records=records))  # saved where it stopped
    return Conversation(mode=Mode.RESUME_OFFER)


MODES: dict[Mode, Callable[[Records], Conversation]] = {
    Mode.IDLE: lambda records: Conversation(),
    Mode.INTERVIEW: lambda records: mid_check(),
    Mode.RESULT: lambda records: after_result(),
    Mode.OFFER: lambda records: _offer(),
    Mode.ROUTINE: lambda records: in_routine(),
    Mode.RESUME_OFFER: _resume_offer,
    Mode.FOLLOWUP: lambda records: Conversation(mode=Mode.FOLLOWUP),
    Mode.CONFIRM_DELETE: lambda records: Conversation(mode=Mode.CONFIRM_DELETE),
    Mode.SHOE_QUESTION: lambda records: Conversation(mode=Mode.SHOE_QUESTION),
}


def _said(act: Act, intent: str, **slots: str) -> Callable[[Records], Turn]:
    return lambda records: turn(intent, act=act.value, records=records, **slots)


APL_EVENT = "Alexa.Presentation.APL.UserEvent"  # a request type the skill does not use

# Each act with turns that say it (several where the action depends on the intent).
TURNS: dict[Act, list[Callable[[Records], Turn]]] = {
    Act.LAUNCHED: [lambda records: turn(None, request_type=LAUNCH, records=records)],
    Act.ANSWERED: [
        _said(Act.ANSWERED, "LocationIntent", location="on the side|outer_hip"),
        _said(Act.ANSWERED, "AMAZON.NoIntent"),
        _said(Act.ANSWERED, "NumberIntent", number="300"),
    ],
    Act.VOLUNTEERED: [_said(Act.VOLUNTEERED, "TellFindingsIntent", **findings("clicking=true"))],
    Act.RED_FLAG: [_said(Act.RED_FLAG, "TellFindingsIntent", **findings("fever_or_chills=true"))],
    Act.ASKED: [_said(Act.ASKED, "MedicationIntent"), _said(Act.ASKED, "RunningQuestionIntent")],
    Act.UNANSWERABLE: [_said(Act.UNANSWERABLE, "AMAZON.FallbackIntent")],
    Act.CANNOT_DO: [_said(Act.CANNOT_DO, "AMAZON.FallbackIntent", request="timer|timers")],
    Act.THANKED: [_said(Act.THANKED, "AMAZON.FallbackIntent")],
    Act.STRETCH_FELT: [_said(Act.STRETCH_FELT, "AMAZON.FallbackIntent")],
    Act.CORRECTED: [
        _said(Act.CORRECTED, "TellFindingsIntent", **findings("pain_location=front_hip"))
    ],
    Act.REPEAT: [_said(Act.REPEAT, "AMAZON.RepeatIntent")],
    Act.HELP: [_said(Act.HELP, "AMAZON.HelpIntent")],
    Act.STOPPED: [_said(Act.STOPPED, "AMAZON.StopIntent")],
    Act.START_OVER: [_said(Act.START_OVER, "AMAZON.StartOverIntent")],
    Act.WHY: [_said(Act.WHY, "WhyIntent")],
    Act.YES: [_said(Act.YES, "AMAZON.YesIntent")],
    Act.NO: [_said(Act.NO, "AMAZON.NoIntent")],
    Act.MORE: [_said(Act.MORE, "TellMeMoreIntent")],
    Act.START_CHECK: [_said(Act.START_CHECK, "StartCheckIntent")],
    Act.START_ROUTINE: [
        _said(Act.START_ROUTINE, "StartRoutineIntent", routine="stretches|stretch"),
        _said(Act.START_ROUTINE, "StartRoutineIntent"),
    ],
    Act.RESUME_ROUTINE: [_said(Act.RESUME_ROUTINE, "ResumeRoutineIntent")],
    Act.CARRY_ON: [_said(Act.CARRY_ON, "AMAZON.ResumeIntent")],
    Act.HOLD: [_said(Act.HOLD, "AMAZON.PauseIntent")],
    Act.NAVIGATE: [_said(Act.NAVIGATE, intent) for intent in COMMANDS],
    Act.HURTS: [_said(Act.HURTS, "RoutinePainIntent")],
    Act.MEMORY: [
        _said(Act.MEMORY, "WhatDoYouKnowIntent"),
        _said(Act.MEMORY, "ShoeWearIntent"),
        _said(Act.MEMORY, "LogRunIntent", distance="20", unit="miles|miles"),
    ],
    Act.PROGRESS: [_said(Act.PROGRESS, "ProgressIntent", progress="better|better")],
    Act.DELETE: [_said(Act.DELETE, "DeleteDataIntent")],
    Act.NOT_UNDERSTOOD: [_said(Act.NOT_UNDERSTOOD, "AMAZON.FallbackIntent")],
    Act.SESSION_ENDED: [lambda records: turn(None, request_type=SESSION_ENDED, records=records)],
    Act.OTHER_REQUEST: [lambda records: turn(None, request_type=APL_EVENT, records=records)],
}

CASES = [
    pytest.param(mode, act, n, id=f"{mode.value}-{act.value}-{n}")
    for mode in Mode
    for act in Act
    for n in range(len(TURNS[act]))
]
_TAGS = re.compile(r"<[^>]+>")


def _spoken(reply: Reply) -> str:
    return _TAGS.sub(" ", reply.ssml if reply.ssml is not None else render(reply.speech)).strip()


def test_every_act_has_turns_that_say_it() -> None:
    assert set(TURNS) == set(Act)


@pytest.mark.parametrize(("mode", "act", "n"), CASES)
@pytest.mark.parametrize("history", ["new runner", "a check days ago"])
def test_an_open_microphone_follows_a_question(mode: Mode, act: Act, n: int, history: str) -> None:
    # (a check three days before the harness's today: a follow-up is due)
    records = Records(_record_with_check() if history != "new runner" else None)
    conversation = MODES[mode](records)
    if act is Act.LAUNCHED:  # a launch opens a new session: it starts at the menu
        conversation = Conversation()
    heard = TURNS[act][n](records)
    reply, keys = run(conversation, replace(heard, records=records))
    if reply.silent or reply.end_session:
        return
    assert _spoken(reply).endswith("?"), (keys, _spoken(reply)[-160:])
