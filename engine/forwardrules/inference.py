"""The record engine: working memory, agenda, rule firing and truth maintenance for one session.

Rules matched in full keep their conflict set and follow each change incrementally (see
incremental.py); rules that only need their best activation search for it (best_first.py).
A record inserted with `logical: true` stays while at least one activation that inserted it
still matches; when the last one stops matching (a record it matched was retracted or modified,
a negated record appeared, an aggregate moved), the record is retracted and that change
propagates in turn.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .agenda import Activation, MatchKey, make_activation
from .best_first import best_activation, still_allowed
from .errors import ForwardRulesError, RuleActionError, RuleConditionError
from .incremental import ConflictSet
from .matcher import join
from .memory import WorkingMemory
from .patterns import (
    OP_WORDS,
    Absent,
    Aggregate,
    Element,
    Exists,
    Pattern,
    describe,
    shown,
    types_read,
)
from .record_rules import Insert, Modify, RecordRule, Retract
from .records import Record
from .vocabulary import RecordType

DEFAULT_MAX_FIRINGS = 1_000_000
# A lazy rule whose searches have taken LAZY_BUDGET steps, LAZY_SEARCH a search on average,
# switches to a kept conflict set (see RecordEngine._searched_in_vain). Either way it fires the
# same activations in the same order; only the cost differs. (Miss Manners' expensive rules
# average 3-26 steps a search; Sudoku's seeding 400, its singles 120; Zebra's one rule 17,000.)
LAZY_BUDGET = 5_000
LAZY_SEARCH = 30
# A lazy rule matched in full this often (a record under its `not` went, so a vanished match may
# be back) keeps its conflict set: incremental upkeep never costs more than a full match.
LAZY_RECONCILES = 10


@dataclass(frozen=True)
class RecordFiring:
    """One firing of a record rule: the records it matched and what it did."""

    rule: str
    matched: Mapping[str, Record]
    values: Mapping[str, Any]
    effects: tuple[tuple[str, Record], ...]  # ("insert" | "modify" | "retract", record)
    meta: Mapping[str, Any] = field(default_factory=dict)
    elements: tuple[Element, ...] = ()  # the rule's conditions, for explanations

    def conditions(self) -> list[tuple[str, str]]:
        """What held besides the matched records, in words: ("condition", "no card_holder
        where card = c1") for a `not`/`exists`, ("aggregate", "count of ... = 6") for an
        aggregate."""
        binding = {**self.matched, **self.values}
        found: list[tuple[str, str]] = []
        for element in self.elements:
            if isinstance(element, Absent | Exists):
                found.append(("condition", describe(element, binding)))
            elif isinstance(element, Aggregate):
                text = describe(element, binding)
                if element.name is not None and element.name in self.values:
                    text = f"{element.name} = {self.values[element.name]}, the {text}"
                else:  # unnamed: only its test is known
                    tests = " and ".join(
                        f"{OP_WORDS[op]} {shown(term, binding)}" for op, term in element.tests
                    )
                    text = f"{text} {tests}".rstrip()
                found.append(("aggregate", text))
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "matched": {a: r.to_json() for a, r in self.matched.items() if not a.startswith("#")},
            "effects": [{kind: r.to_json()} for kind, r in self.effects],
            "meta": dict(self.meta),
        }


def _gates(rule: RecordRule) -> list[tuple[str, tuple[str, ...], tuple[Any, ...]]]:
    gates = []
    for element in rule.elements:
        if isinstance(element, Pattern) and all(
            t.op == "eq" and t.term.op == "literal" for t in element.tests
        ):
            fields, _ = element.equalities
            values = tuple(term.evaluate({}) for term in element.lookup_terms)
            gates.append((element.type, fields, values))
    return gates


class RecordEngine:
    def __init__(
        self,
        types: Mapping[str, RecordType],
        rules: tuple[RecordRule, ...],
        max_firings: int = DEFAULT_MAX_FIRINGS,
        best_first: bool = True,
        incremental: bool = True,
    ) -> None:
        self.types = types
        self.rules = rules
        self.max_firings = max_firings
        self.incremental = incremental  # False: every change matches its readers in full
        self.memory = WorkingMemory()
        self.firings: list[RecordFiring] = []
        # (record id, stamp) → the firing that produced that version; inputs have none.
        self.origin: dict[tuple[int, int], RecordFiring] = {}
        self._readers: dict[str, list[RecordRule]] = {}
        for rule in rules:
            for type_name in rule.reads:
                self._readers.setdefault(type_name, []).append(rule)
        self._matches: dict[int, dict[MatchKey, Activation]] = {r.order: {} for r in rules}
        self._queue: dict[int, list[Activation]] = {r.order: [] for r in rules}  # best last
        # Rules matched in full: their conflict sets, and their activations not yet fired as a
        # heap (stale entries are skipped when they surface).
        self._sets: dict[int, ConflictSet] = {}
        self._heaps: dict[int, list[tuple[Any, int, MatchKey]]] = {}
        self._tick = itertools.count()
        self._withdrawals: list[MatchKey] = []
        self._searches: dict[int, int] = {}  # lazy rule → best-first searches so far
        self._search_steps: dict[int, list[int]] = {}  # lazy rule → search steps taken
        self._reconciles: dict[int, int] = {}  # lazy rule → full matches so far
        # Per rule, its positive patterns tested only against literals: while one of them has
        # no record, the rule has no match (a staged program's rules wait on one stage record).
        self._gates: dict[int, list[tuple[str, tuple[str, ...], tuple[Any, ...]]]] = {
            rule.order: _gates(rule) for rule in rules
        }
        self._fired_count: dict[int, int] = {r.order: 0 for r in rules}
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
        for rule in rules:
            if rule.order not in self._lazy:
                self._sets[rule.order] = ConflictSet(rule)
                self._heaps[rule.order] = []
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
            self._changed(None, record)
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
        self._changed(current, record)
        self._forget_blocked(record)
        return record

    def retract(self, record_id: int) -> Record | None:
        record = self.memory.retract(record_id)
        if record is not None:
            self._forget_dead(record_id)
            self._unconditional.discard(record_id)
            for key in self._support.pop(record_id, set()):
                self._supports.get(key, set()).discard(record_id)
            self._changed(record, None)
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

    def _changed(self, old: Record | None, new: Record | None) -> None:
        """One record changed: lazy rules look for their best again; rules matched in full
        update the regions of their conflict sets the change can touch."""
        changed = new or old
        assert changed is not None
        if old is not None:
            self._reconcile |= self._guards.get(changed.type, set())
        for rule in self._readers.get(changed.type, ()):
            order = rule.order
            if order in self._lazy or order in self._dirty or not self.incremental:
                self._dirty.add(order)
                continue
            try:
                region = self._sets[order].region(self.memory, old, new)
            except (ArithmeticError, TypeError, ValueError) as error:
                raise RuleConditionError(rule.id, error) from None
            if region is None:
                self._dirty.add(order)  # linked to every binding: matched in full at settle
            else:
                self._apply(order, *region)

    def _apply(
        self, order: int, before: Iterable[MatchKey], after: Mapping[MatchKey, Activation]
    ) -> None:
        """Replace the matches `before` by `after` in a conflict set: only the difference moves.
        A match that goes is forgotten by refraction (it fires again if it comes back) and
        withdraws the logical support it gave."""
        conflict = self._sets[order]
        fired = self._fired[order]
        for key in before:
            if key not in after and conflict.remove(key) is not None:
                fired.discard(key)
                if key in self._supports:
                    self._withdrawals.append(key)
        heap = self._heaps[order]
        for key, activation in after.items():
            if key not in conflict.matches:
                conflict.add(activation)
                if key not in fired:
                    heapq.heappush(heap, (activation.order, next(self._tick), key))

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
        """Match rules marked for it; retract logical records left unsupported, until quiet."""
        while self._dirty or self._withdrawals:
            dirty, self._dirty = self._dirty, set()
            for order in sorted(dirty):
                rule = self.rules[order]
                try:
                    self._rematch(rule)
                except (ArithmeticError, TypeError, ValueError) as error:
                    raise RuleConditionError(rule.id, error) from None
            withdrawals, self._withdrawals = self._withdrawals, []
            for key in withdrawals:
                if key not in self._sets[key[0]].matches:
                    self._withdraw(key)

    def _rematch(self, rule: RecordRule) -> None:
        order = rule.order
        if order in self._lazy and self._searched_in_vain(order):
            self._keep_conflict_set(rule)
        if order in self._sets:
            conflict = self._sets[order]
            self._apply(order, list(conflict.matches), conflict.full(self.memory))
            return
        closed = self._closed(order)
        if rule.order not in self._reconcile:
            self._searches[order] = self._searches.get(order, 0) + 1
            work = self._search_steps.setdefault(order, [0])
            if closed:  # counted as the one step a search would have taken to fail
                work[0] += 1
                self._queue[order] = []
                return
            best = best_activation(self.memory, rule, self._fired[rule.order], work)
            self._queue[rule.order] = [best] if best is not None else []
            return
        self._reconcile.discard(rule.order)
        self._reconciles[order] = self._reconciles.get(order, 0) + 1
        matches: dict[MatchKey, Activation] = {}

        def keep(binding: dict[str, Any]) -> bool:
            activation = make_activation(rule, binding)
            matches[activation.key] = activation
            return False

        # Unnamed positive patterns bind "#position": their record is part of the match too.
        if not closed:
            join(self.memory, rule.elements, {}, keep)
        self._matches[rule.order] = matches
        fired = self._fired[rule.order]
        fired.intersection_update(matches)
        pending = [a for k, a in matches.items() if k not in fired]
        pending.sort(key=lambda a: a.order, reverse=True)  # best last: pop() takes it
        self._queue[rule.order] = pending

    def _searched_in_vain(self, order: int) -> bool:
        """A lazy rule whose searches cost much (every change of the records it reads sends it
        searching again, over matches that already fired: Sudoku's `seed` and `single`) is
        better served by a kept conflict set; one whose searches are mostly cheap (Manners'
        `find_seating`, searched at every change but stopped at its first pattern) stays lazy."""
        searches = self._searches.get(order, 0)
        steps = self._search_steps.get(order, [0])[0]
        if self._reconciles.get(order, 0) >= LAZY_RECONCILES:
            return True
        return steps >= LAZY_BUDGET and steps >= LAZY_SEARCH * searches

    def _closed(self, order: int) -> bool:
        """Some positive pattern of the rule tested only against literals has no record."""
        lookup = self.memory.lookup
        return any(not lookup(t, f, v) for t, f, v in self._gates[order])

    def _keep_conflict_set(self, rule: RecordRule) -> None:
        """From best-first search to an incremental conflict set: matched in full once, keeping
        refraction for the matches that already fired."""
        order = rule.order
        self._lazy.discard(order)
        self._reconcile.discard(order)
        for guarded in self._guards.values():
            guarded.discard(order)
        self._fired_bindings[order].clear()
        conflict = self._sets[order] = ConflictSet(rule)
        self._heaps[order] = []
        self._queue[order] = []
        full = conflict.full(self.memory)
        self._fired[order].intersection_update(full)
        self._apply(order, (), full)

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
            heap = self._heaps.get(order)
            if heap is not None:
                matches = self._sets[order].matches
                while heap and (heap[0][2] not in matches or heap[0][2] in fired):
                    heapq.heappop(heap)
                if heap and (best is None or heap[0][0] < best.order):
                    best = matches[heap[0][2]]
                continue
            while queue and queue[-1].key in fired:
                queue.pop()
            if queue and (best is None or queue[-1].order < best.order):
                best = queue[-1]
        return best

    def _fire(self, activation: Activation) -> None:
        rule, binding = activation.rule, activation.binding
        self._fired_count[rule.order] += 1
        if rule.order in self._heaps:
            heapq.heappop(self._heaps[rule.order])
        else:
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
        firing = RecordFiring(rule.id, matched, values, tuple(effects), rule.meta, rule.elements)
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
