"""The record language a reuser expects: `or`, mod and whole-number division, text functions,
list fields with membership tests (expected values as CLIPS gives them)."""

import textwrap

import pytest

from forwardrules import RulebookError, load_rulebook

from .conftest import write_rules

VOCAB = """
vocabulary:
  records:
    wine:
      fields:
        name: {type: text}
        colour: {type: enum, values: [red, white]}
        body: {type: enum, values: [light, full]}
        grapes: {type: list, of: text}
        year: {type: integer}
    out:
      fields: {name: {type: text}, value: {type: text}, number: {type: number}}
"""


def book(tmp_path, rules: str):
    return load_rulebook(write_rules(tmp_path, VOCAB + textwrap.dedent(rules)))


def wines(*rows):
    return [
        {"type": "wine", "name": n, "colour": c, "body": b, "grapes": g, "year": y}
        for n, c, b, g, y in rows
    ]


ROWS = (
    ("a", "red", "full", ["syrah", "grenache"], 2015),
    ("b", "white", "light", ["riesling"], 2020),
    ("c", "white", "full", ["chardonnay"], 2018),
)


def outs(result):
    return sorted((r["name"], r["value"], r["number"]) for r in result.records("out"))


def test_or_makes_one_rule_per_alternative(tmp_path):
    rules = book(
        tmp_path,
        """
        rules:
          - id: bold
            when:
              - {record: wine, as: w}
              - or:
                  - {test: {eq: [{var: w.colour}, red]}}
                  - [{test: {eq: [{var: w.body}, full]}}, {test: {ge: [{var: w.year}, 2018]}}]
            then: [{insert: out, fields: {name: {var: w.name}, value: bold, number: 0}}]
        """,
    )
    with rules.session() as session:
        session.insert(wines(*ROWS))
        result = session.result()
        assert outs(result) == [("a", "bold", 0), ("c", "bold", 0)]
        assert {f.rule for f in result.record_firings} == {"bold"}


def test_list_fields_and_membership(tmp_path):
    rules = book(
        tmp_path,
        """
        rules:
          - id: syrah
            when: [{record: wine, as: w, where: {grapes: {contains: syrah}}}]
            then:
              - insert: out
                fields: {name: {var: w.name}, value: syrah, number: {length: {var: w.grapes}}}
        """,
    )
    with rules.session() as session:
        session.insert(wines(*ROWS))
        assert outs(session.result()) == [("a", "syrah", 2)]
        out = session.result().records("wine")[0]
        assert out["grapes"] == ("syrah", "grenache")
        assert session.result().to_json()["input_records"][0]["grapes"] == ["syrah", "grenache"]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("{mod: [7, -2]}", 1),  # CLIPS (mod 7 -2) = 1, (mod -7 2) = -1
        ("{mod: [-7, 2]}", -1),
        ("{idiv: [7, -2]}", -3),  # CLIPS (div 7 -2) = -3
        ("{idiv: [-7, 2]}", -3),
        ("{mod: [7.5, 2]}", 1.5),
        ("{floor: -2.5}", -3),
        ("{ceil: 2.1}", 3),
        ("{length: {var: w.name}}", 1),
    ],
)
def test_arithmetic_as_clips(tmp_path, expression, expected):
    rules = book(
        tmp_path,
        f"""
        rules:
          - id: calc
            when: [{{record: wine, as: w, where: {{name: a}}}}]
            then: [{{insert: out, fields: {{name: x, value: y, number: {expression}}}}}]
        """,
    )
    with rules.session() as session:
        session.insert(wines(*ROWS))
        assert outs(session.result()) == [("x", "y", expected)]


def test_text_functions(tmp_path):
    rules = book(
        tmp_path,
        """
        rules:
          - id: label
            when:
              - {record: wine, as: w, where: {name: {contains: b}}}
            then:
              - insert: out
                fields:
                  name: {upper: {var: w.name}}
                  value: {concat: [{var: w.colour}, "-", {var: w.year}, "-", {lower: ABC}]}
                  number: {length: {concat: [{var: w.name}, {var: w.name}]}}
        """,
    )
    with rules.session() as session:
        session.insert(wines(*ROWS))
        assert outs(session.result()) == [("B", "white-2020-abc", 2)]


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ("{record: wine, as: w, where: {year: {contains: 3}}}", "needs a list or text field"),
        ("{record: wine, as: w, where: {grapes: {gt: 3}}}", "use contains"),
        ("{record: wine, as: w, where: {grapes: {contains: 3}}}", "must be text"),
        ("{record: wine, as: w, where: {year: {add: [{upper: x}, 1]}}}", "gives text"),
        ("{or: [{record: wine, as: w}]}", "two or more alternatives"),
    ],
)
def test_bad_uses_are_refused(tmp_path, condition, message):
    with pytest.raises(RulebookError, match=message):
        book(
            tmp_path,
            f"""
            rules:
              - id: bad
                when: [{condition}]
                then: [{{insert: out, fields: {{name: x, value: y, number: 1}}}}]
            """,
        )


def test_lists_are_for_record_fields(tmp_path):
    text = "vocabulary:\n  facts:\n    a: {type: list, of: text}\n"
    with pytest.raises(RulebookError, match="record fields only"):
        load_rulebook(write_rules(tmp_path, text))


FUNCTIONS = """
  functions:
    distance: {args: 2, returns: number}
rules:
  - id: near
    when:
      - {record: wine, as: a}
      - {record: wine, as: b, where: {year: {gt: {var: a.year}}}}
      - {test: {le: [{call: {distance: [{var: a.year}, {var: b.year}]}}, 3]}}
    then: [{insert: out, fields: {name: {var: a.name}, value: {var: b.name}, number: 0}}]
"""


def test_host_functions_are_declared_checked_and_called(tmp_path):
    text = VOCAB + FUNCTIONS
    (tmp_path / "good").mkdir()
    path = write_rules(tmp_path / "good", text)
    rules = load_rulebook(path, functions={"distance": lambda x, y: abs(x - y)})
    with rules.session() as session:
        session.insert(wines(*ROWS))
        assert outs(session.result()) == [("a", "c", 0), ("c", "b", 0)]
    bad = text.replace("{var: a.year}, {var: b.year}]", "{var: a.year}]")
    (tmp_path / "bad").mkdir()
    with pytest.raises(RulebookError, match="takes 2 values"):
        load_rulebook(write_rules(tmp_path / "bad", bad))
    with pytest.raises(RulebookError, match="not declared"):
        load_rulebook(path, functions={"nope": abs})


def test_a_failing_host_function_is_an_error_of_the_rule(tmp_path):
    from forwardrules.errors import RuleConditionError

    def broken(x, y):
        raise RuntimeError("no network")

    rules = load_rulebook(write_rules(tmp_path, VOCAB + FUNCTIONS), functions={"distance": broken})
    with rules.session() as session:
        session.insert(wines(*ROWS))
        with pytest.raises(RuleConditionError, match=r"near.*no network"):
            session.result()
