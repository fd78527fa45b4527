"""Joins: every way the elements of a rule can be satisfied by the records in working memory.

Elements are matched left to right; a pattern with an equality test on a value already known
(a literal, or a field of a record bound earlier) is looked up in a field index instead of
scanning its type. Negation, existence and aggregates run the same join on their inner elements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .memory import WorkingMemory
from .patterns import Absent, Aggregate, Element, Exists, Pattern, Test
from .records import Record
from .terms import compare

AGGREGATES: dict[str, Callable[[list[Any]], Any]] = {
    "count": len,
    "sum": sum,
    "min": min,
    "max": max,
}


def pattern_alias(pattern: Pattern, position: int) -> str:
    """Unnamed positive patterns still bind their record (it is part of the match)."""
    return pattern.alias or f"#{position}"


def candidates(
    memory: WorkingMemory, pattern: Pattern, binding: dict[str, Any]
) -> Iterable[Record]:
    """Records of the pattern's type passing its equality tests, from one composite index."""
    fields, _ = pattern.equalities
    if not fields:
        return memory.of_type(pattern.type)
    values = tuple(term.evaluate(binding) for term in pattern.lookup_terms)
    return memory.lookup(pattern.type, fields, values)


def accepts(pattern: Pattern, record: Record, binding: dict[str, Any]) -> bool:
    """The tests the index lookup did not already settle."""
    for test in pattern.equalities[1]:
        if not compare(test.op, record.fields[test.field], test.term.evaluate(binding)):
            return False
    return True


def join(
    memory: WorkingMemory,
    elements: tuple[Element, ...],
    binding: dict[str, Any],
    start: int = 0,
) -> Iterator[dict[str, Any]]:
    """Every completion of `binding` by elements[start:]; the binding dict is reused, so callers
    copy what they keep."""
    if start == len(elements):
        yield binding
        return
    element = elements[start]
    if isinstance(element, Pattern):
        alias = pattern_alias(element, start)
        for record in list(candidates(memory, element, binding)):
            if accepts(element, record, binding):
                binding[alias] = record
                yield from join(memory, elements, binding, start + 1)
        binding.pop(alias, None)
    elif isinstance(element, Test):
        if compare(element.op, element.left.evaluate(binding), element.right.evaluate(binding)):
            yield from join(memory, elements, binding, start + 1)
    elif isinstance(element, Absent | Exists):
        found = _satisfiable(memory, element.elements, binding)
        if found == isinstance(element, Exists):
            yield from join(memory, elements, binding, start + 1)
    else:
        value = aggregate(memory, element, binding)
        if value is not None and all(
            compare(op, value, term.evaluate(binding)) for op, term in element.tests
        ):
            if element.name:
                binding[element.name] = value
            yield from join(memory, elements, binding, start + 1)
            if element.name:
                binding.pop(element.name, None)


def _satisfiable(
    memory: WorkingMemory, elements: tuple[Element, ...], binding: dict[str, Any]
) -> bool:
    inner = dict(binding)
    return next(join(memory, elements, inner), None) is not None


def aggregate(memory: WorkingMemory, element: Aggregate, binding: dict[str, Any]) -> Any:
    """The aggregate's value, or None for min/max over no records (the condition fails)."""
    pattern = element.pattern
    records = [r for r in candidates(memory, pattern, binding) if accepts(pattern, r, binding)]
    if element.function == "count":
        return len(records)
    values = [r.fields[element.field] for r in records if element.field is not None]
    if not values:
        return 0 if element.function == "sum" else None
    return AGGREGATES[element.function](values)
