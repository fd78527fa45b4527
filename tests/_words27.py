"""Plays helper words27's corpora: tests/corpora/words27_answers.yaml exactly as tests/_words23.py
plays its corpus (same profiles, same scoring) and tests/corpora/words27_conversations.yaml as
tests/_policy_corpus.py plays conversations. `python tests/_words27.py [ids]` prints the misses
and the figures of both.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from _paths import CORPORA
from _policy_corpus import replay_all, report
from _words23 import Outcome, figures, play

from hipcoach import app

ANSWERS = CORPORA / "words27_answers.yaml"
CONVERSATIONS = CORPORA / "words27_conversations.yaml"


def cases() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load(ANSWERS.read_text())["answers"]
    return loaded


def run_all(selected: list[dict[str, Any]] | None = None) -> list[Outcome]:
    app.default_skill.cache_clear()
    return [play(case, f"w27-{case['id']}") for case in (selected or cases())]


def main(argv: list[str]) -> int:
    only = set(argv) - {"--extra", "--answers"}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HIPCOACH_DB"] = str(Path(tmp) / "words27.db")
        outcomes = run_all([c for c in cases() if not only or c["id"] in only])
    for o in outcomes:
        if not o.understood or not o.reached:
            print(
                f"{o.case['id']:5} {o.case['at']:22} {o.case['say']!r}\n"
                f"      wrong={o.wrong} missed={o.missed} reached={o.reached} "
                f"emergency={o.emergency_told}\n      -> {o.reply!r}"
            )
    if "--extra" in argv:
        for o in outcomes:
            if o.extra:
                print(f"extra {o.case['id']:5} {o.case['say']!r}: {o.extra}")
    print(figures(outcomes))
    if not only or "--answers" not in argv:
        played = replay_all(CONVERSATIONS)
        report(played, [o.name.split(":")[0] for o in played])
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    raise SystemExit(main(sys.argv[1:]))
