"""Fresh runners' answers corpora (tests/corpora/<name>_answers.yaml, each written before the
understanding was changed for it) said to the interview's questions through the chat console: the
share understood with every expected finding recorded, no wrong value beyond the known ones, and
every emergency told on the turn the red flag is said. `python tests/_answer_corpus.py NAME` prints
a corpus's misses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from _answer_corpus import Outcome, figures, run_all


@dataclass(frozen=True)
class Expectation:
    min_understood: float
    # Known misses, each a value the skill still records wrong or a sign it still does not hear:
    known_wrong: frozenset[str] = field(default_factory=frozenset)
    known_emergency_missed: frozenset[str] = field(default_factory=frozenset)


CORPORA = {
    # c12 and e60 read right since words25 (dates, percent rises); r05 told since words25.
    "words23": Expectation(0.90),
    "words25": Expectation(
        0.95,
        # "yes ouch that's tender": "ouch" is also a routine's "this exercise hurts"
        known_wrong=frozenset({"y15"}),
    ),
    # first run 37 of 71 understood, 2 wrong values, 11 of 24 emergencies told on the turn
    "screen28": Expectation(0.95),
    # words27 first run (main 4ba2330): 74 reached, 43.2% not understood, 14 wrong values, 4 of
    # 12 emergencies told on the turn. Still missed, with no wrong value: c25 "i cant put weight on
    # it without a sharp pain" (heard as cannot bear weight: higher), d05 "not really, i rested it
    # ... and it came back" ("not really" first is not read as the no).
    "words27": Expectation(0.95),
}


@pytest.fixture(scope="module", params=sorted(CORPORA))
def corpus(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Expectation, list[Outcome]]:
    name: str = request.param
    db = Path(tmp_path_factory.mktemp(name)) / f"{name}.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HIPCOACH_DB", str(db))
        return CORPORA[name], run_all(name)


def test_every_answer_reaches_its_question(corpus: tuple[Expectation, list[Outcome]]) -> None:
    _, outcomes = corpus
    assert all(o.reached for o in outcomes), [o.case["id"] for o in outcomes if not o.reached]


def test_answers_are_understood(corpus: tuple[Expectation, list[Outcome]]) -> None:
    expected, outcomes = corpus
    found = figures(outcomes)
    assert found["understood"] >= expected.min_understood * found["reached"], [
        (o.case["id"], o.case["say"], o.missed, o.wrong) for o in outcomes if not o.understood
    ]


def test_no_wrong_value_beyond_the_known(corpus: tuple[Expectation, list[Outcome]]) -> None:
    expected, outcomes = corpus
    wrong = {o.case["id"]: o.wrong for o in outcomes if o.wrong}
    assert set(wrong) <= expected.known_wrong, wrong


def test_an_emergency_is_told_on_the_turn_it_is_said(
    corpus: tuple[Expectation, list[Outcome]],
) -> None:
    expected, outcomes = corpus
    missed = {o.case["id"] for o in outcomes if o.emergency_told is False}
    assert missed <= expected.known_emergency_missed, missed
