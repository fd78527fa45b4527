"""Stratification: a rule that tests a derived fact's absence runs only after that fact is settled.

durable-rules does not withdraw a rule activation when a fact it negated arrives later, so the
engine runs rules in strata: stratum k starts (by asserting a marker fact) only when every rule of
lower strata has finished. A cycle through negation cannot be stratified and is rejected.
"""

from __future__ import annotations

from dataclasses import replace

from .conditions import atoms, negated_facts
from .errors import RulebookError
from .rules import Rule
from .vocabulary import Vocabulary


def assign_strata(rules: list[Rule], vocabulary: Vocabulary) -> list[Rule]:
    producers: dict[str, list[Rule]] = {}
    for rule in rules:
        for assertion in rule.then:
            producers.setdefault(assertion.fact, []).append(rule)
    # Only rules testing a derived fact can leave stratum 0 (most rules test inputs only): per
    # such rule, each producer it waits for and the step (1 when it negates the fact).
    waits: list[tuple[Rule, list[tuple[str, int]]]] = []
    for rule in rules:
        tested = [atom.fact for atom in atoms(rule.when) if vocabulary.facts[atom.fact].derived]
        if not tested:
            continue
        negated = {f for f in negated_facts(rule.when) if vocabulary.facts[f].derived}
        waits.append(
            (
                rule,
                [
                    (producer.id, 1 if fact in negated else 0)
                    for fact in tested
                    for producer in producers.get(fact, [])
                ],
            )
        )
    stratum = {rule.id: 0 for rule in rules}
    limit = len(rules) + 1
    for _ in range(limit + 1):
        changed = False
        for rule, producing in waits:
            needed = stratum[rule.id]
            for producer, step in producing:
                needed = max(needed, stratum[producer] + step)
            if needed > limit:
                raise RulebookError(
                    "negation through a cycle of derived facts cannot be ordered",
                    file=rule.file,
                    line=rule.line,
                    rule=rule.id,
                )
            if needed != stratum[rule.id]:
                stratum[rule.id], changed = needed, True
        if not changed:
            return [
                rule
                if stratum[rule.id] == rule.stratum
                else replace(rule, stratum=stratum[rule.id])
                for rule in rules
            ]
    raise RulebookError("negation through a cycle of derived facts cannot be ordered")
