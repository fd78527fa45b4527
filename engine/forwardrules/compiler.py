"""Rules to durable-rules ruleset definitions: plain data, no generated Python source.

Every fact of a session becomes one durable-rules fact `{"sid", "id", "n": name, "v": value}`.
Each alternative of a rule's condition (its DNF) becomes one durable rule whose first pattern is
the stratum marker `{"n": "$stratum", "v": k}`, then one pattern per fact tested positively (tests
on the same single-valued fact merged into one pattern) and one `$not` pattern per negated test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .conditions import Atom, Literal
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
        return {"$or" if op == "in" else "$and": tests} if tests else {"$neq": {NAME: atom.fact}}
    durable_op = {"lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte"}[op]
    return {durable_op: {VALUE: want}}


def fact_pattern(name: str, tests: list[dict[str, Any]]) -> dict[str, Any]:
    return {"$and": [{NAME: name}, *tests]} if tests else {NAME: name}


def alternative_patterns(
    alternative: tuple[Literal, ...], stratum: int, vocabulary: Vocabulary
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The durable-rules `all` list for one conjunction, and which alias matched which fact."""
    patterns: list[dict[str, Any]] = [{"s": {"$and": [{NAME: STRATUM_FACT}, {VALUE: stratum}]}}]
    aliases: dict[str, str] = {}
    merged: dict[str, list[dict[str, Any]]] = {}
    separate: list[tuple[str, list[dict[str, Any]]]] = []
    for literal in alternative:
        if not literal.positive:
            continue
        spec = vocabulary.facts[literal.atom.fact]
        test = value_test(literal.atom, spec)
        tests = [test] if test else []
        if spec.multi_valued:
            separate.append((literal.atom.fact, tests))
        else:
            merged.setdefault(literal.atom.fact, []).extend(tests)
    for index, (name, tests) in enumerate([*merged.items(), *separate]):
        alias = f"p{index}"
        aliases[alias] = name
        patterns.append({alias: fact_pattern(name, tests)})
    negated = [lit.atom for lit in alternative if not lit.positive]
    for index, atom in enumerate(negated):
        test = value_test(atom, vocabulary.facts[atom.fact])
        patterns.append({f"q{index}$not": fact_pattern(atom.fact, [test] if test else [])})
    return patterns, aliases


def compile_rules(
    rules: tuple[Rule, ...], vocabulary: Vocabulary, make_action: ActionFactory
) -> dict[str, dict[str, Any]]:
    """One durable-rules ruleset definition (rule name → rule) for all the rules."""
    definition: dict[str, dict[str, Any]] = {}
    top = max((rule.priority for rule in rules), default=0)
    for rule in rules:
        for index, alternative in enumerate(rule.alternatives):
            patterns, aliases = alternative_patterns(alternative, rule.stratum, vocabulary)
            definition[f"{rule.id}#{index}"] = {
                "all": patterns,
                # durable-rules runs lower `pri` first; ours: higher priority first.
                "pri": round(top - rule.priority) + 1,
                "run": make_action(rule, aliases),
            }
    return definition


def referenced_facts(rules: tuple[Rule, ...]) -> frozenset[str]:
    """Facts some rule tests: only these are sent to durable-rules."""
    return frozenset(lit.atom.fact for rule in rules for alt in rule.alternatives for lit in alt)
