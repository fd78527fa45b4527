"""`hipcoach plan --user ID [--date YYYY-MM-DD] [--db FILE]`: the care plan of a stored runner.

Reads the runner's record from the local SQLite store (the one `hipcoach chat --user ID` writes)
and prints the rules' care plan for that date as one JSON object, so a clinician or a test can
check a whole journey without speaking to the skill. Bad input: one line on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from hipcoach.medical.care_plan import CarePlan, care_plan
from hipcoach.medical.knowledge import knowledge
from hipcoach.memory.episodes import history_of
from hipcoach.routines.loader import routines
from hipcoach.routines.offers import with_exercises
from hipcoach.speech.locales import known, pick
from hipcoach.speech.locales import numbers as locale_numbers
from hipcoach.speech.texts import Texts

USAGE_ERROR = 2
LOCAL_USER_PREFIX = "amzn1.ask.account.local-"  # as `hipcoach chat --user ID` keys a runner


def readable(plan: CarePlan, day: date, locale: str) -> dict[str, Any]:
    """The plan in words a clinician reads without the rule ids: each level with its label and
    the action the runner hears, the latest check, the run answer and each routine allowed or
    refused with why, and every reason with its seed sentence (and "clinical judgement" where
    the rule goes beyond the seeds). The words are content's (triage_levels.yaml,
    speech/care_plan.yaml), in `locale`."""
    kb, texts = knowledge(), Texts(locale)
    numbers = locale_numbers(locale)

    def level(level_id: str | None) -> str | None:
        if level_id is None:
            return None
        spec = kb.levels[level_id]
        return f"{spec.label}: {pick(spec.action, locale).format(**numbers)}"

    check = None
    if plan.check_day is not None:
        ago = (day - plan.check_day).days
        known_cause = plan.check_cause if plan.check_cause in kb.conditions else None
        cause = kb.conditions[known_cause].name if known_cause is not None else None
        check = {
            "date": plan.check_day.isoformat(),
            "days_ago": ago,
            "level": level(plan.check_level),
            "likeliest_cause": cause,
        }
    allowed: dict[str, str] = {}
    for routine_id, routine in sorted(routines().items()):
        why = plan.why_not(routine_id)
        name = routine.name if isinstance(routine.name, str) else pick(routine.name, locale)
        allowed[name] = (
            "allowed" if plan.allows(routine_id) else f"refused: {why.text if why else ''}"
        )
    return {
        "level_in_force": level(plan.level),
        "latest_check": check,
        "raised_since_the_check": plan.escalation is not None,
        "running": plan.words("running", texts, **numbers),
        "routines": allowed,
        "followup_reply": plan.words("followup", texts, **numbers) if plan.followup else None,
        "reasons": [
            f'{r.text} ({r.source}: "{r.quote}")'
            + (f" [clinical judgement: {r.judgement}]" if r.judgement else "")
            for r in plan.reasons
        ],
    }


class _BadInput(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _BadInput(message)


def _record(db: Path, user: str) -> dict[str, Any]:
    if not db.exists():
        raise _BadInput(f"no store at {db}")
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            row = conn.execute(
                "SELECT data FROM attributes WHERE user_id IN (?, ?)",
                (user, LOCAL_USER_PREFIX + user),
            ).fetchone()
    except sqlite3.Error as error:
        raise _BadInput(f"cannot read {db}: {error}") from None
    if row is None:
        raise _BadInput(f"no stored runner {user!r}")
    data = json.loads(row[0])
    return data if isinstance(data, dict) else {}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; `argv` are the arguments after `hipcoach plan`."""
    from hipcoach.persistence.sqlite import default_sqlite_path

    parser = _Parser(prog="hipcoach plan", description=__doc__.splitlines()[0])
    parser.add_argument("--user", required=True, help="the runner (as in hipcoach chat --user)")
    parser.add_argument("--date", help="the day of the plan, YYYY-MM-DD (default: today)")
    parser.add_argument("--db", help="the SQLite store (default: hipcoach chat's)")
    parser.add_argument(
        "--locale", default="en-US", help="the words of the readable part (default: en-US)"
    )
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        try:
            day = date.fromisoformat(args.date) if args.date else date.today()
        except ValueError:
            raise _BadInput(f"--date {args.date!r} is not YYYY-MM-DD") from None
        locale = str(args.locale)
        if not known(locale):
            raise _BadInput(f"--locale {locale!r} is not a locale of content/locales.yaml")
        record = _record(Path(args.db) if args.db else default_sqlite_path(), args.user)
        plan = with_exercises(care_plan({}, history_of(record), day))
    except _BadInput as error:
        print(f"hipcoach plan: error: {' '.join(str(error).split())}", file=sys.stderr)
        return USAGE_ERROR
    out = {"date": day.isoformat(), "plan": plan.to_json(), "readable": readable(plan, day, locale)}
    sys.stdout.write(json.dumps(out) + "\n")
    return 0
