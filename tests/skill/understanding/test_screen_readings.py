"""The readings the blind testers of issue 23 found wrong (helper screen28), each a rule or a data
category: an inability echoed after a yes or no, hopping and crutches, deformity, a correction
word that only stresses a yes, "I don't know" with its subject dropped, determiners and plurals,
puffy swelling, a mileage rise against the usual week, and a time phrase that dates the pain."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hipcoach.understanding import Context, understand

TODAY = date(2026, 12, 1)
MENU = Context(today=TODAY, mode="idle")
SCREEN_ANSWERS = ("UnableIntent", "AbleIntent", "AMAZON.YesIntent", "AMAZON.NoIntent")
YES_NO = ("AMAZON.YesIntent", "AMAZON.NoIntent", "DontKnowIntent")


def asking(finding: str, *expects: str, locale: str = "en-US") -> Context:
    return Context(today=TODAY, locale=locale, mode="interview", asking=finding, expects=expects)


def values(words: str, context: Context = MENU) -> dict[str, str]:
    got = understand(words, "UtteranceIntent", None, context)
    found = {f.finding: f.value for f in got.findings}
    for value_id in got.slot_ids().values():
        if value_id and "=" in value_id:
            finding, value = value_id.split("=", 1)
            found.setdefault(finding, value)
    return found


# -- an inability said back after a yes or no: never read as able ------------------------------

LEADS = ["", "no ", "no, ", "nope ", "um no ", "yeah ", "No. "]
ECHOES = ["i can't", "I cannot", "i really can't", "I'm not able to", "I just can't"]
HOW = [
    "i literally have to hop",
    "I've been hopping about",
    "i'm on crutches",
    "they had to carry me off",
    "I've had to hop everywhere",
]


@settings(max_examples=15, deadline=None)
@given(
    st.sampled_from(LEADS),
    st.sampled_from(ECHOES),
    st.sampled_from(HOW),
    st.sampled_from(["en-US", "en-GB"]),
)
def test_an_echoed_inability_then_how_is_unable_to_bear_weight(
    lead: str, echo: str, how: str, locale: str
) -> None:
    context = asking("emergency_screen", *SCREEN_ANSWERS, "DontKnowIntent", locale=locale)
    found = values(f"{lead}{echo}, {how}", context)
    assert found.get("cannot_bear_weight") == "true", found


@settings(max_examples=12, deadline=None)
@given(st.sampled_from(LEADS), st.sampled_from(ECHOES), st.sampled_from(["en-US", "en-GB"]))
def test_an_echoed_inability_with_news_answers_the_screen_as_unable(
    lead: str, echo: str, locale: str
) -> None:
    context = asking("emergency_screen", *SCREEN_ANSWERS, "DontKnowIntent", locale=locale)
    got = understand(f"{lead}{echo}, it's agony at the front", "UtteranceIntent", None, context)
    assert got.intent == "UnableIntent"
    assert {f.finding: f.value for f in got.findings}.get("pain_location") == "front_hip"
    assert "cannot_bear_weight" not in {f.finding for f in got.findings if f.value == "false"}


@pytest.mark.parametrize(
    "words",
    [
        "no i can't walk on it",
        "no, I can't put any weight on it",
        "i'm hopping",
        "had to be carried off the track",
        "I'm on crutches since saturday",
    ],
)
def test_unable_to_bear_weight_said_every_way(words: str) -> None:
    assert values(words).get("cannot_bear_weight") == "true"


def test_an_able_leg_stays_able() -> None:
    context = asking("emergency_screen", *SCREEN_ANSWERS)
    assert values("no, I can walk on it okay, it's just sore", context)["cannot_bear_weight"] == (
        "false"
    )


# -- a deformity, whichever determiner or side is said --------------------------------------------


@pytest.mark.parametrize(
    "words",
    [
        "the leg's sort of turned out and it looks shorter than the other one",
        "my foot's pointing out sideways",
        "after i fell my right leg looks shorter than my left",
        "went over on the kerb and my leg's turned outwards",
    ],
)
def test_a_deformity_after_a_fall(words: str) -> None:
    assert values(words).get("hip_deformed") == "true"


# -- a yes stressed with "actually" stays a yes ------------------------------------------------------


@pytest.mark.parametrize(
    "words",
    [
        "yeah actually, every time I land on that leg it's really sharp",
        "yes actually whenever i put my foot down it's sharp",
    ],
)
def test_a_stressed_yes_with_more_detail(words: str) -> None:
    got = understand(words, "UtteranceIntent", None, asking("pain_on_weight_bearing", *YES_NO))
    assert not got.corrected
    assert got.intent == "AMAZON.YesIntent" or values(words).get("pain_on_weight_bearing") == "true"


def test_yes_actually_no_still_corrects() -> None:
    got = understand(
        "yes, actually no, it's about the same", "UtteranceIntent", None, asking("worsening")
    )
    assert got.intent != "AMAZON.YesIntent"


def test_landing_on_the_leg_is_the_weight_bearing_sign() -> None:
    for words in ("every time I land on it it's sharp", "each time my foot hits the ground"):
        assert values(words).get("pain_on_weight_bearing") == "true", words


# -- "I don't know" with its subject dropped is no question ---------------------------------------


@pytest.mark.parametrize(
    "words", ["couldn't tell you", "honestly couldn't tell you", "i couldn't tell you"]
)
def test_dont_know_with_the_subject_dropped(words: str) -> None:
    got = understand(words, "UtteranceIntent", None, asking("pain_location", "LocationIntent"))
    assert got.intent == "DontKnowIntent"


def test_a_negative_question_still_asks() -> None:
    from hipcoach.understanding.rules import is_question

    assert is_question("can't I just keep running")
    assert is_question("shouldn't the pain be gone by now")
    assert not is_question("can't say really")


# -- plural and both-sided places ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "place"),
    [
        ("around the sides of both hips, mostly the sides", "outer_hip"),
        ("the sides of my hips", "outer_hip"),
        ("on the outsides of both hips", "outer_hip"),
        ("in the fronts of my hips", "front_hip"),
        ("kind of in both buttocks", "buttock"),
    ],
)
def test_plural_places(words: str, place: str) -> None:
    for locale in ("en-US", "en-GB"):
        context = asking("pain_location", "LocationIntent", locale=locale)
        assert values(words, context).get("pain_location") == place, (words, locale)


# -- puffy swelling ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "words", ["it's puffed up", "it swelled up last night", "it's all puffy", "sore and puffed up"]
)
def test_puffy_is_swelling(words: str) -> None:
    assert values(words).get("sudden_swelling") == "true"


# -- the mileage rise against the usual week -----------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "rise"),
    [
        ("groin pain. bad. ran fifty miles last week, I normally do thirty", "67"),
        ("my hip hurts, i ran forty miles this week and i usually do twenty", "100"),
        ("sore hip, did thirty miles last week, normally twenty", "50"),
        ("my hip aches, only twenty this week, usually thirty", "0"),
    ],
)
def test_an_opening_about_pain_with_a_rise(words: str, rise: str) -> None:
    got = understand(words, "UtteranceIntent", None, MENU)
    assert got.intent not in ("LogRunIntent", "PlanWeekIntent")  # a check, never a log entry
    assert {f.finding: f.value for f in got.findings}.get("mileage_increase_pct") == rise


def test_miles_without_pain_stay_a_log_entry() -> None:
    got = understand("i ran forty miles this week, usually thirty", "UtteranceIntent", None, MENU)
    assert got.intent == "LogRunIntent"
    assert not got.findings


# -- a time phrase that dates the pain is no timing pattern ------------------------------------------


@pytest.mark.parametrize(
    "words",
    [
        "my hip is killing me after my long run yesterday",
        "I tripped on a curb during my run two weeks ago",
        "i fell on my run and it's been sore since",
        "sore after my race three days ago",
    ],
)
def test_a_dated_run_is_no_timing(words: str) -> None:
    assert "pain_timing" not in values(words)


def test_a_timing_pattern_stays() -> None:
    assert values("my hip hurts after every run").get("pain_timing") == "after_run"
    assert values("it hurts during my runs").get("pain_timing") == "during_run"
    context = asking("pain_timing", "TimingIntent")
    assert values("after my run yesterday", context).get("pain_timing") == "after_run"
