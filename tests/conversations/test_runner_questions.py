"""The questions runners ask, in their own everyday words, through the chat console: at the menu,
after a result (answered from that result) and mid-check (answered, then the pending question).
Assertions are on what the skill decided: the intent, the answer id (content/answers.yaml), the
result part told, the interview's pending question; not on English phrases.

None of these phrasings is a sample utterance of the model (a test checks it): they are the words
of runners, not of the model's author.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import pytest

from hipcoach import app
from hipcoach.standin.chat import Console
from hipcoach.standin.nlu import model_path

# (what a runner says, the answer id it should get). Everyday words, many people.
PHRASINGS: list[tuple[str, str]] = [
    ("am I good to go for a run in the morning", "running"),
    ("would it be alright to do my usual run tomorrow", "running"),
    ("is a run tomorrow a bad idea", "running"),
    ("when will i be back out running", "running"),
    ("should i just keep running even though it hurts", "run_through_pain"),
    ("is it fine to push on through a bit of pain", "run_through_pain"),
    ("will i do damage if i run on it while it's sore", "run_through_pain"),
    ("what's the best thing to do for it this evening", "tonight"),
    ("anything i can do tonight to help it", "tonight"),
    ("how should i look after my hip tonight", "tonight"),
    ("do i need to see someone about this", "see_doctor"),
    ("is this bad enough that i need a doctor", "see_doctor"),
    ("at what point should i get it checked by a doctor", "see_doctor"),
    ("so how long am i out for then", "healing_time"),
    ("how many weeks until this heals up", "healing_time"),
    ("how long does this usually take to get better", "healing_time"),
    ("is it ok if i pop some advil", "medication"),
    ("can i have some ibuprofen for it", "medication"),
    ("are painkillers a good idea", "medication"),
    ("would anti inflammatory tablets help", "medication"),
    ("should i put ice on it or a heat pack", "ice_heat"),
    ("how long should i ice it for", "ice_heat"),
    ("is heat better than ice for this", "ice_heat"),
    ("should i be stretching after my runs", "stretching"),
    ("is it worth stretching before i head out", "stretching"),
    ("what can i do to make my hips stronger", "hip_strength"),
    ("are clamshells any good", "hip_strength"),
    ("which exercises build up the hip muscles", "hip_strength"),
    ("how do i stretch out tight hip flexors", "hip_flexor_stretch"),
    ("give me a good stretch for my hip flexors", "hip_flexor_stretch"),
    ("does foam rolling actually help", "foam_rolling"),
    ("should i use a foam roller on it", "foam_rolling"),
    ("how many rest days should i be taking", "rest_days"),
    ("do i need days off between runs", "rest_days"),
    ("can i swim or cycle instead", "cross_training"),
    ("is cycling a good alternative to running", "cross_training"),
    ("is running on the road worse than grass", "surfaces"),
    ("does the surface i run on matter", "surfaces"),
    ("could my running form be the problem", "running_form"),
    ("how do i improve my technique", "running_form"),
    ("do i need new running shoes", "shoes"),
    ("how many miles before i replace my trainers", "shoes"),
    ("what's this ten percent rule", "ten_percent_rule"),
    ("how quickly can i up my mileage", "ten_percent_rule"),
    ("what's a good warm up before a run", "warm_up"),
    ("should i warm up first", "warm_up"),
    ("how should i cool down after a run", "cool_down"),
    ("is a cool down important", "cool_down"),
    ("how do i stop this from coming back", "prevention"),
]
# After a result: the question, the answer id, and the result part it is answered from.
AFTER_RESULT: list[tuple[str, str, str]] = [
    ("so can i go for a run tomorrow then", "running", "tomorrow"),
    ("what should i be doing tonight", "tonight", "tonight"),
    ("how long is this going to take", "healing_time", "recovery"),
    ("what else might be going on", "other_causes", "others"),
]
OUTER_HIP = {
    "pain_location": "on the outside",
    "pain_radiates": "nowhere",
    "pain_timing": "after running",
    "onset": "gradually",
    "pain_quality": "a dull ache",
    "pain_severity": "four",
    "pain_days": "about a week",
    "shoe_miles": "two hundred",
    "mileage_increase_pct": "five",
    "worse_lying_on_side": "yes",
    "tender_outer_hip": "yes",
}


@pytest.fixture
def chat(tmp_path, monkeypatch):
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "hip.db"))
    app.default_skill.cache_clear()

    def make(locale: str = "en-US", user: str = "runner") -> Console:
        args = argparse.Namespace(
            locale=locale, user=user, apl=False, endpoint=None, date="2026-11-20"
        )
        return Console(args)

    yield make
    app.default_skill.cache_clear()


def ask(console: Console, text: str) -> dict[str, Any]:
    """One turn, with the last answer id cleared first, so a turn that answers nothing shows."""
    if console.conversation.session is not None:
        console.conversation.session.attributes.pop("answered", None)
    return console.turn_record(text)


def attributes(console: Console) -> dict[str, Any]:
    session = console.conversation.session
    return dict(session.attributes or {}) if session else {}


def finish_check(console: Console, answers: dict[str, str] = OUTER_HIP) -> dict[str, Any]:
    """Answer every question ("no" where the dict says nothing) until the result."""
    turn = console.turn_record("check my hip")
    for _ in range(40):
        if not turn["asking"]:
            break
        turn = console.turn_record(answers.get(turn["asking"], "no"))
    assert turn["result"], turn
    return turn


def _samples(locale: str) -> set[str]:
    model = json.loads(model_path(locale).read_text(encoding="utf-8"))
    intents = model["interactionModel"]["languageModel"]["intents"]
    return {sample for intent in intents for sample in intent.get("samples", [])}


def test_the_phrasings_are_not_sample_utterances() -> None:
    samples = _samples("en-US") | _samples("en-GB")
    said = [text for text, _ in PHRASINGS] + [text for text, *_ in AFTER_RESULT]
    assert len(PHRASINGS) >= 40
    assert not [text for text in said if text in samples]


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_at_least_nine_in_ten_questions_are_answered_at_the_menu(chat, locale) -> None:
    console = chat(locale)
    console.turn_record("open hip coach")
    missed = []
    for text, expected in PHRASINGS:
        turn = ask(console, text)
        got = attributes(console).get("answered")
        if turn["intent"] == "AMAZON.FallbackIntent" or got != expected:
            missed.append((text, turn["intent"], got))
        assert not turn["end_session"], text
    answered = len(PHRASINGS) - len(missed)
    print(f"{locale}: answered {answered} of {len(PHRASINGS)}; missed {missed}")
    assert answered >= 0.9 * len(PHRASINGS), missed


def test_after_a_result_the_questions_are_answered_from_it(chat) -> None:
    console = chat()
    console.turn_record("open hip coach")
    finish_check(console)
    for text, expected, part in AFTER_RESULT:
        ask(console, text)
        state = attributes(console)
        assert state.get("answered") == expected, text
        assert part in state["result"]["told"], text
        assert state["mode"] in ("result", "offer_routine")


def test_tell_me_more_gives_each_part_once_and_offers_the_routine_after_tonight(chat) -> None:
    console = chat()
    console.turn_record("open hip coach")
    finish_check(console)
    modes = []
    for _ in range(8):
        console.turn_record("could you tell me more")
        modes.append(attributes(console)["mode"])
    told = attributes(console)["result"]["told"]
    assert told[0] == "tonight" and len(told) == len(set(told))
    assert {"tonight", "tomorrow", "recovery", "why", "others"} <= set(told)
    if "routine" in told:  # offered once, right after tonight's advice
        assert told.index("routine") == 1 and modes[0] == "offer_routine"


def test_prevention_after_a_result_is_that_conditions_own(chat) -> None:
    from hipcoach.medical.knowledge import knowledge

    console = chat()
    console.turn_record("open hip coach")
    result = finish_check(console)
    turn = console.turn_record("tell me about prevention")
    assert turn["intent"] == "PreventionIntent"
    leader = attributes(console)["result"]["leader"]
    assert leader == result["result"]["conditions"][0]
    assert knowledge().conditions[leader].prevention.text in turn["speech"]


def test_mid_check_a_question_is_answered_then_the_question_comes_back(chat) -> None:
    console = chat("en-GB")
    console.turn_record("open hip coach")
    turns = [console.turn_record(u) for u in ("check my hip", "no", "no")]
    asking = turns[-1]["asking"]
    for text in ("is it ok if i pop some nurofen", "can i still do my parkrun on saturday"):
        turn = ask(console, text)
        assert turn["asking"] == asking, text
        assert turn["intent"] != "AMAZON.FallbackIntent", text
    assert attributes(console)["answered"] in ("medication", "running")
    # and the answer still counts as the interview's: it goes on from the same question
    assert console.turn_record("on the outside of my hip")["asking"] != asking


def test_repeat_after_a_result_retells_it_without_saving_again(chat, monkeypatch) -> None:
    from hipcoach.handlers import memory

    saved: list[str] = []
    original = memory.record_episode

    def counting(*args: Any, **kwargs: Any) -> str:
        saved.append("episode")
        return original(*args, **kwargs)

    monkeypatch.setattr(memory, "record_episode", counting)
    console = chat()
    console.turn_record("open hip coach")
    result = finish_check(console)
    again = console.turn_record("say that again")
    assert again["intent"] == "AMAZON.RepeatIntent"
    assert again["speech"] == result["speech"]
    assert saved == ["episode"]


def test_a_returning_runner_hears_one_short_line(chat) -> None:
    first = chat().turn_record("open hip coach")
    again = chat().turn_record("open hip coach")
    assert len(again["speech"].split()) <= 15 < len(first["speech"].split())


def test_shoes_are_told_in_the_locales_unit(chat) -> None:
    from hipcoach.handlers.questions import placeholders
    from hipcoach.speech.texts import Texts

    us, gb = placeholders(Texts("en-US")), placeholders(Texts("en-GB"))
    assert (us["low"], us["high"]) == ("300", "500 miles")
    assert (gb["low"], gb["high"]) == ("480", "800 kilometres")
    console = chat("en-GB")
    console.turn_record("open hip coach")
    console.turn_record("how long do my trainers last")
    assert attributes(console)["answered"] == "shoes"


def test_a_tampered_result_state_is_read_as_empty(chat) -> None:
    console = chat()
    console.turn_record("open hip coach")
    finish_check(console)
    console.conversation.session.attributes["result"] = {"told": 7, "routine": ["x"], "last": 3}
    for text in ("tell me more", "say that again", "what about tonight"):
        turn = console.turn_record(text)
        assert "went wrong" not in turn["speech"], text
        assert not turn["end_session"], text


def test_interview_re_asks_are_short() -> None:
    """The pending question comes back as its reprompt: the short form, with the options."""
    from hipcoach.medical.knowledge import knowledge

    longest = {
        locale: max(len(q.reprompt_text(locale).split()) for q in knowledge().questions.values())
        for locale in ("en-US", "en-GB")
    }
    prompts = {
        locale: max(len(q.text(locale).split()) for q in knowledge().questions.values())
        for locale in ("en-US", "en-GB")
    }
    print(f"longest re-ask words: {longest}; longest question words: {prompts}")
    assert max(longest.values()) <= 30


def test_the_card_of_a_result_carries_all_of_it(chat) -> None:
    from hipcoach.medical.disclaimer import disclaimer
    from hipcoach.speech.texts import Texts

    console = chat("en-GB")
    cards: list[Any] = []
    send = console.transport.send

    def keep_card(envelope: Any) -> Any:
        response = send(envelope)
        cards.append(response.response.card if response.response else None)
        return response

    console.transport.send = keep_card  # type: ignore[method-assign]
    console.turn_record("open hip coach")
    result = finish_check(console)
    card = cards[-1]
    assert card is not None and card.content
    assert disclaimer("en-GB") in card.content  # the disclaimer in full, on the card only
    assert disclaimer("en-GB") not in result["speech"]
    assert Texts("en-GB").get("memory.episode_kept") in card.content  # the full privacy note
    assert len(card.content.split()) > 2 * len(result["speech"].split())


def test_a_question_while_deletion_waits_for_yes_cancels_the_deletion(chat) -> None:
    console = chat()
    console.turn_record("open hip coach")
    finish_check(console)
    console.turn_record("delete my data")
    if attributes(console).get("mode") != "confirm_delete":
        pytest.skip("deleting asks no confirmation here")
    ask(console, "are painkillers ok to take")
    assert attributes(console)["answered"] == "medication"
    assert attributes(console)["mode"] != "confirm_delete"


def test_repeat_without_a_last_reply_retells_the_result(chat) -> None:
    console = chat()
    console.turn_record("open hip coach")
    result = finish_check(console)
    del console.conversation.session.attributes["result"]["last"]
    again = console.turn_record("say that again")
    assert again["speech"].startswith(result["speech"].split(".")[0])


def test_each_response_records_the_keys_of_what_it_says(chat) -> None:
    """The chat console's `said`: the first result has no part's keys; a part has its own."""
    console = chat()
    console.turn_record("open hip coach")
    result = finish_check(console)
    assert "result.offer" in result["said"]
    assert not [k for k in result["said"] if k.startswith(("result.why_", "result.others"))]
    why = console.turn_record("why is that")
    assert "result.why_condition" in why["said"] or "result.why_no_flags" in why["said"]
    assert not [k for k in why["said"] if k.startswith("result.card_")]
