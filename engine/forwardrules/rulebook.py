"""A validated set of rules and their vocabulary: the thing callers open sessions on."""

from __future__ import annotations

from .core import RulebookCore
from .session import Session


class Rulebook(RulebookCore):
    """Validated rules: `vocabulary` (every fact's FactSpec, the askable facts, the record types),
    `rules` in file order (each with its id, meta and `facts_tested`), `record_rules`, and the
    content `digest`."""

    def session(self) -> Session:
        """A fresh, isolated session on these rules."""
        return Session(self)
