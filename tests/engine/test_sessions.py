"""Sessions: validated facts, explanations, errors surfacing, isolation and clean-up."""

import textwrap
import threading

import durable_rules_engine
import pytest

from forwardrules import FactError, RuleActionError, load_rulebook
from forwardrules import host as engine_host

from .conftest import write_rules


def test_bad_fact_raises_and_changes_nothing(garden):
    with garden.session() as session:
        session.add({"soil": "dry"})
        for bad in ({"soil": "wet"}, {"colour": "red"}, {"drooping": "yes"}, {"light_hours": 30}):
            with pytest.raises(FactError) as caught:
                session.add({"drooping": True, **bad})
            assert next(iter(bad)) in str(caught.value)
        assert session.facts == {"soil": "dry"}


def test_derived_facts_cannot_be_added(garden):
    with garden.session() as session, pytest.raises(FactError, match="derived"):
        session.add({"urgency": "now"})


def test_every_conclusion_explains_itself(garden):
    with garden.session() as session:
        session.add({"soil": "soggy", "leaf_colour": "brown", "drooping": True})
        result = session.result()
    why = result.because("urgency")
    assert [f.rule for f in why] == ["root_rot_risk"]
    assert why[0].matched == {"overwatered": True, "leaf_colour": "brown", "drooping": True}
    chain = result.because("overwatered")
    assert chain[0].matched == {"soil": "soggy"}
    assert chain[0].meta == {"why": "the soil stays wet"}
    assert [f.rule for f in result.because("problem_score", key="overwatering")] == [
        "overwatered_scores"
    ]


def test_action_exception_surfaces(tmp_path):
    text = """\
    vocabulary:
      facts: {n: {type: number}}
      derived: {ratio: {type: number, conclusion: true}}
    rules:
      - {id: divide, when: {fact: n, present: true}, then: [{assert: ratio, value: {div: [1, {fact: n}]}}]}
    """
    book = load_rulebook(write_rules(tmp_path, textwrap.dedent(text)))
    with book.session() as session:
        session.add({"n": 0})
        with pytest.raises(RuleActionError, match="divide"):
            session.result()
    with book.session() as session:  # the engine is still healthy afterwards
        session.add({"n": 4})
        assert session.result().value("ratio") == 0.25


def test_conflicting_single_values_surface(tmp_path):
    text = """\
    vocabulary:
      facts: {flag: {type: boolean}}
      derived: {colour: {type: enum, values: [red, blue]}}
    rules:
      - {id: red, when: {fact: flag, eq: true}, then: [{assert: colour, value: red}]}
      - {id: blue, when: {fact: flag, eq: true}, then: [{assert: colour, value: blue}]}
    """
    book = load_rulebook(write_rules(tmp_path, textwrap.dedent(text)))
    with book.session() as session:
        session.add({"flag": True})
        with pytest.raises(RuleActionError, match="already"):
            session.result()


def test_a_fact_no_rule_matches_is_fine(tmp_path):
    text = """\
    vocabulary:
      facts: {flag: {type: boolean}, unused: {type: integer}}
      derived: {out: {type: boolean, conclusion: true}}
    rules:
      - {id: r, when: {fact: flag, eq: true}, then: [{assert: out, value: true}]}
    """
    book = load_rulebook(write_rules(tmp_path, textwrap.dedent(text)))
    with book.session() as session:
        session.add({"unused": 3, "flag": False})
        assert session.result().value("out") is None


def test_order_of_arrival_does_not_matter(garden):
    facts = {"soil": "moist", "leaf_colour": "spotted", "light_hours": 9, "drooping": True}
    results = []
    for order in (list(facts), list(reversed(facts))):
        with garden.session() as session:
            for name in order:
                session.add({name: facts[name]})
                session.result()
            results.append(session.result().conclusions())
    assert results[0] == results[1]


def test_sessions_are_isolated_and_deleted(garden):
    with garden.session() as one, garden.session() as two:
        one.add({"pests_seen": True})
        two.add({"soil": "moist"})
        assert one.result().value("warnings") == ("pests",)
        assert two.result().value("warnings") == ()
    compiled = engine_host._registered[garden.digest]
    handle = compiled.chunks[0].handle
    for run in range(1, 4):  # durable-rules error 309: no such session state
        with pytest.raises(Exception, match="309"):
            durable_rules_engine.get_facts(handle, f"run-{run}")


def test_no_threads_per_session_or_ruleset(tmp_path, garden):
    before = threading.active_count()
    for index in range(5):
        rules = f"""\
        vocabulary:
          facts: {{flag: {{type: boolean}}}}
          derived: {{out: {{type: boolean, conclusion: true}}}}
        rules:
          - {{id: r{index}, when: {{fact: flag, eq: true}}, then: [{{assert: out, value: true}}]}}
        """
        folder = tmp_path / str(index)
        folder.mkdir()
        book = load_rulebook(write_rules(folder, textwrap.dedent(rules)))
        for _ in range(20):
            with book.session() as session:
                session.add({"flag": True})
                assert session.result().value("out") is True
    assert threading.active_count() == before


def test_explain_a_fact_down_to_the_inputs(garden):
    with garden.session() as session:
        session.add({"soil": "soggy", "leaf_colour": "brown", "drooping": True})
        tree = session.result().explain("urgency")
    assert tree.rule == "root_rot_risk"
    assert sorted(tree.inputs()) == ["drooping = True", "leaf_colour = brown", "soil = soggy"]
    assert tree.text().splitlines() == [
        "urgency = now: because rule root_rot_risk matched",
        "  overwatered = True: because rule soggy_soil_means_overwatered (the soil stays wet) matched",
        "    soil = soggy: given",
        "  leaf_colour = brown: given",
        "  drooping = True: given",
    ]
