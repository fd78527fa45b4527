"""The check stopped mid-way (a draft in the runner's record, for that day only) and the profile
a first launch writes: light, so a launch reads them without loading the rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hipcoach.dialog.turn import Turn

if TYPE_CHECKING:
    from hipcoach.dialog.interview import InterviewState

DRAFT_KEY, PROFILE_KEY = "interview_draft", "profile"


def save(turn: Turn, state: InterviewState) -> None:
    draft = {"date": turn.today.isoformat(), "state": state.to_attributes()}
    turn.records.update(lambda record: {**record, DRAFT_KEY: draft})


def _without_draft(record: dict[str, Any]) -> dict[str, Any] | None:
    if DRAFT_KEY not in record:
        return None
    return {key: value for key, value in record.items() if key != DRAFT_KEY}


def forget(turn: Turn) -> None:
    turn.records.update(_without_draft)


def drop_stale(turn: Turn) -> dict[str, Any] | None:
    """On launch: the record, with a draft from an earlier day dropped."""
    record = turn.records.load()
    draft = record.get(DRAFT_KEY) if record else None
    if draft is not None and (
        not isinstance(draft, dict) or draft.get("date") != turn.today.isoformat()
    ):
        forget(turn)
        record = turn.records.load()
    return record
