"""Load on loopback: gunicorn serving the real skill, a mix of launches, interview turns and
routine steps, from an asyncio client in this process.

The server is ``gunicorn 'hipcoach.tools.loadtest_app:wsgi_app_unverified()'`` (verification off, for
this load test only; it refuses to start without ``HIPCOACH_INSECURE_LOAD_TEST=1``) on a free
loopback port, 3 sync workers, SQLite memory in a temporary file. Request bodies are pre-built by
recording real conversations in-process (every body is a real envelope with the session attributes
the skill handed back), for 60 runners: a third launches, a third answer an interview question
(mid-interview, some reaching the result and writing an episode), a third step through a routine
("next", which saves the position). The client keeps a fixed number of requests in flight for a
fixed time; an error is anything but HTTP 200 with speech that is not the error apology.

Run alone: ``.venv/bin/python tests/bench/load_bench.py [SECONDS] [CONCURRENCY]``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))  # tests/: the gunicorn command line shared with the tests
from _net import free_port, gunicorn_command, server_env, stop, wait_until_up  # noqa: E402

DURATION_SECONDS = 12.0
CONCURRENCY = 4
WORKERS = 3
RUNNERS = 60
DAY = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
ANSWERS = {
    "pain_location": ["on the outside", "in the front", "in my groin", "my buttock"],
    "pain_timing": ["after my run", "during my run"],
    "onset": ["gradually", "suddenly"],
    "pain_quality": ["a dull ache", "sharp"],
    "pain_severity": ["three", "five", "seven"],
    "pain_days": ["three days", "about two weeks"],
}


def record_bodies() -> dict[str, list[bytes]]:
    """Real request bodies by kind, recorded from conversations through the skill in-process."""
    from ask_sdk_model import RequestEnvelope

    from hipcoach.app import build_skill
    from hipcoach.standin import envelopes
    from hipcoach.standin.envelopes import Conversation, DeviceProfile
    from hipcoach.standin.nlu import resolve

    skill = build_skill(None)
    bodies: dict[str, list[bytes]] = {"launch": [], "interview": [], "routine": []}

    def send(envelope: RequestEnvelope) -> tuple[bytes, dict[str, Any]]:
        body = envelopes.to_json(envelope).encode()
        answer: dict[str, Any] = skill.serializer.serialize(skill.invoke(envelope, None))
        return body, answer

    for n in range(RUNNERS):
        user = f"amzn1.ask.account.LOAD-{n:03d}"
        conversation = Conversation("en-US", DeviceProfile(user_id=user))
        stamp = DAY + timedelta(minutes=n)
        body, answer = send(conversation.launch(stamp))
        bodies["launch"].append(body)
        conversation.absorb(answer)
        body, answer = send(
            conversation.intent(resolve("check my hip", "en-US", DAY.date()), stamp)
        )
        conversation.absorb(answer)
        for _ in range(30):
            attributes = answer.get("sessionAttributes") or {}
            if attributes.get("mode") != "interview":
                break
            choices = ANSWERS.get(attributes["interview"]["asking"], ["no", "I don't know"])
            utterance = choices[n % len(choices)]
            envelope = conversation.intent(resolve(utterance, "en-US", DAY.date()), stamp)
            body, answer = send(envelope)
            bodies["interview"].append(body)
            conversation.absorb(answer)
        conversation = Conversation("en-US", DeviceProfile(user_id=user))
        body, answer = send(
            conversation.intent(resolve("start my stretches", "en-US", DAY.date()), stamp)
        )
        conversation.absorb(answer)
        for _ in range(3):
            body, answer = send(conversation.intent(resolve("next", "en-US", DAY.date()), stamp))
            bodies["routine"].append(body)
            conversation.absorb(answer)
    return bodies


def start_gunicorn(folder: Path) -> tuple[subprocess.Popen[bytes], int, Path]:
    port, log = free_port(), folder / "gunicorn.log"
    env = server_env(folder / "load.db")
    env["HIPCOACH_INSECURE_LOAD_TEST"] = "1"
    with log.open("wb") as out:
        process = subprocess.Popen(
            gunicorn_command("hipcoach.tools.loadtest_app:wsgi_app_unverified()", port, WORKERS),
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=folder,
        )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", process, log)
    except RuntimeError:
        stop(process)
        raise
    return process, port, log


async def post(port: int, body: bytes) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Connection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    head, _, payload = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return status, payload


def ok(status: int, payload: bytes, apology: str) -> bool:
    if status != 200:
        return False
    try:
        answer = json.loads(payload)
    except ValueError:
        return False
    ssml = ((answer.get("response") or {}).get("outputSpeech") or {}).get("ssml") or ""
    return bool(ssml) and apology not in ssml


async def drive(
    port: int, mix: list[tuple[str, bytes]], seconds: float, concurrency: int, apology: str
) -> tuple[list[float], dict[str, int], int]:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    stop_at = time.perf_counter() + seconds
    rng = random.Random(8)

    async def client() -> None:
        while time.perf_counter() < stop_at:
            kind, body = mix[rng.randrange(len(mix))]
            started = time.perf_counter()
            try:
                status, payload = await post(port, body)
                good = ok(status, payload, apology)
            except OSError:
                good = False
            latencies.append((time.perf_counter() - started) * 1000)
            if not good:
                errors[kind] = errors.get(kind, 0) + 1

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return latencies, errors, len(latencies)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main(seconds: float = DURATION_SECONDS, concurrency: int = CONCURRENCY) -> dict[str, Any]:
    from hipcoach.speech.texts import Texts

    apology = Texts("en-US").get("interview.error")
    logging.disable(logging.WARNING)  # recording runs without memory: no "unavailable" noise
    try:
        bodies = record_bodies()
    finally:
        logging.disable(logging.NOTSET)
    # equal thirds: launches, interview turns, routine steps
    mix = [(kind, body) for kind, items in bodies.items() for body in items]
    weights = {kind: len(items) for kind, items in bodies.items()}
    mix = [
        (kind, body) for kind, body in mix for _ in range(max(weights.values()) // weights[kind])
    ]
    with tempfile.TemporaryDirectory(prefix="hipcoach-load-") as tmp:
        process, port, log = start_gunicorn(Path(tmp))
        try:
            asyncio.run(drive(port, mix, 2.0, concurrency, apology))  # warm every worker
            started = time.perf_counter()
            latencies, errors, count = asyncio.run(drive(port, mix, seconds, concurrency, apology))
            elapsed = time.perf_counter() - started
        finally:
            stop(process)
        crashed = "Traceback" in log.read_text(errors="replace")
    counts = {kind: sum(1 for k, _ in mix if k == kind) for kind in bodies}
    return {
        "requests": count,
        "seconds": elapsed,
        "rps": count / elapsed,
        "p50": statistics.median(latencies),
        "p99": percentile(latencies, 0.99),
        "max": max(latencies),
        "errors": sum(errors.values()),
        "errors_by_kind": errors,
        "crashed": crashed,
        "mix": counts,
        "concurrency": concurrency,
    }


def run() -> Any:
    from run_all import Section

    figures = main()
    section = Section("Load: gunicorn on loopback, launches, interview turns and routine steps")
    section.command = (
        "make bench  (tests/bench/load_bench.py; alone: python tests/bench/load_bench.py)"
    )
    section.add("requests per second", f"{figures['rps']:.0f}")
    section.add("latency p50", f"{figures['p50']:.1f} ms")
    section.add("latency p99", f"{figures['p99']:.1f} ms", "< 50 ms")
    section.add("latency max", f"{figures['max']:.1f} ms")
    section.add("errors", f"{figures['errors']} of {figures['requests']}", "0")
    section.add("server tracebacks", "yes" if figures["crashed"] else "none", "none")
    section.notes.append(
        f"gunicorn {WORKERS} sync workers serving hipcoach.tools.loadtest_app (verification off for "
        "this test only; production verifies every request), SQLite memory in a temporary file; "
        f"{figures['concurrency']} requests in flight from an asyncio client in the same machine "
        f"for {figures['seconds']:.0f} s, a new connection per request, after 2 s of warm-up."
    )
    section.notes.append(
        "Mix in equal thirds: LaunchRequest, an interview answer (mid-interview, session attributes "
        "carried; the last answers write an episode), a routine step (next: saves the position); "
        f"pre-built from real conversations of {RUNNERS} runners. An error is anything but HTTP 200 "
        "with speech that is not the error apology."
    )
    return section


if __name__ == "__main__":
    args = sys.argv[1:]
    result = main(
        float(args[0]) if args else DURATION_SECONDS, int(args[1]) if len(args) > 1 else CONCURRENCY
    )
    print(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in result.items()}))
