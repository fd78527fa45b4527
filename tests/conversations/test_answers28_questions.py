"""Everyday questions answered right wherever they are asked (issue 23 item 3, issue 22): each
question of tests/corpora/answers28_questions.yaml at the menu, after a finished check and
mid-check, in a fresh conversation through the chat console (real envelopes, the one skill object,
a real SQLite file). The setups are policy25's (tests/corpora/policy25_conversations.yaml).
`python tests/conversations/test_answers28_questions.py` prints the figures per place.

Figures (questions right / asked, per place; the corpus was written before any change):
  first run, main at a15e74a: menu 9/44 (20%), after a result 10/44 (23%), mid-check 10/47 (21%);
  on branch answers28: menu 44/44, after a result 44/44, mid-check 47/47 (the corpus's header).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _policy_corpus import _check_turn, _console, _set_up, load

from hipcoach import app

CORPORA = Path(__file__).resolve().parents[1] / "corpora"
CORPUS = CORPORA / "answers28_questions.yaml"
SETUPS = CORPORA / "policy25_conversations.yaml"
PLACES = {"menu": "menu", "result": "self_care", "mid_check": "mid_check_later"}
TARGET = 0.95  # issue 23: at least 95% of everyday questions answered right in every place


def _questions() -> list[dict[str, Any]]:
    questions: list[dict[str, Any]] = load(CORPUS)["questions"]
    return questions


def _setups() -> dict[str, Any]:
    setups: dict[str, Any] = load(SETUPS)["setups"]
    return setups


def _expected(expect: dict[str, Any], place: str) -> dict[str, Any]:
    """The question's expectation in the terms tests/_policy_corpus.py checks."""
    checks: dict[str, Any] = {"no_check": True, "no_result": True}
    never = ["interview.not_understood", "result.not_understood"]
    if expect.get("answer"):
        checks["said_any"] = ["answer."]
        never.append("questions.cannot_answer")
    if expect.get("honest"):
        checks["said_any"] = ["questions.cannot_answer"]
    if "cannot_do" in expect:
        checks["said_any"] = [f"questions.cannot_do_{expect['cannot_do']}"]
    if place == "mid_check":
        checks["same_question"] = True
    checks["said_none"] = never
    return checks


def ask(question: dict[str, Any], place: str, db: Path) -> list[str]:
    """The failures of one question asked in one place, on a fresh store."""
    app.default_skill.cache_clear()
    setup = _setups()[PLACES[place]]
    day = str(setup["date"])
    console = _console(question["locale"], day)
    ok, before = _set_up(console, setup, db, day)
    if not ok:
        return [f"setup {PLACES[place]} not reached"]
    reply = console.turn_record(question["say"])
    expect = question["expect"]
    failures = _check_turn(_expected(expect, place), before, reply, db, day)
    speech = reply["speech"].lower()
    for group in expect.get("says", []):
        if not any(word.lower() in speech for word in group):
            failures.append(f"none of {group} in the speech")
    return [f"{failure} | {reply['speech'][:200]!r}" for failure in failures]


def _cases() -> list[Any]:
    return [
        pytest.param(question, place, id=f"{place}: {question['say']}")
        for question in _questions()
        for place in question.get("modes", list(PLACES))
    ]


@pytest.mark.parametrize(("question", "place"), _cases())
def test_question(question: dict[str, Any], place: str, tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "hip.db"
    monkeypatch.setenv("HIPCOACH_DB", str(db))
    try:
        failures = ask(question, place, db)
    finally:
        app.default_skill.cache_clear()
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "words",
    [
        "is it bad that my hip is all swollen and red and i have a fever",
        "can you look at it, it's all swollen and red and i've got a fever",
        "set a timer, my hip has swollen up and i have a fever",
    ],
)
def test_a_warning_sign_told_inside_a_question_or_a_request_is_acted_on(
    words: str, tmp_path: Path, monkeypatch
) -> None:
    """A question the seeds cannot answer, or a request the skill cannot do, that tells a warning
    sign outright: the sign is acted on the turn it is said (issue 23: a red flag in every mode),
    never "I can't answer that"."""
    db = tmp_path / "hip.db"
    monkeypatch.setenv("HIPCOACH_DB", str(db))
    try:
        app.default_skill.cache_clear()
        console = _console("en-US", "2026-12-01")
        console.turn_record("open hip coach")
        reply = console.turn_record(words)
    finally:
        app.default_skill.cache_clear()
    assert (reply.get("result") or {}).get("triage") == "emergency", reply["speech"]


def test_asking_to_be_looked_at_is_no_warning_sign(tmp_path: Path, monkeypatch) -> None:
    """ "Tell me if it's swollen" asks; it tells nothing: what the skill cannot do, no check."""
    db = tmp_path / "hip.db"
    monkeypatch.setenv("HIPCOACH_DB", str(db))
    try:
        app.default_skill.cache_clear()
        console = _console("en-GB", "2026-12-01")
        console.turn_record("open hip coach")
        reply = console.turn_record("can you take a look and tell me if it's swollen")
    finally:
        app.default_skill.cache_clear()
    assert "questions.cannot_do_seeing" in reply["said"]
    assert reply.get("asking") is None and reply.get("result") is None


def test_the_corpus_is_in_both_locales_and_every_place() -> None:
    questions = _questions()
    assert len(questions) >= 40
    assert {q["locale"] for q in questions} == {"en-US", "en-GB"}
    assert all(set(q.get("modes", PLACES)) <= set(PLACES) for q in questions)


def main() -> None:
    right: dict[str, list[int]] = {place: [0, 0] for place in PLACES}
    misses = []
    for question in _questions():
        for place in question.get("modes", list(PLACES)):
            with tempfile.TemporaryDirectory() as folder:
                db = Path(folder) / "hip.db"
                os.environ["HIPCOACH_DB"] = str(db)
                failures = ask(question, place, db)
            right[place][1] += 1
            right[place][0] += not failures
            misses += [f"{place}: {question['say']!r}: {f}" for f in failures]
    app.default_skill.cache_clear()
    for miss in misses:
        print("MISS", miss)
    for place, (good, total) in right.items():
        print(f"{place}: {good}/{total} right ({good / total:.0%}, target {TARGET:.0%})")


if __name__ == "__main__":
    main()
