"""`hipcoach chat` as a newcomer meets it: against a verifying web service it says why it is
refused and exits non-zero; the interactive console leaves when the skill ends the session."""

from __future__ import annotations

import argparse
import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from _net import free_port

from hipcoach import app
from hipcoach.speech import said
from hipcoach.speech.texts import Texts
from hipcoach.standin.chat import Console
from hipcoach.standin.envelopes import LOCAL_SKILL_ID

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[3]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SKILL_ID", "HIPCOACH_DYNAMODB_TABLE")}
    env["HIPCOACH_DB"] = str(tmp_path / "chat.db")
    return env


def _serve(tmp_path: Path, *flags: str) -> Iterator[str]:
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [str(BIN / "hipcoach"), "serve", "--port", str(port), *flags],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=_env(tmp_path),
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if requests.get(url + "health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                assert time.monotonic() < deadline, "hipcoach serve did not start"
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(15)
        log.close()


@pytest.fixture
def verifying_server(tmp_path):
    # the console's own skill id: verifying, the server refuses it for its missing signature
    yield from _serve(tmp_path, "--skill-id", LOCAL_SKILL_ID)


@pytest.fixture
def unverified_server(tmp_path):
    yield from _serve(tmp_path, "--no-verify")


def _chat_script(tmp_path: Path, url: str, *lines: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "said.txt"
    script.write_text("\n".join(lines) + "\n")
    return subprocess.run(
        [str(BIN / "hipcoach"), "chat", "--endpoint", url, "--script", str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(tmp_path),
    )


@pytest.mark.slow
def test_a_verifying_server_refuses_the_console_and_the_console_says_what_to_do(
    tmp_path, verifying_server
):
    result = _chat_script(tmp_path, verifying_server, "open hip coach", "my hip is sore")
    assert result.returncode == 1
    assert "HTTP 400" in result.stdout and "--no-verify" in result.stdout
    assert result.stdout.count("(error)") == 1  # stops at the first refusal


@pytest.mark.slow
def test_an_unverified_local_server_talks_to_the_console(tmp_path, unverified_server):
    result = _chat_script(tmp_path, unverified_server, "open hip coach")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Alexa: ") and "(error)" not in result.stdout


def _read_until_exit(fd: int, process: subprocess.Popen[bytes], timeout: float) -> str:
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            seen += chunk
        elif process.poll() is not None:
            break
    return seen.decode("utf-8", "replace")


@pytest.mark.slow
def test_the_interactive_console_exits_when_the_session_ends(tmp_path):
    env = _env(tmp_path)
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if p and Path(p).resolve() != BIN.resolve()
    )
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [str(BIN / "hipcoach"), "chat", "--date", "2026-11-20"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        cwd=ROOT,
    )
    os.close(follower)
    try:
        # typed ahead, as a runner would: no "quit" anywhere
        os.write(leader, b"open hip coach\nthat's all for now, stop\n")
        shown = _read_until_exit(leader, process, timeout=60)
        assert process.wait(10) == 0, shown
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
    # `hipcoach` is not on PATH (as after `make run`): the hint names commands that do run here
    shown_path = os.path.relpath((BIN / "hipcoach").resolve(), ROOT)
    again = f"`{shown_path} chat` (or `make run`)"
    assert f"(session ended; run {again} again to start a new one)" in shown
    assert shown.count("Alexa: ") == 2


def test_said_records_the_text_keys_looked_up_only_while_recording():
    texts = Texts("en-GB")
    texts.get("interview.welcome_back")  # nothing is recording: kept nowhere
    with said.recording() as outer:
        texts.get("interview.welcome_back")
        with said.recording() as inner:
            texts.get("routine.paused")
        texts.get("interview.welcome_back")
    assert inner == ["routine.paused"]
    assert outer == ["interview.welcome_back", "interview.welcome_back"]
    assert said.unique(outer) == ["interview.welcome_back"]


def test_the_json_turn_names_the_text_keys_it_was_built_from(tmp_path, monkeypatch):
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "said.db"))
    app.default_skill.cache_clear()
    try:
        args = argparse.Namespace(
            locale="en-US", user="jo", apl=False, endpoint=None, date="2026-11-20"
        )
        first = Console(args).turn_record("open hip coach")
        again = Console(args).turn_record("open hip coach")
    finally:
        app.default_skill.cache_clear()
    assert {"interview.welcome_first", "triage_levels.disclaimer"} <= set(first["said"])
    assert "interview.welcome_back" not in first["said"]
    assert "interview.welcome_back" in again["said"]
    assert "triage_levels.disclaimer" not in again["said"]
    assert len(again["said"]) == len(set(again["said"]))
