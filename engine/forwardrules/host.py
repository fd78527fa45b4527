"""The only code that talks to durable-rules: its C engine, driven directly.

durable-rules' Python host is not thread-safe, starts two timer threads per Host that never stop,
swallows exceptions raised in actions into the session state, raises when a fact matches no rule,
mutates the definitions it is given and never frees a ruleset. Here the engine calls the C
extension itself (`durable_rules_engine`): no Host, no threads, no Closure objects or state
round-trips per action; every call under one lock; action errors carried out to the caller; a
catch-all rule so no fact is ever unhandled; every run's state deleted. durable-rules matches;
the engine's agenda (agenda.conflict_order, shared with record rules) decides what fires.

durable-rules allows at most 256 links from one node (error 108) and stalls registering a ruleset
of more than about 500 rules, so a rulebook is split into chunks of at most CHUNK_RULES durable
rules, one ruleset each; a fact a rule derives in one chunk is forwarded to every other chunk that
tests it. A rulebook's rulesets are deleted when the last Rulebook object using them is garbage
collected, so reloading rules keeps memory bounded.
"""

from __future__ import annotations

import heapq
import itertools
import json
import re
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import durable_rules_engine as dre

from .agenda import conflict_order
from .compiler import (
    FLAT_ALIAS,
    INPUTS_FACT,
    NAME,
    STRATUM_FACT,
    VALUE,
    compile_rules,
    durable_rules_of,
    field_name,
    flat_inputs,
    is_flat,
)
from .errors import ForwardRulesError, RuleActionError
from .gc_pause import paused_gc
from .results import Asserted, Firing
from .rules import Rule
from .vocabulary import Combine, Vocabulary, int64_problem

if TYPE_CHECKING:
    from .core import RulebookCore

CHUNK_RULES = 200
Action = Callable[["_Run", dict[str, Any]], None]


# A named-fact activation on the agenda: (conflict order, tie, chunk index, rule name, match).
_Entry = tuple[tuple[Any, ...], int, int, str, dict[str, Any]]


@dataclass
class _Run:
    """The bookkeeping of one run."""

    sid: str
    firings: dict[str, Firing] = field(default_factory=dict)
    single: dict[str, Any] = field(default_factory=dict)
    error: BaseException | None = None
    outbox: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (from chunk, fact)
    local: list[dict[str, Any]] = field(default_factory=list)  # derived, for the same chunk
    stamps: dict[str, int] = field(default_factory=dict)  # durable fact id → recency stamp
    agenda: list[_Entry] = field(default_factory=list)  # a heap: the best activation first
    ties: itertools.count[int] = field(default_factory=itertools.count)

    def stamp(self, fact_id: str) -> None:
        self.stamps[fact_id] = len(self.stamps) + 1


@dataclass(frozen=True)
class Chunk:
    name: str
    handle: int
    referenced: frozenset[str]  # facts its rules that are not flat test: sent to it one by one
    actions: dict[str, Action]
    ranks: dict[str, tuple[float, int]]  # durable rule name → (priority, declaration order)
    inputs: dict[str, str]  # the inputs its flat rules test → their fields in the inputs fact
    nullable: tuple[str, ...]  # of those, the ones sent as null when unknown (negated tests)
    flat: dict[str, tuple[str, ...]]  # flat durable rule name → the inputs it matched
    markers: bool  # whether some rule waits for a stratum marker


@dataclass(frozen=True)
class ChunkPlan:
    """A chunk's rules, registered with durable-rules only when a run first needs it."""

    rules: tuple[Rule, ...]
    referenced: frozenset[str]
    # A chunk of flat rules only can match only when one of its triggers is given (one fact
    # each alternative tests positively: a positive test fails on an unknown input); None for a
    # chunk any run may need (a rule on derived facts, or an alternative testing no input
    # positively).
    triggers: frozenset[str] | None


@dataclass(frozen=True)
class CompiledRuleset:
    """A rulebook's chunks: planned at the first run, each registered at the first run that
    can match in it (10,000 rules a run mostly cannot reach cost nothing until one can)."""

    digest: str
    plans: tuple[ChunkPlan, ...]
    strata: int
    vocabulary: Vocabulary
    tested: frozenset[str]  # facts some rule that is not flat tests, in any chunk
    declared: dict[str, int]  # rule id → declaration order
    chunks: list[Chunk | None] = field(default_factory=list)  # by plan, once registered

    @property
    def name(self) -> str:
        return f"forwardrules_{self.digest[:12]}"

    def needed(self, facts: dict[str, Any]) -> list[tuple[int, Chunk]]:
        """The chunks a run over these inputs can match in, registering any not yet."""
        found = []
        for index, plan in enumerate(self.plans):
            triggers = plan.triggers
            if triggers is not None and triggers.isdisjoint(facts):
                continue
            chunk = self.chunks[index]
            if chunk is None:
                with paused_gc():  # thousands of long-lived definitions: see gc_pause
                    chunk = self.chunks[index] = _register_chunk(self, index)
            found.append((index, chunk))
        return found


_LOCK = threading.RLock()
_registered: dict[str, CompiledRuleset] = {}
_users: dict[str, weakref.WeakSet[RulebookCore]] = {}  # digest → live rulebooks using its rulesets
_by_book: dict[int, CompiledRuleset] = {}  # id(live rulebook) → its rulesets: the fast path
_ids = itertools.count(1)
# Matches every fact so durable-rules never rejects one as unhandled; never fires.
_CATCH_ALL = {"all": [{"any_fact": {"$ex": {NAME: 1}}}, {"never": {NAME: "$never"}}]}
# durable-rules 2.0.28 aborts ("free(): invalid pointer") deleting a session state in a ruleset
# whose action machinery never ran; one warm-up action at registration avoids it.
_WARM_UP = {"all": [{"w": {NAME: "$warm_up"}}]}


def _nothing(run: _Run, matched: dict[str, Any]) -> None:
    pass


_EXPONENT = re.compile(r'"\\u0000num:([^"]+)"')


def _safe(value: Any) -> Any:
    """durable-rules' JSON parser misreads numbers in exponent form (1e-05) and drops the rest
    of the batch; such a float is sent in positional form (see _dumps)."""
    if type(value) is float:
        text = repr(value)
        if "e" in text:
            return "\u0000num:" + format(Decimal(text), "f") + (".0" if "e+" in text else "")
    return value


# A JSON string (skipped whole) or a number in exponent form (rewritten positionally).
_STRING_OR_EXPONENT = re.compile(r'"(?:[^"\\]|\\.)*"|-?[0-9]+(?:\.[0-9]+)?[eE][-+]?[0-9]+')
_MAYBE_EXPONENT = re.compile(r"[0-9][eE][-+]?[0-9]")


def _positional(match: re.Match[str]) -> str:
    text = match[0]
    if text.startswith('"'):
        return text
    return format(Decimal(text), "f") + (".0" if "e+" in text or "E+" in text else "")


def _definition_json(definition: Any) -> str:
    """A ruleset definition as JSON with every float in positional form (see _safe): serialised
    in one C call, then only exponent numbers outside strings rewritten (json writes a float as
    its repr, the text _safe reads), instead of walking the whole tree in Python first."""
    text = json.dumps(definition)
    if not _MAYBE_EXPONENT.search(text):
        return text
    return _STRING_OR_EXPONENT.sub(_positional, text)


def _dumps(facts: Any) -> str:
    text = json.dumps(facts)
    return _EXPONENT.sub(r"\1", text) if "\\u0000num:" in text else text


def _make_action(
    rule: Rule,
    aliases: dict[str, str],
    flat: tuple[str, ...] | None,
    vocabulary: Vocabulary,
    referenced: frozenset[str],
    chunk: int,
    tested: frozenset[str],
) -> Action:
    # Literal values were validated by the loader: normalise them once, check only computed ones.
    plans = []
    for assertion in rule.then:
        spec = vocabulary.facts[assertion.fact]
        literal = assertion.value.op == "literal"
        fixed = spec.normalise(assertion.value.args[0]) if literal else None
        fact_id = f"{assertion.fact}|{rule.id}|{assertion.key or ''}"
        # A fact no rule tests (a conclusion) goes back to durable-rules for nobody: not sent.
        sent = fact_id if assertion.fact in tested else None
        plans.append((assertion, spec, literal, fixed, sent))

    def action(run: _Run, message: dict[str, Any]) -> None:
        if run.error is not None or rule.id in run.firings:
            return  # another alternative of the same rule already fired: each rule fires once
        try:
            if flat is not None:  # one pattern on the inputs fact
                inputs = message[FLAT_ALIAS]
                matched = {name: inputs.get(field_name(name)) for name in flat}
            else:
                matched = {aliases[a]: f.get(VALUE) for a, f in message.items() if a in aliases}
            asserted = []
            for assertion, spec, literal, value, fact_id in plans:
                if not literal:
                    value = assertion.value.evaluate(matched)
                    if problem := spec.problem(value) or int64_problem(spec.normalise(value)):
                        raise ForwardRulesError(
                            f"computed {assertion.fact} = {value!r}, which {problem}"
                        )
                    value = spec.normalise(value)
                asserted.append(Asserted(assertion.fact, value, assertion.key))
                if spec.combine is Combine.SINGLE:
                    earlier = run.single.setdefault(assertion.fact, value)
                    if earlier != value:
                        raise ForwardRulesError(
                            f"{assertion.fact} is already {earlier!r}; cannot also be {value!r}"
                        )
                if fact_id is None:
                    continue
                fact = {"id": fact_id, NAME: assertion.fact, VALUE: _safe(value)}
                run.stamp(fact_id)
                if assertion.fact in referenced:
                    run.local.append({"sid": run.sid, **fact})
                run.outbox.append((chunk, fact))
            run.firings[rule.id] = Firing(rule.id, matched, tuple(asserted), rule.meta)
        except Exception as error:  # carried to the caller by run_rules
            run.error = RuleActionError(rule.id, error)

    return action


def _register(book: RulebookCore) -> CompiledRuleset:
    known = _by_book.get(id(book))
    if known is not None:
        return known
    compiled = _registered.get(book.digest)
    if compiled is None:
        compiled = _compile(book.digest, book.rules, book.vocabulary)
        _registered[book.digest] = compiled
    users = _users.setdefault(book.digest, weakref.WeakSet())
    if book not in users:
        users.add(book)
        _by_book[id(book)] = compiled
        weakref.finalize(book, _release, book.digest, id(book))
    return compiled


def _compile(digest: str, rules: tuple[Rule, ...], vocabulary: Vocabulary) -> CompiledRuleset:
    """The chunk plans; nothing is registered with durable-rules yet."""
    pending: list[Rule] = []
    size = 0
    groups: list[list[Rule]] = []
    for rule in rules:  # a rule's alternatives stay in one chunk: it fires once per run
        count = durable_rules_of(rule, vocabulary)
        if pending and size + count > CHUNK_RULES:
            groups.append(pending)
            pending, size = [], 0
        pending.append(rule)
        size += count
    groups.append(pending)
    plans = []
    for group in groups:
        referenced: set[str] = set()  # what its rules that are not flat test
        triggers: set[str] | None = set()
        for rule in group:
            if not is_flat(rule, vocabulary):
                referenced.update(lit.atom.fact for alt in rule.alternatives for lit in alt)
                triggers = None
            elif triggers is not None:
                for alternative in rule.alternatives:
                    positive = next((lit.atom.fact for lit in alternative if lit.positive), None)
                    if positive is None:
                        triggers = None
                        break
                    triggers.add(positive)
        plans.append(
            ChunkPlan(
                tuple(group),
                frozenset(referenced),
                None if triggers is None else frozenset(triggers),
            )
        )
    strata = max((rule.stratum for rule in rules), default=0) + 1
    return CompiledRuleset(
        digest,
        tuple(plans),
        strata,
        vocabulary,
        frozenset().union(*(plan.referenced for plan in plans)),
        {rule.id: order for order, rule in enumerate(rules)},
        [None] * len(plans),
    )


def _register_chunk(compiled: CompiledRuleset, index: int) -> Chunk:
    plan, vocabulary, declared = compiled.plans[index], compiled.vocabulary, compiled.declared
    referenced, tested = plan.referenced, compiled.tested

    def factory(rule: Rule, aliases: dict[str, str], flat: tuple[str, ...] | None) -> Action:
        return _make_action(rule, aliases, flat, vocabulary, referenced, index, tested)

    definition: dict[str, Any] = compile_rules(plan.rules, vocabulary, factory)
    ranks = {
        rule_name: (body["rule"].priority, declared[body["rule"].id])
        for rule_name, body in definition.items()
    }
    flat = {name: body.pop("flat") for name, body in definition.items() if "flat" in body}
    markers = any("s" in pattern for body in definition.values() for pattern in body["all"])
    for body in definition.values():
        del body["rule"]
    definition["$catch_all"] = dict(_CATCH_ALL, run=_nothing)
    definition["$warm_up"] = dict(_WARM_UP, run=_nothing)
    actions = {rule_name: body.pop("run") for rule_name, body in definition.items()}
    name = f"forwardrules_{next(_ids)}_{compiled.digest[:12]}_{index}"
    chunk = Chunk(
        name,
        dre.create_ruleset(name, _definition_json(definition)),
        referenced,
        actions,
        ranks,
        *flat_inputs(plan.rules, vocabulary),
        flat,
        markers,
    )
    warm_up = _Run("$warm_up")
    _send(chunk, 0, warm_up, [{"sid": "$warm_up", "id": "w", NAME: "$warm_up"}])
    dre.delete_state(chunk.handle, "$warm_up")
    return chunk


def _release(digest: str, book_id: int) -> None:
    """A rulebook is gone; with the last one of this content, free its rulesets."""
    with _LOCK:
        _by_book.pop(book_id, None)
        # len() of a WeakSet can still count the object being finalised; iteration cannot.
        if any(True for _ in _users.get(digest, ())):
            return
        _users.pop(digest, None)
        compiled = _registered.pop(digest, None)
        for chunk in compiled.chunks if compiled else ():
            if chunk is not None:
                dre.delete_ruleset(chunk.handle)


def run_rules(book: RulebookCore, facts: dict[str, Any]) -> list[Firing]:
    """Run the rules over a set of facts in a fresh durable-rules session, then delete it.

    durable-rules matches; the engine's agenda decides what fires (agenda.conflict_order, the
    order record rules fire in too): every match durable-rules reports is taken off its queue
    onto the agenda, and the best one fires (its priority, then the newest facts it matched,
    then declaration order); the facts it derives go back to durable-rules, whose new matches
    join the agenda. Inputs are stamped in name order (a result never depends on the order facts
    were added), derived facts as they are asserted."""
    with _LOCK:
        compiled = _register(book)
        run = _Run(f"run-{next(_ids)}")
        chunks = compiled.needed(facts)
        for name in sorted(facts):
            run.stamp(name)
        try:
            for stratum in range(compiled.strata):
                for index, chunk in chunks:
                    batch = []
                    if stratum == 0:  # the inputs go before the first marker: one call, not two
                        batch = [
                            {"sid": run.sid, "id": name, NAME: name, VALUE: _safe(facts[name])}
                            for name in sorted(facts)
                            if name in chunk.referenced
                        ]
                        if chunk.inputs:  # the inputs its flat rules test, as one fact
                            fields = chunk.inputs
                            inputs: dict[str, Any] = {"sid": run.sid, "id": INPUTS_FACT}
                            inputs[NAME] = INPUTS_FACT
                            for name in chunk.nullable:
                                inputs[fields[name]] = None
                            for name, value in facts.items():
                                if name in fields:
                                    inputs[fields[name]] = _safe(value)
                            batch.append(inputs)
                    if chunk.markers:
                        marker = {"sid": run.sid, "id": f"$s{stratum}", NAME: STRATUM_FACT}
                        batch.append({**marker, VALUE: stratum})
                    if batch:
                        _send(chunk, index, run, batch)
                _fire(compiled.chunks, chunks, run)
                if run.error is not None:
                    break
        finally:
            for _, chunk in chunks:
                dre.delete_state(chunk.handle, run.sid)
        if run.error is not None:
            raise run.error
        return list(run.firings.values())


def _send(chunk: Chunk, index: int, run: _Run, facts: list[dict[str, Any]]) -> None:
    """Assert facts into a chunk and move every match durable-rules now has onto the agenda."""
    state = dre.assert_facts(chunk.handle, _dumps(facts))[1]
    started = dre.start_action_for_state(chunk.handle, state)
    text = started[1] if started else None
    while text:
        ((rule_name, matched),) = json.loads(text).items()
        rank = chunk.ranks.get(rule_name)
        if rank is not None:
            flat = chunk.flat.get(rule_name)
            ids = (
                list(flat) if flat is not None else [m["id"] for m in matched.values() if "id" in m]
            )
            stamps = [run.stamps[i] for i in ids if i in run.stamps]
            order = conflict_order(rank[0], stamps, rank[1], tuple(ids))
            heapq.heappush(run.agenda, (order, next(run.ties), index, rule_name, matched))
        text = dre.complete_and_start_action(chunk.handle, state)


def _fire(by_index: list[Chunk | None], chunks: list[tuple[int, Chunk]], run: _Run) -> None:
    """Fire the best activation until none is left; what it derives goes to the chunks of this
    run that test it (its own first)."""
    while run.agenda and run.error is None:
        _order, _tie, index, rule_name, matched = heapq.heappop(run.agenda)
        chunk = by_index[index]
        assert chunk is not None  # an activation comes from a chunk of this run
        chunk.actions[rule_name](run, matched)  # a rule already fired does nothing
        if run.local:
            local, run.local = run.local, []
            _send(chunk, index, run, local)
        if run.outbox:
            outbox, run.outbox = run.outbox, []
            for other, target in chunks:
                batch = [
                    {"sid": run.sid, **fact}
                    for origin, fact in outbox
                    if origin != other and fact[NAME] in target.referenced
                ]
                if batch:
                    _send(target, other, run, batch)


def registered_rulesets() -> int:
    with _LOCK:
        return len(_registered)
