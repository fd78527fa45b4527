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
from _web_signing import (
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
    # The envelope carries whole seconds: start from the whole second that keeps the stamp at
    # least `seconds` away (truncating "now + 151.6 s" to 151 s, then verifying a moment later,
    # would leave it inside the 150 s window).
    now = datetime.now(UTC).replace(microsecond=0)
    stamp = now + timedelta(seconds=seconds + (1 if seconds > 0 else 0))
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
    client = web.create_app(make_skill(), verify=False, allow_any_skill=True).test_client()
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


# -- hostile bodies: 400, never 500; answers within Alexa's limits; short log lines ------------


def nested(depth: int, leaf: object = 1) -> object:
    value = leaf
    for _ in range(depth):
        value = {"x": value}
    return value


@pytest.fixture
def log_lines():
    """Every line the hipcoach loggers write, as the JSON formatter writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(jsonlog.JsonFormatter())
    logger = logging.getLogger("hipcoach")
    logger.addHandler(handler)
    yield lambda: stream.getvalue().splitlines()
    logger.removeHandler(handler)


def with_attributes(attributes: dict) -> dict:
    payload = envelope("IntentRequest", intent={"name": "AMAZON.HelpIntent", "slots": {}})
    payload["session"]["attributes"] = attributes
    return payload


def slot_with_resolution(resolution: object) -> dict:
    slot = {"name": "location", "value": "outside", "resolutions": resolution}
    return envelope("IntentRequest", intent={"name": "LocationIntent", "slots": {"location": slot}})


HOSTILE = {
    "json nested thousands deep": b'{"a":' * 5000 + b"1" + b"}" * 5000,
    "a list nested thousands deep": b"[" * 50000 + b"]" * 50000,
    "session attributes nested 900 deep": json.dumps(with_attributes({"x": nested(900)})).encode(),
    "request null": json.dumps({**envelope(), "request": None}).encode(),
    "intent null": json.dumps(
        envelope("IntentRequest", intent={"name": "x"})
        | {"request": {"type": "IntentRequest", "intent": None}}
    ).encode(),
    "intent without a name": json.dumps(envelope("IntentRequest", intent={"slots": {}})).encode(),
    "slots a list": json.dumps(
        envelope("IntentRequest", intent={"name": "LocationIntent", "slots": [1, 2]})
    ).encode(),
    "resolution values null": json.dumps(
        slot_with_resolution({"resolutionsPerAuthority": [{"status": {}, "values": None}]})
    ).encode(),
    "a resolution value null": json.dumps(
        slot_with_resolution({"resolutionsPerAuthority": [{"values": [{"value": None}]}]})
    ).encode(),
    "resolutions a string": json.dumps(slot_with_resolution("ER_SUCCESS_MATCH")).encode(),
    "no context": json.dumps({k: v for k, v in envelope().items() if k != "context"}).encode(),
    "context null": json.dumps({**envelope(), "context": None}).encode(),
    "session attributes a list": json.dumps(
        {**envelope(), "session": {**envelope()["session"], "attributes": [1]}}
    ).encode(),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_bodies_get_400_without_verification(name, fetched, log_lines):
    client = web.create_app(make_skill(), verify=False, skill_id=SKILL_ID).test_client()
    response = client.post("/", data=HOSTILE[name], content_type="application/json")
    assert response.status_code == 400, name
    assert response.get_json() == {"error": "bad request"}
    assert all(len(line) <= 2048 for line in log_lines())


def test_signed_request_without_context_is_400_while_skill_id_is_set(client, pki, log_lines):
    payload = {k: v for k, v in envelope().items() if k != "context"}
    assert post(client, *signed(pki.good, payload)).status_code == 400
    assert post(client, *signed(pki.good, {**envelope(), "context": {}})).status_code == 400
    assert "Traceback" not in "\n".join(log_lines())


@pytest.mark.parametrize("side", [{"left": True}, ["left", "right"], 7])
def test_a_routine_side_that_is_not_text_reads_as_no_routine(side, tmp_path):
    """The real skill: tampered routine state is not a routine (answered, never a 500)."""
    from hipcoach.app import build_skill
    from hipcoach.persistence.sqlite import SQLitePersistenceAdapter

    adapter = SQLitePersistenceAdapter(tmp_path / "side.db")
    client = web.create_app(build_skill(adapter), verify=False, allow_any_skill=True).test_client()
    routine = {"id": "hip_stretch", "exercise": 0, "side": side, "set": 1, "paused": False}
    payload = envelope("IntentRequest", intent={"name": "AMAZON.NextIntent", "slots": {}})
    payload["session"]["attributes"] = {"mode": "routine", "routine": routine}
    response = client.post("/", json=payload)
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["response"]["outputSpeech"]["ssml"]
    assert (answer.get("sessionAttributes") or {}).get("routine") in (None, routine)
    adapter.close()


def test_junk_session_attributes_are_not_echoed(tmp_path):
    from hipcoach.app import build_skill
    from hipcoach.persistence.sqlite import SQLitePersistenceAdapter

    adapter = SQLitePersistenceAdapter(tmp_path / "junk.db")
    client = web.create_app(build_skill(adapter), verify=False, allow_any_skill=True).test_client()
    junk = {f"junk{i}": "x" * 1000 for i in range(24)}
    junk["outcome"] = {"triage": "self_care", "conditions": ["y" * 30000]}
    payload = envelope("IntentRequest", intent={"name": "AMAZON.HelpIntent", "slots": {}})
    payload["session"]["attributes"] = {**junk, "mode": "idle"}
    response = client.post("/", json=payload)
    assert response.status_code == 200
    assert len(response.data) < 24 * 1024
    kept = set(response.get_json().get("sessionAttributes") or {})
    assert kept <= {"mode", "interview", "offer", "outcome", "routine"}
    assert "outcome" not in kept  # owned, but grown beyond anything the skill writes
    adapter.close()


def test_a_huge_request_id_is_not_logged(client, log_lines):
    payload = envelope()
    payload["request"]["requestId"] = "amzn1.echo-api.request." + "9" * 20000
    payload["request"]["locale"] = "en-" + "U" * 5000
    assert client.post("/", json=payload).status_code == 400  # unsigned
    lines = log_lines()
    assert lines and all(len(line) <= 2048 for line in lines)
    assert "9" * 200 not in "\n".join(lines)


def test_every_log_line_is_bounded_even_with_a_long_stack():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(jsonlog.JsonFormatter())
    logger = logging.getLogger("hipcoach.test.bounded")
    logger.addHandler(handler)

    def deep(n: int) -> None:
        if n:
            deep(n - 1)
        raise ValueError("x" * 5000)

    try:
        try:
            deep(200)
        except ValueError:
            jsonlog.event(logger, "failed", logging.ERROR, exc_info=True, note="y" * 9000)
        fields = {f"field{i}": "z" * 150 for i in range(60)}
        jsonlog.event(logger, "many", logging.WARNING, **fields)
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    for line in lines:
        assert len(line) <= 2048
        entry = json.loads(line)
        assert entry["event"] in ("failed", "many")
    assert json.loads(lines[0])["exc_type"] == "ValueError"


# -- certificate fetching that cannot be turned against the server ------------------------------


@pytest.fixture
def odd_server():
    """A loopback server: /redirect redirects, /slow trickles a byte at a time, /target counts."""
    hits: list[str] = []
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            if self.path == "/echo.api/redirect":
                self.send_response(302)
                self.send_header("Location", "/echo.api/target")
                self.end_headers()
                return
            self.send_response(200)
            self.end_headers()
            if self.path == "/echo.api/slow":
                while not stop.is_set():
                    try:
                        self.wfile.write(b"-")
                        self.wfile.flush()
                    except OSError:
                        return
                    stop.wait(0.05)
            self.wfile.write(b"target")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    stop.set()
    server.shutdown()
    server.server_close()


def test_the_chain_download_follows_no_redirect(odd_server):
    base, hits = odd_server
    with pytest.raises(webverify.VerificationException, match="could not be fetched"):
        webverify.fetch_cert_chain(base + "/echo.api/redirect")
    assert hits == ["/echo.api/redirect"]


def test_a_trickling_server_hits_the_one_overall_deadline(odd_server):
    base, _ = odd_server
    with pytest.raises(webverify.VerificationException, match="timed out"):
        webverify.fetch_cert_chain(base + "/echo.api/slow", deadline_s=0.5)


def test_downloads_at_once_are_bounded_and_cached_chains_still_answer(client, pki, fetched):
    """Unsigned-looking requests with fresh chain URLs cannot hold every thread: beyond the
    bound they are refused at once, and a request with a cached chain is answered meanwhile."""
    assert post(client, *signed(pki.good, envelope())).status_code == 200  # cached now
    release = threading.Event()
    started = threading.Semaphore(0)
    verifier = webverify.SignatureVerifier(
        fetch=lambda url: (started.release(), release.wait(30), b"")[-1],  # type: ignore[func-returns-value]
        roots=lambda: (pki.root,),
    )
    outcomes: list[str] = []

    def fresh(n: int) -> None:
        url = f"https://s3.amazonaws.com/echo.api/fresh-{n}.pem"
        body, headers = signed(pki.good, envelope(), cert_url=url)
        try:
            verifier.verify(headers, body.decode(), None)  # type: ignore[arg-type]
        except webverify.VerificationException as exc:
            outcomes.append(str(exc))

    holders = [threading.Thread(target=fresh, args=(n,)) for n in range(16)]
    for thread in holders:
        thread.start()
    for _ in range(webverify.MAX_CONCURRENT_FETCHES):
        assert started.acquire(timeout=10)
    try:
        assert post(client, *signed(pki.good, envelope())).status_code == 200
        deadline = datetime.now(UTC) + timedelta(seconds=20)
        while (
            len(outcomes) < 16 - webverify.MAX_CONCURRENT_FETCHES and datetime.now(UTC) < deadline
        ):
            release.wait(0.01)  # the others give up waiting for a slot, while four are held
    finally:
        release.set()
        for thread in holders:
            thread.join(30)
    refused = [o for o in outcomes if o == "too many certificate downloads at once"]
    assert len(refused) == 16 - webverify.MAX_CONCURRENT_FETCHES
    assert len(outcomes) == 16


def test_junk_signatures_are_refused_before_any_download(client, fetched):
    body = json.dumps(envelope()).encode()
    for signature in ("", "!!!", "A" * 5000, "QUJD" * 400):
        headers = {"SignatureCertChainUrl": CERT_URL, "Signature-256": signature}
        assert post(client, body, headers).status_code == 400
    assert fetched == []


def test_a_cached_chain_is_dropped_once_its_certificate_expires(pki, fetched):
    clock = [datetime.now(UTC)]
    verifier = webverify.SignatureVerifier(now=lambda: clock[0], roots=lambda: (pki.root,))
    body, headers = signed(pki.good, envelope())
    verifier.verify(headers, body.decode(), None)  # type: ignore[arg-type]
    verifier.verify(headers, body.decode(), None)  # type: ignore[arg-type]
    assert fetched == [CERT_URL]
    clock[0] += timedelta(days=400)  # past the signing certificate's end
    with pytest.raises(webverify.VerificationException, match="expired"):
        verifier.verify(headers, body.decode(), None)  # type: ignore[arg-type]
    assert fetched == [CERT_URL, CERT_URL]
