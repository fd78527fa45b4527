"""The conversation policy in every mode (issue 23 item 3, issue 22 item 5), on conversations
written in everyday words before the policy25 changes (tests/corpora/policy25_conversations.yaml):
everyday questions at the menu, after a result, mid-check and in a routine; questions the seeds
cannot answer and things the skill cannot do; routine steps said every way; later days; what the
skill keeps and deleting it. `python tests/conversations/test_policy25_corpus.py` prints the
figures.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _policy_corpus import load, replay, replay_all, report

from hipcoach import app

CORPUS = Path(__file__).resolve().parents[1] / "corpora" / "policy25_conversations.yaml"


def _corpus() -> dict[str, Any]:
    return load(CORPUS)


def test_the_corpus_is_big_and_in_both_locales() -> None:
    conversations = _corpus()["conversations"]
    assert len(conversations) >= 80
    assert {c["locale"] for c in conversations} == {"en-US", "en-GB"}


def _cases() -> list[Any]:
    """Each conversation; one the skill's understanding misses (its `understanding_miss` says
    how, for the understanding's owners) is expected to fail until understanding reads it."""
    return [
        pytest.param(
            c,
            id=c["name"],
            marks=[pytest.mark.xfail(reason=c["understanding_miss"], strict=False)]
            if "understanding_miss" in c
            else [],
        )
        for c in _corpus()["conversations"]
    ]


@pytest.mark.parametrize("conversation", _cases())
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
    """Where a conversation asks: the menu, after a result, mid-check, a routine, a later day."""
    setup = conversation["setup"]
    if any("date" in day for day in conversation["days"]):
        return "later day"
    if setup == "menu":
        return "menu"
    if setup.startswith("mid_check"):
        return "mid-check"
    if setup.startswith("routine_") and setup != "routine_stopped":
        return "routine"
    return "after a result"


def main() -> None:
    outcomes = replay_all(CORPUS)
    report(outcomes, [mode_of(c) for c in _corpus()["conversations"]])


if __name__ == "__main__":
    main()
