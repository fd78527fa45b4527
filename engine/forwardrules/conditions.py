"""Rule conditions: the parsed tree, its disjunctive normal form and three-valued evaluation."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from .terms import compare
from .vocabulary import FactSpec, FactType

COMPARISONS = ("eq", "ne", "in", "not_in", "lt", "le", "gt", "ge")
PRESENCE = ("present", "absent")
OPERATORS = COMPARISONS + PRESENCE


@dataclass(frozen=True)
class Atom:
    """A test on one fact: `{fact: NAME, OP: VALUE}`."""

    fact: str
    op: str
    value: Any = None

    def holds(self, spec: FactSpec, actual: Any) -> bool:
        """Whether a present value satisfies the test (presence tests are handled by callers)."""
        op, want = self.op, self.value
        if op == "present":
            return True
        if op == "absent":
            return False
        if op in ("eq", "ne", "in", "not_in"):
            return compare(op, actual, want)
        return compare(op, spec.rank(actual), spec.rank(want))  # by position in an ordered enum

    def allowed_values(self, spec: FactSpec) -> tuple[Any, ...] | None:
        """For enum and boolean facts, the values that satisfy the test."""
        if spec.type is FactType.ENUM:
            domain: tuple[Any, ...] = spec.values
        elif spec.type is FactType.BOOLEAN:
            domain = (True, False)
        else:
            return None
        return tuple(v for v in domain if self.holds(spec, v))


@dataclass(frozen=True)
class All:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    part: Condition


Condition = Atom | All | AnyOf | Not


@dataclass(frozen=True)
class Literal:
    atom: Atom
    positive: bool


def dnf(condition: Condition, limit: int = 256) -> list[tuple[Literal, ...]]:
    """Disjunctive normal form: a list of conjunctions of (possibly negated) atoms."""

    def walk(node: Condition, positive: bool) -> list[tuple[Literal, ...]]:
        if isinstance(node, Atom):
            if node.op == "absent":
                return [(Literal(Atom(node.fact, "present"), not positive),)]
            return [(Literal(node, positive),)]
        if isinstance(node, Not):
            return walk(node.part, not positive)
        conjunctive = isinstance(node, All) == positive
        branches = [walk(part, positive) for part in node.parts]
        if not conjunctive:
            return [conj for branch in branches for conj in branch]
        result: list[tuple[Literal, ...]] = [()]
        for branch in branches:
            result = [left + right for left in result for right in branch]
            if len(result) > limit:
                raise ValueError(f"the condition expands to more than {limit} alternatives")
        return result

    return walk(condition, True)


def atoms(condition: Condition) -> Iterable[Atom]:
    if isinstance(condition, Atom):
        yield condition
    elif isinstance(condition, Not):
        yield from atoms(condition.part)
    else:
        for part in condition.parts:
            yield from atoms(part)


def negated_facts(condition: Condition, positive: bool = True) -> set[str]:
    """Facts whose absence (or failing test) can make the condition true."""
    if isinstance(condition, Atom):
        negative = (condition.op == "absent") == positive
        return {condition.fact} if negative else set()
    if isinstance(condition, Not):
        return negated_facts(condition.part, not positive)
    found: set[str] = set()
    for part in condition.parts:
        found |= negated_facts(part, positive)
    return found


class Truth(IntEnum):
    FALSE = 0
    UNKNOWN = 1
    TRUE = 2

    def __invert__(self) -> Truth:
        return _INVERSE[self]


def evaluate(condition: Condition, atom_truth: Callable[[Atom], Truth]) -> Truth:
    """Kleene three-valued evaluation, given the truth of each atom (stops at the first FALSE
    of an `all` and the first TRUE of an `any`)."""
    kind = type(condition)
    if kind is Atom:
        return atom_truth(condition)  # type: ignore[arg-type]
    if kind is Not:
        return _INVERSE[evaluate(condition.part, atom_truth)]  # type: ignore[union-attr]
    parts = condition.parts  # type: ignore[union-attr]
    if kind is All:
        lowest = Truth.TRUE
        for part in parts:
            value = evaluate(part, atom_truth)
            if value is Truth.FALSE:
                return value
            lowest = min(lowest, value)
        return lowest
    highest = Truth.FALSE
    for part in parts:
        value = evaluate(part, atom_truth)
        if value is Truth.TRUE:
            return value
        highest = max(highest, value)
    return highest


AtomTruth = Callable[[int, Atom], Truth]  # (the atom's slot, the atom) → its truth
Judge = Callable[[AtomTruth], Truth]


def compile_condition(condition: Condition, slot: Callable[[Atom], int]) -> Judge:
    """`evaluate` as nested closures, built once per rule: no type dispatch per call, and each
    atom's memo slot resolved in advance."""
    if isinstance(condition, Atom):
        atom, index = condition, slot(condition)

        def judge_atom(truth: AtomTruth) -> Truth:
            return truth(index, atom)

        return judge_atom
    if isinstance(condition, Not):
        inner = compile_condition(condition.part, slot)

        def judge_not(truth: AtomTruth) -> Truth:
            return _INVERSE[inner(truth)]

        return judge_not
    parts = tuple(compile_condition(part, slot) for part in condition.parts)
    false, true = Truth.FALSE, Truth.TRUE
    if isinstance(condition, All):

        def judge_all(truth: AtomTruth) -> Truth:
            lowest = true
            for part in parts:
                value = part(truth)
                if value is false:
                    return value
                if value < lowest:
                    lowest = value
            return lowest

        return judge_all

    def judge_any(truth: AtomTruth) -> Truth:
        highest = false
        for part in parts:
            value = part(truth)
            if value is true:
                return value
            if value > highest:
                highest = value
        return highest

    return judge_any


_INVERSE = {Truth.FALSE: Truth.TRUE, Truth.UNKNOWN: Truth.UNKNOWN, Truth.TRUE: Truth.FALSE}


def contradictory(conjunction: tuple[Literal, ...], specs: Mapping[str, FactSpec]) -> bool:
    """True when the positive atoms of a conjunction on one single-valued fact cannot all hold."""
    by_fact: dict[str, list[Atom]] = {}
    for literal in conjunction:
        if literal.positive and not specs[literal.atom.fact].multi_valued:
            by_fact.setdefault(literal.atom.fact, []).append(literal.atom)
    for fact, tests in by_fact.items():
        spec = specs[fact]
        allowed: set[Any] | None = None
        for test in tests:
            values = test.allowed_values(spec)
            if values is not None:
                allowed = set(values) if allowed is None else allowed & set(values)
        if allowed is not None and not allowed:
            return True
        if spec.type in (FactType.INTEGER, FactType.NUMBER) and _empty_range(tests):
            return True
    return False


def _empty_range(tests: list[Atom]) -> bool:
    low, high = -float("inf"), float("inf")
    low_open = high_open = False
    for test in tests:
        if test.op in ("gt", "ge") and (
            test.value > low or (test.value == low and test.op == "gt")
        ):
            low, low_open = test.value, test.op == "gt"
        if test.op in ("lt", "le") and (
            test.value < high or (test.value == high and test.op == "lt")
        ):
            high, high_open = test.value, test.op == "lt"
        if test.op == "eq":
            if test.value > low or (test.value == low and not low_open):
                low, low_open = test.value, False
            if test.value < high or (test.value == high and not high_open):
                high, high_open = test.value, False
    return low > high or (low == high and (low_open or high_open))
