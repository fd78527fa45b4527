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
    if type(condition) is All:  # tests and negated tests only (most rules): one conjunction
        literals = []
        for part in condition.parts:
            positive = type(part) is not Not
            atom = part if positive else part.part  # type: ignore[union-attr]
            if type(atom) is not Atom:
                break
            if atom.op == "absent":
                literals.append(Literal(Atom(atom.fact, "present"), not positive))
            else:
                literals.append(Literal(atom, positive))
        else:
            return [tuple(literals)]
    return _dnf_walk(condition, True, limit)


def _dnf_walk(node: Condition, positive: bool, limit: int) -> list[tuple[Literal, ...]]:
    # module-level, not a closure calling itself: that is a reference cycle per call, garbage
    # only the cyclic collector frees (10,000 of them loading 10,000 rules)
    if isinstance(node, Atom):
        if node.op == "absent":
            return [(Literal(Atom(node.fact, "present"), not positive),)]
        return [(Literal(node, positive),)]
    if isinstance(node, Not):
        return _dnf_walk(node.part, not positive, limit)
    conjunctive = isinstance(node, All) == positive
    branches = [_dnf_walk(part, positive, limit) for part in node.parts]
    if not conjunctive:
        return [conj for branch in branches for conj in branch]
    result: list[tuple[Literal, ...]] = [()]
    for branch in branches:
        result = [left + right for left in result for right in branch]
        if len(result) > limit:
            raise ValueError(f"the condition expands to more than {limit} alternatives")
    return result


def atoms(condition: Condition) -> Iterable[Atom]:
    """Every atom, left to right (one generator, not one per level of nesting)."""
    stack: list[Condition] = [condition]
    while stack:
        node = stack.pop()
        if isinstance(node, Atom):
            yield node
        elif isinstance(node, Not):
            stack.append(node.part)
        else:
            stack.extend(reversed(node.parts))


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


# The truths known so far, by atom slot (None: not yet judged), and how to judge an atom: a
# judge fills the memo as it goes, so equal atoms are judged once across rules.
Memo = list["Truth | None"]
AtomTruth = Callable[[Atom], Truth]
Judge = Callable[[Memo, AtomTruth], Truth]
Alternatives = tuple[tuple[Literal, ...], ...]  # a condition's compiled form: its DNF


def compile_alternatives(alternatives: Alternatives, slot: Callable[[Atom], int]) -> Judge:
    """The one evaluator of a compiled condition (the DNF alternatives durable-rules runs, one
    durable rule each): Kleene three-valued truth given each atom's truth, the best alternative
    wins, the worst literal decides an alternative. Slots are resolved once, so equal atoms
    share a memo slot across rules."""
    compiled = tuple(
        tuple((slot(lit.atom), lit.atom, lit.positive) for lit in alternative)
        for alternative in alternatives
    )
    false, unknown, true = Truth.FALSE, Truth.UNKNOWN, Truth.TRUE

    def judge(memo: Memo, truth: AtomTruth) -> Truth:
        best = false
        for alternative in compiled:
            lowest = true
            for index, atom, positive in alternative:
                value = memo[index]
                if value is None:
                    value = memo[index] = truth(atom)
                if not positive and value is not unknown:
                    value = false if value is true else true
                if value is false:
                    lowest = false
                    break
                if value is unknown:
                    lowest = unknown
            if lowest is true:
                return true
            if lowest is unknown:
                best = unknown
        return best

    return judge


def compile_holds(alternatives: Alternatives) -> Callable[[Callable[[Atom], bool]], bool]:
    """Two-valued truth of a compiled condition (every atom's truth known), compiled once."""
    slots: dict[Atom, int] = {}
    judge = compile_alternatives(alternatives, lambda atom: slots.setdefault(atom, len(slots)))
    size = len(slots)

    def check(atom_truth: Callable[[Atom], bool]) -> bool:
        truth = judge([None] * size, lambda atom: Truth.TRUE if atom_truth(atom) else Truth.FALSE)
        return truth is Truth.TRUE

    return check


def holds(alternatives: Alternatives, atom_truth: Callable[[Atom], bool]) -> bool:
    """Two-valued truth of a compiled condition (every atom's truth known)."""
    return compile_holds(alternatives)(atom_truth)


_INVERSE = {Truth.FALSE: Truth.TRUE, Truth.UNKNOWN: Truth.UNKNOWN, Truth.TRUE: Truth.FALSE}


COMPLEMENT = {"eq": "ne", "ne": "eq", "in": "not_in", "not_in": "in"}
COMPLEMENT.update({"lt": "ge", "ge": "lt", "le": "gt", "gt": "le"})


def complement(atom: Atom) -> Atom:
    """The test a present value passes when it fails `atom` (not `present`: it has none)."""
    return Atom(atom.fact, COMPLEMENT[atom.op], atom.value)


def contradictory(conjunction: tuple[Literal, ...], specs: Mapping[str, FactSpec]) -> bool:
    """True when a conjunction cannot hold: a fact tested present and absent, or the tests on a
    present single-valued fact (a negated test there is its complement) exclude every value."""
    if len({lit.atom.fact for lit in conjunction}) == len(conjunction) and all(
        specs[lit.atom.fact].type not in (FactType.ENUM, FactType.BOOLEAN) for lit in conjunction
    ):
        return False  # one test per fact, none on a finite domain: no test excludes every value
    matched = {lit.atom.fact for lit in conjunction if lit.positive}
    by_fact: dict[str, list[Atom]] = {}
    for literal in conjunction:
        fact = literal.atom.fact
        if not literal.positive and fact in matched and literal.atom.op == "present":
            return True
        if fact not in matched or specs[fact].multi_valued:
            continue
        if literal.positive:
            by_fact.setdefault(fact, []).append(literal.atom)
        else:
            by_fact.setdefault(fact, []).append(complement(literal.atom))
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
