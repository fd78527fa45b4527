"""Runners' words in every mode (tests/corpora/words26_conversations.yaml, helper words26): a
question never starts a check, "not yet" and a question in one breath, a correction word said
first, who the coach is, a relapse or emergency care told on a later day, routine words and a
hold asked for mid-check; and screen answers said in passing (`ANSWERS`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _answer_corpus import play
from _policy_corpus import load, replay

from hipcoach import app

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "words26_conversations.yaml"

# Said to one interview question (`at`), what must be recorded (tests/_answer_corpus.py's format).
ANSWERS: list[dict[str, Any]] = [
    {
        "id": "s1",
        "locale": "en-US",
        "at": "concern_screen",
        "say": "yes, third time this year",
        "expect": {"recurrent": True},
    },
    {
        "id": "s2",
        "locale": "en-GB",
        "at": "concern_screen",
        "say": "yeah it's the second time this year",
        "expect": {"recurrent": True},
    },
    {
        "id": "s3",
        "locale": "en-US",
        "at": "concern_screen",
        "say": "a couple of times it nearly gave way",
        "expect": {"giving_way": True},
    },
    {
        "id": "s4",
        "locale": "en-GB",
        "at": "concern_screen",
        "say": "once or twice it's felt like it was going to give way, yes",
        "expect": {"giving_way": True},
    },
    {
        "id": "s5",
        "locale": "en-GB",
        "at": "onset",
        "say": "came on gradual like last night",
        "expect": {"onset": "gradual"},
    },
    {
        "id": "s6",
        "locale": "en-US",
        "at": "onset",
        "say": "it came on sudden two days ago",
        "expect": {"onset": "sudden"},
    },
]


def _corpus() -> dict[str, Any]:
    return load(CORPUS)


def test_the_corpus_is_in_both_locales() -> None:
    conversations = _corpus()["conversations"]
    assert {c["locale"] for c in conversations} == {"en-US", "en-GB"}


@pytest.mark.parametrize("conversation", _corpus()["conversations"], ids=lambda c: c["name"])
def test_conversation(conversation: dict[str, Any], tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "hip.db"
    monkeypatch.setenv("HIPCOACH_DB", str(db))
    try:
        outcome = replay(conversation, _corpus()["setups"], db)
    finally:
        app.default_skill.cache_clear()
    assert outcome.setup_ok, f"setup {conversation['setup']} did not reach its state"
    assert not outcome.failures, "\n".join(outcome.failures)


@pytest.mark.parametrize("case", ANSWERS, ids=lambda c: c["id"])
def test_screen_answers(case: dict[str, Any], tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "hip.db"))
    try:
        outcome = play(case, f"w26-{case['id']}")
    finally:
        app.default_skill.cache_clear()
    assert outcome.reached, case["say"]
    assert outcome.understood and not outcome.wrong, (outcome.missed, outcome.wrong, outcome.reply)
