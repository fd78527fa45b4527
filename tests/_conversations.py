"""Conversations across days through the chat console (local NLU, real envelopes, the one skill
object, a real SQLite file): a small vocabulary to write them and to count what was understood.

A conversation is a list of `Day`s; each day is a fresh console session (`--user`, `--date`)
with `Turn`s: what the runner says, the intent it must be understood as, and optionally the
content key the reply must be built from (the console's `said` keys; with `values`, those
placeholders must read exactly so in the words), a key it must not use, and the dialog mode
after the turn. `Check` seeds a finished hip check on a day (the
interview is another area's; memory only needs the record it leaves), and `stored` predicates
look at the persistent record afterwards.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from _memory_harness import envelope_for, key_pattern

from hipcoach.memory import actions
from hipcoach.persistence.sqlite import SQLitePersistenceAdapter
from hipcoach.speech.texts import Texts
from hipcoach.standin.chat import USER_PREFIX, Console

# The calendar the conversations across days are dated on, and what every runner says first.
W47_MON, W47_TUE, W47_THU, W47_SUN = "2026-11-16", "2026-11-17", "2026-11-19", "2026-11-22"
W48_MON, W48_TUE, W48_WED, W48_FRI = "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-27"
W49_MON = "2026-11-30"
LAUNCH = "open hip coach"
KM_PER_MILE = 1.609344


def weeks(record: dict) -> dict:
    """The stored training log's weeks."""
    return record.get("training", {}).get("weeks", {})


def week_km(record: dict, key: str) -> float:
    """One stored week's total: its stated base and its runs."""
    rec = weeks(record).get(key) or {"base": 0, "runs": []}
    return rec["base"] + sum(run["km"] for run in rec["runs"])


@dataclass(frozen=True)
class Turn:
    say: str
    intent: str
    key: str | None = None  # a content key whose text the reply must contain
    not_key: str | None = None  # a content key whose text the reply must not contain
    mode: str | None = None  # the session's dialog mode after the turn ("ended": session over)
    values: dict[str, str] = field(default_factory=dict)  # placeholders that must match exactly


@dataclass(frozen=True)
class Check:
    """A hip check finished on this day, as the interview would leave it."""

    findings: dict[str, Any]
    level: str = "self_care"
    condition: str | None = None


@dataclass(frozen=True)
class Day:
    on: str
    turns: Sequence[Turn | Check]
    locale: str = "en-US"


@dataclass(frozen=True)
class Conversation:
    name: str
    days: Sequence[Day]
    stored: Callable[[dict[str, Any]], bool] | None = None  # on the record at the end


@dataclass
class Tally:
    turns: int = 0
    understood: int = 0
    misses: list[str] = field(default_factory=list)


def stored_record(db: Path, user: str) -> dict[str, Any]:
    adapter = SQLitePersistenceAdapter(db)
    return adapter.get_attributes(envelope_for(f"{USER_PREFIX}{user}"))


def _seed_check(db: Path, user: str, day: date, check: Check) -> None:
    adapter = SQLitePersistenceAdapter(db)
    envelope = envelope_for(f"{USER_PREFIX}{user}")
    record = adapter.get_attributes(envelope)
    updated = actions.record_check(record, check.findings, check.level, check.condition, day)
    adapter.save_attributes(envelope, updated)


def _mode(console: Console) -> str:
    session = console.conversation.session
    if session is None:
        return "ended"
    return str(session.attributes.get("mode", "idle"))


def run(conversation: Conversation, db: Path, user: str, tally: Tally) -> list[str]:
    """Play a conversation; returns the problems found (empty when every turn was right)."""
    problems: list[str] = []
    for day in conversation.days:
        args = argparse.Namespace(
            locale=day.locale, user=user, apl=False, endpoint=None, date=day.on
        )
        console = Console(args)
        texts = Texts(day.locale)
        for step in day.turns:
            if isinstance(step, Check):
                _seed_check(db, user, date.fromisoformat(day.on), step)
                continue
            record = console.turn_record(step.say)
            tally.turns += 1
            where = f"{conversation.name} {day.on} {step.say!r}"
            wrong: list[str] = []
            if record["intent"] != step.intent:
                wrong.append(f"heard as {record['intent']}, not {step.intent}")
            said = record.get("said") or []  # the text keys the reply was built from
            if step.key and step.key not in said:
                wrong.append(f"reply lacks {step.key}: {said}")
            elif (
                step.key
                and step.values
                and not key_pattern(texts, step.key, step.values).search(record["speech"])
            ):
                wrong.append(f"{step.key} without {step.values}: {record['speech'][:160]!r}")
            if step.not_key and step.not_key in said:
                wrong.append(f"reply says {step.not_key}")
            if step.mode and _mode(console) != step.mode:
                wrong.append(f"mode {_mode(console)}, not {step.mode}")
            if wrong:
                tally.misses.append(where)
                problems += [f"{where}: {w}" for w in wrong]
            else:
                tally.understood += 1
    if conversation.stored and not conversation.stored(stored_record(db, user)):
        problems.append(f"{conversation.name}: the stored record is not as expected")
    return problems
