"""Actions for guided routines: start, resume (any day), the launch's offer to pick one up, and
hands-free navigation while one plays."""

from __future__ import annotations

from hipcoach.dialog import memory, routine
from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.reading import COMMANDS
from hipcoach.dialog.turn import Turn
from hipcoach.routines import store
from hipcoach.speech.reply import Reply, say


def _routine_slot(turn: Turn) -> str | None:
    """The RoutineType value id (entity resolution), else the words heard, as an id."""
    heard = turn.slot_id("routine")
    return heard.replace("-", "_").replace(" ", "_") if heard else None


def start(turn: Turn, conversation: Conversation) -> Reply:
    return routine.start_routine(turn, conversation, _routine_slot(turn))


def resume(turn: Turn, conversation: Conversation) -> Reply:
    return routine.resume_routine(turn, conversation)


def has_saved(turn: Turn) -> bool:
    return store.saved(turn.records) is not None


def resume_offer_declined(turn: Turn, conversation: Conversation) -> Reply:
    return routine.decline_resume(turn, conversation)


def resume_offer_restart(turn: Turn, conversation: Conversation) -> Reply:
    return routine.restart_saved(turn, conversation)


def navigate(turn: Turn, conversation: Conversation) -> Reply:
    """Next, previous, repeat, skip, pause, resume, how long left, stop: in a routine."""
    assert turn.intent is not None
    return routine.run_command(turn, conversation, COMMANDS[turn.intent])


def yes(turn: Turn, conversation: Conversation) -> Reply:
    return routine.answer_yes_no(turn, conversation, yes=True)


def no(turn: Turn, conversation: Conversation) -> Reply:
    return routine.answer_yes_no(turn, conversation, yes=False)


def help_here(turn: Turn, conversation: Conversation) -> Reply:
    return routine.help_in_routine(turn, conversation, "routine.help")


def thanked(turn: Turn, conversation: Conversation) -> Reply:
    """ "Cheers" during a routine: it waits where it is."""
    return routine.welcome_in_routine(turn, conversation)


def stretch_felt(turn: Turn, conversation: Conversation) -> Reply:
    """ "It's a good stretch", "I can feel it pulling": the feel wanted; then whether to go on."""
    return routine.stretch_felt(turn, conversation)


def not_understood(turn: Turn, conversation: Conversation) -> Reply:
    return routine.help_in_routine(turn, conversation, "routine.fallback")


def carry_on(turn: Turn, conversation: Conversation) -> Reply:
    """ "Continue" at the menu: a saved routine, if any."""
    if has_saved(turn):
        return resume(turn, conversation)
    texts = turn.texts
    return say(
        [texts.get("interview.not_understood"), texts.get("interview.help_general")],
        texts.get("interview.offer_start_reprompt"),
    )


def resume_offer_answered(turn: Turn, conversation: Conversation) -> Reply:
    """The answer to the launch's "shall we pick it up?": carry on, or leave it."""
    if turn.is_intent("AMAZON.NoIntent"):
        return routine.decline_resume(turn, conversation)
    return resume(turn, conversation)


def resume_offer_not_understood(turn: Turn, conversation: Conversation) -> Reply:
    """Not understood while "shall we pick it up?" waits: said so, and the offer again."""
    texts = turn.texts
    sorry = texts.get("interview.not_understood")
    reminder = memory.in_force_reminder(turn, conversation)  # a level in force said again
    if reminder is not None:
        sorry = f"{sorry} {reminder}"
    offer = routine.resume_offer(turn, conversation)
    if offer is None:  # (nothing left to offer: what the skill can do)
        return say(
            [sorry, texts.get("interview.help_general")],
            texts.get("interview.offer_start_reprompt"),
        )
    return say([sorry, offer], offer)


def hurts(turn: Turn, conversation: Conversation) -> Reply:
    """ "This hurts" (in a routine or not): what the care plan says, a routine stopped."""
    return routine.stop_for_pain(turn, conversation)
