"""The validated rules and the views of them the engine reads (sessions, the durable-rules host,
question selection); `rulebook.Rulebook` adds opening sessions on top."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from .conditions import (
    Alternatives,
    Atom,
    Judge,
    atoms,
    compile_alternatives,
    compile_holds,
    dnf,
)
from .record_rules import RecordRule
from .rules import Assertion, Rule
from .validation import validate_facts, validate_records
from .vocabulary import Askable, FactSpec, Vocabulary


@dataclass(frozen=True, eq=False)
class RulebookCore:
    """Validated rules, as `Rulebook` (which adds `session()`) describes them; the cached views
    below serve the engine itself."""

    vocabulary: Vocabulary
    rules: tuple[Rule, ...]
    digest: str = ""
    record_rules: tuple[RecordRule, ...] = ()

    @cached_property
    def atoms_of(self) -> dict[str, tuple[Atom, ...]]:
        """Every rule's atoms, computed once (question selection walks them on every call)."""
        return {rule.id: tuple(atoms(rule.when)) for rule in self.rules}

    @cached_property
    def judges(self) -> dict[str, Judge]:
        """Every rule's compiled condition (`rule.alternatives`, the form durable-rules runs)
        under the one three-valued evaluator, for question selection."""
        index = self.atom_index
        return {
            rule.id: compile_alternatives(rule.alternatives, index.__getitem__)
            for rule in self.rules
        }

    @cached_property
    def outcomes(self) -> tuple[tuple[str, FactSpec], ...]:
        """The outcome facts (what question selection tries to settle), in declaration order."""
        return tuple((name, spec) for name, spec in self.vocabulary.facts.items() if spec.outcome)

    @cached_property
    def settle_conditions(self) -> dict[str, Alternatives]:
        """Outcome fact → its `settle_when` condition, compiled as rules' conditions are."""
        return {
            name: tuple(dnf(spec.settle_when))
            for name, spec in self.vocabulary.facts.items()
            if spec.settle_when is not None
        }

    @cached_property
    def settle_checks(self) -> dict[str, Callable[[Callable[[Atom], bool]], bool]]:
        """Outcome fact → its `settle_when` condition under the one evaluator, compiled once."""
        return {name: compile_holds(alt) for name, alt in self.settle_conditions.items()}

    @cached_property
    def producers_of(self) -> dict[str, tuple[tuple[Rule, Assertion], ...]]:
        """Fact → every (rule, assertion) that asserts it, in rule order."""
        found: dict[str, list[tuple[Rule, Assertion]]] = {}
        for rule in self.rules:
            for assertion in rule.then:
                found.setdefault(assertion.fact, []).append((rule, assertion))
        return {fact: tuple(pairs) for fact, pairs in found.items()}

    @cached_property
    def rules_producing(self) -> dict[str, tuple[Rule, ...]]:
        """Fact → the rules that assert it (each once), in rule order."""
        return {
            fact: tuple({rule.id: rule for rule, _ in pairs}.values())
            for fact, pairs in self.producers_of.items()
        }

    @cached_property
    def asserts_of(self) -> dict[str, frozenset[str]]:
        """Every rule's asserted facts."""
        return {rule.id: frozenset(a.fact for a in rule.then) for rule in self.rules}

    @cached_property
    def facts_of(self) -> dict[str, frozenset[str]]:
        """Every rule's tested facts."""
        return {rule.id: rule.facts_tested for rule in self.rules}

    @cached_property
    def asking_order(self) -> tuple[Askable, ...]:
        """Askable facts, highest priority first (declaration order breaks ties)."""
        return tuple(sorted(self.vocabulary.askable.values(), key=lambda a: (-a.priority, a.order)))

    @cached_property
    def atom_index(self) -> dict[Atom, int]:
        """Atom → a memo slot shared by equal atoms of every rule's compiled condition."""
        slots: dict[Atom, int] = {}
        for rule in self.rules:
            for alternative in rule.alternatives:
                for literal in alternative:
                    slots.setdefault(literal.atom, len(slots))
        return slots

    @cached_property
    def screens(self) -> tuple[Askable, ...]:
        """The screening questions: askable facts that cover others."""
        return tuple(askable for askable in self.vocabulary.askable.values() if askable.covers)

    @cached_property
    def screens_covering(self) -> dict[str, tuple[str, ...]]:
        """Fact → the screening questions that cover it."""
        found: dict[str, list[str]] = {}
        for screen in self.vocabulary.askable.values():
            for covered in screen.covers:
                found.setdefault(covered, []).append(screen.fact)
        return {fact: tuple(screens) for fact, screens in found.items()}

    def __getstate__(self) -> dict[str, Any]:
        # The cached views above are rebuilt on demand (the judges are closures).
        fields = ("vocabulary", "rules", "digest", "record_rules")
        return {name: self.__dict__[name] for name in fields}

    def validate(self, facts: Mapping[str, Any]) -> dict[str, Any]:
        """Named facts in canonical form, or FactError naming the first bad name or value: what
        `session.add` accepts, checked without a session."""
        return validate_facts(self.vocabulary, facts)

    def validate_records(
        self, records: Iterable[Mapping[str, Any]]
    ) -> list[tuple[str, dict[str, Any]]]:
        """Records (`{"type": TYPE, FIELD: VALUE}`) as (type, canonical fields), or FactError:
        what `session.insert` accepts, checked without a session."""
        return validate_records(self.vocabulary, records)

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)
