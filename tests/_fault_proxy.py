"""A fault-injecting HTTP proxy for DynamoDB tests: forwards to moto's server, and fails the calls
a policy picks (every other call, or every call of one operation) in one of several ways."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# How a failed call fails: an HTTP error DynamoDB really sends, or a broken answer.
FAULTS = {
    "throttled": (
        400,
        b'{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException",'
        b'"message":"Rate exceeded"}',
    ),
    "internal": (500, b'{"__type":"com.amazon.coral.service#InternalFailure"}'),
    "unavailable": (503, b'{"__type":"com.amazon.coral.service#ServiceUnavailableException"}'),
    "empty_ok": (200, b"{}"),
    "garbage_ok": (200, b"<html>proxy error</html>"),
}


class FaultProxy:
    """``policy(n, operation)`` -> a FAULTS name to fail call n with, or None to forward it."""

    def __init__(self, upstream: str, policy: Callable[[int, str], str | None]) -> None:
        self.upstream = urlsplit(upstream)
        self.policy = policy
        self.calls: list[tuple[str, str | None]] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                operation = (self.headers.get("X-Amz-Target") or "").rpartition(".")[2]
                with proxy._lock:
                    fault = proxy.policy(len(proxy.calls), operation)
                    proxy.calls.append((operation, fault))
                if fault is not None:
                    status, answer = FAULTS[fault]
                    self._answer(status, answer, "application/x-amz-json-1.0")
                    return
                upstream = http.client.HTTPConnection(
                    proxy.upstream.hostname or "", proxy.upstream.port or 80, timeout=10
                )
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                upstream.request("POST", self.path, body=body, headers=headers)
                reply = upstream.getresponse()
                data = reply.read()
                self._answer(reply.status, data, reply.getheader("Content-Type") or "")
                upstream.close()

            def _answer(self, status: int, data: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def one_in(period: int, fault: str) -> Callable[[int, str], str | None]:
    """Fail call n with ``fault`` when n % period == 1 (period 2: every other call)."""
    return lambda n, _operation: fault if n % period == 1 else None
