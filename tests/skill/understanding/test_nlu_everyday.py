"""The local NLU with everyday speech: fillers, stammers, words the model has never seen, and two
questions in one breath (skill/hipcoach/standin/nlu.py). Intents only; never English replies."""

from __future__ import annotations

import pytest

from hipcoach.understanding.matcher import FALLBACK_INTENT, resolve


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("um so like what should i do tonight you know", "TonightIntent"),
        ("hold on hold on hold on", "AMAZON.PauseIntent"),
        ("basically can i take advil or", "MedicationIntent"),
    ],
)
def test_fillers_and_stammers_do_not_hide_the_question(said: str, intent: str) -> None:
    assert resolve(said, "en-US").intent == intent


def test_a_word_the_model_never_heard_does_not_drown_the_rest() -> None:
    # "postman" and "afraid" are in no sample: "hold on" and "worse" are still heard
    assert resolve("hold on the postman", "en-GB").intent == "AMAZON.PauseIntent"
    assert resolve("afraid it is worse", "en-GB").intent == "ProgressIntent"


@pytest.mark.parametrize("said", ["is yoga ok", "can i go skiing", "is pilates alright"])
def test_a_question_with_an_unknown_word_is_never_heard_as_an_answer(said: str) -> None:
    """Mid-check, "is yoga ok?" taken as "yes" would record a finding the runner never gave."""
    assert resolve(said, "en-GB").intent not in ("AMAZON.YesIntent", "AMAZON.NoIntent")


@pytest.mark.parametrize(
    "said", ["what's the weather like", "how is the cricket going", "what is the capital of peru"]
)
def test_unknown_words_never_make_a_match_out_of_question_words(said: str) -> None:
    assert resolve(said, "en-GB").intent == FALLBACK_INTENT


def test_two_questions_in_one_breath_answer_the_first() -> None:
    heard = resolve("what should i do tonight and also is it fine to swim", "en-GB")
    assert heard.intent == "TonightIntent"


def test_a_statement_with_and_is_never_cut_short() -> None:
    """ "no and it's gone numb" must not be heard as a bare no: the rest could be a red flag."""
    assert resolve("nope not at all and now my whole leg has gone numb", "en-GB").intent not in (
        "AMAZON.NoIntent",
    )


@pytest.mark.parametrize(
    "said",
    [
        "no better thanks",
        "not loads better",
        "not really any better",
        "honestly it has not gone away at all",
        "no not gone",
        "not that much better to be honest",
    ],
)
def test_a_negated_follow_up_is_never_heard_as_better_or_gone(said: str) -> None:
    """ "Is it any better?" "No better" heard as better would drop the advice to book someone;
    "not gone" heard as gone would close the episode."""
    heard = resolve(said, "en-GB")
    assert heard.slot_ids().get("progress") not in ("better", "gone"), heard
