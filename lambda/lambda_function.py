"""AWS Lambda entry point: ``lambda_function.lambda_handler`` (python3.11, x86_64).

Configuration by environment:

* ``SKILL_ID`` (trimmed): a request addressed to any other skill id (in its context or its
  session) is refused (an exception, so Alexa gets an error and the skill code never runs), with
  one ``skill_id_mismatch`` log line. Without ``SKILL_ID`` every request is refused, with a
  ``skill_id_unset`` log line, unless ``HIPCOACH_ALLOW_ANY_SKILL_ID=1`` is set: the explicit
  opt-out for local experiments (never in production: any skill could then call this function).
  The same rule as the web service's (``hipcoach.hosting.skill_id``).
* ``HIPCOACH_DYNAMODB_TABLE``: persistent attributes on that DynamoDB table; without it the skill
  works, without memory. The DynamoDB adapter (and boto3) is imported only then.
* ``HIPCOACH_RULEBOOK_CACHE``: defaults to the zip's ``rulebook_cache/`` folder, where
  ``build_zip.py`` puts the validated hip and prevention rulebooks (pickles keyed by each one's
  content hash), so a cold container does not parse and validate the YAML rules; stale or missing,
  the rules load from YAML as usual.
* ``HIPCOACH_CONTENT_CACHE``: likewise, defaults to the zip's ``content_cache/`` folder: the
  validated knowledge base, speech texts and routines (``hipcoach.content_cache``), so a cold
  container neither imports PyYAML nor parses the content; stale or missing, they load from YAML.
* ``AWS_REGION`` is set by Lambda; a default region is put in place before anything imports boto3,
  so an import can never fail for want of one.

The skill is built once per container (on the first request) and reused while the container
lives. Logs are JSON lines on stderr: request id, type, intent name and timing, never slot values;
through `logging` when the runtime has loaded it (AWS's does), else written directly
(``hipcoach.logs``), so a bare interpreter's cold start does not import it.

A body that is not an envelope the skill can take (``hipcoach.envelope_checks``: nested too deep,
no context, an intent without a name, slots or resolutions that are not objects) and any failure
the skill's own error handler did not catch get a spoken apology, never a traceback to Alexa;
except a SessionEndedRequest, which Alexa allows no speech: it gets an empty response, whatever
happened.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

os.environ.setdefault("AWS_DEFAULT_REGION", os.environ.get("AWS_REGION") or "us-east-1")
from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

from hipcoach import envelope_checks, logs
from hipcoach.hosting import skill_id as skill_ids
from hipcoach.logs import ERROR, WARNING

log = logs.Log("hipcoach.lambda")
# The validated rulebooks build_zip.py ships (read when the rules are first needed); the folder
# exists only in the zip, so nothing is ever written beside the source checkout.
_HERE = os.path.dirname(os.path.abspath(__file__))
RULEBOOK_CACHE = os.path.join(_HERE, "rulebook_cache")
if os.path.isdir(RULEBOOK_CACHE):
    os.environ.setdefault("HIPCOACH_RULEBOOK_CACHE", RULEBOOK_CACHE)
# The validated content (knowledge base, texts, routines) build_zip.py ships, likewise.
CONTENT_CACHE = os.path.join(_HERE, "content_cache")
if os.path.isdir(CONTENT_CACHE):
    os.environ.setdefault("HIPCOACH_CONTENT_CACHE", CONTENT_CACHE)
_skill: CustomSkill | None = None
ALLOW_ANY_SKILL_ENV = skill_ids.ALLOW_ANY_SKILL_ENV
DEFAULT_LOCALE = "en-US"
SESSION_ENDED = "SessionEndedRequest"


class SkillIdMismatch(PermissionError):
    """The request was addressed to another skill."""


class SkillIdUnset(skill_ids.SkillIdUnset):
    """SKILL_ID is not configured, and answering any skill was not explicitly allowed."""


def _build_skill() -> CustomSkill:
    from hipcoach.app import build_skill
    from hipcoach.persistence.dynamodb import from_environment

    # No table, no memory: Lambda has no writable place for the local SQLite default.
    # The skill id is also given to ask-sdk, which checks it again as a second line.
    return build_skill(from_environment(), skill_ids.from_environment().skill_id)


def get_skill() -> CustomSkill:
    global _skill
    if _skill is None:
        _skill = _build_skill()
    return _skill


def _request_type(event: Any) -> object:
    request = event.get("request") if isinstance(event, dict) else None
    return request.get("type") if isinstance(request, dict) else None


def apology(event: Any) -> dict[str, Any]:
    """A response envelope that says sorry, in the request's language when it has a known one;
    an empty one to a SessionEndedRequest (Alexa refuses speech to it)."""
    if _request_type(event) == SESSION_ENDED:
        return {"version": "1.0", "response": {}}
    from hipcoach.speech import ssml
    from hipcoach.speech.texts import Texts

    request = event.get("request") if isinstance(event, dict) else None
    locale = request.get("locale") if isinstance(request, dict) else None
    try:
        texts = Texts(locale if isinstance(locale, str) and len(locale) <= 8 else DEFAULT_LOCALE)
        text = texts.get("interview.error")
    except Exception:  # an unknown locale: the default one
        text = Texts(DEFAULT_LOCALE).get("interview.error")
    return {
        "version": "1.0",
        "response": {
            "outputSpeech": {"type": "SSML", "ssml": ssml.speak(ssml.text(text))},
            "shouldEndSession": True,
        },
    }


def configure_logs() -> None:
    """JSON lines on stderr, through the `logging` module when the runtime has loaded it (AWS's
    does, before the handler), else written directly: a bare interpreter need not import it."""
    if logs.writes_directly():
        return
    if "logging" in sys.modules:
        from hipcoach.hosting import jsonlog

        jsonlog.configure()
    else:
        logs.write_directly(sys.stderr)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Answer one Alexa request envelope (a dict) with a response envelope (a dict)."""
    configure_logs()
    started = time.perf_counter()
    fields = logs.envelope_fields(event)
    fields["aws_request_id"] = logs.short(getattr(context, "aws_request_id", None))
    rule = skill_ids.from_environment()
    if not rule.configured:
        log.event(
            "skill_id_unset",
            ERROR,
            outcome="refused",
            hint=skill_ids.UNSET_HINT,
            **fields,
        )
        raise SkillIdUnset("SKILL_ID is not set: refusing to answer any skill")
    reason = envelope_checks.problem(event)
    if reason:
        log.event("request", WARNING, outcome="malformed", reason=reason, **fields)
        return apology(event)
    if not rule.accepts(event):
        log.event("request", WARNING, outcome="skill_id_mismatch", **fields)
        raise SkillIdMismatch("request is for another skill")
    try:
        skill = get_skill()
        envelope = skill.serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
        response = skill.invoke(request_envelope=envelope, context=context)
        answer = skill.serializer.serialize(response)
        if not isinstance(answer, dict):  # a response envelope always serializes to an object
            raise TypeError(f"cannot serialize {type(response).__name__}")
        if _request_type(event) == SESSION_ENDED:
            answer = {"version": "1.0", "response": {}}  # whatever the handlers said
    except Exception:
        log.event(
            "request",
            ERROR,
            outcome="error",
            ms=logs.elapsed_ms(started),
            exc_info=True,
            **fields,
        )
        return apology(event)
    log.event("request", outcome="ok", ms=logs.elapsed_ms(started), **fields)
    return answer
