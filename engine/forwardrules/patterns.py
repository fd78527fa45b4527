"""Record rule conditions: patterns over records, joins, negation, existence, aggregates, tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .terms import COMPARATORS, Term


@dataclass(frozen=True)
class FieldTest:
    """`field OP term`; the term may read fields of records bound earlier (a join)."""

    field: str
    op: str
    term: Term


@dataclass(frozen=True)
class Pattern:
    """`{record: TYPE, as: ALIAS, where: {FIELD: {OP: TERM}}}`: one record of a type."""

    type: str
    alias: str | None
    tests: tuple[FieldTest, ...] = ()

    @cached_property
    def equalities(self) -> tuple[tuple[str, ...], tuple[FieldTest, ...]]:
        """The fields tested for equality (looked up together in one index) and the rest."""
        fields = tuple(sorted({t.field for t in self.tests if t.op == "eq"}))
        first = {f: next(t for t in self.tests if t.op == "eq" and t.field == f) for f in fields}
        rest = tuple(t for t in self.tests if first.get(t.field) is not t)
        return fields, rest

    @cached_property
    def lookup_terms(self) -> tuple[Term, ...]:
        fields, _ = self.equalities
        return tuple(
            next(t.term for t in self.tests if t.op == "eq" and t.field == f) for f in fields
        )

    @cached_property
    def lookup_fns(self) -> tuple[Callable[[Mapping[str, Any]], Any], ...]:
        return tuple(term.fn for term in self.lookup_terms)

    @cached_property
    def checks(self) -> tuple[Check, ...]:
        """The tests an index lookup leaves, compiled: (field, comparator, term)."""
        return tuple((t.field, COMPARATORS[t.op], t.term.fn) for t in self.equalities[1])

    @cached_property
    def all_checks(self) -> tuple[Check, ...]:
        """Every test compiled, equalities included (a record not found through an index)."""
        return tuple((t.field, COMPARATORS[t.op], t.term.fn) for t in self.tests)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without its compiled closures (rebuilt on first use)."""
        return {k: v for k, v in self.__dict__.items() if k not in _COMPILED}


Check = tuple[str, Callable[[Any, Any], bool], Callable[[Mapping[str, Any]], Any]]
_COMPILED = frozenset({"lookup_fns", "checks", "all_checks"})


@dataclass(frozen=True)
class Test:
    """`{test: {OP: [TERM, TERM]}}`: a comparison between values already bound."""

    op: str
    left: Term
    right: Term


@dataclass(frozen=True)
class Absent:
    """`{not: [ELEMENT, ...]}`: no records complete these elements for the current binding."""

    elements: tuple[Element, ...]

    @cached_property
    def anonymous(self) -> bool:
        """An inner pattern without alias binds "#position", which may be an outer name too."""
        return _anonymous(self.elements)

    @cached_property
    def lookup(self) -> Pattern | None:
        """The one inner pattern, when equality tests are all it has: one index lookup decides."""
        return _lookup(self.elements)


@dataclass(frozen=True)
class Exists:
    """`{exists: [ELEMENT, ...]}`: at least one way to complete them (binds nothing)."""

    elements: tuple[Element, ...]

    @cached_property
    def anonymous(self) -> bool:
        return _anonymous(self.elements)

    @cached_property
    def lookup(self) -> Pattern | None:
        return _lookup(self.elements)


def _anonymous(elements: tuple[Element, ...]) -> bool:
    return any(isinstance(e, Pattern) and e.alias is None for e in elements)


def _lookup(elements: tuple[Element, ...]) -> Pattern | None:
    if len(elements) == 1 and isinstance(elements[0], Pattern):
        fields, rest = elements[0].equalities
        if fields and not rest:
            return elements[0]
    return None


@dataclass(frozen=True)
class Aggregate:
    """`{count|sum|min|max: {record: ..., where: ..., field: F}, OP: TERM, as: NAME}`."""

    function: str
    pattern: Pattern
    field: str | None
    tests: tuple[tuple[str, Term], ...] = ()
    name: str | None = None  # binds the aggregate's value for later terms and actions


Element = Pattern | Test | Absent | Exists | Aggregate


def types_read(elements: tuple[Element, ...]) -> set[str]:
    """Record types whose changes can change the matches of these elements."""
    found: set[str] = set()
    for element in elements:
        if isinstance(element, Pattern):
            found.add(element.type)
        elif isinstance(element, Aggregate):
            found.add(element.pattern.type)
        elif isinstance(element, Absent | Exists):
            found |= types_read(element.elements)
    return found


OP_WORDS = {
    "eq": "=", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=",
    "in": "in", "not_in": "not in", "contains": "contains",
}  # fmt: skip


def shown(term: Term, binding: Mapping[str, Any]) -> str:
    try:
        value = term.evaluate(binding)
    except (KeyError, ArithmeticError, TypeError, ValueError):  # reads an alias bound inside
        return term.text()
    return str(list(value)) if isinstance(value, tuple) else str(value)


def describe_pattern(pattern: Pattern, binding: Mapping[str, Any]) -> str:
    tests = [f"{t.field} {OP_WORDS[t.op]} {shown(t.term, binding)}" for t in pattern.tests]
    return pattern.type + (" where " + ", ".join(tests) if tests else "")


def describe(element: Element, binding: Mapping[str, Any]) -> str:
    """An element in words, with the values of a match filled in (for explanations)."""
    if isinstance(element, Pattern):
        return describe_pattern(element, binding)
    if isinstance(element, Test):
        left, right = shown(element.left, binding), shown(element.right, binding)
        return f"{left} {OP_WORDS[element.op]} {right}"
    if isinstance(element, Absent | Exists):
        inner = " and ".join(describe(e, binding) for e in element.elements)
        return ("no " if isinstance(element, Absent) else "some ") + inner
    field = f" {element.field}" if element.field else ""
    return f"{element.function}{field} of {describe_pattern(element.pattern, binding)}"
