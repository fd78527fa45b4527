"""A gunicorn worker that reads each request in full before a thread takes it (slow clients).

gunicorn's ``gthread`` worker hands a connection to a thread as soon as its first byte arrives,
and the thread then reads the headers and body with blocking reads and no overall limit: a client
that trickles a byte at a time holds that thread for as long as it likes, and a few such clients
hold every thread (issue 26: 8 slow-body connections timed out 8 of 10 genuine requests).

:class:`BufferingWorker` keeps the thread pool for the application only. The worker's main loop
reads every connection without blocking (the selector it already runs) until it holds a whole
request: the head (at most :data:`MAX_HEAD_BYTES`) and a body of the declared ``Content-Length``
(at most :data:`MAX_BODY_BYTES`). Only then is the connection queued for a thread, which parses
those bytes from memory. A request must be complete within :data:`READ_DEADLINE_S` of its first
wait (a new connection, or a kept-alive one becoming readable); past that it is answered 408 and
closed. A head or body over its limit is answered 431 or 413, a request with an ambiguous length
(two ``Content-Length`` headers, or one beside ``Transfer-Encoding``) 400, and a chunked body 411
(Alexa, and a buffering proxy, always send a length), all without a thread. A slow client thus
costs a socket in the selector, never a thread.

TLS belongs to the proxy in front (docs/deploying.md); with gunicorn's own TLS the worker reads
as ``gthread`` does.

Use it through the shipped config: ``gunicorn -c python:hipcoach.hosting.gunicorn_conf ...``.
"""

from __future__ import annotations

import contextlib
import errno
import selectors
import socket
import time
from collections import deque
from functools import partial
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker

MAX_HEAD_BYTES = 16 * 1024
MAX_BODY_BYTES = 128 * 1024  # hipcoach.hosting.web.MAX_BODY_BYTES: larger bodies are refused there
READ_DEADLINE_S = 5.0
_RECV_BYTES = 64 * 1024
_NEED_MORE = 0
_COMPLETE = 1
_REFUSALS = {
    400: b"400 Bad Request",
    408: b"408 Request Timeout",
    411: b"411 Length Required",
    413: b"413 Content Too Large",
    431: b"431 Request Header Fields Too Large",
}


def request_state(data: bytes | bytearray) -> int:
    """Whether ``data`` holds a whole request: ``_NEED_MORE``, ``_COMPLETE``, or the HTTP status
    that refuses it."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return 431 if len(data) > MAX_HEAD_BYTES else _NEED_MORE
    if end > MAX_HEAD_BYTES:
        return 431
    lengths: list[bytes] = []
    chunked = False
    for line in bytes(data[:end]).split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            lengths.append(value.strip())
        elif name == b"transfer-encoding":
            chunked = True
    if len(lengths) > 1 or (lengths and chunked):
        return 400
    if chunked:
        return 411
    if not lengths:
        return _COMPLETE
    if not lengths[0].isdigit():
        return 400
    length = int(lengths[0])
    if length > MAX_BODY_BYTES:
        return 413
    return _COMPLETE if len(data) >= end + 4 + length else _NEED_MORE


class _Reading:
    """A connection whose request is still arriving."""

    __slots__ = ("conn", "data", "deadline")

    def __init__(self, conn: TConn) -> None:
        self.conn = conn
        self.data = bytearray()
        self.deadline = time.monotonic() + READ_DEADLINE_S


class BufferingWorker(ThreadWorker):  # type: ignore[misc]  # gunicorn ships no types
    """``gthread`` with whole requests read by the main loop (see the module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reading: deque[_Reading] = deque()  # oldest first: deadlines in order

    # -- connections waiting for their request ----------------------------------------------

    def accept(self, listener: socket.socket) -> None:
        if self.cfg.is_ssl:
            super().accept(listener)
            return
        try:
            client, address = listener.accept()
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        self._read(TConn(self.cfg, client, address, listener.getsockname()))

    def on_client_socket_readable(self, conn: TConn, client: socket.socket) -> None:
        """A kept-alive connection's next request: read in full too."""
        if self.cfg.is_ssl:
            super().on_client_socket_readable(conn, client)
            return
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._read(conn)

    def _read(self, conn: TConn) -> None:
        conn.sock.setblocking(False)
        pending = _Reading(conn)
        self.reading.append(pending)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._readable, pending))

    def _readable(self, pending: _Reading, client: socket.socket) -> None:
        try:
            chunk = client.recv(_RECV_BYTES)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:  # the client went away
            self._forget(pending)
            self._close(pending.conn)
            return
        pending.data += chunk
        state = request_state(pending.data)
        if state == _NEED_MORE:
            return
        self._forget(pending)
        if state != _COMPLETE:
            self._refuse(pending.conn, state)
            return
        pending.conn.prebuffered = bytes(pending.data)
        pending.conn.data_ready = True
        self.enqueue_req(pending.conn)

    def _forget(self, pending: _Reading) -> None:
        with contextlib.suppress(KeyError, ValueError, OSError):
            self.poller.unregister(pending.conn.sock)
        self.reading.remove(pending)

    def _refuse(self, conn: TConn, status: int) -> None:
        reply = b"HTTP/1.1 %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" % _REFUSALS[status]
        with contextlib.suppress(OSError):
            conn.sock.send(reply)  # a few bytes: the socket's buffer takes them at once
        self.log.warning("refused a request before any thread: HTTP %s", status)
        self._close(conn)

    def _close(self, conn: TConn) -> None:
        self.nr_conns -= 1
        conn.close()

    def murder_pending(self) -> None:
        super().murder_pending()
        now = time.monotonic()
        while self.reading and self.reading[0].deadline <= now:
            pending = self.reading[0]
            self._forget(pending)
            self._refuse(pending.conn, 408)

    # -- in a thread: the request is already here ---------------------------------------------

    def handle(self, conn: TConn) -> Any:
        data = getattr(conn, "prebuffered", None)
        if data is not None:
            conn.prebuffered = None
            conn.sock.setblocking(True)
            conn.init()
            conn.parser.unreader.unread(data)
        return super().handle(conn)
