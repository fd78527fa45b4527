"""After "delete my data", nothing of the runner is left on disk, while the server still runs.

A runner has a check to its result (an episode), logs runs, buys shoes, and stops a second check
halfway (a draft); another runner keeps a training log in the same file. The raw bytes of the
SQLite file and its WAL hold the runner's id and what was stored; after the delete (with the
skill's connections still open) they hold none of it, and the other runner's record is intact.
On DynamoDB the runner's item is gone from a full scan of the table.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hipcoach.app import build_skill
from hipcoach.persistence.sqlite import SQLitePersistenceAdapter
from hipcoach.speech import said
from hipcoach.standin import envelopes
from hipcoach.standin.envelopes import Conversation, DeviceProfile
from hipcoach.standin.nlu import resolve

RUNNER = "amzn1.ask.account.SIDE-OF-THE-HIP-RUNNER-7"
NEIGHBOUR = "amzn1.ask.account.NEIGHBOUR-RUNNER-2"
WHEN = datetime(2026, 3, 9, 18, 0, tzinfo=UTC)
OUTER_HIP = {
    "pain_location": "on the outside of my hip",
    "pain_timing": "after my runs",
    "onset": "it came on gradually",
    "pain_quality": "a dull ache",
    "pain_severity": "four",
    "pain_days": "about three weeks",
    "pain_radiates": "no it stays put",
}


class Runner:
    def __init__(self, skill: Any, user_id: str) -> None:
        self.skill = skill
        self.conversation = Conversation("en-US", DeviceProfile(user_id=user_id))
        self.stamp = WHEN
        self.said: list[str] = []

    def say(self, utterance: str | None) -> dict[str, Any]:
        """The answer envelope; `self.said`: the content keys it was built from."""
        from ask_sdk_model import RequestEnvelope

        self.stamp += timedelta(seconds=7)
        if utterance is None:
            envelope = self.conversation.launch(self.stamp)
        else:
            understood = resolve(utterance, "en-US", self.stamp.date())
            envelope = self.conversation.intent(understood, self.stamp)
        request = self.skill.serializer.deserialize(
            json.dumps(envelopes.to_dict(envelope)), RequestEnvelope
        )
        with said.recording() as keys:
            answer: dict[str, Any] = self.skill.serializer.serialize(
                self.skill.invoke(request, None)
            )
        self.said = said.unique(keys)
        self.conversation.absorb(answer)
        return answer

    def check(self, answers: int = 99) -> dict[str, Any]:
        answer = self.say("check my hip")
        for _ in range(min(answers, 40)):
            attributes = answer.get("sessionAttributes") or {}
            if attributes.get("mode") != "interview":
                break
            answer = self.say(OUTER_HIP.get(attributes["interview"]["asking"], "no"))
        return answer


def user_envelope(user_id: str) -> Any:
    from ask_sdk_model import RequestEnvelope
    from ask_sdk_model.context import Context
    from ask_sdk_model.interfaces.system import SystemState
    from ask_sdk_model.user import User

    return RequestEnvelope(context=Context(system=SystemState(user=User(user_id=user_id))))


def raw_bytes(path: Path) -> bytes:
    return b"".join(
        p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal")) if p.exists()
    )


def traces(record: dict[str, Any]) -> list[bytes]:
    """Distinctive strings the runner's record holds (dates, the condition, the draft's key)."""
    found = [RUNNER.encode(), b"interview_draft", b"shoes", b"episode"]
    found.append(str(record["episode"]["condition"]).encode())
    found.append(record["shoes"]["since"].encode())
    found.append(record["episode"]["started"].encode())
    return found


def test_a_delete_leaves_no_byte_of_the_runner_in_the_sqlite_files(tmp_path):
    path = tmp_path / "hipcoach.db"
    adapter = SQLitePersistenceAdapter(path)
    skill = build_skill(adapter)
    runner, neighbour = Runner(skill, RUNNER), Runner(skill, NEIGHBOUR)
    neighbour.stamp += timedelta(days=40)  # none of the runner's dates in the neighbour's record
    neighbour.say(None)
    neighbour.say("I ran 31 kilometers last week")
    runner.say(None)
    result = runner.check()
    assert (result.get("sessionAttributes") or {}).get("outcome"), "the check reached no result"
    for km in (8, 12, 5):
        runner.say(f"I ran {km} kilometers today")
    runner.say("I got new shoes")
    runner.say(None)
    runner.check(answers=2)
    runner.say("stop")  # mid-check: the draft is kept for today
    record = adapter.get_attributes(user_envelope(RUNNER))
    assert {"episode", "shoes", "training", "interview_draft"} <= set(record)
    before = raw_bytes(path)
    assert all(trace in before for trace in traces(record)), "the test should see the record"

    runner.say("delete my data")
    runner.say("yes")
    assert "memory.delete_done" in runner.said
    after = raw_bytes(path)  # the skill's connections are still open
    left = [trace for trace in traces(record) if trace in after]
    assert left == []
    kept = adapter.get_attributes(user_envelope(NEIGHBOUR))
    assert kept["training"]["weeks"], "the other runner's record is untouched"
    adapter.close()


@pytest.mark.slow
@pytest.mark.xdist_group("moto")
def test_a_delete_removes_the_item_from_dynamodb(moto_endpoint, monkeypatch):
    import uuid

    import boto3

    from hipcoach.persistence.dynamodb import dynamodb_adapter

    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    client = boto3.client("dynamodb", region_name="us-east-1", endpoint_url=moto_endpoint)
    table = f"forget-{uuid.uuid4().hex[:8]}"
    client.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    skill = build_skill(dynamodb_adapter(table, region="us-east-1", endpoint_url=moto_endpoint))
    runner, neighbour = Runner(skill, RUNNER), Runner(skill, NEIGHBOUR)
    neighbour.say("I ran 31 kilometers last week")
    runner.say(None)
    runner.check()
    runner.say("I got new shoes")
    runner.say("I ran 9 kilometers today")
    scanned = json.dumps(client.scan(TableName=table)["Items"])
    assert RUNNER in scanned and "shoes" in scanned
    runner.say("delete my data")
    runner.say("yes")
    items = client.scan(TableName=table)["Items"]
    assert [item["id"]["S"] for item in items] == [NEIGHBOUR]
    assert RUNNER not in json.dumps(items) and "shoes" not in json.dumps(items)
