"""Replaying a corpus of conversations written in everyday words (tests/corpora/policy23b_*,
policy25_*): each conversation's setup (what happened before, named in the corpus), then its days,
turn by turn through the chat console (the local stand-in: routing and slot filling, real
envelopes, the one skill object, a real SQLite file). The expectations a scored turn may hold are
described in the corpora's headers; every scored turn is held to "the microphone stays open only
after a question".
"""

from __future__ import annotations

import argparse
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from _conversations import stored_record

from hipcoach import app
from hipcoach.medical.care_plan import care_plan
from hipcoach.medical.knowledge import knowledge
from hipcoach.medical.level_order import level_order
from hipcoach.memory.episodes import history_of
from hipcoach.standin.chat import Console

USER = "runner"


def load(corpus: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(corpus.read_text(encoding="utf-8"))
    return loaded


@dataclass
class Outcome:
    name: str
    setup_ok: bool = True
    scored: int = 0
    failures: list[str] = field(default_factory=list)


def _console(locale: str, day: str) -> Console:
    args = argparse.Namespace(locale=locale, user=USER, apl=False, endpoint=None, date=day)
    return Console(args)


def _level(db: Path, day: str) -> str:
    return care_plan({}, history_of(stored_record(db, USER)), date.fromisoformat(day)).level


def _rank(level: str) -> int:
    return level_order().rank(level)


def _said(reply: dict[str, Any]) -> list[str]:
    return list(reply.get("said") or [])


def _has_key(said: list[str], wanted: list[str]) -> bool:
    return any(
        key.startswith(want) if want.endswith((".", "_")) else key == want
        for key in said
        for want in wanted
    )


def _mic_ok(reply: dict[str, Any]) -> bool:
    """The microphone stays open only after a question."""
    return reply["end_session"] or reply["speech"].rstrip().endswith("?")


def _check_questions() -> set[str]:
    return set(knowledge().questions)


def _starts_check(before: dict[str, Any] | None, reply: dict[str, Any]) -> bool:
    asking = reply.get("asking")
    if asking is None or asking not in _check_questions():
        return False
    return before is None or before.get("asking") is None


def _check_turn(
    expect: dict[str, Any], before: dict[str, Any] | None, reply: dict[str, Any], db: Path, day: str
) -> list[str]:
    failures = []
    said, speech = _said(reply), reply["speech"].lower()
    if expect.get("no_check") and _starts_check(before, reply):
        failures.append(f"started a check (asking {reply['asking']})")
    if expect.get("no_result") and reply.get("result"):
        failures.append(f"told a result {reply['result']}")
    if expect.get("same_question"):
        pending = before.get("asking") if before else None
        if reply.get("asking") != pending:
            failures.append(f"pending question {pending} not asked again (now {reply['asking']})")
        elif (before or {}).get("findings") != reply.get("findings"):
            failures.append("recorded something")
    wanted = expect.get("said_any", [])
    for group in wanted if wanted and isinstance(wanted[0], list) else [wanted] if wanted else []:
        if not _has_key(said, group):
            failures.append(f"none of {group} said")
    if "said_none" in expect and _has_key(said, expect["said_none"]):
        failures.append(f"said one of {expect['said_none']}")
    if "says_any" in expect and not any(w.lower() in speech for w in expect["says_any"]):
        failures.append(f"none of {expect['says_any']} in the speech")
    if "says_none" in expect and any(w.lower() in speech for w in expect["says_none"]):
        failures.append(f"one of {expect['says_none']} in the speech")
    if "level_at_least" in expect or "level_is" in expect:
        level = _level(db, day)
        floor = expect.get("level_at_least") or expect["level_is"]
        if _rank(level) < _rank(floor):
            failures.append(f"level in force {level} below {floor}")
        if "level_is" in expect and level != expect["level_is"]:
            failures.append(f"level in force {level}, not {expect['level_is']}")
    if not _mic_ok(reply):
        failures.append("microphone open without a question")
    return failures


def _reached(reach: str, reply: dict[str, Any], db: Path, day: str) -> bool:
    said = _said(reply)
    if reach == "interview":
        return reply.get("asking") is not None
    if reach == "routine_stopped":
        return "care_plan.routine_stopped" in said
    if reach == "routine":  # a routine plays: its first exercise told
        return "routine.exercise_intro" in said
    if reach == "menu":  # nothing pending: the menu's question asked
        return reply.get("asking") is None and not reply.get("end_session")
    told = bool(reply.get("result"))
    if reach == "result" or not told:
        return told
    return _rank(_level(db, day)) >= _rank(reach)


def _set_up(console: Console, setup: dict[str, Any], db: Path, day: str) -> tuple[bool, Any]:
    """Say the setup's words, then answer its questions until its state is reached."""
    reply: dict[str, Any] = {}
    for words in setup["say"]:
        reply = console.turn_record(words)
    for _ in range(30):
        if _reached(setup["reach"], reply, db, day) or "otherwise" not in setup:
            break
        if reply.get("end_session"):
            break
        words = setup.get("answers", {}).get(reply.get("asking"), setup["otherwise"])
        reply = console.turn_record(words)
    ok = _reached(setup["reach"], reply, db, day)
    then = [console.turn_record(words) for words in setup.get("then", [])]
    if then:
        reply = then[-1]
    if "then_reach" in setup:
        ok = ok and any(_reached(setup["then_reach"], r, db, day) for r in then)
    return ok, reply


def replay(conversation: dict[str, Any], setups: dict[str, Any], db: Path) -> Outcome:
    """One conversation on a fresh store: its setup, then its days."""
    app.default_skill.cache_clear()
    outcome = Outcome(conversation["name"])
    locale = conversation["locale"]
    setup = setups[conversation["setup"]]
    day = str(setup["date"])
    console = _console(locale, day)
    outcome.setup_ok, reply = _set_up(console, setup, db, day)
    before: dict[str, Any] | None = reply
    for spec in conversation["days"]:
        if "date" in spec and str(spec["date"]) != day:
            day = str(spec["date"])
            console = _console(locale, day)
            before = None
        for item in spec["say"]:
            words, expect = (item, None) if isinstance(item, str) else (item["say"], item["expect"])
            if before is not None and before.get("end_session"):
                console = _console(locale, day)
                before = None
            reply = console.turn_record(words)
            if expect is not None:
                outcome.scored += 1
                for failure in _check_turn(expect, before, reply, db, day):
                    outcome.failures.append(f"{words!r}: {failure} | {reply['speech'][:160]!r}")
            before = reply
    return outcome


def replay_all(path: Path) -> list[Outcome]:
    corpus = load(path)
    outcomes = []
    for conversation in corpus["conversations"]:
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "hip.db"
            os.environ["HIPCOACH_DB"] = str(db)
            outcomes.append(replay(conversation, corpus["setups"], db))
    app.default_skill.cache_clear()
    return outcomes


def report(outcomes: list[Outcome], modes: list[str]) -> None:
    """The figures: conversations right per mode, then each failure."""
    for mode in dict.fromkeys(modes):
        mine = [o for o, m in zip(outcomes, modes, strict=True) if m == mode]
        right = sum(1 for o in mine if o.setup_ok and not o.failures)
        print(f"{mode}: {right}/{len(mine)} right")
    turns = sum(o.scored for o in outcomes)
    failed_turns = sum(1 for o in outcomes for _ in o.failures)
    bad = [o for o in outcomes if o.failures or not o.setup_ok]
    for o in bad:
        print(f"FAIL {o.name}{'' if o.setup_ok else ' (setup not reached)'}")
        for failure in o.failures:
            print(f"    {failure}")
    print(
        f"{len(outcomes) - len(bad)}/{len(outcomes)} conversations right; "
        f"{turns} scored turns, {failed_turns} failures"
    )
