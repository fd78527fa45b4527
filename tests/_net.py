"""Loopback helpers for tests and benchmarks that start servers."""

import socket
import sys
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
