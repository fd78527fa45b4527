"""Reading a rules folder: parse, validate everything, and only then build a Rulebook."""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from .compiler import durable_rules_count
from .conditions import OPERATORS, All, AnyOf, Atom, Condition, Not, atoms, contradictory, dnf
from .errors import RulebookError
from .gc_pause import paused_gc
from .record_loader import RuleReader, read_record_type
from .record_rules import Insert, RecordRule
from .rulebook import Rulebook
from .rules import ARITHMETIC, Assertion, Expr, Rule
from .strata import assign_strata
from .vocabulary import (
    Askable,
    Combine,
    FactSpec,
    FactType,
    HostFunction,
    Vocabulary,
    int64_problem,
)
from .yaml_source import LineDict, line_of, load_yaml

TOP_LEVEL_KEYS = {"vocabulary", "askable", "rules"}
FACT_KEYS = {
    "type", "values", "ordered", "min", "max", "combine", "keys", "default",
    "conclusion", "outcome", "description", "settle_margin", "settle_when", "of",
}  # fmt: skip
RULE_KEYS = {"id", "when", "then", "priority", "meta", "description"}
RECORD_RULE_KEYS = RULE_KEYS | {"salience"}
_Choice = TypeVar("_Choice", bound=StrEnum)
_MEMBERS: dict[type[StrEnum], dict[str, StrEnum]] = {}
# A parsed mapping is a dict: checked first, in C, before the Mapping ABC's slower check.
_MAPPINGS = (dict, Mapping)
# Identical content is parsed once while someone holds its rulebook; the last few stay loaded.
# Nothing else keeps a rulebook alive, so a replaced one (and its rulesets) can be freed.
_CACHE: weakref.WeakValueDictionary[str, Rulebook] = weakref.WeakValueDictionary()
_RECENT: OrderedDict[str, Rulebook] = OrderedDict()
_RECENT_SIZE = 4
_CACHE_LOCK = threading.Lock()


class _Problems:
    """Collects every problem so one run of the validator reports them all."""

    def __init__(self) -> None:
        self.items: list[RulebookError] = []

    def add(
        self,
        message: str,
        file: str,
        node: object = None,
        rule: str | None = None,
        line: int | None = None,
    ) -> None:
        where = line if line is not None else line_of(node)
        self.items.append(RulebookError(message, file=file, line=where, rule=rule))

    def raise_if_any(self) -> None:
        if self.items:
            error = RulebookError(
                "\n".join(str(p) for p in self.items),
                file=self.items[0].file,
                line=self.items[0].line,
                rule=self.items[0].rule,
            )
            error.problems = list(self.items)
            raise error


def rule_files(source: str | Path | Iterable[str | Path]) -> list[Path]:
    """The YAML files of a rules folder (recursively), a single file, or a list of either."""
    sources = [source] if isinstance(source, str | Path) else list(source)
    files: list[Path] = []
    for item in map(Path, sources):
        if item.is_dir():
            files.extend(sorted(p for p in item.rglob("*.y*ml") if p.suffix in (".yaml", ".yml")))
        elif item.exists():
            files.append(item)
        else:
            raise RulebookError(f"no such rules file or folder: {item}")
    if not files:
        raise RulebookError(f"no YAML rule files in {', '.join(map(str, sources))}")
    return files


def load_rulebook(
    source: str | Path | Iterable[str | Path],
    *,
    cache_dir: str | Path | None = None,
    functions: Mapping[str, Callable[..., Any]] | None = None,
) -> Rulebook:
    """Load and validate a rules folder. Identical content is parsed once per process and, with
    `cache_dir`, once per content version on disk. `functions` gives the implementations of the
    host functions the vocabulary declares (shared by every user of the same content)."""
    files = rule_files(source)
    key = content_digest(files)
    book = _CACHE.get(key)
    if book is None:
        cached = _read_disk_cache(cache_dir, key)
        if cached is None:
            with paused_gc():
                book = build_rulebook(files, key)
        else:
            book = cached
        if cached is None:
            _write_disk_cache(cache_dir, key, book)
    with _CACHE_LOCK:
        book = _CACHE.setdefault(key, book)
        _RECENT[key] = book
        _RECENT.move_to_end(key)
        while len(_RECENT) > _RECENT_SIZE:
            _RECENT.popitem(last=False)
    for name, implementation in (functions or {}).items():
        declared = book.vocabulary.functions.get(name)
        if declared is None:
            raise RulebookError(f"function {name!r} is not declared under vocabulary: functions")
        declared.implementation = implementation
    return book


def _read_disk_cache(cache_dir: str | Path | None, key: str) -> Rulebook | None:
    if cache_dir is None:
        return None
    path = Path(cache_dir) / f"rulebook-{key[:32]}.pickle"
    try:
        book = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return book if isinstance(book, Rulebook) and book.digest == key else None


def _write_disk_cache(cache_dir: str | Path | None, key: str, book: Rulebook) -> None:
    if cache_dir is None:
        return
    path = Path(cache_dir) / f"rulebook-{key[:32]}.pickle"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(pickle.dumps(book, protocol=pickle.HIGHEST_PROTOCOL))
        temporary.replace(path)
    except OSError:
        pass  # a read-only file system only costs the cache


def content_digest(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_rulebook(files: list[Path], digest: str | None = None) -> Rulebook:
    digest = digest or content_digest(files)
    problems = _Problems()
    documents: list[tuple[str, Mapping[str, Any]]] = []
    for path in files:
        try:
            data = load_yaml(path)
        except Exception as error:  # yaml errors carry their own line
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark else None
            raise RulebookError(f"not valid YAML: {error}", file=str(path), line=line) from None
        if data is None:
            continue
        if not isinstance(data, _MAPPINGS):
            problems.add("a rules file must be a mapping", str(path))
            continue
        for unknown in set(data) - TOP_LEVEL_KEYS:
            problems.add(f"unknown top-level key {unknown!r}", str(path), data)
        documents.append((str(path), data))
    problems.raise_if_any()

    vocabulary = _read_vocabulary(documents, problems)
    problems.raise_if_any()
    _read_settle_conditions(documents, vocabulary, problems)
    problems.raise_if_any()
    rules, record_rules = _read_rules(documents, vocabulary, problems)
    problems.raise_if_any()
    _check_rulebook(rules, vocabulary, problems)
    _check_records(record_rules, vocabulary, problems)
    problems.raise_if_any()
    try:
        rules = assign_strata(rules, vocabulary)
    except RulebookError as error:
        problems.items.append(error)
    problems.raise_if_any()
    return Rulebook(
        vocabulary=vocabulary, rules=tuple(rules), digest=digest, record_rules=tuple(record_rules)
    )


def _read_vocabulary(
    documents: list[tuple[str, Mapping[str, Any]]], problems: _Problems
) -> Vocabulary:
    vocabulary = Vocabulary()
    shapes: dict[Any, FactSpec] = {}
    for file, data in documents:
        section = data.get("vocabulary")
        if section is None:
            continue
        if not isinstance(section, _MAPPINGS):
            problems.add("`vocabulary` must be a mapping", file, data)
            continue
        for unknown in set(section) - {"facts", "derived", "records", "functions"}:
            problems.add(f"unknown vocabulary section {unknown!r}", file, section)
        _read_functions(section.get("functions") or {}, vocabulary, file, problems)
        _read_record_types(section.get("records") or {}, vocabulary, file, problems)
        for derived in (False, True):
            entries = section.get("derived" if derived else "facts") or {}
            for name, body in entries.items():
                if name in vocabulary.facts:
                    problems.add(f"fact {name!r} is declared twice", file, body)
                    continue
                if not isinstance(name, str) or name.startswith("$"):
                    # `$...` names are the engine's own (the stratum marker it sends to
                    # durable-rules is `$stratum`); `on:` unquoted reads as a boolean
                    problems.add(
                        f"fact name {name!r} must be text not starting with $ (quote it)",
                        file,
                        body,
                    )
                    continue
                # Facts declared alike (10,000 `{type: integer, min: 0, max: 100}`) are read
                # once; the shape keeps each value's type (`min: true` is not `min: 1`).
                try:
                    shape: Any = (derived, *((k, type(v), v) for k, v in body.items()))
                    known = shapes.get(shape)
                except (TypeError, AttributeError):  # a list value, or not a mapping
                    shape = known = None
                if known is not None:
                    vocabulary.facts[name] = dataclasses.replace(known, name=name)
                    continue
                before = len(problems.items)
                spec = _read_fact(name, body, derived, file, problems)
                if spec:
                    vocabulary.facts[name] = spec
                    if shape is not None and len(problems.items) == before:
                        shapes[shape] = spec
    askables: list[tuple[str, Any]] = []
    for file, data in documents:
        for order, entry in enumerate(data.get("askable") or []):
            _read_askable(entry, order, vocabulary, file, problems)
            askables.append((file, entry))
    _check_screens_reach_covered(askables, vocabulary, problems)
    return vocabulary


def _check_screens_reach_covered(
    entries: list[tuple[str, Any]], vocabulary: Vocabulary, problems: _Problems
) -> None:
    """After a "yes" to a screen, only its covered facts that are askable themselves get asked:
    one that is not would silently stay unknown (a missed fever), so it is an error."""
    for file, entry in entries:
        name = entry.get("fact") if isinstance(entry, _MAPPINGS) else None
        screen = vocabulary.askable.get(name) if isinstance(name, str) else None
        if screen is None:
            continue
        for covered in screen.covers:
            spec = vocabulary.spec(covered)
            if spec is not None and not spec.derived and covered not in vocabulary.askable:
                problems.add(
                    f"askable {screen.fact!r} covers {covered!r}, which is not askable itself: "
                    f"after a yes to {screen.fact!r} it would never be asked (add an askable "
                    f"entry for {covered!r})",
                    file,
                    entry,
                )


def _read_functions(section: Any, vocabulary: Vocabulary, file: str, problems: _Problems) -> None:
    if not isinstance(section, _MAPPINGS):
        problems.add("`functions` maps NAME: {args: N, returns: TYPE}", file, section)
        return
    for name, body in section.items():
        args = body.get("args") if isinstance(body, _MAPPINGS) else None
        try:
            returns = FactType(str(body.get("returns"))) if isinstance(body, _MAPPINGS) else None
        except ValueError:
            returns = None
        if isinstance(args, bool) or not isinstance(args, int) or args < 0 or returns is None:
            problems.add(
                f"function {name!r}: needs `args` (how many values) and `returns` (a type)",
                file,
                body,
            )
            continue
        if name in vocabulary.functions:
            problems.add(f"function {name!r} is declared twice", file, body)
        vocabulary.functions[str(name)] = HostFunction(str(name), args, returns)


def _read_record_types(
    section: Any, vocabulary: Vocabulary, file: str, problems: _Problems
) -> None:
    if not isinstance(section, _MAPPINGS):
        problems.add("`records` must be a mapping of record types", file, section)
        return

    def fail(message: str, node: object = section) -> None:
        problems.add(message, file, node)

    def read_field(name: str, body: Any) -> FactSpec | None:
        if isinstance(body, _MAPPINGS) and body.get("combine") is not None:
            fail(f"field {name!r}: `combine` is for derived facts, not record fields", body)
        return _read_fact(name, body, False, file, problems, record_field=True)

    for name, body in section.items():
        if name in vocabulary.records or name in vocabulary.facts:
            problems.add(f"record type {name!r} is declared twice", file, body)
            continue
        record_type = read_record_type(str(name), body, read_field, fail)
        if record_type is not None:
            vocabulary.records[str(name)] = record_type


def _member(kind: type[_Choice], value: Any) -> _Choice:
    """kind(value) for a text enum, by one dict lookup (an enum call costs microseconds, and a
    vocabulary of 10,000 facts makes 20,000); ValueError for anything else, as kind(value)."""
    members = _MEMBERS.get(kind)
    if members is None:
        members = _MEMBERS[kind] = {member.value: member for member in kind}
    found = members.get(value) if isinstance(value, str) else None
    if found is None:
        raise ValueError(f"{value!r} is not a valid {kind.__name__}")
    return found  # type: ignore[return-value]


def _read_fact(
    name: str,
    body: Any,
    derived: bool,
    file: str,
    problems: _Problems,
    record_field: bool = False,
) -> FactSpec | None:
    if not isinstance(body, _MAPPINGS):
        problems.add(f"fact {name!r} must be a mapping with a `type`", file, body)
        return None
    for unknown in set(body) - FACT_KEYS:
        problems.add(f"fact {name!r}: unknown key {unknown!r}", file, body)
    try:
        fact_type = _member(FactType, str(body.get("type")))
    except ValueError:
        choices = ", ".join(t.value for t in FactType)
        problems.add(f"fact {name!r}: type must be one of {choices}", file, body)
        return None
    item_type: FactType | None = None
    if fact_type is FactType.LIST:
        if not record_field:
            problems.add(f"fact {name!r}: lists are for record fields only", file, body)
            return None
        try:
            item_type = _member(FactType, str(body.get("of")))
        except ValueError:
            item_type = None
        if item_type in (None, FactType.LIST):
            problems.add(f"list field {name!r} needs `of`: the type of its items", file, body)
            return None
    elif "of" in body:
        problems.add(f"fact {name!r}: `of` is for list fields", file, body)
    try:
        combine = _member(Combine, body.get("combine", "single"))
    except ValueError:
        problems.add(f"fact {name!r}: unknown combine {body.get('combine')!r}", file, body)
        return None
    if not derived and "combine" in body:
        problems.add(f"input fact {name!r} cannot have `combine`", file, body)
    values = tuple(body.get("values") or ())
    if (fact_type is FactType.ENUM or item_type is FactType.ENUM) and not values:
        problems.add(f"enum fact {name!r} needs `values`", file, body)
    for value in values:
        if isinstance(value, bool):  # YAML 1.1 reads yes/no/on/off/true/false as booleans
            problems.add(
                f"fact {name!r}: enum value {value!r} was read as a boolean (YAML reads yes, no, "
                "on, off as true/false): quote it, e.g. 'yes'",
                file,
                body,
            )
        elif not isinstance(value, str | int | float):
            problems.add(f"fact {name!r}: enum value {value!r} must be a name", file, body)
    for bound in ("min", "max"):
        limit = body.get(bound)
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int | float)):
            problems.add(f"fact {name!r}: `{bound}` must be a number, got {limit!r}", file, body)
            return None
        if limit is not None and (item_type or fact_type) not in (
            FactType.INTEGER,
            FactType.NUMBER,
        ):
            problems.add(f"fact {name!r}: `{bound}` is only for number facts", file, body)
    if (
        isinstance(body.get("min"), int | float)
        and isinstance(body.get("max"), int | float)
        and body["min"] > body["max"]
    ):
        problems.add(f"fact {name!r}: `min` is above `max`", file, body)
    if combine is Combine.MAX and not (body.get("ordered") or fact_type is not FactType.ENUM):
        problems.add(f"fact {name!r}: `combine: max` needs an ordered enum or a number", file, body)
    if combine is Combine.SUM and fact_type not in (FactType.NUMBER, FactType.INTEGER):
        problems.add(f"fact {name!r}: `combine: sum` needs a number type", file, body)
    spec = FactSpec(
        name=name,
        type=fact_type,
        derived=derived,
        values=values,
        ordered=bool(body.get("ordered", False)),
        minimum=body.get("min"),
        maximum=body.get("max"),
        combine=combine,
        keys=tuple(body.get("keys") or ()),
        default=body.get("default"),
        conclusion=bool(body.get("conclusion", False)),
        outcome=bool(body.get("outcome", False)),
        settle_margin=body.get("settle_margin"),
        description=str(body.get("description", "")),
        of=item_type,
    )
    if spec.default is not None and (problem := spec.problem(spec.default)):
        problems.add(f"fact {name!r}: default {spec.default!r} {problem}", file, body)
    margin = spec.settle_margin
    if margin is not None and (
        combine is not Combine.SUM
        or isinstance(margin, bool)
        or not isinstance(margin, int | float)
    ):
        problems.add(f"fact {name!r}: settle_margin must be a number on a sum fact", file, body)
    if spec.outcome and combine not in (Combine.MAX, Combine.SUM):
        problems.add(f"fact {name!r}: an outcome must combine by max or sum", file, body)
    return spec


def _read_settle_conditions(
    documents: list[tuple[str, Mapping[str, Any]]], vocabulary: Vocabulary, problems: _Problems
) -> None:
    """`settle_when` is a condition over other facts, parsed once the vocabulary is complete."""
    for file, data in documents:
        derived = (data.get("vocabulary") or {}).get("derived") or {}
        for name, body in derived.items():
            if not isinstance(body, _MAPPINGS) or "settle_when" not in body:
                continue

            def fail(
                message: str, node: object = body, fact: str = name, where: str = file
            ) -> None:
                problems.add(f"fact {fact!r}: settle_when: {message}", where, node)

            condition = _read_condition(body["settle_when"], vocabulary, fail)
            if condition is not None:
                spec = vocabulary.facts[name]
                vocabulary.facts[name] = dataclasses.replace(spec, settle_when=condition)


def _read_askable(
    entry: Any, order: int, vocabulary: Vocabulary, file: str, problems: _Problems
) -> None:
    if not isinstance(entry, _MAPPINGS) or "fact" not in entry:
        problems.add("an askable entry needs `fact` and `priority`", file, entry)
        return
    name = entry["fact"]
    spec = vocabulary.spec(name)
    if spec is None or spec.derived:
        problems.add(f"askable {name!r} is not an input fact", file, entry)
        return
    if name in vocabulary.askable:
        problems.add(f"askable {name!r} is listed twice", file, entry)
    covers_list: list[str] = []
    implied: list[tuple[str, bool]] = []
    for item in entry.get("covers") or ():
        if isinstance(item, _MAPPINGS):
            if not isinstance(item.get("value"), bool) or "fact" not in item:
                problems.add(
                    f"askable {name!r}: a covered entry is a name or {{fact, value}}", file, entry
                )
                continue
            covers_list.append(item["fact"])
            implied.append((item["fact"], item["value"]))
        else:
            covers_list.append(item)
    covers = tuple(covers_list)
    for covered in covers:
        covered_spec = vocabulary.spec(covered)
        if (
            covered_spec is None
            or covered_spec.derived
            or covered_spec.type is not FactType.BOOLEAN
        ):
            problems.add(
                f"askable {name!r} covers {covered!r}: not a boolean input fact", file, entry
            )
    if covers and spec.type is not FactType.BOOLEAN:
        problems.add(f"screening question {name!r} must be a boolean fact", file, entry)
    priority = entry.get("priority", 0)
    if isinstance(priority, bool) or not isinstance(priority, int | float):
        problems.add(f"askable {name!r}: priority must be a number", file, entry)
        return
    vocabulary.askable[name] = Askable(
        name, float(priority), covers, len(vocabulary.askable), tuple(implied)
    )


def _read_rules(
    documents: list[tuple[str, Mapping[str, Any]]], vocabulary: Vocabulary, problems: _Problems
) -> tuple[list[Rule], list[RecordRule]]:
    rules: list[Rule] = []
    record_rules: list[RecordRule] = []
    seen: dict[str, str] = {}
    for file, data in documents:
        entries = data.get("rules") or []
        if not isinstance(entries, list):
            problems.add("`rules` must be a list", file, data)
            continue
        for body in entries:
            if not isinstance(body, _MAPPINGS) or not isinstance(body.get("id"), str):
                problems.add("every rule needs a text `id`", file, body)
                continue
            rule_id = body["id"]
            if rule_id in seen:
                problems.add(f"duplicate rule id (first in {seen[rule_id]})", file, body, rule_id)
                continue
            seen[rule_id] = file
            if isinstance(body.get("when"), list):  # record patterns
                # An `or` makes one rule per alternative, under the same id (as CLIPS does).
                for alternative in _or_alternatives(body, file, problems):
                    order = len(record_rules)
                    record_rule = _read_record_rule(alternative, order, vocabulary, file, problems)
                    if record_rule:
                        record_rules.append(record_rule)
                continue
            rule = _read_rule(body, vocabulary, file, problems)
            if rule:
                rules.append(rule)
    return rules, record_rules


MAX_OR_ALTERNATIVES = 64
MAX_DURABLE_RULES = 200  # per rule: one ruleset chunk (host.CHUNK_RULES) must hold it


def _or_alternatives(
    body: Mapping[str, Any], file: str, problems: _Problems
) -> list[Mapping[str, Any]]:
    """`{or: [A, B]}` among a record rule's conditions (A, B: a condition or a list of them)
    expands into one rule body per alternative, each validated on its own."""
    bodies: list[list[Any]] = [[]]
    for item in body["when"]:
        if not (isinstance(item, _MAPPINGS) and "or" in item):
            for conditions in bodies:
                conditions.append(item)
            continue
        branches = item["or"]
        if len(item) != 1 or not isinstance(branches, list) or len(branches) < 2:
            problems.add("`or` takes a list of two or more alternatives", file, item, body["id"])
            return []
        bodies = [
            conditions + (branch if isinstance(branch, list) else [branch])
            for conditions in bodies
            for branch in branches
        ]
        if len(bodies) > MAX_OR_ALTERNATIVES:
            problems.add(
                f"`or` makes more than {MAX_OR_ALTERNATIVES} alternatives", file, item, body["id"]
            )
            return []
    if len(bodies) == 1:
        return [body]
    expanded: list[Mapping[str, Any]] = []
    for conditions in bodies:
        alternative = LineDict(body)
        alternative["when"] = conditions
        alternative.line = line_of(body)
        expanded.append(alternative)
    return expanded


def _read_record_rule(
    body: Mapping[str, Any], order: int, vocabulary: Vocabulary, file: str, problems: _Problems
) -> RecordRule | None:
    rule_id = body["id"]
    count = len(problems.items)

    def fail(message: str, node: object = body) -> None:
        problems.add(message, file, node if line_of(node) else body, rule_id)

    for unknown in set(body) - RECORD_RULE_KEYS:
        fail(f"unknown key {unknown!r}")
    if "then" not in body:
        fail("a rule needs `when` and `then`")
        return None
    if body.get("meta") is not None and not isinstance(body.get("meta"), _MAPPINGS):
        fail("meta must be a mapping")
    reader = RuleReader(vocabulary.records, fail, vocabulary.functions)
    rule = reader.rule(body, order, file, line_of(body))
    return rule if len(problems.items) == count else None


def _read_rule(
    body: Mapping[str, Any], vocabulary: Vocabulary, file: str, problems: _Problems
) -> Rule | None:
    rule_id = body["id"]
    count = len(problems.items)

    def fail(message: str, node: object = body) -> None:
        problems.add(message, file, node, rule_id)

    for unknown in set(body) - RULE_KEYS:
        fail(f"unknown key {unknown!r}")
    if "when" not in body or "then" not in body:
        fail("a rule needs `when` and `then`")
        return None
    condition = _read_condition(body["when"], vocabulary, fail)
    then = _read_then(body["then"], vocabulary, fail)
    priority = body.get("priority", 0)
    if isinstance(priority, bool) or not isinstance(priority, int | float):
        fail("priority must be a number")
    meta = body.get("meta") or {}
    if not isinstance(meta, _MAPPINGS):
        fail("meta must be a mapping")
    if len(problems.items) > count or condition is None:
        return None
    try:
        alternatives = dnf(condition)
    except ValueError as error:
        fail(str(error))
        return None
    possible = tuple(a for a in alternatives if not contradictory(a, vocabulary.facts))
    if not possible:
        fail("this rule can never fire: its conditions contradict each other")
        return None
    # Tests on one set/max fact may share values in every way: each way is one durable rule.
    durable = durable_rules_count(possible, vocabulary)
    if durable > MAX_DURABLE_RULES:
        fail(
            f"the condition expands to {durable} durable-rules rules (at most"
            f" {MAX_DURABLE_RULES}): fewer tests on one set or max fact in one `all`"
        )
        return None
    computed = [assertion for assertion in then if assertion.value.op != "literal"]
    positive = (
        {lit.atom.fact for alt in possible for lit in alt if lit.positive} if computed else set()
    )
    for assertion in computed:  # a literal value uses no fact
        for used in assertion.value.facts():
            if used not in positive or any(
                used not in {lit.atom.fact for lit in alt if lit.positive} for alt in possible
            ):
                fail(f"value uses fact {used!r}, which the rule does not always match")
    if len(problems.items) > count:
        return None
    return Rule(
        id=rule_id,
        when=condition,
        then=tuple(then),
        priority=float(priority),
        meta=dict(meta),
        file=file,
        line=line_of(body),
        alternatives=possible,
    )


def _read_condition(node: Any, vocabulary: Vocabulary, fail: Any) -> Condition | None:
    if not isinstance(node, _MAPPINGS) or not node:
        fail("a condition must be a mapping: {fact: ..., OP: ...}, all, any or not", node)
        return None
    if "fact" in node:
        return _read_atom(node, vocabulary, fail)
    if len(node) != 1:
        fail(f"a condition takes one of all/any/not, got {sorted(node)}", node)
        return None
    ((kind, body),) = node.items()
    if kind == "not":
        inner = _read_condition(body, vocabulary, fail)
        return Not(inner) if inner else None
    if kind in ("all", "any"):
        if not isinstance(body, list) or not body:
            fail(f"`{kind}` needs a non-empty list", node)
            return None
        parts = [_read_condition(part, vocabulary, fail) for part in body]
        if any(part is None for part in parts):
            return None
        return (All if kind == "all" else AnyOf)(tuple(parts))  # type: ignore[arg-type]
    fail(f"unknown operator {kind!r} (expected all, any, not or a fact test)", node)
    return None


def _read_atom(node: Mapping[str, Any], vocabulary: Vocabulary, fail: Any) -> Atom | None:
    atom = _read_atom_body(node, vocabulary, fail)
    if atom is not None:
        for value in atom.value if isinstance(atom.value, tuple) else (atom.value,):
            if problem := int64_problem(value):
                fail(f"value {value!r} for {atom.fact!r} {problem}", node)
                return None
    return atom


def _read_atom_body(node: Mapping[str, Any], vocabulary: Vocabulary, fail: Any) -> Atom | None:
    name = node["fact"]
    spec = vocabulary.spec(name)
    if spec is None:
        fail(f"unknown fact {name!r}", node)
        return None
    ops = [key for key in node if key != "fact"]
    if len(ops) != 1:
        fail(f"a test on {name!r} needs exactly one operator, got {ops or 'none'}", node)
        return None
    op = ops[0]
    value = node[op]
    if op not in OPERATORS:
        fail(f"unknown operator {op!r} on {name!r}; use one of {', '.join(OPERATORS)}", node)
        return None
    if spec.combine is Combine.SUM:
        fail(f"{name!r} is a sum; conditions cannot test it", node)
        return None
    if op in ("present", "absent"):
        if value is not True:
            fail(f"`{op}` takes true", node)
            return None
        return Atom(name, op)
    if op in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            fail(f"`{op}` on {name!r} needs a non-empty list", node)
            return None
        for item in value:
            if problem := spec.problem(item):
                fail(f"value {item!r} for {name!r} {problem}", node)
                return None
        return Atom(name, op, tuple(value))
    numeric = spec.type in (FactType.INTEGER, FactType.NUMBER)
    ordered_enum = spec.type is FactType.ENUM and spec.ordered
    if op in ("lt", "le", "gt", "ge") and not (numeric or ordered_enum):
        fail(f"`{op}` needs a number or an ordered enum; {name!r} is {spec.type}", node)
        return None
    if op in ("lt", "le", "gt", "ge") and spec.type in (FactType.INTEGER, FactType.NUMBER):
        if isinstance(value, bool) or not isinstance(value, int | float):
            fail(f"value {value!r} for {name!r} must be a number", node)
            return None
        return Atom(name, op, value)
    if problem := spec.problem(value):
        fail(f"value {value!r} for {name!r} {problem}", node)
        return None
    return Atom(name, op, value)


def _read_then(node: Any, vocabulary: Vocabulary, fail: Any) -> list[Assertion]:
    if not isinstance(node, list) or not node:
        fail("`then` needs a non-empty list of {assert: FACT, value: ...}", node)
        return []
    assertions = []
    for item in node:
        if not isinstance(item, _MAPPINGS) or "assert" not in item:
            fail("each action is {assert: FACT, value: ...}", item)
            continue
        for unknown in set(item) - {"assert", "value", "key"}:
            fail(f"unknown action key {unknown!r}", item)
        name = item["assert"]
        spec = vocabulary.spec(name)
        if spec is None:
            fail(f"unknown fact {name!r}", item)
            continue
        if not spec.derived:
            fail(f"{name!r} is an input fact; rules may only assert derived facts", item)
            continue
        key = item.get("key")
        if spec.combine is Combine.SUM:
            if key not in spec.keys:
                fail(f"{name!r} needs `key`, one of {', '.join(spec.keys)}", item)
                continue
        elif key is not None:
            fail(f"`key` is only for sum facts, not {name!r}", item)
            continue
        if "value" not in item:
            fail(f"asserting {name!r} needs a `value`", item)
            continue
        expression = _read_expr(item["value"], vocabulary, fail, item)
        if expression is None:
            continue
        if expression.op == "literal" and (
            problem := spec.problem(expression.args[0]) or int64_problem(expression.args[0])
        ):
            fail(f"value {expression.args[0]!r} for {name!r} {problem}", item)
            continue
        assertions.append(Assertion(name, expression, key))
    return assertions


def _read_expr(node: Any, vocabulary: Vocabulary, fail: Any, parent: object) -> Expr | None:
    if not isinstance(node, _MAPPINGS):
        return Expr("literal", (node,))
    if len(node) != 1:
        fail(f"a value expression has one key, got {sorted(node)}", parent)
        return None
    ((op, body),) = node.items()
    if op == "fact":
        if vocabulary.spec(body) is None:
            fail(f"unknown fact {body!r}", parent)
            return None
        return Expr("fact", (body,))
    if op == "round":
        inner = _read_expr(body, vocabulary, fail, parent)
        return Expr("round", (inner,)) if inner else None
    if op in ARITHMETIC:
        if not isinstance(body, list) or len(body) != 2:
            fail(f"`{op}` takes a list of two values", parent)
            return None
        parts = [_read_expr(part, vocabulary, fail, parent) for part in body]
        return Expr(op, tuple(parts)) if all(parts) else None
    fail(f"unknown value operator {op!r}", parent)
    return None


def _check_records(rules: list[RecordRule], vocabulary: Vocabulary, problems: _Problems) -> None:
    inserted = {a.type for rule in rules for a in rule.actions if isinstance(a, Insert)}
    for name, record_type in vocabulary.records.items():
        if record_type.derived and name not in inserted:
            problems.add(
                f"derived record type {name!r} is never inserted by any rule", "vocabulary"
            )


def _check_rulebook(rules: list[Rule], vocabulary: Vocabulary, problems: _Problems) -> None:
    asserted = {a.fact for rule in rules for a in rule.then}
    for name in vocabulary.derived:
        if name not in asserted:
            problems.add(f"derived fact {name!r} is never asserted by any rule", "vocabulary")
    for rule in rules:
        for atom in atoms(rule.when):
            spec = vocabulary.facts[atom.fact]
            if spec.derived and atom.fact not in asserted:
                problems.add(
                    f"uses derived fact {atom.fact!r}, which no rule asserts",
                    rule.file,
                    rule=rule.id,
                    line=rule.line,
                )
