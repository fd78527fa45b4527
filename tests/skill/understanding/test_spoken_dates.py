"""A day of the month on its own ("on the 20th") is the latest such day up to today."""

from __future__ import annotations

from datetime import date

import pytest

from hipcoach.understanding.matcher import resolve
from hipcoach.understanding.words import parse_date

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("words", "iso"),
    [
        ("the 20th", "2026-11-20"),
        ("on the 20th", "2026-11-20"),
        ("the twentieth", "2026-11-20"),
        ("the 30th", "2026-10-30"),  # not yet this month: last month's
        ("20", None),  # a number, not a date
    ],
)
def test_day_of_month(words: str, iso: str | None) -> None:
    assert parse_date(words, TODAY) == iso


def test_a_run_on_the_20th_is_logged_on_the_20th() -> None:
    heard = resolve("I ran 3 miles on the 20th", "en-US", TODAY)
    assert heard.intent == "LogRunIntent"
    assert heard.slot("when") is not None and heard.slot("when").value == "2026-11-20"
