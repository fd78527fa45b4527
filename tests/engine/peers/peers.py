"""Published rule programs ported to forwardrules, each beside its CLIPS version.

Each folder of programs/ holds `rules.yaml` (forwardrules), `program.clp` (CLIPS), `facts.json`
(records given to both: `{"type": T, FIELD: VALUE}` is asserted into CLIPS as `(T (FIELD VALUE))`,
text as a CLIPS string, booleans as TRUE/FALSE) and `expected.json`: CLIPS's facts after the run,
of the types the program derives, run with CLIPS's LEX strategy (forwardrules' agenda). `python tests/engine/peers/regenerate.py` rebuilds the
expected files with clipspy; the tests compare forwardrules' records with them.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

PROGRAMS = Path(__file__).resolve().parent / "programs"


def programs() -> list[str]:
    return sorted(p.name for p in PROGRAMS.iterdir() if (p / "rules.yaml").exists())


def facts(name: str) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads((PROGRAMS / name / "facts.json").read_text())
    return loaded


def canonical(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records as sorted JSON-ready dicts (lists for multislots, a whole float as its integer:
    forwardrules keeps 40.0 as 40, CLIPS's arithmetic gives 40.0), so runs compare as sets."""
    clean = [{k: _plain(v) for k, v in r.items()} for r in rows]
    return sorted(clean, key=lambda r: json.dumps(r, sort_keys=True))


def _plain(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer() and abs(value) <= 2**53:
        return int(value)
    return value


def functions(name: str) -> dict[str, Any]:
    """The host functions a program's rules call: FUNCTIONS in its functions.py, if any."""
    path = PROGRAMS / name / "functions.py"
    if not path.exists():
        return {}
    spec = importlib.util.spec_from_file_location(f"peer_{name}_functions", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found: dict[str, Any] = module.FUNCTIONS
    return found


def rulebook(name: str) -> Any:
    from forwardrules import load_rulebook

    return load_rulebook(PROGRAMS / name / "rules.yaml", functions=functions(name) or None)


def expected(name: str) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads((PROGRAMS / name / "expected.json").read_text())
    return loaded


def forwardrules_output(name: str) -> list[dict[str, Any]]:
    book = rulebook(name)
    types = compared_types(name)
    with book.session() as session:
        session.insert(facts(name))
        result = session.result()
        return canonical([r.to_json() for r in result.records() if r.type in types])


def compared_types(name: str) -> set[str]:
    """The types whose records are compared: those listed in the program's compare.json, else
    the derived ones, else every type inserted by a rule (a program whose rules add to an input
    type)."""
    from forwardrules.record_rules import Insert

    listed = PROGRAMS / name / "compare.json"
    if listed.exists():
        return set(json.loads(listed.read_text()))

    book = rulebook(name)
    derived = {n for n, t in book.vocabulary.records.items() if t.derived}
    inserted = {a.type for r in book.record_rules for a in r.actions if isinstance(a, Insert)}
    return derived or inserted


def clips_value(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return " ".join(clips_value(v) for v in value)
    return json.dumps(str(value))  # a CLIPS string: double quotes, backslash escapes


def sequenced_type(name: str) -> str | None:
    """A type whose records are compared in the order they were made too (sequence.json names
    it: Monkey and Bananas' events are its plan, step by step)."""
    listed = PROGRAMS / name / "sequence.json"
    if not listed.exists():
        return None
    type_name: str = json.loads(listed.read_text())
    return type_name


def expected_sequence(name: str) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads(
        (PROGRAMS / name / "expected_sequence.json").read_text()
    )
    return loaded


def forwardrules_sequence(name: str) -> list[dict[str, Any]]:
    """Records of the sequenced type in the order forwardrules inserted them."""
    type_name = sequenced_type(name)
    with rulebook(name).session() as session:
        session.insert(facts(name))
        made = sorted(session.result().records(type_name), key=lambda r: r.id)
        return [{k: _plain(v) for k, v in r.to_json().items()} for r in made]


def clips_sequence(name: str) -> list[dict[str, Any]]:
    """Records of the sequenced type in the order CLIPS asserted them (fact index)."""
    env = _clips_run(name)
    type_name = sequenced_type(name)
    made = sorted((f for f in env.facts() if f.template.name == type_name), key=lambda f: f.index)
    return [_clips_row(f) for f in made]


def _clips_row(fact: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"type": fact.template.name}
    for slot, value in dict(fact).items():
        row[slot] = _plain(_python(value))
    return row


def clips_output(name: str) -> list[dict[str, Any]]:
    env = _clips_run(name)
    types = compared_types(name)
    return canonical([_clips_row(f) for f in env.facts() if f.template.name in types])


def _clips_run(name: str) -> Any:
    import clips

    env = clips.Environment()
    # forwardrules' agenda orders by recency as CLIPS's LEX strategy does (OPS5's); CLIPS's
    # default, depth, breaks ties among activations of one change by network order instead.
    env.eval("(set-strategy lex)")
    env.load(str(PROGRAMS / name / "program.clp"))
    for row in facts(name):
        slots = " ".join(f"({k} {clips_value(v)})" for k, v in row.items() if k != "type")
        env.assert_string(f"({row['type']} {slots})")
    env.run()
    return env


def _python(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_python(v) for v in value]
    if isinstance(value, str) and type(value).__name__ == "Symbol":
        return {"TRUE": True, "FALSE": False}.get(str(value), str(value))
    return str(value) if isinstance(value, str) else value
