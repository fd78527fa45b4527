"""A SQLite file held exclusively by another process (issue 26): one bounded wait per request, not
one per store call, and calls meanwhile fail at once; the runner hears that memory cannot be
reached, never an apology, and nothing is written on a failed read."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from _web_signing import SKILL_ID, envelope

from hipcoach.app import build_skill
from hipcoach.hosting import web
from hipcoach.persistence import PersistenceUnavailable
from hipcoach.persistence import sqlite as sqlite_store
from hipcoach.persistence.sqlite import SQLitePersistenceAdapter
from hipcoach.speech.texts import Texts

HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA locking_mode = EXCLUSIVE")
conn.execute("BEGIN EXCLUSIVE")
conn.execute("CREATE TABLE IF NOT EXISTS held (x)")
conn.execute("INSERT INTO held VALUES (1)")
print("locked", flush=True)
sys.stdin.read()
"""
TEXTS = Texts("en-US")


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "locked.db"
    first = SQLitePersistenceAdapter(path)
    first.save_attributes(_request(), {"training": {"unit": "km", "weeks": {}}})
    first.close()
    return path


def _request():
    import json

    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    return DefaultSerializer().deserialize(payload=json.dumps(envelope()), obj_type=RequestEnvelope)


@pytest.fixture
def held(db) -> Iterator[Path]:
    """The file locked exclusively by another process until the test ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield db
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(10)


class Counting(SQLitePersistenceAdapter):
    """Counts the store calls that reach SQLite (past the busy check)."""

    calls = 0

    def _connection(self):  # type: ignore[no-untyped-def]
        Counting.calls += 1
        return super()._connection()


def test_a_locked_file_costs_one_full_wait_then_only_probes(held):
    adapter = SQLitePersistenceAdapter(held, timeout=5.0)
    adapter.timeout = 0.2  # the first wait, short for the test; what follows must be the probe
    with pytest.raises(PersistenceUnavailable, match="locked"):
        adapter.read(_request())
    adapter.timeout = 60.0  # were a call to wait the full timeout again, the test would hang
    for _ in range(3):
        with pytest.raises(PersistenceUnavailable, match="locked"):
            adapter.read(_request())
        with pytest.raises(PersistenceUnavailable, match="locked"):
            adapter.write(_request(), {"x": 1}, "")
        assert adapter._wait_seconds() == sqlite_store.BUSY_PROBE_SECONDS
    adapter.close()


def test_the_store_is_used_again_once_the_lock_is_gone(db):
    adapter = SQLitePersistenceAdapter(db, timeout=0.2)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == b"locked"
    with pytest.raises(PersistenceUnavailable):
        adapter.read(_request())
    assert holder.stdin is not None
    holder.stdin.close()
    holder.wait(10)
    # at once, inside the back-off: the probe sees the lock is gone
    assert adapter.read(_request()).record["training"]["unit"] == "km"
    adapter.close()


def _intent(name: str, **slots: str) -> dict:
    payload = envelope(
        "IntentRequest",
        intent={"name": name, "slots": {k: {"name": k, "value": v} for k, v in slots.items()}},
    )
    payload["session"]["new"] = False
    return payload


@pytest.mark.parametrize(
    "payload",
    [
        envelope(),
        _intent("LogRunIntent", distance="5"),
        _intent("WhatDoYouKnowIntent"),
        _intent("NewShoesIntent"),
    ],
    ids=["launch", "log_run", "what_do_you_know", "new_shoes"],
)
def test_each_request_waits_at_most_once_and_says_memory_is_unreachable(held, payload):
    adapter = Counting(held, timeout=0.2)
    client = web.create_app(build_skill(adapter), verify=False, skill_id=SKILL_ID).test_client()
    Counting.calls = 0
    answer = client.post("/", json=payload)
    assert answer.status_code == 200
    said = answer.get_json()["response"]["outputSpeech"]["ssml"]
    assert TEXTS.get("interview.error") not in said
    assert Counting.calls <= 1  # one wait on the lock in this request, at most
    if payload["request"]["type"] == "IntentRequest":
        assert TEXTS.get("memory.unavailable") in said
    adapter.close()
