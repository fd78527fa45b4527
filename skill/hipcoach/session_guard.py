"""What the session may carry into a turn, decided before any handler runs (issue 26).

Session attributes come back from the device on every turn, so a handler must never meet one it
cannot trust:

* a request without a session (``"session": null``) gets a fresh one, built from the request's
  context, so no handler reaches ask-sdk's "out of session" error (and the catch-all apology);
* a LaunchRequest starts the conversation again whatever the session holds (a launch inside an open
  session, ``session.new: false``, happens on devices; the console never sends it);
* a session whose parts contradict each other (routine mode without a routine the skill can play)
  is treated as a fresh one;
* the last reply kept for "repeat" is spoken again only if this skill wrote it: it carries a seal
  (an HMAC under :data:`SESSION_KEY_ENV`, or a key of this process when that is unset), and an
  unsealed or altered one is dropped ("repeat" then says the result again from its findings).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import uuid
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor, AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import LaunchRequest, Response, Session
from ask_sdk_model.interfaces.system import SystemState

from hipcoach.dialog import state as dialog
from hipcoach.dialog.state import Mode
from hipcoach.handlers.result import RESULT_KEY

ROUTINE_KEY = "routine"  # hipcoach.routines.store.KEY (not imported here: it loads the player)

SESSION_KEY_ENV = "HIPCOACH_SESSION_KEY"
SEAL = "seal"
LAST = "last"
_KEY = hashlib.sha256(
    (os.environ.get(SESSION_KEY_ENV) or "").encode() or secrets.token_bytes(32)
).digest()


def seal(last: Any) -> str:
    try:
        text = json.dumps(last, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return ""
    return hmac.new(_KEY, text.encode("utf-8"), hashlib.sha256).hexdigest()


def _fresh_session(system: SystemState) -> Session:
    return Session(
        new=True,
        session_id=f"amzn1.echo-api.session.hipcoach-{uuid.uuid4()}",
        user=system.user,
        application=system.application,
        attributes={},
    )


def _contradictory(attributes: dict[str, Any]) -> bool:
    if dialog.read(attributes) == Mode.ROUTINE:
        from hipcoach.routines.records import read_session  # only now: it loads the routines

        return read_session(attributes.get(ROUTINE_KEY)) is None
    return False


class FreshSessionWhenNeeded(AbstractRequestInterceptor):
    """No session, a launch, or contradictory parts: the turn starts from an empty session."""

    def process(self, handler_input: HandlerInput) -> None:
        envelope = handler_input.request_envelope
        manager = handler_input.attributes_manager
        if envelope.session is None:
            system = envelope.context.system if envelope.context is not None else None
            if system is None:
                return  # nothing to key a session by (the envelope checks refuse this earlier)
            envelope.session = _fresh_session(system)
            manager.session_attributes = {}
            return
        attributes = manager.session_attributes
        launch = isinstance(envelope.request, LaunchRequest)
        if not isinstance(attributes, dict) or launch or _contradictory(attributes):
            manager.session_attributes = {}
            envelope.session.new = True
            return
        result = attributes.get(RESULT_KEY)
        if isinstance(result, dict):
            if LAST in result and not hmac.compare_digest(
                str(result.get(SEAL, "")), seal(result[LAST])
            ):
                del result[LAST]
            result.pop(SEAL, None)


class SealLastReply(AbstractResponseInterceptor):
    """Seal the reply kept for "repeat", so the next turn can tell it is the skill's own."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        if handler_input.request_envelope.session is None:
            return
        attributes = handler_input.attributes_manager.session_attributes
        result = attributes.get(RESULT_KEY) if isinstance(attributes, dict) else None
        if isinstance(result, dict) and LAST in result:
            result[SEAL] = seal(result[LAST])
