"""What the session may carry into a turn, decided before any handler runs (issue 26).

* a request without a session (``"session": null``) gets a fresh one, built from the request's
  context, so no handler reaches ask-sdk's "out of session" error (and the catch-all apology);
* a LaunchRequest starts the conversation again whatever the session holds (a launch inside an open
  session, ``session.new: false``, happens on devices; the console never sends it).

Everything else a session holds is checked where it is read, in ``hipcoach.dialog.conversation``
(unreadable parts, an unsealed reply for "repeat"); routine mode without a routine falls
back to the saved routine (hipcoach.dialog.routine).
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import LaunchRequest, Session
from ask_sdk_model.interfaces.system import SystemState


def _fresh_session(system: SystemState) -> Session:
    return Session(
        new=True,
        session_id=f"amzn1.echo-api.session.hipcoach-{_uuid4()}",
        user=system.user,
        application=system.application,
        attributes={},
    )


class FreshSessionWhenNeeded(AbstractRequestInterceptor):
    """No session, or a launch: the turn starts from an empty session."""

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
        if isinstance(envelope.request, LaunchRequest):
            manager.session_attributes = {}
            envelope.session.new = True


def _uuid4() -> str:
    import uuid  # only for a fresh session: uuid (and platform) cost a cold start otherwise

    return str(uuid.uuid4())
