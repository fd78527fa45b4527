"""A check's result, in one breath, and its parts on request (mode RESULT).

The first response says what to do and how urgently, the most likely cause with "this isn't a
diagnosis", a short note of what memory kept, and one offer. Then each part (tonight, tomorrow,
recovery, why, the other causes, the routine) comes when asked for, short, followed by the
parts not yet told. An emergency result is only the emergency. The card carries the whole result.
"Repeat" says the last reply again without saving the episode a second time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from hipcoach.clock import today
from hipcoach.dialog import state as dialog
from hipcoach.dialog.state import Mode
from hipcoach.speech import respond, said

if TYPE_CHECKING:
    from hipcoach.dialog.interview import Assessment, InterviewState
    from hipcoach.dialog.result_speech import SpokenResult

# {"told": [part, ...], "routine": id or None, "leader": condition or None,
#  "last": [sentences, reprompt]}
RESULT_KEY = "result"
STATE_KEY, OFFER_KEY, OUTCOME_KEY, DRAFT_KEY = "interview", "offer", "outcome", "interview_draft"
ROUTINE = "routine"
MAX_OFFERED = 3  # parts named after a part: a short list a listener can hold


def _session(handler_input: HandlerInput) -> dict[str, Any]:
    return respond.session(handler_input)


def _result_state(handler_input: HandlerInput) -> dict[str, Any]:
    """The result's session state, each field checked (tampered values read as absent)."""
    value = _session(handler_input).get(RESULT_KEY)
    if not isinstance(value, dict):
        return {}
    told = value.get("told")
    clean: dict[str, Any] = {
        "told": [p for p in told if isinstance(p, str)] if isinstance(told, list) else [],
        "routine": value.get("routine") if isinstance(value.get("routine"), str) else None,
        "leader": value.get("leader") if isinstance(value.get("leader"), str) else None,
    }
    if "last" in value:
        clean["last"] = value["last"]
    return clean


def _say(
    handler_input: HandlerInput,
    sentences: list[str],
    reprompt: str,
    card: tuple[str, str] | None = None,
) -> Response:
    """Reply and remember it, so "repeat" says it again (and nothing is saved twice)."""
    state = _result_state(handler_input)
    state["last"] = [list(sentences), reprompt]
    _session(handler_input)[RESULT_KEY] = state
    return respond.reply(handler_input, sentences, reprompt, card=card)


def _sharp_pain(findings: dict[str, Any]) -> bool:
    severity = findings.get("pain_severity")
    return findings.get("pain_quality") == "sharp" or (
        isinstance(severity, int | float) and severity >= 7
    )


def _routine_for(assessment: Assessment, findings: dict[str, Any]) -> str | None:
    from hipcoach.routines.loader import get_routine
    from hipcoach.routines.offers import offer_for

    routine_id = offer_for(assessment.level, assessment.leader or "", _sharp_pain(findings))
    routine = get_routine(routine_id) if routine_id else None
    return routine.id if routine is not None else None


def _keep_episode(
    handler_input: HandlerInput, state: InterviewState, assessment: Assessment
) -> tuple[bool, str]:
    """Save the episode once; (kept, the full note of what was kept)."""
    from hipcoach.handlers import memory as memory_handlers

    note = memory_handlers.record_episode(  # the check is done: its draft goes in the same write
        handler_input,
        state.findings,
        assessment.level,
        assessment.leader,
        today(handler_input),
        drop=(DRAFT_KEY,),
    )
    with said.recording():  # a comparison, not something said
        kept = respond.texts(handler_input).get("memory.episode_kept")
    return note.startswith(kept), note  # kept, maybe with a note on recurrence after it


def tell_result(
    handler_input: HandlerInput,
    state: InterviewState,
    preface: list[str],
    assessment: Assessment | None = None,
) -> Response:
    """The interview is over: save the episode, say the result in one breath, offer the parts."""
    from hipcoach.dialog.interview import assess
    from hipcoach.dialog.result_speech import compose

    texts = respond.texts(handler_input)
    assessment = assessment or assess(state)
    state.asking = None
    attributes = _session(handler_input)
    attributes[STATE_KEY] = state.to_attributes()
    attributes[OUTCOME_KEY] = {
        "triage": assessment.level,
        "conditions": [key for key, _ in assessment.ranking],
    }
    attributes.pop(OFFER_KEY, None)
    kept, note = _keep_episode(handler_input, state, assessment)
    result = compose(assessment, texts.locale, note)
    attributes[RESULT_KEY] = {
        "told": [],
        "routine": _routine_for(assessment, state.findings),
        "leader": assessment.leader,
    }
    dialog.enter(handler_input, Mode.RESULT)
    card = (result.card_title, result.card_text)
    if result.emergency:
        reprompt = texts.get("result.emergency_reprompt", emergency_number=_number(texts.locale))
        return _say(handler_input, [*preface, *result.speech], reprompt, card)
    spoken_note = texts.get("result.note_kept") if kept else note
    sentences = [*preface, *result.speech, spoken_note, texts.get("result.offer")]
    return _say(handler_input, sentences, texts.get("result.offer_reprompt"), card)


def _number(locale: str) -> str:
    from hipcoach.speech.locales import policy

    return policy(locale).emergency_number


def current_result(handler_input: HandlerInput) -> SpokenResult | None:
    """The result told in this session, recomposed from the interview's findings, or None."""
    if not dialog.is_in(handler_input, Mode.RESULT, Mode.OFFER):
        return None
    if not isinstance(_session(handler_input).get(OUTCOME_KEY), dict):
        return None
    from hipcoach.dialog.interview import InterviewState, assess
    from hipcoach.dialog.result_speech import compose

    state = InterviewState.from_attributes(_session(handler_input).get(STATE_KEY))
    if state is None or not state.findings:
        return None
    with said.recording():  # composed for its parts; a part's keys are noted when it is told
        return compose(assess(state), respond.texts(handler_input).locale)


def _untold(handler_input: HandlerInput, result: SpokenResult) -> list[str]:
    from hipcoach.dialog.result_speech import PARTS

    state = _result_state(handler_input)
    told = set(state.get("told") or [])
    parts = [p for p in PARTS if p not in told and result.parts.get(p)]
    if state.get("routine") and ROUTINE not in told:
        parts.append(ROUTINE)
    return parts


def _mark_told(handler_input: HandlerInput, part: str) -> None:
    state = _result_state(handler_input)
    told = list(state.get("told") or [])
    if part not in told:
        told.append(part)
    state["told"] = told
    _session(handler_input)[RESULT_KEY] = state


def _offer_routine(handler_input: HandlerInput, lead: list[str]) -> Response:
    from hipcoach.routines.loader import get_routine
    from hipcoach.routines.model import localise

    texts = respond.texts(handler_input)
    routine_id = _result_state(handler_input).get("routine")
    routine = get_routine(routine_id) if isinstance(routine_id, str) else None
    _mark_told(handler_input, ROUTINE)
    if routine is None:
        return _all_told(handler_input, lead)
    name = localise(routine.name, texts.locale)
    _session(handler_input)[OFFER_KEY] = routine.id
    dialog.enter(handler_input, Mode.OFFER)
    return _say(
        handler_input,
        [*lead, texts.get("interview.offer_routine", routine=name)],
        texts.get("interview.offer_routine_reprompt", routine=name),
    )


def _all_told(handler_input: HandlerInput, lead: list[str]) -> Response:
    texts = respond.texts(handler_input)
    dialog.enter(handler_input, Mode.RESULT)
    return _say(
        handler_input,
        [*lead, texts.get("result.all_told")],
        texts.get("result.all_told_reprompt"),
    )


def follow_up(handler_input: HandlerInput, result: SpokenResult, lead: list[str]) -> Response:
    """After a part or an answer: the routine once tonight's advice is told, else what is left."""
    texts = respond.texts(handler_input)
    left = _untold(handler_input, result)
    told = _result_state(handler_input).get("told") or []
    if ROUTINE in left and "tonight" in told:
        return _offer_routine(handler_input, lead)
    if not left:
        dialog.enter(handler_input, Mode.RESULT)
        return _say(
            handler_input,
            [*lead, texts.get("questions.after_result")],
            texts.get("questions.anything_else_reprompt"),
        )
    dialog.enter(handler_input, Mode.RESULT)
    from hipcoach.dialog.result_speech import join_list

    names = [texts.get(f"result.part_name_{p}") for p in left[:MAX_OFFERED]]
    options = join_list(texts, names, "interview.list_or")
    return _say(
        handler_input,
        [*lead, texts.get("result.more_offer", options=options)],
        texts.get("result.more_reprompt", options=options),
    )


def tell_part(handler_input: HandlerInput, part: str) -> Response | None:
    """One part of the current result (None when no result is there to tell it from)."""
    result = current_result(handler_input)
    if result is None:
        return None
    if part == ROUTINE:
        return _offer_routine(handler_input, [])
    _mark_told(handler_input, part)
    for key in result.part_keys.get(part, []):
        said.note(key)
    return follow_up(handler_input, result, list(result.parts.get(part, [])))


def tell_next(handler_input: HandlerInput) -> Response | None:
    """ "Tell me more": the first part not yet told."""
    result = current_result(handler_input)
    if result is None:
        return None
    left = _untold(handler_input, result)
    if not left:
        return _all_told(handler_input, [])
    return tell_part(handler_input, left[0])


def repeat_last(handler_input: HandlerInput) -> Response | None:
    """The last reply again; without one (an older session), the result itself. Never saves."""
    last = _result_state(handler_input).get("last")
    if isinstance(last, list) and len(last) == 2 and isinstance(last[0], list):
        sentences = [s for s in last[0] if isinstance(s, str)]
        if sentences:
            return respond.reply(handler_input, sentences, str(last[1]))
    result = current_result(handler_input)
    if result is None:
        return None
    texts = respond.texts(handler_input)
    if result.emergency:
        number = _number(texts.locale)
        return _say(
            handler_input,
            result.speech,
            texts.get("result.emergency_reprompt", emergency_number=number),
        )
    offer = texts.get("result.offer")
    return _say(handler_input, [*result.speech, offer], texts.get("result.offer_reprompt"))


def _in_result(handler_input: HandlerInput) -> bool:
    return dialog.is_in(handler_input, Mode.RESULT, Mode.OFFER)


class ResultWhyHandler(AbstractRequestHandler):
    """ "Why" after a result: the reasons, short, then what else can be asked."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _in_result(handler_input) and is_intent_name("WhyIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return tell_part(handler_input, "why") or _nothing_yet(handler_input)


class TellMeMoreHandler(AbstractRequestHandler):
    """ "Tell me more": the next part of the result; outside a result, what the skill can do."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("TellMeMoreIntent")(handler_input) and not dialog.is_in(
            handler_input, Mode.INTERVIEW, Mode.ROUTINE
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        return tell_next(handler_input) or _nothing_yet(handler_input)


class ResultYesNoHandler(AbstractRequestHandler):
    """Yes to the result's offer: the first part not yet told; no: goodbye."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return dialog.is_in(handler_input, Mode.RESULT) and (
            is_intent_name("AMAZON.YesIntent")(handler_input)
            or is_intent_name("AMAZON.NoIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        if is_intent_name("AMAZON.YesIntent")(handler_input):
            told = tell_next(handler_input)
            if told is not None:
                return told
        texts = respond.texts(handler_input)
        return respond.reply(handler_input, [texts.get("interview.goodbye")], end=True)


class ResultRepeatHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _in_result(handler_input) and is_intent_name("AMAZON.RepeatIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return repeat_last(handler_input) or _nothing_yet(handler_input)


def _nothing_yet(handler_input: HandlerInput) -> Response:
    texts = respond.texts(handler_input)
    return respond.reply(
        handler_input,
        [texts.get("result.no_result_part")],
        texts.get("interview.offer_start_reprompt"),
    )


def request_handlers() -> list[AbstractRequestHandler]:
    """Ahead of the interview's handlers: they claim Why, Yes/No and Repeat after a result."""
    return [ResultWhyHandler(), TellMeMoreHandler(), ResultYesNoHandler(), ResultRepeatHandler()]
