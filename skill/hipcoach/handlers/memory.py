"""Actions on the runner's memory: training log, plans, shoes, follow-ups, read-back, delete.

Each request is one memory action (hipcoach.memory.actions: what changes in the record, what is
said back) run by hipcoach.dialog.memory.run on the turn's record.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hipcoach.dialog import check, memory, routine
from hipcoach.dialog.answering import answer, back_to_check
from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.reading import notes_said, told_worsening
from hipcoach.dialog.state import Mode
from hipcoach.dialog.turn import Turn
from hipcoach.memory import actions, store
from hipcoach.memory.episodes import PROGRESS, STILL_HURTING
from hipcoach.memory.readback import readback
from hipcoach.speech.reply import Reply, say


def _log_run(turn: Turn, record: dict[str, Any]) -> actions.Answer:
    period = turn.slot_id("period")
    return actions.log_distance(
        record,
        turn.texts,
        turn.locale,
        turn.number("distance"),
        turn.slot_id("unit"),
        period if period in actions.PERIODS else None,
        turn.slot_id("when"),
        turn.today,
    )


def _plan_week(turn: Turn, record: dict[str, Any]) -> actions.Answer:
    return actions.plan_week(
        record,
        turn.texts,
        turn.locale,
        turn.number("distance"),
        turn.slot_id("unit"),
        turn.slot_id("week"),
        turn.today,
    )


def _new_shoes(turn: Turn, record: dict[str, Any]) -> actions.Answer:
    return actions.new_shoes(record, turn.texts, turn.locale, turn.slot_id("when"), turn.today)


def _shoe_miles(turn: Turn, record: dict[str, Any]) -> actions.Answer:
    number = turn.number("distance") or turn.number("number")
    return actions.set_shoe_distance(
        record, turn.texts, turn.locale, number, turn.slot_id("unit"), turn.today
    )


def _what_do_you_know(turn: Turn, record: dict[str, Any]) -> actions.Answer:
    unit = actions.runner_unit(record, turn.locale)
    stopped = routine.stopped_for_pain_note(turn)
    also = (stopped,) if stopped is not None else ()
    return actions.told(readback(turn.texts, record, unit, turn.today, also))


_ACTS: dict[str, memory.Act] = {
    "LogRunIntent": _log_run,
    "PlanWeekIntent": _plan_week,
    "NewShoesIntent": _new_shoes,
    "ShoeMilesIntent": _shoe_miles,
    "ShoeWearIntent": memory.shoe_wear,
    "WhatDoYouKnowIntent": _what_do_you_know,
}


SHOE_WEAR = "ShoeWearIntent"
SHOES_ANSWER = "shoes"  # content/answers.yaml: the seeds' shoe advice


def log(turn: Turn, conversation: Conversation) -> Reply:
    """A training log, plan, shoe or read-back request."""
    assert turn.intent is not None
    asks_shoes = turn.intent == SHOE_WEAR
    if asks_shoes and not memory.knows_the_shoes(turn):
        # "do I need new trainers?" with no count kept: the seeds' shoe advice answers it, then
        # how far they have gone is asked (the next distance is theirs)
        advice = answer(turn, conversation, SHOES_ANSWER).speech[:1]
        asked = memory.run(turn, conversation, _ACTS[turn.intent], asks_shoes=True)
        return replace(asked, speech=[*advice, *asked.speech])
    return memory.run(turn, conversation, _ACTS[turn.intent], asks_shoes=asks_shoes)


def aside(turn: Turn, conversation: Conversation) -> Reply:
    """The same said in the middle of a check: done and said back, then the pending question
    again, so the check goes on. "Are my shoes worn out?" with no count kept is the seeds' shoe
    advice there: the shoe sub-dialogue would leave the check."""
    assert turn.intent is not None
    if conversation.asking is None:
        return log(turn, conversation)
    if turn.intent == SHOE_WEAR and not memory.knows_the_shoes(turn):
        return answer(turn, conversation, SHOES_ANSWER)
    return back_to_check(turn, conversation, [memory.said_back(turn, _ACTS[turn.intent])])


def shoe_distance(turn: Turn, conversation: Conversation) -> Reply:
    """The answer to "how far have your shoes gone?"."""
    return memory.run(turn, conversation, _shoe_miles)


def delete_asked(turn: Turn, conversation: Conversation) -> Reply:
    """ "Delete my data": ask first (mode `confirm_delete`)."""
    texts = turn.texts
    conversation.enter(Mode.CONFIRM_DELETE)
    return say([texts.get("memory.delete_confirm")], texts.get("memory.delete_reprompt"))


def delete_confirmed(turn: Turn, conversation: Conversation) -> Reply:
    """Yes or no to "should I delete it?"."""
    texts = turn.texts
    conversation.enter(Mode.IDLE)
    if not turn.is_intent("AMAZON.YesIntent"):
        return memory.anything_else(turn, texts.get("memory.delete_kept"))
    if not turn.records.delete_all():
        return memory.anything_else(turn, texts.get("memory.unavailable"))
    return memory.anything_else(turn, texts.get("memory.delete_done"))


def _progress(turn: Turn) -> str | None:
    # "Is it any better?": yes means better, no means not better (the same).
    if turn.is_intent("AMAZON.YesIntent"):
        return "better"
    if turn.is_intent("AMAZON.NoIntent"):
        return "same"
    worsening = told_worsening(turn)
    if worsening is not None:
        # "it's got a lot worse" is worse; "it's not getting worse" is not yet better
        return "worse" if worsening else "same"
    value = turn.slot_id("progress")
    return value if value in PROGRESS else None


def followup_not_understood(turn: Turn, conversation: Conversation) -> Reply:
    """Not understood while "is it any better?" waits: said so, an urgent or emergency level
    still in force said again, and the question again."""
    texts = turn.texts
    sorry = texts.get("interview.not_understood")
    reminder = memory.in_force_reminder(turn, conversation)
    question = texts.get("memory.followup_reprompt")
    return say([sorry, *([reminder] if reminder is not None else []), question], question)


def followup(turn: Turn, conversation: Conversation) -> Reply:
    """The answer to "Is it any better?": ProgressIntent any time, yes/no in mode `followup`;
    with it, or alone, what the runner said of a professional having seen the hip or the sharp
    pain having settled ("I saw a physio yesterday"), kept with today's date."""
    texts = turn.texts
    progress = _progress(turn)
    notes = notes_said(turn)
    if progress is None and not notes:
        reprompt = texts.get("memory.followup_reprompt")
        return say([reprompt], reprompt)
    conversation.enter(Mode.IDLE)
    record = turn.records.load()
    if record is None:
        return memory.anything_else(turn, texts.get("memory.unavailable"))
    open_episode = store.episode(record)
    if progress in STILL_HURTING and (open_episode is None or open_episode["status"] != "open"):
        # "my hip still hurts" with no check to follow up: the check itself, safety first
        return check.start(turn, conversation, [texts.get("interview.start_check")])
    answer = actions.followup(record, texts, progress, turn.today, notes)
    if answer.change is None:
        return memory.anything_else(turn, answer.say(record))
    result = turn.records.update(answer.change)
    if not result.saved or result.record is None:
        return memory.anything_else(turn, texts.get("memory.unavailable"))
    # The care plan's follow-up words carry any escalation (issue 22): no second verdict.
    return memory.anything_else(turn, answer.say(result.record))
