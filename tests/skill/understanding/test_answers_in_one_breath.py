"""Answers said in one breath, in everyday words (en-US and en-GB, fillers, corrections, several
facts at once): a yes or no read with the words after it, a question after an answer kept apart,
the pending question's kind of answer first and everything else said kept, corrections that
replace what came before, negation that stops at a new clause."""

from __future__ import annotations

from datetime import date

import pytest

from hipcoach.understanding import Context, understand

TODAY = date(2026, 11, 20)
SCREEN_ANSWERS = ("AMAZON.YesIntent", "AMAZON.NoIntent", "DontKnowIntent")


def asking(finding: str | None, *expects: str, locale: str = "en-US") -> Context:
    mode = "interview" if finding else "idle"
    return Context(today=TODAY, locale=locale, mode=mode, asking=finding, expects=expects)


def heard(words: str, context: Context, intent: str = "UtteranceIntent"):
    return understand(words, intent, None, context)


@pytest.mark.parametrize(
    ("words", "locale"),
    [
        ("nah none of those, I'm walking around fine, it's more of an ache really", "en-GB"),
        ("none of them honestly, I can walk on it okay", "en-US"),
    ],
)
def test_a_no_that_denies_the_whole_list_says_so(words: str, locale: str) -> None:
    got = heard(words, asking("emergency_screen", *SCREEN_ANSWERS, locale=locale), "AnswerNoIntent")
    assert got.denies_all, got


def test_a_no_to_one_item_is_no_whole_list_denial() -> None:
    got = heard("I can put weight on it", asking("emergency_screen", *SCREEN_ANSWERS))
    assert not got.denies_all
    assert got.values().get("cannot_bear_weight") is False


@pytest.mark.parametrize(
    ("words", "locale"),
    [
        ("none of them I guess, should I still be icing it though", "en-US"),
        ("nothing like that, can I still go to parkrun on saturday", "en-GB"),
    ],
)
def test_a_question_after_the_answer_is_kept_apart(words: str, locale: str) -> None:
    got = heard(words, asking("urgent_screen", *SCREEN_ANSWERS, locale=locale), "AnswerNoIntent")
    assert got.intent == "AMAZON.NoIntent", got
    assert got.then is not None and got.then.understood, got
    assert not got.then.findings


def test_a_question_alone_is_not_split() -> None:
    got = heard("can I still run on it or should I rest", asking(None))
    assert got.then is None


def test_the_asked_kind_first_then_everything_else_said() -> None:
    got = heard(
        "um gradually I guess, over like three weeks since I bumped my miles up",
        asking("onset", "OnsetIntent"),
    )
    values = got.values()
    assert values.get("onset") == "gradual"
    assert values.get("pain_days") == 21


def test_a_red_flag_after_but_stands_though_the_first_clause_is_denied() -> None:
    got = heard(
        "didn't fall or anything, but I've had the chills since yesterday",
        asking("after_fall_or_injury", *SCREEN_ANSWERS),
        "AnswerNoIntent",
    )
    values = got.values()
    assert values.get("fever_or_chills") is True
    assert values.get("after_fall_or_injury") is not True


@pytest.mark.parametrize("words", ["I feel fine", "I'm feeling alright otherwise"])
def test_a_no_to_the_fever_question_writes_no_other_finding(words: str) -> None:
    got = heard(words, asking("fever_or_chills", *SCREEN_ANSWERS), "AnswerNoIntent")
    assert got.intent == "AMAZON.NoIntent", got
    assert "worsening" not in got.values()


@pytest.mark.parametrize(
    ("words", "locale"),
    [
        ("um it's on the outside no wait it's more at the front where my leg bends", "en-US"),
        ("it's round the side, no sorry, it's more at the front of the hip really", "en-GB"),
    ],
)
def test_a_correction_is_never_a_bare_no_and_replaces_the_earlier_value(
    words: str, locale: str
) -> None:
    got = heard(words, asking(None, locale=locale))
    assert got.intent not in ("AMAZON.NoIntent", "AMAZON.StopIntent"), got
    assert got.corrected
    assert "front_hip" in got.slot_ids().values() or got.values().get("pain_location") == (
        "front_hip"
    )


@pytest.mark.parametrize(
    ("words", "locale", "expected"),
    [
        (
            "so like the outside of my left hip has been sore for about two weeks, it's worse "
            "lying on that side and honestly it's like a six",
            "en-US",
            {"pain_location": "outer_hip", "pain_days": 14, "worse_lying_on_side": True,
             "pain_severity": 6},
        ),
        (
            "right so my hip's been really swollen and hot since yesterday and I feel all "
            "shivery, I haven't fallen or anything",
            "en-GB",
            {"sudden_swelling": True, "fever_or_chills": True, "after_fall_or_injury": False},
        ),
    ],
)  # fmt: skip
def test_an_opening_keeps_every_finding_said(
    words: str, locale: str, expected: dict[str, object]
) -> None:
    values = heard(words, asking(None, locale=locale)).values()
    assert {k: values.get(k) for k in expected} == expected, values


def test_a_duration_with_nothing_about_the_hip_is_no_finding() -> None:
    assert "pain_days" not in heard("I ran for two hours on sunday", asking(None)).values()
    assert "pain_days" not in heard("it comes back every few weeks", asking(None)).values()


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_at_the_menu_a_no_followed_by_findings_is_their_story(locale: str) -> None:
    menu = Context(today=TODAY, locale=locale, mode="idle")
    got = heard("it's more like at the front where my leg meets my hip", menu, "AnswerNoIntent")
    assert got.intent not in ("AMAZON.NoIntent", "AMAZON.StopIntent"), got


@pytest.mark.parametrize(
    ("words", "locale"),
    [
        ("um it kinda hurts when I'm running and it's still there after", "en-US"),
        ("sore when I run and for a bit after, to be honest", "en-GB"),
    ],
)
def test_two_values_said_together_make_the_combined_one(words: str, locale: str) -> None:
    got = heard(words, asking("pain_timing", "TimingIntent", locale=locale))
    assert got.values().get("pain_timing") == "during_and_after", got


def test_a_negated_part_is_no_part_of_a_combined_value() -> None:
    got = heard("it was after my run, it wasn't sore during", asking("pain_timing", "TimingIntent"))
    assert got.values().get("pain_timing") != "during_and_after"


@pytest.mark.parametrize(
    "words",
    [
        "I'm fifty eight and it's been aching deep in the hip for a couple of months",
        "it's been sore for a few weeks now, deep in the joint",
    ],
)
def test_an_amount_is_no_score(words: str) -> None:
    assert "pain_severity" not in heard(words, asking(None)).values()


def test_a_score_said_anywhere_is_still_one() -> None:
    got = heard(
        "aching on the outside for a couple of weeks and I'd say it's like a seven", asking(None)
    )
    assert got.values().get("pain_severity") == 7


@pytest.mark.parametrize(
    ("words", "locale"),
    [
        ("yeah pins and needles down my leg sometimes", "en-GB"),
        ("yes tingling down the leg", "en-US"),
    ],
)
def test_where_the_tingling_goes_is_not_where_the_pain_goes(words: str, locale: str) -> None:
    got = heard(words, asking("numbness_or_tingling", *SCREEN_ANSWERS, locale=locale))
    assert got.values().get("numbness_or_tingling") is True
    assert "pain_radiates" not in got.values()
    assert not any(v.startswith("pain_radiates") for v in got.slot_ids().values())


def test_where_the_pain_goes_is_still_read() -> None:
    got = heard("the outside of my hip aches and it goes down my thigh to the knee", asking(None))
    assert got.values().get("pain_radiates") == "thigh_or_knee"


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_a_no_then_not_negates_the_value(locale: str) -> None:
    got = heard(
        "not down the leg, no",
        asking("pain_radiates", "RadiationIntent", locale=locale),
        "AnswerNoIntent",
    )
    assert got.values().get("pain_radiates") != "thigh_or_knee"
    assert "pain_radiates=thigh_or_knee" not in got.slot_ids().values()
    assert got.slot_ids().get("radiation") != "thigh_or_knee"
