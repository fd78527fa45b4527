"""Record rules: conditions over records and the actions that change working memory."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .patterns import Absent, Element, Exists, Pattern, Test, types_read
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


# (the rule's position of each step, the elements in search order, per step the types to bind)
Plan = tuple[tuple[int, ...], tuple[Element, ...], tuple[tuple[str, ...], ...]]


def _inner_terms(elements: tuple[Element, ...]) -> list[Term]:
    terms: list[Term] = []
    for element in elements:
        if isinstance(element, Pattern):
            terms += [t.term for t in element.tests]
        elif isinstance(element, Test):
            terms += [element.left, element.right]
        elif isinstance(element, Absent | Exists):
            terms += _inner_terms(element.elements)
        else:
            terms += [t.term for t in element.pattern.tests] + [t for _, t in element.tests]
    return terms


def _plain(elements: tuple[Element, ...]) -> bool:
    """Only literals and fields read: evaluating these elements cannot raise."""
    return all(term.op in ("literal", "var") for term in _inner_terms(elements))


def _names(elements: tuple[Element, ...]) -> set[str]:
    return {name for term in _inner_terms(elements) for name in term.variables()}


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

    @cached_property
    def search_plan(self) -> Plan:
        """The order best-first search visits the elements in: the rule's own, except that a
        `not` or an `exists` whose terms only read fields (nothing that could fail to evaluate)
        moves up to just after the last pattern it reads. It binds nothing and its truth
        depends only on what is bound, so the matches are the same; a branch it rejects is cut
        before the patterns between are enumerated (Manners' `not path` before its `count`).
        Positions stay the rule's own (an unnamed pattern binds "#position"); for each step,
        the record types still to bind after it."""
        elements = self.elements
        outer = {e.alias: i for i, e in enumerate(elements) if isinstance(e, Pattern) and e.alias}
        order: list[int] = []
        for index, element in enumerate(elements):
            if isinstance(element, Absent | Exists) and _plain(element.elements):
                reads = _names(element.elements) & set(outer)
                after = max((outer[name] for name in reads), default=-1)
                at = next((n for n, i in enumerate(order) if i > after), len(order))
                order.insert(at, index)
            else:
                order.append(index)
        steps = tuple(elements[i] for i in order)
        later = tuple(
            tuple(e.type for e in steps[n:] if isinstance(e, Pattern))
            for n in range(len(steps) + 1)
        )
        return tuple(order), steps, later

    @property
    def reads(self) -> frozenset[str]:
        return frozenset(types_read(self.elements))

    @property
    def aliases(self) -> tuple[str, ...]:
        """Aliases bound by the rule's positive patterns, in order."""
        return tuple(e.alias for e in self.elements if isinstance(e, Pattern) and e.alias)
