"""Activations and their order: salience first, then recency (newest records first), as CLIPS.

An activation is one distinct match of one rule: the records its positive patterns matched, at
their current versions, plus the values of any named aggregates. A rule fires at most once per
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


def make_activation(rule: RecordRule, binding: dict[str, Any]) -> Activation:
    records = [v for v in binding.values() if isinstance(v, Record)]
    values = tuple(v for k, v in binding.items() if not isinstance(v, Record))
    stamps = sorted((r.stamp for r in records), reverse=True)
    identity = tuple(sorted((r.id, r.stamp) for r in records))
    key: MatchKey = (rule.order, identity, values)
    # Sorted ascending = fired first: higher salience, then the newest stamps compared in turn
    # (a longer list wins a tie, hence the trailing 0), then declaration order.
    order = (-rule.salience, (*(-s for s in stamps), 0), rule.order, identity)
    return Activation(rule, dict(binding), key, order)
