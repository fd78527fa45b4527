"""forwardrules.load_yaml reads a document from the parser's events (fast path) or, for anything
unusual, through PyYAML's constructor: both give what PyYAML's safe loader gives, and refuse
what the rules must not silently accept (duplicate keys), with the first key's line."""

import textwrap

import pytest
import yaml

import forwardrules
from forwardrules.yaml_source import _from_events, _line_loader, _Unusual

DOCUMENTS = {
    "scalars": """\
        ints: [0, 7, -3, 0x1f, 0o17, 1_000, +5]
        floats: [1.5, -0.25, 1e300, 1.0e+300, 2.5E-3, .inf, -.inf]
        bools: [yes, no, true, False, on, off]
        nulls: [~, null, '', ""]
        strings: [plain text, 'single', "double \\t tab", '7', "yes", ! 12]
        dates: [2024-01-31, 2024-01-31 10:20:30]
        same: [7, 7, yes, yes, 1e300, 1e300]
        """,
    "block and flow": """\
        vocabulary:
          facts:
            x0: {type: integer, min: 0, max: 100}
            pain: {type: enum, values: [none, mild, severe], ordered: true}
        rules:
          - {id: r0, when: {all: [{fact: x0, ge: 5}, {not: {fact: x0, eq: 7}}]}, then: [{assert: top, value: 0}]}
          - id: r1
            when:
              fact: pain
              in: [mild, severe]
            then:
              - assert: top
                value: {add: [{fact: x0}, 1]}
        """,
    "anchors": """\
        base: &base {type: integer, min: 0}
        list: &items [a, b]
        one: *base
        two: *items
        text: &word hello
        again: *word
        """,
    "merge keys": """\
        base: &base {type: integer, min: 0}
        derived:
          <<: *base
          max: 9
        """,
    "explicit tags": """\
        a: !!str 123
        b: !!int "42"
        c: !!set {x, y}
        """,
    "keys that are not text": """\
        2: two
        true: yes
        ~: nothing
        2024-01-31: date
        """,
    "multi-line scalars": """\
        folded: >
          two
          lines
        literal: |
          kept
          as is
        plain: a long
          plain scalar
        """,
    "empty": "",
    "comment only": "# nothing here\n",
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_the_same_values_and_lines_as_pyyaml(tmp_path, name):
    text = textwrap.dedent(DOCUMENTS[name])
    path = tmp_path / "doc.yaml"
    path.write_text(text)
    ours = forwardrules.load_yaml(path)
    # PyYAML's own path, with the rules' one change: 1e300 is a number (YAML 1.2, JSON)
    assert ours == yaml.load(text, Loader=_line_loader())
    assert ours == yaml.safe_load(text.replace("1e300", "1.0e+300"))
    composed = yaml.compose(text, Loader=yaml.SafeLoader)

    def lines(value, node):  # every mapping's line is its node's first line
        if isinstance(value, dict):
            assert value.line == node.start_mark.line + 1
            for key_node, value_node in node.value:
                if key_node.tag != "tag:yaml.org,2002:merge":
                    key = yaml.SafeLoader(key_node.value).construct_object(key_node)
                    lines(value[key], value_node)
        elif isinstance(value, list) and node.tag.endswith(":seq"):
            for item, child in zip(value, node.value, strict=True):
                lines(item, child)

    if composed is not None:
        lines(ours, composed)


def test_numbers_in_exponent_form_are_numbers(tmp_path):
    path = tmp_path / "doc.yaml"
    path.write_text("a: [1e300, 1.0e300, -2E-5, '1e300']\n")
    assert forwardrules.load_yaml(path)["a"] == [1e300, 1e300, -2e-5, "1e300"]


def test_aliases_share_one_object(tmp_path):
    path = tmp_path / "doc.yaml"
    path.write_text(textwrap.dedent(DOCUMENTS["anchors"]))
    data = forwardrules.load_yaml(path)
    assert data["one"] is data["base"] and data["two"] is data["list"]


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: 2\na: 3\n",
        "rules:\n  - {id: r, when: {fact: x, eq: 1, eq: 2}}\n",
        "top:\n  inner: {k: 1}\n  inner: {k: 2}\n",
    ],
)
def test_a_duplicate_key_is_refused_with_the_first_keys_line(tmp_path, text):
    with pytest.raises(_Unusual):
        _from_events(text)  # the fast path leaves it to PyYAML's path, which words it
    path = tmp_path / "doc.yaml"
    path.write_text(text)
    with pytest.raises(yaml.constructor.ConstructorError, match="found duplicate key") as caught:
        forwardrules.load_yaml(path)
    assert "(first on line " in str(caught.value)


@pytest.mark.parametrize(
    "text", ["a: &x [1, *x]\n", "a: *missing\n", "--- 1\n--- 2\n", "{[1, 2]: x}\n"]
)
def test_what_the_fast_path_leaves_to_pyyaml_is_still_refused(tmp_path, text):
    path = tmp_path / "doc.yaml"
    path.write_text(text)
    with pytest.raises(yaml.YAMLError):
        forwardrules.load_yaml(path)
