"""Record rules: conditions over records and the actions that change working memory."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .patterns import Element, Pattern, types_read
from .terms import Term


@dataclass(frozen=True)
class Insert:
    """`{insert: TYPE, fields: {...}, logical: true}`: logical records live while supported."""

    type: str
    fields: tuple[tuple[str, Term], ...]
    logical: bool = False


@dataclass(frozen=True)
class Modify:
    """`{modify: ALIAS, fields: {...}}`: a new version of a matched record (re-activates)."""

    alias: str
    fields: tuple[tuple[str, Term], ...]


@dataclass(frozen=True)
class Retract:
    """`{retract: ALIAS}`."""

    alias: str


Action = Insert | Modify | Retract


@dataclass(frozen=True)
class RecordRule:
    id: str
    elements: tuple[Element, ...]
    actions: tuple[Action, ...]
    salience: float = 0
    meta: Mapping[str, Any] = field(default_factory=dict)
    file: str = ""
    line: int | None = None
    order: int = 0  # declaration order, the last tie-breaker of the agenda

    @property
    def reads(self) -> frozenset[str]:
        return frozenset(types_read(self.elements))

    @property
    def aliases(self) -> tuple[str, ...]:
        """Aliases bound by the rule's positive patterns, in order."""
        return tuple(e.alias for e in self.elements if isinstance(e, Pattern) and e.alias)
