"""Replay tests/corpora/journeys_everyday.yaml and print the figures and every problem:
`python tests/conversations/everyday_journeys_driver.py [--json FILE]`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the figures and problems to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "hip.db"
        os.environ["HIPCOACH_DB"] = str(db)
        from _everyday_journeys import Figures, journeys, play

        figures = Figures()
        for number, journey in enumerate(journeys()):
            play(journey, db, f"everyday{number}", figures)
    for problem in figures.problems:
        print(problem)
    print(
        f"turns right {figures.right}/{figures.turns}; plans right {figures.plans_right}/{figures.plans}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures.__dict__, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
