"""Is a decoded request body an Alexa request envelope the skill can safely take?

Run on the JSON (dicts and lists) before ask-sdk sees it, by the web service (a failure is HTTP
400) and by the Lambda handler (a failure gets a spoken apology). It checks the shape ask-sdk and
the handlers rely on without checking, so that no hostile body reaches them: nesting depth (deep
JSON blows Python's recursion limit in the serializers), a ``context`` with the skill's
application id (ask-sdk reads it unguarded when a skill id is set), a request with a type, an
intent with a name, and slots and entity resolutions made of objects and strings. Slot *values*
are not judged here: what a runner says is the handlers' business.

:func:`problem` returns a short fixed reason (safe to log: it never quotes the body) or None.
"""

from __future__ import annotations

from typing import Any, TypeGuard

# A real envelope is about 10 levels deep, plus the skill's own session attributes (about 5).
MAX_DEPTH = 40


def depth_exceeds(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when ``value`` nests lists or dicts deeper than ``limit`` (level by level: no
    recursion, and no generator per node on the way, as this runs on every request)."""
    level: list[Any] = [value]
    depth = 1
    while level:
        below: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                below.extend(item.values())
            elif isinstance(item, list):
                below.extend(item)
            else:
                continue
            if depth > limit:
                return True
        level = below
        depth += 1
    return False


def _is_object(value: Any) -> TypeGuard[dict[str, Any]]:
    return isinstance(value, dict)


def _optional(value: Any, kind: type) -> bool:
    return value is None or isinstance(value, kind)


def _resolution_problem(resolutions: Any) -> str | None:
    if resolutions is None:
        return None
    if not _is_object(resolutions):
        return "slot resolutions are not an object"
    authorities = resolutions.get("resolutionsPerAuthority")
    if authorities is None:
        return None
    if not isinstance(authorities, list) or not all(_is_object(a) for a in authorities):
        return "slot resolutions are not a list of objects"
    for authority in authorities:
        if not _optional(authority.get("status"), dict):
            return "a resolution status is not an object"
        if "values" not in authority:
            continue
        values = authority["values"]
        if not isinstance(values, list):
            return "resolution values are not a list"
        for wrapper in values:
            value = wrapper.get("value") if _is_object(wrapper) else None
            if not _is_object(value):
                return "a resolution value is not an object"
            if not (_optional(value.get("name"), str) and _optional(value.get("id"), str)):
                return "a resolution value's name or id is not text"
    return None


def _intent_problem(intent: Any) -> str | None:
    if not _is_object(intent) or not isinstance(intent.get("name"), str):
        return "the intent has no name"
    slots = intent.get("slots")
    if slots is None:
        return None
    if not _is_object(slots):
        return "the slots are not an object"
    for slot in slots.values():
        if not _is_object(slot):
            return "a slot is not an object"
        if not (_optional(slot.get("name"), str) and _optional(slot.get("value"), str)):
            return "a slot's name or value is not text"
        reason = _resolution_problem(slot.get("resolutions"))
        if reason:
            return reason
    return None


def problem(payload: Any) -> str | None:
    """Why ``payload`` is not an envelope the skill can take, or None when it is."""
    if not _is_object(payload):
        return "not a JSON object"
    if depth_exceeds(payload):
        return "nested too deep"
    request = payload.get("request")
    if not _is_object(request) or not isinstance(request.get("type"), str):
        return "no request with a type"
    if not _optional(request.get("locale"), str):
        return "the locale is not text"
    context = payload.get("context")
    system = context.get("System") if _is_object(context) else None
    application = system.get("application") if _is_object(system) else None
    if not _is_object(application) or not isinstance(application.get("applicationId"), str):
        return "no context with an application id"
    user = system.get("user") if _is_object(system) else None
    if user is not None and (not _is_object(user) or not _optional(user.get("userId"), str)):
        return "the user is not an object with an id"
    session = payload.get("session")
    if session is not None and not (
        _is_object(session) and _optional(session.get("attributes"), dict)
    ):
        return "the session or its attributes are not objects"
    if request["type"] == "IntentRequest":
        return _intent_problem(request.get("intent"))
    return None
