"""Helper words27's everyday answers (tests/corpora/words27_answers.yaml) said to the interview's
questions, and its conversations (tests/corpora/words27_conversations.yaml) replayed day after day:
contractions written without their apostrophe, several signs in one breath, durations of a rest, a
treatment or running itself, weakness said of a part of the body, a mileage change, runs said by
their size as nouns, and improvement said on a later day. `python tests/_words27.py` prints the
misses and figures.

First run (branch words27 at main 4ba2330, before any change): answers 75, 74 reached, 32 not
understood (43.2%), 14 wrong values, 4 of 12 emergencies told on the turn; conversations 9/26 right
(4 of the misses were the corpus's own wrong expectation, since corrected: the fever setup ends at
emergency, so "level_is: urgent" became "level_at_least: urgent"; and c18's numbness question is
asked only inside the urgent screen, so it is said there). Final run: see KNOWN_MISSES.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _policy_corpus import load, replay
from _words23 import figures
from _words27 import CONVERSATIONS, cases, run_all

from hipcoach import app

MIN_UNDERSTOOD = 0.95
# Still missed, each understood no worse than before (no wrong value):
KNOWN_MISSES = {
    "c25",  # "i cant put weight on it without a sharp pain": heard as can't bear weight (higher)
    "d05",  # "not really, i rested it ... and it came back": "not really" not read as the no
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> list:
    db = Path(tmp_path_factory.mktemp("words27")) / "words27.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HIPCOACH_DB", str(db))
        return run_all(cases())


def test_every_answer_reaches_its_question(outcomes: list) -> None:
    assert all(o.reached for o in outcomes), [o.case["id"] for o in outcomes if not o.reached]


def test_answers_are_understood(outcomes: list) -> None:
    found = figures(outcomes)
    assert found["understood"] >= MIN_UNDERSTOOD * found["reached"], found
    missed = {o.case["id"] for o in outcomes if not o.understood}
    assert missed <= KNOWN_MISSES, [
        (o.case["id"], o.case["say"], o.missed, o.wrong, o.reply)
        for o in outcomes
        if o.case["id"] in missed - KNOWN_MISSES
    ]


def test_no_wrong_value(outcomes: list) -> None:
    wrong = {o.case["id"]: o.wrong for o in outcomes if o.wrong}
    assert not wrong, wrong


def test_an_emergency_is_told_on_the_turn_it_is_said(outcomes: list) -> None:
    missed = {o.case["id"] for o in outcomes if o.emergency_told is False}
    assert not missed, missed


def _conversations() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = load(CONVERSATIONS)["conversations"]
    return found


def test_the_corpora_are_in_both_locales() -> None:
    assert {c["locale"] for c in _conversations()} == {"en-US", "en-GB"}
    assert {c["locale"] for c in cases()} == {"en-US", "en-GB"}


@pytest.mark.parametrize("conversation", _conversations(), ids=lambda c: c["name"])
def test_conversation(conversation: dict[str, Any], tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "hip.db"
    monkeypatch.setenv("HIPCOACH_DB", str(db))
    try:
        outcome = replay(conversation, load(CONVERSATIONS)["setups"], db)
    finally:
        app.default_skill.cache_clear()
    assert outcome.setup_ok, f"setup {conversation['setup']} did not reach its state"
    assert not outcome.failures, "\n".join(outcome.failures)
