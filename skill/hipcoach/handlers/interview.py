"""Actions around the hip check: answers, findings said outside a question, the check's
start, and the built-ins (help, repeat, start over, why, stop) as they read in and out of a check.

Each action takes the turn and the conversation and returns the reply; the table
(hipcoach.handlers.policy) says which one a turn gets.
"""

from __future__ import annotations

from forwardrules import FactError
from hipcoach.dialog import check, decisions, drafts, memory
from hipcoach.dialog.answers import days_from_request, findings_in, read_answer
from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.interview import (
    InterviewState,
    record_answer,
    record_unknown,
    record_volunteered,
    validate,
)
from hipcoach.dialog.reading import new_after_result
from hipcoach.dialog.result import explain_plan, repeat_last
from hipcoach.dialog.routine import leave
from hipcoach.dialog.state import Mode
from hipcoach.dialog.turn import Turn
from hipcoach.medical.knowledge import knowledge
from hipcoach.speech.reply import Reply, say, silence


def start_check(turn: Turn, conversation: Conversation) -> Reply:
    """ "Check my hip", or "check my hip, it's been sore since Saturday": a check starts, keeping
    how long it has hurt when they said."""
    days = days_from_request(turn, turn.today)
    findings = {"pain_days": days} if days is not None else None
    return check.start(turn, conversation, [turn.texts.get("interview.start_check")], findings)


def restart(turn: Turn, conversation: Conversation) -> Reply:
    """A check from the start: whatever this session or a draft held is dropped."""
    conversation.interview, conversation.outcome, conversation.offer = None, None, None
    drafts.forget(turn)
    preface = [turn.texts.get("interview.restart")]
    return check.ask_next(turn, conversation, InterviewState(), preface)


def volunteered(turn: Turn, conversation: Conversation) -> Reply:
    """Findings said outside a question ("my hip hurts on the outside when I lie on it" at the
    menu, "it's my bum" after a routine, a warning sign said in passing after a result): a check
    starts, or the told one reopens, with them recorded. A red flag is acted on at once: the
    rules rank it before any other question."""
    texts = turn.texts
    reopen = conversation.interview if new_after_result(turn, conversation) else None
    if conversation.is_in(Mode.ROUTINE):
        stop_routine_for_check(turn, conversation)
    # (a warning sign said beside a progress word or a question comes as what was said)
    findings = findings_in(turn, turn.today) or dict(turn.said)
    return check.start(
        turn, conversation, [texts.get("interview.start_check")], findings, reopen=reopen
    )


def stop_routine_for_check(turn: Turn, conversation: Conversation) -> None:
    """A warning sign said during a routine: the routine stops where it is (kept for another
    day) and the check takes over."""
    leave(conversation)


def answered(turn: Turn, conversation: Conversation) -> Reply:
    """An answer to the pending question, in any form: read against the question first, with
    every finding it carries recorded; repaired (never looped) when not understood."""
    texts = turn.texts
    state = conversation.interview
    if state is None or state.asking is None:
        preface = [texts.get("interview.restart")]
        return check.ask_next(turn, conversation, InterviewState(), preface)
    question = knowledge().questions[state.asking]
    reading = read_answer(question, turn, turn.today)
    noted = bool(record_volunteered(state, reading.volunteered))
    if state.which:  # the "which one?" after a bare yes: whatever was named is kept
        state.which = False
        key = "interview.noted" if noted else "interview.one_at_a_time"
        return check.ask_next(turn, conversation, state, [texts.get(key)])
    if reading.kind == "value":
        try:
            record_answer(state, state.asking, reading.value)
        except FactError:
            return check.reask(turn, conversation, state, "interview.out_of_range")
        bare_yes = reading.value is True and not reading.volunteered
        # (not after the screen was put twice: its items come one at a time instead)
        if question.covers and question.which and bare_yes and state.repeats < check.MAX_IN_A_ROW:
            return check.ask_which(turn, conversation, state, [])
        return check.ask_next(turn, conversation, state, [])
    if reading.kind == "partial":
        record_unknown(state, state.asking)  # answered in part: the rest is asked singly
        return check.ask_next(turn, conversation, state, [texts.get("interview.noted")])
    if reading.kind == "unknown":
        record_unknown(state, state.asking)
        return check.ask_next(turn, conversation, state, [texts.get("interview.dont_know_ok")])
    if noted:
        return check.ask_next(turn, conversation, state, [texts.get("interview.noted")])
    if reading.kind == "clarify":
        return check.reask(turn, conversation, state, "interview.clarify")
    if reading.kind == "bad_number":
        return check.reask(turn, conversation, state, "interview.not_a_number")
    if check.volunteered(turn, state):
        return check.ask_next(turn, conversation, state, [texts.get("interview.noted")])
    if reading.volunteered:  # understood, but already answered earlier: back to the question
        return check.reask(turn, conversation, state)
    return check.reask(turn, conversation, state, "interview.not_understood")


def corrected(turn: Turn, conversation: Conversation) -> Reply:
    """ "On the side, no wait, at the front": what the runner corrected replaces what they said
    before, except that a warning sign once said is never taken back (it can only raise the
    level); then the check goes on. Outside a check it reads as findings told."""
    state = conversation.interview
    if not conversation.is_in(Mode.INTERVIEW) or state is None:
        return volunteered(turn, conversation)
    flags = knowledge().red_flags
    replaced: dict[str, object] = {}
    for finding, value in findings_in(turn, turn.today).items():
        if state.findings.get(finding) is True and finding in flags:
            continue
        try:
            replaced.update(validate({finding: value}))
        except FactError:
            continue
    state.findings.update(replaced)
    if state.asking in replaced:
        state.asked += 1
    preface = [turn.texts.get("interview.noted")] if replaced else []
    return check.ask_next(turn, conversation, state, preface)


def finish_check_first(turn: Turn, conversation: Conversation) -> Reply:
    """ "Start my stretches" mid-check: the check is finished first, then the routine."""
    texts = turn.texts
    state = conversation.interview
    if state is None or state.asking is None:
        return check.start(turn, conversation, [texts.get("interview.restart")])
    preface = [texts.get("interview.finish_check_first")]
    return check.speak_question(turn, state, preface, full=True)


def yes_at_menu(turn: Turn, conversation: Conversation) -> Reply:
    return check.start(turn, conversation, [turn.texts.get("interview.start_check")])


def goodbye(turn: Turn, conversation: Conversation) -> Reply:
    return say([turn.texts.get("interview.goodbye")])


def thanked(turn: Turn, conversation: Conversation) -> Reply:
    """Thanks said to close ("okay, thanks" after a result): a warm goodbye, never a check
    started; mid-check, the pending question again, with nothing recorded."""
    texts = turn.texts
    state = conversation.interview
    if conversation.asking is not None and state is not None:
        return check.speak_question(turn, state, [texts.get("interview.thanked_mid_check")])
    return say([texts.get("interview.thanked")])


def help_me(turn: Turn, conversation: Conversation) -> Reply:
    texts = turn.texts
    state = conversation.interview
    if conversation.asking is not None and state is not None:
        # asked for: the question again in full, not counted as a misunderstanding
        preface = [texts.get("interview.help_question")]
        return check.speak_question(turn, state, preface, full=True)
    return say([texts.get("interview.help_general")], texts.get("interview.offer_start_reprompt"))


def repeat(turn: Turn, conversation: Conversation) -> Reply:
    state = conversation.interview
    if conversation.asking is not None and state is not None:
        return check.speak_question(turn, state, [], full=True)
    if conversation.is_in(Mode.RESULT, Mode.OFFER):
        again = repeat_last(turn, conversation)
        if again is not None:
            return again
    texts = turn.texts
    return say([texts.get("interview.offer_start")], texts.get("interview.offer_start_reprompt"))


def why(turn: Turn, conversation: Conversation) -> Reply:
    texts = turn.texts
    state = conversation.interview
    asking = conversation.asking
    if state is None or not state.findings:
        if state is not None and asking is not None:
            nothing_yet = [texts.get("interview.why_nothing_yet")]
            return check.speak_question(turn, state, nothing_yet, full=True)
        told = explain_plan(turn, conversation)  # a result told before: the plan's reasons
        if told is not None:
            return told
        return say(  # then the offer: the microphone stays open only on a question
            [texts.get("interview.why_nothing_yet"), texts.get("interview.offer_start")],
            texts.get("interview.offer_start_reprompt"),
        )
    assessment = decisions.assess(state)
    for_level, for_condition = assessment.reasons(texts.locale)
    sentences = [texts.get("interview.why_intro"), *for_level, *for_condition]
    if asking is not None:
        return check.speak_question(turn, state, sentences, full=True)  # not a repeat
    return say(
        [*sentences, texts.get("interview.what_next")], texts.get("interview.what_next_reprompt")
    )


def hold(turn: Turn, conversation: Conversation) -> Reply:
    """A moment asked for mid-check ("sorry, my dog's barking, one sec"), or "okay, I'm back":
    the pending question waits and is put again in full, not counted as not understood."""
    state = conversation.interview
    if state is None or state.asking is None:
        return not_understood(turn, conversation)
    paused = turn.is_intent("AMAZON.PauseIntent")
    return check.speak_question(
        turn, state, [turn.texts.get("interview.hold")] if paused else [], full=True
    )


def not_understood(turn: Turn, conversation: Conversation) -> Reply:
    """Anything not understood: the pending question again; never lose the interview."""
    texts = turn.texts
    state = conversation.interview
    if conversation.is_in(Mode.INTERVIEW) and state is not None:
        return check.reask(turn, conversation, state, "interview.not_understood")
    # an urgent or emergency level still in force is said again rather than lost in a menu
    # ("I'm gonna try a short run just to test it", not understood, a day after "call 911")
    reminder = memory.in_force_reminder(turn, conversation)
    return say(
        [
            texts.get("interview.not_understood"),
            *([reminder] if reminder is not None else []),
            texts.get("interview.help_general"),
        ],
        texts.get("interview.offer_start_reprompt"),
    )


def stop(turn: Turn, conversation: Conversation) -> Reply:
    texts = turn.texts
    state = conversation.interview
    key = "interview.goodbye"
    if conversation.is_in(Mode.INTERVIEW) and state is not None:
        drafts.save(turn, state)
        key = "interview.goodbye_mid_check"
    return say([texts.get(key)])


def session_ended(turn: Turn, conversation: Conversation) -> Reply:
    state = conversation.interview
    if conversation.is_in(Mode.INTERVIEW) and state is not None:
        drafts.save(turn, state)
    return silence()


def quiet(turn: Turn, conversation: Conversation) -> Reply:
    """Request types the skill does not use (APL events, CanFulfill, Connections...)."""
    return silence()
