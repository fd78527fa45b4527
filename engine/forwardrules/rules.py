"""Rules: an id, a condition, the facts the rule asserts, and how values are computed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .conditions import Condition, Literal, atoms
from .terms import FUNCTIONS, round_half_even

# One arithmetic for both rule languages: named-fact `then` values and record terms.
ARITHMETIC = FUNCTIONS


@dataclass(frozen=True)
class Expr:
    """A value computed when a rule fires: a literal, a matched fact's value, or arithmetic."""

    op: str  # "literal", "fact", "round", or a key of ARITHMETIC
    args: tuple[Any, ...]

    def evaluate(self, matched: Mapping[str, Any]) -> Any:
        if self.op == "literal":
            return self.args[0]
        if self.op == "fact":
            return matched[self.args[0]]
        values = [arg.evaluate(matched) for arg in self.args]
        if self.op == "round":
            return round_half_even(values[0])
        return ARITHMETIC[self.op](*values)

    def facts(self) -> set[str]:
        if self.op == "fact":
            return {self.args[0]}
        if self.op == "literal":
            return set()
        return set().union(*(arg.facts() for arg in self.args))


@dataclass(frozen=True)
class Assertion:
    """`then` entry: assert `fact` (under `key`, for a sum) with the value of `value`."""

    fact: str
    value: Expr
    key: str | None = None

    @property
    def constant(self) -> Any:
        """The value asserted when it is written out in the rule, or None when it is computed
        from the matched facts."""
        return self.value.args[0] if self.value.op == "literal" else None


@dataclass(frozen=True)
class Rule:
    """A validated rule: its id, condition, assertions, `meta` and where it was written."""

    id: str
    when: Condition
    then: tuple[Assertion, ...]
    priority: float = 0
    meta: Mapping[str, Any] = field(default_factory=dict)
    file: str = ""
    line: int | None = None
    alternatives: tuple[tuple[Literal, ...], ...] = ()  # the condition in DNF
    stratum: int = 0  # rules negating derived facts run after those facts are settled

    @property
    def facts_tested(self) -> frozenset[str]:
        """Every fact the rule's condition tests (inputs and derived facts alike)."""
        return frozenset(atom.fact for atom in atoms(self.when))
