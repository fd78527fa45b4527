"""Turn player outcomes into Alexa responses: timed step SSML, reprompt, screen, session end.

Alexa cannot continue a routine on its own: without the AudioPlayer interface each response is
spoken and then the device waits for the user. So every step ends by asking for "next", with a
reprompt; the position is saved every turn, so a routine cut off by silence can be resumed later.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from hipcoach.routines import store
from hipcoach.routines.display import directive_for
from hipcoach.routines.loader import get_routine
from hipcoach.routines.model import Routine, localise
from hipcoach.routines.player import Command, Outcome, PlayerState, Transition, apply, start
from hipcoach.routines.speech import render_step
from hipcoach.speech import ssml
from hipcoach.speech.texts import Texts

if TYPE_CHECKING:
    from hipcoach.medical.care_plan import CarePlan


def texts_for(handler_input: HandlerInput) -> Texts:
    return Texts(getattr(handler_input.request_envelope.request, "locale", None))


def _say(
    handler_input: HandlerInput, text: str, reprompt: str | None = None, *, end: bool = False
) -> Response:
    builder = handler_input.response_builder.speak(ssml.speak(ssml.text(text)))
    if reprompt:
        builder.ask(ssml.speak(ssml.text(reprompt)))
    elif end:
        builder.set_should_end_session(True)
    return builder.response


def play(
    handler_input: HandlerInput, routine: Routine, state: PlayerState, lead: Sequence[str] = ()
) -> Response:
    """Speak (and show) the step at the state's position; the last step ends the routine."""
    texts = texts_for(handler_input)
    index = routine.index_of(state.position.step)
    speech = render_step(routine, index, texts, lead=lead)
    builder = handler_input.response_builder.speak(speech.ssml)
    directive = directive_for(handler_input, routine, index, texts, speech)
    if directive is not None:
        builder.add_directive(directive)
    if speech.final:
        store.forget_position(handler_input)
        store.leave(handler_input)
        builder.set_should_end_session(True)
    else:
        store.enter(handler_input, PlayerState(state.position))
        builder.ask(speech.reprompt)
    return builder.response


def start_routine(handler_input: HandlerInput, routine_id: str | None) -> Response:
    """Start a routine from its first step; asks which one when the id is missing or unknown."""
    texts = texts_for(handler_input)
    routine = get_routine(routine_id) if routine_id else None
    if routine is None:
        return _say(
            handler_input, texts.get("routine.which_routine"), texts.get("routine.which_routine")
        )
    minutes = max(1, round(routine.total_seconds() / 60))
    line = texts.get(
        "routine.start",
        routine=localise(routine.name, texts.locale),
        exercises=len(routine.exercises),
        minutes=minutes,
    )
    return play(handler_input, routine, start(routine), lead=[line])


def resume_routine(handler_input: HandlerInput) -> Response:
    """Carry on this session's routine, else the saved one (any day), else say there is none."""
    texts = texts_for(handler_input)
    state = store.current(handler_input) if store.in_routine(handler_input) else None
    if state is not None:
        routine = get_routine(state.position.routine_id)
        if routine is not None:
            return play(handler_input, routine, state, [texts.get("routine.resume_in_session")])
    saved = store.saved(handler_input)
    routine = get_routine(saved.position.routine_id) if saved else None
    if saved is None or routine is None:
        store.leave(handler_input)
        return _say(
            handler_input, texts.get("routine.no_saved_routine"), texts.get("routine.which_routine")
        )
    name = localise(routine.name, texts.locale)
    lead = [texts.get("routine.resume_saved", routine=name)]
    return play(handler_input, routine, PlayerState(saved.position), lead)


def _time_left(texts: Texts, transition: Transition) -> str:
    seconds = transition.seconds_left
    if seconds < 60:
        return texts.get("routine.time_left_under_minute")
    if seconds < 90:
        return texts.get("routine.time_left_one_minute")
    minutes = round(seconds / 60)
    exercises = transition.exercises_left
    return texts.get("routine.time_left_minutes", minutes=minutes, exercises=exercises)


def _stopped(texts: Texts, routine: Routine, state: PlayerState) -> str:
    position = state.position
    name = localise(routine.exercises[position.exercise].name, texts.locale)
    if position.side is None:
        return texts.get("routine.stopped", name=name)
    side = texts.get(f"routine.side_name_{position.side.value}")
    return texts.get("routine.stopped_side", name=name, side=side)


def run_command(handler_input: HandlerInput, command: Command) -> Response:
    """Apply a navigation command to the routine in this session and answer it."""
    texts = texts_for(handler_input)
    state = store.current(handler_input)
    routine = get_routine(state.position.routine_id) if state else None
    if state is None or routine is None:
        return resume_routine(handler_input)
    transition = apply(routine, state, command)
    outcome, new_state = transition.outcome, transition.state
    if outcome is Outcome.PLAY:
        leads = {
            Command.RESUME: "routine.resume_in_session",
            Command.START_OVER: "routine.start_over",
        }
        lead = [texts.get(leads[command])] if command in leads else []
        return play(handler_input, routine, new_state, lead)
    if outcome is Outcome.AT_START:
        return play(handler_input, routine, new_state, [texts.get("routine.at_start")])
    if outcome is Outcome.PAUSED:
        store.enter(handler_input, new_state)
        return _say(
            handler_input, texts.get("routine.paused"), texts.get("routine.paused_reprompt")
        )
    if outcome is Outcome.TIME_LEFT:
        reprompt = texts.get("routine.time_left_reprompt")
        return _say(handler_input, _time_left(texts, transition), reprompt)
    if outcome is Outcome.STOPPED:
        store.save_position(handler_input, new_state.position)
        store.leave(handler_input)
        return _say(handler_input, _stopped(texts, routine, new_state), end=True)
    store.forget_position(handler_input)
    store.leave(handler_input)
    name = localise(routine.name, texts.locale)
    return _say(handler_input, texts.get("routine.finished", routine=name), end=True)


def help_in_routine(handler_input: HandlerInput, key: str = "routine.help") -> Response:
    """What can be said during a routine (help, or a fallback when nothing matched)."""
    texts = texts_for(handler_input)
    state = store.current(handler_input)
    routine = get_routine(state.position.routine_id) if state else None
    name = localise(routine.name, texts.locale) if routine else ""
    return _say(handler_input, texts.get(key, routine=name), texts.get("routine.reprompt"))


def resume_offer_line(handler_input: HandlerInput) -> tuple[str, str] | None:
    """The launch's one-line offer of an unfinished routine and its reprompt, or None when there
    is nothing to offer (no saved routine, or the runner already said no to it)."""
    saved = store.saved(handler_input)
    routine = get_routine(saved.position.routine_id) if saved else None
    if saved is None or routine is None or saved.declined:
        return None
    texts = texts_for(handler_input)
    name = localise(routine.name, texts.locale)
    line = texts.get(
        "routine.resume_offer",
        routine=name,
        number=saved.position.exercise + 1,
        total=len(routine.exercises),
    )
    return line, texts.get("routine.resume_offer_reprompt", routine=name)


def decline_resume(handler_input: HandlerInput) -> Response:
    """No to the launch's offer: the routine stays saved but is not offered again."""
    texts = texts_for(handler_input)
    store.decline_offer(handler_input)
    store.leave(handler_input)
    return _say(
        handler_input,
        texts.get("routine.resume_declined"),
        texts.get("routine.resume_declined_reprompt"),
    )


def restart_saved(handler_input: HandlerInput) -> Response:
    """ "Start it again" to the launch's offer: the saved routine from its first step."""
    saved = store.saved(handler_input)
    if saved is None:
        return resume_routine(handler_input)
    routine = get_routine(saved.position.routine_id)
    if routine is None:
        return resume_routine(handler_input)
    lead = [texts_for(handler_input).get("routine.start_over")]
    return play(handler_input, routine, start(routine), lead)


def refuse(handler_input: HandlerInput, plan: CarePlan) -> Response:
    """The routine is not allowed now: say the rules' first reason (content/care_plan_rules/)."""
    texts = texts_for(handler_input)
    reasons = plan.limits or plan.reasons
    reason = reasons[0].text if reasons else ""
    text = texts.get("care_plan.routine_refused", reason=reason)
    return _say(handler_input, text, texts.get("questions.anything_else_reprompt"))


def stop_for_pain(handler_input: HandlerInput, plan: CarePlan) -> Response:
    """It hurts: stop the routine when the plan says so, and offer a check."""
    texts = texts_for(handler_input)
    if not plan.stop_routine:  # the rules always stop it; kept so the plan stays the decider
        return _say(handler_input, texts.get("care_plan.routine_opening"))
    store.forget_position(handler_input)
    store.leave(handler_input)
    text = texts.get("care_plan.routine_stopped")
    return _say(handler_input, text, texts.get("care_plan.routine_stopped_reprompt"))
