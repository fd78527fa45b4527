"""Numbers durable-rules' JSON parser misreads (exponent form) still compare correctly."""

import textwrap

import pytest

from forwardrules import load_rulebook

from .conftest import write_rules

RULES = """\
vocabulary:
  facts:
    x: {type: number}
    flag: {type: boolean}
  derived:
    out: {type: enum, values: [small, flagged, tiny_limit], combine: set, conclusion: true}
    half: {type: number, conclusion: true}
rules:
  - {id: small, when: {fact: x, lt: 0.001}, then: [{assert: out, value: small}]}
  - {id: limit, when: {fact: x, lt: 1.0e-7}, then: [{assert: out, value: tiny_limit}]}
  - {id: flagged, when: {fact: flag, eq: true}, then: [{assert: out, value: flagged}]}
  - {id: halve, when: {fact: x, present: true}, then: [{assert: half, value: {div: [{fact: x}, 2]}}]}
"""


@pytest.mark.parametrize("x", [1e-05, 2.5e-8, 1e22, 3.0])
def test_exponent_floats(tmp_path, x):
    book = load_rulebook(write_rules(tmp_path, textwrap.dedent(RULES)))
    with book.session() as session:
        session.add({"x": x, "flag": True})  # flag sorts after x: it must not be dropped
        result = session.result()
    expected = {"flagged"} | ({"small"} if x < 0.001 else set())
    expected |= {"tiny_limit"} if x < 1e-7 else set()
    assert set(result.value("out")) == expected
    assert result.value("half") == pytest.approx(x / 2)
