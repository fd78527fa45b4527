"""The memory store fails; the skill still answers, says so when it matters, and loses nothing.

A runner first has a check and logs a run on a healthy store (profile, episode and training are
stored). Then the store fails: the SQLite file locked by another connection (for writing, or
entirely), replaced by a directory, made read-only, or corrupted; DynamoDB unreachable (a closed
port, or a port that never answers) or throttling (reads, or only writes). Through the fault the
runner opens the skill, has a check to its result and logs a run: every turn answers with speech,
the result says the note was not kept, the log says memory is unavailable. When the fault is gone,
what was stored before is exactly as it was (a damaged file is left byte for byte as found).
What the runner heard is checked by the text keys each answer was built from (hipcoach.speech.said).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from _net import free_port
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

from hipcoach.app import build_skill
from hipcoach.persistence.sqlite import SQLitePersistenceAdapter
from hipcoach.speech import said
from hipcoach.standin import envelopes
from hipcoach.standin.envelopes import Conversation, DeviceProfile
from hipcoach.standin.nlu import resolve

NOT_KEPT = "memory.episode_not_kept"
KEPT = "result.note_kept"  # what a result says when the episode was kept
UNAVAILABLE = "memory.unavailable"
APOLOGY = "interview.error"
WELCOME_BACK = "interview.welcome_back"
USER = "amzn1.ask.account.FAULTY-RUNNER"
SEEDED = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
FAULT_DAY = datetime(2026, 3, 5, 18, 0, tzinfo=UTC)
ANSWERS = {
    "pain_location": "on the outside",
    "pain_timing": "after my run",
    "onset": "gradually",
    "pain_quality": "a dull ache",
    "pain_severity": "four",
    "pain_days": "about two weeks",
    "pain_radiates": "it doesn't spread",
}
TURN_BUDGET_SECONDS = 7.0  # the Lambda timeout; Alexa waits 8 s


def send(skill: CustomSkill, event: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """The answer, and the text keys it was built from; fails unless it speaks, and speaks other
    than the error handler's apology."""
    request = skill.serializer.deserialize(json.dumps(event), RequestEnvelope)
    started = time.monotonic()
    with said.recording() as keys:
        answer: dict[str, Any] = skill.serializer.serialize(skill.invoke(request, None))
    assert time.monotonic() - started < TURN_BUDGET_SECONDS, "a turn outlasted Alexa's patience"
    ssml = ((answer.get("response") or {}).get("outputSpeech") or {}).get("ssml")
    assert ssml, f"no speech: {answer}"
    assert APOLOGY not in keys, "a handler raised"
    return answer, set(keys)


def visit(skill: CustomSkill, when: datetime, miles: int) -> list[set[str]]:
    """Open the skill, have a check to its result, log a run: the text keys of each answer."""
    conversation = Conversation("en-US", DeviceProfile(user_id=USER))
    heard: list[set[str]] = []
    stamp = when

    def say(utterance: str | None) -> dict[str, Any]:
        nonlocal stamp
        stamp += timedelta(seconds=5)
        if utterance is None:
            envelope = conversation.launch(stamp)
        else:
            envelope = conversation.intent(resolve(utterance, "en-US", stamp.date()), stamp)
        answer, keys = send(skill, envelopes.to_dict(envelope))
        conversation.absorb(answer)
        heard.append(keys)
        return answer

    say(None)
    answer = say("check my hip")
    for _ in range(40):  # "I don't know" to nearly every question: each screen's items asked
        attributes = answer.get("sessionAttributes") or {}
        if attributes.get("mode") != "interview":
            break
        answer = say(ANSWERS.get(attributes["interview"]["asking"], "I don't know"))
    assert (answer.get("sessionAttributes") or {}).get("outcome"), "the check reached no result"
    if (answer.get("sessionAttributes") or {}).get("mode") == "offer_routine":
        say("no")
    say(f"I ran {miles} miles last week")
    return heard


def result_turn(heard: list[set[str]]) -> set[str]:
    return next(keys for keys in heard if NOT_KEPT in keys or KEPT in keys)


def assert_answered_without_memory(heard: list[set[str]], *, reads_work: bool = False) -> None:
    assert NOT_KEPT in result_turn(heard), "the result should say the note was not kept"
    assert KEPT not in result_turn(heard)
    assert UNAVAILABLE in heard[-1], "logging a run should say memory is unavailable"
    if reads_work:  # it read the record: a returning runner, welcomed back
        assert WELCOME_BACK in heard[0]
    else:
        assert WELCOME_BACK not in heard[0]


# -- SQLite ---------------------------------------------------------------------------------------


def stored(path: Path) -> dict[str, Any]:
    with closing(sqlite3.connect(path)) as conn:
        (data,) = conn.execute("SELECT data FROM attributes WHERE user_id = ?", (USER,)).fetchone()
    record: dict[str, Any] = json.loads(data)
    return record


@pytest.fixture
def seeded_db(tmp_path) -> tuple[Path, dict[str, Any]]:
    """A SQLite file holding one runner's profile, episode and training log."""
    path = tmp_path / "memory.db"
    adapter = SQLitePersistenceAdapter(path)
    heard = visit(build_skill(adapter), SEEDED, 20)
    assert KEPT in result_turn(heard)
    adapter.close()  # checkpoints the WAL into the file
    record = stored(path)
    assert {"profile", "episode", "training"} <= set(record)
    return path, record


@contextmanager
def other_connection(path: Path, lock: str) -> Iterator[None]:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        if lock == "everything":
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("UPDATE attributes SET data = data WHERE 0")
        else:
            conn.execute("BEGIN EXCLUSIVE")  # in WAL mode: readers go on, writers wait
        yield
        conn.execute("ROLLBACK")
    finally:
        conn.close()


def faulty_skill(path: Path) -> tuple[CustomSkill, SQLitePersistenceAdapter]:
    adapter = SQLitePersistenceAdapter(path, timeout=0.2)
    return build_skill(adapter), adapter


@pytest.mark.parametrize("lock", ["writes", "everything"])
def test_sqlite_locked_by_another_connection(seeded_db, lock):
    path, before = seeded_db
    skill, adapter = faulty_skill(path)
    with other_connection(path, lock):
        heard = visit(skill, FAULT_DAY, 30)
    adapter.close()
    assert_answered_without_memory(heard, reads_work=lock == "writes")
    assert stored(path) == before
    # and once the lock is gone, memory is back
    skill, adapter = faulty_skill(path)
    heard = visit(skill, FAULT_DAY, 30)
    adapter.close()
    assert KEPT in result_turn(heard)


def test_sqlite_file_replaced_by_a_directory(seeded_db, tmp_path):
    path, before = seeded_db
    aside = tmp_path / "aside.db"
    path.rename(aside)
    path.mkdir()
    (path / "not-a-database").write_text("x")
    skill, adapter = faulty_skill(path)
    heard = visit(skill, FAULT_DAY, 30)
    adapter.close()
    assert_answered_without_memory(heard)
    assert (path / "not-a-database").read_text() == "x"
    shutil.rmtree(path)
    aside.rename(path)
    assert stored(path) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_sqlite_file_read_only(seeded_db):
    path, before = seeded_db
    path.chmod(0o444)
    path.parent.chmod(0o555)
    try:
        skill, adapter = faulty_skill(path)
        heard = visit(skill, FAULT_DAY, 30)
        adapter.close()
    finally:
        path.parent.chmod(0o755)
        path.chmod(0o644)
    assert NOT_KEPT in result_turn(heard)
    assert stored(path) == before


def test_sqlite_folder_cannot_be_created(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the data folder should be")
    skill, adapter = faulty_skill(blocker / "hipcoach" / "memory.db")
    heard = visit(skill, FAULT_DAY, 30)
    adapter.close()
    assert_answered_without_memory(heard)


@pytest.mark.parametrize("damage", ["garbage", "header", "middle"])
def test_sqlite_file_corrupted_is_left_untouched(seeded_db, damage):
    path, _ = seeded_db
    with (
        closing(sqlite3.connect(path)) as conn,
        conn,
    ):  # pages enough to damage the middle of the file
        conn.execute("CREATE TABLE IF NOT EXISTS padding (x BLOB)")
        conn.executemany("INSERT INTO padding VALUES (?)", [(os.urandom(2000),)] * 40)
    raw = bytearray(path.read_bytes())
    if damage == "garbage":
        raw = bytearray(os.urandom(len(raw)))
    elif damage == "header":
        raw[0:100] = os.urandom(100)
    else:
        # the schema (page 1) and the table b-tree pages: every page but the first, scribbled
        for offset in range(4096, len(raw), 4096):
            raw[offset : offset + 64] = os.urandom(64)
    path.write_bytes(bytes(raw))
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    skill, adapter = faulty_skill(path)
    heard = visit(skill, FAULT_DAY, 30)
    adapter.close()
    assert_answered_without_memory(heard)
    assert path.read_bytes() == bytes(raw), "the damaged file was changed"


# -- DynamoDB -------------------------------------------------------------------------------------


@pytest.fixture
def aws_env(monkeypatch):
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(key, "testing")
    for key in ("AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "HIPCOACH_DYNAMODB_TABLE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")


def dynamo(endpoint: str, table: str = "hipcoach-attributes") -> Any:
    from hipcoach.persistence import dynamodb as ddb

    return ddb.dynamodb_adapter(table, region="eu-west-1", endpoint_url=endpoint)


def raw_item(endpoint: str, table: str) -> dict[str, Any]:
    import boto3

    client = boto3.client("dynamodb", region_name="eu-west-1", endpoint_url=endpoint)
    item: dict[str, Any] = client.get_item(TableName=table, Key={"id": {"S": USER}})["Item"]
    return item


@pytest.fixture
def seeded_table(moto_endpoint, aws_env) -> tuple[str, str, dict[str, Any]]:
    import boto3

    table = f"hipcoach-{uuid.uuid4().hex[:8]}"
    boto3.client("dynamodb", region_name="eu-west-1", endpoint_url=moto_endpoint).create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    heard = visit(build_skill(dynamo(moto_endpoint, table)), SEEDED, 20)
    assert KEPT in result_turn(heard)
    item = raw_item(moto_endpoint, table)
    assert {"profile", "episode", "training"} <= set(item["attributes"]["M"])
    return moto_endpoint, table, item


@pytest.mark.slow
@pytest.mark.xdist_group("moto")
def test_dynamodb_unreachable_closed_port(seeded_table):
    endpoint, table, before = seeded_table
    adapter = dynamo(f"http://127.0.0.1:{free_port()}", table)
    heard = visit(build_skill(adapter), FAULT_DAY, 30)
    assert_answered_without_memory(heard)
    assert raw_item(endpoint, table) == before


@pytest.mark.slow
def test_dynamodb_that_never_answers_is_given_up_on_in_time(aws_env):
    """A black hole (TCP accepted, no reply): botocore's 60 s defaults would outlast Alexa."""
    with socket.socket() as hole:
        hole.bind(("127.0.0.1", 0))
        hole.listen(64)
        skill = build_skill(dynamo(f"http://127.0.0.1:{hole.getsockname()[1]}"))
        conversation = Conversation("en-US", DeviceProfile(user_id=USER))
        _, keys = send(skill, envelopes.to_dict(conversation.launch(FAULT_DAY)))
        assert "interview.offer_start" in keys
        stamp = FAULT_DAY + timedelta(seconds=5)
        log_run = resolve("I ran 30 miles last week", "en-US", stamp.date())
        _, keys = send(skill, envelopes.to_dict(conversation.intent(log_run, stamp)))
        assert UNAVAILABLE in keys


def throttle(adapter: Any, operations: set[str]) -> None:
    """Make DynamoDB answer ProvisionedThroughputExceededException to these operations."""
    from botocore.exceptions import ClientError

    client = adapter.inner.dynamodb.meta.client
    real = client._make_api_call

    def throttled(operation: str, params: dict[str, Any]) -> Any:
        if operation in operations:
            raise ClientError(
                {
                    "Error": {
                        "Code": "ProvisionedThroughputExceededException",
                        "Message": "Rate of requests exceeds the allowed throughput.",
                    },
                    "ResponseMetadata": {"HTTPStatusCode": 400},
                },
                operation,
            )
        return real(operation, params)

    client._make_api_call = throttled


@pytest.mark.slow
@pytest.mark.xdist_group("moto")
@pytest.mark.parametrize("operations", [{"GetItem", "PutItem", "DeleteItem"}, {"PutItem"}])
def test_dynamodb_throttling(seeded_table, operations):
    endpoint, table, before = seeded_table
    adapter = dynamo(endpoint, table)
    throttle(adapter, operations)
    heard = visit(build_skill(adapter), FAULT_DAY, 30)
    assert_answered_without_memory(heard, reads_work="GetItem" not in operations)
    assert raw_item(endpoint, table) == before


ThrottleFn = Callable[[Any, set[str]], None]
