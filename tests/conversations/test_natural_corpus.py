"""Runner conversations in everyday words (tests/corpora/conversations.yaml) through the chat
console: no wrong value recorded, no red flag missed, no question more than twice in a row, an
emergency told within four turns of the runner saying it. Prints the figures for the record."""

from __future__ import annotations

import argparse
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from _paths import CORPORA

from hipcoach import app
from hipcoach.dialog.interview import InterviewState, assess
from hipcoach.medical.knowledge import LEVELS
from hipcoach.speech.texts import Texts
from hipcoach.standin.chat import Console

CORPUS = yaml.safe_load((CORPORA / "conversations.yaml").read_text())["conversations"]


def _run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, conv: dict[str, Any]) -> list[dict]:
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / f"{abs(hash(conv['name']))}.db"))
    app.default_skill.cache_clear()
    args = argparse.Namespace(
        locale=conv["locale"], user="corpus", apl=False, endpoint=None, date="2026-11-20"
    )
    console = Console(args)
    turns = []
    for utterance in conv["say"]:
        record = console.turn_record(utterance)
        turns.append(record)
        if record["result"] is not None or record["end_session"]:
            break
    return turns


def _longest_repeat(turns: list[dict]) -> int:
    longest = run = 0
    previous = None
    for turn in turns:
        asking = turn["asking"]
        run = run + 1 if asking is not None and asking == previous else (1 if asking else 0)
        previous = asking
        longest = max(longest, run)
    return longest


def _not_understood(turns: list[dict], locale: str) -> int:
    """Answers the skill said it did not catch (content key interview.not_understood)."""
    sorry = Texts(locale).get("interview.not_understood")
    return sum(1 for turn in turns[1:] if turn["speech"].startswith(sorry))


def _level(turns: list[dict]) -> str:
    told = [t["result"]["triage"] for t in turns if t["result"]]
    if told:
        return told[-1]
    findings: dict[str, Any] = next((t["findings"] for t in reversed(turns) if t["findings"]), {})
    return assess(InterviewState(dict(findings or {}))).level


@pytest.fixture(scope="module")
def figures() -> Iterator[dict[str, list[Any]]]:
    collected: dict[str, list[Any]] = {"answers": [], "misses": [], "questions": [], "repeat": []}
    yield collected
    answers, misses = sum(collected["answers"]), sum(collected["misses"])
    if answers:
        print(
            f"\ncorpus: {len(collected['questions'])} conversations, answers understood "
            f"{1 - misses / answers:.1%} ({answers - misses}/{answers}), longest repeat "
            f"{max(collected['repeat'])}, median questions {statistics.median(collected['questions'])}"
        )


def test_corpus_is_large_and_varied() -> None:
    assert len(CORPUS) >= 30
    assert {c["locale"] for c in CORPUS} == {"en-US", "en-GB"}
    assert sum(1 for c in CORPUS if c.get("level") == "emergency") >= 3


@pytest.mark.parametrize("conv", CORPUS, ids=[c["name"] for c in CORPUS])
def test_conversation(tmp_path, monkeypatch, conv, figures) -> None:
    turns = _run(tmp_path, monkeypatch, conv)
    findings: dict[str, Any] = next((t["findings"] for t in reversed(turns) if t["findings"]), {})
    for finding, value in conv["expect"].items():
        assert findings.get(finding) == value, (finding, findings)  # recorded, with this value
    assert _longest_repeat(turns) <= 2
    if "level" in conv:
        assert LEVELS.index(_level(turns)) >= LEVELS.index(conv["level"])  # no red flag missed
    if "emergency_after" in conv:
        told = next(i for i, t in enumerate(turns) if t["result"])
        assert turns[told]["result"]["triage"] == "emergency"
        assert told - conv["emergency_after"] <= 4
    answered = sum(1 for t in turns[:-1] if t["asking"] is not None)
    figures["answers"].append(answered)
    figures["misses"].append(_not_understood(turns, conv["locale"]))
    figures["questions"].append(sum(1 for t in turns if t["asking"] is not None))
    figures["repeat"].append(_longest_repeat(turns))
