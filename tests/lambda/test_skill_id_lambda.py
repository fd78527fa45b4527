"""Lambda's side of the skill-id rule (issue 26): the same matrix of requests for other skills is
refused, the configured id is trimmed, no id refuses everything unless the opt-out is set, and a
SessionEndedRequest never gets speech, however unreadable."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import pytest
from _web_signing import OTHER_SKILL, SKILL_ID, envelope, other_skill_variants

from hipcoach.app import build_skill
from hipcoach.persistence import SQLitePersistenceAdapter

ROOT = Path(__file__).resolve().parents[2]
VARIANTS = other_skill_variants()


@pytest.fixture(scope="module")
def handler(tmp_path_factory):
    spec = importlib.util.spec_from_file_location(
        "lambda_function_skill_id", ROOT / "lambda" / "lambda_function.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    adapter = SQLitePersistenceAdapter(tmp_path_factory.mktemp("skill_id") / "m.db")
    module._skill = build_skill(adapter, SKILL_ID)
    yield module
    adapter.close()


@pytest.fixture
def env(monkeypatch):
    monkeypatch.delenv("HIPCOACH_ALLOW_ANY_SKILL_ID", raising=False)
    monkeypatch.delenv("HIPCOACH_DYNAMODB_TABLE", raising=False)
    return monkeypatch


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        fields = getattr(record, "fields", {})
        self.events.append(fields.get("outcome") or record.getMessage())


@pytest.fixture
def events():
    handler = _Lines()
    logging.getLogger("hipcoach").addHandler(handler)
    yield handler.events
    logging.getLogger("hipcoach").removeHandler(handler)


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_requests_for_another_skill_are_refused_with_one_log_line(handler, env, events, name):
    env.setenv("SKILL_ID", SKILL_ID)
    with pytest.raises(handler.SkillIdMismatch):
        handler.lambda_handler(VARIANTS[name], None)
    assert events == ["skill_id_mismatch"]


@pytest.mark.parametrize("configured", [f" {SKILL_ID}\n", f"{SKILL_ID}\t"])
def test_the_configured_id_is_trimmed(handler, env, configured):
    env.setenv("SKILL_ID", configured)
    answer = handler.lambda_handler(envelope(), None)
    assert answer["response"]["outputSpeech"]["ssml"]


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_no_skill_id_refuses_every_request(handler, env, events, blank):
    if blank is None:
        env.delenv("SKILL_ID", raising=False)
    else:
        env.setenv("SKILL_ID", blank)
    with pytest.raises(handler.SkillIdUnset):
        handler.lambda_handler(envelope(), None)
    assert events == ["refused"]
    env.setenv("HIPCOACH_ALLOW_ANY_SKILL_ID", "1")
    assert handler.lambda_handler(envelope(skill_id=OTHER_SKILL), None)["response"]


UNREADABLE_ENDINGS = {
    "no_context": lambda e: e.pop("context"),
    "intent_junk": lambda e: e["request"].update(intent=[1, 2]),
    "locale_number": lambda e: e["request"].update(locale=7),
    "attributes_list": lambda e: e["session"].update(attributes=[1]),
    "error_not_object": lambda e: e["request"].update(error="x" * 50, reason={"a": 1}),
    "timestamp_junk": lambda e: e["request"].update(timestamp={"x": 1}),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE_ENDINGS))
def test_an_unreadable_session_ended_request_gets_no_speech(handler, env, name):
    env.setenv("SKILL_ID", SKILL_ID)
    event = envelope("SessionEndedRequest")
    UNREADABLE_ENDINGS[name](event)
    answer = handler.lambda_handler(event, None)
    assert answer == {"version": "1.0", "response": {}}
