"""Which text keys a response was built from, for the chat console and tests.

`Texts.get` notes every key it looks up (the disclaimer is `triage_levels.disclaimer`) while a
`recording()` is open on this thread (or task); outside one (on Lambda, under gunicorn) nothing
is kept. Tests and `hipcoach chat --json` (its
`said` field) read the keys, so they can check what the skill decided to say without depending on
the words of the current content.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_keys: ContextVar[list[str] | None] = ContextVar("hipcoach_said", default=None)


@contextmanager
def recording() -> Iterator[list[str]]:
    """Collect the text keys looked up inside the block, in order, into the list it yields."""
    keys: list[str] = []
    token = _keys.set(keys)
    try:
        yield keys
    finally:
        _keys.reset(token)


def note(key: str) -> None:
    keys = _keys.get()
    if keys is not None:
        keys.append(key)


def unique(keys: list[str]) -> list[str]:
    """The keys once each, in the order first used."""
    return list(dict.fromkeys(keys))
