"""A negated test on a fact the same conjunction also tests positively (issue 24: the hip
care-plan rules met `any: [..., {not: {fact: x, in: [...]}}]` beside a positive test on x, and
the negation never held against the value the positive test had bound). Every case is checked
against the condition's plain meaning, over every combination of inputs."""

import itertools
import textwrap

import pytest

from forwardrules import RulebookError, load_rulebook

from .conftest import write_rules

VOCAB = """
vocabulary:
  facts:
    x: {type: enum, values: [a, b, c]}
    y: {type: boolean}
    n: {type: number}
  derived:
    s: {type: enum, values: [a, b, c], combine: set}
    out: {type: boolean}
rules:
  - id: s_a
    when: {fact: x, in: [a, b]}
    then: [{assert: s, value: a}]
  - id: s_b
    when: {fact: x, in: [b, c]}
    then: [{assert: s, value: b}]
"""


def _s(x):
    """The set fact `s` the two rules above derive from x."""
    return {v for v, when in (("a", ("a", "b")), ("b", ("b", "c"))) if x in when}


CASES = [
    # (condition, its meaning over x, y, n and the derived set s)
    (
        "all: [{fact: x, present: true}, {any: [{fact: y, eq: true}, "
        "{not: {fact: x, in: [a, b]}}]}]",
        lambda x, y, n: x is not None and (y is True or x not in ("a", "b")),
    ),
    (
        "all: [{fact: x, in: [a, c]}, {not: {fact: x, eq: a}}]",
        lambda x, y, n: x == "c",
    ),
    (
        "any: [{fact: y, eq: true}, {all: [{fact: x, ne: b}, {not: {fact: x, in: [a, c]}}]}]",
        lambda x, y, n: y is True,
    ),
    (
        "all: [{fact: n, ge: 2}, {not: {fact: n, gt: 5}}]",
        lambda x, y, n: n is not None and 2 <= n <= 5,
    ),
    (
        "any: [{fact: y, eq: false}, {all: [{fact: x, present: true}, {fact: x, absent: true}]}]",
        lambda x, y, n: y is False,
    ),
    (
        "any: [{fact: x, eq: a}, {not: {fact: x, in: [a, b]}}]",
        lambda x, y, n: x != "b",
    ),
    # A multi-valued fact: two positive tests may hold on one value or on two.
    (
        "all: [{fact: s, eq: a}, {fact: s, present: true}]",
        lambda x, y, n: "a" in _s(x),
    ),
    (
        "all: [{fact: s, eq: a}, {fact: s, eq: b}]",
        lambda x, y, n: _s(x) == {"a", "b"},
    ),
    # ... and a negation must see every value, the bound one included.
    (
        "all: [{fact: s, present: true}, {not: {fact: s, eq: b}}]",
        lambda x, y, n: bool(_s(x)) and "b" not in _s(x),
    ),
]


@pytest.mark.parametrize(("condition", "meaning"), CASES, ids=[c for c, _ in CASES])
def test_negation_beside_a_positive_test_on_the_same_fact(tmp_path, condition, meaning):
    rule = f"  - id: r\n    when: {{{condition}}}\n    then: [{{assert: out, value: true}}]\n"
    book = load_rulebook(write_rules(tmp_path, VOCAB + rule))
    wrong = []
    for x, y, n in itertools.product([None, "a", "b", "c"], [None, True, False], [None, 1, 3, 7]):
        facts = {k: v for k, v in (("x", x), ("y", y), ("n", n)) if v is not None}
        with book.session() as session:
            session.add(facts)
            fired = session.result().value("out") is True
        if fired != meaning(x, y, n):
            wrong.append((facts, fired))
    assert wrong == []


@pytest.mark.parametrize(
    "condition",
    [
        "all: [{fact: x, ne: b}, {not: {fact: x, in: [a, c]}}]",
        "all: [{fact: x, present: true}, {not: {fact: x, present: true}}]",
        "all: [{fact: n, gt: 2}, {not: {fact: n, ge: 1}}]",
    ],
)
def test_a_negation_that_excludes_every_value_never_fires(tmp_path, condition):
    rule = f"  - id: r\n    when: {{{condition}}}\n    then: [{{assert: out, value: true}}]\n"
    with pytest.raises(RulebookError, match="can never fire"):
        load_rulebook(write_rules(tmp_path, VOCAB + rule))


def test_the_question_selection_agrees(tmp_path):
    """Question selection and the run read the same condition: once x is known the rule below
    is decided, so y is asked only while it could still matter."""
    text = """
    vocabulary:
      facts:
        x: {type: enum, values: [a, b, c]}
        y: {type: boolean}
      derived:
        out: {type: enum, values: [low, high], ordered: true, combine: max, outcome: true}
    askable:
      - {fact: x, priority: 2}
      - {fact: y, priority: 1}
    rules:
      - id: r
        when:
          all:
            - {fact: x, present: true}
            - any: [{fact: y, eq: true}, {not: {fact: x, in: [a, b]}}]
        then: [{assert: out, value: high}]
    """
    book = load_rulebook(write_rules(tmp_path, textwrap.dedent(text)))
    with book.session() as session:
        assert session.next_question().fact == "x"
        session.add({"x": "c"})
        assert session.result().value("out") == "high"
        assert session.next_question() is None  # decided without y
    with book.session() as session:
        session.add({"x": "a"})
        assert session.next_question().fact == "y"
        session.add({"y": False})
        assert session.result().value("out") is None
        assert session.next_question() is None


def test_a_condition_sharing_values_in_too_many_ways_is_refused(tmp_path):
    """Six positive tests on one set fact: 203 ways to share values, over the limit once doubled."""
    tests = ", ".join("{fact: s, present: true}" for _ in range(6))
    other = ", ".join("{fact: s, ne: c}" for _ in range(6))
    condition = f"any: [{{all: [{tests}]}}, {{all: [{other}]}}]"
    rule = f"  - id: r\n    when: {{{condition}}}\n    then: [{{assert: out, value: true}}]\n"
    with pytest.raises(RulebookError, match="expands to 406 durable-rules rules"):
        load_rulebook(write_rules(tmp_path, VOCAB + rule))
