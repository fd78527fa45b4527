"""The general mechanisms behind tests/corpora/words25_answers.yaml (helper words25): weekdays and
days of the month said every way, always in the past; a percent rise said as a percent, as two
amounts or as a word; hundreds said without "hundred"; "and a bit"; a filler phrase inside a
phrasing; "sorry" as a correction; "or anything" denying a whole list; "years back" as history."""

from __future__ import annotations

from datetime import date

import pytest

from hipcoach.understanding import Context, understand
from hipcoach.understanding.interceptor import expects
from hipcoach.understanding.words import days_since, duration_days, parse_date, parse_duration

TUESDAY = date(2026, 12, 1)


def asking(finding: str) -> Context:
    return Context(
        today=TUESDAY, locale="en-US", mode="interview", asking=finding, expects=expects(finding)
    )


@pytest.mark.parametrize(
    ("words", "days"),
    [
        ("tuesday", 7),  # today's weekday is a week ago, never today nor the coming one
        ("like thursday", 5),
        ("this past sunday", 2),
        ("the friday before last", 11),
        ("the sunday before that", 9),
        ("monday last week", 8),
        ("the twenty fifth", 6),
        ("the twentieth", 11),
        ("the start of november", 30),
        ("the end of october", 31),
    ],
)
def test_a_start_said_every_way_is_in_the_past(words: str, days: int) -> None:
    assert days_since(parse_date(words, TUESDAY), TUESDAY) == days


def test_a_weekday_with_other_words_is_no_date() -> None:
    assert parse_date("friday night lights", TUESDAY) is None
    assert parse_date("twenty", TUESDAY) is None


def test_and_a_bit_is_a_little_more_than_the_unit() -> None:
    assert duration_days(parse_duration("a week and a bit")) == 9
    assert duration_days(parse_duration("a week and a half")) == 10


def number(words: str, finding: str) -> str | None:
    got = understand(words, "UtteranceIntent", None, asking(finding)).slot_ids()
    return got.get("number")


def test_a_percent_said_stands_over_the_amounts_and_two_amounts_are_the_rise() -> None:
    assert (
        number("like fifty percent, I went from twenty to thirty", "mileage_increase_pct") == "50"
    )
    assert number("i went from twenty miles to thirty", "mileage_increase_pct") == "50"
    assert number("i doubled it pretty much", "mileage_increase_pct") == "100"
    assert number("about the same as last week", "mileage_increase_pct") == "0"
    assert number("about twenty percent, sorry, thirty", "mileage_increase_pct") == "30"


def test_a_rise_is_read_only_where_a_percent_is_asked() -> None:
    assert number("from twenty to thirty", "shoe_miles") != "50"


def test_hundreds_said_without_hundred_where_the_answer_runs_to_hundreds() -> None:
    assert number("they've done about three fifty", "shoe_miles") == "350"
    assert number("about two hundred, actually more like two fifty", "shoe_miles") == "250"
    assert number("three hundred", "shoe_miles") == "300"


def values(words: str, finding: str) -> dict[str, object]:
    return dict(understand(words, "UtteranceIntent", None, asking(finding)).values())


def test_a_phrasing_with_kind_of_inside_is_spotted() -> None:
    assert values("yes and my leg looks kind of rotated out and shorter", "stiffness")[
        "hip_deformed"
    ]


def test_sorry_takes_back_a_value() -> None:
    got = understand(
        "after running, sorry, during and after", "UtteranceIntent", None, asking("pain_timing")
    )
    assert got.slot_ids().get("timing") == "during_and_after"


def test_or_anything_denies_the_whole_list() -> None:
    got = understand(
        "no fever or anything, but it hurts at night",
        "UtteranceIntent",
        None,
        asking("emergency_screen"),
    )
    assert got.denies_all and got.values().get("night_pain") is True


def test_years_back_is_history_not_how_long_it_hurts() -> None:
    got = values("i had breast cancer a few years back", "history_screen")
    assert "pain_days" not in got and got.get("cancer_history") is True
