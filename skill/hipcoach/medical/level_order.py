"""The triage levels' order and which parts of a result each says (content/level_order.yaml).

Read on its own, without the rules engine, the knowledge base or PyYAML (the file is JSON, which
is YAML too), so that storage (episodes) and speech can compare and pick levels with no level id
in Python, at launch as well.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from hipcoach.content_location import CONTENT_DIR

LEVEL_ORDER_FILE = CONTENT_DIR / "level_order.yaml"


class LevelOrderError(ValueError):
    """content/level_order.yaml is malformed."""


@dataclass(frozen=True)
class LevelOrder:
    order: tuple[str, ...]  # lowest first
    no_warning_sign: str
    cause_advice: frozenset[str]
    emergency_number: frozenset[str]
    urgent_care_line: frozenset[str]
    emergency_only: str
    interrupts: frozenset[str]

    def rank(self, level: str) -> int:
        return self.order.index(level)

    def highest(self, levels: Iterable[str]) -> str | None:
        """The highest known level among `levels` (None when there is none)."""
        known = [level for level in levels if level in self.order]
        return max(known, key=self.order.index) if known else None


@cache
def level_order() -> LevelOrder:
    try:
        raw = json.loads(LEVEL_ORDER_FILE.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise LevelOrderError(f"{LEVEL_ORDER_FILE.name}: not JSON-form YAML: {error}") from error
    if not isinstance(raw, dict) or not isinstance(raw.get("order"), list):
        raise LevelOrderError(f"{LEVEL_ORDER_FILE.name}: `order` must be a list of level ids")
    order = tuple(str(level) for level in raw["order"])

    def one(key: str) -> str:
        value = raw.get(key)
        if value not in order:
            raise LevelOrderError(f"{LEVEL_ORDER_FILE.name}: `{key}` must be one of {order}")
        return str(value)

    def some(key: str) -> frozenset[str]:
        values = raw.get(key)
        if not isinstance(values, list) or not set(values) <= set(order):
            raise LevelOrderError(f"{LEVEL_ORDER_FILE.name}: `{key}` must list levels of {order}")
        return frozenset(str(v) for v in values)

    return LevelOrder(
        order=order,
        no_warning_sign=one("no_warning_sign"),
        cause_advice=some("cause_advice"),
        emergency_number=some("emergency_number"),
        urgent_care_line=some("urgent_care_line"),
        emergency_only=one("emergency_only"),
        interrupts=some("interrupts"),
    )
