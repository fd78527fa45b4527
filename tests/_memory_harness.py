"""A real ask-sdk CustomSkill with the memory handlers, driven by real RequestEnvelopes.

Each `Turn` carries the content keys its reply was built from (`said`, recorded with
`hipcoach.speech.said`), so tests assert what the skill decided to say, not the current words;
`Turn.says(key, **values)` also checks the figures placed into that key's text.

`ADAPTERS` lists the persistence back ends the memory tests run against (SQLite always; DynamoDB
on moto's in-process mock when skill/hipcoach/persistence/dynamodb.py and moto are installed);
`open_adapter` gives one for a test.
"""

from __future__ import annotations

import importlib.util
import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import (
    Application,
    Context,
    Intent,
    IntentConfirmationStatus,
    IntentRequest,
    LaunchRequest,
    RequestEnvelope,
    Session,
    Slot,
    SlotConfirmationStatus,
    User,
)
from ask_sdk_model.interfaces.system import SystemState
from ask_sdk_model.slu.entityresolution import (
    Resolution,
    Resolutions,
    Status,
    StatusCode,
    Value,
    ValueWrapper,
)

from hipcoach.app import build_skill
from hipcoach.dialog.conversation import Conversation as DialogConversation
from hipcoach.dialog.memory import followup_prompt, record_episode
from hipcoach.dialog.state import Mode
from hipcoach.dialog.turn import Turn as DialogTurn
from hipcoach.handlers import policy
from hipcoach.persistence import SQLitePersistenceAdapter
from hipcoach.speech import said, ssml
from hipcoach.speech.reply import Reply, say
from hipcoach.speech.texts import Texts


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


# DynamoDB runs on moto's in-process mock when both it and the adapter module are present.
MONDAY = date(2024, 3, 4)  # ISO week 2024-W10: the memory tests' day 0


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


ADAPTERS = ["sqlite"]
if _installed("moto") and _installed("hipcoach.persistence.dynamodb"):
    ADAPTERS.append("dynamodb")
APP_ID = "amzn1.ask.skill.hipcoach-test"
_serializer = DefaultSerializer()


def make_adapter(kind: str, folder: Path) -> Any:
    """A fresh adapter; for back ends needing a running service use `open_adapter`."""
    if kind == "sqlite":
        return SQLitePersistenceAdapter(folder / "hipcoach.db")
    raise ValueError(kind)


@contextmanager
def open_adapter(kind: str, folder: Path) -> Iterator[Any]:
    """The adapter for one test, with whatever it needs running around it."""
    if kind == "dynamodb":
        import boto3
        from moto import mock_aws

        from hipcoach.persistence.dynamodb import dynamodb_adapter

        with mock_aws():  # moto supplies fake credentials; nothing leaves the process
            boto3.client("dynamodb", region_name="us-east-1").create_table(
                TableName="hipcoach-test",
                KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )
            yield dynamodb_adapter("hipcoach-test", region="us-east-1")
        return
    yield make_adapter(kind, folder)


@dataclass
class FakeCheck:
    """Stands in for the lead's interview: StartCheckIntent ends a check with these results."""

    findings: dict[str, Any] = field(default_factory=dict)
    level: str = "self_care"
    condition: str | None = None


# What the harness's own launch (not the skill's) says when there is no follow-up to ask.
NO_FOLLOWUP = "harness: no follow-up."
UNHANDLED = "harness: unhandled."


def key_pattern(texts: Texts, key: str, values: dict[str, str]) -> re.Pattern[str]:
    """The key's text as a pattern: given placeholders exact, the others anything."""
    template = texts.get(key)
    out = []
    for part in re.split(r"(\{[a-z_]+\})", template):
        name = part[1:-1] if part.startswith("{") and part.endswith("}") else None
        if name is None:
            out.append(re.escape(part))
        elif name in values:
            out.append(re.escape(values[name]))
        else:
            out.append(".+?")
    return re.compile("".join(out), re.IGNORECASE)


def _harness_policy(check: FakeCheck) -> Any:
    """The real policy for memory's acts; the harness's own launch and check around it."""
    memory_acts = {policy.Act.MEMORY, policy.Act.DELETE, policy.Act.PROGRESS}
    memory_rows = {
        (Mode.CONFIRM_DELETE, policy.Act.YES),
        (Mode.CONFIRM_DELETE, policy.Act.NO),
        (Mode.SHOE_QUESTION, policy.Act.ANSWERED),
        (Mode.FOLLOWUP, policy.Act.ANSWERED),
    }

    def answer(turn: DialogTurn, conversation: DialogConversation) -> Reply:
        if turn.request_type == "LaunchRequest":
            question = followup_prompt(turn, conversation) or NO_FOLLOWUP
            return say([question], question)
        if turn.intent == "StartCheckIntent":
            _, kept = record_episode(turn, dict(check.findings), check.level, check.condition)
            conversation.enter(Mode.RESULT)
            return say([kept])
        act = policy.act_of(turn, conversation)
        if act in memory_acts or (conversation.mode, act) in memory_rows:
            return policy.action_for(conversation.mode, act)(turn, conversation)
        return say([UNHANDLED])

    return answer


@dataclass
class Turn:
    speech: str
    reprompt: str | None
    attributes: dict[str, Any]
    end_session: bool | None
    said: list[str]  # the content keys the reply was built from, once each, in order
    locale: str

    @property
    def mode(self) -> str | None:
        """The dialog mode (hipcoach.dialog.state) the session is left in."""
        return self.attributes.get("mode")

    def says(self, key: str, **values: str) -> bool:
        """The reply used `key` (memory.yaml keys may drop their `memory.` prefix), with each
        given placeholder filled exactly so; the others may hold anything."""
        key = key if "." in key else f"memory.{key}"
        if key not in self.said:
            return False
        if not values:
            return True
        return bool(key_pattern(Texts(self.locale), key, values).search(self.speech))

    def text(self, key: str, **values: object) -> str:
        """The content text of `key` in this turn's locale, to build a placeholder value."""
        key = key if "." in key else f"memory.{key}"
        with said.recording():  # building an expectation, not something the skill said
            return Texts(self.locale).get(key, **values)

    def miles(self, n: str) -> str:
        return self.text("distance_mi_one" if n == "1" else "distance_mi", n=n)

    def km(self, n: str) -> str:
        return self.text("distance_km_one" if n == "1" else "distance_km", n=n)


class Conversation:
    """One Alexa session on one day: turns carry the session attributes, time moves on."""

    def __init__(self, device: Device, day: date) -> None:
        self.device = device
        self.clock = datetime.combine(day, time(18, 0), tzinfo=UTC)
        self.session_id = f"amzn1.echo-api.session.{uuid.uuid4()}"
        self.attributes: dict[str, Any] = {}
        self.new = True

    def _send(self, request: Any) -> Turn:
        session = Session(
            new=self.new,
            session_id=self.session_id,
            user=User(user_id=self.device.user_id),
            attributes=dict(self.attributes),
            application=Application(application_id=APP_ID),
        )
        envelope = RequestEnvelope(
            version="1.0",
            session=session,
            context=Context(
                system=SystemState(
                    application=Application(application_id=APP_ID),
                    user=User(user_id=self.device.user_id),
                )
            ),
            request=request,
        )
        # Through JSON and back, as a request from Alexa would arrive.
        wire = json.dumps(_serializer.serialize(envelope))
        envelope = _serializer.deserialize(wire, RequestEnvelope)
        with said.recording() as keys:
            out = self.device.skill.invoke(request_envelope=envelope, context=None)
        self.new = False
        self.clock += timedelta(seconds=20)
        self.attributes = dict(out.session_attributes or {})
        response: Any = out.response  # always set for a request the skill answers
        reprompt = None
        if response.reprompt and response.reprompt.output_speech:
            reprompt = ssml.plain(response.reprompt.output_speech.ssml)
        return Turn(
            ssml.plain(response.output_speech.ssml),
            reprompt,
            self.attributes,
            response.should_end_session,
            said.unique(keys),
            self.device.locale,
        )

    def launch(self) -> Turn:
        request = LaunchRequest(
            request_id=f"amzn1.echo-api.request.{uuid.uuid4()}",
            timestamp=self.clock,
            locale=self.device.locale,
        )
        return self._send(request)

    def say(self, intent: str, **slots: str | tuple[str, str]) -> Turn:
        """An intent with slots; a (heard, id) tuple is a custom slot resolved to that value id."""
        built: dict[str, Slot] = {}
        for name, value in slots.items():
            if isinstance(value, tuple):
                heard, value_id = value
                resolutions = Resolutions(
                    resolutions_per_authority=[
                        Resolution(
                            authority=f"amzn1.er-authority.echo-sdk.{APP_ID}.{name}",
                            status=Status(code=StatusCode.ER_SUCCESS_MATCH),
                            values=[ValueWrapper(value=Value(name=heard, id=value_id))],
                        )
                    ]
                )
                built[name] = Slot(
                    name=name,
                    value=heard,
                    resolutions=resolutions,
                    confirmation_status=SlotConfirmationStatus.NONE,
                )
            else:
                built[name] = Slot(
                    name=name, value=value, confirmation_status=SlotConfirmationStatus.NONE
                )
        request = IntentRequest(
            request_id=f"amzn1.echo-api.request.{uuid.uuid4()}",
            timestamp=self.clock,
            locale=self.device.locale,
            intent=Intent(
                name=intent,
                slots=built,
                confirmation_status=IntentConfirmationStatus.NONE,
            ),
        )
        return self._send(request)


class Device:
    """One runner's Echo: a skill on a persistence adapter, a user id and a locale."""

    def __init__(self, adapter: Any, locale: str = "en-US", user_id: str | None = None) -> None:
        self.adapter = adapter
        self.locale = locale
        self.user_id = user_id or f"amzn1.ask.account.{uuid.uuid4()}"
        self.check = FakeCheck()
        self.skill = build_skill(adapter, answer=_harness_policy(self.check))

    def on(self, day: date) -> Conversation:
        return Conversation(self, day)

    def finish_check(self, day: date, findings: dict[str, Any], level: str, condition: str | None):
        self.check.findings, self.check.level, self.check.condition = findings, level, condition
        return self.on(day).say("StartCheckIntent")

    def stored(self) -> dict[str, Any]:
        return self.adapter.get_attributes(envelope_for(self.user_id))


def envelope_for(user_id: str) -> RequestEnvelope:
    """A bare envelope naming a user, to read or write the store directly."""
    return RequestEnvelope(context=Context(system=SystemState(user=User(user_id=user_id))))
