"""Record rules and screens the engine cannot run are rejected, every problem at once, with file,
line and rule."""

import pytest

from forwardrules import RulebookError, load_rulebook

from .conftest import write_rules

VOCAB = """\
vocabulary:
  records:
    item:
      fields:
        name: {type: text}
        size: {type: integer, min: 0}
    out:
      derived: true
      fields: {name: {type: text}}
rules:
  - id: ok
    when: [{record: item, as: a}]
    then: [{insert: out, fields: {name: {var: a.name}}}]
"""


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("when: [{record: nope}]\n    then: [{retract: a}]", "unknown record type 'nope'"),
        ("when: [{record: item, where: {colour: 1}}]\n    then: []", "no field 'colour'"),
        ("when: [{record: item, where: {size: -1}}]\n    then: []", "at least 0"),
        ("when: [{record: item, where: {name: {lt: 3}}}]\n    then: []", "needs a number field"),
        (
            "when: [{record: item, as: a, where: {size: {var: b.size}}}]\n    then: []",
            "no record bound as 'b'",
        ),
        (
            "when: [{record: item, as: a}]\n    then: [{insert: out, fields: {}}]",
            "needs field 'name'",
        ),
        (
            "when: [{record: item, as: a}]\n    then: [{modify: b, fields: {size: 1}}]",
            "no record bound",
        ),
        (
            "when: [{record: item, as: a}, {not: {record: item, as: b}}]\n    then: [{retract: b}]",
            "no record bound as 'b'",
        ),
        (
            "when: [{record: item, as: a}, {sum: {record: item, field: name}, gt: 1}]\n"
            "    then: [{retract: a}]",
            "needs `field`: a number field",
        ),
        (
            "when: [{record: item, as: a}]\n"
            "    then: [{insert: out, fields: {name: {add: [{var: a.name}, 1]}}}]",
            "not a number field",
        ),
        ("when: [{fact: x, eq: 1}]\n    then: [{retract: a}]", "cannot mix"),
        ("when: [{not: {record: item}}]\n    then: [{insert: out, fields: {name: x}}]", "positive"),
    ],
)
def test_rejects_bad_record_rules(tmp_path, rule, message):
    text = VOCAB + f"  - id: bad\n    {rule}\n"
    with pytest.raises(RulebookError) as caught:
        load_rulebook(write_rules(tmp_path, text, "bad.yaml"))
    assert message in str(caught.value)
    assert "bad.yaml:" in str(caught.value) and "rule 'bad'" in str(caught.value)


def test_every_problem_at_once(tmp_path):
    text = VOCAB + (
        "  - id: one\n    when: [{record: nope}]\n    then: [{retract: a}]\n"
        "  - id: two\n    when: [{record: item, where: {size: x}}]\n    then: [{retract: a}]\n"
    )
    with pytest.raises(RulebookError) as caught:
        load_rulebook(write_rules(tmp_path, text))
    assert len(caught.value.problems) >= 3  # unknown type, bad literal, unbound aliases
    assert {p.rule for p in caught.value.problems} == {"one", "two"}


def test_derived_record_type_nobody_inserts(tmp_path):
    text = VOCAB.replace(
        "rules:", "    orphan:\n      derived: true\n      fields: {x: {type: text}}\nrules:"
    )
    with pytest.raises(RulebookError, match="'orphan' is never inserted"):
        load_rulebook(write_rules(tmp_path, text))


SCREEN = """\
vocabulary:
  facts:
    screen: {type: boolean}
    fever: {type: boolean}
    swelling: {type: boolean}
  derived:
    level: {type: enum, values: [low, high], ordered: true, combine: max, outcome: true}
askable:
  - {fact: screen, priority: 10, covers: [fever, swelling]}
  - {fact: swelling, priority: 5}
rules:
  - {id: r, when: {any: [{fact: fever, eq: true}, {fact: swelling, eq: true}]}, then: [{assert: level, value: high}]}
"""


def test_a_screen_covering_a_fact_that_is_never_asked_is_an_error(tmp_path):
    with pytest.raises(RulebookError) as caught:
        load_rulebook(write_rules(tmp_path, SCREEN, "knee.yaml"))
    text = str(caught.value)
    assert "knee.yaml:9:" in text
    assert "'screen' covers 'fever', which is not askable" in text
    assert "swelling" not in text


def test_the_hip_content_screens_reach_every_covered_finding():
    from pathlib import Path

    rules = Path(__file__).resolve().parents[2] / "content" / "rules"
    book = load_rulebook(rules)
    for screen in book.vocabulary.askable.values():
        assert set(screen.covers) <= set(book.vocabulary.askable)
