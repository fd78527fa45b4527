"""The routine's records as plain dicts: in the session and in the persistent attributes.

Session `routine`: {"id", "exercise", "side", "set", "paused"}, plus `"slow": true` once the runner
asked to go slower and `"came_from": {"exercise", "side", "set"}`, the step "go back" returns to.
Persistent `routine`: {"id", "exercise", "side", "set", "saved_on": "YYYY-MM-DD"}, plus
`"declined": true` once the runner said no to picking it up at a launch (not offered again).
Reading validates against the shipped routines: tampered, stale or foreign data reads as None.
DynamoDB hands numbers back as Decimal; whole numbers of any numeric type are accepted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from hipcoach.routines.loader import get_routine
from hipcoach.routines.model import Side, Step
from hipcoach.routines.player import PlayerState, Position, is_valid


@dataclass(frozen=True)
class Saved:
    position: Position
    saved_on: date
    declined: bool = False


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return None  # inf and nan: int() would raise
    if isinstance(value, Decimal) and not value.is_finite():
        return None
    if isinstance(value, Decimal | float) and value == int(value):
        return int(value)
    return None


def _position(data: Any) -> Position | None:
    if not isinstance(data, Mapping):
        return None
    routine_id = data.get("id")
    routine = get_routine(routine_id) if isinstance(routine_id, str) else None
    exercise, set_number, side = (
        _whole(data.get("exercise")),
        _whole(data.get("set")),
        data.get("side"),
    )
    if routine is None or exercise is None or set_number is None:
        return None
    if side is not None and (not isinstance(side, str) or side not in {s.value for s in Side}):
        return None
    position = Position(routine.id, exercise, Side(side) if side else None, set_number)
    return position if is_valid(routine, position) else None


def _position_dict(position: Position) -> dict[str, Any]:
    side = position.side.value if position.side else None
    return {
        "id": position.routine_id,
        "exercise": position.exercise,
        "side": side,
        "set": position.set,
    }


def session_record(state: PlayerState) -> dict[str, Any]:
    """The session's record; `slow` and `came_from` only when set (the record stays small)."""
    record = {**_position_dict(state.position), "paused": state.paused}
    if state.slow:
        record["slow"] = True
    step = state.came_from
    if step is not None:
        side = step.side.value if step.side else None
        record["came_from"] = {"exercise": step.exercise, "side": side, "set": step.set}
    return record


def _came_from(data: Any, position: Position) -> Step | None:
    """The step "go back" returns to, if it is one of the same routine's."""
    if not isinstance(data, Mapping):
        return None
    earlier = _position({**data, "id": position.routine_id, "side": data.get("side")})
    return earlier.step if earlier is not None else None


def read_session(data: Any) -> PlayerState | None:
    position = _position(data)
    if position is None:
        return None
    return PlayerState(
        position,
        paused=data.get("paused") is True,
        slow=data.get("slow") is True,
        came_from=_came_from(data.get("came_from"), position),
    )


def saved_record(position: Position, today: date) -> dict[str, Any]:
    return {**_position_dict(position), "saved_on": today.isoformat()}


def read_saved(data: Any) -> Saved | None:
    position = _position(data)
    if position is None or not isinstance(data.get("saved_on"), str):
        return None
    try:
        saved_on = date.fromisoformat(data["saved_on"])
    except ValueError:
        return None
    return Saved(position, saved_on, declined=data.get("declined") is True)


def declined_record(data: Mapping[str, Any]) -> dict[str, Any]:
    """A saved position marked as declined at a launch (a new dict)."""
    return {**data, "declined": True}
