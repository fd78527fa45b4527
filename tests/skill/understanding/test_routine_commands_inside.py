"""In a routine the player waits for a command: one said whole inside other words is that command
("wait, pause", "stop the routine for now"), unless negated or more than one kind is said."""

from __future__ import annotations

from datetime import date

import pytest

from hipcoach.dialog.reading import COMMANDS
from hipcoach.understanding import Context, understand

TODAY = date(2026, 12, 7)


def in_routine(locale: str) -> Context:
    return Context(today=TODAY, locale=locale, mode="routine", asking=None, expects=tuple(COMMANDS))


@pytest.mark.parametrize(
    ("words", "locale", "intent"),
    [
        ("wait, pause", "en-US", "AMAZON.PauseIntent"),
        ("oh hang on, pause a sec", "en-GB", "AMAZON.PauseIntent"),
        ("stop the routine", "en-US", "AMAZON.StopIntent"),
        ("right, stop the routine now", "en-GB", "AMAZON.StopIntent"),
        ("okay skip this one then", "en-US", "SkipIntent"),
    ],
)
def test_a_command_said_inside_other_words_is_that_command(
    words: str, locale: str, intent: str
) -> None:
    assert understand(words, "UtteranceIntent", None, in_routine(locale)).intent == intent


@pytest.mark.parametrize("words", ["do not stop", "please don't pause it"])
def test_a_negated_command_is_not_that_command(words: str) -> None:
    heard = understand(words, "UtteranceIntent", None, in_routine("en-US")).intent
    assert heard not in ("AMAZON.StopIntent", "AMAZON.PauseIntent")


def test_outside_a_routine_nothing_is_looked_for_inside() -> None:
    menu = Context(today=TODAY, locale="en-US", mode="idle", asking=None, expects=())
    assert understand("wait, pause", "UtteranceIntent", None, menu).intent != "AMAZON.PauseIntent"
