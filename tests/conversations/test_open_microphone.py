"""Over the corpora: the microphone stays open only after a question, and `said` lists the text
keys of what was spoken on every turn, the questions asked and the answers given included.

Every conversation of tests/corpora/conversations.yaml, and the everyday questions of
persona_questions.yaml asked at the menu and mid-check, replay through the chat console.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from hipcoach import app
from hipcoach.speech import said
from hipcoach.speech.texts import Texts
from hipcoach.standin.chat import Console

CORPORA = Path(__file__).resolve().parents[1] / "corpora"
DAY = "2026-11-20"


def _corpus(name: str) -> Any:
    return yaml.safe_load((CORPORA / name).read_text(encoding="utf-8"))


CONVERSATIONS = _corpus("conversations.yaml")["conversations"]
QUESTIONS = [q for q in _corpus("persona_questions.yaml")["questions"] if "say" in q][:40]


@pytest.fixture
def console(tmp_path, monkeypatch):
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "hip.db"))
    app.default_skill.cache_clear()

    def make(locale: str, user: str) -> Console:
        args = argparse.Namespace(locale=locale, user=user, apl=False, endpoint=None, date=DAY)
        return Console(args)

    yield make
    app.default_skill.cache_clear()


def _pattern(texts: Texts, key: str) -> re.Pattern[str] | None:
    """A speech key's text with its placeholders as wildcards; None for a key that names
    content spoken from elsewhere (a question, an answer, a result part)."""
    if not texts.has(key):
        return None
    with said.recording():  # an expectation, not something the skill said
        template = texts.get(key) if "{" not in str(_raw(texts, key)) else str(_raw(texts, key))
    parts = re.split(r"\{[a-z_]+\}", template)
    return re.compile(".*?".join(re.escape(p.strip()) for p in parts), re.S)


def _raw(texts: Texts, key: str) -> object:
    entry = texts._entries[key]  # the unformatted template
    if isinstance(entry, dict):
        entry = next((entry[n] for n in texts._fallbacks if n in entry), "")
    return " ".join(entry) if isinstance(entry, list) else entry


def _check(turn: dict[str, Any], locale: str) -> list[str]:
    problems = []
    if not turn["end_session"] and not turn["speech"].rstrip().endswith("?"):
        problems.append(f"open without a question: {turn['user']!r} -> {turn['speech'][-80:]!r}")
    keys = turn["said"] or []
    if turn["speech"] and not keys:
        problems.append(f"nothing in said: {turn['user']!r}")
    if (
        turn["asking"]
        and turn["end_session"] is False
        and not any(k.startswith("question.") for k in keys)
    ):
        problems.append(f"a question spoken without its key: {turn['user']!r} {keys}")
    texts = Texts(locale)
    heard = f"{turn['speech']} {turn['reprompt'] or ''}"
    for key in keys:
        pattern = _pattern(texts, key)
        if pattern is not None and not pattern.search(heard):
            problems.append(f"{key} in said but not spoken: {turn['user']!r}")
    return problems


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=lambda c: c["name"])
def test_conversations_keep_the_microphone_for_questions(console, conversation) -> None:
    chat = console(conversation["locale"], "runner")
    problems = []
    for utterance in conversation["say"]:
        problems += _check(chat.turn_record(utterance), conversation["locale"])
    assert not problems, problems


def test_everyday_questions_at_the_menu_and_mid_check(console) -> None:
    problems = []
    for n, question in enumerate(QUESTIONS):
        locale = "en-GB" if question["who"] in ("priya", "siobhan", "callum") else "en-US"
        chat = console(locale, f"asker{n}")
        chat.turn_record("open hip coach")
        if n % 2:
            chat.turn_record("check my hip")
        turn = chat.turn_record(question["say"])
        problems += _check(turn, locale)
    assert not problems, problems
