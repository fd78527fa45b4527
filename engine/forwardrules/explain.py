"""`because` as a tree: from a conclusion down to the input facts and records that support it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .records import Record

if TYPE_CHECKING:
    from .inference import RecordFiring


@dataclass(frozen=True)
class Explanation:
    """One node: what holds, which rule made it hold (None for an input), and what that rule
    matched, each explained in turn."""

    subject: str
    rule: str | None = None
    why: str | None = None
    supports: tuple[Explanation, ...] = ()
    # "input" (given), "rule" (a rule made it hold), "condition" (a not/exists that held),
    # "aggregate" (a value computed over records): only inputs are leaves of `inputs()`
    kind: str = ""

    @property
    def role(self) -> str:
        return self.kind or ("input" if self.rule is None else "rule")

    def inputs(self) -> list[str]:
        """The leaves: the input facts and records everything here rests on."""
        if not self.supports:
            return [self.subject] if self.role == "input" else []
        found: list[str] = []
        for support in self.supports:
            found += [leaf for leaf in support.inputs() if leaf not in found]
        return found

    def lines(self, depth: int = 0) -> list[str]:
        pad = "  " * depth
        if self.role == "condition":
            head = f"{pad}{self.subject}: held"
        elif self.role == "aggregate":
            head = f"{pad}{self.subject}: computed over the records"
        elif self.rule is None:
            head = f"{pad}{self.subject}: given"
        else:
            reason = f" ({self.why})" if self.why else ""
            head = f"{pad}{self.subject}: because rule {self.rule}{reason} matched"
        return [head] + [line for s in self.supports for line in s.lines(depth + 1)]

    def text(self) -> str:
        return "\n".join(self.lines())


def why_of(meta: Mapping[str, Any]) -> str | None:
    why = meta.get("why")
    return str(why) if why is not None else None


def explain_record(record: Record, origins: Mapping[tuple[int, int], RecordFiring]) -> Explanation:
    firing = origins.get((record.id, record.stamp))
    if firing is None:
        return Explanation(record.describe())
    supports = [explain_record(r, origins) for a, r in firing.matched.items()]
    held = [Explanation(text, kind=kind) for kind, text in firing.conditions()]
    return Explanation(record.describe(), firing.rule, why_of(firing.meta), tuple(supports + held))
