"""Routine sessions in everyday words (tests/corpora/routine_sessions_r23.yaml) replayed through the
chat console: the share of routine steps right, read from what a runner hears (the speech, whether
the session stays open) as a blind tester reads it, plus the dialog mode to tell a routine left.

Run by hand for the table: `.venv/bin/python tests/conversations/test_routine_sessions_r23.py`.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from hipcoach import app
from hipcoach.standin.chat import Console

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "routine_sessions_r23.yaml"
DAY = "2026-12-07"
LAUNCH = "open hip coach"
# First run, before any change (main at 21c94b5): 20 of 98 steps right (20.4%); 71 of 98 (72.4%)
# with the microphone rule aside (open only after a question: most step endings were "say next").
# Sessions r16-r21, written after the first fixes and run once before any further change: 26 of 40.
TARGET = 0.95

SIDE = re.compile(r"\b(left|right) (leg|side)\b")
NUMBER = re.compile(r"\bexercise (\d+) of \d+")
SET = re.compile(r"\bset (\d+) of \d+")


def _norm(text: str | None) -> str:
    return (text or "").lower().replace("\u2019", "'")


def has(text: str, group: str) -> bool:
    """Any alternative of "a|b" occurs in `text`, starting at a word boundary."""
    return any(re.search(r"\b" + re.escape(alt.lower()), text) for alt in group.split("|") if alt)


def step_of(speech: str, vocabulary: list[str], current: str | None) -> str | None:
    """The step the speech plays ("exercise 2/left/set 1"), read as a listener would: the
    exercise's number or name, its side and set; the preview after "next up" is not the step."""
    text = speech.split("next up")[0]
    number, side, sets = NUMBER.search(text), SIDE.search(text), SET.search(text)
    if number:
        base: str | None = f"exercise {number.group(1)}"
    elif (side or sets) and current:
        base = current.split("/")[0]
    else:
        found = [(text.find(n.lower()), n) for n in vocabulary if re.search(r"\b" + n, text)]
        base = min(found)[1] if found else None
    if base is None:
        return None
    return "/".join(
        [base] + ([side.group(1)] if side else []) + ([f"set {sets.group(1)}"] if sets else [])
    )


def mic_ok(turn: dict[str, Any]) -> bool:
    """The microphone is open only after a question: the last sentence ends with "?"."""
    if turn.get("end_session") is not False:
        return True
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", (turn.get("speech") or "").strip()) if s]
    return bool(sentences) and sentences[-1].rstrip().endswith("?")


@dataclass
class Row:
    where: str
    say: str
    problems: list[str] = field(default_factory=list)
    speech: str = ""


def _mode(console: Console) -> str:
    session = console.conversation.session
    return "ended" if session is None else str(session.attributes.get("mode", "idle"))


def _expectations(turn: dict[str, Any], step: dict[str, Any], never: list[str]) -> list[str]:
    text = _norm(turn.get("speech"))
    problems = []
    if "ends" in step and bool(turn.get("end_session")) != step["ends"]:
        problems.append(f"end_session {turn.get('end_session')}, want {step['ends']}")
    problems += [f"lacks {g!r}" for g in step.get("must_contain", []) if not has(text, g)]
    problems += [f"says {g!r}" for g in step.get("must_not_contain", []) + never if has(text, g)]
    if not mic_ok(turn):
        problems.append("microphone open without a question")
    if turn.get("asking") and not step.get("check_ok"):
        problems.append(f"a check started (asking {turn['asking']})")
    return problems


def replay(corpus: dict[str, Any]) -> list[Row]:
    """Every session of the corpus, one row per step (the launches with expectations too)."""
    vocabulary = sorted(corpus["exercise_vocabulary"], key=len, reverse=True)
    never = corpus.get("never_say", [])
    rows: list[Row] = []
    last_step: dict[str, str | None] = {}  # per runner: the step current when they left
    for session in corpus["sessions"]:
        user = f"r23-{session.get('user', session['id'])}"
        args = argparse.Namespace(
            locale=session["locale"],
            user=user,
            apl=False,
            endpoint=None,
            date=session.get("date", DAY),
        )
        console = Console(args)
        launch = console.turn_record(LAUNCH)
        if "launch" in session:
            row = Row(f"{session['id']}.0", LAUNCH, speech=launch["speech"])
            row.problems = _expectations(launch, session["launch"], never)
            rows.append(row)
        history: list[str] = []
        paused_at = last_step.get(user)
        for n, step in enumerate(session["steps"], 1):
            turn = console.turn_record(step["say"])
            text = _norm(turn["speech"])
            current = history[-1] if history else None
            played = step_of(text, vocabulary, current)
            before = history[-2] if len(history) >= 2 else None
            row = Row(f"{session['id']}.{n}", step["say"], speech=turn["speech"])
            want = step.get("exercise")
            left = turn.get("end_session") or _mode(console) != "routine"
            wrong = {
                "started": not played or left,
                "same": played not in (None, current),
                "changed": not played or played == current,
                "repeated": played != current,
                "previous": played != before,
                "resumed": played != (current or paused_at),
                "none": not left,
            }
            if want and wrong[want]:
                row.problems.append(f"{want}: {current} -> {played}")
            row.problems += _expectations(turn, step, never)
            if played and want != "none":
                if len(history) >= 2 and played == history[-2]:
                    history.pop()
                elif played != current:
                    history.append(played)
            paused_at = history[-1] if history else paused_at
            rows.append(row)
        last_step[user] = paused_at
    return rows


def score(rows: list[Row]) -> float:
    return sum(not row.problems for row in rows) / len(rows)


@pytest.fixture
def isolated_db(tmp_path, monkeypatch):
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "hip.db"))
    app.default_skill.cache_clear()
    yield
    app.default_skill.cache_clear()


def test_routine_sessions_steps_right(isolated_db) -> None:
    corpus = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    assert len({s.get("user", s["id"]) for s in corpus["sessions"]}) >= 12
    assert {s["locale"] for s in corpus["sessions"]} == {"en-US", "en-GB"}
    rows = replay(corpus)
    wrong = [
        f"{r.where} {r.say!r}: {r.problems} <- {r.speech[-160:]!r}" for r in rows if r.problems
    ]
    assert score(rows) >= TARGET, "\n".join(wrong)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HIPCOACH_DB"] = str(Path(tmp) / "hip.db")
        rows = replay(yaml.safe_load(CORPUS.read_text(encoding="utf-8")))
    for row in rows:
        mark = "ok " if not row.problems else "BAD"
        print(f"{mark} {row.where:12} {row.say!r:45} {'; '.join(row.problems)}")
        if row.problems and "-v" in sys.argv:
            print(f"      {row.speech[-300:]!r}")
    right = sum(not r.problems for r in rows)
    print(f"steps right: {right}/{len(rows)} = {100 * right / len(rows):.1f}%")
    loose = sum(all(p.startswith("microphone") for p in r.problems) for r in rows)
    print(f"steps right, the microphone rule aside: {loose}/{len(rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
