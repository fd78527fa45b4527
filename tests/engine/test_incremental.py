"""Incremental matching gives exactly what matching every rule again after each change gives:
the same firings in the same order and the same working memory, over random changes."""

import random
import textwrap

import pytest

from forwardrules import load_rulebook
from forwardrules.inference import RecordEngine

from .conftest import write_rules

RULES = """
vocabulary:
  records:
    person: {fields: {name: {type: text}, group: {type: integer}, age: {type: integer}}}
    block: {fields: {group: {type: integer}}}
    note: {fields: {kind: {type: text}, name: {type: text}, value: {type: number}}}
rules:
  - id: pair          # a join with a reverse equality, logical support
    when:
      - {record: person, as: a}
      - {record: person, as: b, where: {group: {var: a.group}, age: {gt: {var: a.age}}}}
    then: [{insert: note, logical: true, fields: {kind: pair, name: {var: b.name}, value: 1}}]
  - id: crowd         # an aggregate linked to an outer field
    when:
      - {record: person, as: p}
      - {count: {record: person, where: {group: {var: p.group}}}, ge: 3, as: n}
    then: [{insert: note, logical: true, fields: {kind: crowd, name: {var: p.name}, value: {var: n}}}]
  - id: oldest        # negation linked to outer fields
    when:
      - {record: person, as: p}
      - {not: {record: person, where: {group: {var: p.group}, age: {gt: {var: p.age}}}}}
      - {not: {record: block, where: {group: {var: p.group}}}}
    then: [{insert: note, logical: true, fields: {kind: oldest, name: {var: p.name}, value: 0}}]
  - id: unlinked      # exists with no link to the outer pattern: matched in full
    when:
      - {record: person, as: p, where: {age: {lt: 30}}}
      - {exists: [{record: block, as: k}, {not: {record: person, where: {group: {var: k.group}}}}]}
    then: [{insert: note, logical: true, fields: {kind: unlinked, name: {var: p.name}, value: 0}}]
  - id: total
    when:
      - {record: block, as: k}
      - {sum: {record: person, where: {group: {var: k.group}}, field: age}, as: s}
    then: [{insert: note, logical: true, fields: {kind: total, name: x, value: {var: s}}}]
"""


def scenario(seed: int):
    rng = random.Random(seed)
    steps = []
    for _ in range(60):
        kind = rng.choice(["person", "person", "person", "block", "modify", "retract"])
        if kind == "person":
            steps.append(
                (
                    "insert",
                    "person",
                    {
                        "name": f"p{rng.randrange(12)}",
                        "group": rng.randrange(4),
                        "age": rng.randrange(20, 50),
                    },
                )
            )
        elif kind == "block":
            steps.append(("insert", "block", {"group": rng.randrange(4)}))
        else:
            steps.append(
                (kind, rng.random(), {"age": rng.randrange(20, 50), "group": rng.randrange(4)})
            )
    return steps


def replay(book, steps, incremental: bool, best_first: bool = False):
    engine = RecordEngine(
        book.vocabulary.records, book.record_rules, incremental=incremental, best_first=best_first
    )
    trace = []
    for kind, what, fields in steps:
        inputs = [r for r in engine.records() if r.type in ("person", "block")]
        if kind == "insert":
            engine.insert(what, fields)
        elif inputs:
            target = inputs[int(what * len(inputs))]
            if kind == "retract":
                engine.retract(target.id)
            elif target.type == "person":
                engine.modify(target.id, fields)
        engine.run()
        trace.append(sorted(str(sorted(r.fields.items())) + r.type for r in engine.records()))
    firings = [
        (f.rule, tuple(sorted((a, r.id, r.stamp) for a, r in f.matched.items())))
        for f in engine.firings
    ]
    return trace, firings


@pytest.mark.parametrize("seed", range(12))
def test_incremental_equals_full_matching(tmp_path, seed):
    book = load_rulebook(write_rules(tmp_path, textwrap.dedent(RULES)))
    steps = scenario(seed)
    assert replay(book, steps, incremental=True) == replay(book, steps, incremental=False)


@pytest.mark.parametrize("seed", range(6))
def test_lazy_rules_switching_to_conflict_sets_fire_the_same(tmp_path, seed, monkeypatch):
    # without logical support the rules search for their best activation; with a small budget they
    # switch to a kept conflict set once they have searched 200 steps: the firings must not change
    import forwardrules.inference as inference

    monkeypatch.setattr(inference, "LAZY_BUDGET", 200)
    monkeypatch.setattr(inference, "LAZY_SEARCH", 0)
    book = load_rulebook(
        write_rules(tmp_path, textwrap.dedent(RULES).replace("logical: true, ", ""))
    )
    steps = scenario(seed)
    assert replay(book, steps, True, best_first=True) == replay(book, steps, False)
