"""The skill as an HTTPS web service: Flask, with the checks Amazon requires of a web service.

* ``create_app(skill, verify=True, skill_id=None, allow_any_skill=False)``: POST ``/`` answers
  Alexa requests, GET ``/health`` answers ``{"status": "ok"}``. Each request is checked in an order
  that makes refusing cheap: with verification on, the signature and its certificate chain are
  checked on the raw bytes before any JSON is parsed (``hipcoach.hosting.verify``); then the body
  is decoded once, its shape checked (``hipcoach.envelope_checks``), the skill id checked
  (``hipcoach.hosting.skill_id``: no id and no explicit opt-out, and the app is not built), the
  body deserialized once, the timestamp checked (150 s), and the skill invoked. Anything that
  fails a check, and anything the skill itself fails to answer, gets HTTP 400 (never 500), with
  one JSON log line saying why.
* ``hipcoach serve [--port N] [--no-verify]``: a threaded server on localhost, for development.
  Without a skill id it refuses to start, unless ``HIPCOACH_ALLOW_ANY_SKILL_ID=1`` or
  ``--no-verify`` (which warns that anything may call it).
* ``gunicorn -c python:hipcoach.hosting.gunicorn_conf 'hipcoach.hosting.web:wsgi_app()'``:
  production (verification always on, ``SKILL_ID`` required; the config's worker reads each
  request in full before a thread takes it, see ``hipcoach.hosting.buffered_worker``).
"""

from __future__ import annotations

# isort: off
import hipcoach.hosting.oscrypto_fix  # noqa: F401 - installs the oscrypto fix; must precede ask_sdk_webservice_support

# isort: on
import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope
from ask_sdk_webservice_support.verifier import TimestampVerifier, VerificationException
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from hipcoach import envelope_checks
from hipcoach.hosting import jsonlog
from hipcoach.hosting import skill_id as skill_ids
from hipcoach.hosting.verify import SignatureVerifier

log = logging.getLogger("hipcoach.hosting.web")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
MAX_BODY_BYTES = 128 * 1024
# The development server drops a client that sends nothing for this long (a slow client holds one
# thread at most this long between two reads).
DEV_SERVER_IDLE_TIMEOUT_S = 10.0
NO_VERIFY_WARNING = (
    "WARNING: request verification is OFF (--no-verify). Anyone who can reach this port can "
    "call the skill. Use it ONLY for local testing; never expose it or put it behind a tunnel."
)
ANY_SKILL_WARNING = (
    "WARNING: no skill id is configured: requests addressed to ANY skill are answered. "
    "Local testing only; set SKILL_ID (or --skill-id) for anything else."
)


class SkillIdUnset(skill_ids.SkillIdUnset):
    """Raised when building an app with no skill id and no explicit opt-out."""


def _refused(check: str, reason: str, payload: Any = None) -> tuple[Response, int]:
    """One log line for a refused request (the reason never quotes the body), then 400."""
    fields = jsonlog.envelope_fields(payload) if payload is not None else {}
    jsonlog.event(log, "verification_failed", logging.WARNING, check=check, reason=reason, **fields)
    return jsonify({"error": "bad request"}), 400


def _bad_request(reason: str, started: float, **fields: Any) -> tuple[Response, int]:
    jsonlog.event(
        log,
        "request",
        logging.WARNING,
        status=400,
        reason=reason,
        ms=jsonlog.elapsed_ms(started),
        **fields,
    )
    return jsonify({"error": "bad request"}), 400


def create_app(
    skill: CustomSkill,
    verify: bool = True,
    skill_id: str | None = None,
    allow_any_skill: bool = False,
) -> Flask:
    """The Flask app serving ``skill`` at POST ``/``.

    ``skill_id`` (trimmed) is required unless ``allow_any_skill`` opts out explicitly.
    """
    jsonlog.configure()
    rule = skill_ids.rule(skill_id, allow_any_skill)
    if not rule.configured:
        jsonlog.event(
            log, "skill_id_unset", logging.ERROR, outcome="refused", hint=skill_ids.UNSET_HINT
        )
        raise SkillIdUnset(f"no skill id configured: {skill_ids.UNSET_HINT}")
    app = Flask("hipcoach.hosting.web")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    signature = SignatureVerifier() if verify else None
    timestamp = TimestampVerifier()

    @app.get("/health")
    def health() -> Response:
        return jsonify({"status": "ok"})  # the documented body (docs/deploying.md)

    @app.post("/")
    def alexa() -> Any:
        started = time.perf_counter()
        body = request.get_data(cache=False)
        if signature is not None:
            try:  # the raw bytes, before any parsing: a refused body costs a hash and an RSA check
                signature.verify_raw(dict(request.headers), body)
            except VerificationException as exc:
                return _refused("signature", _reason(exc))
        try:
            text = body.decode("utf-8")
            payload = json.loads(text)
        except (UnicodeDecodeError, ValueError, RecursionError):
            return _bad_request("malformed JSON", started)
        reason = envelope_checks.problem(payload)
        if reason:
            return _bad_request(reason, started)
        if not rule.accepts(payload):
            return _refused("skill_id", "skill id does not match", payload)
        fields = jsonlog.envelope_fields(payload)
        try:
            envelope = skill.serializer.deserialize(payload=text, obj_type=RequestEnvelope)
        except Exception:  # ask-sdk's errors, and any type a hostile body trips over
            return _bad_request("not a request envelope", started, **fields)
        if verify:
            try:
                timestamp.verify(
                    headers=dict(request.headers),
                    serialized_request_env=text,
                    deserialized_request_env=envelope,
                )
            except Exception as exc:  # a timestamp without a time zone, too: refused, not a 500
                return _refused("timestamp", _reason(exc), payload)
        try:
            response = skill.invoke(request_envelope=envelope, context=None)
            answer = skill.serializer.serialize(response)
            if payload["request"]["type"] == "SessionEndedRequest":
                answer = {"version": "1.0", "response": {}}  # Alexa allows it no speech
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
        return jsonify(answer)

    @app.errorhandler(413)
    def too_large(_exc: HTTPException) -> tuple[Response, int]:
        # Alexa requests are small; an oversized body is refused like any malformed one.
        return _bad_request("body too large", time.perf_counter())

    return app


def _reason(exc: Exception) -> str:
    if isinstance(exc, VerificationException) and exc.args:
        return str(exc.args[0])
    return f"{type(exc).__name__} while checking"


def _skill_from_app() -> CustomSkill:
    """The real skill: DynamoDB when HIPCOACH_DYNAMODB_TABLE is set, else the SQLite file."""
    from hipcoach.app import build_skill, default_persistence

    return build_skill(default_persistence(), skill_ids.from_environment().skill_id)


def wsgi_app() -> Flask:
    """The production app for gunicorn: ``gunicorn 'hipcoach.hosting.web:wsgi_app()'``.

    Verification is always on. ``SKILL_ID`` is required: without it (and without the explicit
    ``HIPCOACH_ALLOW_ANY_SKILL_ID=1``) the app is not built, so gunicorn does not start.
    """
    jsonlog.configure()
    rule = skill_ids.from_environment()
    if not rule.configured:  # refuse before building the skill (and opening its store)
        jsonlog.event(
            log, "skill_id_unset", logging.ERROR, outcome="refused", hint=skill_ids.UNSET_HINT
        )
        raise SkillIdUnset(f"no skill id configured: {skill_ids.UNSET_HINT}")
    if not rule.skill_id:
        jsonlog.event(log, "skill_id_any", logging.WARNING, warning=ANY_SKILL_WARNING)
    return create_app(
        _skill_from_app(), verify=True, skill_id=rule.skill_id, allow_any_skill=rule.allow_any
    )


class _StrictRequestHandler(WSGIRequestHandler):
    """The development server's handler: answers 400 to a request whose body length is
    ambiguous (two Content-Length headers, or one beside Transfer-Encoding) instead of leaving
    the connection hanging, and drops a client idle for DEV_SERVER_IDLE_TIMEOUT_S."""

    timeout = DEV_SERVER_IDLE_TIMEOUT_S

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        lengths = self.headers.get_all("Content-Length") or []
        if len(lengths) > 1 or (lengths and self.headers.get("Transfer-Encoding")):
            self.close_connection = True
            self.send_error(400, "Ambiguous request body length")
            return False
        return True


def make_http_server(
    app: Flask, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT
) -> BaseWSGIServer:
    """A threaded werkzeug server for ``app`` (``port=0`` picks a free one)."""
    return make_server(host, port, app, threaded=True, request_handler=_StrictRequestHandler)


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
        "--skill-id",
        default=os.environ.get(skill_ids.SKILL_ID_ENV),
        help="skill id to accept ($SKILL_ID); required unless --no-verify or "
        f"{skill_ids.ALLOW_ANY_SKILL_ENV}=1",
    )
    return parser


def serve(
    argv: Sequence[str] | None = None,
    skill_factory: Callable[[], CustomSkill] | None = None,
) -> int:
    """``hipcoach serve``: run until interrupted; returns the exit status."""
    args = _parser().parse_args(argv)
    verify = not args.no_verify
    rule = skill_ids.rule(args.skill_id, skill_ids.from_environment().allow_any or not verify)
    if not rule.configured:
        print(
            f"hipcoach serve: no skill id configured; refusing to start ({skill_ids.UNSET_HINT}, "
            "or --no-verify for local testing)",
            file=sys.stderr,
            flush=True,
        )
        return 2
    if not verify:
        print(NO_VERIFY_WARNING, file=sys.stderr, flush=True)
    if not rule.skill_id:
        print(ANY_SKILL_WARNING, file=sys.stderr, flush=True)
    skill = (skill_factory or _skill_from_app)()
    app = create_app(skill, verify=verify, skill_id=rule.skill_id, allow_any_skill=rule.allow_any)
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
