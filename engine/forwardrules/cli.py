"""`forwardrules validate RULES` and `forwardrules run RULES FACTS.json`.

FACTS is a JSON object of named values, or a JSON list of records {"type": TYPE, FIELD: VALUE}.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import ForwardRulesError
from .loader import load_rulebook

EXIT_INVALID = 2


def _read_facts(source: str) -> dict[str, Any] | list[Any]:
    text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    facts = json.loads(text)
    if not isinstance(facts, dict | list):
        raise ValueError("the facts file must hold a JSON object or a list of records")
    return facts


def examples_folder() -> Path:
    """Where the examples are: installed from the wheel under <prefix>/share/forwardrules, or
    engine/examples beside the package in a source checkout."""
    installed = Path(sys.prefix) / "share" / "forwardrules" / "examples"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "examples"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="forwardrules", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check a rules folder")
    validate.add_argument("rules")
    run = commands.add_parser("run", help="run a rules folder on a facts file (or - for stdin)")
    run.add_argument("rules")
    run.add_argument("facts")
    run.add_argument("--exhausted", default="", help="comma-separated facts not to ask about")
    commands.add_parser("examples", help="print the folder holding the example rulebooks")
    args = parser.parse_args(argv)
    if args.command == "examples":
        print(examples_folder())
        return 0
    try:
        book = load_rulebook(args.rules)
        if args.command == "validate":
            counts = f"ok: {len(book.rules)} rules, {len(book.vocabulary.facts)} facts"
            if book.record_rules or book.vocabulary.records:
                counts += (
                    f", {len(book.record_rules)} record rules,"
                    f" {len(book.vocabulary.records)} record types"
                )
            print(counts)
            return 0
        with book.session() as session:
            facts = _read_facts(args.facts)
            if isinstance(facts, list):
                session.insert(facts)
            else:
                session.add(facts)
            output = session.result().to_json()
            exhausted = [name for name in args.exhausted.split(",") if name]
            question = session.next_question(exhausted)
            output["next_question"] = question.fact if question else None
        print(json.dumps(output, indent=2, sort_keys=True))
        return 0
    except (ForwardRulesError, ValueError, OSError) as error:
        message = " ".join(str(error).split())  # one line, however many problems
        print(f"forwardrules: {message}", file=sys.stderr)
        return EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())
