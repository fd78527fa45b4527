"""Alexa request verification for the web service, built on ``cryptography``.

:class:`SignatureVerifier` replaces ask-sdk-webservice-support's ``RequestVerifier`` (which
validates the chain through certvalidator and oscrypto, accepts only the operating system's trust
list, and compares naive datetimes against deprecated certificate attributes). The checks follow
Amazon's "host a custom skill as a web service" rules:

* ``SignatureCertChainUrl``: scheme https, host s3.amazonaws.com, port 443 if given, normalised path
  under ``/echo.api/``, no query string or fragment (URLs differing only there would each be
  downloaded);
* the chain it points to: the first certificate is the signing certificate, inside its validity
  dates, with ``echo-api.amazon.com`` among its subject alternative names, and chaining to a
  trusted root (``cryptography``'s X.509 path validation, web PKI policy);
* ``Signature-256``: base64 RSA PKCS#1 v1.5 signature over the raw body with SHA-256.

The web service runs :meth:`SignatureVerifier.verify_raw` on the raw body before parsing it; the
timestamp is checked by ask-sdk's ``TimestampVerifier`` and the skill id by
``hipcoach.hosting.skill_id`` after. Any failure raises ``VerificationException``: HTTP 400.

The chain download cannot be turned against the server: it follows no redirects (``http.client``,
anything but 200 is a failure), has one overall deadline (:data:`FETCH_DEADLINE_S`, connect and
every read included, not per read), reads at most :data:`MAX_CHAIN_BYTES`, and at most
:data:`MAX_CONCURRENT_FETCHES` downloads run at once (a request that would wait longer than
:data:`FETCH_SLOT_WAIT_S` for a slot is refused). A signature that cannot be an RSA signature is
refused before any download. Chains are cached by normalised URL until their signing
certificate expires (at most :data:`CHAIN_CACHE_SIZE` URLs, least recently used dropped first),
so Alexa's requests, which name the same URL for months, never wait for a download.
"""

from __future__ import annotations

# isort: off
import hipcoach.hosting.oscrypto_fix  # noqa: F401 - installs the oscrypto fix; must precede ask_sdk imports

# isort: on
import base64
import binascii
import functools
import http.client
import logging
import posixpath
import ssl
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from ask_sdk_model import RequestEnvelope
from ask_sdk_webservice_support.verifier import AbstractVerifier, VerificationException
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from hipcoach.hosting import jsonlog

CERT_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"
CERT_URL_SCHEME = "https"
CERT_URL_HOST = "s3.amazonaws.com"
CERT_URL_PORT = 443
CERT_URL_PATH_PREFIX = "/echo.api/"
SIGNING_DOMAIN = "echo-api.amazon.com"
MAX_CHAIN_BYTES = 256 * 1024
FETCH_DEADLINE_S = 3.0
MAX_CONCURRENT_FETCHES = 4
FETCH_SLOT_WAIT_S = 0.25
CHAIN_CACHE_SIZE = 32
MAX_SIGNATURE_BYTES = 1024  # RSA-8192 at most; Alexa signs with RSA-2048 (256 bytes)
_READ_CHUNK = 16 * 1024

log = logging.getLogger("hipcoach.hosting.web")
_fetch_slots = threading.BoundedSemaphore(MAX_CONCURRENT_FETCHES)
_ID = jsonlog.REQUEST_ID


def fetch_cert_chain(url: str, deadline_s: float = FETCH_DEADLINE_S) -> bytes:
    """Download the PEM chain (called only for URLs that passed :func:`check_cert_url`).

    No redirects, one deadline for the whole download, at most ``MAX_CHAIN_BYTES``.
    """
    parts = urlsplit(url)
    deadline = time.monotonic() + deadline_s

    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise VerificationException("certificate chain download timed out")
        return left

    host = parts.hostname or ""
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        context = ssl.create_default_context()
        connection = http.client.HTTPSConnection(
            host, parts.port or 443, timeout=remaining(), context=context
        )
    else:  # plain http only ever reaches here from tests' loopback stubs (the URL check)
        connection = http.client.HTTPConnection(host, parts.port or 80, timeout=remaining())
    try:
        connection.connect()
        sock = connection.sock
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path or "/", headers={"Accept": "*/*"})
        sock.settimeout(remaining())
        response = connection.getresponse()
        if response.status != 200:  # a redirect included: never followed
            raise VerificationException("certificate chain could not be fetched")
        data = b""
        while len(data) <= MAX_CHAIN_BYTES:
            sock.settimeout(remaining())
            chunk = response.read1(_READ_CHUNK)
            if not chunk:
                break
            data += chunk
    except TimeoutError as exc:  # the socket waited out what was left of the deadline
        raise VerificationException("certificate chain download timed out") from exc
    except OSError as exc:
        raise VerificationException("certificate chain could not be fetched") from exc
    except http.client.HTTPException as exc:
        raise VerificationException("certificate chain could not be fetched") from exc
    finally:
        connection.close()
    if len(data) > MAX_CHAIN_BYTES:
        raise VerificationException("certificate chain too large")
    return data


@functools.cache
def default_trust_roots() -> tuple[x509.Certificate, ...]:
    """Trusted roots: certifi's bundle when installed, otherwise the system's default CA file."""
    try:
        import certifi

        path: str | None = certifi.where()
    except ImportError:  # pragma: no cover - certifi comes with requests
        path = ssl.get_default_verify_paths().cafile
    if not path:
        raise VerificationException("no trusted root certificates found")
    with open(path, "rb") as handle:
        bundle = handle.read()
    roots = []
    for block in bundle.split(b"-----END CERTIFICATE-----"):
        if b"-----BEGIN CERTIFICATE-----" in block:
            try:
                roots.append(x509.load_pem_x509_certificate(block + b"-----END CERTIFICATE-----"))
            except ValueError:  # pragma: no cover - a root this library cannot parse
                continue
    return tuple(roots)


def normalised_cert_url(url: str) -> str:
    """The one form of an allowed certificate URL (its cache key and what is downloaded).

    Raises unless ``url`` is https://s3.amazonaws.com[:443]/echo.api/... with no query string,
    fragment or user info: URLs that differ only in those would each be downloaded.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise VerificationException("certificate URL is malformed") from exc
    if parts.scheme.lower() != CERT_URL_SCHEME:
        raise VerificationException("certificate URL is not https")
    if (parts.hostname or "").lower() != CERT_URL_HOST or "@" in parts.netloc:
        raise VerificationException("certificate URL host is not s3.amazonaws.com")
    if port is not None and port != CERT_URL_PORT:
        raise VerificationException("certificate URL port is not 443")
    if parts.query or parts.fragment or "?" in url or "#" in url:
        raise VerificationException("certificate URL has a query string or fragment")
    path = posixpath.normpath(unquote(parts.path))
    if not path.startswith(CERT_URL_PATH_PREFIX) or any(c in path for c in "%\\\x00"):
        raise VerificationException("certificate URL path is not under /echo.api/")
    return f"{CERT_URL_SCHEME}://{CERT_URL_HOST}{path}"


def check_cert_url(url: str) -> None:
    """Raise unless ``url`` is an allowed certificate URL (:func:`normalised_cert_url`)."""
    normalised_cert_url(url)


def _header(headers: Mapping[str, Any], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return str(value)
    return None


class SignatureVerifier(AbstractVerifier):
    """Certificate URL, certificate chain and body signature."""

    def __init__(
        self,
        fetch: Callable[[str], bytes] | None = None,
        roots: Callable[[], tuple[x509.Certificate, ...]] | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        # Looked up at call time when not given, so tests can monkeypatch the module functions.
        self._fetch = fetch
        self._roots = roots
        self._now = now or (lambda: datetime.now(UTC))
        # URL -> the parsed chain, until its signing certificate expires (least recent first).
        self._chains: OrderedDict[str, list[x509.Certificate]] = OrderedDict()
        self._lock = threading.Lock()

    def verify(
        self,
        headers: Mapping[str, Any],
        serialized_request_env: str,
        deserialized_request_env: RequestEnvelope,
    ) -> None:
        """ask-sdk's verifier interface (the body as text): see :meth:`verify_raw`."""
        self.verify_raw(headers, serialized_request_env.encode("utf-8"))

    def verify_raw(self, headers: Mapping[str, Any], body: bytes) -> None:
        """Check the headers' certificate chain and the signature over ``body``, the raw bytes
        as received: nothing of the body is parsed, so a refused request costs one hash and one
        RSA check whatever its size."""
        cert_url = _header(headers, CERT_URL_HEADER)
        signature = _header(headers, SIGNATURE_HEADER)
        if not cert_url or not signature:
            raise VerificationException("missing signature or certificate URL header")
        raw = self._signature_bytes(signature)  # before any download: junk costs nothing
        leaf = self._verified_leaf(normalised_cert_url(cert_url))
        self._check_signature(leaf, raw, body)

    @staticmethod
    def _signature_bytes(signature: str) -> bytes:
        if len(signature) > 2 * MAX_SIGNATURE_BYTES:
            raise VerificationException("signature is too long")
        try:
            raw = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise VerificationException("signature is not base64") from exc
        if not 0 < len(raw) <= MAX_SIGNATURE_BYTES:
            raise VerificationException("signature has an impossible length")
        return raw

    def _cached(self, url: str) -> list[x509.Certificate] | None:
        with self._lock:
            chain = self._chains.get(url)
            if chain is None:
                return None
            if chain[0].not_valid_after_utc < self._now():
                del self._chains[url]
                return None
            self._chains.move_to_end(url)
            return chain

    def _remember(self, url: str, chain: list[x509.Certificate]) -> None:
        with self._lock:
            self._chains[url] = chain
            self._chains.move_to_end(url)
            while len(self._chains) > CHAIN_CACHE_SIZE:
                self._chains.popitem(last=False)

    def _download(self, url: str) -> bytes:
        if not _fetch_slots.acquire(timeout=FETCH_SLOT_WAIT_S):
            raise VerificationException("too many certificate downloads at once")
        try:
            fetch = self._fetch or fetch_cert_chain
            try:
                return fetch(url)
            except VerificationException:
                raise
            except Exception as exc:  # network errors, HTTP errors
                raise VerificationException("certificate chain could not be fetched") from exc
        finally:
            _fetch_slots.release()

    def _load_chain(self, url: str) -> list[x509.Certificate]:
        cached = self._cached(url)
        if cached is not None:
            return cached
        data = self._download(url)
        try:
            chain = x509.load_pem_x509_certificates(data)
        except ValueError as exc:
            raise VerificationException("certificate chain is not PEM") from exc
        if not chain:
            raise VerificationException("certificate chain is empty")
        self._remember(url, chain)
        return chain

    def _verified_leaf(self, url: str) -> x509.Certificate:
        leaf, *intermediates = self._load_chain(url)
        now = self._now()
        if not leaf.not_valid_before_utc <= now <= leaf.not_valid_after_utc:
            raise VerificationException("signing certificate is expired or not yet valid")
        try:
            san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        except x509.ExtensionNotFound as exc:
            raise VerificationException("signing certificate has no subject alt names") from exc
        if SIGNING_DOMAIN not in san.get_values_for_type(x509.DNSName):
            raise VerificationException(f"{SIGNING_DOMAIN} missing from the signing certificate")
        try:
            usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
            if not usage.digital_signature:
                raise VerificationException("signing certificate may not sign")
        except x509.ExtensionNotFound:
            pass
        roots = (self._roots or default_trust_roots)()
        if not roots:
            raise VerificationException("no trusted root certificates")
        verifier = (
            PolicyBuilder()
            .store(Store(list(roots)))
            .time(now)
            .build_server_verifier(x509.DNSName(SIGNING_DOMAIN))
        )
        try:
            verifier.verify(leaf, intermediates)
        except VerificationError as exc:
            raise VerificationException("certificate chain does not reach a trusted root") from exc
        return leaf

    @staticmethod
    def _check_signature(leaf: x509.Certificate, raw: bytes, body: bytes) -> None:
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise VerificationException("signing certificate key is not RSA")
        try:
            key.verify(raw, body, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature as exc:
            raise VerificationException("signature does not match the body") from exc
