"""Records: typed instances of a declared record type, many per type, each with an id and a stamp.

A record's stamp grows with every insert or modify, so the agenda can order activations by recency
and a modified record counts as a new match (modify re-activates).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Record:
    """One record in a session's working memory."""

    id: int
    type: str
    fields: Mapping[str, Any] = field(hash=False)
    stamp: int = 0

    def __getitem__(self, name: str) -> Any:
        return self.fields[name]

    def key(self) -> tuple[str, tuple[tuple[str, Any], ...]]:
        """Identity by content: inserting an identical record adds nothing (as in CLIPS)."""
        return self.type, tuple((k, _hashable(v)) for k, v in sorted(self.fields.items()))

    def to_json(self) -> dict[str, Any]:
        # A record type with a field named `type` names itself with "$type" (see validation.py).
        return {
            "$type" if "type" in self.fields else "type": self.type,
            **{k: list(v) if isinstance(v, tuple) else v for k, v in self.fields.items()},
        }

    def describe(self) -> str:
        inner = ", ".join(f"{k}: {v}" for k, v in self.fields.items())
        return f"{self.type} {{{inner}}}"


class _BoolKey:
    """True and False as keys of their own: as field values they differ from 1 and 0."""

    __slots__ = ("value",)

    def __init__(self, value: bool) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"bool({self.value})"


BOOL_KEYS = {True: _BoolKey(True), False: _BoolKey(False)}


def _hashable(value: Any) -> Any:
    # bool apart from 1: True and 1 are different field values (equal values otherwise share
    # a key: 1 and 1.0, as `same` holds them equal)
    return BOOL_KEYS[value] if type(value) is bool else value
