"""Validating facts and records against a vocabulary: a function of the rules alone, no session
needed (`Rulebook.validate`, `Rulebook.validate_records`; a session calls the same functions).

In the JSON form of a record, `"type"` names its record type. A record type may declare a field
named `type` itself: such a record names its record type with `"$type"` instead (`"$type"` is
accepted for every record), and its field `type` is an ordinary field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .errors import FactError
from .vocabulary import Vocabulary, int64_problem

TYPE_KEY = "type"
ESCAPED_TYPE_KEY = "$type"  # names the record type when `type` is one of its fields


def validate_facts(vocabulary: Vocabulary, facts: Mapping[str, Any]) -> dict[str, Any]:
    """Named facts in canonical form, or FactError for the first bad name or value."""
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
        if problem := int64_problem(clean[name]):
            raise FactError(name, f"invalid value {value!r} for {name!r}: {problem}")
    return clean


def split_record(record: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """A record's JSON form → (record type, fields)."""
    key = ESCAPED_TYPE_KEY if ESCAPED_TYPE_KEY in record else TYPE_KEY
    fields = {k: v for k, v in record.items() if k != key}
    return str(record.get(key)), fields


def validate_records(
    vocabulary: Vocabulary, records: Iterable[Mapping[str, Any]]
) -> list[tuple[str, dict[str, Any]]]:
    """Records `{"type": TYPE, FIELD: VALUE, ...}` (or `{"$type": TYPE, ...}`) in canonical
    form, or FactError for the first bad one."""
    types = vocabulary.records
    clean: list[tuple[str, dict[str, Any]]] = []
    for index, record in enumerate(records):
        if not isinstance(record, Mapping):
            raise FactError(str(index), f'record {index}: must be an object with a "type"')
        type_name, fields = split_record(record)
        record_type = types.get(type_name)
        if record_type is None:
            raise FactError(str(type_name), f"record {index}: unknown record type {type_name!r}")
        if record_type.derived:
            raise FactError(type_name, f"{type_name!r} records are derived by the rules")
        if problems := record_type.problems(fields):
            raise FactError(type_name, f"record {index} ({type_name}): " + "; ".join(problems))
        clean.append((type_name, record_type.normalise(fields)))
    return clean
