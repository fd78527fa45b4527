"""The loader rejects bad rules before anything runs, naming the file, the line and the rule."""

import textwrap

import pytest

from forwardrules import RulebookError, load_rulebook

from .conftest import write_rules

VOCAB = """\
vocabulary:
  facts:
    n: {type: integer, min: 0, max: 10}
    colour: {type: enum, values: [red, green]}
    flag: {type: boolean}
  derived:
    out: {type: enum, values: [a, b], combine: set, conclusion: true}
    level: {type: enum, values: [low, high], ordered: true, combine: max, outcome: true}
    score: {type: number, combine: sum, keys: [x, y], outcome: true}
"""
USES_ALL = """\
  - {id: uses_level, when: {fact: flag, eq: true}, then: [{assert: level, value: high}]}
  - {id: uses_score, when: {fact: flag, eq: true}, then: [{assert: score, key: x, value: 1}]}
"""


def load(tmp_path, rules: str, vocab: str = VOCAB):
    lines = textwrap.dedent(rules).strip().splitlines()
    text = vocab + "rules:\n" + "".join(f"  {line}\n" for line in lines) + USES_ALL
    return load_rulebook(write_rules(tmp_path, text, "bad.yaml"))


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            "- {id: r, when: {fact: nope, eq: 1}, then: [{assert: out, value: a}]}",
            "unknown fact 'nope'",
        ),
        (
            "- {id: r, when: {fact: n, eq: red}, then: [{assert: out, value: a}]}",
            "must be a number",
        ),
        ("- {id: r, when: {fact: n, eq: 11}, then: [{assert: out, value: a}]}", "at most 10"),
        (
            "- {id: r, when: {fact: colour, eq: blue}, then: [{assert: out, value: a}]}",
            "one of red, green",
        ),
        (
            "- {id: r, when: {fact: flag, eq: yes please}, then: [{assert: out, value: a}]}",
            "true or false",
        ),
        (
            "- {id: r, when: {fact: n, approx: 3}, then: [{assert: out, value: a}]}",
            "unknown operator 'approx'",
        ),
        ("- {id: r, when: {some: []}, then: [{assert: out, value: a}]}", "unknown operator 'some'"),
        ("- {id: r, when: {fact: flag, eq: true}, then: [{assert: out, value: c}]}", "one of a, b"),
        (
            "- {id: r, when: {fact: flag, eq: true}, then: [{assert: flag, value: true}]}",
            "input fact",
        ),
        ("- {id: r, when: {fact: score, gt: 1}, then: [{assert: out, value: a}]}", "is a sum"),
        (
            "- {id: r, when: {fact: colour, lt: red}, then: [{assert: out, value: a}]}",
            "ordered enum",
        ),
        (
            "- {id: r, when: {all: [{fact: n, gt: 5}, {fact: n, lt: 3}]}, then: [{assert: out, value: a}]}",
            "can never fire",
        ),
        (
            "- {id: r, when: {all: [{fact: colour, eq: red}, {fact: colour, eq: green}]}, "
            "then: [{assert: out, value: a}]}",
            "can never fire",
        ),
        (
            "- {id: r, when: {fact: flag, eq: true}, then: [{assert: out, value: {fact: colour}}]}",
            "does not always match",
        ),
        (
            "- {id: r, when: {fact: flag, eq: true}, then: [{assert: score, value: 1}]}",
            "needs `key`",
        ),
        (
            "- {id: r, when: {fact: flag, eq: true}, then: [{assert: out, value: a}], colour: 1}",
            "unknown key",
        ),
    ],
)
def test_rejects_with_file_line_and_rule(tmp_path, rule, message):
    with pytest.raises(RulebookError) as caught:
        load(tmp_path, rule)
    text = str(caught.value)
    assert message in text
    assert "bad.yaml:" in text
    assert "rule 'r'" in text
    assert caught.value.line is not None and caught.value.line > 10


def test_duplicate_ids(tmp_path):
    rules = """\
    - {id: r, when: {fact: flag, eq: true}, then: [{assert: out, value: a}]}
    - {id: r, when: {fact: flag, eq: false}, then: [{assert: out, value: b}]}
    """
    with pytest.raises(RulebookError, match="duplicate rule id"):
        load(tmp_path, rules)


def test_derived_fact_nobody_produces(tmp_path):
    vocab = VOCAB + "    orphan: {type: boolean}\n"
    with pytest.raises(RulebookError, match="'orphan' is never asserted"):
        load(
            tmp_path,
            "- {id: r, when: {fact: flag, eq: true}, then: [{assert: out, value: a}]}",
            vocab,
        )


def test_askable_must_be_an_input_fact(tmp_path):
    text = (
        VOCAB
        + "askable:\n  - {fact: out, priority: 1}\nrules:\n"
        + USES_ALL.replace("uses_level", "l")
        + "  - {id: o, when: {fact: flag, eq: true}, then: [{assert: out, value: a}]}\n"
    )
    with pytest.raises(RulebookError, match="askable 'out' is not an input fact"):
        load_rulebook(write_rules(tmp_path, text))


def test_reports_every_problem_at_once(tmp_path):
    rules = """\
    - {id: r1, when: {fact: nope, eq: 1}, then: [{assert: out, value: a}]}
    - {id: r2, when: {fact: n, eq: 99}, then: [{assert: out, value: a}]}
    """
    with pytest.raises(RulebookError) as caught:
        load(tmp_path, rules)
    assert len(caught.value.problems) == 2


def test_bad_yaml_names_the_line(tmp_path):
    path = write_rules(tmp_path, "rules:\n  - id: x\n    when: [unclosed\n", "broken.yaml")
    with pytest.raises(RulebookError, match=r"broken.yaml:\d+: not valid YAML"):
        load_rulebook(path)


def test_negation_cycle_rejected(tmp_path):
    text = """\
vocabulary:
  facts: {flag: {type: boolean}}
  derived:
    p: {type: boolean}
    q: {type: boolean}
rules:
  - {id: a, when: {all: [{fact: flag, eq: true}, {not: {fact: q, eq: true}}]}, then: [{assert: p, value: true}]}
  - {id: b, when: {all: [{fact: flag, eq: true}, {not: {fact: p, eq: true}}]}, then: [{assert: q, value: true}]}
"""
    with pytest.raises(RulebookError, match="cycle"):
        load_rulebook(write_rules(tmp_path, text))


def test_valid_content_is_cached(tmp_path, garden, monkeypatch):
    from forwardrules import loader
    from tests.engine.conftest import GARDEN

    assert load_rulebook(GARDEN) is garden
    cache = tmp_path / "cache"
    monkeypatch.setattr(loader, "_CACHE", {})
    first = load_rulebook(GARDEN, cache_dir=cache)
    assert list(cache.glob("rulebook-*.pickle"))
    assert first.digest == garden.digest
    monkeypatch.setattr(loader, "_CACHE", {})

    def must_not_rebuild(*args, **kwargs):
        raise AssertionError("validated content should come from the cache")

    monkeypatch.setattr(loader, "build_rulebook", must_not_rebuild)
    again = load_rulebook(GARDEN, cache_dir=cache)
    assert again.digest == garden.digest and len(again.rules) == len(garden.rules)


def test_a_used_rulebook_pickles_without_its_process_local_caches(garden):
    import pickle

    with garden.session() as session:
        session.add({"any_emergency": False})
        first = session.next_question()  # builds the cached views (atom ids among them)
    copy = pickle.loads(pickle.dumps(garden))
    assert "atom_index" not in copy.__dict__
    with copy.session() as session:
        session.add({"any_emergency": False})
        assert session.next_question() == first


@pytest.mark.parametrize(
    ("second", "message"),
    [
        ("{type: integer, min: true, max: 10}", "`min` must be a number"),
        ("{type: integer, min: 0.0, max: 10, combine: max}", "cannot have `combine`"),
        ("{type: integer, min: 0, max: 10, colour: red}", "unknown key 'colour'"),
    ],
)
def test_facts_declared_alike_are_each_checked(tmp_path, second, message):
    """A declaration that reads like an earlier valid one (True == 1 == 1.0 in Python) is
    still checked on its own, and its problem names its own fact."""
    vocab = VOCAB.replace(
        "    flag: {type: boolean}\n",
        f"    flag: {{type: boolean}}\n    m: {{type: integer, min: 1, max: 10}}\n"
        f"    k: {{type: integer, min: 0, max: 10}}\n    p: {second}\n",
    )
    with pytest.raises(RulebookError, match=message) as caught:
        load(
            tmp_path,
            "- {id: r, when: {fact: flag, eq: true}, then: [{assert: out, value: a}]}",
            vocab,
        )
    assert "'p'" in str(caught.value)


def test_facts_declared_alike_keep_their_own_names(tmp_path):
    vocab = VOCAB.replace(
        "    flag: {type: boolean}\n",
        "    flag: {type: boolean}\n    other: {type: boolean}\n",
    )
    book = load(
        tmp_path, "- {id: r, when: {fact: other, eq: true}, then: [{assert: out, value: a}]}", vocab
    )
    facts = book.vocabulary.facts
    assert (facts["flag"].name, facts["other"].name) == ("flag", "other")
    assert facts["flag"] == facts["other"].__class__(**{**facts["other"].__dict__, "name": "flag"})
