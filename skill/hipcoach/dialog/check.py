"""The hip check's flow: the next question or the result, repairs, the "which one?" after a bare
yes to a screen, and the draft kept when a check is stopped mid-way.

Each question spoken is noted for `said` as `question.<finding>` (in full), `question.<finding>.
short` (its reprompt, naming the options) or `question.<finding>.which`: questions are content
(content/questions.yaml), not speech keys, and a test can then see what was asked.
"""

from __future__ import annotations

from typing import Any

from forwardrules import FactError
from hipcoach.dialog import decisions, drafts
from hipcoach.dialog.answers import interpret
from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.interview import InterviewState, record_unknown, record_volunteered
from hipcoach.dialog.result import tell_result
from hipcoach.dialog.state import Mode
from hipcoach.dialog.turn import Turn
from hipcoach.medical.knowledge import knowledge
from hipcoach.speech import said
from hipcoach.speech.locales import pick, policy
from hipcoach.speech.reply import Reply, say

MAX_IN_A_ROW = 2  # a question is put at most twice in a row; then the interview moves on


def question_text(finding: str, locale: str) -> tuple[str, str]:
    question = knowledge().questions[finding]
    return question.text(locale), question.reprompt_text(locale)


def _give_up(turn: Turn, state: InterviewState) -> str:
    """The question was not understood twice: a screen is broken into its single questions
    (never skipped), anything else is left unknown. A warning sign left unknown is never passed
    over in silence: the runner hears what to do if it is there. Returns what to say."""
    texts = turn.texts
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
        # What to do if the sign is there is the level the rules give it (issue 22).
        with said.recording():  # a placeholder's words: noted below if the net names them
            professional = texts.get("questions.professional")
        net = texts.get(
            f"interview.safety_net_{decisions.safety_net_level(asking)}",
            because=pick(flag.because, texts.locale),
            emergency_number=policy(texts.locale).emergency_number,
            urgent_care_number=policy(texts.locale).urgent_care_number or "",
            professional=professional,
        )
        if professional in net:
            said.note("questions.professional")
        return net
    return texts.get("interview.moving_on")


def ask_next(
    turn: Turn,
    conversation: Conversation,
    state: InterviewState,
    preface: list[str],
    repair: str | None = None,
) -> Reply:
    """Ask the engine's next question, or tell the result when nothing left could change it.
    The same question a third time in a row is given up on instead (see `_give_up`). `repair`
    (a text key: "Sorry, I didn't catch that", "Which one, mostly?") leads the next question;
    when the question is given up on or the result is told instead, it is not said (a result
    never opens with a repair of a question no longer asked)."""
    assessment = decisions.assess(state)
    repeated = assessment.next_question is not None and assessment.next_question == state.asking
    if repeated and state.repeats >= MAX_IN_A_ROW:
        preface = [*preface, _give_up(turn, state)]
        assessment = decisions.assess(state)
        repair = None
    if assessment.next_question is None:
        return tell_result(turn, conversation, state, preface, assessment)
    if repair is not None:
        preface = [*preface, turn.texts.get(repair)]
    if assessment.next_question == state.asking:
        state.repeats += 1
    else:
        state.asking, state.repeats, state.which = assessment.next_question, 1, False
    conversation.interview = state
    conversation.enter(Mode.INTERVIEW)
    return speak_question(turn, state, preface)


def speak_question(
    turn: Turn, state: InterviewState, preface: list[str], *, full: bool = False
) -> Reply:
    """The pending question: in full the first time, short (naming the options) when repeated."""
    assert state.asking is not None
    prompt, reprompt = question_text(state.asking, turn.texts.locale)
    in_full = full or state.repeats <= 1
    said.note(f"question.{state.asking}" if in_full else f"question.{state.asking}.short")
    return say([*preface, prompt if in_full else reprompt], reprompt)


def reask(
    turn: Turn, conversation: Conversation, state: InterviewState, repair: str | None = None
) -> Reply:
    """Put the pending question again (counts towards the two in a row), led by the `repair`
    text key when it is put again (see `ask_next`)."""
    if state.asking is not None and state.which:
        preface = [turn.texts.get(repair)] if repair is not None else []
        return ask_which(turn, conversation, state, preface)
    return ask_next(turn, conversation, state, [], repair)


def ask_which(
    turn: Turn, conversation: Conversation, state: InterviewState, preface: list[str]
) -> Reply:
    """After a bare yes to a screen: which of its items, briefly (asked once)."""
    assert state.asking is not None
    question = knowledge().questions[state.asking]
    state.which, state.repeats = True, state.repeats + 1
    conversation.interview = state
    conversation.enter(Mode.INTERVIEW)
    which = pick(question.which, turn.texts.locale)
    said.note(f"question.{state.asking}.which")
    return say([*preface, which], which)


def pending_question(turn: Turn, conversation: Conversation) -> tuple[str, str] | None:
    """The pending question's short re-ask (its reprompt, which names the options) as (speech,
    reprompt), to come back to after a side question; None when no question is pending."""
    state = conversation.interview
    asking = conversation.asking
    if state is None or asking is None:
        return None
    if state.which:  # a screen's "which one?" was pending
        said.note(f"question.{asking}.which")
        which = pick(knowledge().questions[asking].which, turn.texts.locale)
        return which, which
    said.note(f"question.{asking}.short")
    _, reprompt = question_text(asking, turn.texts.locale)
    return reprompt, reprompt


def start(
    turn: Turn,
    conversation: Conversation,
    preface: list[str],
    findings: dict[str, Any] | None = None,
    *,
    reopen: InterviewState | None = None,
) -> Reply:
    """A check starts (or a stopped one of today picks up, or `reopen` goes on), keeping the
    findings the runner already said; "noted" when any was kept."""
    conversation.outcome = None
    if not conversation.can_enter(Mode.RESULT):  # (an offer or a confirmation left: a warning
        conversation.enter(Mode.IDLE)  # sign said there may end the check on this very turn)
    state = reopen or load_draft(turn) or InterviewState()
    if findings and record_volunteered(state, findings):
        preface = [*preface, turn.texts.get("interview.noted")]
    return ask_next(turn, conversation, state, preface)


def volunteered(turn: Turn, state: InterviewState) -> bool:
    """An answer to another question ("it's on the outside" while asked about severity): kept
    when exactly one unanswered question takes it through a slot."""
    matches = []
    for finding, question in knowledge().questions.items():
        if finding in state.findings or finding == state.asking or question.covers:
            continue
        takes = (
            a.slot or a.duration_days
            for a in question.answers
            if a.intent == turn.intent and a.finding is None
        )
        if not any(takes):
            continue
        meaning = interpret(question, turn, turn.today)
        if meaning.kind == "value":
            matches.append((finding, meaning.value))
    if len(matches) != 1:
        return False
    try:
        return bool(record_volunteered(state, dict(matches)))
    except FactError:
        return False


# -- the draft: a check stopped earlier today, so a stop mid-check loses nothing ---------------


def load_draft(turn: Turn) -> InterviewState | None:
    record = turn.records.load()
    draft = record.get(drafts.DRAFT_KEY) if record else None
    if draft is None:
        return None
    if not isinstance(draft, dict) or draft.get("date") != turn.today.isoformat():
        drafts.forget(turn)  # a stale draft's answers are not kept past their day
        return None
    return InterviewState.from_attributes(draft.get("state"))
