"""Through the chat console, both locales: a question, a remark or a request said in the middle of a
check is answered or done and the pending question asked again; what the skill cannot do is
named in kind; after an IT-band result, questions about stretches, exercises and the routine reach
an answer or the routine the care plan allows. Utterances written before the fix (policy23), in
everyday words, none of them from the language files.
"""

from __future__ import annotations

import argparse
import re

import pytest

from hipcoach import app
from hipcoach.standin.chat import Console

DAY = "2026-11-20"
MID_CHECK = {
    "en-US": [
        "should I get new running shoes?",
        "my sneakers have around four hundred miles on them",
        "will I be able to run my half marathon in two weeks?",
        "can I still race this weekend?",
        "is it ok to take advil?",
        "how long until I can run again?",
    ],
    "en-GB": [
        "are my trainers worn out?",
        "my trainers have done about seven hundred kilometres",
        "am I ok to do parkrun on Saturday?",
        "will I be fit for my 10k race next weekend?",
        "can I take paracetamol for it?",
        "is foam rolling any good?",
    ],
}
CANNOT_DO = {
    "en-US": [
        ("can you book me in with a physical therapist?", r"\bbook|appointment"),
        ("call my wife", r"\bcall"),
        ("order me a new pair of running shoes", r"\bbuy|\border"),
        ("set an alarm for six in the morning", r"alarm"),
    ],
    "en-GB": [
        ("could you book me a physio appointment?", r"\bbook|appointment"),
        ("can you ring my GP?", r"\bring"),
        ("can you text my running club", r"message"),
        ("set a timer for ten minutes", r"timer"),
    ],
}
ITB = ["check my hip", "no", "no", "on the outside of my hip", "during my runs", "no", "no"]
ITB += ["it clicks", "no"]
AFTER_ITB = {
    "en-US": ["which stretches are good for my IT band?", "which routine should I do?"],
    "en-GB": ["what stretches are good for the ITB?", "can I do some strengthening?"],
}


@pytest.fixture
def console(tmp_path, monkeypatch):
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "hip.db"))
    app.default_skill.cache_clear()
    made = iter(range(1000))

    def make(locale: str) -> Console:
        user = f"aside{next(made)}"
        args = argparse.Namespace(locale=locale, user=user, apl=False, endpoint=None, date=DAY)
        return Console(args)

    yield make
    app.default_skill.cache_clear()


def _play(console: Console, lines: list[str]) -> list[dict]:
    return [console.turn_record(line) for line in lines]


@pytest.mark.parametrize(
    ("locale", "say"), [(loc, say) for loc, says in MID_CHECK.items() for say in says]
)
def test_an_aside_mid_check_is_answered_and_the_check_goes_on(console, locale, say) -> None:
    *_, before, turn = _play(console(locale), ["open hip coach", "check my hip", "no", say])
    keys = turn["said"] or []
    assert turn["asking"] == before["asking"] == "urgent_screen"
    assert "interview.not_understood" not in keys
    assert any(k.startswith(("answer.", "memory.")) for k in keys), keys
    assert turn["speech"].endswith("?") and not turn["end_session"]


@pytest.mark.parametrize(
    ("locale", "say", "kind"),
    [(loc, say, kind) for loc, pairs in CANNOT_DO.items() for say, kind in pairs],
)
def test_what_it_cannot_do_is_named_in_kind(console, locale, say, kind) -> None:
    for opening in (["open hip coach"], ["open hip coach", "check my hip"]):
        *_, before, turn = _play(console(locale), [*opening, say])
        refusal = turn["speech"].split(". ")[0]
        assert re.search(kind, refusal, re.IGNORECASE), turn["speech"]
        assert "questions.what_i_can_do" in (turn["said"] or [])
        assert turn["asking"] == before["asking"]  # a pending question is asked again


@pytest.mark.parametrize(
    ("locale", "say"), [(loc, say) for loc, says in AFTER_ITB.items() for say in says]
)
def test_after_a_result_exercise_questions_reach_the_allowed_routine(console, locale, say):
    *_, result, turn = _play(console(locale), ["open hip coach", *ITB, say])
    assert result["result"]["conditions"][0] == "it_band_syndrome"
    keys = turn["said"] or []
    assert "questions.cannot_answer" not in keys and "interview.not_understood" not in keys
    assert "interview.offer_routine" in keys and turn["speech"].endswith("?")
