"""Loopback helpers for tests and benchmarks that start servers."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_command(app: str, port: int, workers: int) -> list[str]:
    """gunicorn serving `app` on loopback, as the concurrency test and the load benchmark run it.

    `--no-control-socket`: gunicorn 27 otherwise opens a control socket in $XDG_RUNTIME_DIR or
    ~/.gunicorn/ (creating that folder in the home directory)."""
    return [
        str(Path(sys.executable).parent / "gunicorn"),
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "30",
        "--graceful-timeout",
        "5",
        "--no-control-socket",
    ]


def server_env(db: Path) -> dict[str, str]:
    """This environment for a skill server on loopback: its own SQLite file, no skill id check,
    no DynamoDB, unbuffered logs."""
    env = {k: v for k, v in os.environ.items() if k not in ("SKILL_ID", "HIPCOACH_DYNAMODB_TABLE")}
    # one seal key for every worker, as docs/deploying.md asks of a multi-worker deployment
    env.update(HIPCOACH_DB=str(db), PYTHONUNBUFFERED="1", HIPCOACH_SESSION_KEY="loopback-test")
    return env


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until `url`health answers 200; raises with the end of the server's log if it exits or
    does not answer within a minute."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "health", timeout=5) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server did not start:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate a server, killing it if it does not stop within 15 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
