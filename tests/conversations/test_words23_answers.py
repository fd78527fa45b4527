"""Fresh runners' answers (tests/corpora/words23_answers.yaml, written before the understanding was
changed for them) said to the interview's questions through the chat console: at least 90% of them
understood with every expected finding recorded, no wrong value beyond the two known below, and
every emergency told on the turn the red flag is said, but for the one phrasing known to be missed.
`python tests/_words23.py` prints the misses; `--extra` the findings recorded beside the expected.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _words23 import cases, figures, run_all

MIN_UNDERSTOOD = 0.90
# Known misses, each a value the skill still records wrong or a sign it still does not hear:
KNOWN_WRONG: set[str] = set()  # c12 and e60 read right since words25 (dates, percent rises)
KNOWN_EMERGENCY_MISSED: set[str] = set()  # r05 told since words25 ("twisted out of place")


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> list:
    db = Path(tmp_path_factory.mktemp("words23")) / "words23.db"
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
    assert missed <= KNOWN_EMERGENCY_MISSED, missed
