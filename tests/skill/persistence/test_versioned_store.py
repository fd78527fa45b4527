"""Versioned reads and conditional writes, on each adapter (SQLite; DynamoDB on moto's mock).

And `user_record.update` on top: a change re-applied to what another device stored in between.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing

import pytest
from _memory_harness import envelope_for
from ask_sdk_core.attributes_manager import AttributesManager
from ask_sdk_core.handler_input import HandlerInput

from hipcoach.persistence import user_record
from hipcoach.persistence.sqlite import SQLitePersistenceAdapter
from hipcoach.persistence.versioned import WriteConflict

RUNNER = "amzn1.ask.account.VERSIONED-RUNNER"


def test_a_write_names_the_version_it_read(adapter):
    runner = envelope_for(RUNNER)
    first = adapter.read(runner)
    assert first.record == {} and first.version is None
    v1 = adapter.write(runner, {"shoes": {"since": "2026-02-01"}}, None)
    with pytest.raises(WriteConflict):
        adapter.write(runner, {"shoes": {"since": "2026-02-02"}}, None)  # exists already
    v2 = adapter.write(runner, {"shoes": {"since": "2026-02-03"}}, v1)
    assert v2 != v1
    with pytest.raises(WriteConflict):
        adapter.write(runner, {"shoes": {"since": "2026-02-04"}}, v1)  # stale
    assert adapter.read(runner).record == {"shoes": {"since": "2026-02-03"}}
    assert adapter.read(runner).version == v2


def test_a_version_read_before_a_delete_never_writes_after_it(adapter):
    runner = envelope_for(RUNNER)
    old = adapter.write(runner, {"training": {"unit": "km", "weeks": {}}}, None)
    adapter.delete_attributes(runner)
    with pytest.raises(WriteConflict):
        adapter.write(runner, {"training": {"unit": "km", "weeks": {}}, "shoes": {}}, old)
    adapter.write(runner, {"profile": {"first_seen": "2026-03-01"}}, None)  # re-created
    with pytest.raises(WriteConflict):
        adapter.write(runner, {"shoes": {"since": "2026-01-01"}}, old)
    assert adapter.get_attributes(runner) == {"profile": {"first_seen": "2026-03-01"}}


def handler_input_for(adapter, user_id: str = RUNNER) -> HandlerInput:
    envelope = envelope_for(user_id)
    return HandlerInput(
        request_envelope=envelope,
        attributes_manager=AttributesManager(envelope, persistence_adapter=adapter),
    )


def test_update_reapplies_the_change_to_what_another_device_stored(adapter):
    runner = envelope_for(RUNNER)
    adapter.write(runner, {"runs": [1]}, None)
    this_device = handler_input_for(adapter)
    assert user_record.load(this_device) == {"runs": [1]}  # read now, written later
    other = adapter.read(runner)
    adapter.write(runner, {"runs": [1, 2]}, other.version)  # another device, in between
    result = user_record.update(this_device, lambda r: {**r, "runs": [*r["runs"], 3]})
    assert result.saved and result.changed and result.attempts == 2
    assert result.record == {"runs": [1, 2, 3]}
    assert adapter.get_attributes(runner) == {"runs": [1, 2, 3]}
    assert user_record.load(this_device) == {"runs": [1, 2, 3]}


def test_update_without_a_change_writes_nothing(adapter):
    runner = envelope_for(RUNNER)
    version = adapter.write(runner, {"runs": [4]}, None)
    result = user_record.update(handler_input_for(adapter), lambda r: None)
    assert result.saved and not result.changed
    assert adapter.read(runner).version == version


def test_the_change_gets_a_copy_and_load_gives_one(adapter):
    adapter.write(envelope_for(RUNNER), {"runs": [5]}, None)
    handler_input = handler_input_for(adapter)
    user_record.load(handler_input)["runs"].append("tampered")  # type: ignore[index]

    def mutating(record):
        record["runs"].append(6)
        return record

    assert user_record.update(handler_input, mutating).record == {"runs": [5, 6]}


def test_update_after_a_delete_starts_from_the_empty_record(adapter):
    runner = envelope_for(RUNNER)
    adapter.write(runner, {"shoes": {"since": "2026-01-10"}, "runs": [7]}, None)
    handler_input = handler_input_for(adapter)
    user_record.load(handler_input)
    adapter.delete_attributes(runner)  # "delete my data" on another device
    result = user_record.update(handler_input, lambda r: {**r, "runs": [*r.get("runs", []), 8]})
    assert result.saved and result.record == {"runs": [8]}
    assert adapter.get_attributes(runner) == {"runs": [8]}


def test_no_store_means_memory_unavailable():
    result = user_record.update(handler_input_for(None), lambda r: {**r, "x": 1})
    assert not result.saved and result.record is None


def test_a_file_from_before_versions_is_upgraded_in_place(tmp_path):
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(
            "CREATE TABLE attributes (user_id TEXT PRIMARY KEY, data TEXT NOT NULL, "
            "updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))"
        )
        conn.execute(
            "INSERT INTO attributes (user_id, data) VALUES (?, ?)",
            (RUNNER, json.dumps({"shoes": {"since": "2025-12-24"}})),
        )
        conn.commit()
    adapter = SQLitePersistenceAdapter(path)
    stored = adapter.read(envelope_for(RUNNER))
    assert stored.record == {"shoes": {"since": "2025-12-24"}} and stored.version == ""
    adapter.write(envelope_for(RUNNER), {"shoes": {"since": "2026-01-02"}}, "")
    assert adapter.get_attributes(envelope_for(RUNNER)) == {"shoes": {"since": "2026-01-02"}}
    adapter.close()
