"""A record field named `type` (CLIPS's wine program has one), and validating facts and records
from the rulebook alone, without a session."""

import json
import textwrap

import pytest

from forwardrules import FactError, RulebookError, load_rulebook
from forwardrules.cli import main

from .conftest import write_rules

RULES = """
vocabulary:
  facts:
    colour: {type: enum, values: [red, white]}
  records:
    wine:
      fields: {name: {type: text}, type: {type: enum, values: [red, white]}}
    pick:
      derived: true
      fields: {name: {type: text}, type: {type: text}}
rules:
  - id: pick_red
    when:
      - {record: wine, as: w, where: {type: red}}
    then:
      - {insert: pick, fields: {name: {var: w.name}, type: {var: w.type}}}
"""


@pytest.fixture
def book(tmp_path):
    return load_rulebook(write_rules(tmp_path, textwrap.dedent(RULES)))


def test_a_field_named_type_is_matched_inserted_and_read(book):
    with book.session() as session:
        session.insert(
            [
                {"$type": "wine", "name": "Merlot", "type": "red"},
                {"$type": "wine", "name": "Chablis", "type": "white"},
            ]
        )
        picks = session.result().records("pick")
    assert [(p["name"], p["type"]) for p in picks] == [("Merlot", "red")]
    assert picks[0].to_json() == {"$type": "pick", "name": "Merlot", "type": "red"}


def test_without_dollar_type_the_field_is_missing(book):
    with book.session() as session, pytest.raises(FactError, match="type"):
        session.insert([{"type": "wine", "name": "Merlot"}])


def test_the_cli_reads_and_writes_dollar_type(tmp_path, book, capsys):
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps([{"$type": "wine", "name": "Merlot", "type": "red"}]))
    assert main(["run", str(tmp_path), str(facts)]) == 0
    output = json.loads(capsys.readouterr().out)
    assert output["facts"] == [{"$type": "pick", "name": "Merlot", "type": "red"}]


def test_field_names_starting_with_dollar_are_refused(tmp_path):
    text = RULES.replace("name: {type: text}, type:", '"$type": {type: text}, type:', 1)
    with pytest.raises(RulebookError, match=r"starting with \$ are reserved"):
        load_rulebook(write_rules(tmp_path, textwrap.dedent(text)))


def test_validation_needs_no_session(book):
    assert book.validate({"colour": "red"}) == {"colour": "red"}
    with pytest.raises(FactError, match="colour"):
        book.validate({"colour": "blue"})
    with pytest.raises(FactError, match="unknown fact"):
        book.validate({"shade": "red"})
    assert book.validate_records([{"$type": "wine", "name": "M", "type": "red"}]) == [
        ("wine", {"name": "M", "type": "red"})
    ]
    with pytest.raises(FactError, match="derived"):
        book.validate_records([{"$type": "pick", "name": "M", "type": "red"}])
    # the session's validation is the rulebook's
    with book.session() as session:
        assert session.validate({"colour": "white"}) == book.validate({"colour": "white"})


@pytest.mark.parametrize("name", ['"$stratum"', "on"])
def test_fact_names_the_engine_reserves_or_yaml_misreads_are_refused(tmp_path, name):
    text = f"""
    vocabulary:
      facts:
        {name}: {{type: integer}}
    """
    with pytest.raises(RulebookError, match="must be text not starting with"):
        load_rulebook(write_rules(tmp_path, textwrap.dedent(text)))
