"""One runner on several devices at once: no acknowledged write is lost, a delete stays deleted.

Each device is its own Lambda container (lambda/lambda_function.py loaded afresh, with its own
skill object and its own connection to the store), all on one SQLite file or one DynamoDB table
(moto's server on loopback). The devices talk at the same time from threads, through
`lambda_handler`, with envelopes the local NLU builds from what a runner would say.
"""

from __future__ import annotations

import importlib.util
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from ask_sdk_model import RequestEnvelope
from ask_sdk_model.context import Context
from ask_sdk_model.interfaces.system import SystemState
from ask_sdk_model.user import User

from hipcoach.app import build_skill
from hipcoach.persistence.sqlite import SQLitePersistenceAdapter
from hipcoach.speech import said as said_keys
from hipcoach.speech.ssml import plain
from hipcoach.standin import envelopes
from hipcoach.standin.envelopes import Conversation, DeviceProfile
from hipcoach.standin.nlu import resolve

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("moto")]
ROOT = Path(__file__).resolve().parents[3]
LOGGED = "memory.logged_run"  # content keys (hipcoach.speech.said), not words
DELETED = "memory.delete_done"
FIRST_DAY = date(2026, 1, 5)  # a Monday
RUNS_EACH = 10
KM_PER_MILE = 1.609344


def user_envelope(user_id: str) -> RequestEnvelope:
    return RequestEnvelope(context=Context(system=SystemState(user=User(user_id=user_id))))


# -- the stores ---------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(request, tmp_path, monkeypatch) -> Iterator[Callable[[], Any]]:
    """A factory of adapters on one shared store (each call: a new connection, as a new
    container would have)."""
    monkeypatch.setenv("SKILL_ID", envelopes.LOCAL_SKILL_ID)
    made: list[Any] = []
    if request.param == "sqlite":
        path = tmp_path / "shared.db"

        def sqlite_adapter() -> Any:
            made.append(SQLitePersistenceAdapter(path))
            return made[-1]

        yield sqlite_adapter
        for adapter in made:
            adapter.close()
        return
    endpoint = request.getfixturevalue("moto_endpoint")
    import boto3

    from hipcoach.persistence.dynamodb import dynamodb_adapter

    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    table = f"races-{uuid.uuid4().hex[:8]}"
    boto3.client("dynamodb", region_name="us-east-1", endpoint_url=endpoint).create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    yield lambda: dynamodb_adapter(table, region="us-east-1", endpoint_url=endpoint)


def container(adapter: Any) -> ModuleType:
    """A fresh copy of the Lambda entry point with its own skill on ``adapter``."""
    spec = importlib.util.spec_from_file_location(
        f"lambda_function_{uuid.uuid4().hex}", ROOT / "lambda" / "lambda_function.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module._skill = build_skill(adapter)
    return module


def slowed(write: Callable[..., str]) -> Callable[..., str]:
    def slow_write(*args: Any) -> str:
        time.sleep(0.004)
        return write(*args)

    return slow_write


@dataclass
class Said:
    speech: str
    keys: list[str]  # the content keys the answer was built from
    started: float
    ended: float


class Device:
    """One Echo of the runner: its own container, its own session."""

    def __init__(self, store: Callable[[], Any], user_id: str, slow: bool = False) -> None:
        adapter = store()
        if slow:  # a device on a slow link: its read and its write are further apart
            adapter.write = slowed(adapter.write)
        self.lambda_module = container(adapter)
        self.conversation = Conversation("en-US", DeviceProfile(user_id=user_id))

    def say(self, utterance: str, day: date) -> Said:
        stamp = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=18)
        understood = resolve(utterance, "en-US", day)
        event = envelopes.to_dict(self.conversation.intent(understood, stamp))
        started = time.perf_counter()
        with said_keys.recording() as keys:
            answer = self.lambda_module.lambda_handler(event, None)
        ended = time.perf_counter()
        self.conversation.absorb(answer)
        speech = plain(answer["response"]["outputSpeech"]["ssml"])
        return Said(speech, said_keys.unique(keys), started, ended)


def stored_runs(adapter: Any, user_id: str) -> set[tuple[str, float]]:
    record = adapter.get_attributes(user_envelope(user_id))
    weeks = (record.get("training") or {}).get("weeks") or {}
    return {(run["date"], round(run["km"], 3)) for week in weeks.values() for run in week["runs"]}


def run_of(device: int, n: int, devices: int) -> tuple[date, int]:
    """Device `device`'s n-th run: its own day (a week holds at most 21 runs) and distance."""
    index = n * devices + device
    return FIRST_DAY + timedelta(days=index), 3 + index


# -- no lost update -----------------------------------------------------------------------------


@pytest.mark.parametrize("devices", [2, 4])
def test_devices_logging_at_once_lose_no_run(store, devices):
    user_id = f"amzn1.ask.account.RACE-{uuid.uuid4().hex[:8]}"
    phones = [Device(store, user_id) for _ in range(devices)]
    start = threading.Barrier(devices)

    def log_runs(d: int) -> list[tuple[str, float]]:
        start.wait()
        acknowledged = []
        for n in range(RUNS_EACH):
            day, km = run_of(d, n, devices)
            said = phones[d].say(f"I ran {km} kilometers today", day)
            if LOGGED in said.keys:
                acknowledged.append((day.isoformat(), round(km * 1.0, 3)))
        return acknowledged

    with ThreadPoolExecutor(devices) as pool:
        acknowledged = [run for runs in pool.map(log_runs, range(devices)) for run in runs]
    assert len(acknowledged) == devices * RUNS_EACH, "every run should have been acknowledged"
    kept = stored_runs(store(), user_id)
    assert set(acknowledged) <= kept
    assert len(kept) == devices * RUNS_EACH


def test_two_devices_setting_different_areas_keep_both(store):
    """New shoes on one device while the other logs runs: both land, neither overwrites."""
    user_id = f"amzn1.ask.account.AREAS-{uuid.uuid4().hex[:8]}"
    runner, shoes = Device(store, user_id), Device(store, user_id)
    start = threading.Barrier(2)

    def log() -> None:
        start.wait()
        for n in range(RUNS_EACH):
            day, km = run_of(0, n, 1)
            runner.say(f"I ran {km} kilometers today", day)

    def buy() -> None:
        start.wait()
        for n in range(RUNS_EACH):
            shoes.say("I got new shoes", FIRST_DAY + timedelta(days=n))

    with ThreadPoolExecutor(2) as pool:
        for future in [pool.submit(log), pool.submit(buy)]:
            future.result()
    record = store().get_attributes(user_envelope(user_id))
    assert record["shoes"]["since"] == (FIRST_DAY + timedelta(days=RUNS_EACH - 1)).isoformat()
    assert len(stored_runs(store(), user_id)) == RUNS_EACH


# -- a delete that stays deleted ------------------------------------------------------------------


@pytest.mark.parametrize("round_", range(3))
def test_a_delete_raced_by_writes_is_never_undone(store, round_):
    user_id = f"amzn1.ask.account.FORGET-{uuid.uuid4().hex[:8]}"
    writers = [Device(store, user_id, slow=True) for _ in range(2)]
    deleter = Device(store, user_id)
    deleter.say("I got new shoes", FIRST_DAY)
    before = []
    for n in range(3):
        writers[0].say(f"I ran {40 + n} kilometers today", FIRST_DAY + timedelta(days=n))
        before.append(((FIRST_DAY + timedelta(days=n)).isoformat(), float(40 + n)))
    assert set(before) <= stored_runs(store(), user_id), "the runs before the race are stored"
    deleter.say("delete my data", FIRST_DAY)
    writes: list[tuple[tuple[str, float], Said]] = []
    lock = threading.Lock()
    go = threading.Barrier(3)

    def write(w: int) -> None:
        go.wait()
        for n in range(8):
            day, km = run_of(w, n, 2)
            said = writers[w].say(f"I ran {km} kilometers today", day)
            with lock:
                writes.append(((day.isoformat(), float(km)), said))

    def delete() -> Said:
        go.wait()
        time.sleep(0.003 * (round_ + 1))  # lands among the writes
        return deleter.say("yes", FIRST_DAY)

    with ThreadPoolExecutor(3) as pool:
        futures = [pool.submit(write, 0), pool.submit(write, 1), pool.submit(delete)]
        deleted = futures[2].result()
        for future in futures[:2]:
            future.result()
    assert DELETED in deleted.keys
    kept = stored_runs(store(), user_id)
    record = store().get_attributes(user_envelope(user_id))
    assert "shoes" not in record, "the shoes from before the delete came back"
    assert not set(before) & kept, "runs from before the delete came back"
    for run, said in writes:
        assert LOGGED in said.keys, said.keys
        if said.ended < deleted.started:
            assert run not in kept, f"{run} was acknowledged before the delete and came back"
        if said.started > deleted.ended:
            assert run in kept, f"{run} was acknowledged after the delete and lost"
