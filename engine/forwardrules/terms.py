"""Terms in record rules: literals, fields of bound records (`{var: a.card}`), arithmetic."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .records import Record

Binding = Mapping[str, Any]  # alias → Record, or aggregate name → value


def clips_mod(left: Any, right: Any) -> Any:
    """The remainder with the dividend's sign, as CLIPS's `mod` (C's): mod(-7, 2) = -1."""
    if isinstance(left, int) and isinstance(right, int):
        return left - right * int_div(left, right)
    return math.fmod(left, right)


def int_div(left: Any, right: Any) -> int:
    """Whole-number division toward zero, as CLIPS's `div`: idiv(-7, 2) = -3."""
    if isinstance(left, int) and isinstance(right, int):
        quotient = abs(left) // abs(right)
        return quotient if (left < 0) == (right < 0) else -quotient
    if right == 0:
        raise ZeroDivisionError("integer division by zero")
    return int(left / right)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "div": operator.truediv,
    "idiv": int_div,
    "mod": clips_mod,
    "min": min,
    "max": max,
}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _length(value: Any) -> int:
    if not isinstance(value, str | tuple):
        raise TypeError(f"length of {value!r}, which is neither text nor a list")
    return len(value)


def _upper(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"upper of {value!r}, which is not text")
    return value.upper()


def _lower(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"lower of {value!r}, which is not text")
    return value.lower()


# Text functions: `concat` takes a list of any length (values joined as text).
TEXT_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "concat": lambda *values: "".join(_text(v) for v in values),
    "upper": _upper,
    "lower": _lower,
    "length": _length,
}


def round_half_even(value: Any) -> int:
    """Round to the nearest whole number, a half to the even neighbour (2.5 -> 2, 3.5 -> 4):
    Python's and IEEE 754's default, documented in the README. CLIPS's `round` takes halves away
    from zero (2.5 -> 3); rules ported from CLIPS that depend on it add 0.5 and `floor` instead."""
    rounded: int = round(value)
    return rounded


UNARY: dict[str, Callable[[Any], Any]] = {
    "abs": abs,
    "round": round_half_even,
    "neg": operator.neg,
    "floor": math.floor,
    "ceil": math.ceil,
}


@dataclass(frozen=True)
class Term:
    """`op` is "literal", "var" (args: name, field or None) or a key of FUNCTIONS / UNARY."""

    op: str
    args: tuple[Any, ...]

    @cached_property
    def fn(self) -> Callable[[Binding], Any]:
        """The term compiled once into a closure: joins evaluate terms per candidate record,
        and a closure costs one call where interpreting `op` costs a chain of tests."""
        return _compiled(self)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without its closure (rebuilt on first use)."""
        return {k: v for k, v in self.__dict__.items() if k != "fn"}

    def evaluate(self, binding: Binding) -> Any:
        return self.fn(binding)

    def text(self) -> str:
        """The term as written, roughly: `a.card`, `add(a.minute, 60)`."""
        if self.op == "literal":
            return str(self.args[0])
        if self.op == "var":
            name, field = self.args
            return f"{name}.{field}" if field else str(name)
        if self.op == "call":
            return f"{self.args[0].name}({', '.join(arg.text() for arg in self.args[1:])})"
        return f"{self.op}({', '.join(arg.text() for arg in self.args)})"

    def variables(self) -> set[str]:
        """The aliases and aggregate names this term reads."""
        if self.op == "var":
            return {self.args[0]}
        if self.op == "literal":
            return set()
        found: set[str] = set()
        for arg in self.args:
            if isinstance(arg, Term):
                found |= arg.variables()
        return found

    @property
    def constant(self) -> bool:
        return not self.variables()


def _compiled(term: Term) -> Callable[[Binding], Any]:
    op, args = term.op, term.args
    if op == "literal":
        value = args[0]
        return lambda binding: value
    if op == "var":
        name, field = args

        def var(binding: Binding) -> Any:
            bound = binding[name]
            return bound.fields[field] if type(bound) is Record else bound

        return var
    parts = [arg.fn for arg in args if isinstance(arg, Term)]
    if op == "call":  # a host function: args[0] is the function, the rest its terms
        function = args[0]
        return lambda binding: function(*[part(binding) for part in parts])
    if op in UNARY:
        unary, only = UNARY[op], parts[0]
        return lambda binding: unary(only(binding))
    if op in TEXT_FUNCTIONS:
        text = TEXT_FUNCTIONS[op]
        return lambda binding: text(*[part(binding) for part in parts])
    function = FUNCTIONS[op]
    if len(parts) == 2:
        left, right = parts
        return lambda binding: function(left(binding), right(binding))
    return lambda binding: function(*[part(binding) for part in parts])


def literal(value: Any) -> Term:
    return Term("literal", (value,))


def same(left: Any, right: Any) -> bool:
    """Equality that keeps true apart from 1 (YAML and JSON both have booleans); the one test of
    equality for both rule languages (named facts and records)."""
    return bool(left == right) and isinstance(left, bool) == isinstance(right, bool)


def _ne(left: Any, right: Any) -> bool:
    return not same(left, right)


def _in(left: Any, right: Any) -> bool:
    return any(same(left, item) for item in right)


def _not_in(left: Any, right: Any) -> bool:
    return not any(same(left, item) for item in right)


def _contains(left: Any, right: Any) -> bool:
    """A list field holds the value, or a text field the text."""
    if isinstance(left, tuple):
        return any(same(item, right) for item in left)
    return isinstance(left, str) and isinstance(right, str) and right in left


def _ordering(op: Callable[[Any, Any], Any]) -> Callable[[Any, Any], bool]:
    def ordered(left: Any, right: Any) -> bool:
        try:
            return bool(op(left, right))
        except TypeError:
            return False  # text against a number never holds

    return ordered


# One function per operator: a join looks its test's up once, not per record.
COMPARATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": same,
    "ne": _ne,
    "in": _in,
    "not_in": _not_in,
    "contains": _contains,
    "lt": _ordering(operator.lt),
    "le": _ordering(operator.le),
    "gt": _ordering(operator.gt),
    "ge": _ordering(operator.ge),
}


def compare(op: str, left: Any, right: Any) -> bool:
    return COMPARATORS[op](left, right)


TEST_OPS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "contains")
