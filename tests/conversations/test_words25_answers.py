"""Fresh runners' answers (tests/corpora/words25_answers.yaml, written before the understanding was
changed for them) said to the interview's questions through the chat console: at least 95% of them
understood with every expected finding recorded, no wrong value beyond the known below, and every
emergency told on the turn the red flag is said. `python tests/_words25.py` prints the misses.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _words23 import figures
from _words25 import cases, run_all

MIN_UNDERSTOOD = 0.95
# Known misses, each a value the skill still records wrong:
KNOWN_WRONG = {
    "y15",  # "yes ouch that's tender": "ouch" is also a routine's "this exercise hurts"
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> list:
    db = Path(tmp_path_factory.mktemp("words25")) / "words25.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HIPCOACH_DB", str(db))
        return run_all(cases())


def test_every_answer_reaches_its_question(outcomes: list) -> None:
    assert all(o.reached for o in outcomes), [o.case["id"] for o in outcomes if not o.reached]


def test_answers_are_understood(outcomes: list) -> None:
    found = figures(outcomes)
    assert found["understood"] >= MIN_UNDERSTOOD * found["reached"], [
        (o.case["id"], o.case["say"], o.missed, o.wrong) for o in outcomes if not o.understood
    ]


def test_no_wrong_value_beyond_the_known(outcomes: list) -> None:
    wrong = {o.case["id"]: o.wrong for o in outcomes if o.wrong}
    assert set(wrong) <= KNOWN_WRONG, wrong


def test_an_emergency_is_told_on_the_turn_it_is_said(outcomes: list) -> None:
    missed = {o.case["id"] for o in outcomes if o.emergency_told is False}
    assert not missed, missed
