"""Blind driver 3a: plays the personas of tests/corpora/blind3_interviews.yaml through the skill.

A script, not a pytest module. Each runner gets a fresh `hipcoach chat --json --user ID --locale L`
process on a pipe (one utterance per line in, one JSON line per turn out, per DESIGN.md "Command
line"). The runner says "open hip coach", then their opening, then answers whatever the skill asks
(the `asking` field) from the persona, until a turn tells the result, the session ends or a turn
cap is hit. It knows only the public contract: findings names and values, triage levels, the JSON
keys of a turn.

Scores per runner and in total:
- understood: share of the runner's answers after which the skill neither asked the same thing
  again nor said it did not catch it (interjections and the opening are scored apart);
- recorded: share of answers to a finding the runner knows after which that finding holds the
  runner's value;
- wrong values: a finding in `findings` whose value contradicts the persona's facts (the utterance
  after which it first appeared is kept);
- under-triage: the told level below the level a clinician would give (or no level told at all);
- red-flag latency: runner utterances after the one that first says a red flag until a turn
  whose result is urgent or emergency (0 = the very reply);
- expected cause first, must-record values at the result, opening facts captured by the opening.

Usage: .venv/bin/python tests/conversations/blind3_driver.py OUT.json [--only ID ...]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the shared logic

from _blind3 import CORPUS, ROOT, load_personas, play, print_table, totals

HIPCOACH = ROOT / ".venv" / "bin" / "hipcoach"
TURN_TIMEOUT_S = 90.0


class Chat:
    """One `hipcoach chat --json` process on a pipe."""

    def __init__(self, user: str, locale: str) -> None:
        self.err_path = Path(f"/tmp/blind3_driver_{user}.err")
        self.err = self.err_path.open("w")
        self.proc = subprocess.Popen(
            [str(HIPCOACH), "chat", "--json", "--user", user, "--locale", locale],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.err,
            text=True,
            bufsize=1,
            cwd=ROOT,
        )

    def say(self, utterance: str) -> dict[str, Any] | None:
        assert self.proc.stdin and self.proc.stdout
        try:
            self.proc.stdin.write(utterance + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            return None
        deadline = time.monotonic() + TURN_TIMEOUT_S
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 1.0)
            if not ready:
                if self.proc.poll() is not None:
                    return None
                continue
            line = self.proc.stdout.readline()
            if not line:
                return None
            line = line.strip()
            if not line:
                continue
            try:
                turn: dict[str, Any] = json.loads(line)
                return turn
            except json.JSONDecodeError:
                continue  # a stray non-JSON line is not a turn
        return None

    def close(self) -> str:
        if self.proc.stdin:
            with contextlib.suppress(BrokenPipeError):
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()  # only the process this driver started
            self.proc.wait()
        self.err.close()
        text = self.err_path.read_text()
        self.err_path.unlink()
        return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="where to write the JSON summary")
    parser.add_argument("--only", nargs="*", help="runner ids to play (default: all)")
    args = parser.parse_args()
    personas = load_personas()
    if args.only:
        personas = [p for p in personas if p["id"] in args.only]
    runs = []
    for persona in personas:
        started = time.monotonic()
        run = play(persona, Chat)
        run["seconds"] = round(time.monotonic() - started, 1)
        runs.append(run)
        print(
            f"  played {persona['id']} ({run['turns']} turns, {run['seconds']} s)", file=sys.stderr
        )
    print_table(runs)
    summary = {
        "corpus": str(CORPUS.relative_to(ROOT)),
        "totals": totals(runs),
        "by_locale": {
            loc: totals([r for r in runs if r["locale"] == loc]) for loc in ("en-US", "en-GB")
        },
        "runs": runs,
    }
    print(json.dumps(summary["totals"], indent=1))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
