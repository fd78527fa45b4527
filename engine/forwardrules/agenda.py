"""Activations and their order: salience first, then recency (newest records first), as CLIPS.

An activation is one distinct match of one rule: the record in each positive pattern's position,
at its current version, plus the values of any named aggregates. Two matches over the same records
in swapped roles are two activations (as in CLIPS). A rule fires at most once per
activation (refraction); modifying a record makes new activations for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .record_rules import RecordRule
from .records import Record

MatchKey = tuple[int, tuple[tuple[int, int], ...], tuple[Any, ...]]


class Activation:
    """One match of a rule. Equal (and hashed) by its key; `order` sorts it on the agenda.
    A plain class with slots: the engine makes one per match it finds, many per change."""

    __slots__ = ("binding", "key", "order", "rule")

    def __init__(
        self,
        rule: RecordRule,
        binding: Mapping[str, Any],
        key: MatchKey,
        order: tuple[Any, ...],
    ) -> None:
        self.rule = rule
        self.binding = binding
        self.key = key
        self.order = order

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Activation) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"Activation({self.rule.id!r}, {self.key!r})"


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
    stamps = []
    values = []
    for value in binding.values():
        if type(value) is Record:
            records.append((value.id, value.stamp))
            stamps.append(value.stamp)
        else:
            values.append(value)
    identity = tuple(records)  # by position: bindings are filled in pattern order
    key: MatchKey = (rule.order, identity, tuple(values))
    order = conflict_order(rule.salience, stamps, rule.order, identity)
    return Activation(rule, dict(binding), key, order)
