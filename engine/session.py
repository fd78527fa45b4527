"""A session: validated facts in, explained conclusions and the next question out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any

from . import host
from .errors import FactError
from .questions import Question, next_question
from .results import Result
from .rulebook import Rulebook


class Session:
    """Facts about one case. Results depend only on the set of facts, never on their order."""

    def __init__(self, rulebook: Rulebook) -> None:
        self.rulebook = rulebook
        self._facts: dict[str, Any] = {}
        self._result: Result | None = None
        self._closed = False

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def facts(self) -> Mapping[str, Any]:
        return dict(self._facts)

    def validate(self, facts: Mapping[str, Any]) -> dict[str, Any]:
        """The facts in canonical form, or FactError for the first bad name or value."""
        vocabulary = self.rulebook.vocabulary
        clean: dict[str, Any] = {}
        for name, value in facts.items():
            spec = vocabulary.spec(name) if isinstance(name, str) else None
            if spec is None:
                raise FactError(str(name), f"unknown fact {name!r}")
            if spec.derived:
                raise FactError(name, f"{name!r} is derived by the rules and cannot be added")
            if problem := spec.problem(value):
                raise FactError(name, f"invalid value {value!r} for {name!r}: {problem}")
            clean[name] = spec.normalise(value)
        return clean

    def add(self, facts: Mapping[str, Any]) -> None:
        """Add facts (all or nothing). A screening fact answered False closes its covered facts."""
        self._check_open()
        clean = self.validate(facts)
        for name, value in list(clean.items()):
            askable = self.rulebook.vocabulary.askable.get(name)
            if askable and value is False:
                for covered, implied in askable.implied_by_no().items():
                    clean.setdefault(covered, self._facts.get(covered, implied))
        self._facts.update(clean)
        self._result = None

    def retract(self, names: Iterable[str]) -> None:
        self._check_open()
        for name in names:
            self._facts.pop(name, None)
        self._result = None

    def result(self) -> Result:
        """Run the rules over the facts so far (cached until the facts change)."""
        self._check_open()
        if self._result is None:
            book = self.rulebook
            # Firings stay in the order durable-rules ran them: priority, then readiness.
            firings = host.run_rules(book.digest, book.rules, book.vocabulary, self._facts)
            self._result = Result(book.vocabulary, dict(self._facts), tuple(firings))
        return self._result

    def next_question(self, exhausted: Iterable[str] = ()) -> Question | None:
        """The most useful fact to ask next, or None when no answer could change an outcome."""
        return next_question(self.rulebook, self.result(), frozenset(exhausted))

    def close(self) -> None:
        self._closed = True
        self._facts.clear()
        self._result = None

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("this session is closed")
