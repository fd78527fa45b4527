"""The skill as an HTTPS web service: Flask + flask-ask-sdk's SkillAdapter.

* ``create_app(skill, verify=True, skill_id=None)``: POST ``/`` answers Alexa requests, GET
  ``/health`` answers ``{"status": "ok"}``. Verification (signature, certificate chain, 150 s
  timestamp) is on unless ``verify=False``; the skill id is checked whenever one is given. Anything
  that fails a check, and any body that is not a request envelope (``hipcoach.envelope_checks``:
  nested too deep, no context, an intent without a name, slots or resolutions that are not
  objects...), gets HTTP 400 (never 500); so does anything the skill itself fails to answer.
* ``hipcoach serve [--port N] [--no-verify]``: a threaded server on localhost, for development.
* ``gunicorn 'hipcoach.hosting.web:wsgi_app()'``: production (verification always on,
  ``SKILL_ID`` checked).
"""

from __future__ import annotations

# isort: off
import hipcoach.hosting.oscrypto_fix  # noqa: F401 - installs the oscrypto fix; must precede flask_ask_sdk

# isort: on
import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from ask_sdk_core.exceptions import AskSdkException
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope
from ask_sdk_webservice_support.verifier import AbstractVerifier, TimestampVerifier
from flask import Flask, Response, jsonify, request
from flask_ask_sdk.skill_adapter import (
    VERIFY_SIGNATURE_APP_CONFIG,
    VERIFY_TIMESTAMP_APP_CONFIG,
    SkillAdapter,
)
from werkzeug.exceptions import HTTPException
from werkzeug.serving import BaseWSGIServer, make_server

from hipcoach import envelope_checks
from hipcoach.hosting import jsonlog
from hipcoach.hosting.verify import LoggingVerifier, SignatureVerifier, SkillIdVerifier

log = logging.getLogger("hipcoach.hosting.web")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
MAX_BODY_BYTES = 128 * 1024
NO_VERIFY_WARNING = (
    "WARNING: request verification is OFF (--no-verify). Anyone who can reach this port can "
    "call the skill. Use it ONLY for local testing; never expose it or put it behind a tunnel."
)


def verifiers(verify: bool, skill_id: str | None) -> list[AbstractVerifier]:
    """The checks run on every request, in order."""
    checks: list[AbstractVerifier] = []
    if verify:
        checks.append(LoggingVerifier("signature", SignatureVerifier()))
        checks.append(LoggingVerifier("timestamp", TimestampVerifier()))
    if skill_id:
        checks.append(LoggingVerifier("skill_id", SkillIdVerifier(skill_id)))
    return checks


_ADAPTER_NOISE = frozenset({"Request verification failed", "Skill dispatch exception"})


def _drop_adapter_verification_noise(record: logging.LogRecord) -> bool:
    # The adapter logs every refusal and dispatch error with a stack trace (unbounded, not JSON);
    # LoggingVerifier and the route log why, in one bounded JSON line.
    return record.getMessage() not in _ADAPTER_NOISE


def _bad_request(reason: str, started: float) -> tuple[Response, int]:
    jsonlog.event(
        log, "request", logging.WARNING, status=400, reason=reason, ms=jsonlog.elapsed_ms(started)
    )
    return jsonify({"error": "bad request"}), 400


def create_app(skill: CustomSkill, verify: bool = True, skill_id: str | None = None) -> Flask:
    """The Flask app serving ``skill`` at POST ``/``."""
    jsonlog.configure()
    app = Flask("hipcoach.hosting.web")
    if _drop_adapter_verification_noise not in app.logger.filters:
        app.logger.addFilter(_drop_adapter_verification_noise)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    # The adapter's own verifiers go through certvalidator; ours replace them (see webverify).
    app.config[VERIFY_SIGNATURE_APP_CONFIG] = False
    app.config[VERIFY_TIMESTAMP_APP_CONFIG] = False
    adapter = SkillAdapter(
        skill=skill,
        skill_id=skill_id or "hipcoach",
        verifiers=verifiers(verify, skill_id),
        app=app,
    )

    @app.get("/health")
    def health() -> Response:
        return jsonify({"status": "ok"})  # the documented body (docs/deploying.md)

    @app.post("/")
    def alexa() -> Any:
        started = time.perf_counter()
        body = request.get_data(cache=True)
        try:
            text = body.decode("utf-8")
            payload = json.loads(text)
        except (UnicodeDecodeError, ValueError, RecursionError):
            return _bad_request("malformed JSON", started)
        reason = envelope_checks.problem(payload)
        if reason:
            return _bad_request(reason, started)
        fields = jsonlog.envelope_fields(payload)
        try:
            skill.serializer.deserialize(payload=text, obj_type=RequestEnvelope)
        except (AskSdkException, ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return _bad_request("not a request envelope", started)
        try:
            response = adapter.dispatch_request()
        except HTTPException as exc:
            status = exc.code or 500
            if status < 500:
                ms = jsonlog.elapsed_ms(started)
                jsonlog.event(log, "request", logging.WARNING, status=status, ms=ms, **fields)
                raise
            # The skill could not answer (flask-ask-sdk turns a dispatch error into a 500).
            jsonlog.event(
                log, "request", logging.ERROR, status=400, reason="dispatch failed", **fields
            )
            return jsonify({"error": "bad request"}), 400
        except Exception as exc:
            jsonlog.event(
                log,
                "request",
                logging.ERROR,
                status=400,
                reason="the skill failed",
                exc_type=type(exc).__name__,
                **fields,
            )
            return jsonify({"error": "bad request"}), 400
        jsonlog.event(log, "request", status=200, ms=jsonlog.elapsed_ms(started), **fields)
        return response

    @app.errorhandler(413)
    def too_large(_exc: HTTPException) -> tuple[Response, int]:
        # Alexa requests are small; an oversized body is refused like any malformed one.
        return _bad_request("body too large", time.perf_counter())

    return app


def _skill_from_app() -> CustomSkill:
    """The real skill: DynamoDB when HIPCOACH_DYNAMODB_TABLE is set, else the SQLite file."""
    from hipcoach.app import build_skill, default_persistence

    return build_skill(default_persistence(), os.environ.get("SKILL_ID") or None)


def wsgi_app() -> Flask:
    """The production app for gunicorn: ``gunicorn 'hipcoach.hosting.web:wsgi_app()'``.

    Verification is always on; the skill id is checked against ``SKILL_ID``.
    """
    skill_id = os.environ.get("SKILL_ID") or None
    if not skill_id:
        jsonlog.configure()
        jsonlog.event(log, "skill_id_unset", logging.WARNING, hint="set SKILL_ID in production")
    return create_app(_skill_from_app(), verify=True, skill_id=skill_id)


def make_http_server(
    app: Flask, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT
) -> BaseWSGIServer:
    """A threaded werkzeug server for ``app`` (``port=0`` picks a free one)."""
    return make_server(host, port, app, threaded=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hipcoach serve", description="Run the skill as a web service on localhost."
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default 8080)")
    parser.add_argument("--host", default=DEFAULT_HOST, help="interface (default 127.0.0.1)")
    parser.add_argument(
        "--no-verify",
        action="store_true",
        help="turn request verification off: ONLY for local testing",
    )
    parser.add_argument(
        "--skill-id", default=os.environ.get("SKILL_ID"), help="skill id to accept ($SKILL_ID)"
    )
    return parser


def serve(
    argv: Sequence[str] | None = None,
    skill_factory: Callable[[], CustomSkill] | None = None,
) -> int:
    """``hipcoach serve``: run until interrupted; returns the exit status."""
    args = _parser().parse_args(argv)
    verify = not args.no_verify
    if not verify:
        print(NO_VERIFY_WARNING, file=sys.stderr, flush=True)
    skill = (skill_factory or _skill_from_app)()
    app = create_app(skill, verify=verify, skill_id=args.skill_id or None)
    server = make_http_server(app, args.host, args.port)
    jsonlog.event(log, "serving", host=args.host, port=server.server_port, verify=verify)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def main() -> int:  # pragma: no cover - thin wrapper
    return serve(sys.argv[1:])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
