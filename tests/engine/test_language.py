"""The rule language on the toy garden domain and small inline rule sets."""

import itertools
import textwrap

import pytest

from forwardrules import load_rulebook

from .conftest import write_rules

VOCAB = """
vocabulary:
  facts:
    n: {type: number}
    colour: {type: enum, values: [red, green, blue]}
    flag: {type: boolean}
  derived:
    out:
      type: enum
      values: [a, b, c, d, e, f, g, h, i, j, k]
      combine: set
      conclusion: true
"""


def run(tmp_path, rules: str, facts: dict):
    book = load_rulebook(write_rules(tmp_path, VOCAB + textwrap.dedent(rules)))
    with book.session() as session:
        session.add(facts)
        return session.result()


@pytest.mark.parametrize(
    ("test", "facts", "fires"),
    [
        ("{fact: colour, eq: red}", {"colour": "red"}, True),
        ("{fact: colour, eq: red}", {"colour": "blue"}, False),
        ("{fact: colour, ne: red}", {"colour": "blue"}, True),
        ("{fact: colour, ne: red}", {}, False),
        ("{fact: colour, in: [red, blue]}", {"colour": "blue"}, True),
        ("{fact: colour, not_in: [red, blue]}", {"colour": "green"}, True),
        ("{fact: colour, not_in: [red, blue]}", {"colour": "red"}, False),
        ("{fact: n, lt: 3}", {"n": 2.5}, True),
        ("{fact: n, le: 3}", {"n": 3}, True),
        ("{fact: n, gt: 3}", {"n": 3}, False),
        ("{fact: n, ge: 3}", {"n": 3}, True),
        ("{fact: flag, eq: true}", {"flag": True}, True),
        ("{fact: flag, eq: false}", {"flag": True}, False),
        ("{fact: flag, present: true}", {"flag": False}, True),
        ("{fact: flag, absent: true}", {}, True),
        ("{fact: flag, absent: true}", {"flag": False}, False),
        ("{not: {fact: flag, eq: true}}", {}, True),
        ("{not: {fact: flag, eq: true}}", {"flag": True}, False),
        ("{all: [{fact: flag, eq: true}, {fact: n, gt: 1}]}", {"flag": True, "n": 2}, True),
        ("{all: [{fact: flag, eq: true}, {fact: n, gt: 1}]}", {"flag": True, "n": 0}, False),
        ("{any: [{fact: flag, eq: true}, {fact: n, gt: 1}]}", {"n": 2}, True),
        ("{any: [{fact: flag, eq: true}, {fact: n, gt: 1}]}", {"n": 0}, False),
        ("{not: {any: [{fact: flag, eq: true}, {fact: n, gt: 1}]}}", {"n": 0}, True),
        ("{not: {all: [{fact: flag, eq: true}, {fact: n, gt: 1}]}}", {"flag": True, "n": 5}, False),
        ("{all: [{fact: n, ge: 2}, {fact: n, le: 4}]}", {"n": 3}, True),
        ("{all: [{fact: n, ge: 2}, {fact: n, le: 4}]}", {"n": 5}, False),
    ],
)
def test_operators(tmp_path, test, facts, fires):
    result = run(
        tmp_path,
        f"""
        rules:
          - id: r
            when: {test}
            then: [{{assert: out, value: a}}]
        """,
        facts,
    )
    assert (result.value("out") == ("a",)) is fires


def test_any_fires_a_rule_once_even_when_every_branch_holds(tmp_path):
    result = run(
        tmp_path,
        """
        rules:
          - id: r
            when: {any: [{fact: flag, eq: true}, {fact: n, gt: 1}]}
            then: [{assert: out, value: a}]
        """,
        {"flag": True, "n": 5},
    )
    assert [f.rule for f in result.firings] == ["r"]


def test_forward_chaining_many_steps_deep(tmp_path):
    letters = "abcdefghij"
    rules = [
        "rules:",
        "  - {id: start, when: {fact: flag, eq: true}, then: [{assert: out, value: a}]}",
    ]
    for before, after in itertools.pairwise(letters):
        rules.append(
            f"  - {{id: {after}, when: {{fact: out, eq: {before}}}, "
            f"then: [{{assert: out, value: {after}}}]}}"
        )
    result = run(tmp_path, "\n".join(rules), {"flag": True})
    assert result.value("out") == tuple(letters)
    assert [f.rule for f in result.firings] == ["start", *letters[1:]]


def test_priority_orders_rules_ready_together(tmp_path):
    result = run(
        tmp_path,
        """
        rules:
          - {id: low, priority: 1, when: {fact: flag, eq: true}, then: [{assert: out, value: a}]}
          - {id: high, priority: 9, when: {fact: flag, eq: true}, then: [{assert: out, value: b}]}
          - {id: mid, priority: 5, when: {fact: flag, eq: true}, then: [{assert: out, value: c}]}
        """,
        {"flag": True},
    )
    assert [f.rule for f in result.firings] == ["high", "mid", "low"]


def test_values_computed_from_matched_facts(garden):
    with garden.session() as session:
        session.add({"soil": "dry", "drooping": True, "watered_days_ago": 4})
        result = session.result()
    assert result.value("days_until_water") == 3
    assert result.value("urgency") == "soon"


def test_combines_max_sum_and_set(garden):
    with garden.session() as session:
        session.add(
            {"soil": "soggy", "leaf_colour": "yellow", "drooping": True, "pests_seen": True}
        )
        result = session.result()
    assert result.value("urgency") == "now"
    assert result.value("warnings") == ("root_rot", "pests")
    assert result.ranking("problem_score")[:2] == [("pests", 4.0), ("overwatering", 3.0)]


def test_negation_of_a_derived_fact_waits_for_it(garden):
    """`not overwatered` must not fire when overwatered is derived later in the same run."""
    with garden.session() as session:
        session.add({"soil": "soggy"})
        fired = {f.rule for f in session.result().firings}
    assert "healthy_not_overwatered" not in fired
    with garden.session() as session:
        session.add({"soil": "moist"})
        assert "healthy_not_overwatered" in {f.rule for f in session.result().firings}


def test_defaults_when_nothing_fired(garden):
    with garden.session() as session:
        result = session.result()
    assert result.value("urgency") == "fine"
    assert result.value("warnings") == ()
    assert result.firings == ()
