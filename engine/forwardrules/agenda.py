"""Activations and their order: salience first, then recency (newest records first), as CLIPS.

An activation is one distinct match of one rule: the record in each positive pattern's position,
at its current version, plus the values of any named aggregates. Two matches over the same records
in swapped roles are two activations (as in CLIPS). A rule fires at most once per
activation (refraction); modifying a record makes new activations for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .record_rules import RecordRule
from .records import Record

MatchKey = tuple[int, tuple[tuple[int, int], ...], tuple[Any, ...]]


@dataclass(frozen=True)
class Activation:
    rule: RecordRule
    binding: Mapping[str, Any] = field(hash=False, compare=False)
    key: MatchKey
    order: tuple[Any, ...] = field(hash=False, compare=False)


def conflict_order(
    salience: float, stamps: list[int], declared: int, identity: tuple[Any, ...]
) -> tuple[Any, ...]:
    """The one conflict-resolution order of the engine, for record rules and named-fact rules
    alike: sorted ascending = fired first. Higher salience (a named-fact rule's priority), then
    the newest stamps compared in turn (CLIPS's LEX; a longer list wins a tie, hence the trailing
    0), then declaration order, then the match itself (deterministic)."""
    newest = sorted([-stamp for stamp in stamps])
    newest.append(0)
    return (-salience, tuple(newest), declared, identity)


def make_activation(rule: RecordRule, binding: dict[str, Any]) -> Activation:
    records = []
    values = []
    for value in binding.values():
        if type(value) is Record:
            records.append((value.id, value.stamp))
        else:
            values.append(value)
    identity = tuple(records)  # by position: bindings are filled in pattern order
    key: MatchKey = (rule.order, identity, tuple(values))
    order = conflict_order(rule.salience, [stamp for _, stamp in records], rule.order, identity)
    return Activation(rule, dict(binding), key, order)
