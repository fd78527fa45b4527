"""Rules to durable-rules ruleset definitions: plain data, no generated Python source.

A rule that tests only input facts (the common case: a triage over a runner's findings) is
"flat": the inputs travel as one durable-rules fact `{"n": "$inputs", "f_NAME": value or null}`
(null for an input nobody gave, so absence and negated tests are plain tests on that one fact),
and each alternative of its condition (its DNF) is one pattern on it: no join at all, which is
what durable-rules matches fastest.

Any other rule sees every fact as one durable-rules fact `{"sid", "id", "n": name, "v": value}`:
each alternative becomes one durable rule with one pattern per fact tested positively (tests on
the same single-valued fact merged into one pattern) and one `$not` pattern per negated test,
after the stratum marker `{"n": "$stratum", "v": k}` when it has a `$not` or a later stratum (the
marker arrives after the facts it must wait for; a positive join at stratum 0 needs no wait).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from .conditions import Atom, Literal, complement
from .rules import Rule
from .vocabulary import FactSpec, FactType, Vocabulary

STRATUM_FACT = "$stratum"
INPUTS_FACT = "$inputs"
NAME, VALUE = "n", "v"
FLAT_ALIAS = "i"

# (rule, alias → fact name, the facts a flat alternative tests positively or None)
ActionFactory = Callable[[Rule, dict[str, str], tuple[str, ...] | None], Any]


def field_name(fact: str) -> str:
    """An input's field in the flat inputs fact (prefixed: never `sid`, `id` or `n`)."""
    return "f_" + fact


def is_flat(rule: Rule, vocabulary: Vocabulary) -> bool:
    """A rule whose every test is on an input fact (single-valued, known before any rule runs)."""
    return all(
        not vocabulary.facts[literal.atom.fact].derived
        for alternative in rule.alternatives
        for literal in alternative
    )


def value_test(atom: Atom, spec: FactSpec, field: str = VALUE) -> dict[str, Any] | None:
    """The durable-rules test on the value field; None when only presence is tested."""
    op, want = atom.op, atom.value
    if op == "present":
        return None
    if spec.type is FactType.ENUM and op in ("lt", "le", "gt", "ge"):
        op, want = "in", atom.allowed_values(spec)
    if op == "eq":
        return {field: want}
    if op == "ne":
        return {"$neq": {field: want}}
    if op in ("in", "not_in"):
        if op == "in" and len(want) == 1:
            return {field: want[0]}
        tests = [{field: v} if op == "in" else {"$neq": {field: v}} for v in want]
        if not tests:  # in [] never holds; not_in [] always does
            if op == "not_in":
                return None
            return {"$neq": {NAME: atom.fact}} if field == VALUE else {NAME: "$never"}
        return {"$or" if op == "in" else "$and": tests}
    durable_op = {"lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}[op]
    return {durable_op: {field: want}}


def flat_pattern(
    alternative: tuple[Literal, ...], vocabulary: Vocabulary
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """One conjunction of input tests as one pattern on the inputs fact, and the facts it tests
    positively (what its firing matched). An unknown input is null there: a positive test fails
    on null (durable-rules compares null with nothing), a negated one holds on it."""
    tests: list[dict[str, Any]] = [{NAME: INPUTS_FACT}]
    positives: list[str] = []
    for literal in alternative:
        atom = literal.atom
        spec, field = vocabulary.facts[atom.fact], field_name(atom.fact)
        if literal.positive:
            test = value_test(atom, spec, field)
            tests.append(test if test is not None else {"$neq": {field: None}})
            if atom.fact not in positives:
                positives.append(atom.fact)
        elif atom.op == "present":
            tests.append({field: None})
        else:  # absent, or present and failing the test (None: every value fails it)
            test = value_test(complement(atom), spec, field)
            if test is not None:
                tests.append({"$or": [{field: None}, test]})
    return {FLAT_ALIAS: {"$and": tests}}, tuple(positives)


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
        # At stratum 0 a positive join needs no marker: facts arrive in one batch, and only a
        # `$not` must wait for the last of them (durable-rules never withdraws an activation).
        patterns: list[dict[str, Any]] = [] if stratum == 0 and not negative else [marker]
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
    return durable_rules_count(rule.alternatives, vocabulary)


def durable_rules_count(
    alternatives: tuple[tuple[Literal, ...], ...], vocabulary: Vocabulary
) -> int:
    """durable_rules_of for a condition's alternatives."""
    total = 0
    for alternative in alternatives:
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
        # durable-rules runs lower `pri` first; ours: higher priority first.
        pri = round(top - rule.priority) + 1
        if is_flat(rule, vocabulary):
            for index, alternative in enumerate(rule.alternatives):
                pattern, positives = flat_pattern(alternative, vocabulary)
                definition[f"{rule.id}#{index}"] = {
                    "all": [pattern],
                    "pri": pri,
                    "run": make_action(rule, {}, positives),
                    "rule": rule,  # for the host's agenda (taken out before durable-rules sees it)
                    "flat": positives,  # the facts it matched (the host's recency), taken out too
                }
            continue
        compiled = [
            each
            for alternative in rule.alternatives
            for each in alternative_patterns(alternative, rule.stratum, vocabulary)
        ]
        for index, (patterns, aliases) in enumerate(compiled):
            definition[f"{rule.id}#{index}"] = {
                "all": patterns,
                "pri": pri,
                "run": make_action(rule, aliases, None),
                "rule": rule,
            }
    return definition


def referenced_facts(rules: tuple[Rule, ...], vocabulary: Vocabulary) -> frozenset[str]:
    """Facts some rule that is not flat tests: only these are sent to durable-rules one by one."""
    return frozenset(
        lit.atom.fact
        for rule in rules
        if not is_flat(rule, vocabulary)
        for alt in rule.alternatives
        for lit in alt
    )


def flat_inputs(
    rules: tuple[Rule, ...], vocabulary: Vocabulary
) -> tuple[dict[str, str], tuple[str, ...]]:
    """The inputs flat rules test (name → field of the inputs fact), and those some test
    negatively: sent as null when unknown (a positive test fails on a missing field as on null,
    so the others are left out, and durable-rules reads a smaller fact)."""
    tested: set[str] = set()
    negated: set[str] = set()
    for rule in rules:
        if is_flat(rule, vocabulary):
            for alternative in rule.alternatives:
                for literal in alternative:
                    tested.add(literal.atom.fact)
                    if not literal.positive:
                        negated.add(literal.atom.fact)
    return {name: field_name(name) for name in sorted(tested)}, tuple(sorted(negated))
