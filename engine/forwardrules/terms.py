"""Terms in record rules: literals, fields of bound records (`{var: a.card}`), arithmetic."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .records import Record

Binding = Mapping[str, Any]  # alias → Record, or aggregate name → value

FUNCTIONS: dict[str, Callable[..., Any]] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "min": min,
    "max": max,
}


def round_half_away(value: Any) -> int:
    """Round to the nearest whole number, halves away from zero (2.5 -> 3, -2.5 -> -3), as
    CLIPS's `round` does; Python's round() would give 2 (banker's rounding)."""
    if isinstance(value, int):
        return value
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


UNARY: dict[str, Callable[[Any], Any]] = {
    "abs": abs,
    "round": round_half_away,
    "neg": operator.neg,
}


@dataclass(frozen=True)
class Term:
    """`op` is "literal", "var" (args: name, field or None) or a key of FUNCTIONS / UNARY."""

    op: str
    args: tuple[Any, ...]

    def evaluate(self, binding: Binding) -> Any:
        if self.op == "literal":
            return self.args[0]
        if self.op == "var":
            name, field = self.args
            bound = binding[name]
            return bound.fields[field] if isinstance(bound, Record) else bound
        values = [arg.evaluate(binding) for arg in self.args]
        if self.op in UNARY:
            return UNARY[self.op](values[0])
        return FUNCTIONS[self.op](*values)

    def variables(self) -> set[str]:
        """The aliases and aggregate names this term reads."""
        if self.op == "var":
            return {self.args[0]}
        if self.op == "literal":
            return set()
        found: set[str] = set()
        for arg in self.args:
            found |= arg.variables()
        return found

    @property
    def constant(self) -> bool:
        return not self.variables()


def literal(value: Any) -> Term:
    return Term("literal", (value,))


def same(left: Any, right: Any) -> bool:
    """Equality that keeps true apart from 1 (YAML and JSON both have booleans); the one test of
    equality for both rule languages (named facts and records)."""
    return bool(left == right) and isinstance(left, bool) == isinstance(right, bool)


def compare(op: str, left: Any, right: Any) -> bool:
    if op == "eq":
        return same(left, right)
    if op == "ne":
        return not same(left, right)
    if op == "in":
        return any(same(left, item) for item in right)
    if op == "not_in":
        return not any(same(left, item) for item in right)
    try:
        return bool(COMPARE[op](left, right))
    except TypeError:
        return False  # text against a number never holds


COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}
TEST_OPS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "not_in")
