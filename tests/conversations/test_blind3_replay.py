"""The blind runners of tests/corpora/blind3_interviews.yaml replayed in process, with the blind
driver's own logic (tests/_blind3.py), held to floors measured on this branch: no runner with a
red flag told a lower level than a clinician would give, at most the measured count of wrong
values, at least the measured share of answers understood and of the openings' facts kept (docs/understanding.md, Figures)."""

from __future__ import annotations

import argparse
from typing import Any

import pytest
from _blind3 import load_personas, play, totals

from hipcoach import app
from hipcoach.standin.chat import Console

# Measured on this branch (docs/understanding.md): a change that loses any of it fails here.
MIN_UNDERSTOOD_PCT = 97.9  # (main before this branch: 94.1%, 177/188)
# 98.4% before the history screen came ahead of "when does it hurt" (cause22): the replay asks
# three fewer questions, and us18, whose speech recognition turns "no" into "know" (never
# understood, on any question), now says it to the history screen: 4 answers not understood
# instead of 3, the same phrasings.
MAX_WRONG_VALUES = 1  # main before: 4 (the one left: a timing said of clicking, us06)
MIN_OPENING_FACTS = 73  # of 102 facts said in the openings (main before: 43)


class InProcess:
    """One runner's session on the chat console, in this process."""

    def __init__(self, user: str, locale: str) -> None:
        args = argparse.Namespace(locale=locale, user=user, apl=False, endpoint=None, date=None)
        self.console = Console(args)

    def say(self, utterance: str) -> dict[str, Any] | None:
        record: dict[str, Any] = self.console.turn_record(utterance)
        return record

    def close(self) -> str:
        return ""


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    patch = pytest.MonkeyPatch()
    patch.setenv("HIPCOACH_DB", str(tmp_path_factory.mktemp("blind3") / "hip.db"))
    app.default_skill.cache_clear()
    try:
        return [play(persona, InProcess) for persona in load_personas()]
    finally:
        app.default_skill.cache_clear()
        patch.undo()


def test_no_red_flag_runner_is_under_triaged(runs: list[dict[str, Any]]) -> None:
    under = [r["id"] for r in runs if r["under_triage"] and r["expected_level"] != "self_care"]
    assert under == []
    assert all(r["red_flag_latency"] is not None for r in runs if r["red_flag_turn"] is not None)


def test_no_runner_is_left_without_a_level(runs: list[dict[str, Any]]) -> None:
    assert [r["id"] for r in runs if r["under_triage"]] == []


def test_wrong_values_stay_at_most_the_measured_count(runs: list[dict[str, Any]]) -> None:
    wrong = {r["id"]: r["wrong_values"] for r in runs if r["wrong_values"]}
    assert totals(runs)["wrong_values"] <= MAX_WRONG_VALUES, wrong


def test_openings_keep_at_least_the_measured_facts(runs: list[dict[str, Any]]) -> None:
    assert totals(runs)["opening_facts_captured"] >= MIN_OPENING_FACTS


def test_answers_understood_stay_at_least_the_measured_share(runs: list[dict[str, Any]]) -> None:
    missed = [(r["id"], m["user"]) for r in runs for m in r["not_understood"]]
    assert totals(runs)["understood_pct"] >= MIN_UNDERSTOOD_PCT, missed
