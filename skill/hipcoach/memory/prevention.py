"""The prevention rules (content/prevention_rules/) run on what the memory keeps.

The rules decide everything from the stored log as records: each week's distance, the jump on the
week before and the 10% rule's cap, the miles on the shoes and their wear, when a follow-up calls
for a professional, and repeated checks. This module only turns storage into records (dates as
day numbers, ISO weeks as week numbers) and reads the derived records back.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from forwardrules import load_rulebook
from hipcoach.content_location import CONTENT_DIR
from hipcoach.medical.level_order import level_order
from hipcoach.memory.dates import from_iso, week_end, week_start

RULES_DIR = CONTENT_DIR / "prevention_rules"
RULEBOOK_CACHE_ENV = "HIPCOACH_RULEBOOK_CACHE"  # the same on-disk cache as the hip rulebook

Records = list[dict[str, Any]]


@cache
def rulebook() -> Any:
    """The validated prevention rulebook, loaded once per process."""
    cache_dir = os.environ.get(RULEBOOK_CACHE_ENV) or None
    return load_rulebook(RULES_DIR, cache_dir=cache_dir)


# -- storage as records -----------------------------------------------------------------------


def day_number(day: date) -> int:
    return day.toordinal()


def week_number(day: date) -> int:
    """Consecutive numbers for ISO weeks (Monday to Sunday): the week before is one less."""
    return (day.toordinal() - 1) // 7


def today_record(today: date) -> Records:
    return [{"type": "today", "day": day_number(today), "week": week_number(today)}]


def training_records(training: Mapping[str, Any] | None) -> Records:
    """Each week's stated total and each logged run (a validated log: malformed weeks skipped)."""
    found: Records = []
    n = 0
    for key, rec in (training or {}).get("weeks", {}).items():
        start, end = week_start(key), week_end(key)
        if start is None or end is None:
            continue
        covered_to = from_iso(rec.get("base_to")) or end
        found.append(
            {
                "type": "week_total",
                "week": week_number(start),
                "km": float(rec["base"]),
                "start": day_number(start),
                "covered_to": day_number(covered_to),
            }
        )
        for run in rec["runs"]:
            day = from_iso(run["date"])
            if day is not None:
                found.append(
                    {
                        "type": "run",
                        "n": n,
                        "day": day_number(day),
                        "week": week_number(start),  # the week the log keeps it in
                        "km": float(run["km"]),
                    }
                )
                n += 1
    return found


def week_before_records(km: float) -> Records:
    """A log of one stated week, the one before the week the rules judge from: "I ran `km` last
    week" in any unit (the rules' arithmetic does not depend on it)."""
    today = date(2000, 1, 12)  # any day: only the weeks' order matters
    monday = day_number(today) - 9
    week = {"type": "week_total", "km": km, "start": monday, "covered_to": monday + 6}
    return [*today_record(today), {**week, "week": week_number(today) - 1}]


def plan_records(week: str, planned_km: float | None = None) -> Records:
    found: Records = [{"type": "plan", "week": week}]
    if planned_km is not None:
        found.append({"type": "planned", "km": planned_km})
    return found


def shoe_records(shoes: Mapping[str, Any] | None) -> Records:
    counted_from = from_iso(shoes.get("counted_from")) if shoes else None
    if shoes is None or counted_from is None:
        return []
    return [
        {
            "type": "shoe_pair",
            "base_km": float(shoes["base_km"]),
            "counted_from": day_number(counted_from),
        }
    ]


def check_records(checks: Iterable[str]) -> Records:
    days = [d for iso in checks if (d := from_iso(iso)) is not None]
    return [{"type": "check", "n": n, "day": day_number(d)} for n, d in enumerate(days)]


def followup_records(episode: Mapping[str, Any], progress: str) -> Records:
    """A follow-up answer and the episode it follows (its start only when the runner said)."""
    found: Records = [{"type": "followup", "progress": progress}]
    recorded = from_iso(episode.get("recorded"))
    if recorded is not None:
        found.append({"type": "episode", "recorded": day_number(recorded)})
    started = from_iso(episode.get("started"))
    if started is not None:
        found.append({"type": "pain_start", "day": day_number(started)})
    return found


# -- the rules' conclusions -------------------------------------------------------------------


@dataclass(frozen=True)
class Advice:
    """The derived records the prevention rules concluded, by type."""

    derived: Mapping[str, tuple[Mapping[str, Any], ...]]
    reason_order: tuple[str, ...] = ()

    def all(self, type_name: str) -> tuple[Mapping[str, Any], ...]:
        return self.derived.get(type_name, ())

    def first(self, type_name: str, **where: Any) -> Mapping[str, Any] | None:
        for found in self.all(type_name):
            if all(found.get(k) == v for k, v in where.items()):
                return found
        return None

    def field(self, type_name: str, name: str, **where: Any) -> Any:
        found = self.first(type_name, **where)
        return found[name] if found is not None else None

    # the training log
    def week_km(self, day: date, weeks_back: int = 0) -> float:
        """The distance the rules summed for the week holding `day` (or weeks before it)."""
        km = self.field("week_sum", "km", week=week_number(day) - weeks_back)
        return float(km) if km is not None else 0.0

    def jump(self, day: date) -> Mapping[str, Any] | None:
        """The 10% rule's warning for the week holding `day`: {pct, cap_km}, or None."""
        return self.first("mileage_jump", week=week_number(day))

    @property
    def plan_basis(self) -> str | None:
        basis = self.field("plan_basis", "basis")
        return basis if isinstance(basis, str) else None

    @property
    def plan_base_km(self) -> float:
        return float(self.field("plan_basis", "base_km") or 0.0)

    @property
    def cap_km(self) -> float | None:
        cap = self.field("plan_cap", "km")
        return float(cap) if cap is not None else None

    @property
    def plan_over_cap(self) -> bool:
        return bool(self.all("plan_over_cap"))

    # shoes
    @property
    def shoe_km(self) -> float:
        return float(self.field("shoe_distance", "km") or 0.0)

    @property
    def shoe_wear(self) -> str | None:
        level = self.field("shoe_wear", "level")
        return level if isinstance(level, str) else None

    # hip checks and follow-ups
    @property
    def recurrent(self) -> bool:
        return bool(self.all("recurrent"))

    @property
    def escalation(self) -> str | None:
        """The highest level the rules escalate a follow-up to, or None."""
        return level_order().highest(str(found["level"]) for found in self.all("escalation"))

    @property
    def reasons(self) -> tuple[str, ...]:
        said = {found["reason"] for found in self.all("escalation")}
        return tuple(reason for reason in self.reason_order if reason in said)


def advise(*records: Iterable[Mapping[str, Any]]) -> Advice:
    """Run the prevention rules on these records (lists of them, joined)."""
    book = rulebook()
    with book.session() as session:
        session.insert([dict(r) for group in records for r in group])
        result = session.result()
    derived: dict[str, list[Mapping[str, Any]]] = {}
    for found in result.derived_records():
        derived.setdefault(found.type, []).append(dict(found.fields))
    reasons = book.vocabulary.records["escalation"].fields["reason"].values
    return Advice({k: tuple(v) for k, v in derived.items()}, tuple(reasons))
