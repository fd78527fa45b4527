"""Guests for Miss Manners, generated as the classic benchmark does: as many men as women, each
guest with 2 or 3 of 3 hobbies, one `guest` record per guest and hobby. Prints JSON records."""

from __future__ import annotations

import json
import random
import sys
from typing import Any


def guests(count: int, seed: int = 1, hobbies: int = 3) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    sexes = ["m", "f"] * (count // 2) + ["m"] * (count % 2)
    rng.shuffle(sexes)
    records: list[dict[str, Any]] = []
    for index, sex in enumerate(sexes, start=1):
        chosen = rng.sample(range(1, hobbies + 1), rng.randint(2, min(3, hobbies)))
        for hobby in sorted(chosen):
            records.append({"type": "guest", "name": f"n{index}", "sex": sex, "hobby": f"h{hobby}"})
    return records


def facts(count: int, seed: int = 1) -> list[dict[str, Any]]:
    return [
        *guests(count, seed),
        {"type": "count", "value": 1},
        {"type": "context", "state": "start"},
    ]


if __name__ == "__main__":
    print(json.dumps(facts(int(sys.argv[1]) if len(sys.argv) > 1 else 16), indent=1))
