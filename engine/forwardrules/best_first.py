"""The best activation of one rule without enumerating all its matches.

Most rules fire one match and change what the others see (Miss Manners enumerates thousands of
seatings a cycle to fire one). For a rule whose matches are only needed to pick the next firing
(no logical inserts, no aggregates), the engine searches depth first with each pattern's
candidates newest first, and prunes a branch once even the newest records still unbound could not
beat the best match found: the agenda's choice (recency, then identity) is the same as if every
match had been listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .agenda import Activation, MatchKey, make_activation
from .matcher import accepted, candidates, holds, satisfiable
from .memory import WorkingMemory
from .patterns import Absent, Element, Exists, Pattern, Test
from .record_rules import RecordRule
from .records import Record
from .terms import compare


def best_activation(
    memory: WorkingMemory, rule: RecordRule, fired: set[MatchKey], work: list[int] | None = None
) -> Activation | None:
    """The rule's best activation not yet fired, or None. `work[0]` grows by the number of
    search steps taken (the engine's measure of what a search costs)."""
    positions, elements, later = rule.search_plan
    best: list[Any] = [None, None]  # (recency key, activation)

    def bound(binding: dict[str, Any], index: int) -> list[int]:
        """The stamps of the records bound so far and the newest each later pattern could
        bind: no completion is more recent."""
        stamps = [v.stamp for v in binding.values() if type(v) is Record]
        stamps += [memory.newest(type_name) for type_name in later[index]]
        return stamps

    def complete(binding: dict[str, Any]) -> None:
        activation = make_activation(rule, binding)
        if activation.key in fired:
            return
        key = tuple(sorted((v.stamp for v in binding.values() if type(v) is Record), reverse=True))
        if (
            best[0] is None
            or key > best[0]
            or (key == best[0] and activation.order < best[1].order)
        ):
            best[0], best[1] = key, activation

    steps = [0]

    def search(binding: dict[str, Any], index: int) -> None:
        steps[0] += 1
        if index == len(elements):
            complete(binding)
            return
        element: Element = elements[index]
        kind = type(element)
        if kind is Pattern:
            pattern: Pattern = element  # type: ignore[assignment]
            alias = pattern.alias or f"#{positions[index]}"
            found = accepted(pattern, candidates(memory, pattern, binding), binding)
            # Working memory keeps each type and index bucket in stamp order (a record is
            # added again at the end when modified): newest first is the reverse.
            found.reverse()
            base: list[int] | None = None  # the bound's stamps but this pattern's
            for record in found:
                if best[0] is not None:
                    if base is None:
                        binding.pop(alias, None)  # the previous candidate's, if any
                        base = bound(binding, index + 1)
                    stamps = [*base, record.stamp]
                    stamps.sort(reverse=True)
                    if tuple(stamps) < best[0]:
                        break  # newest first: no later candidate can do better
                binding[alias] = record
                search(binding, index + 1)
            binding.pop(alias, None)
        elif kind is Test:
            test: Test = element  # type: ignore[assignment]
            if compare(test.op, test.left.evaluate(binding), test.right.evaluate(binding)):
                search(binding, index + 1)
        elif kind is Absent or kind is Exists:
            if holds(memory, element, binding) == (kind is Exists):  # type: ignore[arg-type]
                search(binding, index + 1)
        else:  # pragma: no cover - rules with aggregates are matched in full
            raise TypeError(f"best-first search does not handle {kind.__name__}")

    search({}, 0)
    if work is not None:
        work[0] += steps[0]
    result: Activation | None = best[1]
    return result


def still_allowed(memory: WorkingMemory, rule: RecordRule, binding: Mapping[str, Any]) -> bool:
    """Whether every `not` and `exists` of the rule still holds under a fired match's binding
    (a new record can falsify either: `exists` over a pattern with a `not` inside, say)."""
    for element in rule.elements:
        kind = type(element)
        if kind is Absent or kind is Exists:
            found = satisfiable(memory, element.elements, dict(binding))  # type: ignore[union-attr]
            if found != (kind is Exists):
                return False
    return True


def _stamp(record: Record) -> int:
    return record.stamp
