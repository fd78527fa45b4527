"""Reading record types (`vocabulary: records:`) and record rules (a `when` that is a list).

Every problem is reported through the loader's `fail(message, node)`, so one validation run names
them all with file, line and rule. Aliases are scoped: a pattern may read the aliases bound before
it; aliases bound inside `not` or `exists` are visible only there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .patterns import Absent, Aggregate, Element, Exists, FieldTest, Pattern, Test
from .record_rules import Action, Insert, Modify, RecordRule, Retract
from .terms import FUNCTIONS, TEST_OPS, TEXT_FUNCTIONS, UNARY, Term, literal
from .vocabulary import FactSpec, FactType, HostFunction, RecordType

Fail = Callable[..., None]
ReadField = Callable[[str, Any], FactSpec | None]
RECORD_TYPE_KEYS = {"fields", "derived", "description"}
PATTERN_KEYS = {"record", "as", "where"}
AGGREGATE_FUNCTIONS = ("count", "sum", "min", "max")
NUMERIC = (FactType.INTEGER, FactType.NUMBER)


def read_record_type(name: str, body: Any, read_field: ReadField, fail: Fail) -> RecordType | None:
    if not isinstance(body, Mapping) or not isinstance(body.get("fields"), Mapping):
        fail(f"record type {name!r} needs `fields`: a mapping of typed fields", body)
        return None
    for unknown in set(body) - RECORD_TYPE_KEYS:
        fail(f"record type {name!r}: unknown key {unknown!r}", body)
    fields: dict[str, FactSpec] = {}
    for field_name, spec_body in body["fields"].items():
        if not isinstance(field_name, str):  # `on: ...` unquoted is a YAML 1.1 boolean
            fail(f"record type {name!r}: field name {field_name!r} must be text (quote it)", body)
            continue
        if field_name.startswith("$"):  # "$type" names the record type when a field is `type`
            fail(
                f"record type {name!r}: field {field_name!r}: names starting with $ are reserved",
                body,
            )
            continue
        spec = read_field(f"{name}.{field_name}", spec_body)
        if spec is not None:
            fields[str(field_name)] = spec
    return RecordType(
        name, fields, bool(body.get("derived", False)), str(body.get("description", ""))
    )


class _Scope:
    """What names a term may read at one point of a rule: alias → record type, or a value."""

    def __init__(self, types: Mapping[str, RecordType]) -> None:
        self.types = types
        self.aliases: dict[str, str] = {}
        self.values: set[str] = set()

    def copy(self) -> _Scope:
        other = _Scope(self.types)
        other.aliases, other.values = dict(self.aliases), set(self.values)
        return other

    def spec(self, reference: str) -> FactSpec | None:
        alias, _, field = reference.partition(".")
        return self.types[self.aliases[alias]].fields.get(field)


class RuleReader:
    def __init__(
        self,
        types: Mapping[str, RecordType],
        fail: Fail,
        functions: Mapping[str, HostFunction] | None = None,
    ) -> None:
        self.types = types
        self.fail = fail
        self.functions = functions or {}

    def rule(self, body: Mapping[str, Any], order: int, file: str, line: int | None) -> RecordRule:
        scope = _Scope(self.types)
        elements = self.elements(body["when"], scope, body, top=True)
        actions = self.actions(body["then"], scope, body)
        salience = body.get("salience", body.get("priority", 0))
        if isinstance(salience, bool) or not isinstance(salience, int | float):
            self.fail("salience must be a number", body)
            salience = 0
        if not any(isinstance(e, Pattern) for e in elements):
            self.fail("a record rule needs at least one positive record pattern", body)
        meta = body.get("meta") or {}
        return RecordRule(
            str(body["id"]),
            tuple(elements),
            tuple(actions),
            float(salience),
            dict(meta) if isinstance(meta, Mapping) else {},
            file,
            line,
            order,
        )

    # Conditions.

    def elements(self, node: Any, scope: _Scope, parent: Any, top: bool = False) -> list[Element]:
        items = node if isinstance(node, list) else [node]
        if not items:
            self.fail("a list of record conditions cannot be empty", parent)
        found: list[Element] = []
        for item in items:
            element = self.element(item, scope, top)
            if element is not None:
                found.append(element)
        return found

    def element(self, node: Any, scope: _Scope, top: bool) -> Element | None:
        if not isinstance(node, Mapping) or not node:
            self.fail("a record condition is a mapping: record, not, exists, test or count…", node)
            return None
        if "record" in node:
            return self.pattern(node, scope, bind=True)
        if "fact" in node:
            self.fail("fact tests ({fact: ...}) cannot mix with record patterns in one rule", node)
            return None
        kinds = [k for k in node if k in ("not", "exists", "test", *AGGREGATE_FUNCTIONS)]
        if len(kinds) != 1:
            self.fail(f"unknown record condition {sorted(node)}", node)
            return None
        kind = kinds[0]
        if kind in ("not", "exists"):
            if len(node) != 1:
                self.fail(f"`{kind}` takes one condition or a list", node)
            inner = self.elements(node[kind], scope.copy(), node)
            return Absent(tuple(inner)) if kind == "not" else Exists(tuple(inner))
        if kind == "test":
            return self.test(node, scope)
        return self.aggregate(kind, node, scope)

    def pattern(self, node: Mapping[str, Any], scope: _Scope, bind: bool) -> Pattern | None:
        for unknown in set(node) - PATTERN_KEYS - ({"field"} if not bind else set()):
            self.fail(f"unknown key {unknown!r} in a record pattern", node)
        type_name = node["record"]
        record_type = self.types.get(type_name) if isinstance(type_name, str) else None
        if record_type is None:
            self.fail(f"unknown record type {type_name!r}", node)
            return None
        alias = node.get("as")
        if alias is not None and (not isinstance(alias, str) or not alias.isidentifier()):
            self.fail(f"`as` must be a name, got {alias!r}", node)
            alias = None
        if alias in scope.aliases or alias in scope.values:
            self.fail(f"alias {alias!r} is bound twice", node)
        tests: list[FieldTest] = []
        where = node.get("where") or {}
        if not isinstance(where, Mapping):
            self.fail("`where` is a mapping FIELD: {OP: VALUE}", node)
            where = {}
        for field, test_body in where.items():
            spec = record_type.fields.get(field)
            if spec is None:
                self.fail(f"{type_name!r} has no field {field!r}", node)
                continue
            ops = test_body if isinstance(test_body, Mapping) and _is_test(test_body) else None
            for op, value in (ops or {"eq": test_body}).items():
                term = self.test_term(op, value, spec, scope, node, f"{type_name}.{field}")
                if term is not None:
                    tests.append(FieldTest(str(field), op, term))
        # Equality tests first: the matcher looks the first one up in an index.
        tests.sort(key=lambda t: t.op != "eq")
        if bind and alias is not None:
            scope.aliases[alias] = type_name
        return Pattern(type_name, alias, tuple(tests))

    def test(self, node: Mapping[str, Any], scope: _Scope) -> Test | None:
        body = node["test"]
        if not isinstance(body, Mapping) or len(body) != 1:
            self.fail("`test` is {OP: [VALUE, VALUE]}", node)
            return None
        ((op, pair),) = body.items()
        if op not in TEST_OPS or not isinstance(pair, list) or len(pair) != 2:
            self.fail(
                f"`test` is {{OP: [VALUE, VALUE]}} with OP one of {', '.join(TEST_OPS)}", node
            )
            return None
        left, right = (self.term(part, scope, node) for part in pair)
        if left is None or right is None:
            return None
        return Test(op, left, right)

    def aggregate(self, function: str, node: Mapping[str, Any], scope: _Scope) -> Aggregate | None:
        body = node[function]
        if not isinstance(body, Mapping) or "record" not in body:
            self.fail(f"`{function}` takes a record pattern: {{record: TYPE, where: ...}}", node)
            return None
        pattern = self.pattern(body, scope, bind=False)
        if pattern is None:
            return None
        field = body.get("field")
        if function == "count":
            if field is not None:
                self.fail("`count` counts records; it takes no `field`", node)
        else:
            spec = self.types[pattern.type].fields.get(field) if isinstance(field, str) else None
            if spec is None or spec.type not in NUMERIC:
                self.fail(f"`{function}` needs `field`: a number field of {pattern.type!r}", node)
                return None
        tests: list[tuple[str, Term]] = []
        for op, value in node.items():
            if op in (function, "as"):
                continue
            if op not in TEST_OPS or op in ("in", "not_in", "contains"):
                self.fail(f"unknown aggregate test {op!r}", node)
                continue
            term = self.term(value, scope, node)
            if term is not None:
                tests.append((op, term))
        name = node.get("as")
        if name is not None:
            if not isinstance(name, str) or not name.isidentifier():
                self.fail(f"`as` must be a name, got {name!r}", node)
            elif name in scope.aliases or name in scope.values:
                self.fail(f"name {name!r} is bound twice", node)
            else:
                scope.values.add(name)
        return Aggregate(
            function, pattern, field if function != "count" else None, tuple(tests), name
        )

    def test_term(
        self, op: str, value: Any, spec: FactSpec, scope: _Scope, node: Any, subject: str
    ) -> Term | None:
        if op not in TEST_OPS:
            self.fail(
                f"unknown operator {op!r} on {subject}; use one of {', '.join(TEST_OPS)}", node
            )
            return None
        if op in ("in", "not_in"):
            if not isinstance(value, list) or not value:
                self.fail(f"`{op}` on {subject} needs a non-empty list", node)
                return None
            for item in value:
                if problem := spec.problem(item):
                    self.fail(f"value {item!r} for {subject} {problem}", node)
                    return None
            return literal(tuple(value))
        if op == "contains":
            if spec.type not in (FactType.LIST, FactType.TEXT):
                self.fail(f"`contains` needs a list or text field; {subject} is {spec.type}", node)
                return None
            spec = spec.item_spec() if spec.type is FactType.LIST else spec
        elif spec.type is FactType.LIST and op not in ("eq", "ne"):
            self.fail(f"`{op}` on the list {subject}: use contains, eq or ne", node)
            return None
        term = self.term(value, scope, node)
        if term is None:
            return None
        if op in ("lt", "le", "gt", "ge") and spec.type not in NUMERIC:
            self.fail(f"`{op}` needs a number field; {subject} is {spec.type}", node)
            return None
        if term.op == "literal" and (problem := spec.problem(term.args[0])):
            self.fail(f"value {term.args[0]!r} for {subject} {problem}", node)
            return None
        return term

    def term(self, node: Any, scope: _Scope, parent: Any, numeric: bool = False) -> Term | None:
        if not isinstance(node, Mapping):
            if numeric and (isinstance(node, bool) or not isinstance(node, int | float)):
                self.fail(f"arithmetic on {node!r}, which is not a number", parent)
                return None
            return literal(node)
        if len(node) != 1:
            self.fail(f"a value has one key, got {sorted(node)}", parent)
            return None
        ((op, body),) = node.items()
        if op == "var":
            return self.variable(body, scope, parent, numeric)
        if op in UNARY:
            inner = self.term(body, scope, parent, numeric=True)
            return Term(op, (inner,)) if inner else None
        if op == "call":
            return self.call(body, scope, parent, numeric)
        if op in TEXT_FUNCTIONS:
            if numeric and op != "length":
                self.fail(f"arithmetic on `{op}`, which gives text", parent)
                return None
            parts = body if op == "concat" and isinstance(body, list) else [body]
            if op == "concat" and (not isinstance(body, list) or not body):
                self.fail("`concat` takes a list of values", parent)
                return None
            terms = [self.term(part, scope, parent) for part in parts]
            return Term(op, tuple(terms)) if all(terms) else None
        if op in FUNCTIONS:
            if not isinstance(body, list) or len(body) != 2:
                self.fail(f"`{op}` takes a list of two values", parent)
                return None
            parts = [self.term(part, scope, parent, numeric=True) for part in body]
            return Term(op, tuple(parts)) if all(parts) else None
        self.fail(f"unknown value operator {op!r}", parent)
        return None

    def call(self, body: Any, scope: _Scope, parent: Any, numeric: bool) -> Term | None:
        """`{call: {NAME: [V, ...]}}`: a host function declared under `vocabulary: functions`."""
        if not isinstance(body, Mapping) or len(body) != 1:
            self.fail("`call` is {NAME: [VALUE, ...]}", parent)
            return None
        ((name, arguments),) = body.items()
        function = self.functions.get(name)
        if function is None:
            self.fail(f"`call`: no function {name!r} under vocabulary: functions", parent)
            return None
        arguments = arguments if isinstance(arguments, list) else [arguments]
        if len(arguments) != function.args:
            self.fail(f"`call`: {name!r} takes {function.args} values", parent)
            return None
        if numeric and function.returns not in NUMERIC:
            self.fail(f"arithmetic on {name!r}, which gives {function.returns}", parent)
            return None
        terms = [self.term(part, scope, parent) for part in arguments]
        return Term("call", (function, *terms)) if all(terms) else None

    def variable(self, body: Any, scope: _Scope, parent: Any, numeric: bool) -> Term | None:
        if not isinstance(body, str):
            self.fail(f"`var` names ALIAS.FIELD or an aggregate, got {body!r}", parent)
            return None
        name, dot, field = body.partition(".")
        if not dot:
            if name not in scope.values:
                self.fail(f"`var: {body}`: no aggregate named {name!r} before this point", parent)
                return None
            return Term("var", (name, None))
        if name not in scope.aliases:
            self.fail(f"`var: {body}`: no record bound as {name!r} before this point", parent)
            return None
        spec = scope.spec(body)
        if spec is None:
            self.fail(f"`var: {body}`: {scope.aliases[name]!r} has no field {field!r}", parent)
            return None
        if numeric and spec.type not in NUMERIC:
            self.fail(f"arithmetic on {body}, which is not a number field", parent)
            return None
        return Term("var", (name, field))

    # Actions.

    def actions(self, node: Any, scope: _Scope, parent: Any) -> list[Action]:
        if not isinstance(node, list) or not node:
            self.fail("`then` needs a non-empty list of insert, modify or retract", parent)
            return []
        found: list[Action] = []
        for item in node:
            action = self.action(item, scope)
            if action is not None:
                found.append(action)
        return found

    def action(self, node: Any, scope: _Scope) -> Action | None:
        kinds = [
            k for k in ("insert", "modify", "retract") if isinstance(node, Mapping) and k in node
        ]
        if len(kinds) != 1:
            self.fail("each record action is one of insert, modify, retract", node)
            return None
        kind = kinds[0]
        allowed = {"insert": {"insert", "fields", "logical"}, "modify": {"modify", "fields"}}
        for unknown in set(node) - allowed.get(kind, {"retract"}):
            self.fail(f"unknown action key {unknown!r}", node)
        if kind == "insert":
            type_name = node["insert"]
            record_type = self.types.get(type_name) if isinstance(type_name, str) else None
            if record_type is None:
                self.fail(f"unknown record type {type_name!r}", node)
                return None
            fields = self.fields(node, record_type, scope, complete=True)
            logical = node.get("logical", False)
            if not isinstance(logical, bool):
                self.fail("`logical` is true or false", node)
            return Insert(type_name, fields, bool(logical)) if fields is not None else None
        alias = node[kind]
        if alias not in scope.aliases:
            self.fail(f"`{kind}: {alias}`: no record bound as {alias!r} in this rule", node)
            return None
        if kind == "retract":
            return Retract(alias)
        fields = self.fields(node, self.types[scope.aliases[alias]], scope, complete=False)
        return Modify(alias, fields) if fields is not None else None

    def fields(
        self, node: Mapping[str, Any], record_type: RecordType, scope: _Scope, complete: bool
    ) -> tuple[tuple[str, Term], ...] | None:
        body = node.get("fields")
        if not isinstance(body, Mapping) or (not body and not complete):
            self.fail("`fields` is a mapping FIELD: VALUE", node)
            return None
        terms: list[tuple[str, Term]] = []
        for name, value in body.items():
            spec = record_type.fields.get(name)
            if spec is None:
                self.fail(f"{record_type.name!r} has no field {name!r}", node)
                continue
            term = self.term(value, scope, node)
            if term is None:
                continue
            if term.op == "literal" and (problem := spec.problem(term.args[0])):
                self.fail(f"value {term.args[0]!r} for {record_type.name}.{name} {problem}", node)
                continue
            terms.append((str(name), term))
        if complete:
            for missing in set(record_type.fields) - set(body):
                self.fail(f"inserting {record_type.name!r} needs field {missing!r}", node)
        return tuple(terms)


def _is_test(body: Mapping[str, Any]) -> bool:
    """`{eq: 3}` is a test; `{var: a.card}` or `{add: [...]}` is a value compared for equality."""
    return bool(body) and all(key in TEST_OPS for key in body)
