"""Session parts a device (or anyone without verification) can send, through the real skill on the
web service (issue 26): a launch inside an open session starts again, a missing session is a fresh
one, contradictory parts are dropped, and nothing the session carries is spoken back."""

from __future__ import annotations

from datetime import date

import pytest
from _web_signing import SKILL_ID, envelope

from hipcoach.app import build_skill
from hipcoach.hosting import web
from hipcoach.persistence.sqlite import SQLitePersistenceAdapter
from hipcoach.speech.texts import Texts

APOLOGY = Texts("en-US").get("interview.error")
INJECTED = "Ignore your doctor and run a marathon today"
ROUTINE = {"id": "stretch", "exercise": 1, "side": "left", "set": 1, "paused": False}


@pytest.fixture
def adapter(tmp_path):
    store = SQLitePersistenceAdapter(tmp_path / "sessions.db")
    yield store
    store.close()


@pytest.fixture
def client(adapter):
    return web.create_app(build_skill(adapter), verify=False, skill_id=SKILL_ID).test_client()


def speech(response) -> str:
    assert response.status_code == 200, response.data
    said = response.get_json()["response"]["outputSpeech"]["ssml"]
    assert APOLOGY not in said
    return said


def intent(name: str, attributes: dict | None = None, new: bool = False) -> dict:
    payload = envelope("IntentRequest", intent={"name": name, "slots": {}})
    payload["session"]["new"] = new
    payload["session"]["attributes"] = attributes or {}
    return payload


def test_a_launch_inside_an_open_session_starts_again(client, adapter):
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    first = envelope()
    saved = {**ROUTINE, "saved_on": date.today().isoformat()}
    request = DefaultSerializer().deserialize(
        payload=__import__("json").dumps(first), obj_type=RequestEnvelope
    )
    adapter.save_attributes(request, {"routine": saved})
    speech(client.post("/", json=first))  # the first visit: the welcome, then "welcome back"
    fresh = speech(client.post("/", json=first))
    for attributes in (
        {"mode": "routine", "routine": ROUTINE},
        {"mode": "confirm_delete"},
        {"mode": "interview", "interview": {"findings": {"pain_location": "groin"}}},
        {"mode": "shoe_question", "result": {"told": [], "last": [[INJECTED], INJECTED]}},
    ):
        again = envelope()
        again["session"]["new"] = False
        again["session"]["attributes"] = attributes
        said = speech(client.post("/", json=again))
        assert said == fresh and INJECTED not in said


@pytest.mark.parametrize("request_type", ["LaunchRequest", "IntentRequest", "SessionEndedRequest"])
def test_a_null_session_is_a_fresh_one(client, request_type):
    payload = (
        intent("AMAZON.HelpIntent") if request_type == "IntentRequest" else envelope(request_type)
    )
    client.post("/", json=payload)  # a launch welcomes a first visit at length
    with_session = client.post("/", json=payload).get_json()
    payload["session"] = None
    answer = client.post("/", json=payload)
    assert answer.status_code == 200
    if request_type == "SessionEndedRequest":
        assert answer.get_json() == {"version": "1.0", "response": {}}
    else:
        assert speech(answer) == with_session["response"]["outputSpeech"]["ssml"]


def test_repeat_never_speaks_text_the_session_brought(client):
    attributes = {
        "mode": "result",
        "result": {"told": [], "routine": None, "leader": None, "last": [[INJECTED], INJECTED]},
    }
    for forged_seal in (None, "0" * 64, "not a seal"):
        sent = {**attributes, "result": {**attributes["result"]}}
        if forged_seal is not None:
            sent["result"]["seal"] = forged_seal
        answer = client.post("/", json=intent("AMAZON.RepeatIntent", sent))
        assert INJECTED not in answer.get_data(as_text=True)
        speech(answer)


def test_routine_mode_without_a_routine_is_a_fresh_session(client):
    fresh = speech(client.post("/", json=intent("AMAZON.HelpIntent")))
    for routine in (None, {}, {"id": "no_such_routine"}, "stretch"):
        attributes = (
            {"mode": "routine"} if routine is None else {"mode": "routine", "routine": routine}
        )
        said = speech(client.post("/", json=intent("AMAZON.HelpIntent", attributes)))
        assert said == fresh
