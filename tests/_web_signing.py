"""Test helpers for the web service: a private certificate authority, an Alexa-like signing
certificate, signed request envelopes, and a tiny real CustomSkill (a LaunchRequest handler).
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SKILL_ID = "amzn1.ask.skill.00000000-test-4000-8000-hipcoach0001"
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"
WELCOME = "Welcome to the test skill."


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Hip Coach Test PKI"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _ca_cert(
    key: rsa.RSAPrivateKey,
    name: str,
    issuer: tuple[x509.Certificate, rsa.RSAPrivateKey] | None,
    now: datetime,
) -> x509.Certificate:
    issuer_name = issuer[0].subject if issuer else _name(name)
    signer = issuer[1] if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(name))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=30))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer[1].public_key()),
            critical=False,
        )
    return builder.sign(signer, hashes.SHA256())


def leaf_cert(
    key: rsa.RSAPrivateKey,
    issuer: tuple[x509.Certificate, rsa.RSAPrivateKey],
    dns_names: list[str],
    not_before: datetime,
    not_after: datetime,
) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(_name(dns_names[0]))
        .issuer_name(issuer[0].subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in dns_names]), critical=False
        )
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer[1].public_key()),
            critical=False,
        )
        .sign(issuer[1], hashes.SHA256())
    )


def pem(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


@dataclass
class Signer:
    """One signing certificate (and the chain served for it)."""

    key: rsa.RSAPrivateKey
    chain_pem: bytes

    def sign(self, body: bytes) -> str:
        return base64.b64encode(self.key.sign(body, padding.PKCS1v15(), hashes.SHA256())).decode()


@dataclass
class TestPKI:
    """A root, an intermediate, and signers: good, expired, wrong SAN, untrusted."""

    __test__ = False

    root: x509.Certificate
    good: Signer
    expired: Signer
    wrong_san: Signer
    untrusted: Signer


def build_pki() -> TestPKI:
    now = datetime.now(UTC)
    root_key, inter_key = _key(), _key()
    root = _ca_cert(root_key, "Hip Coach Test Root CA", None, now)
    inter = _ca_cert(inter_key, "Hip Coach Test Intermediate", (root, root_key), now)
    issuer = (inter, inter_key)

    def signer(names: list[str], before: datetime, after: datetime, via=issuer) -> Signer:
        key = _key()
        cert = leaf_cert(key, via, names, before, after)
        return Signer(key, pem(cert, via[0]))

    good = signer(["echo-api.amazon.com"], now - timedelta(days=1), now + timedelta(days=300))
    expired = signer(["echo-api.amazon.com"], now - timedelta(days=300), now - timedelta(days=1))
    wrong_san = signer(["evil.example.com"], now - timedelta(days=1), now + timedelta(days=300))
    other_key = _key()
    other_root = _ca_cert(other_key, "Some Other Root", None, now)
    untrusted = signer(
        ["echo-api.amazon.com"],
        now - timedelta(days=1),
        now + timedelta(days=300),
        via=(other_root, other_key),
    )
    return TestPKI(root, good, expired, wrong_san, untrusted)


def envelope(
    request_type: str = "LaunchRequest",
    skill_id: str = SKILL_ID,
    timestamp: datetime | None = None,
    intent: dict | None = None,
) -> dict:
    stamp = (timestamp or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    application = {"applicationId": skill_id}
    user = {"userId": "amzn1.ask.account.TESTUSER"}
    request: dict = {
        "type": request_type,
        "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": stamp,
        "locale": "en-US",
    }
    if intent is not None:
        request["intent"] = intent
    return {
        "version": "1.0",
        "session": {
            "new": True,
            "sessionId": f"amzn1.echo-api.session.{uuid.uuid4()}",
            "application": application,
            "user": user,
            "attributes": {},
        },
        "context": {
            "System": {
                "application": application,
                "user": user,
                "device": {"deviceId": "test-device", "supportedInterfaces": {}},
                "apiEndpoint": "https://api.amazonalexa.com",
            }
        },
        "request": request,
    }


def signed(signer: Signer, payload: dict, cert_url: str = CERT_URL) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "SignatureCertChainUrl": cert_url,
        "Signature-256": signer.sign(body),
    }
    return body, headers


class _Launch(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak(WELCOME).set_should_end_session(False).response


class _AnyIntent(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("IntentRequest")(handler_input) and not is_intent_name("Boom")(
            handler_input
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak("Noted.").response


def make_skill() -> CustomSkill:
    builder = SkillBuilder()
    builder.add_request_handler(_Launch())
    builder.add_request_handler(_AnyIntent())
    return builder.create()


OTHER_SKILL = "amzn1.ask.skill.99999999-othr-4000-8000-notourskill"


def other_skill_variants(ours: str = SKILL_ID) -> dict[str, dict]:
    """Genuine-looking envelopes addressed to another skill, each a way the id can differ: every
    host must refuse all of them (issue 26's matrix)."""

    def with_ids(context_id: str, session_id: str | None) -> dict:
        payload = envelope(skill_id=ours)
        payload["context"]["System"]["application"] = {"applicationId": context_id}
        if session_id is None:
            payload.pop("session")
        else:
            payload["session"]["application"] = {"applicationId": session_id}
        return payload

    return {
        "both_other": with_ids(OTHER_SKILL, OTHER_SKILL),
        "context_other_session_ours": with_ids(OTHER_SKILL, ours),
        "context_ours_session_other": with_ids(ours, OTHER_SKILL),
        "context_other_no_session": with_ids(OTHER_SKILL, None),
        "ours_with_a_suffix": with_ids(ours + "0", ours + "0"),
        "ours_in_capitals": with_ids(ours.upper(), ours.upper()),
        "ours_padded": with_ids(f" {ours} ", f" {ours} "),
    }
