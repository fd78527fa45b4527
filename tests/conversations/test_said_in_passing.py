"""Facts said in passing in an opening, the way runners tell their story: a percent rise said of
the training ("I upped my miles by forty percent") is the mileage rise whatever is asked, and stress
words inside a phrasing ("even at night", "especially at night") hide nothing. A percent said of
anything else ("fifty percent better") is no mileage."""

from __future__ import annotations

import argparse

import pytest

from hipcoach import app
from hipcoach.standin.chat import Console


@pytest.fixture
def opening(tmp_path, monkeypatch):
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "hip.db"))
    app.default_skill.cache_clear()
    users = iter(range(1000))

    def say(locale: str, words: str) -> dict:
        args = argparse.Namespace(
            locale=locale, user=f"passing{next(users)}", apl=False, endpoint=None, date="2026-12-03"
        )
        console = Console(args)
        console.turn_record("open hip coach")
        return console.turn_record(words)

    yield say
    app.default_skill.cache_clear()


@pytest.mark.parametrize(
    ("locale", "words", "rise"),
    [
        ("en-US", "my groin aches deep down and i upped my miles by forty percent", 40),
        ("en-GB", "hip's been sore since i bumped my mileage up like 30 percent", 30),
        pytest.param(
            "en-US",
            "um so my weekly distance went up 50% and now my hip hurts",
            50,
            marks=pytest.mark.xfail(
                reason="routed as Alexa would to StartCheckIntent ('my hip hurts' is its sample),"
                " whose slots carry only a date or a duration: the rise is not heard",
                strict=True,
            ),
        ),
        ("en-GB", "groin's aching, i've been doing about twenty five percent more k's", 25),
    ],
)
def test_a_percent_said_of_the_training_is_the_rise(
    opening, locale: str, words: str, rise: int
) -> None:
    record = opening(locale, words)
    assert (record["findings"] or {}).get("mileage_increase_pct") == rise, record


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("en-US", "my hip feels about fifty percent better than last week"),
        ("en-GB", "my hip is sore, i'm maybe eighty percent sure it's the trainers"),
    ],
)
def test_a_percent_of_something_else_is_no_rise(opening, locale: str, words: str) -> None:
    record = opening(locale, words)
    assert "mileage_increase_pct" not in (record["findings"] or {}), record


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("en-US", "my groin has been aching for two weeks, deep pain even at night"),
        ("en-GB", "hip hurts especially at night now"),
    ],
)
def test_stress_words_hide_no_finding(opening, locale: str, words: str) -> None:
    record = opening(locale, words)
    assert (record["findings"] or {}).get("night_pain") is True, record


@pytest.mark.parametrize(
    ("locale", "words", "finding"),
    [
        ("en-US", "so my hip clicks when i run and it's been like that a while", "clicking"),
        ("en-GB", "the pain wakes me up at night", "night_pain"),
        ("en-US", "my hip locks up on the downhills", "locking_or_catching"),
        ("en-GB", "yeah and my leg gives way now and then", "giving_way"),
    ],
)
def test_the_hip_as_the_subject_reads_as_it(opening, locale: str, words: str, finding: str) -> None:
    record = opening(locale, words)
    assert (record["findings"] or {}).get(finding) is True, record


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        (
            "en-US",
            "i bumped up from like thirty to forty miles a week and now my hip aches outside",
        ),
        ("en-GB", "my hip aches on the outside, i run about 30k a week"),
        ("en-US", "groin's been sore, i do four runs a week"),
    ],
)
def test_a_training_volume_is_no_duration(opening, locale: str, words: str) -> None:
    record = opening(locale, words)
    assert "pain_days" not in (record["findings"] or {}), record


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("en-GB", "my hip's woken me up a couple of nights this week"),
        ("en-US", "it started hurting a couple of runs ago"),
    ],
)
def test_a_count_of_nights_or_runs_is_no_score(opening, locale: str, words: str) -> None:
    record = opening(locale, words)
    assert "pain_severity" not in (record["findings"] or {}), record
