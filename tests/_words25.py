"""Plays tests/corpora/words25_answers.yaml exactly as tests/_words23.py plays its corpus (same
profiles, same scoring). `python tests/_words25.py [ids] [--extra]` prints the misses and figures.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml
from _paths import CORPORA
from _words23 import Outcome, figures, play

from hipcoach import app

CORPUS = CORPORA / "words25_answers.yaml"


def cases() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load(CORPUS.read_text())["answers"]
    return loaded


def run_all(selected: list[dict[str, Any]] | None = None) -> list[Outcome]:
    app.default_skill.cache_clear()
    return [play(case, f"w25-{case['id']}") for case in (selected or cases())]


def main(argv: list[str]) -> int:
    only = set(argv) - {"--extra"}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HIPCOACH_DB"] = str(Path(tmp) / "words25.db")
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
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    raise SystemExit(main(sys.argv[1:]))
