"""The interview's handlers through real envelopes: launch, help, repeat, start over, fallback,
why, stop mid-check (nothing lost), tampered attributes, errors, prevention and the card."""

import argparse
import json
from datetime import UTC, datetime

import pytest

from hipcoach import app
from hipcoach.persistence.sqlite import SQLitePersistenceAdapter
from hipcoach.standin.chat import Console


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
    assert "not medical advice" in first["speech"] and "911" in first["speech"]
    again = say(chat(), "open hip coach")[0]
    assert "Welcome back" in again["speech"] and "not medical advice" not in again["speech"]


def test_help_and_repeat_keep_the_current_question(chat):
    console = chat()
    turns = say(console, "open hip coach", "check my hip", "help", "repeat that")
    asking = turns[1]["asking"]
    assert turns[2]["asking"] == asking == turns[3]["asking"]
    assert "I don't know" in turns[2]["speech"]
    assert turns[3]["speech"] == turns[1]["speech"].replace("Okay, let's look at your hip. ", "")


def test_fallback_reasks_and_loses_nothing(chat):
    console = chat()
    turns = say(console, "open hip coach", "check my hip", "no", "purple monkey dishwasher", "no")
    assert turns[3]["intent"] == "AMAZON.FallbackIntent"
    assert turns[3]["asking"] == turns[2]["asking"] == "urgent_screen"
    assert "didn't catch" in turns[3]["speech"]
    assert turns[4]["asking"] == "pain_location"


def test_dont_know_moves_on(chat):
    turns = say(chat(), "open hip coach", "check my hip", "no", "no", "I'm not sure")
    assert turns[4]["asking"] not in (None, "pain_location")
    assert "skip" in turns[4]["speech"]


def test_start_over_clears_the_answers(chat):
    turns = say(chat(), "open hip coach", "check my hip", "no", "no", "start over")
    assert turns[4]["asking"] == "emergency_screen"


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
    assert "reasoning" in turns[5]["speech"]
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
    assert "999" in final["speech"]
    assert "not a diagnosis" in final["speech"]
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
    assert "start again" in turn["speech"]
    assert turn["asking"] == "emergency_screen"


def test_prevention_questions_anytime(chat):
    console = chat()
    turns = say(
        console,
        "open hip coach",
        "how much can I increase my mileage if I ran 30 miles last week",
        "when should I replace my shoes",
    )
    assert "33 miles" in turns[1]["speech"] and "10 percent" in turns[1]["speech"]
    assert "300 to 500 miles" in turns[2]["speech"]


def test_error_handler_apologises(tmp_path, monkeypatch, caplog):
    from hipcoach.handlers import interview
    from hipcoach.standin import envelopes
    from hipcoach.standin.envelopes import Conversation

    def broken(self, handler_input):
        raise RuntimeError("boom: my hip is sore")

    monkeypatch.setattr(interview.LaunchHandler, "handle", broken)
    skill = app.build_skill(SQLitePersistenceAdapter(tmp_path / "x.db"))
    envelope = Conversation().launch(envelopes.request_timestamp())
    response = skill.invoke(request_envelope=envelope, context=None)
    speech = response.response.output_speech.ssml
    assert "went wrong" in speech and "boom" not in speech
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
