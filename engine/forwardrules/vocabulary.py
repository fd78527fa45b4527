"""The declared facts: names, types, allowed values and, for derived facts, how values combine."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

EXACT_FLOAT_INT = 2**53  # every whole float up to here is exactly an int
INT64 = 2**63 - 1  # durable-rules stores whole numbers as 64-bit integers (beyond: saturated)


def int64_problem(value: Any) -> str | None:
    """Why a named fact's value cannot go through durable-rules exactly, or None. Decimals of any
    size compare exactly (sent as doubles); whole numbers beyond 64 bits would be saturated."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > INT64:
        return (
            "is a whole number beyond ±9.2e18, which named facts cannot hold exactly"
            " (write it as a decimal, e.g. 1.0e+22)"
        )
    return None


class FactType(StrEnum):
    BOOLEAN = "boolean"
    INTEGER = "integer"
    NUMBER = "number"
    ENUM = "enum"
    TEXT = "text"
    LIST = "list"  # record fields only: a list of `of` values (CLIPS's multislot)


class Combine(StrEnum):
    SINGLE = "single"  # one value; two different values are a conflict
    MAX = "max"  # the highest value of an ordered enum (or number)
    SET = "set"  # every value asserted
    SUM = "sum"  # per key, the sum of every value asserted


@dataclass(frozen=True)
class FactSpec:
    """One declared fact: an input a caller may add, or a fact the rules derive."""

    name: str
    type: FactType
    derived: bool = False
    values: tuple[Any, ...] = ()
    ordered: bool = False
    minimum: float | None = None
    maximum: float | None = None
    combine: Combine = Combine.SINGLE
    keys: tuple[str, ...] = ()
    default: Any = None
    conclusion: bool = False
    outcome: bool = False
    settle_margin: float | None = None  # sum outcomes: a lead this large is settled
    settle_when: Any = None  # an outcome is settled while this condition holds
    description: str = ""
    of: FactType | None = None  # a list's item type (its `values`, `min`, `max` apply to items)

    def item_spec(self) -> FactSpec:
        """A list field's items as a spec of their own."""
        return FactSpec(
            self.name,
            self.of or FactType.TEXT,
            values=self.values,
            minimum=self.minimum,
            maximum=self.maximum,
        )

    @property
    def multi_valued(self) -> bool:
        """Several values may be asserted at once (each becomes its own fact)."""
        return self.combine in (Combine.MAX, Combine.SET, Combine.SUM)

    def problem(self, value: Any) -> str | None:
        """Why `value` is not a valid value of this fact, or None when it is."""
        if self.type is FactType.BOOLEAN:
            return None if isinstance(value, bool) else "must be true or false"
        if self.type in (FactType.INTEGER, FactType.NUMBER):
            if isinstance(value, bool) or not isinstance(value, int | float):
                return "must be a number"
            if isinstance(value, float) and not math.isfinite(value):
                return "must be a finite number"
            if self.type is FactType.INTEGER and not float(value).is_integer():
                return "must be a whole number"
            if self.minimum is not None and value < self.minimum:
                return f"must be at least {self.minimum:g}"
            if self.maximum is not None and value > self.maximum:
                return f"must be at most {self.maximum:g}"
            return None
        if self.type is FactType.ENUM:
            if value in self.values and not isinstance(value, bool):
                return None
            return "must be one of " + ", ".join(str(v) for v in self.values)
        if self.type is FactType.LIST:
            if not isinstance(value, list | tuple):
                return "must be a list"
            item = self.item_spec()
            for each in value:
                if problem := item.problem(each):
                    return f"item {each!r} {problem}"
            return None
        return None if isinstance(value, str) else "must be text"

    def accepts(self, value: Any) -> bool:
        """Whether `value` is a valid value of this fact (what `Session.add` accepts)."""
        return self.problem(value) is None

    def normalise(self, value: Any) -> Any:
        """The canonical form of a valid value (whole numbers as int)."""
        if self.type is FactType.INTEGER:
            return int(value)
        if self.type is FactType.LIST:
            item = self.item_spec()
            return tuple(item.normalise(each) for each in value)
        if (
            self.type is FactType.NUMBER
            and isinstance(value, float)
            and value.is_integer()
            and abs(value) <= EXACT_FLOAT_INT
        ):
            return int(value)  # 3.0 -> 3; a larger float stays a float (1e300 is no integer)
        return value

    def rank(self, value: Any) -> Any:
        """Sort key for comparisons: position for ordered enums, the value otherwise."""
        return self.values.index(value) if self.type is FactType.ENUM else value


@dataclass(frozen=True)
class RecordType:
    """A declared record type: its typed fields and whether only rules may insert it."""

    name: str
    fields: Mapping[str, FactSpec]
    derived: bool = False
    description: str = ""

    def problems(self, values: Mapping[str, Any]) -> list[str]:
        """Why `values` are not a valid record of this type (every problem), or []."""
        found = [f"unknown field {name!r}" for name in values if name not in self.fields]
        for name, spec in self.fields.items():
            if name not in values:
                found.append(f"missing field {name!r}")
            elif problem := spec.problem(values[name]):
                found.append(f"field {name!r}: {values[name]!r} {problem}")
        return found

    def normalise(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return {name: spec.normalise(values[name]) for name, spec in self.fields.items()}


class HostFunction:
    """A function the host program supplies, declared in the vocabulary (`functions: {NAME:
    {args: N, returns: TYPE}}`) so rules calling it are checked at load; its implementation is
    given to `load_rulebook(..., functions={NAME: callable})`."""

    def __init__(self, name: str, args: int, returns: FactType) -> None:
        self.name, self.args, self.returns = name, args, returns
        self.implementation: Callable[..., Any] | None = None

    def __call__(self, *values: Any) -> Any:
        # Raised as ValueError, so the engine reports it as an error of the calling rule.
        if self.implementation is None:
            raise ValueError(
                f"function {self.name!r} is declared but the host gave no implementation"
                " (load_rulebook(..., functions={...}))"
            )
        try:
            return self.implementation(*values)
        except Exception as error:
            raise ValueError(f"function {self.name!r} failed: {error}") from error

    def __getstate__(self) -> dict[str, Any]:
        return {"name": self.name, "args": self.args, "returns": self.returns}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, implementation=None)


@dataclass(frozen=True)
class Askable:
    """An input fact that may be asked; a screening question `covers` boolean facts."""

    fact: str
    priority: float
    covers: tuple[str, ...] = ()
    order: int = 0  # declaration order, the tie-breaker
    implied: tuple[
        tuple[str, bool], ...
    ] = ()  # what a "no" to the screen says of each covered fact

    def implied_by_no(self) -> dict[str, bool]:
        values = dict(self.implied)
        return {fact: values.get(fact, False) for fact in self.covers}


@dataclass
class Vocabulary:
    """Every declared fact by name, the askable ones, and the record types."""

    facts: dict[str, FactSpec] = field(default_factory=dict)
    askable: dict[str, Askable] = field(default_factory=dict)
    records: dict[str, RecordType] = field(default_factory=dict)
    functions: dict[str, HostFunction] = field(default_factory=dict)

    def spec(self, name: str) -> FactSpec | None:
        return self.facts.get(name)

    @property
    def inputs(self) -> dict[str, FactSpec]:
        """The facts a caller may add, in declaration order."""
        return {n: s for n, s in self.facts.items() if not s.derived}

    @property
    def derived(self) -> dict[str, FactSpec]:
        """The facts only rules assert, in declaration order."""
        return {n: s for n, s in self.facts.items() if s.derived}
