"""A check's result, in one breath, and its parts on request (mode RESULT).

The first response says what to do and how urgently, the most likely cause with "this isn't a
diagnosis", a short note of what memory kept, and one offer. Then each part (tonight, tomorrow,
recovery, why, the other causes, the routine) comes when asked for, short, followed by the
parts not yet told. An emergency result is only the emergency. The card carries the whole result.
"Repeat" says the last reply again without saving the episode a second time.
"""

from __future__ import annotations

from hipcoach.dialog import decisions
from hipcoach.dialog.conversation import Conversation, Outcome, ResultMemory
from hipcoach.dialog.drafts import DRAFT_KEY
from hipcoach.dialog.interview import Assessment, InterviewState
from hipcoach.dialog.memory import record_episode
from hipcoach.dialog.result_screen import directive_for
from hipcoach.dialog.result_speech import (
    PARTS,
    SpokenResult,
    action_sentences,
    compose,
    join_list,
)
from hipcoach.dialog.state import Mode
from hipcoach.dialog.turn import Turn
from hipcoach.medical.knowledge import knowledge
from hipcoach.routines.loader import get_routine
from hipcoach.routines.model import localise
from hipcoach.speech import said
from hipcoach.speech.answers import spoken_name
from hipcoach.speech.locales import policy
from hipcoach.speech.reply import Reply, say

ROUTINE = "routine"
MAX_OFFERED = 3  # parts named after a part: a short list a listener can hold
SPOKEN_PLAN_REASONS = 3  # in a spoken "why" from the care plan; the card lists them all


def _memory(conversation: Conversation) -> ResultMemory:
    if conversation.result is None:
        conversation.result = ResultMemory()
    return conversation.result


def _say(
    conversation: Conversation,
    sentences: list[str],
    reprompt: str,
    card: tuple[str, str] | None = None,
) -> Reply:
    """Reply and remember it, so "repeat" says it again (and nothing is saved twice)."""
    _memory(conversation).last = (list(sentences), reprompt)
    return say(sentences, reprompt, card=card)


def _number(locale: str) -> str:
    return policy(locale).emergency_number


def tell_result(
    turn: Turn,
    conversation: Conversation,
    state: InterviewState,
    preface: list[str],
    assessment: Assessment | None = None,
) -> Reply:
    """The interview is over: save the episode, say the result in one breath, offer the parts."""
    texts = turn.texts
    own = assessment or decisions.assess(state)
    state.asking = None
    conversation.interview = state
    # Spoken at the level in force, never below it (read before this check replaces the stored
    # episode, which then keeps that level as well as the check's own).
    assessment, in_force, plan = decisions.at_level_in_force(turn, conversation, own)
    conversation.outcome = Outcome(assessment.level, [key for key, _ in assessment.ranking])
    conversation.offer = None
    with said.recording() as noted:  # the note is said only when nothing could be kept
        kept, note = record_episode(  # the check is done: its draft goes in the same write
            turn,
            state.findings,
            own.level,
            own.leader,
            drop=(DRAFT_KEY,),
            in_force=assessment.level,
            reasons=decisions.check_reasons(state.findings, turn),
        )
    running = lambda: decisions.running_words(turn, plan)  # noqa: E731 (said when told)
    result = compose(assessment, texts.locale, note, in_force, running)
    conversation.result = ResultMemory(
        routine=decisions.routine_to_offer(turn, conversation, state.findings),
        leader=assessment.leader,
    )
    conversation.enter(Mode.RESULT)
    card = (result.card_title, result.card_text)
    screen = directive_for(turn.screen, result, texts.locale)  # an Echo Show shows it too
    if result.emergency:  # said once, plainly, and the microphone closes: call now
        call = texts.get("result.emergency_reprompt", emergency_number=_number(texts.locale))
        reply = say([*preface, *result.speech, call], card=card)
    else:
        if not kept:
            for key in noted:
                said.note(key)
        spoken_note = texts.get("result.note_kept") if kept else note
        sentences = [*preface, *result.speech, spoken_note, texts.get("result.offer")]
        reply = _say(conversation, sentences, texts.get("result.offer_reprompt"), card)
    if screen is not None:
        reply.directives.append(screen)
    return reply


def current_result(turn: Turn, conversation: Conversation) -> SpokenResult | None:
    """The result told in this session, recomposed from the interview's findings, or None."""
    if not conversation.is_in(Mode.RESULT, Mode.OFFER) or conversation.outcome is None:
        return None
    state = conversation.interview
    if state is None or not state.findings:
        return None
    with said.recording():  # composed for its parts; a part's keys are noted when it is told
        assessment, in_force, plan = decisions.at_level_in_force(
            turn, conversation, decisions.assess(state)
        )
        return compose(
            assessment,
            turn.texts.locale,
            in_force=in_force,
            running=lambda: decisions.running_words(turn, plan),
        )


def _untold(conversation: Conversation, result: SpokenResult) -> list[str]:
    memory = _memory(conversation)
    told = set(memory.told)
    parts = [p for p in PARTS if p not in told and result.parts.get(p)]
    if memory.routine and ROUTINE not in told:
        parts.append(ROUTINE)
    return parts


def mark_told(conversation: Conversation, part: str) -> None:
    """A part of the result counts as told (an answer said what it would), when one is there."""
    if conversation.result is None:
        return
    memory = conversation.result
    if part not in memory.told:
        memory.told.append(part)


def _mark_told(conversation: Conversation, part: str) -> None:
    memory = _memory(conversation)
    if part not in memory.told:
        memory.told.append(part)


def _offer_routine(turn: Turn, conversation: Conversation, lead: list[str]) -> Reply:
    texts = turn.texts
    routine_id = _memory(conversation).routine
    routine = get_routine(routine_id) if routine_id else None
    _mark_told(conversation, ROUTINE)
    if routine is None:
        return _all_told(turn, conversation, lead)
    name = localise(routine.name, texts.locale)
    conversation.offer = routine.id
    conversation.enter(Mode.OFFER)
    return _say(
        conversation,
        [*lead, texts.get("interview.offer_routine", routine=name)],
        texts.get("interview.offer_routine_reprompt", routine=name),
    )


def _all_told(turn: Turn, conversation: Conversation, lead: list[str]) -> Reply:
    texts = turn.texts
    conversation.enter(Mode.RESULT)
    return _say(
        conversation, [*lead, texts.get("result.all_told")], texts.get("result.all_told_reprompt")
    )


def follow_up(
    turn: Turn, conversation: Conversation, result: SpokenResult, lead: list[str]
) -> Reply:
    """After a part or an answer: the routine once tonight's advice is told, else what is left."""
    texts = turn.texts
    left = _untold(conversation, result)
    if ROUTINE in left and "tonight" in _memory(conversation).told:
        return _offer_routine(turn, conversation, lead)
    conversation.enter(Mode.RESULT)
    if not left:
        return _say(
            conversation,
            [*lead, texts.get("questions.after_result")],
            texts.get("questions.anything_else_reprompt"),
        )
    names = [texts.get(f"result.part_name_{p}") for p in left[:MAX_OFFERED]]
    options = join_list(texts, names, "interview.list_or")
    return _say(
        conversation,
        [*lead, texts.get("result.more_offer", options=options)],
        texts.get("result.more_reprompt", options=options),
    )


def tell_part(turn: Turn, conversation: Conversation, part: str) -> Reply | None:
    """One part of the current result (None when no result is there to tell it from)."""
    result = current_result(turn, conversation)
    if result is None:
        return None
    if part == ROUTINE:
        return _offer_routine(turn, conversation, [])
    _mark_told(conversation, part)
    for key in result.part_keys.get(part, []):
        said.note(key)
    return follow_up(turn, conversation, result, list(result.parts.get(part, [])))


def tell_next(turn: Turn, conversation: Conversation) -> Reply | None:
    """ "Tell me more": the first part not yet told."""
    result = current_result(turn, conversation)
    if result is None:
        return None
    left = _untold(conversation, result)
    if not left:
        return _all_told(turn, conversation, [])
    return tell_part(turn, conversation, left[0])


def repeat_last(turn: Turn, conversation: Conversation) -> Reply | None:
    """The last reply again; without one (an older session), the result itself. Never saves."""
    last = _memory(conversation).last if conversation.result is not None else None
    if last is not None:
        return say(last[0], last[1])
    result = current_result(turn, conversation)
    if result is None:
        return None
    texts = turn.texts
    if result.emergency:
        call = texts.get("result.emergency_reprompt", emergency_number=_number(texts.locale))
        return say([*result.speech, call])
    offer = texts.get("result.offer")
    return _say(conversation, [*result.speech, offer], texts.get("result.offer_reprompt"))


def leader_prevention(conversation: Conversation) -> str | None:
    """The leading condition's own prevention advice, once a result has been told."""
    if not conversation.is_in(Mode.RESULT, Mode.OFFER) or conversation.result is None:
        return None
    leader = conversation.result.leader
    conditions = knowledge().conditions
    if leader is None or leader not in conditions:
        return None
    return conditions[leader].prevention.text


def explain_plan(turn: Turn, conversation: Conversation) -> Reply | None:
    """ "Why?" about a result told earlier (another session, a later day): the care plan's own
    reasons, only from what the runner said, with the seed of each on the card; the level's
    action again while it holds home care. None when no check or follow-up has been told."""
    plan = decisions.todays_plan(turn, conversation)
    if not plan.pain_reported or not (plan.why or plan.why_cause):
        return None
    texts = turn.texts
    sentences = []
    if plan.why:
        spoken = [r.text for r in plan.why[:SPOKEN_PLAN_REASONS]]
        reasons = join_list(texts, spoken, "result.reasons_and")
        sentences.append(texts.get("result.why_plan", reasons=reasons))
    leader = plan.cause
    if leader is not None and plan.why_cause:
        spoken = [r.text for r in plan.why_cause[:SPOKEN_PLAN_REASONS]]
        sentences.append(
            texts.get(
                "result.why_condition",
                condition=spoken_name(leader, texts.locale),
                reasons=join_list(texts, spoken, "result.reasons_and"),
            )
        )
    if plan.self_care_held:
        sentences += action_sentences(plan.level, texts.locale)
    sources = knowledge().sources
    lines = [
        texts.get(
            "result.why_plan_card_line",
            why=r.text,
            source=sources.get(r.source, r.source),
            quote=r.quote,
        )
        if not r.judgement
        else texts.get("result.why_plan_card_judgement", why=r.text, judgement=r.judgement)
        for r in (*plan.why, *plan.why_cause)
    ]
    card = (texts.get("result.why_plan_card_title"), "\n".join(lines))
    return _say(
        conversation,
        [*sentences, texts.get("interview.what_next")],
        texts.get("interview.what_next_reprompt"),
        card,
    )
