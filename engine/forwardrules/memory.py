"""Working memory: the records of one session, indexed by type and, on demand, by field value."""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

from .records import BOOL_KEYS, Record, _hashable

IndexKey = tuple[str, tuple[str, ...]]  # (record type, fields looked up together)


class WorkingMemory:
    def __init__(self) -> None:
        self.records: dict[int, Record] = {}
        self._by_type: dict[str, dict[int, Record]] = {}
        self._by_content: dict[tuple[str, tuple[tuple[str, Any], ...]], int] = {}
        # Built the first time a join looks a field up, then kept current on every change.
        self._indexes: dict[IndexKey, dict[Any, dict[int, Record]]] = {}
        self._ids = 0
        self._stamp = 0
        self._newest: dict[str, int] = {}  # type → highest stamp ever seen (an upper bound)
        # Changes since the oldest snapshot still unread: (old version, new version), so a
        # snapshot costs nothing until it is read (see Snapshot).
        self._snapshots: weakref.WeakValueDictionary[int, Snapshot] = weakref.WeakValueDictionary()
        self._log: list[tuple[Record | None, Record | None]] = []
        self._log_start = 0  # the change number of _log[0]
        self._changes = 0

    def snapshot(self) -> Snapshot:
        """The records as they are now, in stamp order, read lazily."""
        return Snapshot(self)

    def _logged(self, old: Record | None, new: Record | None) -> None:
        self._changes += 1
        if not self._snapshots:
            self._log.clear()
            self._log_start = self._changes
            return
        self._log.append((old, new))
        if len(self._log) > len(self.records) + 64:  # undoing would cost more than copying
            for snapshot in list(self._snapshots.values()):
                snapshot.read()

    def _restore(self, mark: int) -> tuple[Record, ...]:
        """The records as they were after change number `mark`."""
        undo = self._log[mark - self._log_start :]
        if not undo:
            return tuple(self.records.values())
        records = dict(self.records)
        for old, new in reversed(undo):
            if new is not None:
                del records[new.id]
            if old is not None:
                records[old.id] = old
        return tuple(sorted(records.values(), key=_stamp))

    def newest(self, type_name: str) -> int:
        """No record of this type has a higher stamp (it may be lower: records go)."""
        return self._newest.get(type_name, 0)

    def of_type(self, type_name: str) -> Iterable[Record]:
        return self._by_type.get(type_name, {}).values()

    def lookup(
        self, type_name: str, fields: tuple[str, ...], values: tuple[Any, ...]
    ) -> Iterable[Record]:
        """Records of a type whose fields equal the values (true apart from 1)."""
        index = self._indexes.get((type_name, fields))
        if index is None:
            index = {}
            for record in self.of_type(type_name):
                index.setdefault(_values(record, fields), {})[record.id] = record
            self._indexes[(type_name, fields)] = index
        key = values
        for value in values:
            if type(value) is bool:  # True and False are keys of their own (not 1 and 0)
                key = tuple([BOOL_KEYS[v] if type(v) is bool else v for v in values])
                break
        try:
            bucket = index.get(key)
        except TypeError:  # an unhashable value equals no field value
            return ()
        return bucket.values() if bucket is not None else ()

    def find(self, type_name: str, fields: Mapping[str, Any]) -> Record | None:
        found = self._by_content.get(Record(0, type_name, fields).key())
        return self.records[found] if found is not None else None

    def insert(self, type_name: str, fields: Mapping[str, Any]) -> Record:
        self._ids += 1
        record = Record(self._ids, type_name, dict(fields), self._next_stamp())
        self._add(record)
        self._logged(None, record)
        return record

    def modify(self, record_id: int, fields: Mapping[str, Any]) -> Record:
        old = self.records[record_id]
        self._remove(old)
        record = Record(old.id, old.type, {**old.fields, **fields}, self._next_stamp())
        self._add(record)
        self._logged(old, record)
        return record

    def retract(self, record_id: int) -> Record | None:
        record = self.records.get(record_id)
        if record is not None:
            self._remove(record)
            self._logged(record, None)
        return record

    def _next_stamp(self) -> int:
        self._stamp += 1
        return self._stamp

    def _add(self, record: Record) -> None:
        self._newest[record.type] = max(self._newest.get(record.type, 0), record.stamp)
        self.records[record.id] = record
        self._by_type.setdefault(record.type, {})[record.id] = record
        self._by_content[record.key()] = record.id
        for (type_name, fields), index in self._indexes.items():
            if type_name == record.type:
                index.setdefault(_values(record, fields), {})[record.id] = record

    def _remove(self, record: Record) -> None:
        del self.records[record.id]
        del self._by_type[record.type][record.id]
        self._by_content.pop(record.key(), None)
        for (type_name, fields), index in self._indexes.items():
            if type_name == record.type:
                index.get(_values(record, fields), {}).pop(record.id, None)


def _values(record: Record, fields: tuple[str, ...]) -> tuple[Any, ...]:
    values = record.fields
    return tuple([_hashable(values[field]) for field in fields])


def _stamp(record: Record) -> int:
    return record.stamp


class Snapshot(Sequence[Record]):
    """Working memory's records at one moment, in stamp order (a Result's records). Taking one
    costs nothing: memory logs its changes while a snapshot is unread, and reading undoes them
    on a copy, so a session of 10,000 records answers one change without copying them."""

    def __init__(self, memory: WorkingMemory) -> None:
        self._memory: WorkingMemory | None = memory
        self._mark = memory._changes
        self._records: tuple[Record, ...] = ()
        memory._snapshots[id(self)] = self

    def read(self) -> tuple[Record, ...]:
        memory = self._memory
        if memory is not None:
            self._records = memory._restore(self._mark)
            memory._snapshots.pop(id(self), None)
            self._memory = None
        return self._records

    def __len__(self) -> int:
        return len(self.read())

    @overload
    def __getitem__(self, index: int) -> Record: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Record]: ...

    def __getitem__(self, index: int | slice) -> Record | Sequence[Record]:
        return self.read()[index]

    def __iter__(self) -> Iterator[Record]:
        return iter(self.read())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Snapshot):
            other = other.read()
        return isinstance(other, Sequence) and self.read() == tuple(other)

    __hash__ = None  # type: ignore[assignment]
