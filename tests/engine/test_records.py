"""Records: joins, negation, existence, aggregates, the agenda, modify, retract, logical support."""

import textwrap

import pytest

from forwardrules import FactError, RuleActionError, load_rulebook

from .conftest import write_rules

VOCAB = """
vocabulary:
  records:
    item:
      fields:
        name: {type: text}
        group: {type: text}
        size: {type: integer}
    block:
      fields:
        group: {type: text}
    out:
      derived: true
      fields:
        name: {type: text}
        value: {type: number}
"""


def book(tmp_path, rules: str):
    return load_rulebook(write_rules(tmp_path, VOCAB + textwrap.dedent(rules)))


def items(*rows):
    return [{"type": "item", "name": n, "group": g, "size": s} for n, g, s in rows]


def outs(result):
    return sorted((r["name"], r["value"]) for r in result.records("out"))


def test_join_on_equal_fields_and_arithmetic(tmp_path):
    rules = book(
        tmp_path,
        """
        rules:
          - id: pair
            when:
              - {record: item, as: a}
              - record: item
                as: b
                where:
                  group: {var: a.group}
                  size: {gt: {var: a.size}, le: {mul: [{var: a.size}, 2]}}
            then:
              - insert: out
                fields: {name: {var: b.name}, value: {sub: [{var: b.size}, {var: a.size}]}}
        """,
    )
    with rules.session() as session:
        session.insert(items(("x", "g", 2), ("y", "g", 4), ("z", "g", 5), ("w", "h", 3)))
        assert outs(session.result()) == [("y", 2), ("z", 1)]


def test_negation_and_existence_over_joined_patterns(tmp_path):
    rules = book(
        tmp_path,
        """
        rules:
          - id: lonely
            when:
              - {record: item, as: a}
              - not:
                  - {record: item, as: b, where: {group: {var: a.group}, name: {ne: {var: a.name}}}}
                  - {record: block, where: {group: {var: b.group}}}
            then:
              - {insert: out, fields: {name: {var: a.name}, value: 0}}
          - id: blocked
            when:
              - {record: item, as: a}
              - exists: {record: block, where: {group: {var: a.group}}}
            then:
              - {insert: out, fields: {name: {var: a.name}, value: 1}}
        """,
    )
    with rules.session() as session:
        session.insert(items(("x", "g", 1), ("y", "g", 1), ("z", "h", 1)))
        session.insert([{"type": "block", "group": "g"}])
        # x and y each have a partner in a blocked group; z has none
        assert outs(session.result()) == [("x", 1), ("y", 1), ("z", 0)]


@pytest.mark.parametrize(
    ("function", "expected"),
    [("count", [("g", 3)]), ("sum", [("g", 9)]), ("min", [("g", 2)]), ("max", [("g", 4)])],
)
def test_aggregates(tmp_path, function, expected):
    field = "" if function == "count" else ", field: size"
    rules = book(
        tmp_path,
        f"""
        rules:
          - id: total
            when:
              - {{record: item, as: a}}
              - {{{function}: {{record: item, where: {{group: {{var: a.group}}}}{field}}}, ge: 2, as: n}}
            then:
              - {{insert: out, fields: {{name: {{var: a.group}}, value: {{var: n}}}}}}
        """,
    )
    with rules.session() as session:
        session.insert(items(("x", "g", 2), ("y", "g", 3), ("z", "g", 4), ("w", "h", 1)))
        assert outs(session.result()) == expected


def test_fires_once_per_distinct_match_salience_then_recency(tmp_path):
    rules = book(
        tmp_path,
        """
        rules:
          - id: each
            when: [{record: item, as: a}]
            then: [{insert: out, fields: {name: {var: a.name}, value: 1}}]
          - id: first
            salience: 10
            when: [{record: item, as: a, where: {size: 1}}]
            then: [{insert: out, fields: {name: {var: a.name}, value: 10}}]
        """,
    )
    with rules.session() as session:
        session.insert(items(("a", "g", 1), ("b", "g", 2), ("c", "g", 3)))
        result = session.result()
        order = [(f.rule, f.matched["a"]["name"]) for f in result.record_firings]
        # salience first; then the newest record first (inserted a, b, c in that order)
        assert order == [("first", "a"), ("each", "c"), ("each", "b"), ("each", "a")]
        assert session.result() is result  # nothing changed: nothing fires again


def test_modify_reactivates_and_retract_from_actions(tmp_path):
    rules = book(
        tmp_path,
        """
        rules:
          - id: grow
            when: [{record: item, as: a, where: {size: {lt: 3}}}]
            then: [{modify: a, fields: {size: {add: [{var: a.size}, 1]}}}]
          - id: drop_blocked
            when:
              - {record: item, as: a}
              - {record: block, where: {group: {var: a.group}}}
            then: [{retract: a}]
          - id: report
            salience: -1
            when: [{record: item, as: a}]
            then: [{insert: out, fields: {name: {var: a.name}, value: {var: a.size}}}]
        """,
    )
    with rules.session() as session:
        session.insert(items(("x", "g", 0), ("y", "h", 5)))
        session.insert([{"type": "block", "group": "h"}])
        result = session.result()
        assert [f.rule for f in result.record_firings].count("grow") == 3
        assert [r["name"] for r in result.records("item")] == ["x"]
        assert outs(result) == [("x", 3)]


LOGICAL = """
rules:
  - id: big
    when:
      - {record: item, as: a, where: {size: {ge: 5}}}
      - {not: {record: block, where: {group: {var: a.group}}}}
    then: [{insert: out, logical: true, fields: {name: {var: a.name}, value: {var: a.size}}}]
  - id: echo
    when: [{record: out, as: o, where: {name: {ne: echo}}}]
    then: [{insert: out, logical: true, fields: {name: echo, value: {var: o.value}}}]
"""


def test_logical_support_follows_retract_modify_and_negation(tmp_path):
    rules = book(tmp_path, LOGICAL)
    with rules.session() as session:
        session.insert(items(("x", "g", 7)))
        assert outs(session.result()) == [("echo", 7), ("x", 7)]
        (item,) = session.records("item")
        session.modify(item.id, {"size": 1})
        assert outs(session.result()) == []  # support gone, and the echo of it too
        session.modify(item.id, {"size": 9})
        assert outs(session.result()) == [("echo", 9), ("x", 9)]
        session.insert([{"type": "block", "group": "g"}])
        assert outs(session.result()) == []
        (block,) = session.records("block")
        session.remove(block.id)
        assert outs(session.result()) == [("echo", 9), ("x", 9)]
        session.remove(item.id)
        assert session.records() == []


def test_because_tree_reaches_the_inputs(tmp_path):
    rules = book(tmp_path, LOGICAL)
    with rules.session() as session:
        session.insert(items(("x", "g", 7)))
        result = session.result()
        echo = next(r for r in result.records("out") if r["name"] == "echo")
        tree = result.explain(echo)
        assert tree.rule == "echo" and tree.supports[0].rule == "big"
        assert tree.inputs() == ["item {name: x, group: g, size: 7}"]
        assert tree.text().splitlines() == [
            "out {name: echo, value: 7}: because rule echo matched",
            "  out {name: x, value: 7}: because rule big matched",
            "    item {name: x, group: g, size: 7}: given",
            "    no block where group = g: held",
        ]


def test_recency_among_inputs_is_insertion_order(tmp_path):
    # CLIPS: the last fact asserted is the most recent, so 12 records fire 12, 11, ..., 1 (a sort
    # of their fields as text fired 9, 8, ..., 2, 12, 11, 10, 1)
    rules = book(
        tmp_path,
        """
        rules:
          - id: each
            when: [{record: item, as: a}]
            then: [{insert: out, fields: {name: {var: a.name}, value: {var: a.size}}}]
        """,
    )
    with rules.session() as session:
        session.insert(items(*[(str(n), "g", n) for n in range(1, 13)]))
        fired = [f.matched["a"]["size"] for f in session.result().record_firings]
    assert fired == list(range(12, 0, -1))


def test_the_first_to_claim_is_the_newest(tmp_path):
    rules = book(
        tmp_path,
        """
        rules:
          - id: claim   # the first item of a group to fire claims it; the agenda decides which
            when:
              - {record: item, as: a}
              - {not: {record: out, where: {name: {var: a.group}}}}
            then: [{insert: out, fields: {name: {var: a.group}, value: {var: a.size}}}]
        """,
    )
    rows = [("x", "g", 1), ("y", "g", 2), ("z", "h", 3), ("w", "h", 4)]
    for order, expected in ((rows, [("g", 2), ("h", 4)]), (rows[::-1], [("g", 1), ("h", 3)])):
        with rules.session() as session:
            for row in order:
                session.insert(items(row))
            assert outs(session.result()) == expected


def test_bad_records_are_rejected_and_change_nothing(tmp_path):
    rules = book(tmp_path, LOGICAL)
    with rules.session() as session:
        for bad, message in [
            ({"type": "nope"}, "unknown record type"),
            ({"type": "item", "name": "x", "group": "g"}, "missing field 'size'"),
            ({"type": "item", "name": "x", "group": "g", "size": "big"}, "must be a number"),
            ({"type": "item", "name": "x", "group": "g", "size": 1, "extra": 1}, "unknown field"),
            ({"type": "out", "name": "x", "value": 1}, "derived"),
        ]:
            with pytest.raises(FactError, match=message):
                session.insert([*items(("ok", "g", 1)), bad])
        assert session.records() == []


def test_an_action_producing_a_bad_record_surfaces(tmp_path):
    rules = book(
        tmp_path,
        """
        rules:
          - id: divide
            when: [{record: item, as: a}]
            then: [{insert: out, fields: {name: {var: a.name}, value: {div: [1, {var: a.size}]}}}]
        """,
    )
    with rules.session() as session:
        session.insert(items(("x", "g", 0)))
        with pytest.raises(RuleActionError, match="divide"):
            session.result()


def test_a_rule_loop_stops_with_an_error(tmp_path):
    text = (
        VOCAB
        + LOGICAL
        + (
            "  - id: forever\n"
            "    when: [{record: item, as: a}]\n"
            "    then: [{modify: a, fields: {size: {add: [{var: a.size}, 1]}}}]\n"
        )
    )
    rules = load_rulebook(write_rules(tmp_path, text))
    from forwardrules.inference import RecordEngine

    engine = RecordEngine(rules.vocabulary.records, rules.record_rules, max_firings=50)
    engine.insert("item", {"name": "x", "group": "g", "size": 0})
    with pytest.raises(Exception, match="50 rule firings"):
        engine.run()


def test_a_match_that_comes_back_fires_again(tmp_path):
    """Blocked by a negated record, then unblocked: CLIPS fires it again; so do both matchers."""
    from forwardrules.inference import RecordEngine

    rules = book(
        tmp_path,
        """
        rules:
          - id: free
            when:
              - {record: item, as: a}
              - {not: {record: block, where: {group: {var: a.group}}}}
            then: [{insert: out, fields: {name: {var: a.name}, value: 1}}]
        """,
    )
    counts = []
    for best_first in (True, False):
        engine = RecordEngine(rules.vocabulary.records, rules.record_rules, best_first=best_first)
        engine.insert("item", {"name": "x", "group": "g", "size": 1})
        engine.run()
        block = engine.insert("block", {"group": "g"})
        engine.run()
        engine.retract(block.id)
        engine.run()
        counts.append([f.rule for f in engine.firings])
    assert counts[0] == counts[1] == ["free", "free"]


def test_explanations_show_negation_and_aggregates_apart_from_inputs(tmp_path):
    rules = book(
        tmp_path,
        """
        rules:
          - id: crowd
            when:
              - {record: item, as: a}
              - {count: {record: item, where: {group: {var: a.group}}}, ge: 2, as: n}
              - {sum: {record: item, where: {group: {var: a.group}}, field: size}, gt: 3}
              - {not: {record: block, where: {group: {var: a.group}}}}
            then: [{insert: out, fields: {name: {var: a.name}, value: {var: n}}}]
        """,
    )
    with rules.session() as session:
        session.insert(items(("x", "g", 2), ("y", "g", 3)))
        result = session.result()
        tree = result.explain(next(r for r in result.records("out") if r["name"] == "x"))
        assert tree.inputs() == ["item {name: x, group: g, size: 2}"]
        assert [(s.role, s.subject) for s in tree.supports[1:]] == [
            ("aggregate", "n = 2, the count of item where group = g"),
            ("aggregate", "sum size of item where group = g > 3"),
            ("condition", "no block where group = g"),
        ]
