"""Launch, the spoken interview, its result, and the built-ins around it (help, repeat, start
over, fallback, why, stop), plus the error handler that apologises instead of failing.

The launch path stays light: the rule engine, answer parsing, result speech and routines are
imported by the functions that use them, so a cold container answers its first LaunchRequest
without compiling them.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import IntentRequest, Response

from hipcoach.clock import today
from hipcoach.dialog import state as dialog
from hipcoach.dialog.state import Mode
from hipcoach.handlers import memory as memory_handlers
from hipcoach.handlers import routines as routine_handlers
from hipcoach.medical.disclaimer import disclaimer
from hipcoach.memory import store
from hipcoach.request import intent_request
from hipcoach.speech import respond

if TYPE_CHECKING:
    from hipcoach.dialog.interview import Assessment, InterviewState

log = logging.getLogger(__name__)

INTERVIEW, RESULT, OFFER, IDLE = "interview", "result", "offer_routine", "idle"
STATE_KEY, OFFER_KEY, OUTCOME_KEY = "interview", "offer", "outcome"
DRAFT_KEY, PROFILE_KEY = "interview_draft", "profile"


def _locale(handler_input: HandlerInput) -> str:
    return respond.texts(handler_input).locale


def load_state(handler_input: HandlerInput) -> InterviewState | None:
    from hipcoach.dialog.interview import InterviewState

    return InterviewState.from_attributes(respond.session(handler_input).get(STATE_KEY))


def save_state(handler_input: HandlerInput, state: InterviewState) -> None:
    respond.session(handler_input)[STATE_KEY] = state.to_attributes()


def _question_text(finding: str, locale: str) -> tuple[str, str]:
    from hipcoach.medical.knowledge import knowledge

    question = knowledge().questions[finding]
    return question.text(locale), question.reprompt_text(locale)


MAX_IN_A_ROW = 2  # a question is put at most twice in a row; then the interview moves on


def _give_up(handler_input: HandlerInput, state: InterviewState) -> str:
    """The question was not understood twice: a screen is broken into its single questions
    (never skipped), anything else is left unknown. A warning sign left unknown is never passed
    over in silence: the runner hears what to do if it is there. Returns what to say."""
    from hipcoach.dialog.interview import record_unknown
    from hipcoach.medical.knowledge import knowledge
    from hipcoach.speech.locales import pick, policy

    texts = respond.texts(handler_input)
    asking = state.asking
    state.asking, state.repeats, state.which = None, 0, False
    if asking is None:
        return texts.get("interview.moving_on")
    record_unknown(state, asking)  # a screen given up on: its items are asked one by one
    kb = knowledge()
    if kb.questions[asking].covers:
        return texts.get("interview.one_at_a_time")
    flag = kb.red_flags.get(asking)
    screened = any(asking in question.covers for question in kb.questions.values())
    if flag is not None and screened:  # a safety screen's item, not a reason to book (duration)
        return texts.get(
            "interview.safety_net",
            because=pick(flag.because, texts.locale),
            emergency_number=policy(texts.locale).emergency_number,
        )
    return texts.get("interview.moving_on")


def ask_next(handler_input: HandlerInput, state: InterviewState, preface: list[str]) -> Response:
    """Ask the engine's next question, or tell the result when nothing left could change it.
    The same question a third time in a row is given up on instead (see `_give_up`)."""
    from hipcoach.dialog.interview import assess

    assessment = assess(state)
    repeated = assessment.next_question is not None and assessment.next_question == state.asking
    if repeated and state.repeats >= MAX_IN_A_ROW:
        preface = [*preface, _give_up(handler_input, state)]
        assessment = assess(state)
    if assessment.next_question is None:
        return tell_result(handler_input, state, preface, assessment)
    if assessment.next_question == state.asking:
        state.repeats += 1
    else:
        state.asking, state.repeats, state.which = assessment.next_question, 1, False
    save_state(handler_input, state)
    dialog.enter(handler_input, Mode.INTERVIEW)
    return _speak_question(handler_input, state, preface)


def _speak_question(
    handler_input: HandlerInput, state: InterviewState, preface: list[str], *, full: bool = False
) -> Response:
    """The pending question: in full the first time, short (naming the options) when repeated."""
    assert state.asking is not None
    prompt, reprompt = _question_text(state.asking, _locale(handler_input))
    spoken = prompt if full or state.repeats <= 1 else reprompt
    return respond.reply(handler_input, [*preface, spoken], reprompt)


def reask(handler_input: HandlerInput, state: InterviewState, preface: list[str]) -> Response:
    """Put the pending question again (counts towards the two in a row)."""
    if state.asking is None:
        return ask_next(handler_input, state, preface)
    if state.which:
        return _ask_which(handler_input, state, preface)
    return ask_next(handler_input, state, preface)


def _ask_which(handler_input: HandlerInput, state: InterviewState, preface: list[str]) -> Response:
    """After a bare yes to a screen: which of its items, briefly (asked once)."""
    from hipcoach.medical.knowledge import knowledge
    from hipcoach.speech.locales import pick

    assert state.asking is not None
    question = knowledge().questions[state.asking]
    state.which, state.repeats = True, state.repeats + 1
    save_state(handler_input, state)
    dialog.enter(handler_input, Mode.INTERVIEW)
    which = pick(question.which, _locale(handler_input))
    return respond.reply(handler_input, [*preface, which], which)


def tell_result(
    handler_input: HandlerInput,
    state: InterviewState,
    preface: list[str],
    assessment: Assessment | None = None,
) -> Response:
    """The result, in one breath, its parts on request (hipcoach.handlers.result)."""
    from hipcoach.handlers.result import tell_result as tell

    return tell(handler_input, state, preface, assessment)


def start_interview(handler_input: HandlerInput, preface: list[str]) -> Response:
    from hipcoach.dialog.interview import InterviewState

    respond.session(handler_input).pop(OUTCOME_KEY, None)
    draft = _load_draft(handler_input)
    return ask_next(handler_input, draft or InterviewState(), preface)


def _load_draft(handler_input: HandlerInput) -> InterviewState | None:
    """An interview stopped earlier today, so a stop mid-check loses nothing."""
    record = store.load(handler_input)
    draft = record.get(DRAFT_KEY) if record else None
    if draft is None:
        return None
    if not isinstance(draft, dict) or draft.get("date") != today(handler_input).isoformat():
        _forget_draft(handler_input)  # a stale draft's answers are not kept past their day
        return None
    from hipcoach.dialog.interview import (
        InterviewState,  # the rule engine: only for a draft to resume
    )

    return InterviewState.from_attributes(draft.get("state"))


def _save_draft(handler_input: HandlerInput, state: InterviewState) -> None:
    draft = {"date": today(handler_input).isoformat(), "state": state.to_attributes()}
    store.update(handler_input, lambda record: {**record, DRAFT_KEY: draft})


def _without_draft(record: dict[str, Any]) -> dict[str, Any] | None:
    if DRAFT_KEY not in record:
        return None
    return {key: value for key, value in record.items() if key != DRAFT_KEY}


def _forget_draft(handler_input: HandlerInput) -> None:
    store.update(handler_input, _without_draft)


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        texts = respond.texts(handler_input)
        locale = texts.locale
        _load_draft(handler_input)  # drops a draft left from an earlier day
        record = store.load(handler_input)
        returning = bool(record and isinstance(record.get(PROFILE_KEY), dict))
        if record is not None and not returning:
            profile = {"first_seen": today(handler_input).isoformat()}
            store.update(
                handler_input,
                lambda r: (
                    None if isinstance(r.get(PROFILE_KEY), dict) else {**r, PROFILE_KEY: profile}
                ),
            )
        if not returning:
            greeting = texts.get("interview.welcome_first", disclaimer=disclaimer(locale))
        else:
            greeting = texts.get("interview.welcome_back")
        followup = memory_handlers.followup_prompt(handler_input) if returning else None
        followup = followup or (routine_handlers.resume_offer(handler_input) if returning else None)
        if followup:
            return respond.reply(handler_input, [greeting, followup], followup)
        dialog.enter(handler_input, Mode.IDLE)
        if returning:  # one short line: they know the skill
            greeting = texts.get("interview.welcome_back_menu", welcome_back=greeting)
        else:
            greeting = " ".join([greeting, texts.get("interview.offer_start")])
        return respond.reply(handler_input, [greeting], texts.get("interview.offer_start_reprompt"))


class StartCheckHandler(AbstractRequestHandler):
    """ "Check my hip", or the runner's story at the menu: a check starts, keeping how long it
    has hurt when they said ("my hip's been sore since Saturday")."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("StartCheckIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        from hipcoach.dialog.answers import days_from_request
        from hipcoach.dialog.interview import InterviewState, record_volunteered

        texts = respond.texts(handler_input)
        days = days_from_request(handler_input.request_envelope.request, today(handler_input))
        if days is None:
            return start_interview(handler_input, [texts.get("interview.start_check")])
        respond.session(handler_input).pop(OUTCOME_KEY, None)
        state = _load_draft(handler_input) or InterviewState()
        preface = [texts.get("interview.start_check")]
        if record_volunteered(state, {"pain_days": days}):
            preface.append(texts.get("interview.noted"))
        return ask_next(handler_input, state, preface)


def _volunteered(handler_input: HandlerInput, state: InterviewState) -> bool:
    """An answer to another question ("it's on the outside" while asked about severity): keep
    it when exactly one unanswered question takes it through a slot."""
    from forwardrules import FactError
    from hipcoach.dialog.answers import interpret
    from hipcoach.dialog.interview import record_volunteered
    from hipcoach.medical.knowledge import knowledge

    request = intent_request(handler_input)
    intent = request.intent.name if request.intent else None
    matches = []
    for finding, question in knowledge().questions.items():
        if finding in state.findings or finding == state.asking or question.covers:
            continue
        takes = (
            a.slot or a.duration_days
            for a in question.answers
            if a.intent == intent and a.finding is None
        )
        if not any(takes):
            continue
        meaning = interpret(question, request, today(handler_input))
        if meaning.kind == "value":
            matches.append((finding, meaning.value))
    if len(matches) != 1:
        return False
    try:
        return bool(record_volunteered(state, dict(matches)))
    except FactError:
        return False


# Intents of other areas that, said mid-interview, are read against the pending question
# (a number with a unit at the shoe question is not a run to log). Stop, help, repeat, start
# over, why, and side questions (prevention, routines) keep their own handlers.
_ALSO_ANSWERS = frozenset(
    {"StartCheckIntent", "AMAZON.FallbackIntent", "PlanWeekIntent", "NewShoesIntent"}
)


class AnswerHandler(AbstractRequestHandler):
    """An answer to the pending question, in any form: read against the question first, with
    every finding it carries recorded; repaired (never looped) when not understood."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        if not dialog.is_in(handler_input, Mode.INTERVIEW):
            return False
        from hipcoach.medical.knowledge import ANSWER_INTENTS

        return (
            isinstance(request, IntentRequest)
            and request.intent is not None
            and (request.intent.name in ANSWER_INTENTS or request.intent.name in _ALSO_ANSWERS)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        from forwardrules import FactError
        from hipcoach.dialog.answers import read_answer
        from hipcoach.dialog.interview import (
            InterviewState,
            record_answer,
            record_unknown,
            record_volunteered,
        )
        from hipcoach.medical.knowledge import knowledge

        texts = respond.texts(handler_input)
        state = load_state(handler_input)
        if state is None or state.asking is None:
            return ask_next(handler_input, InterviewState(), [texts.get("interview.restart")])
        request = intent_request(handler_input)
        question = knowledge().questions[state.asking]
        reading = read_answer(question, request, today(handler_input))
        noted = bool(record_volunteered(state, reading.volunteered))
        if state.which:  # the "which one?" after a bare yes: whatever was named is kept
            state.which = False
            key = "interview.noted" if noted else "interview.one_at_a_time"
            return ask_next(handler_input, state, [texts.get(key)])
        if reading.kind == "value":
            try:
                record_answer(state, state.asking, reading.value)
            except FactError:
                return reask(handler_input, state, [texts.get("interview.out_of_range")])
            bare_yes = reading.value is True and not reading.volunteered
            # (not after the screen was put twice: its items come one at a time instead)
            if question.covers and question.which and bare_yes and state.repeats < MAX_IN_A_ROW:
                return _ask_which(handler_input, state, [])
            return ask_next(handler_input, state, [])
        if reading.kind == "partial":
            record_unknown(state, state.asking)  # answered in part: the rest is asked singly
            return ask_next(handler_input, state, [texts.get("interview.noted")])
        if reading.kind == "unknown":
            record_unknown(state, state.asking)
            return ask_next(handler_input, state, [texts.get("interview.dont_know_ok")])
        if noted:
            return ask_next(handler_input, state, [texts.get("interview.noted")])
        if reading.kind == "clarify":
            return reask(handler_input, state, [texts.get("interview.clarify")])
        if reading.kind == "bad_number":
            return reask(handler_input, state, [texts.get("interview.not_a_number")])
        if _volunteered(handler_input, state):
            return ask_next(handler_input, state, [texts.get("interview.noted")])
        if reading.volunteered:  # understood, but already answered earlier: back to the question
            return reask(handler_input, state, [])
        return reask(handler_input, state, [texts.get("interview.not_understood")])


# Requests that would leave the check (a routine) wait until it is done: only stop or cancel end it.
_AFTER_THE_CHECK = frozenset({"StartRoutineIntent", "ResumeRoutineIntent"})


class FinishCheckFirstHandler(AbstractRequestHandler):
    """ "Start my stretches" mid-interview: the check is finished first, then the routine."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = handler_input.request_envelope.request
        return (
            dialog.is_in(handler_input, Mode.INTERVIEW)
            and isinstance(request, IntentRequest)
            and request.intent is not None
            and request.intent.name in _AFTER_THE_CHECK
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        texts = respond.texts(handler_input)
        state = load_state(handler_input)
        if state is None or state.asking is None:
            return start_interview(handler_input, [texts.get("interview.restart")])
        return _speak_question(
            handler_input, state, [texts.get("interview.finish_check_first")], full=True
        )


class FindingsOutsideCheckHandler(AbstractRequestHandler):
    """Findings said outside a check ("my hip hurts on the outside when I lie on it" at the menu,
    "it's my bum" after a routine, or in a one-shot): a check starts with them recorded."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        from hipcoach.dialog.answers import SINGLE_FINDING_INTENTS, carries_findings

        request = handler_input.request_envelope.request
        if dialog.is_in(handler_input, Mode.RESULT, Mode.OFFER):
            return bool(_new_after_result(handler_input))
        if not dialog.is_in(handler_input, Mode.IDLE):
            return False  # mid-check they are answers; in a routine: not a new check
        name = getattr(getattr(request, "intent", None), "name", None)
        return carries_findings(request) or name in SINGLE_FINDING_INTENTS

    def handle(self, handler_input: HandlerInput) -> Response:
        from hipcoach.dialog.answers import findings_in
        from hipcoach.dialog.interview import InterviewState, record_volunteered

        texts = respond.texts(handler_input)
        respond.session(handler_input).pop(OUTCOME_KEY, None)
        told = load_state(handler_input) if _new_after_result(handler_input) else None
        # something new said after a result ("I've been feeling feverish too") reopens that check
        state = told or _load_draft(handler_input) or InterviewState()
        said = findings_in(handler_input.request_envelope.request, today(handler_input))
        noted = record_volunteered(state, said)
        preface = [texts.get("interview.start_check")]
        if noted:
            preface.append(texts.get("interview.noted"))
        return ask_next(handler_input, state, preface)


def _new_after_result(handler_input: HandlerInput) -> dict[str, Any]:
    """After a result, the findings an utterance tells that the finished check did not know."""
    from hipcoach.dialog.answers import carries_findings, findings_in

    request = handler_input.request_envelope.request
    state = load_state(handler_input)
    if not dialog.is_in(handler_input, Mode.RESULT, Mode.OFFER) or state is None:
        return {}
    if not isinstance(request, IntentRequest) or not carries_findings(request):
        return {}
    said = findings_in(request, today(handler_input))
    return {name: value for name, value in said.items() if name not in state.findings}


class OfferAnswerHandler(AbstractRequestHandler):
    """Yes or no to the routine offered after a result."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return dialog.is_in(handler_input, Mode.OFFER) and (
            is_intent_name("AMAZON.YesIntent")(handler_input)
            or is_intent_name("AMAZON.NoIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        offered = respond.session(handler_input).pop(OFFER_KEY, None)
        if is_intent_name("AMAZON.YesIntent")(handler_input) and isinstance(offered, str):
            from hipcoach.routines.replies import start_routine

            return start_routine(handler_input, offered)
        dialog.enter(handler_input, Mode.RESULT)
        texts = respond.texts(handler_input)
        return respond.reply(
            handler_input,
            [texts.get("interview.anything_else")],
            texts.get("interview.what_next_reprompt"),
        )


class IdleYesNoHandler(AbstractRequestHandler):
    """Yes or no outside a question: yes starts a check, no says goodbye."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return dialog.is_in(handler_input, Mode.IDLE, Mode.RESULT) and (
            is_intent_name("AMAZON.YesIntent")(handler_input)
            or is_intent_name("AMAZON.NoIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        texts = respond.texts(handler_input)
        if is_intent_name("AMAZON.NoIntent")(handler_input):
            return respond.reply(handler_input, [texts.get("interview.goodbye")], end=True)
        return start_interview(handler_input, [texts.get("interview.start_check")])


class HelpHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        texts = respond.texts(handler_input)
        state = load_state(handler_input)
        if dialog.is_in(handler_input, Mode.INTERVIEW) and state is not None and state.asking:
            # asked for: the question again in full, not counted as a misunderstanding
            return _speak_question(
                handler_input, state, [texts.get("interview.help_question")], full=True
            )
        return respond.reply(
            handler_input,
            [texts.get("interview.help_general")],
            texts.get("interview.offer_start_reprompt"),
        )


class RepeatHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.RepeatIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        state = load_state(handler_input)
        current = dialog.current(handler_input)
        if current == Mode.INTERVIEW and state is not None and state.asking:
            return _speak_question(handler_input, state, [], full=True)
        if current in (Mode.RESULT, Mode.OFFER) and state is not None:
            return tell_result(handler_input, state, [])
        texts = respond.texts(handler_input)
        return respond.reply(
            handler_input,
            [texts.get("interview.offer_start")],
            texts.get("interview.offer_start_reprompt"),
        )


class StartOverHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.StartOverIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        from hipcoach.dialog.interview import InterviewState

        attributes = respond.session(handler_input)
        for key in (STATE_KEY, OUTCOME_KEY, OFFER_KEY):
            attributes.pop(key, None)
        _forget_draft(handler_input)
        return ask_next(
            handler_input, InterviewState(), [respond.texts(handler_input).get("interview.restart")]
        )


class WhyHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("WhyIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        texts = respond.texts(handler_input)
        state = load_state(handler_input)
        if state is None or not state.findings:
            if state is not None and state.asking and dialog.is_in(handler_input, Mode.INTERVIEW):
                nothing_yet = [texts.get("interview.why_nothing_yet")]
                return _speak_question(handler_input, state, nothing_yet, full=True)
            return respond.reply(
                handler_input,
                [texts.get("interview.why_nothing_yet")],
                texts.get("interview.offer_start_reprompt"),
            )
        from hipcoach.dialog.interview import assess

        assessment = assess(state)
        for_level, for_condition = assessment.reasons(texts.locale)
        sentences = [texts.get("interview.why_intro"), *for_level, *for_condition]
        if dialog.is_in(handler_input, Mode.INTERVIEW) and state.asking:
            return _speak_question(handler_input, state, sentences, full=True)  # not a repeat
        return respond.reply(
            handler_input,
            [*sentences, texts.get("interview.what_next")],
            texts.get("interview.what_next_reprompt"),
        )


class FallbackHandler(AbstractRequestHandler):
    """Anything unrecognised: re-ask the current question; never lose the interview."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        # AMAZON.FallbackIntent and any intent no earlier handler claimed
        return isinstance(handler_input.request_envelope.request, IntentRequest)

    def handle(self, handler_input: HandlerInput) -> Response:
        texts = respond.texts(handler_input)
        state = load_state(handler_input)
        if dialog.is_in(handler_input, Mode.INTERVIEW) and state is not None:
            return reask(handler_input, state, [texts.get("interview.not_understood")])
        if dialog.is_in(handler_input, Mode.IDLE) and is_intent_name("AMAZON.FallbackIntent")(
            handler_input
        ):
            # at the menu ("shall we check your hip?") a runner telling their story is answered
            # with the check itself, safety questions first, rather than a menu read again
            return start_interview(handler_input, [texts.get("interview.start_check")])
        return respond.reply(
            handler_input,
            [texts.get("interview.not_understood"), texts.get("interview.help_general")],
            texts.get("interview.offer_start_reprompt"),
        )


class StopHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (
            is_intent_name("AMAZON.CancelIntent")(handler_input)
            or is_intent_name("AMAZON.StopIntent")(handler_input)
            or is_intent_name("AMAZON.NavigateHomeIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        texts = respond.texts(handler_input)
        state = load_state(handler_input)
        key = "interview.goodbye"
        if dialog.is_in(handler_input, Mode.INTERVIEW) and state is not None:
            _save_draft(handler_input, state)
            key = "interview.goodbye_mid_check"
        return respond.reply(handler_input, [texts.get(key)], end=True)


class SessionEndedHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        state = load_state(handler_input)
        if dialog.is_in(handler_input, Mode.INTERVIEW) and state is not None:
            _save_draft(handler_input, state)
        return handler_input.response_builder.response


class UnhandledRequestHandler(AbstractRequestHandler):
    """Request types the skill does not use (APL events, CanFulfill, Connections...)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.response


class ApologiseOnError(AbstractExceptionHandler):
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        # The type only: a message could quote what the runner said.
        log.error("handler error: %s", type(exception).__name__)
        if is_request_type("SessionEndedRequest")(handler_input):
            return handler_input.response_builder.response  # Alexa accepts no speech here
        texts = respond.texts(handler_input)
        return respond.reply(
            handler_input, [texts.get("interview.error")], texts.get("interview.error_reprompt")
        )


def answer_handlers() -> list[AbstractRequestHandler]:
    """Mid-interview answers: ahead of other areas' intents, so that nothing said during a
    check (a distance, "it's getting worse") is taken for something else."""
    return [AnswerHandler(), FinishCheckFirstHandler()]


def request_handlers() -> list[AbstractRequestHandler]:
    """The interview's mode-specific handlers, then the general ones."""
    return [
        LaunchHandler(),
        FindingsOutsideCheckHandler(),
        OfferAnswerHandler(),
        IdleYesNoHandler(),
        StartCheckHandler(),
        HelpHandler(),
        RepeatHandler(),
        StartOverHandler(),
        WhyHandler(),
        StopHandler(),
        SessionEndedHandler(),
    ]


def fallback_handlers() -> list[AbstractRequestHandler]:
    """Last in line: re-ask or explain, and answer unknown request types quietly."""
    return [FallbackHandler(), UnhandledRequestHandler()]


def pending_question_speech(handler_input: HandlerInput) -> tuple[str, str] | None:
    """The pending interview question's short re-ask (its reprompt, which names the options) as
    (speech, reprompt), to come back to after a side question; None when no question is pending."""
    if not dialog.is_in(handler_input, Mode.INTERVIEW):
        return None
    state = load_state(handler_input)
    if state is None or state.asking is None:
        return None
    if state.which:  # a screen's "which one?" was pending
        from hipcoach.medical.knowledge import knowledge
        from hipcoach.speech.locales import pick

        which = pick(knowledge().questions[state.asking].which, _locale(handler_input))
        return which, which
    _, reprompt = _question_text(state.asking, _locale(handler_input))
    return reprompt, reprompt
