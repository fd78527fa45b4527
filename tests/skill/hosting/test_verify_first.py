"""Verify before working (issue 26): the signature is checked on the raw bytes before anything is
parsed, certificate URLs with a query string or fragment are refused, one chain is downloaded per
normalised URL, and the development server answers an ambiguous body length."""

from __future__ import annotations

import json
import logging
import socket
import threading

import pytest
from _web_signing import CERT_URL, SKILL_ID, build_pki, envelope, make_skill, signed

from hipcoach.hosting import verify as webverify
from hipcoach.hosting import web


@pytest.fixture(scope="module")
def pki():
    return build_pki()


@pytest.fixture
def downloads(monkeypatch, pki) -> list[str]:
    fetched: list[str] = []

    def fetch(url: str) -> bytes:
        fetched.append(url)
        return pki.good.chain_pem

    monkeypatch.setattr(webverify, "fetch_cert_chain", fetch)
    monkeypatch.setattr(webverify, "default_trust_roots", lambda: (pki.root,))
    return fetched


@pytest.fixture
def client(downloads):
    return web.create_app(make_skill(), verify=True, skill_id=SKILL_ID).test_client()


class _Checks(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        fields = getattr(record, "fields", {})
        self.seen.append((record.getMessage(), fields.get("check") or fields.get("reason")))


@pytest.fixture
def checks():
    handler = _Checks()
    logging.getLogger("hipcoach").addHandler(handler)
    yield handler.seen
    logging.getLogger("hipcoach").removeHandler(handler)


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"\xff\xfe", b'{"a": ' * 5000, b'{"x": "' + b"j" * (120 * 1024) + b'"}'],
    ids=["broken", "not_utf8", "deep", "128k"],
)
def test_a_forged_body_is_refused_before_it_is_parsed(client, pki, checks, monkeypatch, body):
    parsed: list[int] = []
    real_loads = json.loads
    monkeypatch.setattr(web.json, "loads", lambda *a, **k: parsed.append(1) or real_loads(*a, **k))
    headers = {"SignatureCertChainUrl": CERT_URL, "Signature-256": pki.good.sign(b"other bytes")}
    assert client.post("/", data=body, headers=headers).status_code == 400
    assert checks == [("verification_failed", "signature")]
    assert parsed == []


@pytest.mark.parametrize(
    "url",
    [
        CERT_URL + "?x=1",
        CERT_URL + "?",
        CERT_URL + "#part",
        "https://user@s3.amazonaws.com/echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com/echo.api/%2e%2e/other/cert.pem",
    ],
)
def test_certificate_urls_with_a_query_fragment_or_tricks_are_refused(client, pki, downloads, url):
    body, headers = signed(pki.good, envelope(), cert_url=url)
    assert client.post("/", data=body, headers=headers).status_code == 400
    assert downloads == []


def test_spellings_of_one_certificate_url_share_one_download(client, pki, downloads):
    for url in (
        CERT_URL,
        "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert-test.pem",
        "HTTPS://s3.amazonaws.com:443/echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com/echo.api/./echo-api-cert-test.pem",
        "https://s3.amazonaws.com/echo.api/x/../echo-api-cert-test.pem",
        "https://s3.amazonaws.com/echo.api/%65cho-api-cert-test.pem",
    ):
        body, headers = signed(pki.good, envelope(), cert_url=url)
        assert client.post("/", data=body, headers=headers).status_code == 200, url
    assert downloads == [CERT_URL]


@pytest.mark.parametrize(
    "head",
    [
        b"Content-Length: 2\r\nContent-Length: 2\r\n",
        b"Content-Length: 2\r\nContent-Length: 9\r\n",
        b"Content-Length: 2\r\nTransfer-Encoding: chunked\r\n",
    ],
    ids=["twice", "two_values", "with_chunked"],
)
def test_the_development_server_answers_an_ambiguous_length(head):
    app = web.create_app(make_skill(), verify=False, allow_any_skill=True)
    server = web.make_http_server(app, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with socket.create_connection(("127.0.0.1", server.server_port), timeout=5) as sock:
            sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n" + head + b"\r\n{}")
            reply = sock.recv(200)
        assert reply.startswith(b"HTTP/1.1 400"), reply
    finally:
        server.shutdown()
        server.server_close()
