"""The web service over real sockets, `hipcoach serve`, and the oscrypto import fix."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
import requests
from _web_signing import CERT_URL, SKILL_ID, WELCOME, build_pki, envelope, make_skill, signed

from hipcoach.hosting import oscrypto_fix, web
from hipcoach.hosting import verify as webverify

ROOT = Path(__file__).resolve().parents[3]


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_flask_ask_sdk_imports_in_a_fresh_interpreter():
    """The trap: oscrypto 1.3.0 cannot parse "OpenSSL 3.0.1x" and the import chain dies."""
    result = run_python(
        """
        import hipcoach.hosting.web
        import flask_ask_sdk.skill_adapter
        import certvalidator
        from oscrypto import asymmetric, backend
        from oscrypto._openssl._libcrypto_cffi import version_info
        print(backend(), version_info)
        """
    )
    assert result.returncode == 0, result.stderr
    assert "openssl" in result.stdout


def test_fix_also_works_through_ctypes_backend():
    result = run_python(
        """
        import oscrypto
        oscrypto.use_ctypes()
        import hipcoach.hosting.oscrypto_fix
        import flask_ask_sdk.skill_adapter
        """
    )
    assert result.returncode == 0, result.stderr


def test_what_the_fix_prevents():
    """Without the hook, the import fails exactly when libcrypto's patch number has two digits."""
    result = run_python(
        """
        import ssl
        print(ssl.OPENSSL_VERSION)
        import flask_ask_sdk.skill_adapter
        """
    )
    version = result.stdout.split()[1] if result.stdout else ""
    patch = version.split(".")[2] if version.count(".") >= 2 else ""
    two_digit_patch = len("".join(ch for ch in patch if ch.isdigit())) >= 2
    if two_digit_patch and "1.3.0" in _oscrypto_version():
        assert result.returncode != 0
        assert "Error detecting the version of libcrypto" in result.stderr
    else:  # an OpenSSL or oscrypto without the trap: nothing to prevent
        assert result.returncode == 0, result.stderr


def _oscrypto_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("oscrypto")
    except PackageNotFoundError:
        return ""


def test_patch_is_a_no_op_on_a_fixed_oscrypto():
    broken = "m = re.search('\\\\b(\\\\d\\\\.\\\\d\\\\.\\\\d[a-z]*)\\\\b', version_string)"
    fixed = oscrypto_fix.patch_source(broken)
    assert fixed != broken
    assert oscrypto_fix.patch_source(fixed) == fixed
    namespace: dict = {}
    exec("import re\nversion_string = 'OpenSSL 3.0.19 27 Jan 2026'\n" + fixed, namespace)
    assert namespace["m"].group(1) == "3.0.19"


def test_certvalidator_works_after_the_fix():
    """oscrypto is not just importable but functional: certvalidator validates a test chain."""
    from certvalidator import CertificateValidator, ValidationContext
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    pki = build_pki()
    leaf, inter = x509.load_pem_x509_certificates(pki.good.chain_pem)
    validator = CertificateValidator(
        leaf.public_bytes(Encoding.DER),
        [inter.public_bytes(Encoding.DER)],
        ValidationContext(trust_roots=[pki.root.public_bytes(Encoding.DER)]),
    )
    validator.validate_usage({"digital_signature"})


@pytest.fixture
def trusted(monkeypatch):
    pki = build_pki()
    monkeypatch.setattr(webverify, "default_trust_roots", lambda: (pki.root,))
    monkeypatch.setattr(webverify, "fetch_cert_chain", lambda url: pki.good.chain_pem)
    return pki


@pytest.mark.slow
def test_serve_answers_over_loopback(monkeypatch, trusted, capsys):
    """`hipcoach serve` as run from the command line, in a real threaded server."""
    servers = []
    real_make = web.make_http_server

    def capture(app, host, port):
        server = real_make(app, host, port)
        servers.append(server)
        return server

    monkeypatch.setattr(web, "make_http_server", capture)
    monkeypatch.setenv("SKILL_ID", SKILL_ID)
    status: list[int] = []
    thread = threading.Thread(
        target=lambda: status.append(web.serve(["--port", "0"], skill_factory=make_skill)),
        daemon=True,
    )
    thread.start()
    for _ in range(200):
        if servers:
            break
        threading.Event().wait(0.02)
    server = servers[0]
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with requests.Session() as session:
            assert session.get(base + "/health", timeout=5).json()["status"] == "ok"
            body, headers = signed(trusted.good, envelope())
            answers = [session.post(base + "/", data=body, headers=headers, timeout=5)]
            answers += [
                session.post(base + "/", data=b, headers=h, timeout=5)
                for b, h in (signed(trusted.good, envelope()) for _ in range(5))
            ]
            assert all(a.status_code == 200 for a in answers), answers[0].text
            assert WELCOME in answers[0].text
            assert session.post(base + "/", json=envelope(), timeout=5).status_code == 400
            assert session.post(base + "/", data=b"{bad", timeout=5).status_code == 400
            wrong = signed(trusted.good, envelope(skill_id="amzn1.ask.skill.other"))
            assert session.post(base + "/", data=wrong[0], headers=wrong[1]).status_code == 400
    finally:
        server.shutdown()
        thread.join(10)
    assert status == [0]
    assert "verification is OFF" not in capsys.readouterr().err


def test_no_verify_warns_loudly(monkeypatch, capsys):
    class FakeServer:
        server_port = 1234

        def serve_forever(self):
            raise KeyboardInterrupt

        def server_close(self):
            pass

    apps = []

    def fake_make(app, host, port):
        apps.append((app, host, port))
        return FakeServer()

    monkeypatch.setattr(web, "make_http_server", fake_make)
    monkeypatch.delenv("SKILL_ID", raising=False)
    assert web.serve(["--no-verify", "--port", "9999"], skill_factory=make_skill) == 0
    err = capsys.readouterr().err
    assert "WARNING" in err and "ONLY for local testing" in err
    app, host, port = apps[0]
    assert (host, port) == ("127.0.0.1", 9999)
    assert app.test_client().post("/", json=envelope()).status_code == 200


def test_cert_url_constant_is_valid():
    webverify.check_cert_url(CERT_URL)


def test_real_skill_behind_verification(trusted, monkeypatch, tmp_path):
    """hipcoach.app's skill, as wsgi_app() builds it, answers a signed LaunchRequest."""
    monkeypatch.setenv("HIPCOACH_DB", str(tmp_path / "hipcoach.db"))
    monkeypatch.delenv("HIPCOACH_DYNAMODB_TABLE", raising=False)
    monkeypatch.setenv("SKILL_ID", SKILL_ID)
    client = web.wsgi_app().test_client()
    response = client.post("/", data=(s := signed(trusted.good, envelope()))[0], headers=s[1])
    assert response.status_code == 200, response.data
    assert response.get_json()["response"]["outputSpeech"]["ssml"].startswith("<speak>")
    assert client.post("/", json=envelope()).status_code == 400  # unsigned
