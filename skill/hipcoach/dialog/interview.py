"""The interview: findings so far, the question being asked, and the engine's assessment.

The state lives in session attributes between turns. Everything read back is validated: a tampered
or stale state restarts the interview cleanly rather than reaching the rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from forwardrules import FactError, Session
from hipcoach.dialog.turn_rules import current
from hipcoach.medical.knowledge import knowledge
from hipcoach.medical.triage import explain, rulebook

MAX_QUESTIONS = 40  # far beyond any real interview; a guard against a looping client


def validate(findings: Mapping[str, Any]) -> dict[str, Any]:
    """The findings in canonical form (FactError for a name or value the rules do not accept)."""
    rules = current.get()
    if rules is not None:
        return rules.open().validate(findings)
    with rulebook().session() as session:
        return session.validate(findings)


@dataclass
class InterviewState:
    findings: dict[str, Any] = field(default_factory=dict)
    exhausted: list[str] = field(default_factory=list)
    asking: str | None = None
    asked: int = 0
    repeats: int = 0  # how many times in a row `asking` has been put to the runner
    which: bool = False  # a screen got a bare yes: its "which one?" is pending

    def to_attributes(self) -> dict[str, Any]:
        return {
            "findings": dict(self.findings),
            "exhausted": list(self.exhausted),
            "asking": self.asking,
            "asked": self.asked,
            "repeats": self.repeats,
            "which": self.which,
        }

    @classmethod
    def from_attributes(cls, raw: object) -> InterviewState | None:
        """The state, or None when the attributes are missing, malformed or invalid."""
        if not isinstance(raw, Mapping):
            return None
        findings, exhausted = raw.get("findings"), raw.get("exhausted")
        asking, asked = raw.get("asking"), raw.get("asked")
        questions = knowledge().questions
        if not isinstance(findings, Mapping) or not isinstance(exhausted, list):
            return None
        if asking is not None and (not isinstance(asking, str) or asking not in questions):
            return None
        if isinstance(asked, bool) or not isinstance(asked, int) or not 0 <= asked <= MAX_QUESTIONS:
            return None
        if not all(isinstance(name, str) and name in questions for name in exhausted):
            return None
        repeats, which = raw.get("repeats", 0), raw.get("which", False)
        if isinstance(repeats, bool) or not isinstance(repeats, int) or not 0 <= repeats <= 3:
            return None
        if not isinstance(which, bool):
            return None
        try:
            clean = validate(dict(findings))
        except FactError:
            return None
        return cls(clean, list(dict.fromkeys(exhausted)), asking, asked, repeats, which)


@dataclass(frozen=True)
class Assessment:
    level: str
    ranking: list[tuple[str, float]]
    red_flags: list[str]
    fired: list[str]
    next_question: str | None
    known: frozenset[str] | None = None  # the findings the rules knew (said or screened out)

    @property
    def leader(self) -> str | None:
        return self.ranking[0][0] if self.ranking and self.ranking[0][1] > 0 else None

    def likely(self, limit: int = 3) -> list[str]:
        """Conditions with positive support, best first."""
        return [key for key, score in self.ranking[:limit] if score > 0]

    def reasons(self, locale: str) -> tuple[list[str], list[str]]:
        """Plain reasons: (for the urgency, for the leading condition)."""
        kb = knowledge()
        for_level = explain(kb, self.fired, self.level, None, locale, self.known)
        both = explain(kb, self.fired, self.level, self.leader, locale, self.known)
        return for_level, both[len(for_level) :]


def _assess(session: Session, state: InterviewState, same_findings: bool = False) -> Assessment:
    if not same_findings:  # else the session's result stands: the rules ran on these findings
        session.retract(list(session.facts))
        session.add(state.findings)
    result = session.result()
    question = session.next_question(exhausted=set(state.exhausted))
    return Assessment(
        level=str(result.value("triage")),
        ranking=[(str(k), float(v)) for k, v in result.ranking("condition_score")],
        red_flags=[str(flag) for flag in result.value("red_flag") or ()],
        fired=[firing.rule for firing in result.firings],
        known=frozenset(session.facts),
        next_question=question.fact if question and state.asked < MAX_QUESTIONS else None,
    )


def assess(state: InterviewState) -> Assessment:
    """Run the hip rules on the findings so far (the same rulebook as `hipcoach triage`); within
    a turn (`one_rules_session`), once for a given state."""
    rules = current.get()
    if rules is None:
        with rulebook().session() as session:
            return _assess(session, state)
    key = (
        frozenset(state.findings.items()),
        frozenset(state.exhausted),
        state.asked < MAX_QUESTIONS,
    )
    known = rules.assessed.get(key)
    if not isinstance(known, Assessment):
        # the findings the session holds (the last assessed) with another question given up on:
        # the rules' result stands, only the next question changes
        last = next(reversed(rules.assessed), None)
        same = last is not None and last[0] == key[0]
        known = rules.assessed[key] = _assess(rules.open(), state, same)
    return known


def record_answer(state: InterviewState, finding: str, value: Any) -> None:
    """Add one validated answer (raises FactError for a value the finding does not accept)."""
    state.findings.update(validate({finding: value}))
    state.asked += 1


def record_volunteered(state: InterviewState, findings: Mapping[str, Any]) -> dict[str, Any]:
    """Keep what the runner said without being asked; a value the finding does not accept is
    dropped on its own. Returns what was kept."""
    kept: dict[str, Any] = {}
    for finding, value in findings.items():
        if finding in state.findings:
            continue  # said before: a later aside never overwrites an answer (or a red flag)
        try:
            kept.update(validate({finding: value}))
        except FactError:
            continue
    state.findings.update(kept)
    return kept


def record_unknown(state: InterviewState, finding: str) -> None:
    if finding not in state.exhausted:
        state.exhausted.append(finding)
    state.asked += 1
