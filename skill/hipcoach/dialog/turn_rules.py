"""One rules session per turn: every validation and assessment of a turn shares it, and the rules
run once for a given set of findings (hipcoach.dialog.interview reads it).

Cold start: the rules engine is imported when a turn first needs it, so a launch, which runs no
rules, never loads it (tests/lambda/test_lambda_zip.py, `make bench`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forwardrules import Session


class TurnRules:
    """The one rules session a turn opens (lazily), and the assessments it made."""

    def __init__(self) -> None:
        self.session: Session | None = None
        self.assessed: dict[tuple[Any, ...], Any] = {}

    def open(self) -> Session:
        if self.session is None:
            from hipcoach.medical.triage import rulebook  # cold start: see the module doc

            self.session = rulebook().session()
        return self.session


current: ContextVar[TurnRules | None] = ContextVar("hipcoach_turn_rules", default=None)


@contextmanager
def one_rules_session() -> Iterator[None]:
    """Within the block (one turn), the rules session and the assessments are shared."""
    rules = TurnRules()
    token = current.set(rules)
    try:
        yield
    finally:
        current.reset(token)
        if rules.session is not None:
            rules.session.close()
