"""The conversation policy in every mode (issues 23 and 22), on conversations written in everyday
words before the policy was changed (tests/corpora/policy23b_conversations.yaml): after a result,
follow-ups on later days, asides mid-check, a routine resumed after it was stopped for pain.

Each conversation replays through the chat console (the local stand-in: routing and slot filling,
real envelopes, the one skill object, a real SQLite file), day after day; its expectations are
checked turn by turn, and every scored turn is held to "the microphone stays open only after a
question". `python tests/conversations/test_policy23b_corpus.py` prints the figures.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _policy_corpus import load, replay, replay_all, report

from hipcoach import app

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "policy23b_conversations.yaml"


def _corpus() -> dict[str, Any]:
    return load(CORPUS)


def test_the_corpus_is_big_and_in_both_locales() -> None:
    conversations = _corpus()["conversations"]
    assert len(conversations) >= 60
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


def mode_of(conversation: dict[str, Any]) -> str:
    """Which mode a conversation tries: after a result, a later day, mid-check, a resume."""
    setup = conversation["setup"]
    if setup.startswith("mid_check"):
        return "mid-check"
    if setup == "routine_stopped":
        return "resume"
    later = any("date" in day for day in conversation["days"])
    return "follow-up" if later else "after a result"


def main() -> None:
    outcomes = replay_all(CORPUS)
    report(outcomes, [mode_of(c) for c in _corpus()["conversations"]])


if __name__ == "__main__":
    main()
