"""One agenda for both kinds of rule: named-fact rules (matched by durable-rules) fire in the
order record rules do (agenda.conflict_order): priority/salience, then the newest facts matched,
then declaration order."""

import textwrap

from forwardrules import load_rulebook

from .conftest import write_rules

NAMED = """
vocabulary:
  facts:
    a: {type: boolean}
    b: {type: boolean}
  derived:
    d: {type: boolean}
    seen: {type: enum, values: [r1, r2, r3, r4], combine: set}
rules:
  - id: r1
    when: {fact: a, eq: true}
    then: [{assert: seen, value: r1}]
  - id: r2
    when: {fact: b, eq: true}
    then: [{assert: d, value: true}, {assert: seen, value: r2}]
  - id: r3
    priority: 5
    when: {fact: a, eq: true}
    then: [{assert: seen, value: r3}]
  - id: r4
    when: {fact: d, eq: true}
    then: [{assert: seen, value: r4}]
"""

RECORDS = """
vocabulary:
  records:
    a: {fields: {flag: {type: boolean}}}
    b: {fields: {flag: {type: boolean}}}
    d: {derived: true, fields: {flag: {type: boolean}}}
    seen: {derived: true, fields: {rule: {type: text}}}
rules:
  - id: r1
    when: [{record: a}]
    then: [{insert: seen, fields: {rule: r1}}]
  - id: r2
    when: [{record: b}]
    then: [{insert: d, fields: {flag: true}}, {insert: seen, fields: {rule: r2}}]
  - id: r3
    salience: 5
    when: [{record: a}]
    then: [{insert: seen, fields: {rule: r3}}]
  - id: r4
    when: [{record: d}]
    then: [{insert: seen, fields: {rule: r4}}]
"""


def test_named_fact_rules_fire_in_the_record_rules_order(tmp_path):
    (tmp_path / "named").mkdir()
    (tmp_path / "records").mkdir()
    named = load_rulebook(write_rules(tmp_path / "named", textwrap.dedent(NAMED)))
    records = load_rulebook(write_rules(tmp_path / "records", textwrap.dedent(RECORDS)))
    with named.session() as session:
        session.add({"b": True, "a": True})  # inputs are stamped by name: b is the newer
        named_order = [firing.rule for firing in session.result().firings]
    with records.session() as session:
        session.insert([{"type": "a", "flag": True}, {"type": "b", "flag": True}])
        record_order = [firing.rule for firing in session.result().record_firings]
    # priority first; then r2 (b is newer than a), at once r4 (d, derived, newest); then r1
    assert named_order == ["r3", "r2", "r4", "r1"]
    assert record_order == named_order


def test_the_order_facts_arrive_in_changes_nothing(tmp_path):
    named = load_rulebook(write_rules(tmp_path, textwrap.dedent(NAMED)))
    orders = []
    for facts in ({"a": True, "b": True}, {"b": True, "a": True}):
        with named.session() as session:
            session.add(facts)
            orders.append([firing.rule for firing in session.result().firings])
    assert orders[0] == orders[1]
