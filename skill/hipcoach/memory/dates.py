"""ISO dates and ISO weeks, as stored in the persistent attributes."""

from __future__ import annotations

from datetime import date, timedelta


def to_iso(day: date) -> str:
    return day.isoformat()


def from_iso(value: object) -> date | None:
    """A stored ISO date, or None when it is missing or malformed."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def week_key(day: date) -> str:
    """The ISO week a day falls in, as 'YYYY-Www' (sorts chronologically)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(key: str) -> date | None:
    """The Monday of an ISO week key, or None for a malformed key."""
    try:
        year_text, week_text = key.split("-W")
        return date.fromisocalendar(int(year_text), int(week_text), 1)
    except ValueError:
        return None


def week_end(key: str) -> date | None:
    start = week_start(key)
    return start + timedelta(days=6) if start else None


def days_between(earlier: date, later: date) -> int:
    return (later - earlier).days
