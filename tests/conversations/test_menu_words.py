"""At the menu ("Shall we check your hip?"): words about the hip or its pain open a check, a bare
greeting too; thanks said with praise closes warmly; words that tell nothing about the hip start
nothing (not understood, with help); "it still hurts" with no check to follow up starts one; a
statement closed by a question tag is asked, never told. Everyday words, both locales."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator

import pytest

from hipcoach import app
from hipcoach.standin.chat import Console

Say = Callable[[str, str], dict]


@pytest.fixture
def at_menu(tmp_path, monkeypatch) -> Iterator[Say]:
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "hip.db"))
    app.default_skill.cache_clear()
    users = iter(range(1000))

    def say(locale: str, words: str) -> dict:
        args = argparse.Namespace(
            locale=locale, user=f"menu{next(users)}", apl=False, endpoint=None, date="2026-12-03"
        )
        console = Console(args)
        console.turn_record("open hip coach")
        return console.turn_record(words)

    yield say
    app.default_skill.cache_clear()


def _check_started(record: dict) -> bool:
    return "interview.start_check" in record["said"] or record["asking"] is not None


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("en-US", "cheers, you're a star"),
        ("en-GB", "thanks, you're brilliant"),
        ("en-GB", "ta very much, you've been a great help"),
        ("en-US", "thank you so much you're awesome"),
    ],
)
def test_thanks_with_praise_closes(at_menu: Say, locale: str, words: str) -> None:
    record = at_menu(locale, words)
    assert record["said"] == ["interview.thanked"], record
    assert not _check_started(record)


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("en-US", "blah blah purple monkey"),
        ("en-US", "the weather is nice today"),
        ("en-GB", "my cat just knocked the kettle over"),
    ],
)
def test_words_about_nothing_start_nothing(at_menu: Say, locale: str, words: str) -> None:
    record = at_menu(locale, words)
    assert not _check_started(record), record
    assert "interview.not_understood" in record["said"]
    assert not record["end_session"]


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("en-US", "my hip's been weird since the race"),
        ("en-GB", "um so my glute's been a bit funny after parkrun"),
        ("en-US", "hello"),
        ("en-GB", "hiya"),
        ("en-US", "hi there hip coach"),
    ],
)
def test_the_hip_named_or_a_bare_greeting_opens_the_check(
    at_menu: Say, locale: str, words: str
) -> None:
    assert _check_started(at_menu(locale, words))


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("en-US", "my hip still hurts"),
        ("en-GB", "it's still sore to be honest"),
        ("en-US", "thanks but my hip is getting worse"),
    ],
)
def test_still_hurting_with_nothing_to_follow_up_opens_the_check(
    at_menu: Say, locale: str, words: str
) -> None:
    assert _check_started(at_menu(locale, words))


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("en-US", "i'm only doing an easy run today, that's fine isn't it"),
        ("en-GB", "a bit of stretching after is good, isn't it"),
        ("en-US", "i can still go to the gym, can't i"),
    ],
)
def test_a_question_tag_asks(at_menu: Say, locale: str, words: str) -> None:
    record = at_menu(locale, words)
    assert not _check_started(record), record
    assert not record["findings"]
