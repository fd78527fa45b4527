"""Rebuild every program's expected.json from CLIPS (clipspy): python tests/engine/peers/regenerate.py"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from peers import PROGRAMS, clips_output, clips_sequence, programs, sequenced_type


def main() -> None:
    for name in programs():
        output = clips_output(name)
        path = PROGRAMS / name / "expected.json"
        path.write_text(json.dumps(output, indent=1, sort_keys=True) + "\n")
        print(f"{name}: {len(output)} facts")
        if sequenced_type(name) is not None:
            steps = clips_sequence(name)
            path = PROGRAMS / name / "expected_sequence.json"
            path.write_text(json.dumps(steps, indent=1, sort_keys=True) + "\n")
            print(f"{name}: {len(steps)} in sequence")


if __name__ == "__main__":
    main()
