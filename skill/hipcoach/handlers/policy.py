"""One policy from meaning to action: what the runner did, in the mode the conversation is in,
picks the action, from one table.

`act_of` says what the runner did (hipcoach.dialog.acts), read against what the conversation is
waiting for: a yes to a pending question is an answer, the same yes at the menu starts a check.
`TABLE` maps (mode, act) to the action; `ANY` rows hold in every mode without a row of its own.
`respond` runs the one action a turn gets: actions never call each other.

Cold start: the actions' modules (the rules engine, answer parsing, result speech, the routine
player) are imported when a turn first needs them (`_lazy`), so a cold container answers its first
LaunchRequest without loading them: measured in `make bench` (tests/bench/perf_bench.py) and held
by tests/lambda/test_lambda_zip.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from types import ModuleType
from typing import Final

from hipcoach.dialog.acts import Act
from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.state import Mode
from hipcoach.dialog.turn import INTENT, LAUNCH, SESSION_ENDED, Turn
from hipcoach.handlers import launch
from hipcoach.speech.reply import Reply, with_lead

__all__ = ["ANY", "QUESTIONS", "TABLE", "Act", "act_of", "action_for", "respond"]

Action = Callable[[Turn, Conversation], Reply]
ANY: Final = None


# Cold start (see the module's doc): each area's actions are imported on the first turn that
# needs one.


def _interview() -> ModuleType:
    from hipcoach.handlers import interview

    return interview


def _memory() -> ModuleType:
    from hipcoach.handlers import memory

    return memory


def _questions() -> ModuleType:
    from hipcoach.handlers import questions

    return questions


def _result() -> ModuleType:
    from hipcoach.handlers import result

    return result


def _routines() -> ModuleType:
    from hipcoach.handlers import routines

    return routines


def _lazy(area: Callable[[], ModuleType], name: str) -> Action:
    """The action `name` of an area's module, imported on its first turn."""

    def action(turn: Turn, conversation: Conversation) -> Reply:
        found: Action = getattr(area(), name)
        return found(turn, conversation)

    action.__qualname__ = action.__name__ = f"{area.__name__.strip('_')}.{name}"
    return action


def act_of(turn: Turn, conversation: Conversation) -> Act:
    """What the runner did on this turn, read against what the conversation waits for."""
    if turn.request_type == LAUNCH:
        return Act.LAUNCHED
    if turn.request_type == SESSION_ENDED:
        return Act.SESSION_ENDED
    if turn.request_type != INTENT or turn.intent is None:
        return Act.OTHER_REQUEST
    if turn.act is not None and turn.act in {act.value for act in Act}:
        if turn.act == Act.UNANSWERABLE and turn.said:
            from hipcoach.dialog import reading  # cold start: see the module doc

            if reading.interrupts_here(turn, conversation):
                # a warning sign told inside a question the seeds cannot answer ("is it bad
                # that it's all swollen and I've got a fever?"): acted on, the turn it is said
                return Act.RED_FLAG
        return Act(turn.act)
    from hipcoach.dialog import reading  # cold start: see the module doc

    return reading.act_of_intent(turn, conversation, turn.intent)


def _as_not_understood(turn: Turn, conversation: Conversation) -> Reply:
    """Outside a check (a routine's pause is the player's), a hold is read as before."""
    return action_for(conversation.mode, Act.NOT_UNDERSTOOD)(turn, conversation)


# (mode, act) -> action; a row with mode ANY holds where the mode has no row of its own.
TABLE: dict[tuple[Mode | None, Act], Action] = {
    (ANY, Act.LAUNCHED): launch.launch,
    (ANY, Act.SESSION_ENDED): _lazy(_interview, "session_ended"),
    (ANY, Act.OTHER_REQUEST): _lazy(_interview, "quiet"),
    # answers: to the pending question, the shoe question, the follow-up
    (ANY, Act.ANSWERED): _lazy(_interview, "not_understood"),  # nothing was asked
    (Mode.INTERVIEW, Act.ANSWERED): _lazy(_interview, "answered"),
    (Mode.SHOE_QUESTION, Act.ANSWERED): _lazy(_memory, "shoe_distance"),
    (Mode.FOLLOWUP, Act.ANSWERED): _lazy(_memory, "followup"),
    (ANY, Act.PROGRESS): _lazy(_memory, "followup"),
    # findings said without a question: a check starts (or the told one reopens) with them
    (ANY, Act.VOLUNTEERED): _lazy(_interview, "volunteered"),
    (ANY, Act.RED_FLAG): _lazy(_interview, "volunteered"),
    # questions: answered where they are asked; never a check started
    (ANY, Act.ASKED): _lazy(_questions, "asked"),
    (Mode.ROUTINE, Act.ASKED): _lazy(_questions, "asked_in_routine"),
    (ANY, Act.UNANSWERABLE): _lazy(_questions, "unanswerable"),
    (ANY, Act.CANNOT_DO): _lazy(_questions, "cannot_do"),
    (ANY, Act.CORRECTED): _lazy(_interview, "corrected"),
    # thanks said to close: a warm goodbye (mid-check the question again; a routine waits)
    (ANY, Act.THANKED): _lazy(_interview, "thanked"),
    (Mode.ROUTINE, Act.THANKED): _lazy(_routines, "thanked"),
    # the built-ins
    (ANY, Act.HELP): _lazy(_interview, "help_me"),
    (Mode.ROUTINE, Act.HELP): _lazy(_routines, "help_here"),
    (ANY, Act.REPEAT): _lazy(_interview, "repeat"),
    (Mode.RESULT, Act.REPEAT): _lazy(_result, "repeat"),
    (Mode.OFFER, Act.REPEAT): _lazy(_result, "repeat"),
    (ANY, Act.STOPPED): _lazy(_interview, "stop"),
    (ANY, Act.START_OVER): _lazy(_interview, "restart"),
    (Mode.RESUME_OFFER, Act.START_OVER): _lazy(_routines, "resume_offer_restart"),
    (ANY, Act.WHY): _lazy(_interview, "why"),
    (Mode.RESULT, Act.WHY): _lazy(_result, "why"),
    (Mode.OFFER, Act.WHY): _lazy(_result, "why"),
    (ANY, Act.NOT_UNDERSTOOD): _lazy(_interview, "not_understood"),
    (Mode.ROUTINE, Act.NOT_UNDERSTOOD): _lazy(_routines, "not_understood"),
    # not understood where a question waits: said so, and that question again (never the menu)
    (Mode.RESULT, Act.NOT_UNDERSTOOD): _lazy(_result, "not_understood"),
    (Mode.OFFER, Act.NOT_UNDERSTOOD): _lazy(_result, "not_understood"),
    (Mode.FOLLOWUP, Act.NOT_UNDERSTOOD): _lazy(_memory, "followup_not_understood"),
    (Mode.RESUME_OFFER, Act.NOT_UNDERSTOOD): _lazy(_routines, "resume_offer_not_understood"),
    # yes and no: to whatever the mode asked
    (ANY, Act.YES): _lazy(_interview, "not_understood"),
    (ANY, Act.NO): _lazy(_interview, "not_understood"),
    (Mode.IDLE, Act.YES): _lazy(_interview, "yes_at_menu"),
    (Mode.IDLE, Act.NO): _lazy(_interview, "goodbye"),
    (Mode.RESULT, Act.YES): _lazy(_result, "yes"),
    (Mode.RESULT, Act.NO): _lazy(_result, "no"),
    (Mode.OFFER, Act.YES): _lazy(_result, "offer_answered"),
    (Mode.OFFER, Act.NO): _lazy(_result, "offer_answered"),
    (Mode.CONFIRM_DELETE, Act.YES): _lazy(_memory, "delete_confirmed"),
    (Mode.CONFIRM_DELETE, Act.NO): _lazy(_memory, "delete_confirmed"),
    (Mode.ROUTINE, Act.YES): _lazy(_routines, "yes"),  # to "ready?": move on (or carry on)
    (Mode.ROUTINE, Act.NO): _lazy(_routines, "no"),  # not yet: the routine waits
    (Mode.RESUME_OFFER, Act.YES): _lazy(_routines, "resume_offer_answered"),
    (Mode.RESUME_OFFER, Act.NO): _lazy(_routines, "resume_offer_answered"),
    (Mode.RESUME_OFFER, Act.CARRY_ON): _lazy(_routines, "resume_offer_answered"),
    (Mode.RESUME_OFFER, Act.RESUME_ROUTINE): _lazy(_routines, "resume_offer_answered"),
    # the check, the result's parts
    (ANY, Act.START_CHECK): _lazy(_interview, "start_check"),
    # "check my hip", "my hip's really hurting" said while a routine plays: it stops at once,
    # not to push through pain, and the check is offered (a yes starts it)
    (Mode.ROUTINE, Act.START_CHECK): _lazy(_routines, "hurts"),
    (ANY, Act.MORE): _lazy(_result, "more"),
    (Mode.INTERVIEW, Act.MORE): _lazy(_interview, "not_understood"),
    (Mode.ROUTINE, Act.MORE): _lazy(_interview, "not_understood"),
    # routines
    (ANY, Act.START_ROUTINE): _lazy(_routines, "start"),
    (Mode.INTERVIEW, Act.START_ROUTINE): _lazy(_interview, "finish_check_first"),
    (ANY, Act.RESUME_ROUTINE): _lazy(_routines, "resume"),
    (Mode.INTERVIEW, Act.RESUME_ROUTINE): _lazy(_interview, "finish_check_first"),
    (ANY, Act.CARRY_ON): _lazy(_interview, "not_understood"),
    # a moment asked for, then "okay, I'm back": mid-check the question waits, never counted as
    # not understood (twice would move on without its answer); elsewhere as before
    (Mode.INTERVIEW, Act.CARRY_ON): _lazy(_interview, "hold"),
    (Mode.INTERVIEW, Act.HOLD): _lazy(_interview, "hold"),
    (ANY, Act.HOLD): lambda turn, conversation: _as_not_understood(turn, conversation),
    (Mode.IDLE, Act.CARRY_ON): _lazy(_routines, "carry_on"),
    (ANY, Act.NAVIGATE): _lazy(_interview, "not_understood"),  # no routine to move
    (Mode.ROUTINE, Act.NAVIGATE): _lazy(_routines, "navigate"),
    (ANY, Act.HURTS): _lazy(_routines, "hurts"),
    # the feel of a stretch told in a routine: the feel wanted, and it waits for the runner
    (ANY, Act.STRETCH_FELT): _lazy(_interview, "not_understood"),
    (Mode.ROUTINE, Act.STRETCH_FELT): _lazy(_routines, "stretch_felt"),
    # memory
    (ANY, Act.MEMORY): _lazy(_memory, "log"),
    (Mode.INTERVIEW, Act.MEMORY): _lazy(_memory, "aside"),  # done, then the pending question
    (ANY, Act.DELETE): _lazy(_memory, "delete_asked"),
    # not understood while "should I delete it?" waits: asked again, nothing deleted or dropped
    (Mode.CONFIRM_DELETE, Act.NOT_UNDERSTOOD): _lazy(_memory, "delete_asked"),
}


def action_for(mode: Mode, act: Act) -> Action:
    return TABLE.get((mode, act)) or TABLE[(ANY, act)]


# What a question said in the same breath as a story or an answer may be: answered too.
QUESTIONS = frozenset({Act.ASKED, Act.UNANSWERABLE, Act.CANNOT_DO})
# A request said after news of the hip ("a lot better, can I do my stretches?"): carried out
# (or refused, as the care plan says) once the news is kept; never inside a check.
REQUESTS = frozenset({Act.START_ROUTINE, Act.RESUME_ROUTINE})


def respond(turn: Turn, conversation: Conversation) -> Reply:
    """The reply to one turn: the table's one action for what the runner did, here. A question
    said in the same breath (`Turn.then`: "my hip aches on the side, should I see my GP?",
    "no, none of them, can I take ibuprofen?") gets its own action after that one: the facts
    are recorded, the question answered, and neither is dropped."""
    act = act_of(turn, conversation)
    reply = action_for(conversation.mode, act)(turn, conversation)
    then = turn.then
    if then is not None and reply.end_session and act is Act.NO:
        asked = act_of(then, conversation)
        if asked in QUESTIONS:
            # "not yet. can I take ibuprofen for it?": the no declines what was offered, not the
            # conversation; the runner is still talking, so the question is answered, no goodbye
            return action_for(conversation.mode, asked)(then, conversation)
    if then is None or reply.ssml is not None or reply.end_session:
        return reply  # (an emergency said first: the question waits, the call comes now)
    asked = act_of(then, conversation)
    if asked not in QUESTIONS and (asked not in REQUESTS or conversation.asking is not None):
        return reply
    if conversation.asking is not None and reply.speech:
        # a check goes on: the answer first ("that decides it", or the seeds' answer), then the
        # question the check asks now, which the first action put last
        conversation.aside = True
        try:
            aside = action_for(conversation.mode, asked)(then, conversation)
        finally:
            conversation.aside = False
        return Reply(
            [*reply.speech[:-1], *aside.speech, reply.speech[-1]],
            reply.reprompt,
            reply.card,
            directives=[*reply.directives, *aside.directives],
        )
    # the answer ended the check (a result) or there is none: that first, then the question's
    answer = action_for(conversation.mode, asked)(then, conversation)
    if answer.ssml is not None:  # a routine started: its timed speech after the news, without
        # the news's closing question ("what else can I help with?"): the routine answers it
        lead = reply.speech
        if lead and reply.reprompt and lead[-1] == reply.reprompt:
            lead = lead[:-1]
        return replace(answer, ssml=with_lead(answer.ssml, lead))
    # the first reply's closing question ("what else can I help with?") gives way to the
    # answer's own: one question, last
    first = reply.speech
    if first and reply.reprompt and first[-1] == reply.reprompt and answer.reprompt:
        first = first[:-1]
    # and what the first reply already said is not said twice (a follow-up's running words, then
    # "can I run?" answered with the same words)
    said_already = " ".join(first)
    then_said = [s for s in answer.speech if s not in said_already]
    return Reply(
        [*first, *then_said],
        answer.reprompt or reply.reprompt,
        reply.card,
        directives=[*reply.directives, *answer.directives],
    )
