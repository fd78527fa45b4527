"""Rules to durable-rules ruleset definitions: plain data, no generated Python source.

Every fact of a session becomes one durable-rules fact `{"sid", "id", "n": name, "v": value}`.
Each alternative of a rule's condition (its DNF) becomes one durable rule whose first pattern is
the stratum marker `{"n": "$stratum", "v": k}`, then one pattern per fact tested positively (tests
on the same single-valued fact merged into one pattern) and one `$not` pattern per negated test.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from .conditions import Atom, Literal, complement
from .rules import Rule
from .vocabulary import FactSpec, FactType, Vocabulary

STRATUM_FACT = "$stratum"
NAME, VALUE = "n", "v"

ActionFactory = Callable[[Rule, dict[str, str]], Any]


def value_test(atom: Atom, spec: FactSpec) -> dict[str, Any] | None:
    """The durable-rules test on the value field; None when only presence is tested."""
    op, want = atom.op, atom.value
    if op == "present":
        return None
    if spec.type is FactType.ENUM and op in ("lt", "le", "gt", "ge"):
        op, want = "in", atom.allowed_values(spec)
    if op == "eq":
        return {VALUE: want}
    if op == "ne":
        return {"$neq": {VALUE: want}}
    if op in ("in", "not_in"):
        if op == "in" and len(want) == 1:
            return {VALUE: want[0]}
        tests = [{VALUE: v} if op == "in" else {"$neq": {VALUE: v}} for v in want]
        if not tests:  # in [] never holds; not_in [] always does
            return {"$neq": {NAME: atom.fact}} if op == "in" else None
        return {"$or" if op == "in" else "$and": tests}
    durable_op = {"lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}[op]
    return {durable_op: {VALUE: want}}


def fact_pattern(name: str, tests: list[dict[str, Any]]) -> dict[str, Any]:
    return {"$and": [{NAME: name}, *tests]} if tests else {NAME: name}


def _partitions(items: list[Atom]) -> list[list[list[Atom]]]:
    """Every way to split atoms into groups (each group: tests one value must pass together)."""
    if not items:
        return [[]]
    first, rest = items[0], items[1:]
    found: list[list[list[Atom]]] = []
    for partition in _partitions(rest):
        found.append([[first], *partition])
        for index in range(len(partition)):
            found.append([*partition[:index], [first, *partition[index]], *partition[index + 1 :]])
    return found


def alternative_patterns(
    alternative: tuple[Literal, ...], stratum: int, vocabulary: Vocabulary
) -> list[tuple[list[dict[str, Any]], dict[str, str]]]:
    """The durable-rules `all` lists for one conjunction (none when it cannot hold), each with
    which alias matched which fact.

    durable-rules binds a fact to at most one pattern of a rule, and a `$not` pattern never sees
    a fact bound by a positive one. So a negated test on a fact the conjunction also matches
    positively is folded into the positive pattern as its complement (a single value present
    and not in [a, b] is a value not in [a, b]); on a multi-valued fact it is both folded into
    every bound pattern and kept as `$not` for the values left unbound. Positive tests on one
    multi-valued fact may hold on one value or on several: each way of grouping them is one
    durable rule (a rule fires once per run, whichever matches first)."""
    positive: dict[str, list[Atom]] = {}
    negative: dict[str, list[Atom]] = {}
    for literal in alternative:
        target = positive if literal.positive else negative
        target.setdefault(literal.atom.fact, []).append(literal.atom)
    marker = {"s": {"$and": [{NAME: STRATUM_FACT}, {VALUE: stratum}]}}
    # Per fact: the groups of positive atoms one durable pattern each matches.
    choices: list[list[tuple[str, list[list[Atom]]]]] = []
    for name, tests in positive.items():
        if name in negative and any(atom.op == "present" for atom in negative[name]):
            return []  # present and absent at once
        if vocabulary.facts[name].multi_valued:
            choices.append([(name, groups) for groups in _partitions(tests)])
        else:
            choices.append([(name, [tests])])
    compiled: list[tuple[list[dict[str, Any]], dict[str, str]]] = []
    for combination in itertools.product(*choices):
        patterns: list[dict[str, Any]] = [marker]
        aliases: dict[str, str] = {}
        for name, groups in combination:
            spec = vocabulary.facts[name]
            folded = [complement(a) for a in negative.get(name, ())]
            for group in groups:
                checks = [t for a in [*group, *folded] if (t := value_test(a, spec)) is not None]
                alias = f"p{len(aliases)}"
                aliases[alias] = name
                patterns.append({alias: fact_pattern(name, checks)})
        unbound = [
            atom
            for name, atoms_ in negative.items()
            if name not in positive or vocabulary.facts[name].multi_valued
            for atom in atoms_
        ]
        for index, atom in enumerate(unbound):
            test = value_test(atom, vocabulary.facts[atom.fact])
            patterns.append({f"q{index}$not": fact_pattern(atom.fact, [test] if test else [])})
        compiled.append((patterns, aliases))
    return compiled


_BELL = (1, 1, 2, 5, 15, 52, 203, 877, 4140)


def durable_rules_of(rule: Rule, vocabulary: Vocabulary) -> int:
    """How many durable rules a rule compiles to (without building them): per alternative, the
    ways its positive tests on each set/max fact can share values (Bell numbers)."""
    total = 0
    for alternative in rule.alternatives:
        counts: dict[str, int] = {}
        for literal in alternative:
            if literal.positive and vocabulary.facts[literal.atom.fact].multi_valued:
                counts[literal.atom.fact] = counts.get(literal.atom.fact, 0) + 1
        ways = 1
        for count in counts.values():
            ways *= _BELL[count] if count < len(_BELL) else _BELL[-1] * count
        total += ways
    return total


def compile_rules(
    rules: tuple[Rule, ...], vocabulary: Vocabulary, make_action: ActionFactory
) -> dict[str, dict[str, Any]]:
    """One durable-rules ruleset definition (rule name → rule) for all the rules."""
    definition: dict[str, dict[str, Any]] = {}
    top = max((rule.priority for rule in rules), default=0)
    for rule in rules:
        compiled = [
            each
            for alternative in rule.alternatives
            for each in alternative_patterns(alternative, rule.stratum, vocabulary)
        ]
        for index, (patterns, aliases) in enumerate(compiled):
            definition[f"{rule.id}#{index}"] = {
                "all": patterns,
                # durable-rules runs lower `pri` first; ours: higher priority first.
                "pri": round(top - rule.priority) + 1,
                "run": make_action(rule, aliases),
                "rule": rule,  # for the host's agenda (taken out before durable-rules sees it)
            }
    return definition


def referenced_facts(rules: tuple[Rule, ...]) -> frozenset[str]:
    """Facts some rule tests: only these are sent to durable-rules."""
    return frozenset(lit.atom.fact for rule in rules for alt in rule.alternatives for lit in alt)
