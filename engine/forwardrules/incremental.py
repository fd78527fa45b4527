"""Incremental matching (TREAT with alpha memories and a kept conflict set).

Working memory's per-type field indexes are the alpha memories; each fully matched rule keeps
its conflict set (every current match, indexed by the records in it). A change to one record
does not match the rule again: it names the *regions* of the conflict set it can touch, the
matches in those regions are recomputed by a join seeded with the change, and only the
difference is applied (removed matches leave the agenda and withdraw their logical support;
new ones join it). A region is either
- "record X in pattern position p": X was inserted, modified or retracted, and p is a positive
  pattern of X's type. The join pins X at p; patterns before p that X's equality tests link to
  are looked up by the matching field value instead of scanned (a reverse equality).
- "field f of the record in position q equals v": X is read under a `not`, an `exists` or an
  aggregate whose pattern tests `field = q_alias.f`; only bindings where q's record has
  `f = X.field` can see X there, so those are recomputed, looked up through an index.
A change read under `not`/`exists`/an aggregate with no such equality links to every binding:
the rule is then matched again in full at the next settle (still correct, only slower).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .agenda import Activation, MatchKey, make_activation
from .matcher import AGGREGATES, join
from .memory import WorkingMemory
from .patterns import Absent, Aggregate, Element, Exists, FieldTest, Pattern, Test
from .record_rules import RecordRule
from .records import Record
from .terms import COMPARATORS, Term, compare, literal, same

# One inner read's equalities to outer records: (outer position q, field of q's record, field of
# the changed record) each. Together they bound the region: the bindings agreeing on all of them.
Link = tuple[tuple[int, str, str], ...]


@dataclass(frozen=True)
class Reading:
    """How a rule reads one record type: positive positions, and the links of inner reads
    (None: some inner read links to no outer field, so a change needs a full match)."""

    positions: tuple[int, ...]
    links: tuple[Link, ...] | None
    # Fields of this type an inner read may depend on (tested by an inner pattern of the type,
    # aggregated, or named by any `var` of the rule): a modify changing none of them leaves
    # every inner read as it was, so only the changed record's own positions are recomputed.
    inner_fields: frozenset[str] = frozenset()
    # Per link, the aggregate it comes from when that aggregate's outcome depends on nothing but
    # the linked value (unnamed, tested against literals, its other tests literal): a change
    # that leaves its test passing or failing as before leaves every match of the region as is.
    steady: tuple[Aggregate | None, ...] = ()


def _inner_patterns(elements: tuple[Element, ...]) -> list[Pattern]:
    found: list[Pattern] = []
    for element in elements:
        if isinstance(element, Pattern):
            found.append(element)
        elif isinstance(element, Aggregate):
            found.append(element.pattern)
        elif isinstance(element, Absent | Exists):
            found += _inner_patterns(element.elements)
    return found


def readings(rule: RecordRule) -> dict[str, Reading]:
    """Per record type the rule reads: where a change of that type can matter."""
    outer: dict[str, int] = {}  # top-level alias → its position
    ordinal: dict[int, int] = {}  # position → index among positive patterns (in match keys)
    positions: dict[str, list[int]] = {}
    links: dict[str, list[Link] | None] = {}
    steady: dict[str, list[Aggregate | None]] = {}
    read: dict[str, set[str]] = {}  # type → fields its inner reads test or aggregate
    for index, element in enumerate(rule.elements):
        if isinstance(element, Pattern):
            ordinal[index] = len(ordinal)
            positions.setdefault(element.type, []).append(index)
            outer[element.alias or f"#{index}"] = index
            continue
        inner = [element.pattern] if isinstance(element, Aggregate) else []
        if isinstance(element, Absent | Exists):
            inner = _inner_patterns(element.elements)
        if isinstance(element, Aggregate) and element.field is not None:
            read.setdefault(element.pattern.type, set()).add(element.field)
        for pattern in inner:
            read.setdefault(pattern.type, set()).update(t.field for t in pattern.tests)
            found: list[tuple[int, str, str]] = []
            for test in pattern.tests:
                term = test.term
                linked = test.op == "eq" and term.op == "var" and term.args[0] in outer
                if linked and term.args[1] is not None:
                    found.append((outer[term.args[0]], term.args[1], test.field))
            known = links.setdefault(pattern.type, [])
            if not found or known is None:
                links[pattern.type] = None
            else:
                known.append(tuple(found))
                aggregate = element if isinstance(element, Aggregate) else None
                if aggregate is not None and (
                    len(found) > 1 or not _steady(aggregate, found[0][2])
                ):
                    aggregate = None
                steady.setdefault(pattern.type, []).append(aggregate)
    named = _var_fields(rule.elements)
    result: dict[str, Reading] = {}
    for type_name in set(positions) | set(links):
        inner_links = links.get(type_name, [])
        result[type_name] = Reading(
            tuple(positions.get(type_name, ())),
            tuple(inner_links) if inner_links is not None else None,
            frozenset(read.get(type_name, set()) | named),
            tuple(steady.get(type_name, ())),
        )
    return result


def _steady(element: Aggregate, field: str) -> bool:
    """The aggregate's outcome depends only on the value of its one linked field (see Reading);
    sums only of whole numbers (their total does not depend on the order of addition)."""
    if element.name is not None or not all(term.constant for _, term in element.tests):
        return False
    linked = [t for t in element.pattern.tests if not t.term.constant]
    return len(linked) == 1 and linked[0].field == field and linked[0].op == "eq"


def _unmoved(
    memory: WorkingMemory,
    element: Aggregate,
    field: str,
    value: Any,
    old: Record | None,
    new: Record | None,
) -> bool:
    """Whether the steady aggregate's test, over the records whose `field` is `value`, passes or
    fails as it did before the change of one record (old → new)."""
    pattern = element.pattern
    checks = [
        (t.field, COMPARATORS[t.op], t.term.evaluate({})) for t in pattern.tests if t.term.constant
    ]
    changed = (new or old).id  # type: ignore[union-attr]

    def selected(record: Record) -> bool:
        fields = record.fields
        return same(fields[field], value) and all(c(fields[f], v) for f, c, v in checks)

    now = [r for r in memory.lookup(pattern.type, (field,), (value,)) if selected(r)]
    then = [r for r in now if r.id != changed]
    if old is not None and selected(old):
        then.append(old)
    passes = _passes(element, now)
    return passes is not None and passes == _passes(element, then)


def _passes(element: Aggregate, records: list[Record]) -> bool | None:
    """The aggregate's test over these records; None when its value is not known exactly."""
    if element.function == "count":
        value: Any = len(records)
    else:
        values = [r.fields[element.field] for r in records if element.field is not None]
        if element.function == "sum" and not all(type(v) is int for v in values):
            return None  # a float total depends on the order of addition
        value = AGGREGATES[element.function](values) if values else None
        if element.function == "sum" and not values:
            value = 0
    if value is None:
        return False
    return all(compare(op, value, term.evaluate({})) for op, term in element.tests)


def _var_fields(elements: tuple[Element, ...]) -> set[str]:
    """Every field name a `var` term of these elements reads, whatever its alias (a superset of
    the fields an inner record is read by from outside its own pattern's tests)."""
    terms: list[Term] = []
    fields: set[str] = set()
    for element in elements:
        if isinstance(element, Pattern):
            terms += [t.term for t in element.tests]
        elif isinstance(element, Aggregate):
            terms += [t.term for t in element.pattern.tests] + [term for _, term in element.tests]
        elif isinstance(element, Test):
            terms += [element.left, element.right]
        else:
            fields |= _var_fields(element.elements)
    while terms:
        term = terms.pop()
        if term.op == "var" and term.args[1] is not None:
            fields.add(term.args[1])
        elif term.op not in ("var", "literal"):
            terms += [arg for arg in term.args if isinstance(arg, Term)]
    return fields


def _with_test(pattern: Pattern, field: str, value: Any) -> Pattern:
    return Pattern(
        pattern.type, pattern.alias, (FieldTest(field, "eq", literal(value)), *pattern.tests)
    )


def _reverse_equalities(
    elements: tuple[Element, ...], position: int, record: Record
) -> tuple[Element, ...]:
    """Patterns before `position` that its equality tests read, narrowed by the pinned record's
    values: `b.card = a.card` with b pinned to X means a.card = X.card, an index lookup."""
    pinned: Pattern = elements[position]  # type: ignore[assignment]
    alias_at = {
        (e.alias or f"#{i}"): i for i, e in enumerate(elements[:position]) if isinstance(e, Pattern)
    }
    narrowed: list[Element] = list(elements)
    for test in pinned.tests:
        term = test.term
        if test.op == "eq" and term.op == "var" and term.args[1] is not None:
            where = alias_at.get(term.args[0])
            earlier = narrowed[where] if where is not None else None
            if isinstance(earlier, Pattern) and where is not None:
                narrowed[where] = _with_test(earlier, term.args[1], record.fields[test.field])
    return tuple(narrowed)


class ConflictSet:
    """One rule's current matches, indexed by record id, kept up to date change by change."""

    def __init__(self, rule: RecordRule) -> None:
        self.rule = rule
        self.matches: dict[MatchKey, Activation] = {}
        self.by_record: dict[int, set[MatchKey]] = {}
        self.readings = readings(rule)
        self.ordinal = {
            index: n
            for n, index in enumerate(
                i for i, e in enumerate(rule.elements) if isinstance(e, Pattern)
            )
        }
        self.plans: dict[tuple[int, int], tuple[Element, ...]] = {}

    def full(self, memory: WorkingMemory) -> dict[MatchKey, Activation]:
        found: dict[MatchKey, Activation] = {}
        rule = self.rule

        def keep(binding: dict[str, Any]) -> bool:
            activation = make_activation(rule, binding)
            found[activation.key] = activation
            return False

        join(memory, rule.elements, {}, keep, memo={})
        return found

    def region(
        self, memory: WorkingMemory, old: Record | None, new: Record | None
    ) -> tuple[set[MatchKey], dict[MatchKey, Activation]] | None:
        """The matches a change of one record can touch, before and after it; None when the
        change links to every binding (match the rule in full)."""
        changed = new or old
        assert changed is not None
        reading = self.readings.get(changed.type)
        if reading is None:
            return set(), {}
        if reading.links is None:
            return None
        rule = self.rule
        before: set[MatchKey] = set()
        after: dict[MatchKey, Activation] = {}

        def keep(binding: dict[str, Any]) -> bool:
            activation = make_activation(rule, binding)
            after[activation.key] = activation
            return False

        memo: dict[Any, Any] = {}
        for position in reading.positions:
            slot = self.ordinal[position]
            if old is not None:
                before |= {k for k in self.by_record.get(old.id, ()) if k[1][slot][0] == old.id}
            if new is not None:
                plan = _reverse_equalities(rule.elements, position, new)
                join(memory, plan, {}, keep, fixed={position: new}, memo=memo)
        if (
            old is not None
            and new is not None
            and not any(
                type(value) is not type(new.fields[name]) or value != new.fields[name]
                for name, value in old.fields.items()
                if name in reading.inner_fields
            )
        ):
            return before, after  # no inner read sees a field that changed
        regions: set[tuple[Link, tuple[tuple[bool, Any], ...]]] = set()
        for link, steady in zip(reading.links, reading.steady, strict=True):
            for version in (old, new):
                if version is None:
                    continue
                if steady is not None:
                    field = link[0][2]
                    if _unmoved(memory, steady, field, version.fields[field], old, new):
                        continue
                regions.add((link, tuple(_key(version.fields[f]) for _, _, f in link)))
        for link, keys in regions:
            values = [value for _, value in keys]
            first, outer_field, _ = link[0]
            pattern: Pattern = rule.elements[first]  # type: ignore[assignment]
            slot = self.ordinal[first]
            checks = [
                (rule.elements[q].alias or f"#{q}", field, value)  # type: ignore[union-attr]
                for (q, field, _), value in zip(link, values, strict=True)
            ]
            for record in memory.lookup(pattern.type, (outer_field,), (values[0],)):
                for k in self.by_record.get(record.id, ()):
                    if k[1][slot][0] != record.id:
                        continue
                    binding = self.matches[k].binding
                    if all(same(binding[a].fields[f], v) for a, f, v in checks):
                        before.add(k)
            narrowed = list(rule.elements)
            for (q, field, _), value in zip(link, values, strict=True):
                narrowed[q] = _with_test(narrowed[q], field, value)  # type: ignore[arg-type]
            join(memory, tuple(narrowed), {}, keep, memo=memo)
        return before, after

    def add(self, activation: Activation) -> None:
        self.matches[activation.key] = activation
        for record_id, _stamp in activation.key[1]:
            self.by_record.setdefault(record_id, set()).add(activation.key)

    def remove(self, key: MatchKey) -> Activation | None:
        activation = self.matches.pop(key, None)
        if activation is not None:
            for record_id, _stamp in key[1]:
                keys = self.by_record.get(record_id)
                if keys is not None:
                    keys.discard(key)
                    if not keys:
                        del self.by_record[record_id]
        return activation


def _key(value: Any) -> tuple[bool, Any]:
    return (type(value) is bool, value)
