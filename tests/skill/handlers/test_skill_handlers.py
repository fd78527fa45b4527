"""The interview's handlers through real envelopes: launch, help, repeat, start over, fallback,
why, stop mid-check (nothing lost), tampered attributes, errors, prevention and the card.

Assertions name what the skill decided: the content keys a reply was built from (the console's
`said`), the question asked, the intent, the result's level, and the figures placed into texts.
`test_first_launch_in_words` is the end-to-end check on the exact words."""

import argparse
import json
from datetime import UTC, datetime

import pytest
from _memory_harness import key_pattern

from hipcoach import app
from hipcoach.persistence.sqlite import SQLitePersistenceAdapter
from hipcoach.speech import said
from hipcoach.speech.texts import Texts
from hipcoach.standin.chat import Console

DISCLAIMER = "triage_levels.disclaimer"


@pytest.fixture
def chat(tmp_path, monkeypatch):
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "hip.db"))
    app.default_skill.cache_clear()

    def make(locale="en-US", user="ana", date="2026-11-20"):
        args = argparse.Namespace(locale=locale, user=user, apl=False, endpoint=None, date=date)
        return Console(args)

    yield make
    app.default_skill.cache_clear()


def say(console, *utterances):
    return [console.turn_record(u) for u in utterances]


def test_first_launch_gives_the_disclaimer_and_a_return_is_brief(chat):
    first = say(chat(), "open hip coach")[0]
    assert DISCLAIMER in first["said"] and "interview.welcome_first" in first["said"]
    assert "911" in first["speech"]  # the locale's emergency number, in the disclaimer
    again = say(chat(), "open hip coach")[0]
    assert "interview.welcome_back" in again["said"]
    assert DISCLAIMER not in again["said"] and "interview.welcome_first" not in again["said"]


def test_first_launch_in_words(chat):
    """End to end on the exact words: the disclaimer a runner hears first."""
    first = say(chat(locale="en-GB"), "open hip coach")[0]
    assert first["speech"].startswith("Welcome to Hip Coach.")
    assert "not medical advice" in first["speech"] and "999" in first["speech"]


def test_help_and_repeat_keep_the_current_question(chat):
    console = chat()
    turns = say(console, "open hip coach", "check my hip", "help", "repeat that")
    asking = turns[1]["asking"]
    assert turns[2]["asking"] == asking == turns[3]["asking"]
    assert "interview.help_question" in turns[2]["said"]
    assert "interview.start_check" in turns[1]["said"]
    start = Texts("en-US").get("interview.start_check")
    assert turns[1]["speech"] == f"{start} {turns[3]['speech']}"  # the question, said again


def test_fallback_reasks_and_loses_nothing(chat):
    console = chat()
    turns = say(console, "open hip coach", "check my hip", "no", "purple monkey dishwasher", "no")
    assert turns[3]["intent"] == "AMAZON.FallbackIntent"
    assert turns[3]["asking"] == turns[2]["asking"] == "urgent_screen"
    assert "interview.not_understood" in turns[3]["said"]
    assert turns[4]["asking"] == "pain_location"


def test_dont_know_moves_on(chat):
    turns = say(chat(), "open hip coach", "check my hip", "no", "no", "I'm not sure")
    assert turns[4]["asking"] not in (None, "pain_location")
    assert "interview.dont_know_ok" in turns[4]["said"]


def test_start_over_clears_the_answers(chat):
    turns = say(chat(), "open hip coach", "check my hip", "no", "no", "start over")
    assert turns[4]["asking"] == "emergency_screen"
    assert "interview.restart" in turns[4]["said"]


def test_why_gives_the_engines_reasons(chat):
    turns = say(
        chat(),
        "open hip coach",
        "check my hip",
        "no",
        "no",
        "it's on the outside",
        "why do you think that",
    )
    assert turns[5]["intent"] == "WhyIntent"
    assert "interview.why_intro" in turns[5]["said"]
    assert turns[5]["asking"] == turns[4]["asking"]  # and the question comes back


def test_stop_mid_check_loses_nothing(chat):
    console = chat()
    turns = say(console, "open hip coach", "check my hip", "no", "no", "stop")
    assert turns[4]["end_session"] is True
    later = chat()  # the same runner, a new session on the same day
    resumed = say(later, "open hip coach", "check my hip")
    assert resumed[1]["asking"] == "pain_location"


def test_result_card_disclaimer_and_emergency_number(chat):
    console = chat(locale="en-GB")
    # a bare yes to the safety screen: "which one?"; another bare yes: one at a time
    turns = say(console, "open hip coach", "check my hip", "yes", "yes", "yes")
    assert turns[2]["asking"] == "emergency_screen" and turns[4]["asking"] is None
    final = turns[-1]
    assert final["result"]["triage"] == "emergency"
    assert "999" in final["speech"]  # the en-GB emergency number
    assert "result.emergency_reprompt" in final["said"]
    # An emergency is only the emergency: no likely cause (nor its "not a diagnosis") is said.
    assert not {"result.most_likely", "result.no_leader"} & set(final["said"])
    assert final["result"]["conditions"]


def test_tampered_session_attributes_restart_cleanly(chat):
    console = chat()
    say(console, "open hip coach", "check my hip")
    console.conversation.session.attributes["interview"] = {
        "findings": {"pain_location": "<speak>evil</speak>"},
        "exhausted": [],
        "asking": "pain_location",
        "asked": 1,
    }
    turn = console.turn_record("no")
    assert "interview.restart" in turn["said"]
    assert turn["asking"] == "emergency_screen"


def test_prevention_questions_anytime(chat):
    console = chat()
    turns = say(
        console,
        "open hip coach",
        "how much can I increase my mileage if I ran 30 miles last week",
        "when should I replace my shoes",
    )
    texts = Texts("en-US")
    mileage, shoes = turns[1], turns[2]
    assert mileage["intent"] == "MileageAdviceIntent"
    assert "interview.mileage_with_distance" in mileage["said"]
    figures = {
        "distance": "30",
        "safe": "33",
        "step": "3",
        "unit": texts.get("interview.unit_miles"),
    }
    pattern = key_pattern(texts, "interview.mileage_with_distance", figures)
    assert pattern.search(mileage["speech"])
    assert shoes["intent"] == "PreventionIntent" and "questions.shoes" in shoes["said"]
    with said.recording():  # an expectation, not something the skill said
        high = texts.get("memory.distance_mi", n="500")
    assert "300" in shoes["speech"] and high in shoes["speech"]  # the seeds' 300-500 miles


def test_error_handler_apologises(tmp_path, monkeypatch, caplog):
    from hipcoach.handlers import policy
    from hipcoach.standin import envelopes
    from hipcoach.standin.envelopes import Conversation

    def broken(turn, conversation):
        raise RuntimeError("boom: my hip is sore")

    monkeypatch.setitem(policy.TABLE, (policy.ANY, policy.Act.LAUNCHED), broken)
    skill = app.build_skill(SQLitePersistenceAdapter(tmp_path / "x.db"))
    envelope = Conversation().launch(envelopes.request_timestamp())
    with said.recording() as keys:
        response = skill.invoke(request_envelope=envelope, context=None)
    speech = response.response.output_speech.ssml
    assert "interview.error" in keys and "boom" not in speech
    assert "hip is sore" not in caplog.text  # no health details in the logs
    json.dumps(envelopes.to_dict(response))


def test_a_stopped_check_is_not_kept_past_its_day(chat, tmp_path):
    say(chat(), "open hip coach", "check my hip", "no", "no", "stop")
    adapter = SQLitePersistenceAdapter(tmp_path / "hip.db")
    from hipcoach.standin.envelopes import Conversation, DeviceProfile

    envelope = Conversation(device=DeviceProfile(user_id="amzn1.ask.account.local-ana")).launch(
        datetime(2026, 11, 20, 12, tzinfo=UTC)
    )
    assert "interview_draft" in adapter.get_attributes(envelope)
    next_day = say(chat(date="2026-11-21"), "open hip coach", "check my hip")
    assert next_day[1]["asking"] == "emergency_screen"
    assert "interview_draft" not in adapter.get_attributes(envelope)
