"""Where forwardrules once parted from CLIPS 6.4 (issue 24): each case's expected answer was
checked against CLIPS through clipspy."""

import json
import subprocess
import sys
import textwrap

import pytest

from forwardrules import FactError, RuleActionError, RulebookError, load_rulebook
from forwardrules.errors import RuleConditionError

from .conftest import write_rules

VOCAB = """
vocabulary:
  records:
    purchase:
      fields: {location: {type: text}}
    item:
      fields: {name: {type: text}, group: {type: text}, size: {type: number}}
    block:
      fields: {group: {type: text}}
    fraud:
      fields: {first: {type: text}, second: {type: text}}
    out:
      fields: {name: {type: text}, value: {type: number}}
"""


def book(tmp_path, rules: str):
    return load_rulebook(write_rules(tmp_path, VOCAB + textwrap.dedent(rules)))


def items(*rows):
    return [{"type": "item", "name": n, "group": g, "size": s} for n, g, s in rows]


@pytest.mark.parametrize("logical", [False, True])
def test_same_records_in_swapped_roles_are_two_activations(tmp_path, logical):
    # durable-rules' "purchases in two locations": CLIPS and durable-rules both detect 2
    rules = book(
        tmp_path,
        f"""
        rules:
          - id: two_locations
            when:
              - {{record: purchase, as: a}}
              - {{record: purchase, as: b, where: {{location: {{ne: {{var: a.location}}}}}}}}
            then:
              - insert: fraud
                logical: {str(logical).lower()}
                fields: {{first: {{var: a.location}}, second: {{var: b.location}}}}
        """,
    )
    with rules.session() as session:
        session.insert([{"type": "purchase", "location": p} for p in ("US", "CA")])
        found = sorted((r["first"], r["second"]) for r in session.result().records("fraud"))
        assert found == [("CA", "US"), ("US", "CA")]
        assert len(session.result().record_firings) == 2


def test_division_by_zero_in_a_condition_is_an_error_of_the_rule(tmp_path):
    rules = book(
        tmp_path,
        """
        rules:
          - id: ratio
            when:
              - {record: item, as: a}
              - {record: item, as: b, where: {size: {gt: {div: [1, {sub: [{var: a.size}, 2]}]}}}}
            then: [{insert: out, fields: {name: {var: a.name}, value: 1}}]
        """,
    )
    with rules.session() as session:
        session.insert(items(("x", "g", 2)))
        with pytest.raises(RuleConditionError, match=r"rule 'ratio'.*division by zero"):
            session.result()


def test_division_by_zero_on_the_command_line_is_one_line_exit_2(tmp_path):
    rules = write_rules(
        tmp_path,
        VOCAB
        + textwrap.dedent(
            """
            rules:
              - id: ratio
                when:
                  - {record: item, as: a}
                  - {test: {gt: [{div: [{var: a.size}, 0]}, 1]}}
                then: [{insert: out, fields: {name: {var: a.name}, value: 1}}]
            """
        ),
    )
    facts = json.dumps(items(("x", "g", 2)))
    done = subprocess.run(
        [sys.executable, "-m", "forwardrules.cli", "run", str(rules), "-"],
        input=facts,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1
    assert "ratio" in done.stderr and "division by zero" in done.stderr


def test_a_modify_that_changes_nothing_is_ignored(tmp_path):
    # CLIPS 6.4: (modify ?f (v ?v)) with the same value fires once, the fact keeps its index
    rules = book(
        tmp_path,
        """
        rules:
          - id: same
            when: [{record: item, as: a}]
            then: [{modify: a, fields: {size: {var: a.size}}}]
        """,
    )
    with rules.session() as session:
        session.insert(items(("x", "g", 1)))
        result = session.result()
        assert len(result.record_firings) == 1
        assert result.record_firings[0].effects == ()
        assert [r.stamp for r in result.records("item")] == [1]


def test_a_modify_into_a_duplicate_leaves_one_record(tmp_path):
    # CLIPS: (item a 1) modified to (item a 2) while (item a 2) exists: only the latter stays
    rules = book(
        tmp_path,
        """
        rules:
          - id: to_two
            when: [{record: item, as: a}]
            then: [{modify: a, fields: {size: 2}}]
        """,
    )
    with rules.session() as session:
        session.insert(items(("x", "g", 1), ("x", "g", 2)))
        result = session.result()
        assert [(r["name"], r["size"]) for r in result.records("item")] == [("x", 2)]
        assert len(result.record_firings) == 2  # each fires once; nothing loops


@pytest.mark.parametrize("best_first", [True, False])
def test_exists_over_a_join_with_a_not_fires_again_once_unblocked(tmp_path, best_first):
    # CLIPS: the activation goes when the blocker comes and is back (fires again) when it goes
    from forwardrules.inference import RecordEngine

    rules = book(
        tmp_path,
        """
        rules:
          - id: open_group
            when:
              - {record: item, as: a}
              - exists:
                  - {record: item, as: b, where: {group: {var: a.group}}}
                  - {not: {record: block, where: {group: {var: b.group}}}}
            then: [{insert: out, fields: {name: {var: a.name}, value: 1}}]
        """,
    )
    engine = RecordEngine(rules.vocabulary.records, rules.record_rules, best_first=best_first)
    engine.insert("item", {"name": "x", "group": "g", "size": 1})
    engine.run()
    blocker = engine.insert("block", {"group": "g"})
    engine.run()
    assert len(engine.firings) == 1
    engine.retract(blocker.id)
    engine.run()
    assert len(engine.firings) == 2


@pytest.mark.parametrize(("value", "expected"), [(2.5, 2), (-2.5, -2), (3.5, 4), (2.6, 3)])
def test_round_takes_halves_to_even_as_documented(tmp_path, value, expected):
    # the README says so (CLIPS would give 3 and -3 for the halves)
    rules = book(
        tmp_path,
        """
        rules:
          - id: rounded
            when: [{record: item, as: a}]
            then: [{insert: out, fields: {name: {var: a.name}, value: {round: {var: a.size}}}}]
        """,
    )
    with rules.session() as session:
        session.insert(items(("x", "g", value)))
        assert session.result().records("out")[0]["value"] == expected


def test_a_failed_run_never_returns_a_partial_result(tmp_path):
    rules = book(
        tmp_path,
        """
        rules:
          - id: first
            salience: 10
            when: [{record: item, as: a}]
            then: [{insert: out, fields: {name: {var: a.name}, value: 1}}]
          - id: broken
            when: [{record: item, as: a}]
            then: [{insert: out, fields: {name: {var: a.name}, value: {div: [1, 0]}}}]
        """,
    )
    with rules.session() as session:
        session.insert(items(("x", "g", 1)))
        for _ in range(2):
            with pytest.raises(RuleActionError, match="broken"):
                session.result()


NUMBERS = """\
vocabulary:
  facts:
    x: {type: number}
  derived:
    out: {type: enum, values: [above, equal], combine: set, conclusion: true}
    half: {type: number, conclusion: true}
rules:
  - {id: above, when: {fact: x, gt: 1.0e+299}, then: [{assert: out, value: above}]}
  - {id: equal, when: {fact: x, eq: 1.0e300}, then: [{assert: out, value: equal}]}
  - {id: halve, when: {fact: x, present: true}, then: [{assert: half, value: {div: [{fact: x}, 2]}}]}
"""


@pytest.mark.parametrize(
    ("x", "expected"), [(1e300, {"above", "equal"}), (9.3e18, set()), (-1e301, set())]
)
def test_named_facts_beyond_64_bits_compare_as_python(tmp_path, x, expected):
    rules = load_rulebook(write_rules(tmp_path, NUMBERS))
    with rules.session() as session:
        session.add({"x": x})
        result = session.result()
        assert set(result.value("out")) == expected
        assert result.value("half") == x / 2 and isinstance(result.value("half"), float)


def test_whole_numbers_beyond_64_bits_are_refused_with_a_reason(tmp_path):
    rules = load_rulebook(write_rules(tmp_path, NUMBERS))
    with rules.session() as session, pytest.raises(FactError, match="beyond"):
        session.add({"x": 10**20})
    bad = NUMBERS.replace("gt: 1.0e+299", "gt: 100000000000000000000")
    with pytest.raises(RulebookError, match="beyond"):
        load_rulebook(write_rules(tmp_path, bad))


@pytest.mark.parametrize(
    ("vocabulary", "message"),
    [
        ("a: {type: enum, values: [yes, no]}\n    a: {type: boolean}", "duplicate key 'a'"),
        ("a: {type: enum, values: [yes, no]}", "read as a boolean"),
        ("a: {type: number, min: zero}", "`min` must be a number"),
        ("a: {type: integer, min: 5, max: 1}", "`min` is above `max`"),
        ("a: {type: text, max: 3}", "only for number facts"),
    ],
)
def test_strict_yaml(tmp_path, vocabulary, message):
    text = f"vocabulary:\n  facts:\n    {vocabulary}\n"
    with pytest.raises(RulebookError, match=message):
        load_rulebook(write_rules(tmp_path, text))


def test_exponent_without_a_dot_or_sign_reads_as_a_number(tmp_path):
    text = "vocabulary:\n  facts:\n    a: {type: number, max: 1.0e300}\n    b: {type: number, min: 1e-5}\n"
    rules = load_rulebook(write_rules(tmp_path, text))
    assert rules.vocabulary.inputs["a"].maximum == 1e300
    assert rules.vocabulary.inputs["b"].minimum == 1e-5
