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
    stratum = {rule.id: 0 for rule in rules}
    limit = len(rules) + 1
    for _ in range(limit + 1):
        changed = False
        for rule in rules:
            negated = {f for f in negated_facts(rule.when) if vocabulary.facts[f].derived}
            needed = stratum[rule.id]
            for atom in atoms(rule.when):
                for producer in producers.get(atom.fact, []):
                    step = 1 if atom.fact in negated else 0
                    needed = max(needed, stratum[producer.id] + step)
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
            return [replace(rule, stratum=stratum[rule.id]) for rule in rules]
    raise RulebookError("negation through a cycle of derived facts cannot be ordered")
