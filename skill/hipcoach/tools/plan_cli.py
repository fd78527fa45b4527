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

from hipcoach.medical.care_plan import care_plan
from hipcoach.memory.episodes import history_of
from hipcoach.routines.offers import with_exercises

USAGE_ERROR = 2
LOCAL_USER_PREFIX = "amzn1.ask.account.local-"  # as `hipcoach chat --user ID` keys a runner


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
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        try:
            day = date.fromisoformat(args.date) if args.date else date.today()
        except ValueError:
            raise _BadInput(f"--date {args.date!r} is not YYYY-MM-DD") from None
        record = _record(Path(args.db) if args.db else default_sqlite_path(), args.user)
        plan = with_exercises(care_plan({}, history_of(record), day))
    except _BadInput as error:
        print(f"hipcoach plan: error: {' '.join(str(error).split())}", file=sys.stderr)
        return USAGE_ERROR
    sys.stdout.write(json.dumps({"date": day.isoformat(), "plan": plan.to_json()}) + "\n")
    return 0
