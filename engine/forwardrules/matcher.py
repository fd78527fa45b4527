"""Joins: every way the elements of a rule can be satisfied by the records in working memory.

Elements are matched left to right; a pattern with an equality test on a value already known
(a literal, or a field of a record bound earlier) is looked up in a field index instead of
scanning its type. Negation, existence and aggregates run the same join on their inner elements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from .memory import WorkingMemory
from .patterns import Absent, Aggregate, Element, Exists, Pattern, Test
from .records import Record, _hashable
from .terms import compare

AGGREGATES: dict[str, Callable[[list[Any]], Any]] = {
    "count": len,
    "sum": sum,
    "min": min,
    "max": max,
}


def candidates(
    memory: WorkingMemory, pattern: Pattern, binding: dict[str, Any]
) -> Iterable[Record]:
    """Records of the pattern's type passing its equality tests, from one composite index."""
    fields = pattern.equalities[0]
    if not fields:
        return memory.of_type(pattern.type)
    values = tuple([fn(binding) for fn in pattern.lookup_fns])
    return memory.lookup(pattern.type, fields, values)


def passes(pattern: Pattern, record: Record, binding: dict[str, Any]) -> bool:
    """Every test of the pattern, equality included (for a record not found through an index)."""
    fields = record.fields
    for field, check, term in pattern.all_checks:  # noqa: SIM110 (a loop: no generator per record)
        if not check(fields[field], term(binding)):
            return False
    return True


_UNSET: Any = object()


def accepted(pattern: Pattern, records: Iterable[Record], binding: dict[str, Any]) -> list[Record]:
    """The records passing the tests the index lookup did not already settle. Each test's value
    is computed once for all the records (it reads only the binding), and only when a record
    gets that far (so a term that would fail is not evaluated when no record needs it)."""
    checks = pattern.checks
    if not checks:
        return list(records)
    if len(checks) == 1:
        ((field, check, term),) = checks
        value = _UNSET
        found: list[Record] = []
        for record in records:
            if value is _UNSET:
                value = term(binding)
            if check(record.fields[field], value):
                found.append(record)
        return found
    values = [_UNSET] * len(checks)
    found = []
    for record in records:
        fields = record.fields
        for index, (field, check, term) in enumerate(checks):
            value = values[index]
            if value is _UNSET:
                value = values[index] = term(binding)
            if not check(fields[field], value):
                break
        else:
            found.append(record)
    return found


def join(
    memory: WorkingMemory,
    elements: tuple[Element, ...],
    binding: dict[str, Any],
    emit: Callable[[dict[str, Any]], bool],
    start: int = 0,
    fixed: Mapping[int, Record] | None = None,
    memo: dict[Any, Any] | None = None,
) -> bool:
    """Call `emit` with every completion of `binding` by elements[start:] (the dict is reused:
    `emit` copies what it keeps). `emit` returns True to stop; so does join, then. `fixed` pins
    the record of a pattern position (an incremental match seeded by one changed record);
    `memo` keeps aggregate values for this join (memory does not change during it)."""
    if start == len(elements):
        return emit(binding)
    element = elements[start]
    kind = type(element)
    if kind is Pattern:
        pattern: Pattern = element  # type: ignore[assignment]
        alias = pattern.alias or f"#{start}"
        pinned = fixed.get(start) if fixed else None
        if pinned is not None:
            found: Iterable[Record] = [pinned] if passes(pattern, pinned, binding) else []
        else:
            found = accepted(pattern, candidates(memory, pattern, binding), binding)
        for record in found:
            binding[alias] = record
            if join(memory, elements, binding, emit, start + 1, fixed, memo):
                del binding[alias]
                return True
        binding.pop(alias, None)
        return False
    if kind is Test:
        test: Test = element  # type: ignore[assignment]
        if compare(test.op, test.left.evaluate(binding), test.right.evaluate(binding)):
            return join(memory, elements, binding, emit, start + 1, fixed, memo)
        return False
    if kind is Absent or kind is Exists:
        if holds(memory, element, binding) == (kind is Exists):  # type: ignore[arg-type]
            return join(memory, elements, binding, emit, start + 1, fixed, memo)
        return False
    total: Aggregate = element  # type: ignore[assignment]
    if memo is None:
        value = aggregate(memory, total, binding)
    else:
        # The value depends only on the terms its pattern reads: equal terms, equal value.
        key = (start, tuple(_hashable(t.term.evaluate(binding)) for t in total.pattern.tests))
        try:
            value = (
                memo[key]
                if key in memo
                else memo.setdefault(key, aggregate(memory, total, binding))
            )
        except TypeError:  # an unhashable term value
            value = aggregate(memory, total, binding)
    if value is None or not all(
        compare(op, value, term.evaluate(binding)) for op, term in total.tests
    ):
        return False
    if total.name:
        binding[total.name] = value
    stopped = join(memory, elements, binding, emit, start + 1, fixed, memo)
    if total.name:
        binding.pop(total.name, None)
    return stopped


def _stop(binding: dict[str, Any]) -> bool:
    return True


def satisfiable(
    memory: WorkingMemory, elements: tuple[Element, ...], binding: dict[str, Any]
) -> bool:
    """Whether some records complete these elements (stops at the first)."""
    return join(memory, elements, dict(binding), _stop)


def holds(memory: WorkingMemory, element: Absent | Exists, binding: dict[str, Any]) -> bool:
    """Whether some records complete the elements of a `not`/`exists`, without copying the
    binding when it can be shared: join removes every alias it binds, and named aliases are
    unique within a rule (an unnamed inner pattern's "#position" may be an outer name)."""
    pattern = element.lookup
    if pattern is not None:
        values = tuple([fn(binding) for fn in pattern.lookup_fns])
        return bool(memory.lookup(pattern.type, pattern.equalities[0], values))
    if element.anonymous:
        return join(memory, element.elements, dict(binding), _stop)
    return join(memory, element.elements, binding, _stop)


def matches(memory: WorkingMemory, elements: tuple[Element, ...]) -> Iterator[dict[str, Any]]:
    """Every match of the elements, each its own dict."""
    found: list[dict[str, Any]] = []

    def keep(binding: dict[str, Any]) -> bool:
        found.append(dict(binding))
        return False

    join(memory, elements, {}, keep)
    return iter(found)


def aggregate(memory: WorkingMemory, element: Aggregate, binding: dict[str, Any]) -> Any:
    """The aggregate's value, or None for min/max over no records (the condition fails)."""
    pattern = element.pattern
    records = accepted(pattern, candidates(memory, pattern, binding), binding)
    if element.function == "count":
        return len(records)
    values = [r.fields[element.field] for r in records if element.field is not None]
    if not values:
        return 0 if element.function == "sum" else None
    return AGGREGATES[element.function](values)
