"""A routine in the conversation: start, resume (any day), navigate, and the launch's offer to
pick one up.

Alexa cannot continue a routine on its own: without the AudioPlayer interface each response is
spoken and then the device waits for the user. So every step ends by asking whether to go on
("Next up: pigeon pose. Ready?"), with a reprompt: the microphone stays open only after a
question, and "yes" moves on. The position is saved every turn, so a routine cut off by silence
can be resumed later. A step played again (a resume, a repeat, a step back) names its exercise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from hipcoach.dialog import decisions
from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.decisions import CarePlan
from hipcoach.dialog.state import Mode
from hipcoach.dialog.turn import Turn
from hipcoach.memory.phrases import ago
from hipcoach.routines import store
from hipcoach.routines.display import directive_for
from hipcoach.routines.loader import get_routine
from hipcoach.routines.model import Routine, localise
from hipcoach.routines.offers import offer_from_plan
from hipcoach.routines.player import Command, Outcome, PlayerState, Transition, apply, start
from hipcoach.routines.speech import describe, render_step, what_next
from hipcoach.speech.reply import Reply, say
from hipcoach.speech.texts import Texts

# The RoutineType value of a routine asked for by no kind (content/language/routines.yaml).
ANY_ROUTINE = "any_routine"


def _enter(turn: Turn, conversation: Conversation, state: PlayerState) -> None:
    """Routine mode with this state, in the session and saved for another day."""
    conversation.enter(Mode.ROUTINE)
    conversation.routine = state
    store.save_position(turn.records, state.position, turn.today)


def leave(conversation: Conversation) -> None:
    conversation.enter(Mode.IDLE)
    conversation.routine = None


def play(
    turn: Turn,
    conversation: Conversation,
    routine: Routine,
    state: PlayerState,
    lead: Sequence[str] = (),
    announce: bool = False,
) -> Reply:
    """Speak (and show) the step at the state's position; the last step ends the routine.
    `announce` names the exercise even mid-way through it (a resume, a repeat, a step back)."""
    texts = turn.texts
    index = routine.index_of(state.position.step)
    speech = render_step(routine, index, texts, lead=lead, announce=announce, slow=state.slow)
    directive = directive_for(turn.screen, routine, index, texts, speech)
    reply = Reply(ssml=speech.ssml, directives=[directive] if directive is not None else [])
    if speech.final:
        store.forget_position(turn.records)
        leave(conversation)
    else:
        _enter(turn, conversation, replace(state, paused=False))
        reply.reprompt_ssml = speech.reprompt
    return reply


def start_routine(turn: Turn, conversation: Conversation, routine_id: str | None) -> Reply:
    """Start a routine from its first step if the care plan allows it now (else the rules' reason
    why not); asks which one when the id is missing or unknown."""
    texts = turn.texts
    if routine_id == ANY_ROUTINE:
        # asked for by no kind: the furthest the care plan allows now, or why none is (the
        # gentlest step's reason)
        from hipcoach.medical.knowledge import ROUTINE_STEPS  # the rules' side: when asked

        plan = decisions.todays_plan(turn, conversation)
        routine_id = offer_from_plan(plan)
        if routine_id is None:
            return refuse(turn, conversation, plan, ROUTINE_STEPS[1])
    routine = get_routine(routine_id) if routine_id else None
    if routine is None:
        return say([texts.get("routine.which_routine")], texts.get("routine.which_routine"))
    plan = decisions.todays_plan(turn, conversation)
    if not plan.allows(routine.id):
        return refuse(turn, conversation, plan, routine.id)
    minutes = max(1, round(routine.total_seconds() / 60))
    line = texts.get(
        "routine.start",
        routine=localise(routine.name, texts.locale),
        exercises=len(routine.exercises),
        minutes=minutes,
    )
    store.forget_stop(turn.records)
    return play(turn, conversation, routine, start(routine), lead=[line])


def resume_routine(turn: Turn, conversation: Conversation) -> Reply:
    """Carry on this session's routine, else the saved one (any day), else say there is none."""
    texts = turn.texts
    state = conversation.routine if conversation.is_in(Mode.ROUTINE) else None
    if state is not None:
        routine = get_routine(state.position.routine_id)
        if routine is not None:
            lead = [texts.get("routine.resume_in_session")]
            return play(turn, conversation, routine, state, lead, announce=True)
    saved = store.saved(turn.records)
    routine = get_routine(saved.position.routine_id) if saved else None
    if saved is None or routine is None:
        stopped = store.stopped_for_pain(turn.records)
        if stopped is not None:
            return _after_stop_for_pain(turn, conversation, stopped)
        leave(conversation)
        which = texts.get("routine.which_routine")  # the question last: the microphone is open
        return say([texts.get("routine.no_saved_routine"), which], which)
    name = localise(routine.name, texts.locale)
    lead = [texts.get("routine.resume_saved", routine=name)]
    return play(turn, conversation, routine, PlayerState(saved.position), lead, announce=True)


def stopped_for_pain_note(turn: Turn) -> str | None:
    """What is kept of a routine stopped because it hurt, said back ("what do you know about
    me?"); None when none was."""
    stopped = store.stopped_for_pain(turn.records)
    routine = get_routine(stopped.routine_id) if stopped is not None else None
    if stopped is None or routine is None:
        return None
    return turn.texts.get(
        "memory.readback_routine_stopped",
        routine=localise(routine.name, turn.texts.locale),
        when=ago(turn.texts, stopped.on, turn.today),
    )


def _after_stop_for_pain(
    turn: Turn, conversation: Conversation, stopped: store.StoppedForPain
) -> Reply:
    """ "Resume my routine" after it was stopped because it hurt: why there is nothing to pick
    up, then what the care plan allows now: the routine again from its start, offered (a yes
    starts it, stop if it hurts), or the rules' reason why not and a check offered."""
    texts = turn.texts
    routine = get_routine(stopped.routine_id)
    assert routine is not None  # (store.stopped_for_pain reads only shipped routines)
    name = localise(routine.name, texts.locale)
    why = texts.get(
        "care_plan.routine_stopped_before",
        routine=name,
        when=ago(texts, stopped.on, turn.today),
    )
    plan = decisions.todays_plan(turn, conversation)
    if plan.allows(routine.id):
        conversation.offer = routine.id
        conversation.enter(Mode.OFFER)
        again = texts.get("care_plan.routine_again_offer", routine=name)
        return say([why, again], texts.get("interview.offer_routine_reprompt", routine=name))
    reason = plan.why_not(routine.id)
    refused = texts.get("care_plan.routine_refused", reason=reason.text if reason else "")
    leave(conversation)
    check = texts.get("care_plan.routine_stopped_check")
    return say([why, refused, check], texts.get("care_plan.routine_stopped_reprompt"))


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


_LEADS = {
    Command.RESUME: "routine.resume_in_session",
    Command.START_OVER: "routine.start_over",
    Command.SLOWER: "routine.slower",
}
# Moving on needs no reminder of where the runner is; anything else played again names the
# exercise ("do that one again", "go back", a resume).
_PLAIN = frozenset({Command.NEXT, Command.SKIP})


def _carry_on(texts: Texts, state: PlayerState) -> str:
    """The question a routine answer ends on: "yes" then resumes (paused) or moves on."""
    return texts.get("routine.paused_question" if state.paused else "routine.time_left_reprompt")


def run_command(turn: Turn, conversation: Conversation, command: Command) -> Reply:
    """Apply a navigation command to the routine in this session and answer it."""
    texts = turn.texts
    state = conversation.routine
    routine = get_routine(state.position.routine_id) if state else None
    if state is None or routine is None:
        return resume_routine(turn, conversation)
    transition = apply(routine, state, command)
    outcome, new_state = transition.outcome, transition.state
    if outcome is Outcome.PLAY:
        lead = [texts.get(_LEADS[command])] if command in _LEADS else []
        if command is Command.SLOWER and routine.exercise_of(new_state.position.step).hold:
            lead = [texts.get("routine.slower_hold")]  # holds are timed: the same seconds
        announce = command not in _PLAIN
        return play(turn, conversation, routine, new_state, lead, announce=announce)
    if outcome is Outcome.AT_START:
        lead = [texts.get("routine.at_start")]
        return play(turn, conversation, routine, new_state, lead, announce=True)
    if outcome is Outcome.PAUSED:
        _enter(turn, conversation, new_state)
        key = "routine.still_paused" if state.paused else "routine.paused"
        return say([texts.get(key)], texts.get("routine.paused_reprompt"))
    index = routine.index_of(new_state.position.step)
    if outcome is Outcome.TIME_LEFT:
        _enter(turn, conversation, new_state)
        question = _carry_on(texts, new_state)  # the microphone stays open on it
        return say([_time_left(texts, transition), question], question)
    if outcome is Outcome.DESCRIBE:
        _enter(turn, conversation, new_state)
        question = _carry_on(texts, new_state)
        again = texts.get("routine.describe_again")
        return say([*describe(routine, index, texts), again, question], question)
    if outcome is Outcome.PREVIEW:
        _enter(turn, conversation, new_state)
        return say([what_next(routine, index, texts, ahead=True)], texts.get("routine.reprompt"))
    if outcome is Outcome.STOPPED:
        store.save_position(turn.records, new_state.position, turn.today)
        leave(conversation)
        return say([_stopped(texts, routine, new_state)])
    store.forget_position(turn.records)
    leave(conversation)
    name = localise(routine.name, texts.locale)
    return say([texts.get("routine.finished", routine=name)])


def answer_yes_no(turn: Turn, conversation: Conversation, yes: bool) -> Reply:
    """A yes or no to the routine's question: every step and answer ends on "ready?" (to carry on
    when paused, else to move on), so yes does that and no waits."""
    state = conversation.routine
    if not yes:
        return run_command(turn, conversation, Command.PAUSE)
    paused = state is not None and state.paused
    return run_command(turn, conversation, Command.RESUME if paused else Command.NEXT)


def help_in_routine(turn: Turn, conversation: Conversation, key: str = "routine.help") -> Reply:
    """What can be said during a routine (help, or a fallback when nothing matched)."""
    texts = turn.texts
    state = conversation.routine
    routine = get_routine(state.position.routine_id) if state else None
    if routine is None:  # routine mode with no routine to play (a tampered session): the menu
        conversation.enter(Mode.IDLE)
        return say(
            [texts.get("interview.help_general")], texts.get("interview.offer_start_reprompt")
        )
    name = localise(routine.name, texts.locale)
    return say([texts.get(key, routine=name)], texts.get("routine.reprompt"))


def welcome_in_routine(turn: Turn, conversation: Conversation) -> Reply:
    """Thanks said while a routine plays: a word back, then whether to carry on."""
    texts = turn.texts
    question = texts.get("routine.paused_question")
    return say([texts.get("interview.thanked_mid_check"), question], texts.get("routine.reprompt"))


def resume_offer(turn: Turn, conversation: Conversation) -> str | None:
    """On launch: one short line offering to pick up an unfinished routine (mode
    `resume_offer`), or None when there is nothing to offer (none saved, or declined)."""
    saved = store.saved(turn.records)
    routine = get_routine(saved.position.routine_id) if saved else None
    if saved is None or routine is None or saved.declined:
        return None
    texts = turn.texts
    conversation.enter(Mode.RESUME_OFFER)
    return texts.get(
        "routine.resume_offer",
        routine=localise(routine.name, texts.locale),
        number=saved.position.exercise + 1,
        total=len(routine.exercises),
    )


def decline_resume(turn: Turn, conversation: Conversation) -> Reply:
    """No to the launch's offer: the routine stays saved but is not offered again."""
    texts = turn.texts
    store.decline_offer(turn.records)
    leave(conversation)
    return say(
        [texts.get("routine.resume_declined")], texts.get("routine.resume_declined_reprompt")
    )


def restart_saved(turn: Turn, conversation: Conversation) -> Reply:
    """ "Start it again" to the launch's offer: the saved routine from its first step."""
    saved = store.saved(turn.records)
    routine = get_routine(saved.position.routine_id) if saved else None
    if routine is None:
        return resume_routine(turn, conversation)
    lead = [turn.texts.get("routine.start_over")]
    return play(turn, conversation, routine, start(routine), lead)


def refuse(turn: Turn, conversation: Conversation, plan: CarePlan, routine_id: str) -> Reply:
    """The routine is not allowed now: the rules' reason for that routine
    (content/care_plan_rules/), then the routine they do allow now offered (a yes starts it),
    else "anything else?"."""
    texts = turn.texts
    why = plan.why_not(routine_id)
    reason = why.text if why is not None else ""
    text = texts.get("care_plan.routine_refused", reason=reason)
    allowed = get_routine(offer_from_plan(plan) or "")
    # (offered only where nothing else is pending: a follow-up's question keeps its mode)
    if allowed is None or not conversation.is_in(Mode.IDLE, Mode.RESULT, Mode.OFFER):
        # no routine to offer: what to do instead is the limit's own (its rule's `instead`)
        instead = (
            [texts.get("care_plan.routine_instead", instead=why.instead)]
            if why and why.instead
            else []
        )
        anything = texts.get("questions.anything_else")
        return say([text, *instead, anything], texts.get("questions.anything_else_reprompt"))
    name = localise(allowed.name, texts.locale)
    conversation.offer = allowed.id
    conversation.enter(Mode.OFFER)
    return say(
        [text, texts.get("interview.offer_routine", routine=name)],
        texts.get("interview.offer_routine_reprompt", routine=name),
    )


def stop_for_pain(turn: Turn, conversation: Conversation) -> Reply:
    """ "This hurts": the routine stops when the care plan says so (001, 003), with a word not to
    push through pain and the offer of a check (which can only raise the level in force)."""
    texts = turn.texts
    plan = decisions.todays_plan(turn, conversation, pain_during_routine=True)
    if not plan.stop_routine:  # the rules always stop it; kept so the plan stays the decider
        return say([texts.get("care_plan.routine_opening")])
    state = conversation.routine
    if state is not None:  # remembered, so a later "resume my routine" can say why not
        store.mark_stopped_for_pain(turn.records, state.position.routine_id, turn.today)
    else:
        store.forget_position(turn.records)
    leave(conversation)
    text = texts.get("care_plan.routine_stopped")
    return say([text], texts.get("care_plan.routine_stopped_reprompt"))
