"""The record engine: working memory, agenda, rule firing and truth maintenance for one session.

Matching is recomputed per rule, only for rules reading a record type that changed since their
last match (TREAT-style: no partial matches are stored). A record inserted with `logical: true`
stays while at least one activation that inserted it still matches; when the last one stops
matching (a record it matched was retracted or modified, a negated record appeared, an aggregate
moved), the record is retracted and that change propagates in turn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .agenda import Activation, MatchKey, make_activation
from .best_first import best_activation, still_allowed
from .errors import ForwardRulesError, RuleActionError, RuleConditionError
from .matcher import join
from .memory import WorkingMemory
from .patterns import Absent, Aggregate, Exists, types_read
from .record_rules import Insert, Modify, RecordRule, Retract
from .records import Record
from .vocabulary import RecordType

DEFAULT_MAX_FIRINGS = 1_000_000


@dataclass(frozen=True)
class RecordFiring:
    """One firing of a record rule: the records it matched and what it did."""

    rule: str
    matched: Mapping[str, Record]
    values: Mapping[str, Any]
    effects: tuple[tuple[str, Record], ...]  # ("insert" | "modify" | "retract", record)
    meta: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "matched": {a: r.to_json() for a, r in self.matched.items() if not a.startswith("#")},
            "effects": [{kind: r.to_json()} for kind, r in self.effects],
            "meta": dict(self.meta),
        }


class RecordEngine:
    def __init__(
        self,
        types: Mapping[str, RecordType],
        rules: tuple[RecordRule, ...],
        max_firings: int = DEFAULT_MAX_FIRINGS,
        best_first: bool = True,
    ) -> None:
        self.types = types
        self.rules = rules
        self.max_firings = max_firings
        self.memory = WorkingMemory()
        self.firings: list[RecordFiring] = []
        # (record id, stamp) → the firing that produced that version; inputs have none.
        self.origin: dict[tuple[int, int], RecordFiring] = {}
        self._readers: dict[str, list[RecordRule]] = {}
        for rule in rules:
            for type_name in rule.reads:
                self._readers.setdefault(type_name, []).append(rule)
        self._matches: dict[int, dict[MatchKey, Activation]] = {r.order: {} for r in rules}
        self._queue: dict[int, list[Activation]] = {r.order: [] for r in rules}
        self._dirty: set[int] = {rule.order for rule in rules}
        # Refraction: matches already fired, forgotten once they stop matching (as CLIPS does).
        self._fired: dict[int, set[MatchKey]] = {r.order: set() for r in rules}
        self._support: dict[int, set[MatchKey]] = {}  # logical record id → its supports
        self._supports: dict[MatchKey, set[int]] = {}  # activation → the records it supports
        self._unconditional: set[int] = set()  # records that stay whatever supported them
        # Rules whose full match set is never needed (no logical inserts to support, no
        # aggregates) only look for their best activation; when a record their `not`/`exists`
        # reads goes, a vanished match could come back, so they are matched in full once.
        self._lazy: set[int] = set()
        self._guards: dict[str, set[int]] = {}  # type → lazy rules reading it under not/exists
        for rule in rules if best_first else ():
            logical = any(isinstance(a, Insert) and a.logical for a in rule.actions)
            if logical or any(isinstance(e, Aggregate) for e in rule.elements):
                continue
            self._lazy.add(rule.order)
            for element in rule.elements:
                if isinstance(element, Absent | Exists):
                    for type_name in types_read(element.elements):
                        self._guards.setdefault(type_name, set()).add(rule.order)
        self._reconcile: set[int] = set(self._lazy)
        # For lazy rules, refraction is kept exact by hand: a fired match dies with any record
        # it matched (modify or retract), and one a new negated record blocks is forgotten, so
        # it fires again if it comes back (as full matching would).
        self._live: dict[int, set[tuple[int, MatchKey]]] = {}  # record id → lazy fired matches
        self._fired_bindings: dict[int, dict[MatchKey, Mapping[str, Any]]] = {
            order: {} for order in self._lazy
        }

    # Changes, from the API or from actions.

    def insert(
        self, type_name: str, fields: Mapping[str, Any], support: MatchKey | None = None
    ) -> Record:
        existing = self.memory.find(type_name, fields)
        record = existing or self.memory.insert(type_name, fields)
        if support is None:
            self._unconditional.add(record.id)
        elif record.id not in self._unconditional or existing is None:
            self._support.setdefault(record.id, set()).add(support)
            self._supports.setdefault(support, set()).add(record.id)
        if existing is None:
            self._touch(type_name)
            self._forget_blocked(record)
        return record

    def modify(self, record_id: int, fields: Mapping[str, Any]) -> Record:
        """A new version of a record. As in CLIPS 6.4, a modify that changes nothing is ignored
        (no new version, nothing re-fires); one that makes the record equal to another record
        retracts it and leaves the other (same fields, same record)."""
        current = self.memory.records[record_id]
        changed = {**current.fields, **fields}
        if Record(0, current.type, changed).key() == current.key():
            return current
        duplicate = self.memory.find(current.type, changed)
        if duplicate is not None:
            self.retract(record_id)
            return duplicate
        record = self.memory.modify(record_id, fields)
        self._forget_dead(record_id)
        self._touch(record.type, removed=True)
        self._forget_blocked(record)
        return record

    def retract(self, record_id: int) -> Record | None:
        record = self.memory.retract(record_id)
        if record is not None:
            self._forget_dead(record_id)
            self._unconditional.discard(record_id)
            for key in self._support.pop(record_id, set()):
                self._supports.get(key, set()).discard(record_id)
            self._touch(record.type, removed=True)
        return record

    def _forget_dead(self, record_id: int) -> None:
        for order, key in self._live.pop(record_id, ()):
            self._fired[order].discard(key)
            self._fired_bindings[order].pop(key, None)

    def _forget_blocked(self, record: Record) -> None:
        """A new record under a lazy rule's `not` may block fired matches: forget those."""
        for order in self._guards.get(record.type, ()):
            rule = self.rules[order]
            bindings = self._fired_bindings[order]
            for key, binding in list(bindings.items()):
                try:
                    allowed = still_allowed(self.memory, rule, binding)
                except (ArithmeticError, TypeError, ValueError) as error:
                    raise RuleConditionError(rule.id, error) from None
                if not allowed:
                    self._fired[order].discard(key)
                    del bindings[key]

    def _touch(self, type_name: str, removed: bool = False) -> None:
        self._dirty.update(rule.order for rule in self._readers.get(type_name, ()))
        if removed:
            self._reconcile |= self._guards.get(type_name, set())

    # Running.

    def run(self) -> None:
        """Fire activations, best first, until none is left."""
        while True:
            self._settle()
            best = self._best()
            if best is None:
                return
            if len(self.firings) >= self.max_firings:
                raise ForwardRulesError(
                    f"stopped after {self.max_firings} rule firings (a rule loop?)"
                )
            self._fire(best)

    def _settle(self) -> None:
        """Recompute the matches of changed rules; retract logical records left unsupported."""
        while self._dirty:
            dirty, self._dirty = self._dirty, set()
            for order in dirty:
                rule = self.rules[order]
                try:
                    self._rematch(rule)
                except (ArithmeticError, TypeError, ValueError) as error:
                    raise RuleConditionError(rule.id, error) from None
            for key in [k for k in self._supports if k[0] in dirty]:
                if key not in self._matches[key[0]]:
                    self._withdraw(key)

    def _rematch(self, rule: RecordRule) -> None:
        if rule.order in self._lazy and rule.order not in self._reconcile:
            best = best_activation(self.memory, rule, self._fired[rule.order])
            self._queue[rule.order] = [best] if best is not None else []
            return
        self._reconcile.discard(rule.order)
        matches: dict[MatchKey, Activation] = {}

        def keep(binding: dict[str, Any]) -> bool:
            activation = make_activation(rule, binding)
            matches[activation.key] = activation
            return False

        # Unnamed positive patterns bind "#position": their record is part of the match too.
        join(self.memory, rule.elements, {}, keep)
        self._matches[rule.order] = matches
        fired = self._fired[rule.order]
        fired.intersection_update(matches)
        pending = [a for k, a in matches.items() if k not in fired]
        pending.sort(key=lambda a: a.order, reverse=True)  # best last: pop() takes it
        self._queue[rule.order] = pending

    def _withdraw(self, key: MatchKey) -> None:
        for record_id in self._supports.pop(key, set()):
            supports = self._support.get(record_id)
            if supports is None:
                continue
            supports.discard(key)
            if not supports and record_id not in self._unconditional:
                self.retract(record_id)

    def _best(self) -> Activation | None:
        best: Activation | None = None
        for order, queue in self._queue.items():
            fired = self._fired[order]
            while queue and queue[-1].key in fired:
                queue.pop()
            if queue and (best is None or queue[-1].order < best.order):
                best = queue[-1]
        return best

    def _fire(self, activation: Activation) -> None:
        rule, binding = activation.rule, activation.binding
        self._queue[rule.order].pop()
        self._fired[rule.order].add(activation.key)
        if rule.order in self._lazy:
            self._dirty.add(rule.order)  # only its best was known: find the next one
            self._fired_bindings[rule.order][activation.key] = binding
            for record_id, _stamp in activation.key[1]:
                self._live.setdefault(record_id, set()).add((rule.order, activation.key))
        effects: list[tuple[str, Record]] = []
        try:
            for action in rule.actions:
                if isinstance(action, Insert):
                    values = self._checked(action.type, action.fields, binding, {})
                    support = activation.key if action.logical else None
                    record = self.insert(action.type, values, support)
                    effects.append(("insert", record))
                elif isinstance(action, Modify):
                    target = binding[action.alias]
                    current = self.memory.records.get(target.id)
                    if current is None:
                        continue  # an earlier action of this rule retracted it
                    values = self._checked(current.type, action.fields, binding, current.fields)
                    changed = self.modify(current.id, values)
                    if changed.id != current.id:  # became a duplicate: only the other stays
                        effects.append(("retract", current))
                    elif changed.stamp != current.stamp:
                        effects.append(("modify", changed))
                elif isinstance(action, Retract):
                    gone = self.retract(binding[action.alias].id)
                    if gone is not None:
                        effects.append(("retract", gone))
        except ForwardRulesError as error:
            raise RuleActionError(rule.id, error) from None
        except (ArithmeticError, TypeError, ValueError) as error:
            raise RuleActionError(rule.id, error) from None
        matched = {a: r for a, r in binding.items() if isinstance(r, Record)}
        values = {a: v for a, v in binding.items() if not isinstance(v, Record)}
        firing = RecordFiring(rule.id, matched, values, tuple(effects), rule.meta)
        self.firings.append(firing)
        for kind, record in effects:
            if kind != "retract":
                self.origin[(record.id, record.stamp)] = firing

    def _checked(
        self,
        type_name: str,
        terms: Iterable[tuple[str, Any]],
        binding: Mapping[str, Any],
        base: Mapping[str, Any],
    ) -> dict[str, Any]:
        values = dict(base)
        for name, term in terms:
            values[name] = term.evaluate(binding)
        record_type = self.types[type_name]
        if problems := record_type.problems(values):
            raise ForwardRulesError(f"{type_name}: " + "; ".join(problems))
        return record_type.normalise(values)

    def records(self, type_name: str | None = None) -> list[Record]:
        if type_name is not None:
            return list(self.memory.of_type(type_name))
        return list(self.memory.records.values())
