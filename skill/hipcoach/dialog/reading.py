"""What the runner did, read from the intent Alexa routed to and its slots, against what the
conversation is waiting for: a yes to a pending question is an answer, the same yes at the menu
starts a check. Understanding may say it outright (`Turn.act`); this reads the rest.
"""

from __future__ import annotations

from hipcoach.dialog.acts import Act
from hipcoach.dialog.answers import SINGLE_FINDING_INTENTS, carries_findings, findings_in
from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.state import Mode
from hipcoach.dialog.turn import Turn
from hipcoach.medical.knowledge import ANSWER_INTENTS, knowledge
from hipcoach.medical.level_order import level_order
from hipcoach.memory.episodes import NOTES, PROGRESS
from hipcoach.routines.player import Command
from hipcoach.speech.answers import catalogue

# Intent -> the player's command, while a routine plays.
COMMANDS: dict[str, Command] = {
    "AMAZON.NextIntent": Command.NEXT,
    "AMAZON.PreviousIntent": Command.PREVIOUS,
    "AMAZON.RepeatIntent": Command.REPEAT,
    "SkipIntent": Command.SKIP,
    "AMAZON.PauseIntent": Command.PAUSE,
    "AMAZON.ResumeIntent": Command.RESUME,
    "TimeLeftIntent": Command.TIME_LEFT,
    "HealingTimeIntent": Command.TIME_LEFT,  # "how long will it take", said during a routine
    "DurationIntent": Command.PAUSE,  # "a minute please", "give me two minutes": a routine waits
    "AMAZON.StopIntent": Command.STOP,
    "AMAZON.CancelIntent": Command.STOP,
    "FinishForTodayIntent": Command.STOP,  # "I'm done", "that's enough for today"
    "AMAZON.StartOverIntent": Command.START_OVER,  # the routine, not the hip check, while in one
    "ExerciseHowIntent": Command.DESCRIBE,  # "what am I supposed to be doing"
    "StretchHoldIntent": Command.DESCRIBE,  # "how long should I hold a stretch": this one's hold
    "WhatNextIntent": Command.PREVIEW,  # "what's next": named, not moved to
    "SlowerIntent": Command.SLOWER,
}

# A distance said right after "how far have your shoes gone?" is the shoes' count, whatever
# intent it was heard as ("about 600 kilometres" is never a run).
SHOE_DISTANCE_INTENTS = (
    "ShoeMilesIntent",
    "LogRunIntent",
    "NumberIntent",
    "MileageAdviceIntent",
    "PlanWeekIntent",
)
MEMORY_INTENTS = frozenset(
    {
        "LogRunIntent",
        "PlanWeekIntent",
        "NewShoesIntent",
        "ShoeMilesIntent",
        "ShoeWearIntent",
        "WhatDoYouKnowIntent",
    }
)
_FINDINGS_INTENTS = ("TellFindingsIntent", "AffirmFindingsIntent", "DenyFindingsIntent")
TOPIC_INTENT = "QuestionTopicIntent"  # a question around one topic anchor (questions.yaml)
TOPIC_SLOT = "anchor"  # its QuestionTopicType slot: the value id is the answer id
PREVENTION_INTENT, MILEAGE_INTENT = "PreventionIntent", "MileageAdviceIntent"


def has_shoe_distance(turn: Turn) -> bool:
    return turn.intent in SHOE_DISTANCE_INTENTS and (
        turn.number("distance") is not None or turn.number("number") is not None
    )


_WORSE_SINCE = frozenset({"worsening=true", "recurrent=true"})


def told_worsening(turn: Turn) -> bool | None:
    """Whether a follow-up answer said in the catalogue's words (a findings intent) tells that
    the pain is getting worse or a warning sign has appeared (True), that it is not getting worse
    (False), or neither (None)."""
    if turn.intent not in _FINDINGS_INTENTS:
        return None
    values = {slot.id for slot in turn.slots.values()}
    # worse, or a new warning sign ("it's started waking me up at night"): never read as better
    # told since the last check, the pain coming back ("it's flared up again") is worse too
    warning = {f"{flag}=true" for flag in knowledge().red_flags} | _WORSE_SINCE
    if values & warning:
        return True
    return False if "worsening=false" in values else None


def progress_beside(turn: Turn) -> bool:
    """Whether a follow-up answer told as findings also said how the hip is since the last
    check ("a lot worse, it hurts going up stairs now": its `progress` slot)."""
    return turn.intent in _FINDINGS_INTENTS and turn.slot_id("progress") in PROGRESS


def _notes_in(said: dict[str, object]) -> dict[str, bool]:
    return {key: True for key, finding in NOTES.items() if said.get(finding) is True}


def notes_said(turn: Turn) -> dict[str, bool]:
    """What the runner said of a professional having seen the hip or the sharp pain having
    settled, as the episode's note keys (`hipcoach.memory.episodes.NOTES`), when it is so."""
    return _notes_in(findings_in(turn, turn.today) if carries_findings(turn) else {})


def only_notes(turn: Turn) -> bool:
    """Whether the utterance says a note and no other finding ("I saw a physio yesterday"): news
    for the runner's history, not the start of a check."""
    said = findings_in(turn, turn.today) if carries_findings(turn) else {}
    return bool(_notes_in(said)) and set(said) <= set(NOTES.values())


def topic_answer_id(turn: Turn) -> str | None:
    """The answer id a QuestionTopicIntent's anchor resolves to, or None (another intent, no
    value, or a value that names no answer)."""
    if turn.intent != TOPIC_INTENT:
        return None
    answer_id = turn.slot_id(TOPIC_SLOT)
    return answer_id if answer_id in catalogue().answers else None


def is_question(turn: Turn) -> bool:
    """Whether the turn asks a question the skill has an answer for."""
    if turn.intent in (PREVENTION_INTENT, MILEAGE_INTENT):
        return True
    return turn.intent in catalogue().by_intent or topic_answer_id(turn) is not None


def new_after_result(turn: Turn, conversation: Conversation) -> dict[str, object]:
    """After a result, the findings an utterance tells that the finished check did not know."""
    state = conversation.interview
    if not conversation.is_in(Mode.RESULT, Mode.OFFER) or state is None:
        return {}
    said = findings_in(turn, turn.today)
    return {name: value for name, value in said.items() if name not in state.findings}


_BUILT_INS = {
    "AMAZON.StopIntent": Act.STOPPED,
    "AMAZON.CancelIntent": Act.STOPPED,
    "AMAZON.NavigateHomeIntent": Act.STOPPED,
    "FinishForTodayIntent": Act.STOPPED,
    "AMAZON.HelpIntent": Act.HELP,
    "AMAZON.RepeatIntent": Act.REPEAT,
    "AMAZON.StartOverIntent": Act.START_OVER,
    "WhyIntent": Act.WHY,
    "AMAZON.YesIntent": Act.YES,
    "AMAZON.NoIntent": Act.NO,
    "TellMeMoreIntent": Act.MORE,
    "StartCheckIntent": Act.START_CHECK,
    "StartRoutineIntent": Act.START_ROUTINE,
    "ResumeRoutineIntent": Act.RESUME_ROUTINE,
    "AMAZON.ResumeIntent": Act.CARRY_ON,
    "AMAZON.PauseIntent": Act.HOLD,  # in a routine, the player's pause (COMMANDS)
    "ProgressIntent": Act.PROGRESS,
    "DeleteDataIntent": Act.DELETE,
    "AMAZON.FallbackIntent": Act.NOT_UNDERSTOOD,
    "RoutinePainIntent": Act.HURTS,
}
# Intents of other areas that, said mid-check, are read against the pending question (a number
# with a unit at the shoe question is not a run to log).
_ALSO_ANSWERS = frozenset(
    {"StartCheckIntent", "AMAZON.FallbackIntent", "PlanWeekIntent", "NewShoesIntent"}
)


# Modes that read a warning sign against what they wait for: the check records it as an answer,
# after a result only what the told check did not know is news, a routine stops for it.
_OWN_RED_FLAG_READING = (Mode.INTERVIEW, Mode.RESULT, Mode.OFFER, Mode.ROUTINE)
# Modes that wait for one kind of answer and have no reading of findings of their own: findings
# said there start a check, as at the menu.
_LIKE_THE_MENU = (Mode.IDLE, Mode.SHOE_QUESTION, Mode.RESUME_OFFER, Mode.CONFIRM_DELETE)


def _red_flag(findings: dict[str, object]) -> bool:
    return any(findings.get(flag) is True for flag in knowledge().red_flags)


def _interrupts(turn: Turn) -> bool:
    """Whether what was said carries warning signs that alone, by the rules, set a level acted on
    at once (content/level_order.yaml `interrupts`), whatever the skill was waiting for."""
    said: dict[str, object] = {}
    if carries_findings(turn) or turn.intent in SINGLE_FINDING_INTENTS:
        said = findings_in(turn, turn.today)
    said = said or dict(turn.said)  # (a progress word's or a question's reading keeps them here)
    if not _red_flag(said):
        return False
    from hipcoach.medical.triage import level_of  # the rules engine: only for a warning sign

    return level_of(said) in level_order().interrupts


def interrupts_here(turn: Turn, conversation: Conversation) -> bool:
    """Whether a warning sign said on this turn is acted on at once here, as for any intent: in
    the modes that read warning signs against what they wait for, they do it themselves."""
    return not conversation.is_in(*_OWN_RED_FLAG_READING) and _interrupts(turn)


def _findings_act(turn: Turn, conversation: Conversation) -> Act | None:
    """Findings said outside a question: volunteered, or a red flag; None when the utterance
    carries none the conversation can use."""
    if not (carries_findings(turn) or turn.intent in SINGLE_FINDING_INTENTS):
        return None
    said = findings_in(turn, turn.today)
    if conversation.is_in(Mode.IDLE, Mode.FOLLOWUP) and only_notes(turn):
        return Act.PROGRESS  # kept in the history with today's date (memory.followup)
    if conversation.is_in(*_LIKE_THE_MENU):
        return Act.RED_FLAG if _red_flag(said) else Act.VOLUNTEERED
    if conversation.is_in(Mode.RESULT, Mode.OFFER):
        new = new_after_result(turn, conversation)
        if new and only_notes(turn):
            return Act.PROGRESS
        if new:
            return Act.RED_FLAG if _red_flag(new) else Act.VOLUNTEERED
        return None
    if conversation.is_in(Mode.ROUTINE) and _red_flag(said):
        return Act.RED_FLAG
    if conversation.is_in(Mode.ROUTINE):
        from hipcoach.dialog import decisions  # the rules engine: loaded when a routine needs it

        # pain now or a warning sign ("ow, that hurts", "ouch, that's really sore", "it's
        # clicking") stops the routine, as the care plan's rules say; "it feels stiff" does not
        return Act.HURTS if decisions.stops_routine(turn, said) else None
    return None


def _pending_takes(conversation: Conversation, intent: str) -> bool:
    """Whether the pending question names `intent` among its answers (content/questions.yaml)."""
    question = knowledge().questions.get(conversation.asking or "")
    return question is not None and any(answer.intent == intent for answer in question.answers)


def act_of_intent(turn: Turn, conversation: Conversation, intent: str) -> Act:
    """What the runner did with an intent, read against what the conversation waits for."""
    mode = conversation.mode
    if not conversation.is_in(*_OWN_RED_FLAG_READING) and _interrupts(turn):
        # "is it any better?" answered with a fever and a swollen hip is an emergency, told now;
        # so is a warning sign said beside a progress word or a question ("it's worse and now I
        # can't put weight on it", "a bit better but I've got a fever now"), whatever the rest
        # was read as (a milder one is the follow-up's "worse")
        return Act.RED_FLAG
    if mode is Mode.INTERVIEW and (
        intent in ANSWER_INTENTS or intent in _ALSO_ANSWERS or _pending_takes(conversation, intent)
    ):
        return Act.ANSWERED
    if mode is Mode.ROUTINE and intent in COMMANDS:
        return Act.NAVIGATE
    if mode is Mode.SHOE_QUESTION and has_shoe_distance(turn):
        return Act.ANSWERED
    if mode is Mode.FOLLOWUP and (
        intent in ("AMAZON.YesIntent", "AMAZON.NoIntent")
        or told_worsening(turn) is not None
        or notes_said(turn)
        or progress_beside(turn)
    ):
        return Act.ANSWERED
    if intent in MEMORY_INTENTS:
        return Act.MEMORY
    findings = _findings_act(turn, conversation)
    if findings is not None:
        return findings
    if intent in _BUILT_INS:
        return _BUILT_INS[intent]
    if is_question(turn):
        return Act.ASKED
    return Act.NOT_UNDERSTOOD
