"""The dialog's side of memory: running a memory action on the runner's record, keeping a finished
check, and the follow-up asked on launch.

Every write is a pure change (record -> new record) applied with `RecordAccess.update`, and the
reply is computed from the record it produced, so a conditional write may re-apply it to a
fresher record. Dates come only from the turn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hipcoach.dialog.conversation import Conversation
from hipcoach.dialog.state import Mode
from hipcoach.dialog.turn import Turn
from hipcoach.memory import actions
from hipcoach.memory.episodes import highest_told, needs_followup, validate_episode
from hipcoach.memory.phrases import followup_question
from hipcoach.memory.shoes import validate_shoes
from hipcoach.speech.reply import Reply, say

# A memory request: what it does to the record and what is said back.
Act = Callable[[Turn, dict[str, Any]], actions.Answer]


def anything_else(turn: Turn, text: str) -> Reply:
    follow = turn.texts.get("memory.anything_else")
    return say([text, follow], follow)


def apply(turn: Turn, record: dict[str, Any], answer: actions.Answer) -> str:
    """Apply an answer's change (if any) and say its reply from the resulting record."""
    if answer.change is None:
        return answer.say(record)
    result = turn.records.update(answer.change)
    if not result.saved or result.record is None:
        return turn.texts.get("memory.unavailable")
    return answer.say(result.record)


def said_back(turn: Turn, act: Act) -> str:
    """Run one memory action on the record and say what it did, without leaving where the
    conversation is (a shoe count said in the middle of a check)."""
    record = turn.records.load()
    if record is None:
        return turn.texts.get("memory.unavailable")
    return apply(turn, record, act(turn, record))


def run(turn: Turn, conversation: Conversation, act: Act, *, asks_shoes: bool = False) -> Reply:
    """Load the record, run one memory action, apply its change, answer. `asks_shoes`: the answer
    asks how far the shoes have gone when none are on record (the next distance is theirs)."""
    texts = turn.texts
    record = turn.records.load()
    conversation.enter(Mode.IDLE)
    if record is None:
        return anything_else(turn, texts.get("memory.unavailable"))
    text = apply(turn, record, act(turn, record))
    if asks_shoes and validate_shoes(record.get("shoes")) is None:
        conversation.enter(Mode.SHOE_QUESTION)
        return say([text], texts.get("memory.shoes_ask_distance"))
    return anything_else(turn, text)


def shoe_wear(turn: Turn, record: dict[str, Any]) -> actions.Answer:
    return actions.shoe_wear(record, turn.texts, turn.locale, turn.today)


def knows_the_shoes(turn: Turn) -> bool:
    """Whether the runner's own shoes are on record (their count answers a shoe question)."""
    record = turn.records.load()
    return record is not None and validate_shoes(record.get("shoes")) is not None


def record_episode(
    turn: Turn,
    findings: dict[str, Any],
    triage_level: str,
    leading_condition: str | None,
    drop: tuple[str, ...] = (),
    in_force: str | None = None,
    reasons: tuple[str, ...] = (),
) -> tuple[bool, str]:
    """Keep the minimum to follow up a finished check (and drop the keys in `drop`, in the same
    write). Returns whether it was kept, and the note saying what is kept and how to delete it
    (after repeated checks, also that pain which keeps coming back should be seen). `in_force`:
    the level in force told with the check, kept when above the check's own."""

    def change(record: dict[str, Any]) -> dict[str, Any]:
        kept = {key: value for key, value in record.items() if key not in drop}
        return actions.record_check(
            kept, findings, triage_level, leading_condition, turn.today, in_force, reasons
        )

    texts = turn.texts
    result = turn.records.update(change)
    if not result.saved or result.record is None:
        return False, texts.get("memory.episode_not_kept")
    parts = [texts.get("memory.episode_kept")]
    if actions.is_recurrent(result.record, turn.today):
        parts.append(texts.get("memory.recurrent_note"))
    return True, " ".join(parts)


def followup_prompt(turn: Turn, conversation: Conversation) -> str | None:
    """On launch: the follow-up question for a recent open episode (and mode `followup`)."""
    record = turn.records.load()
    if record is None:
        return None
    episode = validate_episode(record.get("episode"))
    if episode is None or not needs_followup(episode, turn.today):
        return None
    conversation.enter(Mode.FOLLOWUP)
    question = followup_question(turn.texts, episode)
    reminder = in_force_reminder(turn, conversation)
    return question if reminder is None else f"{reminder} {question}"


# content/speech/memory.yaml: `followup_in_force_<level>` for each level that stands until a
# doctor has seen the hip; a level without one needs no reminder.
_REMINDER = "memory.followup_in_force_{level}"


def in_force_reminder(turn: Turn, conversation: Conversation) -> str | None:
    """What the level in force still asks of the runner ("call 911 if no doctor has seen it"),
    when the care plan keeps one of the levels content reminds of; None otherwise. The rules run
    only when a contact of the stored episode was told such a level (the check, or the plan
    after a follow-up that raised it, kept with that follow-up): a launch after a self-care
    check stays as light as a launch with nothing stored."""
    record = turn.records.load()
    episode = validate_episode(record.get("episode")) if record is not None else None
    if episode is None or episode["status"] != "open":
        return None
    if not turn.texts.has(_REMINDER.format(level=highest_told(episode))):
        return None
    from hipcoach.dialog import decisions  # the rules engine: only for a level that stands
    from hipcoach.speech.locales import policy

    level = decisions.todays_plan(turn, conversation).level
    key = _REMINDER.format(level=level)
    if not turn.texts.has(key):
        return None  # a doctor has seen it since: the plan no longer keeps that level
    local = policy(turn.texts.locale)
    return turn.texts.get(key, emergency_number=local.emergency_number)
