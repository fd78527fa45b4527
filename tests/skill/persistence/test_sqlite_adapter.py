"""The SQLite persistence adapter: threads, atomicity, durability and faults that keep data safe."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path

import pytest
from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import Context, RequestEnvelope, User
from ask_sdk_model.interfaces.system import SystemState

from hipcoach.persistence import (
    PersistenceUnavailable,
    SQLitePersistenceAdapter,
    default_sqlite_path,
)


def envelope(user_id: str | None) -> RequestEnvelope:
    return RequestEnvelope(context=Context(system=SystemState(user=User(user_id=user_id))))


def test_is_an_ask_sdk_adapter_and_error_is_a_persistence_exception(tmp_path):
    assert isinstance(SQLitePersistenceAdapter(tmp_path / "a.db"), AbstractPersistenceAdapter)
    assert issubclass(PersistenceUnavailable, PersistenceException)


def test_round_trip_and_unknown_user_is_empty(tmp_path):
    adapter = SQLitePersistenceAdapter(tmp_path / "a.db")
    assert adapter.get_attributes(envelope("nobody")) == {}
    data = {"training": {"weeks": {"2024-W10": 40.2}}, "shoes": {"since": "2024-03-01"}}
    adapter.save_attributes(envelope("u1"), data)
    assert adapter.get_attributes(envelope("u1")) == data
    assert adapter.get_attributes(envelope("u2")) == {}


def test_directory_created_on_first_use_and_wal_mode(tmp_path):
    path = tmp_path / "deep" / "er" / "hipcoach.db"
    adapter = SQLitePersistenceAdapter(path)
    assert not path.parent.exists()
    adapter.save_attributes(envelope("u"), {"a": 1})
    assert path.is_file()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_persists_across_adapter_instances(tmp_path):
    path = tmp_path / "a.db"
    first = SQLitePersistenceAdapter(path)
    first.save_attributes(envelope("u"), {"profile": {"unit": "km"}})
    first.close()
    second = SQLitePersistenceAdapter(path)
    assert second.get_attributes(envelope("u")) == {"profile": {"unit": "km"}}


def test_delete_removes_only_that_user(tmp_path):
    adapter = SQLitePersistenceAdapter(tmp_path / "a.db")
    adapter.save_attributes(envelope("a"), {"x": 1})
    adapter.save_attributes(envelope("b"), {"x": 2})
    adapter.delete_attributes(envelope("a"))
    adapter.delete_attributes(envelope("never-seen"))
    assert adapter.get_attributes(envelope("a")) == {}
    assert adapter.get_attributes(envelope("b")) == {"x": 2}


def test_missing_user_id_is_a_clear_error(tmp_path):
    adapter = SQLitePersistenceAdapter(tmp_path / "a.db")
    with pytest.raises(PersistenceUnavailable, match="user id"):
        adapter.get_attributes(envelope(None))
    with pytest.raises(PersistenceUnavailable):
        adapter.save_attributes(RequestEnvelope(), {})


def test_threads_hammering_different_users(tmp_path):
    adapter = SQLitePersistenceAdapter(tmp_path / "a.db", timeout=10)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            env = envelope(f"user-{n}")
            for i in range(40):
                adapter.save_attributes(env, {"n": n, "i": i, "pad": "x" * (n * 50)})
                got = adapter.get_attributes(env)
                assert got["n"] == n and got["i"] == i
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for n in range(8):
        assert adapter.get_attributes(envelope(f"user-{n}"))["i"] == 39


def test_threads_on_one_user_never_see_a_torn_record(tmp_path):
    adapter = SQLitePersistenceAdapter(tmp_path / "a.db", timeout=10)
    env = envelope("shared")
    adapter.save_attributes(env, {"a": 0, "b": 0})
    seen: list[dict] = []

    def writer(n: int) -> None:
        for i in range(30):
            value = n * 1000 + i
            adapter.save_attributes(env, {"a": value, "b": value})

    def reader() -> None:
        for _ in range(60):
            seen.append(adapter.get_attributes(env))

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    threads += [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen and all(rec["a"] == rec["b"] for rec in seen)


def test_a_failed_save_leaves_the_previous_record(tmp_path):
    adapter = SQLitePersistenceAdapter(tmp_path / "a.db")
    adapter.save_attributes(envelope("u"), {"kept": True})
    with pytest.raises(TypeError):
        adapter.save_attributes(envelope("u"), {"bad": object()})
    assert adapter.get_attributes(envelope("u")) == {"kept": True}


def test_locked_database_raises_and_keeps_data(tmp_path):
    path = tmp_path / "a.db"
    adapter = SQLitePersistenceAdapter(path, timeout=0.2)
    adapter.save_attributes(envelope("u"), {"v": 1})
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(PersistenceUnavailable, match="locked"):
            adapter.save_attributes(envelope("u"), {"v": 2})
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert adapter.get_attributes(envelope("u")) == {"v": 1}


def test_corrupted_file_raises_and_is_left_untouched(tmp_path):
    path = tmp_path / "hipcoach.db"
    garbage = b"this is not a database, it is someone's notes\n" * 200
    path.write_bytes(garbage)
    adapter = SQLitePersistenceAdapter(path)
    with pytest.raises(PersistenceUnavailable, match="damaged"):
        adapter.get_attributes(envelope("u"))
    with pytest.raises(PersistenceUnavailable):
        adapter.save_attributes(envelope("u"), {"v": 1})
    with pytest.raises(PersistenceUnavailable):
        adapter.delete_attributes(envelope("u"))
    assert path.read_bytes() == garbage
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hipcoach.db"]


def test_record_with_invalid_json_raises(tmp_path):
    path = tmp_path / "a.db"
    adapter = SQLitePersistenceAdapter(path)
    adapter.save_attributes(envelope("u"), {"v": 1})
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE attributes SET data = '[1, 2' WHERE user_id = 'u'")
    with pytest.raises(PersistenceUnavailable, match="JSON"):
        adapter.get_attributes(envelope("u"))


def test_unwritable_location_raises(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    adapter = SQLitePersistenceAdapter(blocker / "hipcoach" / "hipcoach.db")
    with pytest.raises(PersistenceUnavailable, match="data folder"):
        adapter.save_attributes(envelope("u"), {"v": 1})
    assert blocker.read_text() == "a file where the data folder should be"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_directory_raises(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        adapter = SQLitePersistenceAdapter(folder / "hipcoach.db")
        with pytest.raises(PersistenceUnavailable):
            adapter.save_attributes(envelope("u"), {"v": 1})
    finally:
        folder.chmod(0o700)


def test_default_path_honours_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "custom.db"))
    assert default_sqlite_path() == tmp_path / "custom.db"
    monkeypatch.delenv("HIPCOACH_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_sqlite_path() == tmp_path / "xdg" / "hipcoach" / "hipcoach.db"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_sqlite_path() == Path(tmp_path / "home" / ".local/share/hipcoach/hipcoach.db")


def test_stored_as_json_text(tmp_path):
    path = tmp_path / "a.db"
    SQLitePersistenceAdapter(path).save_attributes(envelope("u"), {"k": [1, 2]})
    with sqlite3.connect(path) as conn:
        (data,) = conn.execute("SELECT data FROM attributes WHERE user_id = 'u'").fetchone()
    assert json.loads(data) == {"k": [1, 2]}
