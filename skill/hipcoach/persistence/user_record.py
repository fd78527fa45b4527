"""The runner's persistent record: read once per request, changed only through :func:`update`.

The one way to change the record::

    result = user_record.update(handler_input, change)

``change`` is a function from a record (a dict, the runner's whole persistent record, a private
copy) to the new record, or to ``None`` when nothing needs to change. :func:`update` applies it to
the latest stored version and writes only if the stored version is still the one it read
(``hipcoach.persistence.versioned``); when another device wrote or deleted in between, it re-reads
and applies ``change`` again, to the new record. So ``change`` must be pure: no speech, no session
attributes, nothing it does may depend on having run only once. Compute what to say from
``result.record`` (the record as stored) after :func:`update` returns.

:class:`UpdateResult`:

* ``saved``: the change is in the store (also true when ``change`` had nothing to change);
* ``record``: the record as stored after the change (``None`` when memory is unavailable);
* ``changed``: something was written; ``attempts``: how many times ``change`` ran.

A delete stays deleted: a change read before a delete is re-applied to the empty record, never
written over the deleted one.

Any store fault (no adapter configured, file locked, table unreachable, the record changing on
every attempt) makes memory unavailable for this request rather than failing the skill: ``load``
returns ``None``, ``update`` returns ``saved=False``; a failed read is never taken for an empty
record, and nothing is written on top of it. Only the exception's type is logged.

One bounded wait per request: after a fault, the rest of the request does not touch the store
again (a locked SQLite file would otherwise cost its busy timeout once per call, and a launch makes
several), so every answer stays within Alexa's 8 s.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import Any

from ask_sdk_core.exceptions import AttributesManagerException, PersistenceException
from ask_sdk_core.handler_input import HandlerInput

from hipcoach import logs
from hipcoach.persistence.versioned import Stored, VersionedAdapter, WriteConflict
from hipcoach.records import record

log = logs.Log(__name__)
_FAULTS = (AttributesManagerException, PersistenceException)
_CACHE_KEY = "hipcoach.user_record"  # request attributes: the record read in this request
_FAULT_KEY = "hipcoach.user_record.fault"  # request attributes: the store failed in this request
MAX_ATTEMPTS = 30
# Before a re-read: a random pause up to 2 ms doubling per conflict (at most 50 ms), so devices
# racing drift apart; about 1 s at worst, well inside Alexa's 8 s.
_BACKOFF_SECONDS = 0.002
_BACKOFF_CAP_SECONDS = 0.05

Record = dict[str, Any]
Change = Callable[[Record], Record | None]


@record(frozen=True)
class UpdateResult:
    saved: bool
    record: Record | None
    changed: bool = False
    attempts: int = 0


def _adapter(handler_input: HandlerInput) -> Any:
    # ask-sdk-core (pinned) keeps the skill's adapter here; it has no public accessor.
    return getattr(handler_input.attributes_manager, "_persistence_adapter", None)


def _failed(handler_input: HandlerInput, action: str, exc: BaseException | str) -> None:
    """Remember that the store failed in this request (it is not asked again) and log why."""
    handler_input.attributes_manager.request_attributes[_FAULT_KEY] = True
    log.warning(
        "memory unavailable on %s: %s", action, exc if isinstance(exc, str) else type(exc).__name__
    )


def _unconfigured(handler_input: HandlerInput) -> None:
    """No store at all (a Lambda without a table): memory is off for the request, as after a
    fault, but that is configuration, not a fault: said once per process, not on every turn."""
    handler_input.attributes_manager.request_attributes[_FAULT_KEY] = True
    global _said_unconfigured
    if not _said_unconfigured:
        _said_unconfigured = True
        log.warning("memory unavailable: no store configured")


_said_unconfigured = False


def _has_failed(handler_input: HandlerInput) -> bool:
    return handler_input.attributes_manager.request_attributes.get(_FAULT_KEY) is True


def _read(handler_input: HandlerInput, fresh: bool = False) -> Stored | None:
    """The record and its version (cached for the request unless ``fresh``); None on a fault,
    and for the rest of the request once the store has failed in it."""
    attributes = handler_input.attributes_manager.request_attributes
    if _has_failed(handler_input):
        return None
    cached = attributes.get(_CACHE_KEY)
    if isinstance(cached, Stored) and not fresh:
        return cached
    adapter = _adapter(handler_input)
    if adapter is None:
        _unconfigured(handler_input)
        return None
    if not isinstance(adapter, VersionedAdapter):
        return _read_unversioned(handler_input)
    try:
        stored = adapter.read(handler_input.request_envelope)
    except _FAULTS as exc:
        _failed(handler_input, "read", exc)
        return None
    if not isinstance(stored, Stored) or not isinstance(stored.record, dict):
        _failed(handler_input, "read", "not a record")
        return None
    attributes[_CACHE_KEY] = stored
    return stored


def _read_unversioned(handler_input: HandlerInput) -> Stored | None:
    """Any other ask-sdk adapter: no versions, so its writes are last-writer-wins."""
    try:
        record = handler_input.attributes_manager.persistent_attributes
    except _FAULTS as exc:
        _failed(handler_input, "read", exc)
        return None
    if not isinstance(record, dict):
        _failed(handler_input, "read", "not a record")
        return None
    return Stored(record, None)


def load(handler_input: HandlerInput) -> Record | None:
    """A copy of the user's persistent record (read once per request), or None when memory is
    unavailable. Changing the copy changes nothing: use :func:`update`."""
    stored = _read(handler_input)
    return copy.deepcopy(stored.record) if stored is not None else None


def update(handler_input: HandlerInput, change: Change) -> UpdateResult:
    """Apply ``change`` to the latest stored record and store the result (see the module doc)."""
    stored = _read(handler_input)
    adapter = _adapter(handler_input)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        if stored is None:
            return UpdateResult(saved=False, record=None, attempts=attempt - 1)
        new = change(copy.deepcopy(stored.record))
        if new is None or new == stored.record:
            return UpdateResult(saved=True, record=stored.record, attempts=attempt)
        if not isinstance(adapter, VersionedAdapter):
            return _save_unversioned(handler_input, new)
        try:
            version = adapter.write(handler_input.request_envelope, new, stored.version)
        except WriteConflict:
            pause = min(_BACKOFF_CAP_SECONDS, _BACKOFF_SECONDS * 2 ** (attempt - 1))
            import random  # only on a conflict: not on every cold start

            time.sleep(random.uniform(0, pause))
            stored = _read(handler_input, fresh=True)
            continue
        except _FAULTS as exc:
            _failed(handler_input, "write", exc)
            return UpdateResult(saved=False, record=None, attempts=attempt)
        saved = Stored(new, version)
        handler_input.attributes_manager.request_attributes[_CACHE_KEY] = saved
        return UpdateResult(saved=True, record=saved.record, changed=True, attempts=attempt)
    _failed(handler_input, "write", "WriteConflict")
    return UpdateResult(saved=False, record=None, attempts=MAX_ATTEMPTS)


def _save_unversioned(handler_input: HandlerInput, new: Record) -> UpdateResult:
    manager = handler_input.attributes_manager
    try:
        manager.persistent_attributes = new
        manager.save_persistent_attributes()
    except _FAULTS as exc:
        _failed(handler_input, "write", exc)
        return UpdateResult(saved=False, record=None, attempts=1)
    return UpdateResult(saved=True, record=new, changed=True, attempts=1)


def delete_all(handler_input: HandlerInput) -> bool:
    """Delete everything kept for this user, in the store and in the request's cache."""
    manager = handler_input.attributes_manager
    adapter = _adapter(handler_input)
    if _has_failed(handler_input):
        return False
    try:
        if isinstance(adapter, VersionedAdapter):
            adapter.delete_attributes(handler_input.request_envelope)
        else:
            manager.delete_persistent_attributes()
    except _FAULTS as exc:
        _failed(handler_input, "delete", exc)
        return False
    manager.request_attributes[_CACHE_KEY] = Stored({}, None)
    return True
