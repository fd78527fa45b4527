"""The one durable-rules host the engine owns, and the only code that talks to it.

durable-rules is not thread-safe, its Host starts two timer threads that never stop, swallows
exceptions raised in actions into the session state, raises when a fact matches no rule, mutates
the definitions it is given and refuses to replace a registered ruleset. Here: one host per process
without timer threads, every call under one lock, definitions deep-copied, one ruleset name per
rulebook content, action errors carried out to the caller, and every run's state deleted.

durable-rules allows at most 256 links from one node (error 108) and stalls registering a ruleset
of more than about 500 rules, so a rulebook is split into chunks of at most CHUNK_RULES durable
rules, one ruleset each; a fact a rule derives in one chunk is forwarded to every other chunk that
tests it. A rulebook's rulesets are deleted when the last Rulebook object using them is garbage
collected (durable-rules never frees a ruleset by itself), so reloading rules keeps memory bounded.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import durable_rules_engine
from durable.engine import Host, MessageNotHandledException

from .compiler import NAME, STRATUM_FACT, VALUE, compile_rules, referenced_facts
from .errors import ForwardRulesError, RuleActionError
from .results import Asserted, Firing
from .rules import Rule
from .vocabulary import Combine, Vocabulary

if TYPE_CHECKING:
    from .rulebook import Rulebook

CHUNK_RULES = 200


class _TimerlessHost(Host):  # type: ignore[misc]
    """A durable-rules host without its dispatch threads: the engine runs everything inline."""

    def _run(self) -> None:
        pass


@dataclass
class _Run:
    """The bookkeeping of one run, looked up by actions through the durable-rules session id."""

    firings: dict[str, Firing] = field(default_factory=dict)
    single: dict[str, Any] = field(default_factory=dict)
    error: BaseException | None = None
    outbox: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (from chunk, fact)


@dataclass(frozen=True)
class Chunk:
    name: str
    referenced: frozenset[str]  # facts this chunk's rules test: only these are sent to it


@dataclass(frozen=True)
class CompiledRuleset:
    chunks: tuple[Chunk, ...]
    strata: int

    @property
    def name(self) -> str:
        return self.chunks[0].name


_LOCK = threading.RLock()
_host: _TimerlessHost | None = None
_registered: dict[str, CompiledRuleset] = {}
_users: dict[str, weakref.WeakSet[Rulebook]] = {}  # digest → live rulebooks using its rulesets
_active: dict[str, _Run] = {}
_ids = itertools.count(1)
# Matches every fact so durable-rules never rejects one as unhandled; never fires.
_CATCH_ALL = {"all": [{"any_fact": {"$ex": {NAME: 1}}}, {"never": {NAME: "$never"}}]}
# durable-rules 2.0.28 aborts ("free(): invalid pointer") deleting a session state in a ruleset
# whose action machinery never ran; one warm-up action at registration avoids it.
_WARM_UP = {"all": [{"w": {NAME: "$warm_up"}}]}


def _get_host() -> _TimerlessHost:
    global _host
    if _host is None:
        _host = _TimerlessHost()
    return _host


def _make_action(
    rule: Rule,
    aliases: dict[str, str],
    vocabulary: Vocabulary,
    referenced: frozenset[str],
    chunk: int,
) -> Callable[[Any], None]:
    def action(closure: Any) -> None:
        run = _active.get(closure.s.sid)
        if run is None or run.error is not None or rule.id in run.firings:
            return  # another alternative of the same rule already fired: each rule fires once
        try:
            matched = {
                aliases[a]: f.get(VALUE) for a, f in (closure._m or {}).items() if a in aliases
            }
            asserted = []
            for assertion in rule.then:
                spec = vocabulary.facts[assertion.fact]
                value = assertion.value.evaluate(matched)
                if problem := spec.problem(value):
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
                fact_id = f"{assertion.fact}|{rule.id}|{assertion.key or ''}"
                fact = {"id": fact_id, NAME: assertion.fact, VALUE: value}
                if assertion.fact in referenced:
                    closure.assert_fact(dict(fact))
                run.outbox.append((chunk, fact))
            run.firings[rule.id] = Firing(rule.id, matched, tuple(asserted), rule.meta)
        except Exception as error:  # carried to the caller by run_rules
            run.error = RuleActionError(rule.id, error)

    return action


def _register(book: Rulebook) -> CompiledRuleset:
    compiled = _registered.get(book.digest)
    if compiled is None:
        compiled = _compile(book.digest, book.rules, book.vocabulary)
        _registered[book.digest] = compiled
    users = _users.setdefault(book.digest, weakref.WeakSet())
    if book not in users:
        users.add(book)
        weakref.finalize(book, _release, book.digest)
    return compiled


def _compile(digest: str, rules: tuple[Rule, ...], vocabulary: Vocabulary) -> CompiledRuleset:
    chunks: list[Chunk] = []
    pending: list[Rule] = []
    size = 0
    groups: list[list[Rule]] = []
    for rule in rules:  # a rule's alternatives stay in one chunk: it fires once per run
        if pending and size + len(rule.alternatives) > CHUNK_RULES:
            groups.append(pending)
            pending, size = [], 0
        pending.append(rule)
        size += len(rule.alternatives)
    groups.append(pending)
    for index, group in enumerate(groups):
        referenced = referenced_facts(tuple(group))

        def factory(
            rule: Rule, aliases: dict[str, str], seen: frozenset[str] = referenced, at: int = index
        ) -> Callable[[Any], None]:
            return _make_action(rule, aliases, vocabulary, seen, at)

        definition: dict[str, Any] = compile_rules(tuple(group), vocabulary, factory)
        definition["$catch_all"] = dict(_CATCH_ALL, run=lambda closure: None)
        definition["$warm_up"] = dict(_WARM_UP, run=lambda closure: None)
        name = f"forwardrules_{next(_ids)}_{digest[:12]}_{index}"
        host = _get_host()
        host.register_rulesets({name: copy.deepcopy(definition, memo={})})
        host.assert_facts(name, [{"sid": "$warm_up", "id": "w", NAME: "$warm_up"}])
        host.delete_state(name, "$warm_up")
        chunks.append(Chunk(name, referenced))
    strata = max((rule.stratum for rule in rules), default=0) + 1
    return CompiledRuleset(tuple(chunks), strata)


def _release(digest: str) -> None:
    """The last rulebook of this content is gone: free its rulesets inside durable-rules."""
    with _LOCK:
        # len() of a WeakSet can still count the object being finalised; iteration cannot.
        if any(True for _ in _users.get(digest, ())):
            return
        _users.pop(digest, None)
        compiled = _registered.pop(digest, None)
        if compiled is None or _host is None:
            return
        for chunk in compiled.chunks:
            ruleset = _host._ruleset_directory.pop(chunk.name, None)
            if ruleset is None:
                continue
            _host._ruleset_list.remove(ruleset)
            durable_rules_engine.delete_ruleset(ruleset._handle)


def run_rules(book: Rulebook, facts: dict[str, Any]) -> list[Firing]:
    """Run the rules over a set of facts in a fresh durable-rules session, then delete it."""
    with _LOCK:
        host = _get_host()
        compiled = _register(book)
        sid = f"run-{next(_ids)}"
        run = _Run()
        _active[sid] = run
        chunks = compiled.chunks
        try:
            for chunk in chunks:
                batch = [
                    {"sid": sid, "id": name, NAME: name, VALUE: facts[name]}
                    for name in sorted(facts)
                    if name in chunk.referenced
                ]
                if batch:
                    _assert(host, chunk.name, batch)
            for stratum in range(compiled.strata):
                for chunk in chunks:
                    if run.error is None:
                        marker = {"sid": sid, "id": f"$s{stratum}", NAME: STRATUM_FACT}
                        _assert(host, chunk.name, [{**marker, VALUE: stratum}])
                _forward(host, chunks, sid, run)
                if run.error is not None:
                    break
        finally:
            del _active[sid]
            for chunk in chunks:
                host.delete_state(chunk.name, sid)
        if run.error is not None:
            raise run.error
        return list(run.firings.values())


def _forward(host: Host, chunks: tuple[Chunk, ...], sid: str, run: _Run) -> None:
    """Deliver facts derived in one chunk to the other chunks that test them, until none is left."""
    while run.outbox and run.error is None:
        outbox, run.outbox = run.outbox, []
        if len(chunks) == 1:
            return
        for index, chunk in enumerate(chunks):
            batch = [
                {"sid": sid, **fact}
                for origin, fact in outbox
                if origin != index and fact[NAME] in chunk.referenced
            ]
            if batch:
                _assert(host, chunk.name, batch)


def _assert(host: Host, ruleset: str, facts: list[dict[str, Any]]) -> None:
    # The catch-all rule makes MessageNotHandledException unreachable; belt and braces.
    with contextlib.suppress(MessageNotHandledException):
        host.assert_facts(ruleset, facts)


def registered_rulesets() -> int:
    with _LOCK:
        return len(_registered)
