"""A session: validated facts in, explained conclusions and the next question out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType, TracebackType
from typing import Any

from . import host
from .core import RulebookCore
from .errors import FactError, ForwardRulesError
from .inference import RecordEngine
from .questions import Question, next_question
from .records import Record
from .results import Prefix, Result
from .validation import validate_facts, validate_records

_Pending = tuple[
    str, Any, Any
]  # ("insert", type, fields) | ("modify", id, fields) | ("retract", id, None)


class Session:
    """Facts about one case. Results depend only on the set of facts, never on their order."""

    def __init__(self, rulebook: RulebookCore) -> None:
        self.rulebook = rulebook
        self._facts: dict[str, Any] = {}
        self._result: Result | None = None
        self._closed = False
        self._engine: RecordEngine | None = None
        self._pending: list[_Pending] = []
        self._failed: ForwardRulesError | None = None

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
        """The facts in canonical form, or FactError (the same as `Rulebook.validate`)."""
        return validate_facts(self.rulebook.vocabulary, facts)

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

    def validate_records(
        self, records: Iterable[Mapping[str, Any]]
    ) -> list[tuple[str, dict[str, Any]]]:
        """Records in canonical form, or FactError (the same as `Rulebook.validate_records`)."""
        return validate_records(self.rulebook.vocabulary, records)

    def insert(self, records: Iterable[Mapping[str, Any]]) -> None:
        """Insert records (all or nothing), in order: the last inserted is the most recent."""
        self._check_open()
        for type_name, fields in self.validate_records(list(records)):
            self._pending.append(("insert", type_name, fields))
        self._result = None

    def modify(self, record_id: int, fields: Mapping[str, Any]) -> None:
        """Change fields of a record in working memory (a new version: rules match it again)."""
        self._check_open()
        record = self._record_engine().memory.records.get(record_id)
        if record is None:
            raise FactError(str(record_id), f"no record with id {record_id}")
        record_type = self.rulebook.vocabulary.records[record.type]
        if problems := record_type.problems({**record.fields, **fields}):
            raise FactError(
                record.type, f"record {record_id} ({record.type}): " + "; ".join(problems)
            )
        self._pending.append(
            ("modify", record_id, record_type.normalise({**record.fields, **fields}))
        )
        self._result = None

    def remove(self, record_id: int) -> None:
        """Retract a record; records that logically depended on it go too."""
        self._check_open()
        self._pending.append(("retract", record_id, None))
        self._result = None

    def records(self, type_name: str | None = None) -> list[Record]:
        return self.result().records(type_name)

    def _record_engine(self) -> RecordEngine:
        if self._engine is None:
            book = self.rulebook
            self._engine = RecordEngine(book.vocabulary.records, book.record_rules)
        return self._engine

    def _apply_pending(self, engine: RecordEngine) -> None:
        """Changes in the order they were made: among records inserted together, the last one
        inserted is the most recent (as in CLIPS)."""
        pending, self._pending = self._pending, []
        for kind, subject, fields in pending:
            if kind == "insert":
                engine.insert(subject, fields)
            elif kind == "modify" and subject in engine.memory.records:
                engine.modify(subject, fields)
            elif kind == "retract":
                engine.retract(subject)

    def result(self) -> Result:
        """Run the rules over the facts and records so far (cached until they change). After a
        record rule failed, working memory stopped half way: every later call raises that error
        again, never a partial result (open a new session)."""
        self._check_open()
        if self._failed is not None:
            raise self._failed
        if self._result is None:
            book = self.rulebook
            firings = []
            if book.rules:
                # Firings in the agenda's order: priority, then recency, then declaration.
                firings = host.run_rules(book, self._facts)
            if book.vocabulary.records:
                engine = self._record_engine()
                try:
                    self._apply_pending(engine)
                    engine.run()
                except ForwardRulesError as error:
                    self._failed = error
                    raise
                self._result = Result(
                    book.vocabulary,
                    dict(self._facts),
                    tuple(firings),
                    engine.memory.snapshot(),
                    Prefix(engine.firings, len(engine.firings)),
                    # shared, read-only: entries are only ever added, keyed by (id, stamp)
                    MappingProxyType(engine.origin),
                )
            else:
                self._result = Result(book.vocabulary, dict(self._facts), tuple(firings))
        return self._result

    def next_question(self, exhausted: Iterable[str] = ()) -> Question | None:
        """The most useful fact to ask next, or None when no answer could change an outcome."""
        return next_question(self.rulebook, self.result(), frozenset(exhausted))

    def close(self) -> None:
        self._closed = True
        self._facts.clear()
        self._result = None
        self._engine = None
        self._pending.clear()

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("this session is closed")
