"""The training log: weekly totals and single runs, in kilometres, by ISO week.

A stated weekly total ("I ran 25 miles last week") sets that week's total; a run ("I did a 10k
yesterday") adds to its week. Storage only: what the log means (the 10% rule) is decided by the
prevention rules (content/prevention_rules/, run by hipcoach.memory.prevention).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeGuard

from hipcoach.memory.dates import from_iso, to_iso, week_end, week_key, week_start
from hipcoach.memory.units import is_unit

MAX_WEEK_KM = 1000.0
MAX_RUN_KM = 250.0
KEEP_WEEKS = 78  # enough to cover the life of a pair of shoes
MAX_RUNS_PER_WEEK = 21


def empty_training() -> dict[str, Any]:
    return {"unit": None, "weeks": {}}


def _is_number(value: object) -> TypeGuard[int | float | Decimal]:
    """An int, float or Decimal (DynamoDB's numbers), never a bool."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _valid_week(key: object, rec: object) -> bool:
    if not isinstance(key, str) or week_start(key) is None or not isinstance(rec, dict):
        return False
    base = rec.get("base")
    if not _is_number(base) or not 0 <= base <= MAX_WEEK_KM:
        return False
    if rec.get("base_to") is not None and from_iso(rec.get("base_to")) is None:
        return False
    runs = rec.get("runs")
    if not isinstance(runs, list) or len(runs) > MAX_RUNS_PER_WEEK:
        return False
    for run in runs:
        if not isinstance(run, dict) or from_iso(run.get("date")) is None:
            return False
        km = run.get("km")
        if not _is_number(km) or not 0 < km <= MAX_RUN_KM:
            return False
    return True


def validate_training(raw: object) -> dict[str, Any] | None:
    """A stored training log if well formed, else None (the area restarts cleanly)."""
    if not isinstance(raw, dict):
        return None
    unit, weeks = raw.get("unit"), raw.get("weeks")
    if (unit is not None and not is_unit(unit)) or not isinstance(weeks, dict):
        return None
    if not all(_valid_week(key, rec) for key, rec in weeks.items()):
        return None
    return {
        "unit": unit,
        "weeks": {
            key: {
                "base": float(rec["base"]),
                "base_to": rec.get("base_to"),
                "runs": [{"date": r["date"], "km": float(r["km"])} for r in rec["runs"]],
            }
            for key, rec in weeks.items()
        },
    }


def week_total(rec: dict[str, Any]) -> float:
    return float(rec["base"]) + sum(float(run["km"]) for run in rec["runs"])


def _pruned(weeks: dict[str, Any], today: date) -> dict[str, Any]:
    oldest = week_key(today - timedelta(weeks=KEEP_WEEKS))
    return {key: rec for key, rec in sorted(weeks.items()) if key >= oldest}


def log_week_total(training: dict[str, Any], day: date, km: float, today: date) -> dict[str, Any]:
    """Set the total for the ISO week containing `day` (the runs it included are folded in)."""
    if not 0 <= km <= MAX_WEEK_KM:
        raise ValueError("weekly distance out of range")
    key = week_key(day)
    end = week_end(key) or day
    weeks = dict(training["weeks"])
    weeks[key] = {"base": round(km, 3), "base_to": to_iso(min(end, today)), "runs": []}
    return {**training, "weeks": _pruned(weeks, today)}


def _merge_one_day(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One run fewer, the week's total and every day's total unchanged: the two runs of one day
    whose sum is smallest become one (what the rules read is per day and per week, so nothing
    they conclude changes). ValueError when no two runs of a day fit in one (over MAX_RUN_KM)."""
    best: tuple[float, int, int] | None = None
    for i, first in enumerate(runs):
        for j in range(i + 1, len(runs)):
            second = runs[j]
            total = float(first["km"]) + float(second["km"])
            fits = first["date"] == second["date"] and total <= MAX_RUN_KM
            if fits and (best is None or total < best[0]):
                best = (total, i, j)
    if best is None:
        raise ValueError("the week's log is full")
    total, i, j = best
    merged = {"date": runs[i]["date"], "km": round(total, 3)}
    return [merged if n == i else run for n, run in enumerate(runs) if n != j]


def log_run(training: dict[str, Any], day: date, km: float, today: date) -> dict[str, Any]:
    """Add one run on `day` to its week's total.

    A week keeps at most MAX_RUNS_PER_WEEK entries (the stored record stays small); past that,
    two runs of one day are kept as one, so the week's total stays exact however many runs are
    logged (22 runs over 7 days always put two on one day). ValueError when even that cannot keep
    it: the caller must then not acknowledge the run.
    """
    if not 0 < km <= MAX_RUN_KM:
        raise ValueError("run distance out of range")
    key = week_key(day)
    weeks = dict(training["weeks"])
    rec = weeks.get(key) or {"base": 0.0, "base_to": None, "runs": []}
    runs = [*rec["runs"], {"date": to_iso(day), "km": round(km, 3)}]
    while len(runs) > MAX_RUNS_PER_WEEK:
        runs = _merge_one_day(runs)
    weeks[key] = {**rec, "runs": runs}
    return {**training, "weeks": _pruned(weeks, today)}


def last_logged_week(training: dict[str, Any] | None, today: date) -> tuple[str, float] | None:
    """The most recent week before the current one with distance logged: (week key, km)."""
    if not training:
        return None
    current = week_key(today)
    for key in sorted(training["weeks"], reverse=True):
        total = week_total(training["weeks"][key])
        if key < current and total > 0:
            return key, total
    return None
