"""Question selection: which unknown fact could still change an outcome, most important first.

Every rule that has not fired is evaluated in three-valued logic, on its compiled condition (the
DNF alternatives `rule.alternatives` that durable-rules runs, one durable rule each: one form, one
evaluator, `conditions.compile_alternatives`) over the facts known so far: an
input fact that may still be asked is unknown; one that cannot (not askable, or given up on) is
absent. A rule that is not false may still fire. From the rules that may still fire the engine
bounds every outcome (a `max` fact can only rise; each key of a `sum` fact has a lowest and highest
reachable total) and keeps the rules that could change one: raise the max, or change which key
leads the sum. The facts those rules (and the rules feeding them) test are the useful questions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .conditions import Atom, Truth
from .core import RulebookCore
from .results import Result
from .rules import Assertion, Rule
from .vocabulary import Combine


@dataclass(frozen=True)
class Question:
    fact: str
    priority: float
    covers: tuple[str, ...] = ()


def open_facts(
    rulebook: RulebookCore, known: dict[str, Any], exhausted: frozenset[str]
) -> set[str]:
    """Input facts that are unknown and may still be asked (directly or through a screen)."""
    vocabulary = rulebook.vocabulary
    askable = {name for name in vocabulary.askable if name not in known and name not in exhausted}
    for screen in rulebook.screens:
        if screen.fact not in exhausted and known.get(screen.fact) is not False:
            askable |= {c for c in screen.covers if c not in known and c not in exhausted}
    return askable


def possible_rules(rulebook: RulebookCore, result: Result, open_inputs: set[str]) -> list[Rule]:
    """Rules that have not fired and are not yet ruled out."""
    vocabulary = rulebook.vocabulary
    fired = {firing.rule for firing in result.firings}
    candidates = [rule for rule in rulebook.rules if rule.id not in fired]
    index = rulebook.atom_index  # equal atoms share a slot: each is judged once per pass
    asserts = rulebook.asserts_of
    producible: set[str] = set().union(*[asserts[rule.id] for rule in candidates])

    facts = vocabulary.facts
    false, unknown, true = Truth.FALSE, Truth.UNKNOWN, Truth.TRUE
    inputs, asserted = result.facts, result.asserted_values

    def atom_truth(atom: Atom) -> Truth:
        # Compiled conditions hold no `absent`: it is a negated `present` there.
        fact = atom.fact
        spec = facts[fact]
        if spec.derived:  # true when a value asserted so far passes; open while producible
            for value in asserted.get(fact, ()):
                if atom.holds(spec, value):
                    return true
            return unknown if fact in producible else false
        if fact in inputs:  # an input given: its one value decides
            return true if atom.holds(spec, inputs[fact]) else false
        return unknown if fact in open_inputs else false

    memo: list[Truth | None] = [None] * len(index)

    atoms_of = rulebook.atoms_of
    judges = rulebook.judges
    judge = candidates
    while True:
        ruled_out = {rule.id for rule in judge if judges[rule.id](memo, atom_truth) is false}
        candidates = [rule for rule in candidates if rule.id not in ruled_out]
        still: set[str] = set().union(*[asserts[rule.id] for rule in candidates])
        gone = producible - still
        if not ruled_out or not gone:
            return candidates
        # Only rules testing a derived fact that can no longer be produced can change now.
        producible = still
        memo[:] = [None] * len(memo)
        judge = [r for r in candidates if any(a.fact in gone for a in atoms_of[r.id])]


def _decisive_rules(rulebook: RulebookCore, result: Result, possible: list[Rule]) -> list[Rule]:
    """Possible rules whose assertions could change an outcome."""
    decisive: list[Rule] = []
    alive = {rule.id for rule in possible}
    for name, spec in rulebook.outcomes:
        settle = rulebook.settle_checks.get(name)
        if settle is not None and _holds_now(settle, result):
            continue
        contributions = [(r, a) for r, a in rulebook.producers_of.get(name, ()) if r.id in alive]
        if spec.combine is Combine.MAX:
            current = result.value(name)
            floor = spec.rank(current) if current is not None else None
            for rule, assertion in contributions:
                value = assertion.value.args[0] if assertion.value.op == "literal" else None
                if value is None or floor is None or spec.rank(value) > floor:
                    decisive.append(rule)
        elif spec.combine is Combine.SUM:
            ranking = result.ranking(name)
            margin = spec.settle_margin
            if margin is not None and len(ranking) > 1 and ranking[0][1] - ranking[1][1] >= margin:
                continue  # the leader is ahead by the declared margin: settled
            decisive.extend(_sum_contenders(spec.keys, ranking, contributions))
    return decisive


def _holds_now(check: Callable[[Callable[[Atom], bool]], bool], result: Result) -> bool:
    """Two-valued truth of a compiled condition on the facts and conclusions as they stand."""

    def truth(atom: Atom) -> bool:
        spec = result.vocabulary.facts[atom.fact]
        return any(atom.holds(spec, v) for v in result.values_of(atom.fact))

    return check(truth)


def _sum_contenders(
    keys: tuple[str, ...],
    ranking: list[tuple[str, float]],
    contributions: list[tuple[Rule, Assertion]],
) -> list[Rule]:
    totals = dict(ranking)
    low, high = dict(totals), dict(totals)
    for _rule, assertion in contributions:
        key = assertion.key
        if key is None:  # the loader gives every sum assertion a key
            continue
        amount = assertion.value.args[0] if assertion.value.op == "literal" else None
        if amount is None:  # computed at run time: could go either way
            low[key] = -float("inf")
            high[key] = float("inf")
        elif amount < 0:
            low[key] += amount
        else:
            high[key] += amount
    order = {key: index for index, key in enumerate(keys)}
    leader = ranking[0][0] if ranking else None
    if leader is None:
        return []

    def beats(score: float, key: str, other_score: float, other: str) -> bool:
        return score > other_score or (score == other_score and order[key] < order[other])

    rivals = [k for k in keys if k != leader and not beats(low[leader], leader, high[k], k)]
    if not rivals:
        return []
    return [
        rule
        for rule, assertion in contributions
        if (assertion.key == leader and high[leader] != low[leader]) or assertion.key in rivals
    ]


def next_question(
    rulebook: RulebookCore, result: Result, exhausted: frozenset[str]
) -> Question | None:
    known = dict(result.facts)
    open_inputs = open_facts(rulebook, known, exhausted)
    possible = possible_rules(rulebook, result, open_inputs)
    relevant = {rule.id: rule for rule in _decisive_rules(rulebook, result, possible)}
    alive = {rule.id for rule in possible}
    producers = rulebook.rules_producing
    frontier = list(relevant.values())
    facts_of = rulebook.facts_of
    while frontier:  # rules feeding derived facts the relevant rules test are relevant too
        rule = frontier.pop()
        for fact in facts_of[rule.id]:
            for producer in producers.get(fact, ()):
                if producer.id not in relevant and producer.id in alive:
                    relevant[producer.id] = producer
                    frontier.append(producer)
    useful: set[str] = set()
    for rule_id in relevant:
        useful |= facts_of[rule_id]
    useful &= open_inputs
    for askable in rulebook.asking_order:  # highest priority first: the first that fits wins
        if askable.fact not in open_inputs:
            continue
        if askable.covers:
            if askable.fact not in known and any(c in useful for c in askable.covers):
                return Question(askable.fact, askable.priority, askable.covers)
        elif askable.fact in useful and not _behind_open_screen(
            rulebook, askable.fact, known, exhausted
        ):
            return Question(askable.fact, askable.priority)
    return None


def _behind_open_screen(
    rulebook: RulebookCore, fact: str, known: dict[str, Any], exhausted: frozenset[str]
) -> bool:
    """A fact covered by a screening question not yet answered is asked through the screen."""
    return any(
        screen not in known and screen not in exhausted
        for screen in rulebook.screens_covering.get(fact, ())
    )
