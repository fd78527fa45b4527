"""`hipcoach triage FILE|-`: print the triage of a findings JSON object as one JSON object.

"triage" is the level these findings call for on a first check: the triage rules' level, raised
where the care plan's rules raise it from the findings alone (a likely stress fracture is urgent,
content/care_plan_rules/level.yaml), so it always equals `plan.level_in_force` here; the triage
rules' own level, before that, is `plan.check_level`. The other keys keep their DESIGN.md meaning
("why" adds the plan's reason when the plan raised the level).

Bad input (unreadable file, not JSON, not an object, an unknown finding or an invalid value):
one line on stderr naming the problem, exit status 2, nothing on stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from forwardrules import FactError
from hipcoach.medical.care_plan import care_plan
from hipcoach.medical.knowledge import knowledge
from hipcoach.medical.triage import triage
from hipcoach.routines.offers import with_exercises

USAGE_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        _fail(message)


class _BadInput(Exception):
    pass


def _fail(message: str) -> None:
    raise _BadInput(message)


def _read(source: str) -> Any:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as error:
        _fail(f"cannot read {source}: {error.strerror or error}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        _fail(f"{source} is not valid JSON: {error.msg} at line {error.lineno}")


def report(findings: dict[str, Any], exhausted: Sequence[str] = ()) -> dict[str, Any]:
    """The `hipcoach triage` object: the triage rules' output with the care plan's conclusions
    for these findings on a first check (issue 22) under "plan", and the headline "triage" at
    the plan's level in force (never below the triage rules' level). Raises FactError."""
    output = triage(findings, exhausted=set(exhausted))
    plan = care_plan(findings)
    output["plan"] = with_exercises(plan).to_json()
    if plan.level != output["triage"]:
        kb = knowledge()
        label = kb.levels[plan.level].label.capitalize()
        raised = [
            kb.why_templates["triage"].format(level_label=label, why=r.text) for r in plan.raised
        ]
        output["triage"] = plan.level
        output["why"] = raised + list(output["why"])
    return output


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; `argv` are the arguments after `hipcoach triage`."""
    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in[:1] == ["triage"]:
        args_in = args_in[1:]
    parser = _Parser(prog="hipcoach triage", description=__doc__.splitlines()[0])
    parser.add_argument("findings", help="a JSON file of findings, or - for stdin")
    parser.add_argument(
        "--exhausted",
        action="append",
        default=[],
        metavar="FINDING",
        help="a finding not to ask next (repeatable)",
    )
    try:
        args = parser.parse_args(args_in)
        findings = _read(args.findings)
        if not isinstance(findings, dict):
            _fail("findings must be a JSON object of finding names to values")
        facts = knowledge().facts
        for name in args.exhausted:
            if name not in facts:
                _fail(f"unknown finding {name!r} in --exhausted")
        try:
            output = report(findings, args.exhausted)
        except FactError as error:
            _fail(str(error))
    except _BadInput as error:
        message = " ".join(str(error).split())
        print(f"hipcoach triage: error: {message}", file=sys.stderr)
        return USAGE_ERROR
    sys.stdout.write(json.dumps(output) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
