"""The findings catalogue through the local NLU: several findings from one breath, negations
read right (a wrong value is the worst failure), fillers and hedges dropped, both locales."""

from __future__ import annotations

from datetime import date

import pytest

from hipcoach.app import slot_value
from hipcoach.dialog.answers import carried_findings, reply_of
from hipcoach.dialog.turn import Said
from hipcoach.standin.envelopes import build_slot
from hipcoach.understanding.matcher import Nlu

TODAY = date(2026, 11, 20)


@pytest.fixture(scope="module")
def us() -> Nlu:
    return Nlu("en-US")


@pytest.fixture(scope="module")
def gb() -> Nlu:
    return Nlu("en-GB")


def heard(nlu: Nlu, utterance: str) -> tuple[dict[str, object], bool | None]:
    result = nlu.resolve(utterance, TODAY)
    slots = {name: build_slot(name, fill) for name, fill in result.slots.items()}
    request = Said(result.intent, {n: slot_value(s) for n, s in slots.items()})
    return carried_findings(request), reply_of(request)


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        (
            "so uh I went down hard on a wet trail and now I literally can't stand on that leg",
            {"after_fall_or_injury": True, "cannot_bear_weight": True},
        ),
        ("I can walk on it but it aches after", {"cannot_bear_weight": False}),
        ("it's puffy and hot and I've been shivering", {"sudden_swelling": True}),
        ("not swollen, no temperature", {"sudden_swelling": False}),
        ("there's no swelling but I've got a fever", {"sudden_swelling": False}),
        (
            "mostly round the back, my glutes, and it shoots down my leg",
            {"pain_location": "buttock", "pain_radiates": "thigh_or_knee"},
        ),
        ("it comes and goes but it's never woken me up", {}),
        ("it clicks when I swing my leg", {"clicking": True}),
    ],
)
def test_several_findings_in_one_breath(us: Nlu, said: str, expected: dict) -> None:
    carried, _ = heard(us, said)
    for finding, value in expected.items():
        assert carried.get(finding) == value, (said, carried)


@pytest.mark.parametrize(
    "said",
    [
        "I don't think I fell",
        "I never had a fever",
        "nope, not numb at all",
        "I wouldn't say it's swollen",
        "no, I've not had any chills",
    ],
)
def test_a_negated_red_flag_is_never_recorded_as_present(us: Nlu, said: str) -> None:
    carried, _ = heard(us, said)
    assert True not in carried.values(), (said, carried)


def test_a_yes_or_a_no_in_front_is_kept_apart(us: Nlu) -> None:
    assert heard(us, "yeah, going up the stairs kills it") == ({"pain_lifting_leg": True}, True)
    assert heard(us, "nah I can move it fine") == ({"cannot_move_leg": False}, False)
    carried, reply = heard(us, "no fever but it's swollen")
    assert carried == {"fever_or_chills": False, "sudden_swelling": True} and reply is None


def test_locale_words(us: Nlu, gb: Nlu) -> None:
    assert heard(gb, "it's my bum if I'm honest")[0] == {"pain_location": "buttock"}
    assert heard(us, "it's my butt I think")[0] == {"pain_location": "buttock"}
    assert "pain_location" not in heard(us, "it's my bum if I'm honest")[0]  # en-GB only
    assert heard(gb, "I've been a bit poorly, running a temperature")[0] == {
        "fever_or_chills": True
    }
    assert heard(gb, "only a niggle to be fair")[0] == {"intense_pain": False}


def test_a_finding_said_two_ways_at_once_is_not_taken(us: Nlu) -> None:
    carried, _ = heard(us, "I can walk on it, well, I can't put weight on it")
    assert "cannot_bear_weight" not in carried


@pytest.mark.parametrize(
    "said",
    [
        "I was at the front of the race when it started",
        "I usually run at night after work",
        "on the way to the track I felt it",
        "it was my first time doing a marathon",
        "I ran slowly the whole way",
    ],
)
def test_words_that_mean_a_finding_only_as_an_answer_are_not_taken_from_a_story(
    us: Nlu, said: str
) -> None:
    carried, _ = heard(us, said)
    assert not {"pain_location", "night_pain", "recent_speedwork", "recurrent", "onset"} & set(
        carried
    ), (said, carried)
