"""Waltz's geometry, the host functions its rules call (CLIPS: the deffunctions in program.clp).

A point p stands for (x, y) = (p // 100, p % 100). Three edges from a base point make an arrow
(the two smallest angles add up to less than a half turn), a fork (more) or a tee (a half turn);
the shaft is the edge between the two barbs.
"""

from __future__ import annotations

import math


def _angle(p1: int, p2: int) -> float:
    return math.atan2(p2 % 100 - p1 % 100, p2 // 100 - p1 // 100)


def _inscribed(base: int, p1: int, p2: int) -> float:
    turn = abs(_angle(base, p1) - _angle(base, p2))
    return 2 * math.pi - turn if turn > math.pi else turn


def _shape(base: int, p1: int, p2: int, p3: int) -> tuple[str, int, int, int]:
    """(type, barb1, shaft, barb2)."""
    a12, a13, a23 = _inscribed(base, p1, p2), _inscribed(base, p1, p3), _inscribed(base, p2, p3)
    s1213, s1223, s1323 = a12 + a13, a12 + a23, a13 + a23
    if s1213 < s1223:
        total, shaft, barbs = (s1213, p1, (p2, p3)) if s1213 < s1323 else (s1323, p3, (p1, p2))
    else:
        total, shaft, barbs = (s1223, p2, (p1, p3)) if s1223 < s1323 else (s1323, p3, (p1, p2))
    kind = "tee" if abs(total - math.pi) < 0.001 else "fork" if total > math.pi else "arrow"
    return kind, barbs[0], shaft, barbs[1]


FUNCTIONS = {
    "junction_type": lambda b, p1, p2, p3: _shape(b, p1, p2, p3)[0],
    "junction_barb1": lambda b, p1, p2, p3: _shape(b, p1, p2, p3)[1],
    "junction_shaft": lambda b, p1, p2, p3: _shape(b, p1, p2, p3)[2],
    "junction_barb2": lambda b, p1, p2, p3: _shape(b, p1, p2, p3)[3],
}
