"""Replaying tests/corpora/journeys_everyday.yaml: journeys across days, after a result at each
level, in the words a runner uses, judged on what a runner hears (not on content keys) and on
`hipcoach plan` for the stored runner on each day.

Each later-day turn is right when every expectation of the corpus holds (see the corpus header);
every reply also keeps the microphone open exactly when it asks a question. A day-1 check is
seeded as the interview leaves it (`hipcoach.memory.actions.record_check` with the rules' level,
leading cause and the level in force), or spoken.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from _conversations import stored_record
from _memory_harness import envelope_for
from _paths import CORPORA

from hipcoach.medical.care_plan import care_plan
from hipcoach.memory import actions
from hipcoach.persistence.sqlite import SQLitePersistenceAdapter
from hipcoach.speech.locales import policy
from hipcoach.standin.chat import USER_PREFIX, Console
from hipcoach.tools import plan_cli

CORPUS = CORPORA / "journeys_everyday.yaml"
DAY1 = date(2026, 11, 16)  # a Monday
LAUNCH = "open hip coach"

# What a runner hears, as patterns (case-insensitive).
ALL_CLEAR = r"keep the runs easy|closed that note|easy, shorter run is fine|build your running back"
PROFESSIONAL = r"physical therapist|physio|\bGP\b|doctor|professional"
RUN_NO = r"\b(no|not yet|not until|don't run|no running|do not run|shouldn't run|rest)\b"
RUN_WHY = r"rest|cross-train|doctor|physio|\bGP\b|professional|emergency|until|pain"
RUN_PRO = r"professional who saw|their advice|they (said|say|told)|ask(ed)? them"
REFUSED = r"won't start|not now|can't start|no exercises|not start"
INSTEAD = (
    r"instead|stretch|until|doctor|physio|\bGP\b|professional|they gave you|rest|see (one|a)|call"
)


def _has(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.IGNORECASE) is not None


def _asks(text: str) -> bool:
    """Whether the reply ends on a question (its last sentence)."""
    return text.rstrip().endswith("?")


def keeps(level: str, locale: str, text: str) -> list[str]:
    """What is missing for the reply to say `level` is still in force."""
    wrong = []
    if _has(ALL_CLEAR, text):
        wrong.append("sounds like an all-clear")
    if level == "emergency":
        number = policy(locale).emergency_number
        if number not in text:
            wrong.append(f"no {number}")
    elif level == "urgent":
        if not (_has(r"doctor", text) and _has(r"24 hours|today|within a day", text)):
            wrong.append("no doctor within a day")
    elif level == "see_professional" and not _has(PROFESSIONAL, text):
        wrong.append("no professional named")
    return wrong


def judge(expect: dict[str, Any], locale: str, record: dict[str, Any]) -> list[str]:
    """What is wrong with one reply."""
    text = record["speech"]
    wrong: list[str] = []
    if record["end_session"] == _asks(text):
        wrong.append("microphone " + ("closed after a question" if _asks(text) else "left open"))
    if "keeps" in expect:
        wrong += keeps(expect["keeps"], locale, text)
    if expect.get("defers"):
        number = policy(locale).emergency_number
        if f"call {number}" in text.lower() or not _has(PROFESSIONAL, text):
            wrong.append("does not defer to the professional who saw it")
        if _has(r"within 24 hours", text):
            wrong.append("keeps the urgent level after a doctor")
    run = expect.get("run")
    if run == "no" and not (_has(RUN_NO, text) and _has(RUN_WHY, text)):
        wrong.append("no refusal to run with why or what instead")
    if run == "no" and _has(r"\b(yes|sure|go ahead|fine to run)\b", text):
        wrong.append("says yes to running")
    if run == "easy" and not (_has(r"easy", text) and _has(r"hurt|pain", text)):
        wrong.append("not easy-if-pain-free")
    if run == "pro" and not _has(RUN_PRO, text):
        wrong.append("running does not defer to the professional")
    routine = expect.get("routine")
    if routine == "start" and record.get("mode") != "routine":
        wrong.append(f"routine not started: {text[:100]!r}")
    if routine == "refuse":
        if record.get("mode") == "routine":
            wrong.append("routine started")
        elif not (_has(REFUSED, text) and _has(INSTEAD, text)):
            wrong.append("refusal without why and what instead")
    if expect.get("answer") and record["intent"] in ("StartCheckIntent", "TellFindingsIntent"):
        wrong.append(f"question read as {record['intent']}")
    if expect.get("answer") and record.get("mode") == "interview":
        wrong.append("question started a check")
    return wrong


@dataclass
class Figures:
    turns: int = 0
    right: int = 0
    plans: int = 0
    plans_right: int = 0
    problems: list[str] = field(default_factory=list)


def _seed(db: Path, user: str, findings: dict[str, Any]) -> tuple[str, str | None]:
    plan = care_plan(findings, None, DAY1)
    adapter = SQLitePersistenceAdapter(db)
    envelope = envelope_for(f"{USER_PREFIX}{user}")
    record = adapter.get_attributes(envelope)
    level = plan.check_level or plan.level
    record = actions.record_check(record, findings, level, plan.leader, DAY1, plan.level)
    record["profile"] = {"first_seen": DAY1.isoformat()}
    adapter.save_attributes(envelope, record)
    return plan.level, plan.leader


def _console(locale: str, user: str, day: date) -> Console:
    args = argparse.Namespace(
        locale=locale, user=user, apl=False, endpoint=None, date=day.isoformat()
    )
    return Console(args)


def _turn(console: Console, words: str) -> dict[str, Any]:
    record = console.turn_record(words)
    session = console.conversation.session
    record["mode"] = None if session is None else session.attributes.get("mode")
    return record


def _plan(db: Path, user: str, day: date, locale: str) -> dict[str, Any]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = plan_cli.main(
            [
                "--user",
                f"{USER_PREFIX}{user}",
                "--date",
                day.isoformat(),
                "--db",
                str(db),
                "--locale",
                locale,
            ]
        )
    if status != 0:
        return {}
    return dict(json.loads(out.getvalue())["plan"])


RUNNING = {
    "no": ("no_running_", "rest_until"),
    "easy": ("run_easy",),
    "pro": ("run_as_professional",),
}


def play(journey: dict[str, Any], db: Path, user: str, figures: Figures) -> None:
    """Play one journey, adding its figures and problems."""
    locale = journey["locale"]
    name = journey["name"]
    if "check" in journey:
        level, _ = _seed(db, user, journey["check"])
        if level != journey["level"]:
            figures.problems.append(f"{name}: the check's level is {level}, not {journey['level']}")
    else:
        console = _console(locale, user, DAY1)
        for words in journey["say"]:
            _turn(console, words)
        stored = stored_record(db, user).get("episode") or {}
        told = stored.get("in_force") or stored.get("triage")
        if told != journey["level"]:
            figures.problems.append(f"{name}: day 1 stored {told}, not {journey['level']}")
    for day_spec in journey["days"]:
        day = DAY1 + timedelta(days=day_spec["day"] - 1)
        console = _console(locale, user, day)
        steps = [(LAUNCH, day_spec.get("launch", {}))]
        steps += [(t["say"], t.get("expect", {})) for t in day_spec.get("turns", [])]
        for words, expect in steps:
            record = _turn(console, words)
            figures.turns += 1
            wrong = judge(expect, locale, record)
            if wrong:
                figures.problems.append(
                    f"{name} day {day_spec['day']} {words!r}: {'; '.join(wrong)}"
                    f" -- {record['speech'][:300]!r}"
                )
            else:
                figures.right += 1
        if "plan" in day_spec:
            figures.plans += 1
            want = day_spec["plan"]
            plan = _plan(db, user, day, locale)
            running = str(plan.get("running", ""))
            wrong_plan = []
            if plan.get("level_in_force") != want["level"]:
                wrong_plan.append(f"level {plan.get('level_in_force')}, not {want['level']}")
            if not running.startswith(RUNNING[want["running"]]):
                wrong_plan.append(f"running {running}, not {want['running']}")
            if wrong_plan:
                figures.problems.append(f"{name} day {day_spec['day']} plan: {wrong_plan}")
            else:
                figures.plans_right += 1


def journeys() -> list[dict[str, Any]]:
    return list(yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["journeys"])
