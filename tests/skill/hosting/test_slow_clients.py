"""The documented gunicorn deployment under slow clients, on loopback (issue 26).

gunicorn runs with the shipped config (``-c python:hipcoach.hosting.gunicorn_conf``: the buffering
worker) and the production app trusting a test PKI (tests/_signed_app.py). While 32 clients trickle
their headers and 32 trickle their bodies, a byte at a time, genuine signed requests are answered,
each well within Alexa's 8 s; the slow clients are cut off at the read deadline. Without a skill id
the production app does not start at all."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from _net import free_port, server_env, stop, wait_until_up
from _signed_app import write_pki
from _web_signing import build_pki, envelope, signed

from hipcoach.hosting import buffered_worker

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("gunicorn")]
TESTS = Path(__file__).resolve().parents[2]
SLOW = 32
ALEXA_WAIT_S = 8.0


def gunicorn(app: str, port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-c",
        "python:hipcoach.hosting.gunicorn_conf",
        "--pythonpath",
        str(TESTS),
        "--bind",
        f"127.0.0.1:{port}",
        app,
    ]
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def pki():
    return build_pki()


@pytest.fixture(scope="module")
def server(pki, tmp_path_factory):
    folder = tmp_path_factory.mktemp("slow")
    env = {
        **server_env(folder / "slow.db"),
        **write_pki(folder / "pki", pki.root, pki.good.chain_pem),
    }
    env["HIPCOACH_TEST_SKILL"] = "hello"
    port = free_port()
    log = folder / "gunicorn.log"
    process = gunicorn("_signed_app:app()", port, env, log)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", process, log)
        yield port
    finally:
        stop(process)


def genuine(pki, port: int) -> tuple[int, float]:
    body, headers = signed(pki.good, envelope())
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=ALEXA_WAIT_S)
    try:
        connection.request("POST", "/", body=body, headers=headers)
        status = connection.getresponse().status
    except OSError:
        status = 0
    finally:
        connection.close()
    return status, time.monotonic() - started


def trickle(port: int, head: bytes, stop_at: float, cut: list[float]) -> None:
    """Send ``head`` then one byte every 0.2 s; note when the server hangs up."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=2)
    started = time.monotonic()
    try:
        sock.sendall(head)
        while time.monotonic() < stop_at:
            sock.sendall(b"a")
            time.sleep(0.2)
            sock.setblocking(False)
            try:
                if sock.recv(256) == b"":
                    break
            except BlockingIOError:
                pass
            except OSError:
                break
            finally:
                sock.setblocking(True)
    except OSError:
        pass
    finally:
        cut.append(time.monotonic() - started)
        sock.close()


def test_genuine_requests_are_answered_while_slow_clients_trickle(server, pki):
    assert genuine(pki, server)[0] == 200
    stop_at = time.monotonic() + buffered_worker.READ_DEADLINE_S + 4
    cut: list[float] = []
    slow_header = b"POST / HTTP/1.1\r\nHost: x\r\nX-Slow: "
    slow_body = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"
    clients = [
        threading.Thread(target=trickle, args=(server, head, stop_at, cut))
        for head in [slow_header] * SLOW + [slow_body] * SLOW
    ]
    for client in clients:
        client.start()
    time.sleep(0.5)  # every slow client connected and trickling
    answers = [genuine(pki, server) for _ in range(10)]
    for client in clients:
        client.join(30)
    assert [status for status, _ in answers] == [200] * 10, answers
    assert max(seconds for _, seconds in answers) < ALEXA_WAIT_S
    # every slow client was cut off at the read deadline, not left to trickle
    assert len(cut) == 2 * SLOW
    assert max(cut) < buffered_worker.READ_DEADLINE_S + 3


@pytest.mark.parametrize(
    ("head", "status"),
    [
        (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400),
        (
            b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            411,
        ),
        (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 999999\r\n\r\n{", 413),
        (b"POST / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n", 431),
    ],
    ids=["two_lengths", "chunked", "too_large", "huge_head"],
)
def test_ambiguous_or_oversized_requests_are_refused_without_a_thread(server, head, status):
    with socket.create_connection(("127.0.0.1", server), timeout=5) as sock:
        sock.sendall(head)
        reply = sock.recv(200)
    assert reply.startswith(b"HTTP/1.1 %d " % status), reply


def test_the_production_app_does_not_start_without_a_skill_id(tmp_path):
    env = server_env(tmp_path / "none.db")  # no SKILL_ID
    env.pop("HIPCOACH_ALLOW_ANY_SKILL_ID", None)
    log = tmp_path / "gunicorn.log"
    process = gunicorn("hipcoach.hosting.web:wsgi_app()", free_port(), env, log)
    try:
        assert process.wait(60) != 0
    finally:
        stop(process)
    assert "skill_id_unset" in log.read_text()
