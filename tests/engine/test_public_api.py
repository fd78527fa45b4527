"""What a host reads of a rulebook through the public API: each fact's spec, the askable facts, each
rule's meta, tested facts and assertions, and every validation problem at once."""

import pickle

import pytest

import forwardrules
from forwardrules import (
    Askable,
    FactError,
    FactSpec,
    FactType,
    Rule,
    RulebookError,
    load_rulebook,
)

from .conftest import write_rules


def test_the_public_names_are_exported():
    for name in ("Askable", "Assertion", "FactSpec", "FactType", "Rule", "Vocabulary"):
        assert name in forwardrules.__all__
        assert getattr(forwardrules, name) is not None


def test_inputs_and_derived_facts_have_their_declared_specs(garden):
    vocabulary = garden.vocabulary
    assert set(vocabulary.inputs) >= {"leaf_colour", "soil", "watered_days_ago", "light_hours"}
    assert "urgency" not in vocabulary.inputs and "urgency" in vocabulary.derived
    soil = vocabulary.inputs["soil"]
    assert isinstance(soil, FactSpec)
    assert soil.type is FactType.ENUM and soil.values == ("dry", "moist", "soggy")
    days = vocabulary.inputs["watered_days_ago"]
    assert (days.type, days.minimum, days.maximum) == (FactType.INTEGER, 0, 365)
    urgency = vocabulary.derived["urgency"]
    assert urgency.ordered and urgency.values == ("fine", "soon", "now")
    assert vocabulary.derived["problem_score"].keys == (
        "overwatering",
        "underwatering",
        "low_light",
        "pests",
    )


@pytest.mark.parametrize(
    ("fact", "good", "bad"),
    [
        ("soil", ["dry", "soggy"], ["wet", True, 1, None]),
        ("watered_days_ago", [0, 3, 365, 4.0], [-1, 366, 2.5, True, "3", float("nan")]),
        ("light_hours", [0, 6.5, 24], [24.5, -0.1, float("inf"), False]),
        ("drooping", [True, False], [1, 0, "yes", None]),
    ],
)
def test_accepts_exactly_what_a_session_accepts(garden, fact, good, bad):
    spec = garden.vocabulary.inputs[fact]
    for value in good:
        assert spec.accepts(value) and spec.problem(value) is None, value
        with garden.session() as session:
            session.add({fact: value})
    for value in bad:
        assert not spec.accepts(value), value
        assert spec.problem(value), value
        with garden.session() as session, pytest.raises(FactError):
            session.add({fact: value})


def test_askable_facts_and_what_a_screen_covers(garden):
    askable = garden.vocabulary.askable
    screen = askable["any_emergency"]
    assert isinstance(screen, Askable)
    assert screen.covers == ("pests_seen",) and screen.priority == 100
    assert screen.implied_by_no() == {"pests_seen": False}
    assert [a.fact for a in garden.asking_order][:2] == ["any_emergency", "pests_seen"]


def test_each_rule_tells_its_meta_tested_facts_and_assertions(garden):
    rule = garden.rule("soggy_soil_means_overwatered")
    assert isinstance(rule, Rule)
    assert rule.meta["why"] == "the soil stays wet"
    assert rule.facts_tested == {"soil", "watered_days_ago", "pot_has_drainage"}
    assert rule.file.endswith("rules.yaml") and rule.line is not None
    assert [(a.fact, a.key, a.constant) for a in rule.then] == [("overwatered", None, True)]
    negated = garden.rule("not_low_light_when_bright")
    assert negated.facts_tested == {"light_hours", "leaf_colour"}  # a `not` still tests its fact
    scores = garden.rule("overwatered_scores")
    assert scores.facts_tested == {"overwatered"}  # a derived fact counts too
    assert [(a.fact, a.key, a.constant) for a in scores.then] == [
        ("problem_score", "overwatering", 3),
        ("urgency", None, "soon"),
    ]
    computed = garden.rule("water_soon")
    assert computed.then[0].fact == "days_until_water" and computed.then[0].constant is None
    assert garden.rules[0].id == "soggy_soil_means_overwatered"  # file order


def test_the_public_views_survive_the_disk_cache(garden, tmp_path):
    copy = pickle.loads(pickle.dumps(garden))
    assert copy.rule("root_rot_risk").facts_tested == garden.rule("root_rot_risk").facts_tested
    assert copy.vocabulary.inputs["soil"].accepts("moist")


def test_every_problem_is_listed_with_file_line_and_rule(tmp_path):
    text = """\
vocabulary:
  facts:
    n: {type: integer}
  derived:
    out: {type: boolean, conclusion: true}
rules:
  - {id: first, when: {fact: nope, eq: 1}, then: [{assert: out, value: true}]}
  - {id: second, when: {fact: n, eq: true}, then: [{assert: out, value: true}]}
"""
    with pytest.raises(RulebookError) as caught:
        load_rulebook(write_rules(tmp_path, text, "two.yaml"))
    problems = caught.value.problems
    assert [p.rule for p in problems] == ["first", "second"]
    assert all(p.file and p.file.endswith("two.yaml") for p in problems)
    assert [p.line for p in problems] == [7, 8]
    assert all(p.reason and p.problems == [p] for p in problems)


def test_a_single_problem_lists_itself(tmp_path):
    with pytest.raises(RulebookError) as caught:
        load_rulebook(tmp_path / "missing")
    assert caught.value.problems == [caught.value]


def test_load_yaml_gives_each_mapping_its_line(tmp_path):
    path = tmp_path / "host.yaml"
    path.write_text("# a host's own content\nitems:\n  - {name: a}\n  -\n    name: b\n")
    data = forwardrules.load_yaml(path)
    assert [item["name"] for item in data["items"]] == ["a", "b"]
    assert [data.line, data["items"][0].line, data["items"][1].line] == [2, 3, 5]
