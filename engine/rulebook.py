"""A validated set of rules and their vocabulary: the thing callers open sessions on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .record_rules import RecordRule
from .rules import Rule
from .vocabulary import Vocabulary

if TYPE_CHECKING:
    from .session import Session


@dataclass(frozen=True, eq=False)
class Rulebook:
    vocabulary: Vocabulary
    rules: tuple[Rule, ...]
    digest: str = ""
    record_rules: tuple[RecordRule, ...] = ()

    def session(self) -> Session:
        from .session import Session

        return Session(self)

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)
