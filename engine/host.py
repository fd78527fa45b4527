"""The one durable-rules host the engine owns, and the only code that talks to it.

durable-rules is not thread-safe, its Host starts two timer threads that never stop, swallows
exceptions raised in actions into the session state, raises when a fact matches no rule, mutates
the definitions it is given and refuses to replace a registered ruleset. Here: one host per process
without timer threads, every call under one lock, definitions deep-copied, one ruleset name per
rulebook content, action errors carried out to the caller, and every run's state deleted.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from durable.engine import Host, MessageNotHandledException

from .compiler import NAME, STRATUM_FACT, VALUE, compile_rules, referenced_facts
from .errors import ForwardRulesError, RuleActionError
from .results import Asserted, Firing
from .rules import Rule
from .vocabulary import Combine, Vocabulary


def durable_value(value: Any) -> Any:
    """A fact value durable-rules can read back. Its JSON reader misreads a float written with a
    negative exponent and no decimal point ("1e-05", as json.dumps writes 0.00001): the fact, and
    every fact after it in the batch, is silently lost, so an unrelated tiny number could drop a
    red flag. Such a float moves an ulp or so, to a neighbour written with a point."""
    if not isinstance(value, float) or not math.isfinite(value):
        return value
    toward = math.inf if value > 0 else -math.inf
    for _ in range(8):
        text = repr(value)
        if "e-" not in text or "." in text:
            return value
        value = math.nextafter(value, toward)
    return 0.0  # a subnormal with no readable neighbour close by: as good as zero


class _TimerlessHost(Host):
    """A durable-rules host without its dispatch threads: the engine runs everything inline."""

    def _run(self) -> None:
        pass


@dataclass
class _Run:
    """The bookkeeping of one run, looked up by actions through the durable-rules session id."""

    firings: dict[str, Firing] = field(default_factory=dict)
    single: dict[str, Any] = field(default_factory=dict)
    error: BaseException | None = None


@dataclass(frozen=True)
class CompiledRuleset:
    name: str
    referenced: frozenset[str]
    strata: int


_LOCK = threading.RLock()
_host: _TimerlessHost | None = None
_registered: dict[str, CompiledRuleset] = {}
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
    rule: Rule, aliases: dict[str, str], vocabulary: Vocabulary, referenced: frozenset[str]
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
                if assertion.fact in referenced:
                    fact_id = f"{assertion.fact}|{rule.id}|{assertion.key or ''}"
                    closure.assert_fact(
                        {"id": fact_id, NAME: assertion.fact, VALUE: durable_value(value)}
                    )
            run.firings[rule.id] = Firing(rule.id, matched, tuple(asserted), rule.meta)
        except Exception as error:  # carried to the caller by run_rules
            run.error = RuleActionError(rule.id, error)

    return action


def _register(digest: str, rules: tuple[Rule, ...], vocabulary: Vocabulary) -> CompiledRuleset:
    compiled = _registered.get(digest)
    if compiled is not None:
        return compiled
    referenced = referenced_facts(rules)
    definition = compile_rules(
        rules, vocabulary, lambda rule, aliases: _make_action(rule, aliases, vocabulary, referenced)
    )
    definition["$catch_all"] = dict(_CATCH_ALL, run=lambda closure: None)
    definition["$warm_up"] = dict(_WARM_UP, run=lambda closure: None)
    name = f"forwardrules_{len(_registered)}_{digest[:12]}"
    _get_host().register_rulesets({name: copy.deepcopy(definition, memo={})})
    _get_host().assert_facts(name, [{"sid": "$warm_up", "id": "w", NAME: "$warm_up"}])
    _get_host().delete_state(name, "$warm_up")
    strata = max((rule.stratum for rule in rules), default=0) + 1
    compiled = CompiledRuleset(name, referenced, strata)
    _registered[digest] = compiled
    return compiled


def run_rules(
    digest: str, rules: tuple[Rule, ...], vocabulary: Vocabulary, facts: dict[str, Any]
) -> list[Firing]:
    """Run the rules over a set of facts in a fresh durable-rules session, then delete it."""
    with _LOCK:
        host = _get_host()
        compiled = _register(digest, rules, vocabulary)
        sid = f"run-{next(_ids)}"
        run = _Run()
        _active[sid] = run
        try:
            batch = [
                {"sid": sid, "id": name, NAME: name, VALUE: durable_value(facts[name])}
                for name in sorted(facts)
                if name in compiled.referenced
            ]
            if batch:
                _assert(host, compiled.name, batch)
            for stratum in range(compiled.strata):
                if run.error is not None:
                    break
                marker = {"sid": sid, "id": f"$s{stratum}", NAME: STRATUM_FACT, VALUE: stratum}
                _assert(host, compiled.name, [marker])
        finally:
            del _active[sid]
            host.delete_state(compiled.name, sid)
        if run.error is not None:
            raise run.error
        return list(run.firings.values())


def _assert(host: Host, ruleset: str, facts: list[dict[str, Any]]) -> None:
    # The catch-all rule makes MessageNotHandledException unreachable; belt and braces.
    with contextlib.suppress(MessageNotHandledException):
        host.assert_facts(ruleset, facts)


def registered_rulesets() -> int:
    with _LOCK:
        return len(_registered)
