"""The production web app (verification on, a skill id required) trusting a test PKI, for servers
started on loopback by tests and benchmarks: ``gunicorn --pythonpath tests '_signed_app:app()'``.

The environment names the PKI (``HIPCOACH_TEST_PKI``: a folder with ``root.pem`` and
``chain.pem``, as :func:`write_pki` leaves it); the chain is "downloaded" from there, and each
download is counted in the log (``chain_download``). ``HIPCOACH_TEST_SKILL=hello`` serves the tiny
test skill instead of the real one (on ``HIPCOACH_DB``)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from cryptography import x509
from flask import Flask

from hipcoach.hosting import jsonlog, web
from hipcoach.hosting import verify as webverify

PKI_ENV = "HIPCOACH_TEST_PKI"
log = logging.getLogger("hipcoach.test_pki")


def write_pki(folder: Path, root: x509.Certificate, chain_pem: bytes) -> dict[str, str]:
    """Leave the PKI where :func:`app` finds it; returns the environment to pass."""
    from cryptography.hazmat.primitives import serialization

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (folder / "chain.pem").write_bytes(chain_pem)
    return {PKI_ENV: str(folder)}


def app() -> Flask:
    folder = Path(os.environ[PKI_ENV])
    root = x509.load_pem_x509_certificate((folder / "root.pem").read_bytes())
    chain = (folder / "chain.pem").read_bytes()

    def fetch(url: str, deadline_s: float = webverify.FETCH_DEADLINE_S) -> bytes:
        jsonlog.event(log, "chain_download")
        return chain

    webverify.default_trust_roots = lambda: (root,)  # type: ignore[assignment]
    webverify.fetch_cert_chain = fetch
    if os.environ.get("HIPCOACH_TEST_SKILL") == "hello":
        from _web_signing import SKILL_ID, make_skill

        return web.create_app(make_skill(), verify=True, skill_id=SKILL_ID)
    os.environ.setdefault("SKILL_ID", "amzn1.ask.skill.00000000-test-4000-8000-hipcoach0001")
    return web.wsgi_app()
