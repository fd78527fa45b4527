"""Waltz's input: `python generate.py REGIONS > facts.json`: the classic benchmark's drawing
(18 lines, points as x * 100 + y) repeated REGIONS times side by side, and the start stage."""

from __future__ import annotations

import json
import sys
from typing import Any

DRAWING = [
    (122, 107), (107, 2207), (2207, 3204), (3204, 6404), (2216, 2207), (3213, 3204),
    (2216, 3213), (107, 2601), (2601, 7401), (6404, 7401), (3213, 6413), (6413, 6404),
    (7416, 7401), (5216, 6413), (2216, 5216), (122, 5222), (5222, 7416), (5222, 5216),
]  # fmt: skip


def facts(regions: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [{"type": "stage", "value": "duplicate"}]
    for region in range(regions):
        shift = region * 100 * 100  # x moves by 100 per region: the drawings never touch
        rows += [{"type": "line", "p1": a + shift, "p2": b + shift} for a, b in DRAWING]
    return rows


if __name__ == "__main__":
    print(json.dumps(facts(int(sys.argv[1]) if len(sys.argv) > 1 else 12)))
