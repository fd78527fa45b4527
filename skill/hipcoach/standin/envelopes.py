"""Real Alexa request envelopes (ask_sdk_model) for the chat console, tests and the web client.

Each builder returns an `ask_sdk_model.RequestEnvelope` shaped like the ones Alexa sends: a session
(new on its first request, one id throughout, the attributes of the previous response carried
back), `context.System` (application, user, device with or without APL, API endpoint), the locale,
a request id and the timestamp given (so a console's `--date` moves the skill through days).

`Conversation` keeps that session state across turns: build a request, run it, `absorb()` the
response; a response that ends the session (or a SessionEndedRequest) makes the next request
start a new session, as on a device. `to_json()` serialises with ask-sdk's DefaultSerializer for
sending to a web service.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import (
    Application,
    Context,
    Device,
    Intent,
    IntentConfirmationStatus,
    IntentRequest,
    LaunchRequest,
    RequestEnvelope,
    ResponseEnvelope,
    Session,
    SessionEndedError,
    SessionEndedErrorType,
    SessionEndedReason,
    SessionEndedRequest,
    Slot,
    SlotConfirmationStatus,
    SupportedInterfaces,
    User,
)
from ask_sdk_model.interfaces.alexa.presentation.apl import AlexaPresentationAplInterface, Runtime
from ask_sdk_model.interfaces.system import SystemState
from ask_sdk_model.interfaces.viewport import Experience, Mode, Shape, ViewportState
from ask_sdk_model.slu.entityresolution import (
    Resolution,
    Resolutions,
    Status,
    StatusCode,
    Value,
    ValueWrapper,
)

from hipcoach.intent_result import NluResult, SlotFill

ENVELOPE_VERSION = "1.0"
LOCAL_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-00000000c0de"
LOCAL_USER_ID = "amzn1.ask.account.LOCAL"
LOCAL_DEVICE_ID = "amzn1.ask.device.LOCAL"
API_ENDPOINT = "https://api.amazonalexa.com"
APL_MAX_VERSION = "2024.3"

_serializer = DefaultSerializer()


@dataclass(frozen=True)
class DeviceProfile:
    """Who is speaking to which skill on what device."""

    user_id: str = LOCAL_USER_ID
    device_id: str = LOCAL_DEVICE_ID
    application_id: str = LOCAL_SKILL_ID
    apl: bool = False
    api_endpoint: str = API_ENDPOINT


@dataclass
class SessionState:
    """The session a device keeps between turns."""

    session_id: str = field(default_factory=lambda: new_id("amzn1.echo-api.session"))
    new: bool = True
    attributes: dict[str, Any] = field(default_factory=dict)


def new_id(prefix: str) -> str:
    return f"{prefix}.{uuid.uuid4()}"


def request_timestamp(day: date | None = None, now: datetime | None = None) -> datetime:
    """A UTC request time: now, or the current time of day on `day` (the console's --date)."""
    current = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    if day is None:
        return current
    return datetime.combine(day, time(current.hour, current.minute, current.second), tzinfo=UTC)


def _aware(timestamp: datetime) -> datetime:
    stamp = timestamp if timestamp.tzinfo else timestamp.replace(tzinfo=UTC)
    return stamp.astimezone(UTC).replace(microsecond=0)


def _context(device: DeviceProfile) -> Context:
    interfaces = SupportedInterfaces(
        alexa_presentation_apl=AlexaPresentationAplInterface(
            runtime=Runtime(max_version=APL_MAX_VERSION)
        )
        if device.apl
        else None
    )
    system = SystemState(
        application=Application(application_id=device.application_id),
        user=User(user_id=device.user_id),
        device=Device(device_id=device.device_id, supported_interfaces=interfaces),
        api_endpoint=device.api_endpoint,
        api_access_token="local-access-token",
    )
    viewport = None
    if device.apl:
        viewport = ViewportState(
            experiences=[Experience(can_rotate=False, can_resize=False)],
            mode=Mode.HUB,
            shape=Shape.RECTANGLE,
            pixel_width=1280,
            pixel_height=800,
            dpi=160,
            current_pixel_width=1280,
            current_pixel_height=800,
        )
    return Context(system=system, viewport=viewport)


def _session(session: SessionState, device: DeviceProfile) -> Session:
    return Session(
        new=session.new,
        session_id=session.session_id,
        user=User(user_id=device.user_id),
        attributes=dict(session.attributes),
        application=Application(application_id=device.application_id),
    )


def _envelope(
    request: LaunchRequest | IntentRequest | SessionEndedRequest,
    session: SessionState,
    device: DeviceProfile,
) -> RequestEnvelope:
    return RequestEnvelope(
        version=ENVELOPE_VERSION,
        session=_session(session, device),
        context=_context(device),
        request=request,
    )


def launch_request(
    *, session: SessionState, device: DeviceProfile, locale: str, timestamp: datetime
) -> RequestEnvelope:
    """ "Alexa, open hip coach"."""
    request = LaunchRequest(
        request_id=new_id("amzn1.echo-api.request"), timestamp=_aware(timestamp), locale=locale
    )
    return _envelope(request, session, device)


def build_slot(name: str, fill: SlotFill | None, application_id: str = LOCAL_SKILL_ID) -> Slot:
    """A Slot as Alexa sends it: custom values carry ER_SUCCESS_MATCH with the value's id."""
    if fill is None:
        return Slot(name=name, confirmation_status=SlotConfirmationStatus.NONE)
    resolutions = None
    if fill.resolved is not None:
        authority = f"amzn1.er-authority.echo-sdk.{application_id}.{fill.slot_type}"
        resolutions = Resolutions(
            resolutions_per_authority=[
                Resolution(
                    authority=authority,
                    status=Status(code=StatusCode.ER_SUCCESS_MATCH),
                    values=[
                        ValueWrapper(value=Value(name=fill.resolved.name, id=fill.resolved.id))
                    ],
                )
            ]
        )
    return Slot(
        name=name,
        value=fill.value,
        confirmation_status=SlotConfirmationStatus.NONE,
        resolutions=resolutions,
    )


def intent_request(
    result: NluResult,
    *,
    session: SessionState,
    device: DeviceProfile,
    locale: str,
    timestamp: datetime,
) -> RequestEnvelope:
    """An IntentRequest for an NLU result; every slot the intent defines is present."""
    slots = {
        name: build_slot(name, fill, device.application_id) for name, fill in result.slots.items()
    }
    request = IntentRequest(
        request_id=new_id("amzn1.echo-api.request"),
        timestamp=_aware(timestamp),
        locale=locale,
        intent=Intent(
            name=result.intent,
            slots=slots or None,
            confirmation_status=IntentConfirmationStatus.NONE,
        ),
    )
    return _envelope(request, session, device)


def session_ended_request(
    *,
    session: SessionState,
    device: DeviceProfile,
    locale: str,
    timestamp: datetime,
    reason: SessionEndedReason | str = SessionEndedReason.USER_INITIATED,
    error_message: str | None = None,
) -> RequestEnvelope:
    """The session's end: USER_INITIATED, EXCEEDED_MAX_REPROMPTS (silence) or ERROR."""
    why = reason if isinstance(reason, SessionEndedReason) else SessionEndedReason(reason)
    error = None
    if why is SessionEndedReason.ERROR:
        error = SessionEndedError(
            object_type=SessionEndedErrorType.INVALID_RESPONSE, message=error_message or "error"
        )
    request = SessionEndedRequest(
        request_id=new_id("amzn1.echo-api.request"),
        timestamp=_aware(timestamp),
        locale=locale,
        reason=why,
        error=error,
    )
    return _envelope(request, session, device)


# ---------------------------------------------------------------------------------------------
# Serialisation


def to_dict(envelope: RequestEnvelope | ResponseEnvelope) -> dict[str, Any]:
    """The JSON-ready form Alexa uses (camelCase keys; timestamps as 2025-11-20T08:30:00Z)."""
    data = _serializer.serialize(envelope)
    if not isinstance(data, dict):  # an envelope always serializes to a JSON object
        raise TypeError(f"cannot serialize {type(envelope).__name__}")
    request = data.get("request")
    stamp = getattr(getattr(envelope, "request", None), "timestamp", None)
    if isinstance(request, dict) and isinstance(stamp, datetime):
        request["timestamp"] = _aware(stamp).strftime("%Y-%m-%dT%H:%M:%SZ")
    return data


def to_json(envelope: RequestEnvelope | ResponseEnvelope) -> str:
    """JSON text of an envelope, for an HTTP POST to the skill's web service."""
    return json.dumps(to_dict(envelope), separators=(",", ":"))


def request_from_json(payload: str | bytes) -> RequestEnvelope:
    text = payload.decode("utf-8") if isinstance(payload, bytes) else payload
    envelope: RequestEnvelope = _serializer.deserialize(text, RequestEnvelope)
    return envelope


def response_from_json(payload: str | bytes | Mapping[str, Any]) -> ResponseEnvelope:
    """A ResponseEnvelope from a web service's answer (text or already-parsed JSON)."""
    if isinstance(payload, Mapping):
        text = json.dumps(payload)
    else:
        text = payload.decode("utf-8") if isinstance(payload, bytes) else payload
    envelope: ResponseEnvelope = _serializer.deserialize(text, ResponseEnvelope)
    return envelope


# ---------------------------------------------------------------------------------------------
# A device's view of a conversation


def session_ends(response: ResponseEnvelope, apl: bool = False) -> bool:
    """Whether Alexa closes the session after this response.

    shouldEndSession true ends it, false keeps the microphone open; left unset, a voice-only
    device ends the session while a device with a screen keeps it (without listening)."""
    body = response.response
    flag = body.should_end_session if body is not None else True
    if flag is None:
        return not apl
    return bool(flag)


class Conversation:
    """Session bookkeeping for one user on one device, turn after turn."""

    def __init__(self, locale: str = "en-US", device: DeviceProfile | None = None) -> None:
        self.locale = locale
        self.device = device or DeviceProfile()
        self.session: SessionState | None = None

    @property
    def in_session(self) -> bool:
        return self.session is not None

    def _current(self) -> SessionState:
        if self.session is None:
            self.session = SessionState()
        return self.session

    def launch(self, timestamp: datetime) -> RequestEnvelope:
        """A LaunchRequest; it always opens a new session (a new launch replaces an open one)."""
        self.session = SessionState()
        return launch_request(
            session=self.session, device=self.device, locale=self.locale, timestamp=timestamp
        )

    def intent(self, result: NluResult, timestamp: datetime) -> RequestEnvelope:
        """An IntentRequest in the open session, or opening one (a one-shot) if none is open."""
        return intent_request(
            result,
            session=self._current(),
            device=self.device,
            locale=self.locale,
            timestamp=timestamp,
        )

    def end(
        self,
        timestamp: datetime,
        reason: SessionEndedReason | str = SessionEndedReason.USER_INITIATED,
        error_message: str | None = None,
    ) -> RequestEnvelope:
        """A SessionEndedRequest for the open session; afterwards no session is open."""
        envelope = session_ended_request(
            session=self._current(),
            device=self.device,
            locale=self.locale,
            timestamp=timestamp,
            reason=reason,
            error_message=error_message,
        )
        self.session = None
        return envelope

    def absorb(self, response: ResponseEnvelope | Mapping[str, Any] | str) -> bool:
        """Take a response's session attributes for the next turn; True if the session ended."""
        envelope = (
            response if isinstance(response, ResponseEnvelope) else response_from_json(response)
        )
        if session_ends(envelope, self.device.apl):
            self.session = None
            return True
        current = self._current()
        current.new = False
        current.attributes = dict(envelope.session_attributes or {})
        return False
