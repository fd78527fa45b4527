"""The local NLU resolves runners' phrasings the way Alexa would for the skill's model."""

from __future__ import annotations

from datetime import date

import pytest

from hipcoach.understanding.matcher import FALLBACK_INTENT, Nlu, resolve
from hipcoach.understanding.words import (
    days_since,
    duration_days,
    parse_date,
    parse_duration,
    parse_number,
)

TODAY = date(2025, 11, 20)  # a Thursday


@pytest.fixture(scope="module")
def us() -> Nlu:
    return Nlu("en-US")


@pytest.fixture(scope="module")
def gb() -> Nlu:
    return Nlu("en-GB")


CASES: list[tuple[str, str, dict[str, str]]] = [
    # where it hurts
    ("it's on the outside", "LocationIntent", {"location": "outer_hip"}),
    ("round the side of my hip", "LocationIntent", {"location": "outer_hip"}),
    ("it hurts on the side of my hip", "LocationIntent", {"location": "outer_hip"}),
    ("outside", "LocationIntent", {"location": "outer_hip"}),
    ("at the front", "LocationIntent", {"location": "front_hip"}),
    ("where my thigh meets my body", "LocationIntent", {"location": "front_hip"}),
    ("it's mostly in my groin", "LocationIntent", {"location": "groin"}),
    ("deep inside the joint", "LocationIntent", {"location": "deep_joint"}),
    ("it's deep inside", "LocationIntent", {"location": "deep_joint"}),
    ("in my bum", "LocationIntent", {"location": "buttock"}),
    ("my buttock", "LocationIntent", {"location": "buttock"}),
    # where it spreads
    ("it goes down my thigh", "RadiationIntent", {"radiation": "thigh_or_knee"}),
    ("it spreads to my knee", "RadiationIntent", {"radiation": "thigh_or_knee"}),
    ("into my lower back", "RadiationIntent", {"radiation": "lower_back"}),
    ("it doesn't spread", "RadiationIntent", {"radiation": "none"}),
    # when it hurts
    ("during my run", "TimingIntent", {"timing": "during_run"}),
    ("it only hurts after running", "TimingIntent", {"timing": "after_run"}),
    ("both during and after", "TimingIntent", {"timing": "during_and_after"}),
    ("even when I'm resting", "TimingIntent", {"timing": "at_rest"}),
    # how it started
    ("it came on gradually", "OnsetIntent", {"onset": "gradual"}),
    ("all of a sudden", "OnsetIntent", {"onset": "sudden"}),
    ("it just crept up on me", "OnsetIntent", {"onset": "gradual"}),
    # what it feels like
    ("kind of a dull ache", "QualityIntent", {"quality": "dull_ache"}),
    ("it's a sharp pain", "QualityIntent", {"quality": "sharp"}),
    ("it feels like it's burning", "QualityIntent", {"quality": "burning"}),
    ("stabbing", "QualityIntent", {"quality": "sharp"}),
    # how long
    ("about two weeks", "DurationIntent", {"duration": "P2W"}),
    ("about 10 days", "DurationIntent", {"duration": "P10D"}),
    ("a fortnight", "DurationIntent", {"duration": "P2W"}),
    ("for a couple of weeks", "DurationIntent", {"duration": "P2W"}),
    ("it started three days ago", "DurationIntent", {"duration": "P3D"}),
    ("since last Tuesday", "DurationIntent", {"since": "2025-11-18"}),
    ("since yesterday", "DurationIntent", {"since": "2025-11-19"}),
    ("ten or so days", "DurationIntent", {"number": "10", "unit": "days"}),
    # numbers
    ("seven out of ten", "NumberIntent", {"number": "7"}),
    ("seven", "NumberIntent", {"number": "7"}),
    ("twenty five", "NumberIntent", {"number": "25"}),
    ("about a couple of", "NumberIntent", {"number": "2"}),
    ("I'd say it's about a six", "NumberIntent", {"number": "6"}),
    ("about 20 percent", "NumberIntent", {"number": "20"}),
    ("three hundred and fifty miles", "NumberIntent", {"number": "350"}),
    # yes, no, don't know
    ("yeah", "AMAZON.YesIntent", {}),
    ("yep", "AMAZON.YesIntent", {}),
    ("yes it does", "AMAZON.YesIntent", {}),
    ("yeah I think it does", "AMAZON.YesIntent", {}),
    ("nope", "AMAZON.NoIntent", {}),
    ("not really", "AMAZON.NoIntent", {}),
    ("no it doesn't", "AMAZON.NoIntent", {}),
    ("I'm not sure", "DontKnowIntent", {}),
    ("no idea", "DontKnowIntent", {}),
    # the rest of the skill
    ("my hip hurts after running", "StartCheckIntent", {}),
    ("my hip is really hurting after my run today", "StartCheckIntent", {}),
    ("why do you think that", "WhyIntent", {}),
    ("how much can I add to my mileage", "PreventionIntent", {"topic": "mileage"}),
    ("should I use ice or heat", "PreventionIntent", {"topic": "ice_heat"}),
    ("how often should I replace my running shoes", "PreventionIntent", {"topic": "shoes"}),
    (
        "how much can I add if I ran 30 miles last week",
        "MileageAdviceIntent",
        {"distance": "30", "unit": "miles"},
    ),
    (
        "I ran twenty five miles last week",
        "LogRunIntent",
        {"distance": "25", "unit": "miles", "period": "last_week"},
    ),
    (
        "add a 10k today",
        "LogRunIntent",
        {"distance": "10", "unit": "kilometres", "period": "today"},
    ),
    ("how much can I run this week", "PlanWeekIntent", {"week": "this_week"}),
    (
        "I want to run 40 miles this week",
        "PlanWeekIntent",
        {"distance": "40", "unit": "miles", "week": "this_week"},
    ),
    ("start my stretches", "StartRoutineIntent", {"routine": "stretch"}),
    ("let's do the strength routine", "StartRoutineIntent", {"routine": "strength"}),
    ("resume my routine", "ResumeRoutineIntent", {}),
    ("skip this one", "SkipIntent", {}),
    ("how long left", "TimeLeftIntent", {}),
    ("I got new shoes", "NewShoesIntent", {}),
    ("how worn are my shoes", "ShoeWearIntent", {}),
    ("it's better", "ProgressIntent", {"progress": "better"}),
    ("it's much worse", "ProgressIntent", {"progress": "worse"}),
    ("about the same", "ProgressIntent", {"progress": "same"}),
    ("delete my data", "DeleteDataIntent", {}),
    ("what do you know about me", "WhatDoYouKnowIntent", {}),
    ("help", "AMAZON.HelpIntent", {}),
    ("say that again", "AMAZON.RepeatIntent", {}),
    ("start over", "AMAZON.StartOverIntent", {}),
    ("cancel", "AMAZON.CancelIntent", {}),
    ("stop", "AMAZON.StopIntent", {}),
    ("pause", "AMAZON.PauseIntent", {}),
    ("next", "AMAZON.NextIntent", {}),
    # fillers and punctuation
    ("Um, it's sort of burning.", "QualityIntent", {"quality": "burning"}),
    ("Well... it's ON THE OUTSIDE!", "LocationIntent", {"location": "outer_hip"}),
]

NONSENSE = [
    "purple monkey dishwasher",
    "what's the weather like",
    "play some music",
    "tell me a joke",
    "I need to buy milk",
    "hello",
    "",
    "zzzz qqqq",
]


def test_how_are_you_is_a_greeting(us: Nlu) -> None:
    """ "How are you" gets a friendly reply (issue 23); a bare "hello" is no intent of its own."""
    assert us.resolve("how are you today", TODAY).intent == "GreetingIntent"


@pytest.mark.parametrize(("said", "intent", "slots"), CASES)
def test_phrasings_resolve_to_intent_and_slot_ids(
    us: Nlu, said: str, intent: str, slots: dict[str, str]
) -> None:
    result = us.resolve(said, TODAY)
    assert (result.intent, result.slot_ids()) == (intent, slots), result.sample


@pytest.mark.parametrize("said", NONSENSE)
def test_nonsense_is_fallback(us: Nlu, said: str) -> None:
    result = us.resolve(said, TODAY)
    assert result.intent == FALLBACK_INTENT
    assert result.slots == {}


@pytest.mark.parametrize(
    ("said", "intent", "slots"),
    [
        ("I've got new trainers", "NewShoesIntent", {}),
        ("when should I replace my trainers", "PreventionIntent", {"topic": "shoes"}),
        ("should I see a physio about my hip", "StartCheckIntent", {}),
        ("about 20 per cent", "NumberIntent", {"number": "20"}),
        (
            "I ran 30 kilometres last week",
            "LogRunIntent",
            {"distance": "30", "unit": "kilometres", "period": "last_week"},
        ),
        ("it's in my backside", "LocationIntent", {"location": "buttock"}),
        ("aye", "AMAZON.YesIntent", {}),
    ],
)
def test_british_wording(gb: Nlu, said: str, intent: str, slots: dict[str, str]) -> None:
    result = gb.resolve(said, TODAY)
    assert (result.intent, result.slot_ids()) == (intent, slots)


def test_result_carries_every_slot_of_the_intent_and_entity_resolution(us: Nlu) -> None:
    result = us.resolve("since last Tuesday", TODAY)
    assert set(result.slots) == {"duration", "number", "unit", "since"}
    assert result.slot("duration") is None
    location = us.resolve("round the side of my hip", TODAY).slot("location")
    assert location is not None and location.resolved is not None
    assert (location.resolved.id, location.resolved.name) == ("outer_hip", "outer hip")
    assert location.value == "round the side of my hip"
    assert location.slot_type == "PainLocationType"


def test_close_phrasings_have_lower_confidence_than_exact(us: Nlu) -> None:
    assert us.resolve("it's on the outside", TODAY).confidence == 1.0
    close = us.resolve("I think it hurts on the outside of my hip when I run", TODAY)
    assert close.intent == "TellFindingsIntent"  # two findings in one breath, both kept
    assert set(close.slot_ids().values()) == {"pain_location=outer_hip", "pain_timing=during_run"}
    assert us.threshold <= close.confidence < 1.0


def test_module_shortcut_and_locales() -> None:
    assert resolve("yeah", "en-GB").intent == "AMAZON.YesIntent"
    assert resolve("yeah", "en-AU").intent == "AMAZON.YesIntent"
    assert resolve("it's on the outside", "en-US", TODAY).slot_ids() == {"location": "outer_hip"}


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("seven", 7),
        ("twenty five", 25),
        ("a couple of", 2),
        ("a few", 3),
        ("one hundred and ten", 110),
        ("a hundred", 100),
        ("two thousand five hundred", 2500),
        ("10", 10),
        ("7.5", 7.5),
        ("seven point five", 7.5),
        ("zero", 0),
        ("five twenty", None),
        ("seven seven", None),
        ("and", None),
        ("banana", None),
    ],
)
def test_parse_number(words: str, value: float | None) -> None:
    assert parse_number(words) == value


@pytest.mark.parametrize(
    ("words", "iso"),
    [
        ("two weeks", "P2W"),
        ("a fortnight", "P2W"),
        ("10 days", "P10D"),
        ("a couple of days", "P2D"),
        ("a week and a half", "P10.5D"),
        ("three months", "P3M"),
        ("a year", "P1Y"),
        ("five hours", "PT5H"),
        ("half an hour", "PT30M"),
        ("weeks", None),
        ("seven", None),
    ],
)
def test_parse_duration(words: str, iso: str | None) -> None:
    assert parse_duration(words) == iso


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("today", "2025-11-20"),
        ("yesterday", "2025-11-19"),
        ("the day before yesterday", "2025-11-18"),
        ("last tuesday", "2025-11-18"),
        ("thursday", "2025-11-13"),
        ("on monday", "2025-11-17"),
        ("last week", "2025-W46"),
        ("the weekend", "2025-W46-WE"),
        ("last month", "2025-10"),
        ("three days ago", "2025-11-17"),
        ("a week ago", "2025-11-13"),
        ("the fifth of november", "2025-11-05"),
        ("december 1st", "2024-12-01"),
        ("nonsense", None),
    ],
)
def test_parse_date(words: str, value: str | None) -> None:
    assert parse_date(words, TODAY) == value


def test_duration_and_date_helpers() -> None:
    assert duration_days("P2W") == 14
    assert duration_days("P10D") == 10
    assert duration_days("P10.5D") == 10
    assert duration_days("PT5H") == 0
    assert duration_days("nonsense") is None
    assert days_since("2025-11-18", TODAY) == 2
    assert days_since("2025-W46", TODAY) == 10
    assert days_since("2025-10", TODAY) == 50
    assert days_since("?", TODAY) is None


def test_one_shot_request_resolves(us: Nlu) -> None:
    assert us.resolve("start my stretches", TODAY).slot_ids() == {"routine": "stretch"}
