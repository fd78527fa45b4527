"""Handlers for guided routines: start, resume (any day), and hands-free navigation.

Register with `hipcoach.handlers.routines.request_handlers()`, ahead of generic handlers: the
navigation handlers claim built-in intents (Next, Pause, Stop, Help...) only while the session mode
is `routine`; StartRoutineIntent and ResumeRoutineIntent are claimed in any mode.
`start_routine(handler_input, routine_id)` starts an offered routine (e.g. on "yes" after a triage);
`offer_for(...)` says which routine to offer; `resume_offer(handler_input)` is the launch's hook
(one line offering an unfinished routine, and mode `resume_offer`). The player, its speech and
screens are imported when a routine handler runs, not when the skill starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from hipcoach.dialog import state as dialog
from hipcoach.dialog.state import Mode
from hipcoach.request import intent_name
from hipcoach.routines.offers import offer_for  # a small table, no imports

if TYPE_CHECKING:
    pass

__all__ = ["offer_for", "request_handlers", "resume_offer", "start_routine"]

# Intent -> the player's Command, by member name (hipcoach.routines.player.Command).
_COMMANDS: dict[str, str] = {
    "AMAZON.NextIntent": "NEXT",
    "AMAZON.PreviousIntent": "PREVIOUS",
    "AMAZON.RepeatIntent": "REPEAT",
    "SkipIntent": "SKIP",
    "AMAZON.PauseIntent": "PAUSE",
    "AMAZON.ResumeIntent": "RESUME",
    "TimeLeftIntent": "TIME_LEFT",
    "HealingTimeIntent": "TIME_LEFT",  # "how long will it take", said during a routine
    "DurationIntent": "PAUSE",  # "a minute please", "give me two minutes": a routine waits
    "AMAZON.StopIntent": "STOP",
    "AMAZON.CancelIntent": "STOP",
    "FinishForTodayIntent": "STOP",  # "I'm done", "that's enough for today"
    "AMAZON.StartOverIntent": "START_OVER",  # the routine, not the hip check, while in one
}
# Yes, or any way of saying "carry on", to the launch's offer of an unfinished routine.
_ACCEPT_RESUME = ("AMAZON.YesIntent", "AMAZON.ResumeIntent", "ResumeRoutineIntent")


def resume_offer(handler_input: HandlerInput) -> str | None:
    """On launch: one short line offering to pick up an unfinished routine (mode `resume_offer`),
    or None when there is none to offer."""
    from hipcoach.routines.replies import resume_offer_line

    offer = resume_offer_line(handler_input)
    if offer is None:
        return None
    dialog.enter(handler_input, Mode.RESUME_OFFER)
    return offer[0]


def start_routine(handler_input: HandlerInput, routine_id: str | None) -> Response:
    """Start a routine (hipcoach.routines.replies.start_routine) if the care plan allows it now;
    otherwise say why not (the rules' own words)."""
    from hipcoach.routines.replies import refuse
    from hipcoach.routines.replies import start_routine as start

    if routine_id:
        from hipcoach.handlers.care import todays_plan

        plan = todays_plan(handler_input)
        if not plan.allows(routine_id):
            return refuse(handler_input, plan)
    return start(handler_input, routine_id)


def _in_routine(handler_input: HandlerInput) -> bool:
    """hipcoach.routines.store.in_routine, without importing the player."""
    return dialog.is_in(handler_input, Mode.ROUTINE)


def _routine_slot(handler_input: HandlerInput) -> str | None:
    """The RoutineType value id (entity resolution), else the words heard, as an id."""
    from hipcoach.dialog.answers import request_slot, slot_id

    heard = slot_id(request_slot(handler_input, "routine"))
    return heard.replace("-", "_").replace(" ", "_") if heard else None


class RoutinePainHandler(AbstractRequestHandler):
    """ "This hurts", "ow, that hurts": the care plan says to stop (001, 003); stop at once, say
    not to push through pain, and offer a check (which can only raise the level in force)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("RoutinePainIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        from hipcoach.handlers.care import todays_plan
        from hipcoach.routines.replies import stop_for_pain

        plan = todays_plan(handler_input, pain_during_routine=True)
        return stop_for_pain(handler_input, plan)


class StartRoutineHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("StartRoutineIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return start_routine(handler_input, _routine_slot(handler_input))


class ResumeRoutineHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ResumeRoutineIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        from hipcoach.routines.replies import resume_routine

        return resume_routine(handler_input)


class ResumeOfferHandler(AbstractRequestHandler):
    """The answer to the launch's "shall we pick it up?": carry on, leave it, or start it again
    from the top."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not dialog.is_in(handler_input, Mode.RESUME_OFFER):
            return False
        answers = ("AMAZON.NoIntent", "AMAZON.StartOverIntent", *_ACCEPT_RESUME)
        return any(is_intent_name(name)(handler_input) for name in answers)

    def handle(self, handler_input: HandlerInput) -> Response:
        from hipcoach.routines.replies import decline_resume, restart_saved, resume_routine

        if is_intent_name("AMAZON.NoIntent")(handler_input):
            return decline_resume(handler_input)
        if is_intent_name("AMAZON.StartOverIntent")(handler_input):
            return restart_saved(handler_input)
        return resume_routine(handler_input)


class ContinueSavedRoutineHandler(AbstractRequestHandler):
    """ "Continue" / "carry on" with nothing else pending picks up a saved routine, if any."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not (
            is_intent_name("AMAZON.ResumeIntent")(handler_input)
            and dialog.is_in(handler_input, Mode.IDLE)
        ):
            return False
        from hipcoach.routines.store import saved

        return saved(handler_input) is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        from hipcoach.routines.replies import resume_routine

        return resume_routine(handler_input)


class FinishForTodayHandler(AbstractRequestHandler):
    """ "I'm done" / "that's enough for today" outside a routine: the same as stop."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("FinishForTodayIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        from hipcoach.handlers.interview import StopHandler

        return StopHandler().handle(handler_input)


class RoutineCommandHandler(AbstractRequestHandler):
    """Next, previous, repeat, skip, pause, resume, how long left, stop: only in routine mode."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _in_routine(handler_input) and any(
            is_intent_name(name)(handler_input) for name in _COMMANDS
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        from hipcoach.routines.player import Command
        from hipcoach.routines.replies import run_command

        name = intent_name(handler_input) or ""
        return run_command(handler_input, Command[_COMMANDS[name]])


class RoutineHelpHandler(AbstractRequestHandler):
    """Help, and anything unrecognised, while in routine mode: what can be said here."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _in_routine(handler_input) and (
            is_intent_name("AMAZON.HelpIntent")(handler_input)
            or is_intent_name("AMAZON.FallbackIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        from hipcoach.routines.replies import help_in_routine

        fallback = is_intent_name("AMAZON.FallbackIntent")(handler_input)
        return help_in_routine(handler_input, "routine.fallback" if fallback else "routine.help")


def request_handlers() -> list[AbstractRequestHandler]:
    """The routine handlers, mode-specific ones first."""
    return [
        RoutinePainHandler(),
        RoutineCommandHandler(),
        RoutineHelpHandler(),
        ResumeOfferHandler(),
        StartRoutineHandler(),
        ResumeRoutineHandler(),
        ContinueSavedRoutineHandler(),
        FinishForTodayHandler(),
    ]
