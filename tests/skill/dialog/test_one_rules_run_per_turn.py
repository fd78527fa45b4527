"""One turn runs the hip rules at most once: whatever the turn does (validate the stored findings,
record an answer, assess, pick the next question, give one up, tell the result), it opens at most
one session of the hip rules (hipcoach.dialog.turn_rules) and no rulebook evaluates the same facts
twice (the care plan, asked for the level in force, the routine and the reasons, runs once)."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date
from typing import Any

import pytest

import forwardrules.host as host
from forwardrules.rulebook import Rulebook
from hipcoach.app import build_skill
from hipcoach.medical.triage import rulebook
from hipcoach.standin.envelopes import Conversation, request_timestamp
from hipcoach.standin.nlu import Nlu

# An outer-hip runner who answers every question until the result (each a plain answer).
ANSWERS = {
    "": "no",
    "pain_location": "on the outside of my hip",
    "pain_timing": "after my runs",
    "onset": "it came on gradually",
    "pain_severity": "about a four",
    "pain_days": "ten days",
    "pain_radiates": "no it stays there",
}


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    counts: Counter[str] = Counter()
    opened, run = Rulebook.session, host.run_rules

    def session(self: Rulebook) -> Any:
        if self is rulebook():
            counts["sessions"] += 1
        return opened(self)

    def run_rules(book: Any, facts: dict[str, Any]) -> Any:
        counts["runs"] += book is rulebook()
        counts[f"{id(book)} {sorted(facts.items(), key=repr)!r}"] += 1
        return run(book, facts)

    monkeypatch.setattr(Rulebook, "session", session)
    monkeypatch.setattr(host, "run_rules", run_rules)
    return counts


def test_every_turn_of_a_check_runs_the_rules_at_most_once(counted: Counter[str]) -> None:
    logging.disable(logging.WARNING)  # no store here: the skill says so on every turn
    try:
        skill = build_skill(None)
        nlu = Nlu("en-US")
        chat = Conversation("en-US")
        stamp = request_timestamp()
        chat.absorb(skill.invoke(request_envelope=chat.launch(stamp), context=None))
        utterance, turns, ran = "start a check", 0, 0
        while turns < 40:
            counted.clear()
            envelope = chat.intent(nlu.resolve(utterance, date.today()), stamp)
            response = skill.invoke(request_envelope=envelope, context=None)
            assert counted["sessions"] <= 1, (utterance, counted)
            assert counted["runs"] <= 1, (utterance, counted)
            assert max(counted.values(), default=0) <= 1, (utterance, counted)
            ran += counted["runs"]
            turns += 1
            if chat.absorb(response) or chat.session is None:
                break
            attributes = chat.session.attributes
            if attributes.get("mode") != "interview":
                break
            asking = (attributes.get("interview") or {}).get("asking")
            utterance = ANSWERS.get(asking or "", "no")
        assert ran >= 3, "the check ran the rules on its turns"
    finally:
        logging.disable(logging.NOTSET)
