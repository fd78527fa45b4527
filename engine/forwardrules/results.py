"""What a run produces: the rules that fired, the facts that satisfied them, the conclusions."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .explain import Explanation, explain_record, why_of
from .records import Record
from .vocabulary import Combine, Vocabulary

if TYPE_CHECKING:
    from .inference import RecordFiring


class Prefix(Sequence["RecordFiring"]):
    """The first `length` entries of an append-only log: a snapshot without a copy (a session's
    firings only ever grow, so what a result saw never changes)."""

    def __init__(self, log: list[RecordFiring], length: int) -> None:
        self._log, self._length = log, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: Any) -> Any:
        return self._log[: self._length][index] if isinstance(index, slice) else self._at(index)

    def _at(self, index: int) -> RecordFiring:
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("firing index out of range")
        return self._log[index]

    def __iter__(self) -> Iterator[RecordFiring]:
        return itertools.islice(self._log, self._length)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Asserted:
    fact: str
    value: Any
    key: str | None = None


@dataclass(frozen=True)
class Firing:
    """One rule that fired: which facts satisfied it, what it asserted, its meta."""

    rule: str
    matched: Mapping[str, Any]
    asserted: tuple[Asserted, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "matched": dict(self.matched),
            "asserted": [
                {"fact": a.fact, "value": a.value, **({"key": a.key} if a.key else {})}
                for a in self.asserted
            ],
            "meta": dict(self.meta),
        }


@dataclass(frozen=True)
class Result:
    """The conclusions of one run over a set of facts; every value can say why."""

    vocabulary: Vocabulary
    facts: Mapping[str, Any]
    firings: tuple[Firing, ...]
    memory: Sequence[Record] = ()  # every record in working memory after the run (stamp order)
    record_firings: Sequence[RecordFiring] = ()  # a tuple, or the engine's log up to this run
    origins: Mapping[tuple[int, int], RecordFiring] = field(default_factory=dict)

    @cached_property
    def asserted_values(self) -> dict[str, list[Any]]:
        """Derived fact → every value rules asserted for it, in firing order."""
        values: dict[str, list[Any]] = {}
        for firing in self.firings:
            for item in firing.asserted:
                values.setdefault(item.fact, []).append(item.value)
        return values

    def values_of(self, fact: str) -> list[Any]:
        """Every value a fact has now: an input's one value, or each value rules asserted."""
        if self.vocabulary.facts[fact].derived:
            return self.asserted_values.get(fact, [])
        return [self.facts[fact]] if fact in self.facts else []

    @cached_property
    def _by_fact(self) -> dict[str, list[tuple[Firing, Asserted]]]:
        found: dict[str, list[tuple[Firing, Asserted]]] = {}
        for firing in self.firings:
            for item in firing.asserted:
                found.setdefault(item.fact, []).append((firing, item))
        return found

    def _contributions(self, fact: str) -> list[tuple[Firing, Asserted]]:
        return self._by_fact.get(fact, [])

    def value(self, fact: str) -> Any:
        """A fact's value: input or single derived as is; max → highest; set → tuple; sum → dict."""
        spec = self.vocabulary.facts[fact]
        if not spec.derived:
            return self.facts.get(fact)
        values = [a.value for _, a in self._contributions(fact)]
        if spec.combine is Combine.MAX:
            return max(values, key=spec.rank) if values else spec.default
        if spec.combine is Combine.SET:
            order = list(spec.values)
            unique = set(values)
            return tuple(sorted(unique, key=lambda v: order.index(v) if v in order else len(order)))
        if spec.combine is Combine.SUM:
            return dict(self.ranking(fact))
        return values[0] if values else spec.default

    def ranking(self, fact: str) -> list[tuple[str, float]]:
        """For a sum fact: every key with its total, best first (ties in declaration order)."""
        spec = self.vocabulary.facts[fact]
        totals = dict.fromkeys(spec.keys, 0.0)
        for _, asserted in self._contributions(fact):
            if asserted.key is None:
                continue
            totals[asserted.key] = totals.get(asserted.key, 0.0) + float(asserted.value)
        order = list(spec.keys)
        return sorted(totals.items(), key=lambda item: (-item[1], order.index(item[0])))

    def because(self, fact: str, key: str | None = None) -> list[Firing]:
        """The firings behind a value: for max, those that asserted the winning value; for sum,
        those that scored `key`; otherwise every firing that asserted the fact."""
        spec = self.vocabulary.facts[fact]
        contributions = self._contributions(fact)
        if spec.combine is Combine.MAX:
            best = self.value(fact)
            contributions = [(f, a) for f, a in contributions if a.value == best]
        elif key is not None:
            contributions = [(f, a) for f, a in contributions if a.key == key]
        seen: dict[str, Firing] = {}
        for firing, _ in contributions:
            seen.setdefault(firing.rule, firing)
        return list(seen.values())

    def records(self, type_name: str | None = None) -> list[Record]:
        """Records after the run, of one type or all, in insertion order."""
        return [r for r in self.memory if type_name is None or r.type == type_name]

    def derived_records(self) -> list[Record]:
        """Records of derived types, and any record a rule inserted or last modified."""
        types = self.vocabulary.records
        return [r for r in self.memory if types[r.type].derived or (r.id, r.stamp) in self.origins]

    def explain(self, subject: str | Record, key: str | None = None) -> Explanation:
        """Why a fact has its value, or why a record is there: a tree down to the inputs."""
        if isinstance(subject, Record):
            return explain_record(subject, self.origins)
        return explain_fact(self, subject, key)

    def conclusions(self) -> dict[str, Any]:
        return {
            name: self.value(name)
            for name, spec in self.vocabulary.facts.items()
            if spec.conclusion
        }

    def derived_json(self) -> list[dict[str, Any]]:
        """Every derived record, each with its type; a derived fact's values count as records
        `{"type": FACT, "value": V}` (plus `"key"` for a sum)."""
        found = [r.to_json() for r in self.derived_records()]
        for firing in self.firings:
            for item in firing.asserted:
                entry = {"type": item.fact, "value": item.value}
                if item.key is not None:
                    entry["key"] = item.key
                if entry not in found:
                    found.append(entry)
        return found

    def to_json(self) -> dict[str, Any]:
        types = self.vocabulary.records
        return {
            "input": dict(self.facts),
            "input_records": [r.to_json() for r in self.memory if not types[r.type].derived],
            "facts": self.derived_json(),
            "conclusions": self.conclusions(),
            "firings": [firing.to_json() for firing in self.firings],
            "record_firings": [firing.to_json() for firing in self.record_firings],
        }


def explain_fact(result: Result, fact: str, key: str | None = None) -> Explanation:
    """A scalar fact: every firing behind its value, each down to the input facts it matched."""
    value = result.value(fact)
    shown = f"{fact}[{key}]" if key else fact
    subject = f"{shown} = {value[key] if key and isinstance(value, dict) else value}"
    if not result.vocabulary.facts[fact].derived:
        return Explanation(subject)
    branches = []
    for firing in result.because(fact, key):
        matched = tuple(
            explain_fact(result, name, None)
            if result.vocabulary.facts[name].derived
            else Explanation(f"{name} = {matched_value}")
            for name, matched_value in firing.matched.items()
        )
        branches.append(Explanation(subject, firing.rule, why_of(firing.meta), matched))
    if len(branches) == 1:
        return branches[0]
    return Explanation(subject, "+".join(b.rule or "" for b in branches), None, tuple(branches))
