"""Plays an answers corpus (tests/corpora/<name>_answers.yaml: answers said to one interview
question each) through the chat console: each runner starts a check, answers the other questions
plainly until the answer's question is pending, then says the answer. Scores: understood (not the
skill's "didn't catch that", every expected finding recorded), wrong values (a finding recorded
other than the runner meant, or one that must not be), and emergencies told on the turn the red
flag was said. `python tests/_answer_corpus.py NAME [ids] [--extra]` prints the misses and figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from _paths import CORPORA

from hipcoach import app
from hipcoach.speech.texts import Texts
from hipcoach.standin.chat import Console

TODAY = "2026-12-01"
OPENING = ("open hip coach", "can you check my hip")
MAX_TURNS = 45
# Every other question: "not sure" (left unknown, so the interview goes on asking and no value
# said in the answer under test is recorded beforehand); the screens: no, but the concern screen's
# "not sure" asks its items one by one.
PLAIN = {
    "emergency_screen": "no",
    "urgent_screen": "no",
    "history_screen": "no",
    "cancer_history": "no",
    "steroid_use": "no",
    "leg_weakness": "no",
    "bladder_or_bowel_change": "no",
}
UNSURE = "not sure"
# When "not sure" ends the check before the question is asked: a runner with an outer-hip ache.
OUTER_HIP = {
    **PLAIN,
    "pain_location": "on the outside",
    "pain_radiates": "nowhere",
    "pain_timing": "after running",
    "onset": "gradually",
    "pain_days": "about a week",
    "shoe_miles": "two hundred",
    "mileage_increase_pct": "five",
    "intense_pain": "no",
}
FRONT_HIP = {**PLAIN, "pain_location": "at the front", "onset": "gradually"}
PROFILES = (
    (PLAIN, UNSURE),
    (OUTER_HIP, "no"),
    (OUTER_HIP, UNSURE),
    (FRONT_HIP, UNSURE),
    (FRONT_HIP, "yes"),
    (FRONT_HIP, "no"),
)


def cases(corpus: str) -> list[dict[str, Any]]:
    """The answers of tests/corpora/<corpus>_answers.yaml."""
    loaded: list[dict[str, Any]] = yaml.safe_load((CORPORA / f"{corpus}_answers.yaml").read_text())[
        "answers"
    ]
    return loaded


@dataclass
class Outcome:
    case: dict[str, Any]
    reached: bool = True
    understood: bool = False
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    emergency_told: bool | None = None
    reply: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # recorded beside what was expected


def _findings(console: Console) -> dict[str, Any]:
    session = console.conversation.session
    if session is None:
        return {}
    interview = session.attributes.get("interview")
    if not isinstance(interview, dict) or not isinstance(interview.get("findings"), dict):
        return {}
    return dict(interview["findings"])


def _matches(expected: Any, value: Any) -> bool:
    if not isinstance(expected, list):
        return bool(value == expected)
    if len(expected) == 2 and all(type(v) is int for v in expected):  # a [low, high] range
        low, high = expected
        return isinstance(value, int | float) and low <= value <= high
    return value in expected


def play(case: dict[str, Any], user: str) -> Outcome:
    """The first way of answering the other questions that reaches the answer's question."""
    outcome = Outcome(case, reached=False)
    for n, (answers, otherwise) in enumerate(PROFILES):
        outcome = _play(case, f"{user}-{n}", answers, otherwise)
        if outcome.reached:
            break
    return outcome


def _play(case: dict[str, Any], user: str, answers: dict[str, str], otherwise: str) -> Outcome:
    args = argparse.Namespace(
        locale=case["locale"], user=user, apl=False, endpoint=None, date=TODAY
    )
    console = Console(args)
    texts = Texts(case["locale"])
    sorry = texts.get("interview.not_understood")
    outcome = Outcome(case)
    target = case["at"]
    record: dict[str, Any] = {}
    for words in OPENING:
        record = console.turn_record(words)
    for _ in range(MAX_TURNS):
        asking = record.get("asking")
        if asking == target:
            break
        if asking is None or record.get("result") is not None or record.get("end_session"):
            outcome.reached = False
            outcome.reply = f"not reached: {record.get('speech', '')[:120]}"
            return outcome
        record = console.turn_record(answers.get(asking, otherwise))
    else:
        outcome.reached = False
        return outcome
    before = _findings(console)
    record = console.turn_record(case["say"])
    after = _findings(console)
    if not after and record.get("findings"):
        after = dict(record["findings"])
    outcome.reply = record["speech"][:160]
    expect = case.get("expect") or {}
    maybe = case.get("maybe") or {}
    outcome.extra = {
        name: value
        for name, value in after.items()
        if before.get(name) != value and name not in expect and name not in maybe
    }
    for name, wanted in expect.items():
        if name in before and after.get(name) == before[name] and not _matches(wanted, after[name]):
            continue  # answered earlier on the way to the question: a later aside never overwrites
        if name not in after:
            outcome.missed.append(name)
        elif not _matches(wanted, after[name]):
            outcome.wrong.append(f"{name}={after[name]!r} (meant {wanted!r})")
    for name, allowed in maybe.items():
        if name in after and name not in before and not _matches(allowed, after[name]):
            outcome.wrong.append(f"{name}={after[name]!r} (meant one of {allowed!r})")
    for name in case.get("not") or []:
        if name in after and after.get(name) != before.get(name):
            outcome.wrong.append(f"{name}={after[name]!r} recorded")
    heard = not record["speech"].startswith(sorry)  # the skill's "didn't catch that"
    outcome.understood = heard and not outcome.missed and not outcome.wrong
    if case.get("emergency"):
        result = record.get("result") or {}
        outcome.emergency_told = result.get("triage") == "emergency"
        outcome.understood = outcome.understood and outcome.emergency_told
    return outcome


def run_all(corpus: str, selected: list[dict[str, Any]] | None = None) -> list[Outcome]:
    app.default_skill.cache_clear()
    return [play(case, f"{corpus}-{case['id']}") for case in (selected or cases(corpus))]


def figures(outcomes: list[Outcome]) -> dict[str, Any]:
    reached = [o for o in outcomes if o.reached]
    flags = [o for o in reached if o.emergency_told is not None]
    return {
        "answers": len(outcomes),
        "reached": len(reached),
        "understood": sum(o.understood for o in reached),
        "not_understood_pct": round(
            100 * sum(not o.understood for o in reached) / max(1, len(reached)), 1
        ),
        "wrong_values": sum(len(o.wrong) for o in reached),
        "emergencies": len(flags),
        "emergencies_told_same_turn": sum(bool(o.emergency_told) for o in flags),
    }


def main(argv: list[str]) -> int:
    corpus, *ids = argv
    only = set(ids) - {"--extra"}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HIPCOACH_DB"] = str(Path(tmp) / f"{corpus}.db")
        selected = [c for c in cases(corpus) if not only or c["id"] in only]
        outcomes = run_all(corpus, selected)
    for o in outcomes:
        if not o.understood or not o.reached:
            print(
                f"{o.case['id']:5} {o.case['at']:22} {o.case['say']!r}\n"
                f"      wrong={o.wrong} missed={o.missed} reached={o.reached} "
                f"emergency={o.emergency_told}\n      -> {o.reply!r}"
            )
    if "--extra" in argv:
        for o in outcomes:
            if o.extra:
                print(f"extra {o.case['id']:5} {o.case['say']!r}: {o.extra}")
    print(figures(outcomes))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    raise SystemExit(main(sys.argv[1:]))
