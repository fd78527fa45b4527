"""Routine handlers in a real ask-sdk CustomSkill: start, navigate, stop, resume another day.

Every turn is a real RequestEnvelope (deserialised from the JSON Alexa sends); persistence goes
through an in-memory AbstractPersistenceAdapter, so "resume my routine" in a new session works.
Assertions name what the skill decided (text keys from content/speech/routine.yaml, the exercise
and side in the session), not the current wording.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from hipcoach.app import build_skill
from hipcoach.routines.loader import routines
from hipcoach.speech import said

APP_ID = "amzn1.ask.skill.hipcoach-routines-test"
USER = "amzn1.ask.account.runner"
_serializer = DefaultSerializer()


class InMemoryAdapter(AbstractPersistenceAdapter):
    """Persistent attributes per user id, deep-copied in and out like a real store."""

    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}

    def _key(self, request_envelope: RequestEnvelope) -> str:
        return request_envelope.context.system.user.user_id

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        return copy.deepcopy(self.records.get(self._key(request_envelope), {}))

    def save_attributes(
        self, request_envelope: RequestEnvelope, attributes: dict[str, Any]
    ) -> None:
        self.records[self._key(request_envelope)] = copy.deepcopy(attributes)

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        self.records.pop(self._key(request_envelope), None)


class Device:
    """One conversation: keeps session attributes between turns, like Alexa does."""

    def __init__(self, adapter: AbstractPersistenceAdapter | None, *, screen: bool = False,
                 locale: str = "en-US") -> None:  # fmt: skip
        self.skill = build_skill(adapter)
        self.screen, self.locale = screen, locale
        self.session: dict[str, Any] | None = None
        self.day = date(2025, 5, 1)
        self.said: set[str] = set()  # the routine.yaml text keys the last answer used

    def new_session(self, day: date) -> None:
        self.session, self.day = None, day

    def say(self, intent: str, **slots: str) -> dict[str, Any]:
        new = self.session is None
        interfaces: dict[str, Any] = {}
        if self.screen:
            interfaces["Alexa.Presentation.APL"] = {"runtime": {"maxVersion": "2023.3"}}
        slot_json = {
            name: {
                "name": name,
                "value": value,
                "confirmationStatus": "NONE",
                "resolutions": {
                    "resolutionsPerAuthority": [
                        {
                            "authority": f"amzn1.er-authority.echo-sdk.{APP_ID}.RoutineType",
                            "status": {"code": "ER_SUCCESS_MATCH"},
                            "values": [{"value": {"name": value, "id": value}}],
                        }
                    ]
                },
            }
            for name, value in slots.items()
        }
        envelope = {
            "version": "1.0",
            "session": {
                "new": new,
                "sessionId": "amzn1.echo-api.session.1",
                "application": {"applicationId": APP_ID},
                "attributes": self.session or {},
                "user": {"userId": USER},
            },
            "context": {
                "System": {
                    "application": {"applicationId": APP_ID},
                    "user": {"userId": USER},
                    "device": {"deviceId": "device-1", "supportedInterfaces": interfaces},
                    "apiEndpoint": "https://api.amazonalexa.com",
                }
            },
            "request": {
                "type": "IntentRequest",
                "requestId": "amzn1.echo-api.request.1",
                "timestamp": f"{self.day.isoformat()}T18:30:00Z",
                "locale": self.locale,
                "intent": {"name": intent, "confirmationStatus": "NONE", "slots": slot_json},
            },
        }
        request = _serializer.deserialize(json.dumps(envelope), RequestEnvelope)
        with said.recording() as keys:
            answer = self.skill.invoke(request_envelope=request, context=None)
        self.said = {key.removeprefix("routine.") for key in keys}
        wire = _serializer.serialize(answer)
        self.session = (
            None if wire["response"].get("shouldEndSession") else wire.get("sessionAttributes", {})
        )
        return wire

    @property
    def mode(self) -> str | None:
        return (self.session or {}).get("mode")

    @property
    def exercise(self) -> str:
        """The id of the exercise being played."""
        position = (self.session or {})["routine"]
        return routines()[position["id"]].exercises[position["exercise"]].id


def speech(wire: dict[str, Any]) -> str:
    return wire["response"]["outputSpeech"]["ssml"]


@pytest.fixture
def adapter() -> InMemoryAdapter:
    return InMemoryAdapter()


def test_start_plays_the_first_step_and_asks_for_next(adapter):
    device = Device(adapter)
    wire = device.say("StartRoutineIntent", routine="stretch")
    assert {"start", "exercise_intro", "side_first_left", "hold_start"} <= device.said
    assert device.exercise == "hip_flexor_stretch"
    assert '<break time="10000ms"/>' in speech(wire)
    assert wire["response"]["shouldEndSession"] is False
    assert {"next_side", "reprompt"} <= device.said
    assert wire["response"]["reprompt"]["outputSpeech"]["ssml"]
    assert device.mode == "routine"
    assert device.session["routine"] == {
        "id": "stretch",
        "exercise": 0,
        "side": "left",
        "set": 1,
        "paused": False,
    }


def test_stop_then_resume_in_a_new_session_another_day(adapter):
    device = Device(adapter)
    device.say("StartRoutineIntent", routine="stretch")
    device.say("AMAZON.NextIntent")  # hip flexor, right leg
    device.say("AMAZON.NextIntent")  # figure-four, left leg
    device.say("AMAZON.NextIntent")  # figure-four, right leg
    assert "side_right" in device.said and device.exercise == "figure_four"
    stop = device.say("AMAZON.StopIntent")
    assert stop["response"]["shouldEndSession"] is True
    assert device.said == {"stopped_side", "side_name_right"}
    saved = adapter.records[USER]["routine"]
    assert saved == {
        "id": "stretch",
        "exercise": 1,
        "side": "right",
        "set": 1,
        "saved_on": "2025-05-01",
    }

    later = Device(adapter)
    later.new_session(date(2025, 5, 4))
    later.say("ResumeRoutineIntent")
    assert {"resume_saved", "side_right", "hold_start"} <= later.said
    assert later.mode == "routine" and later.exercise == "figure_four"
    assert later.session["routine"]["exercise"] == 1 and later.session["routine"]["side"] == "right"
    assert adapter.records[USER]["routine"]["saved_on"] == "2025-05-04"


def test_position_is_saved_every_step_so_a_timed_out_session_can_resume(adapter):
    device = Device(adapter)
    device.say("StartRoutineIntent", routine="strength")
    device.say("SkipIntent")
    assert adapter.records[USER]["routine"]["exercise"] == 1
    device.new_session(date(2025, 5, 2))  # the session timed out: no Stop was said
    device.say("ResumeRoutineIntent")
    assert "resume_saved" in device.said and device.exercise == "clamshells"


def test_navigation_answers(adapter):
    device = Device(adapter, locale="en-GB")
    device.say("StartRoutineIntent", routine="warm_up")
    device.say("AMAZON.PreviousIntent")
    assert {"at_start", "exercise_intro"} <= device.said
    device.say("AMAZON.PauseIntent")
    assert device.said == {"paused", "paused_reprompt"} and device.session["routine"]["paused"]
    device.say("AMAZON.ResumeIntent")
    assert {"resume_in_session", "exercise_intro"} <= device.said
    assert device.exercise == "leg_swings_forward"
    left = device.say("TimeLeftIntent")
    assert device.said == {"time_left_minutes", "time_left_reprompt"}
    assert "<break" not in speech(left)
    device.say("AMAZON.RepeatIntent")
    assert {"exercise_intro", "side_first_left"} <= device.said
    device.say("AMAZON.HelpIntent")
    assert "help" in device.said
    assert device.mode == "routine" and device.exercise == "leg_swings_forward"


def test_finishing_clears_the_saved_routine(adapter):
    device = Device(adapter)
    device.say("StartRoutineIntent", routine="stretch")
    for _ in range(len(routines()["stretch"].exercises) - 1):
        device.say("SkipIntent")
    wire = None
    while device.session is not None:
        wire = device.say("AMAZON.NextIntent")
    assert "finished" in device.said
    assert wire["response"]["shouldEndSession"] is True
    assert "routine" not in adapter.records[USER]
    nothing = Device(adapter)
    nothing.say("ResumeRoutineIntent")
    assert "no_saved_routine" in nothing.said


def test_screen_devices_get_apl_and_speakers_do_not(adapter):
    with_screen = Device(adapter, screen=True).say("StartRoutineIntent", routine="strength")
    directives = with_screen["response"]["directives"]
    assert [d["type"] for d in directives] == ["Alexa.Presentation.APL.RenderDocument"]
    assert directives[0]["datasources"]["routine"]["exerciseName"] == "hip bridges"
    voice_only = Device(adapter).say("StartRoutineIntent", routine="strength")
    assert not voice_only["response"].get("directives")


def test_unknown_or_missing_routine_asks_which(adapter):
    device = Device(adapter)
    wire = device.say("StartRoutineIntent")
    assert device.said == {"which_routine"}
    assert wire["response"]["shouldEndSession"] is False
    assert device.mode != "routine"


def test_navigation_only_moves_a_routine_in_routine_mode(adapter):
    device = Device(adapter)
    device.say("AMAZON.NextIntent")
    assert device.said and not device.said & {"paused", "stopped", "finished", "at_start"}
    assert device.mode != "routine"
    stop = device.say("AMAZON.StopIntent")
    assert stop["response"]["shouldEndSession"] is True and device.mode != "routine"


def test_works_without_any_persistence(adapter):
    device = Device(None)
    device.say("StartRoutineIntent", routine="stretch")
    device.say("AMAZON.NextIntent")
    assert "side_right" in device.said
    stop = device.say("AMAZON.CancelIntent")
    assert stop["response"]["shouldEndSession"] is True


def test_tampered_session_falls_back_to_the_saved_routine(adapter):
    device = Device(adapter)
    device.say("StartRoutineIntent", routine="stretch")
    device.session["routine"] = {"id": "stretch", "exercise": 42, "side": "left", "set": 1}
    device.say("AMAZON.NextIntent")
    assert "resume_saved" in device.said and device.exercise == "hip_flexor_stretch"
