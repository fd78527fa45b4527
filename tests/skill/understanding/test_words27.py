"""The general mechanisms behind tests/corpora/words27_*.yaml (helper words27): contractions
written without their apostrophe, every sign of a list of signs, a run said by its size as a
noun, a duration of something else than the pain, weakness said of a part of the body, and a
finding said as easing. Each is tested on words of its own, not the corpus's."""

from __future__ import annotations

from datetime import date

import pytest

from hipcoach.understanding import Context, rules, understand
from hipcoach.understanding.context import raw
from hipcoach.understanding.interceptor import expects
from hipcoach.understanding.matcher import nlu
from hipcoach.understanding.words import tokens

TUESDAY = date(2026, 12, 1)
PROGRESS = "ProgressIntent"


def asking(finding: str, locale: str = "en-US") -> Context:
    return Context(
        today=TUESDAY, locale=locale, mode="interview", asking=finding, expects=expects(finding)
    )


def said(words: str, context: Context) -> dict[str, str]:
    found = understand(words, "UtteranceIntent", None, context)
    return {f.finding: f.value for f in found.findings if f.polarity == "affirmed"}


# -- contractions without their apostrophe -------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "as_said"),
    [
        ("i cant", "i can't"),
        ("it doesnt", "it doesn't"),
        ("im fine", "i'm fine"),
        ("ive got", "i've got"),
        ("thats it", "that's it"),
        ("it wasnt", "it wasn't"),
        ("they werent", "they weren't"),
    ],
)
def test_a_contraction_without_its_apostrophe_is_read_as_written(
    written: str, as_said: str
) -> None:
    assert tokens(written) == tokens(as_said)


@pytest.mark.parametrize("word", ["ill", "were", "its", "well", "shed", "hell", "wed", "id"])
def test_a_word_of_its_own_is_never_read_as_a_contraction(word: str) -> None:
    assert word not in (raw().get("unwritten_apostrophes") or {})
    assert tokens(f"i {word}") == ("i", word)


def test_a_red_flag_said_without_apostrophes_is_an_emergency_sign() -> None:
    context = asking("emergency_screen", "en-GB")
    assert said("honestly i cant bear any weight on that leg", context).get(
        "cannot_bear_weight"
    ) == ("true")


def test_a_denial_without_apostrophes_denies() -> None:
    assert said("nah it doesnt click", asking("clicking")).get("clicking") != "true"


# -- every sign of a list of signs ---------------------------------------------------------------


@pytest.mark.parametrize(
    "words",
    ["it went puffy and hot", "puffy, red and sore", "it's swollen and feels warm"],
)
def test_every_sign_of_a_list_is_said(words: str) -> None:
    found = said(words, asking("urgent_screen"))
    assert found.get("sudden_swelling") == "true"
    assert found.get("hip_hot_or_red") == "true"


def test_a_bare_sign_word_alone_names_nothing() -> None:
    assert "hip_hot_or_red" not in said("it's a hot sort of pain", asking("pain_quality"))


def test_every_sign_word_reads_as_a_catalogue_phrasing() -> None:
    model = nlu("en-US")
    for word, phrase in (raw()["signs_in_a_list"]["words"]).items():
        fill = model.fill_slot("FindingType", tokens(phrase), TUESDAY)
        assert fill is not None and fill.resolved is not None, (word, phrase)


# -- a run said by its size as a noun ------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "read"),
    [
        ("is a slow 8k alright", "is a slow run alright"),
        ("could i manage a two miler", "could i manage a run"),
        ("can i still race a half marathon", "can i still race"),
        ("is my half on sunday off then", "is my race on sunday off then"),
        ("my usual 30 minute jog", "my usual jog"),
    ],
)
def test_a_run_said_by_its_size_is_a_run(words: str, read: str) -> None:
    assert rules.run_sizes(words, asked=True) == read


@pytest.mark.parametrize(
    "words",
    ["about four hundred miles", "a week and a half", "a couple of miles", "from 20 to 25k"],
)
def test_an_amount_is_no_run(words: str) -> None:
    assert rules.run_sizes(words, asked=True) is None


def test_a_run_size_is_no_pain_score() -> None:
    assert "pain_severity" not in said("after a seven miler", asking("pain_timing"))


def test_a_question_about_a_run_said_by_its_size_is_a_running_question() -> None:
    context = Context(today=TUESDAY, locale="en-GB", mode="idle")
    found = understand("would a gentle 4k be ok on thursday", "UtteranceIntent", None, context)
    assert found.act in ("RunningQuestion", "QuestionTopic")
    assert not found.findings


# -- a duration of something else than the pain -------------------------------------------------


@pytest.mark.parametrize(
    "words",
    [
        "at the front. i iced it for three days",
        "at the front, i've been training for six years",
        "at the front and i saw a physio five days ago",
    ],
)
def test_a_duration_of_something_else_is_not_how_long_it_hurts(words: str) -> None:
    assert "pain_days" not in said(words, asking("pain_location"))


def test_a_duration_of_the_pain_is_how_long_it_hurts() -> None:
    found = said("at the front, it started hurting four days ago", asking("pain_location"))
    assert found.get("pain_days") == "4"


# -- weakness said of a part of the body --------------------------------------------------------


@pytest.mark.parametrize("words", ["my right thigh is a lot weaker", "my hamstring feels weaker"])
def test_a_part_said_weaker_is_one_side_weaker_not_a_place(words: str) -> None:
    found = said(words, asking("pain_location"))
    assert found.get("one_side_weaker") == "true"
    assert "pain_location" not in found


def test_a_part_said_to_hurt_is_still_a_place() -> None:
    assert said("it aches in my bum", asking("pain_location")).get("pain_location") == "buttock"


# -- a finding said as easing -------------------------------------------------------------------


def _progress(words: str) -> tuple[str, str | None, dict[str, str]]:
    context = Context(today=TUESDAY, locale="en-GB", mode="idle", expects=(PROGRESS,))
    found = understand(words, "UtteranceIntent", None, context)
    value = found.slots.get("progress")
    return found.intent, value.id if value else None, {f.finding: f.value for f in found.findings}


@pytest.mark.parametrize(
    "words", ["the puffiness has died down", "my temperature's come down a lot", "it's eased up"]
)
def test_easing_is_better_never_gone_nor_a_finding(words: str) -> None:
    intent, value, findings = _progress(words)
    assert (intent, value) == (PROGRESS, "better")
    assert not findings


def test_worse_said_with_easing_stays_worse() -> None:
    assert _progress("worse really, though the swelling's gone down")[1] == "worse"


def test_a_finding_said_as_easing_is_neither_present_nor_absent() -> None:
    found = said("the swelling has gone down", asking("urgent_screen"))
    assert "sudden_swelling" not in found


@pytest.mark.parametrize("words", ["it's not warm or puffy", "it isnt red or swollen"])
def test_a_denial_in_its_own_words_denies_the_list_after_it(words: str) -> None:
    found = understand(words, "UtteranceIntent", None, asking("urgent_screen"))
    swelling = [f for f in found.findings if f.finding == "sudden_swelling"]
    assert swelling and all(f.polarity == "negated" or f.value == "false" for f in swelling)
    assert "sudden_swelling=true" not in found.slot_ids()


def test_a_sign_said_after_a_denied_one_in_a_new_clause_stands() -> None:
    assert said("it isn't red but it's swollen", asking("urgent_screen")).get(
        "sudden_swelling"
    ) == ("true")
