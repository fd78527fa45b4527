"""Every error the engine raises, each naming what went wrong and where."""

from __future__ import annotations


class ForwardRulesError(Exception):
    """Base class for engine errors."""


class RulebookError(ForwardRulesError):
    """Invalid rules or vocabulary, found before anything runs. `problems` lists every problem
    the validator found (each a RulebookError with its own file, line, rule and reason); the
    message joins them, one a line."""

    problems: list[RulebookError]

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        rule: str | None = None,
    ) -> None:
        self.file, self.line, self.rule, self.reason = file, line, rule, message
        self.problems = [self]
        where = ":".join(str(part) for part in (file, line) if part is not None)
        prefix = f"{where}: " if where else ""
        subject = f"rule {rule!r}: " if rule else ""
        super().__init__(f"{prefix}{subject}{message}")


class FactError(ForwardRulesError, ValueError):
    """A fact a caller tried to add: unknown name or invalid value. The session is unchanged."""

    def __init__(self, fact: str, message: str) -> None:
        self.fact = fact
        super().__init__(message)


class RuleActionError(ForwardRulesError):
    """A rule's action failed while the rules ran; raised to the caller, never swallowed."""

    def __init__(self, rule: str, cause: BaseException) -> None:
        self.rule = rule
        super().__init__(f"rule {rule!r} failed: {cause}")


class RuleConditionError(ForwardRulesError):
    """Evaluating a rule's condition failed (a division by zero, say): an error of that rule,
    raised to the caller. CLIPS reports it too; the run stops rather than guess."""

    def __init__(self, rule: str, cause: BaseException) -> None:
        self.rule = rule
        super().__init__(f"rule {rule!r}: its condition failed: {cause}")
