"""Many runners at once over HTTP: `hipcoach serve` (threaded) and gunicorn with 3 workers.

Each runner holds a scripted conversation (open hip coach, a check answered from a per-runner
answer sheet to its result, a logged run, a routine step, stop). The same scripts are first run one
after another in-process on a fresh SQLite file: that is what each runner gets alone. Then all of
them run in parallel against a server on a free loopback port (verification off, its own SQLite
file): every turn's speech and session state must match the serial run, every request must answer
200, and each runner's persisted record must be the one the serial run stored for that runner.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from _net import free_port, gunicorn_command, server_env, stop, wait_until_up

from hipcoach.app import build_skill
from hipcoach.persistence.sqlite import SQLitePersistenceAdapter
from hipcoach.standin import envelopes
from hipcoach.standin.envelopes import Conversation, DeviceProfile
from hipcoach.standin.nlu import parse_invocation, resolve

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("http")]

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
RUNNERS = 20
DAY = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
LOCATIONS = ["on the outside", "in the front", "in my groin", "deep in the joint", "my buttock"]
LOCATION_IDS = ["outer_hip", "front_hip", "groin", "deep_joint", "buttock"]
TIMINGS = ["after my run", "during my run", "during and after", "at rest"]
QUALITIES = ["a dull ache", "sharp", "burning"]
SEVERITIES = ["two", "three", "four", "five", "six", "seven", "eight"]
DURATIONS = ["three days", "about two weeks", "a month", "ten days"]


def answer_sheet(n: int) -> dict[str, str]:
    """Runner n's answers; questions not on the sheet get yes or no by runner and finding."""
    return {
        "pain_location": LOCATIONS[n % len(LOCATIONS)],
        "pain_timing": TIMINGS[n % len(TIMINGS)],
        "onset": "gradually" if n % 3 else "suddenly",
        "pain_quality": QUALITIES[n % len(QUALITIES)],
        "pain_severity": SEVERITIES[n % len(SEVERITIES)],
        "pain_days": DURATIONS[n % len(DURATIONS)],
        "pain_radiates": "it doesn't spread" if n % 2 else "down my thigh",
        "mileage_increase_pct": f"{10 + 5 * (n % 5)} percent",
        "shoe_miles": f"{200 + 50 * n}",
    }


def answer_for(n: int, finding: str) -> str:
    sheet = answer_sheet(n)
    if finding in sheet:
        return sheet[finding]
    return "yes" if (n + len(finding)) % 5 == 0 else "no"


def user_id(n: int) -> str:
    return f"amzn1.ask.account.CONCURRENT-{n:03d}"


def unsealed(attributes: dict[str, Any]) -> dict[str, Any]:
    """The session attributes without the seal on the reply kept for "repeat": its key is each
    process's own (hipcoach.session_guard), so the same reply is sealed differently in the
    server and in this process."""
    result = attributes.get("result")
    if isinstance(result, dict) and "seal" in result:
        return {**attributes, "result": {k: v for k, v in result.items() if k != "seal"}}
    return attributes


@dataclass
class Turn:
    utterance: str
    speech: str | None
    attributes: dict[str, Any]
    end: bool


Send = Callable[[dict[str, Any]], dict[str, Any]]


def converse(n: int, send: Send) -> list[Turn]:
    """Runner n's whole conversation; the next utterance depends only on the previous answer."""
    conversation = Conversation("en-US", DeviceProfile(user_id=user_id(n)))
    stamp = DAY + timedelta(minutes=n)
    turns: list[Turn] = []

    def say(utterance: str) -> dict[str, Any]:
        nonlocal stamp
        stamp += timedelta(seconds=1)
        invocation = parse_invocation(utterance)
        if invocation is not None and invocation.kind == "launch":
            envelope = conversation.launch(stamp)
        else:
            envelope = conversation.intent(resolve(utterance, "en-US", stamp.date()), stamp)
        answer = send(envelopes.to_dict(envelope))
        ended = conversation.absorb(answer)
        body = answer.get("response") or {}
        turns.append(
            Turn(
                utterance,
                (body.get("outputSpeech") or {}).get("ssml"),
                unsealed(answer.get("sessionAttributes") or {}),
                ended,
            )
        )
        return answer

    answer = say("open hip coach")
    answer = say("check my hip")
    for _ in range(40):
        attributes = answer.get("sessionAttributes") or {}
        if attributes.get("mode") != "interview":
            break
        answer = say(answer_for(n, attributes["interview"]["asking"]))
    assert (answer.get("sessionAttributes") or {}).get("outcome"), f"runner {n}: no result"
    if (answer.get("sessionAttributes") or {}).get("mode") == "offer_routine":
        say("no")
    say(f"I ran {12 + n} miles last week")
    say("start my stretches")
    say("next")
    say("stop")
    return turns


def stored_records(path: Path) -> dict[str, dict[str, Any]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT user_id, data FROM attributes").fetchall()
    return {user: json.loads(data) for user, data in rows}


@pytest.fixture(scope="module")
def alone(tmp_path_factory) -> tuple[dict[int, list[Turn]], dict[str, dict[str, Any]]]:
    """Every runner's conversation run alone, in-process, one after another."""
    path = tmp_path_factory.mktemp("serial") / "serial.db"
    adapter = SQLitePersistenceAdapter(path)
    skill = build_skill(adapter)
    serializer = skill.serializer

    def send(event: dict[str, Any]) -> dict[str, Any]:
        from ask_sdk_model import RequestEnvelope

        request = serializer.deserialize(json.dumps(event), RequestEnvelope)
        answer: dict[str, Any] = serializer.serialize(skill.invoke(request, None))
        return answer

    transcripts = {n: converse(n, send) for n in range(RUNNERS)}
    adapter.close()
    return transcripts, stored_records(path)


@pytest.fixture
def threaded_server(tmp_path) -> Iterator[tuple[str, Path, Path]]:
    """`hipcoach serve --no-verify` on a free loopback port, with its own SQLite file."""
    db, log, port = tmp_path / "serve.db", tmp_path / "serve.log", free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BIN / "hipcoach"), "serve", "--no-verify", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=server_env(db),
            cwd=tmp_path,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, process, log)
        yield url, db, log
    finally:
        stop(process)


@pytest.fixture
def gunicorn_server(tmp_path) -> Iterator[tuple[str, Path, Path]]:
    """gunicorn with 3 workers serving hipcoach.tools.loadtest_app (verification off, loopback only)."""
    db, log, port = tmp_path / "gunicorn.db", tmp_path / "gunicorn.log", free_port()
    env = server_env(db)
    env["HIPCOACH_INSECURE_LOAD_TEST"] = "1"
    # A home of its own, to see that gunicorn leaves nothing there (no ~/.gunicorn/ socket).
    (tmp_path / "home").mkdir()
    env["HOME"] = str(tmp_path / "home")
    env.pop("XDG_RUNTIME_DIR", None)
    with log.open("wb") as out:
        process = subprocess.Popen(
            gunicorn_command("hipcoach.tools.loadtest_app:wsgi_app_unverified()", port, 3),
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=tmp_path,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, process, log)
        yield url, db, log
    finally:
        stop(process)


def run_in_parallel(url: str) -> tuple[dict[int, list[Turn]], list[str]]:
    errors: list[str] = []

    def runner(n: int) -> list[Turn]:
        with requests.Session() as http:

            def send(event: dict[str, Any]) -> dict[str, Any]:
                reply = http.post(url, data=json.dumps(event), timeout=20)
                if reply.status_code != 200:
                    errors.append(f"runner {n}: HTTP {reply.status_code}")
                if len(reply.content) >= 24 * 1024:
                    errors.append(f"runner {n}: a {len(reply.content)}-byte response")
                reply.raise_for_status()
                answer: dict[str, Any] = reply.json()
                return answer

            return converse(n, send)

    with ThreadPoolExecutor(max_workers=RUNNERS) as pool:
        futures = {n: pool.submit(runner, n) for n in range(RUNNERS)}
        transcripts = {n: future.result(timeout=120) for n, future in futures.items()}
    return transcripts, errors


def assert_same_as_alone(
    alone: tuple[dict[int, list[Turn]], dict[str, dict[str, Any]]],
    together: dict[int, list[Turn]],
    db: Path,
) -> None:
    expected, expected_records = alone
    results = {json.dumps(t[-1].attributes.get("outcome")) for t in expected.values()}
    assert len(results) > 1, "the scripts should not all reach the same result"
    for n in range(RUNNERS):
        assert together[n] == expected[n], f"runner {n} heard something else in company"
    records = stored_records(db)
    assert set(records) == {user_id(n) for n in range(RUNNERS)}
    for n in range(RUNNERS):
        record = records[user_id(n)]
        assert record == expected_records[user_id(n)], f"runner {n}'s record"
        # and it is this runner's: the distance they logged, the result they heard
        (week,) = record["training"]["weeks"].values()
        assert week["base"] == pytest.approx((12 + n) * 1.609344, abs=0.01)
        if record["episode"].get("location"):
            assert record["episode"]["location"] == LOCATION_IDS[n % len(LOCATION_IDS)]


def assert_no_crash(log: Path) -> None:
    text = log.read_text(errors="replace")
    assert "Traceback" not in text
    assert '"level":"error"' not in text
    assert "handler error" not in text


def test_threaded_serve_many_runners_at_once(alone, threaded_server):
    url, db, log = threaded_server
    together, errors = run_in_parallel(url)
    assert errors == []
    assert_same_as_alone(alone, together, db)
    assert_no_crash(log)


def test_gunicorn_three_workers_many_runners_at_once(alone, gunicorn_server):
    url, db, log = gunicorn_server
    together, errors = run_in_parallel(url)
    assert errors == []
    assert_same_as_alone(alone, together, db)
    assert_no_crash(log)
    assert "Booting worker" in log.read_text() and log.read_text().count("Booting worker") >= 3
    assert list((db.parent / "home").iterdir()) == []  # no control socket in the home folder


def test_unverified_app_refuses_without_the_opt_in():
    env = {k: v for k, v in os.environ.items() if k != "HIPCOACH_INSECURE_LOAD_TEST"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from hipcoach.tools.loadtest_app import wsgi_app_unverified as w; w()",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode != 0
    assert "InsecureAppRefused" in result.stderr


def test_gunicorn_one_runner_on_four_devices_loses_no_run(gunicorn_server):
    """Four devices of one runner log runs at once through three workers: every run is kept."""
    from datetime import date

    url, db, log = gunicorn_server
    runner = "amzn1.ask.account.FOUR-DEVICES"
    first = date(2026, 1, 5)

    def device(d: int) -> list[tuple[str, float]]:
        conversation = Conversation("en-US", DeviceProfile(user_id=runner))
        logged = []
        with requests.Session() as http:
            for n in range(12):
                index = n * 4 + d
                day = first + timedelta(days=index)
                stamp = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
                understood = resolve(f"I ran {3 + index} kilometers today", "en-US", day)
                event = envelopes.to_dict(conversation.intent(understood, stamp))
                reply = http.post(url, data=json.dumps(event), timeout=20)
                assert reply.status_code == 200
                conversation.absorb(reply.json())
                logged.append((day.isoformat(), float(3 + index)))
        return logged

    with ThreadPoolExecutor(max_workers=4) as pool:
        logged = [run for runs in pool.map(device, range(4)) for run in runs]
    weeks = stored_records(db)[runner]["training"]["weeks"]
    kept = {(run["date"], run["km"]) for week in weeks.values() for run in week["runs"]}
    assert set(logged) <= kept and len(kept) == 48
    assert_no_crash(log)
