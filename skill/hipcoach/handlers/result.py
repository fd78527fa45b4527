"""Actions after a result (modes RESULT and OFFER): why, tell me more, yes or no to what was
offered, repeat."""

from __future__ import annotations

from hipcoach.dialog import routine
from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.result import (
    current_result,
    explain_plan,
    follow_up,
    repeat_last,
    tell_next,
    tell_part,
)
from hipcoach.dialog.state import Mode
from hipcoach.dialog.turn import Turn
from hipcoach.speech.reply import Reply, say


def nothing_yet(turn: Turn, conversation: Conversation) -> Reply:
    """A result part asked for with no result: a check offered (a yes starts it)."""
    texts = turn.texts
    conversation.enter(Mode.IDLE)
    return say(
        [texts.get("result.no_result_part"), texts.get("interview.offer_start")],
        texts.get("interview.offer_start_reprompt"),
    )


def why(turn: Turn, conversation: Conversation) -> Reply:
    """ "Why" after a result: the reasons, short, then what else can be asked."""
    return (
        tell_part(turn, conversation, "why")
        or explain_plan(turn, conversation)
        or nothing_yet(turn, conversation)
    )


def more(turn: Turn, conversation: Conversation) -> Reply:
    """ "Tell me more": the next part of the result; without one, what the skill can do."""
    return tell_next(turn, conversation) or nothing_yet(turn, conversation)


def yes(turn: Turn, conversation: Conversation) -> Reply:
    """Yes to the result's offer: the first part not yet told (goodbye once all is told)."""
    told = tell_next(turn, conversation)
    return told if told is not None else no(turn, conversation)


def no(turn: Turn, conversation: Conversation) -> Reply:
    return say([turn.texts.get("interview.goodbye")])


def repeat(turn: Turn, conversation: Conversation) -> Reply:
    return repeat_last(turn, conversation) or nothing_yet(turn, conversation)


def offer_answered(turn: Turn, conversation: Conversation) -> Reply:
    """Yes or no to the routine offered after a result."""
    offered, conversation.offer = conversation.offer, None
    if turn.is_intent("AMAZON.YesIntent") and offered is not None:
        return routine.start_routine(turn, conversation, offered)
    conversation.enter(Mode.RESULT if conversation.outcome is not None else Mode.IDLE)
    texts = turn.texts
    return say([texts.get("interview.anything_else")], texts.get("interview.what_next_reprompt"))


def not_understood(turn: Turn, conversation: Conversation) -> Reply:
    """Not understood after a result: said so, then what is left to ask of the result (or the
    routine it offered) again; the result is kept, never swapped for the opening menu."""
    texts = turn.texts
    sorry = [texts.get("interview.not_understood")]
    result = current_result(turn, conversation)
    if result is not None:
        return follow_up(turn, conversation, result, sorry)
    return say(
        [*sorry, texts.get("interview.help_general")], texts.get("interview.offer_start_reprompt")
    )
