"""The web service's request verification, end to end through Flask's test client.

The tests run their own certificate authority. The chain is served over plain HTTP from a loopback
stub: the certificate fetch is monkeypatched to rewrite the (validated) https://s3.amazonaws.com
URL to the stub, so the URL checks, the real download code and the chain validation all run.
"""

from __future__ import annotations

import io
import json
import logging
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from web_signing import (
    CERT_URL,
    SKILL_ID,
    WELCOME,
    TestPKI,
    build_pki,
    envelope,
    make_skill,
    signed,
)

from hipcoach.hosting import jsonlog, web
from hipcoach.hosting import verify as webverify


@pytest.fixture(scope="module")
def pki() -> TestPKI:
    return build_pki()


@pytest.fixture(scope="module")
def chain_server(pki: TestPKI):
    """Serves /echo.api/<name>.pem over HTTP on loopback; the path picks the signer."""
    chains = {
        "/echo.api/echo-api-cert-test.pem": pki.good.chain_pem,
        "/echo.api/expired.pem": pki.expired.chain_pem,
        "/echo.api/wrong-san.pem": pki.wrong_san.chain_pem,
        "/echo.api/untrusted.pem": pki.untrusted.chain_pem,
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            data = chains.get(self.path)
            self.send_response(200 if data else 404)
            self.end_headers()
            self.wfile.write(data or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def fetched(monkeypatch, pki: TestPKI, chain_server: str) -> list[str]:
    """Trust the test root; fetch chains from the stub. Returns the URLs fetched."""
    real_fetch = webverify.fetch_cert_chain
    urls: list[str] = []

    def fetch(url: str) -> bytes:
        urls.append(url)
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.hostname == "s3.amazonaws.com"
        return real_fetch(chain_server + parts.path)

    monkeypatch.setattr(webverify, "fetch_cert_chain", fetch)
    monkeypatch.setattr(webverify, "default_trust_roots", lambda: (pki.root,))
    return urls


class _Reasons(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.reasons: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        fields = getattr(record, "fields", {})
        if record.getMessage() == "verification_failed":
            self.reasons.append(f"{fields['check']}: {fields['reason']}")


@pytest.fixture
def reasons():
    """Why each refused request was refused (from the structured log)."""
    handler = _Reasons()
    logger = logging.getLogger("hipcoach")
    logger.addHandler(handler)
    yield handler.reasons
    logger.removeHandler(handler)


@pytest.fixture
def client(fetched):
    app = web.create_app(make_skill(), verify=True, skill_id=SKILL_ID)
    return app.test_client()


def post(client, body: bytes, headers: dict[str, str]):
    return client.post("/", data=body, headers=headers)


def test_correctly_signed_request_is_answered(client, pki, fetched):
    response = post(client, *signed(pki.good, envelope()))
    assert response.status_code == 200, response.data
    assert WELCOME in json.dumps(response.get_json())
    assert fetched == [CERT_URL]


def test_chain_is_fetched_once_per_url(client, pki, fetched):
    for _ in range(3):
        assert post(client, *signed(pki.good, envelope())).status_code == 200
    assert fetched == [CERT_URL]


def test_wrong_signature(client, pki, reasons):
    body, headers = signed(pki.good, envelope())
    tampered = body.replace(b"en-US", b"en-GB", 1)
    assert post(client, tampered, headers).status_code == 400
    _, other = signed(pki.good, envelope())
    assert (
        post(client, body, {**headers, "Signature-256": other["Signature-256"]}).status_code == 400
    )
    assert post(client, body, {**headers, "Signature-256": "not base64!"}).status_code == 400
    assert reasons == [
        "signature: signature does not match the body",
        "signature: signature does not match the body",
        "signature: signature is not base64",
    ]


def test_signature_by_another_key(client, pki):
    body, headers = signed(pki.wrong_san, envelope())  # a valid signature, by a different key
    assert post(client, body, headers).status_code == 400


def test_missing_headers(client, pki):
    body, headers = signed(pki.good, envelope())
    for name in ("Signature-256", "SignatureCertChainUrl"):
        partial = {k: v for k, v in headers.items() if k != name}
        assert post(client, body, partial).status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "http://s3.amazonaws.com/echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert-test.pem",
        "https://evil.example/echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com/other/echo-api-cert-test.pem",
        "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert-test.pem",
        "https://s3.amazonaws.com/echo.api/../other/echo-api-cert-test.pem",
        "https://s3.amazonaws.com:8443/echo.api/echo-api-cert-test.pem",
        "ftp://s3.amazonaws.com/echo.api/echo-api-cert-test.pem",
    ],
)
def test_bad_certificate_url(client, pki, fetched, reasons, url):
    body, headers = signed(pki.good, envelope(), cert_url=url)
    assert post(client, body, headers).status_code == 400
    assert len(reasons) == 1 and "certificate URL" in reasons[0]
    assert fetched == []  # refused before anything is downloaded


def test_allowed_certificate_url_variants(client, pki):
    for url in (
        "https://S3.AmazonAWS.com/echo.api/echo-api-cert-test.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert-test.pem",
    ):
        assert post(client, *signed(pki.good, envelope(), cert_url=url)).status_code == 200, url


def test_expired_certificate(client, pki, reasons):
    url = "https://s3.amazonaws.com/echo.api/expired.pem"
    assert post(client, *signed(pki.expired, envelope(), cert_url=url)).status_code == 400
    assert reasons == ["signature: signing certificate is expired or not yet valid"]


def test_wrong_san(client, pki, reasons):
    url = "https://s3.amazonaws.com/echo.api/wrong-san.pem"
    assert post(client, *signed(pki.wrong_san, envelope(), cert_url=url)).status_code == 400
    assert reasons == ["signature: echo-api.amazon.com missing from the signing certificate"]


def test_untrusted_root(client, pki, reasons):
    url = "https://s3.amazonaws.com/echo.api/untrusted.pem"
    assert post(client, *signed(pki.untrusted, envelope(), cert_url=url)).status_code == 400
    assert reasons == ["signature: certificate chain does not reach a trusted root"]


def test_unfetchable_chain(client, pki):
    url = "https://s3.amazonaws.com/echo.api/missing.pem"
    assert post(client, *signed(pki.good, envelope(), cert_url=url)).status_code == 400


@pytest.mark.parametrize("seconds", [-151, 151, -3600, 400])
def test_stale_timestamp(client, pki, reasons, seconds):
    stamp = datetime.now(UTC) + timedelta(seconds=seconds)
    assert post(client, *signed(pki.good, envelope(timestamp=stamp))).status_code == 400
    assert reasons == ["timestamp: Timestamp verification failed"]


@pytest.mark.parametrize("stamp", ["2026-01-01T00:00:00", "1700000000", 1700000000])
def test_odd_timestamps_are_400(client, pki, stamp):
    payload = envelope()
    payload["request"]["timestamp"] = stamp
    assert post(client, *signed(pki.good, payload)).status_code == 400


def test_timestamp_inside_tolerance(client, pki):
    stamp = datetime.now(UTC) - timedelta(seconds=140)
    assert post(client, *signed(pki.good, envelope(timestamp=stamp))).status_code == 200


def test_wrong_skill_id(client, pki, reasons):
    payload = envelope(skill_id="amzn1.ask.skill.someone-else")
    assert post(client, *signed(pki.good, payload)).status_code == 400
    assert reasons == ["skill_id: skill id does not match"]


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"",
        b"\xff\xfe\x00garbage",
        b"[1, 2, 3]",
        b'"a string"',
        b"{}",
        b'{"request": "LaunchRequest"}',
        b'{"version": "1.0", "request": {"type": "LaunchRequest", "timestamp": {"x": 1}}}',
    ],
)
def test_malformed_json_is_400_not_500(client, pki, body):
    headers = {
        "Content-Type": "application/json",
        "SignatureCertChainUrl": CERT_URL,
        "Signature-256": pki.good.sign(body),
    }
    assert post(client, body, headers).status_code == 400


def test_malformed_json_without_verification(fetched):
    client = web.create_app(make_skill(), verify=False).test_client()
    assert client.post("/", data=b"{oops").status_code == 400
    assert client.post("/", data=b"x" * (200 * 1024)).status_code == 400


def test_no_verify_accepts_unsigned_but_still_checks_skill_id(fetched):
    client = web.create_app(make_skill(), verify=False, skill_id=SKILL_ID).test_client()
    assert client.post("/", json=envelope()).status_code == 200
    assert client.post("/", json=envelope(skill_id="amzn1.ask.skill.other")).status_code == 400
    assert fetched == []


def test_verification_on_by_default_rejects_unsigned(client):
    assert client.post("/", json=envelope()).status_code == 400


def test_health_and_methods(client):
    health = client.get("/health")
    assert health.status_code == 200
    assert health.get_json()["status"] == "ok"
    assert client.get("/").status_code == 405


def test_logs_are_json_lines_with_ids_and_no_runner_words(client, pki):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(jsonlog.JsonFormatter())
    logger = logging.getLogger("hipcoach")
    logger.addHandler(handler)
    try:
        intent = {
            "name": "LocationIntent",
            "confirmationStatus": "NONE",
            "slots": {"location": {"name": "location", "value": "my secret left groin"}},
        }
        payload = envelope("IntentRequest", intent=intent)
        assert post(client, *signed(pki.good, payload)).status_code == 200
        stale = envelope(timestamp=datetime.now(UTC) - timedelta(hours=1))
        assert post(client, *signed(pki.good, stale)).status_code == 400
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert "secret" not in stream.getvalue()
    answered = [e for e in lines if e["event"] == "request" and e.get("status") == 200]
    assert answered and answered[0]["request_id"] == payload["request"]["requestId"]
    assert answered[0]["intent"] == "LocationIntent"
    assert isinstance(answered[0]["ms"], float)
    refused = [e for e in lines if e["event"] == "verification_failed"]
    assert refused and refused[0]["check"] == "timestamp"
