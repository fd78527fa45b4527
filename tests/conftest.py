"""Fixtures shared across test modules."""

import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from _memory_harness import ADAPTERS, open_adapter
from _net import free_port

# moto's server, one request at a time: its threaded mode checks a write's condition and then
# writes without a lock, so two racing conditional writes could both pass; DynamoDB itself applies
# conditional writes to one item atomically, as this serial server does.
SERIAL_MOTO = """
import sys
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple
app = DomainDispatcherApplication(create_backend_app)
run_simple(sys.argv[1], int(sys.argv[2]), app, threaded=False)
"""


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    """A DynamoDB-speaking server (moto's server mode) on a free loopback port, per module."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", SERIAL_MOTO, "127.0.0.1", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture(params=ADAPTERS)
def adapter(request, tmp_path):
    """Each persistence adapter the memory tests run on (SQLite; DynamoDB when available)."""
    with open_adapter(request.param, tmp_path) as store:
        yield store
