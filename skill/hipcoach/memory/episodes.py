"""Pain episodes: what is kept when a check ends, and the follow-up on later days.

Storage only: when a follow-up calls for a professional is decided by the prevention rules
(content/prevention_rules/followup.yaml); the reasons they give are kept with the answer. The
start of the pain is kept only when the runner said how long it had lasted: no date is invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from hipcoach.medical.level_order import level_order
from hipcoach.memory.dates import days_between, from_iso, to_iso

if TYPE_CHECKING:
    from hipcoach.medical.care_plan import History

FOLLOW_UP_WINDOW_DAYS = 42  # about six weeks: older episodes are not followed up
KEEP_CHECKS_DAYS = 92  # check dates kept to notice repeated bouts
MAX_CHECKS = 20
MAX_FOLLOWUPS = 12
LOCATIONS = ("outer_hip", "front_hip", "groin", "deep_joint", "buttock")
QUALITIES = ("dull_ache", "sharp", "burning")  # pain_quality's contract values
PROGRESS = ("gone", "better", "same", "worse")
STILL_HURTING = ("same", "worse")  # no better: told with no check to follow up, a check
MAX_REASONS = 12  # the rule ids of a check's reasons, kept to explain it on a later day
# What the runner says that the care plan reads later, as stored keys: the finding each stands
# for (content/rules/vocabulary.yaml). Kept with the date they were said, with a check or alone.
# Who has seen the hip, by kind (what each can end is the rules' call): "seen" is a professional
# of a kind not said (so a record written before the kinds were kept reads as that, the cautious
# reading).
SEEN_NOTES = {
    "seen": "professional_seen",
    "seen_therapist": "seen_therapist",
    "seen_doctor": "seen_doctor",
    "seen_emergency_care": "seen_emergency_care",
    "seen_ambulance_crew": "seen_ambulance_crew",
}
NOTES = {**SEEN_NOTES, "settled": "sharp_pain_settled"}
_MAX_PAIN_DAYS = 3650


@dataclass(frozen=True)
class FollowUp:
    """What one follow-up answer means."""

    progress: str
    days: int | None  # days since the pain began, when the runner said
    closed: bool
    reasons: tuple[str, ...]  # why to see a professional (the prevention rules' reasons)

    @property
    def escalate(self) -> bool:
        return bool(self.reasons)


def _levels() -> tuple[str, ...]:
    return level_order().order  # content/level_order.yaml, lowest first


def raise_level(current: str, floor: str) -> str:
    """The higher of two triage levels (a level never goes down)."""
    return level_order().highest((current, floor)) or floor


def notes_in(findings: dict[str, Any]) -> dict[str, bool]:
    """The notes (`NOTES` keys) a check's or an utterance's findings say are so."""
    return {key: True for key, finding in NOTES.items() if findings.get(finding) is True}


def new_episode(
    findings: dict[str, Any],
    triage_level: str,
    leading_condition: str | None,
    today: date,
    in_force: str | None = None,
    reasons: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The minimum kept when a check ends: when it started, where, how urgent, the likely cause,
    what the runner said of a professional or the sharp pain, and `in_force`: the level an
    earlier contact left in force when it is above this check's (a new check never lowers it)."""
    pain_days = findings.get("pain_days")
    started: str | None = None  # unknown unless the runner said how long it has lasted
    if isinstance(pain_days, int) and not isinstance(pain_days, bool):
        started = to_iso(today - timedelta(days=min(max(pain_days, 0), _MAX_PAIN_DAYS)))
    location, quality = findings.get("pain_location"), findings.get("pain_quality")
    episode: dict[str, Any] = {
        "started": started,
        "recorded": to_iso(today),
        "location": location if location in LOCATIONS else None,
        "quality": quality if quality in QUALITIES else None,  # the care plan reads it later
        "reasons": [str(r) for r in reasons][:MAX_REASONS],  # rule ids: "why?" on a later day
        "triage": triage_level if triage_level in _levels() else _levels()[0],
        "condition": leading_condition if isinstance(leading_condition, str) else None,
        "status": "open",
        "followups": [],
        **notes_in(findings),
    }
    if in_force in _levels() and in_force != episode["triage"]:
        episode["in_force"] = in_force
    return episode


def validate_episode(raw: object) -> dict[str, Any] | None:
    """A stored episode if it is well formed, else None (the area restarts cleanly)."""
    if not isinstance(raw, dict):
        return None
    started, recorded = from_iso(raw.get("started")), from_iso(raw.get("recorded"))
    if recorded is None or (raw.get("started") is not None and started is None):
        return None
    if started is not None and started > recorded:
        return None
    if raw.get("status") not in ("open", "closed") or raw.get("triage") not in _levels():
        return None
    location, condition = raw.get("location"), raw.get("condition")
    if location is not None and location not in LOCATIONS:
        return None
    if condition is not None and not isinstance(condition, str):
        return None
    quality = raw.get("quality")  # absent in records written before it was kept
    if quality is not None and quality not in QUALITIES:
        quality = None
    reasons = raw.get("reasons", [])
    if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
        reasons = []
    followups = raw.get("followups")
    if not isinstance(followups, list):
        return None
    in_force = raw.get("in_force")
    if in_force is not None and in_force not in _levels():
        return None
    clean: list[dict[str, Any]] = []
    for item in followups[-MAX_FOLLOWUPS:]:
        if not isinstance(item, dict) or from_iso(item.get("date")) is None:
            return None
        # What the runner said with the answer, or alone: a professional has seen it, the sharp
        # pain has settled (read by the care plan's rules). A note alone has no progress.
        notes = {key: True for key in NOTES if item.get(key) is True}
        progress = item.get("progress")
        if progress not in PROGRESS and not (progress is None and notes):
            return None
        reasons = item.get("reasons", [])
        if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
            return None
        told = item.get("in_force")  # the care plan's level after that contact (a hint)
        kept = {"in_force": told} if told in _levels() else {}
        clean.append(
            {"date": item["date"], "progress": progress, "reasons": reasons, **notes, **kept}
        )
    episode = {
        "started": raw["started"],
        "recorded": raw["recorded"],
        "location": location,
        "quality": quality,
        "reasons": reasons[:MAX_REASONS],
        "triage": raw["triage"],
        "condition": condition,
        "status": raw["status"],
        "followups": clean,
        **{key: True for key in NOTES if raw.get(key) is True},
    }
    if in_force is not None:
        episode["in_force"] = in_force
    return episode


def days_so_far(episode: dict[str, Any], today: date) -> int | None:
    """How long the pain has lasted, from the stored start date; None when it was never said."""
    started = from_iso(episode["started"])
    return max(days_between(started, today), 0) if started else None


def last_contact(episode: dict[str, Any]) -> date | None:
    dates = [from_iso(episode["recorded"])]
    dates += [from_iso(item["date"]) for item in episode["followups"]]
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def last_progress(episode: dict[str, Any]) -> str | None:
    """The latest follow-up answer about progress (a note alone says none)."""
    answers = [item["progress"] for item in episode["followups"] if item["progress"] is not None]
    return answers[-1] if answers else None


def needs_followup(episode: dict[str, Any] | None, today: date) -> bool:
    """An open episode from a check within about six weeks, not already asked about today."""
    if episode is None or episode["status"] != "open":
        return False
    recorded = from_iso(episode["recorded"])
    contact = last_contact(episode)
    if recorded is None or contact is None:
        return False
    return days_between(recorded, today) <= FOLLOW_UP_WINDOW_DAYS and contact < today


def apply_followup(
    episode: dict[str, Any],
    progress: str,
    today: date,
    reasons: tuple[str, ...],
    floor: str | None = None,
) -> dict[str, Any]:
    """The episode with a follow-up answer and the rules' reasons to see a professional (a new
    dict): gone closes it; `floor`, the level the prevention rules escalate to, raises its
    triage to at least that."""
    if progress not in PROGRESS:
        raise ValueError(f"unknown progress {progress!r}")
    item = {"date": to_iso(today), "progress": progress, "reasons": list(reasons)}
    updated = {**episode, "followups": [*episode["followups"], item][-MAX_FOLLOWUPS:]}
    return _closed_or_raised(updated, progress, floor)


def apply_note(episode: dict[str, Any], notes: dict[str, bool], today: date) -> dict[str, Any]:
    """The episode with what the runner said today of a professional or the sharp pain (a new
    dict). Said on the check's own day, it goes with the check: a professional seen before a
    check that found a reason to be seen does not end that check's level (safety first). Said
    later, it joins that day's follow-up answer, or is kept as a note alone."""
    notes = {key: True for key in NOTES if notes.get(key) is True}
    if episode["recorded"] == to_iso(today):
        return {**episode, **notes}
    items = list(episode["followups"])
    if items and items[-1]["date"] == to_iso(today):
        items[-1] = {**items[-1], **notes}
    else:
        items.append({"date": to_iso(today), "progress": None, "reasons": [], **notes})
    return {**episode, "followups": items[-MAX_FOLLOWUPS:]}


def with_level_in_force(episode: dict[str, Any], level: str, today: date) -> dict[str, Any]:
    """The episode with the care plan's level in force after today's follow-up kept on that
    follow-up when it rose above every level told before (a new dict): a later launch reads it
    (`highest_told`) to know, without running the rules, whether a level that asks something
    of the runner may still stand."""
    items = list(episode["followups"])
    if level not in _levels() or not items or items[-1]["date"] != to_iso(today):
        return episode
    order = _levels()
    if order.index(level) <= order.index(highest_told(episode)):
        return episode  # kept only when it rose above every level told before: a lean record
    items[-1] = {**items[-1], "in_force": level}
    return {**episode, "followups": items}


def highest_told(episode: dict[str, Any]) -> str:
    """The highest level the runner was told on any contact of this episode: the check's, the
    level an earlier contact left in force with it, and the plan's after each follow-up. Only the
    care plan says whether it still stands (a professional may have seen the hip since)."""
    told = [episode["triage"], episode.get("in_force")]
    told += [item.get("in_force") for item in episode["followups"]]
    return level_order().highest(tuple(t for t in told if t in _levels())) or episode["triage"]


def _closed_or_raised(episode: dict[str, Any], progress: str, floor: str | None) -> dict[str, Any]:
    if progress == "gone":
        episode["status"] = "closed"
    elif floor is not None:
        episode["triage"] = raise_level(episode["triage"], floor)
    return episode


def last_followup(episode: dict[str, Any], today: date) -> FollowUp | None:
    """What the latest follow-up answer meant, read back from the stored episode."""
    answers = [item for item in episode["followups"] if item["progress"] is not None]
    if not answers:
        return None
    item = answers[-1]
    return FollowUp(
        progress=item["progress"],
        days=days_so_far(episode, today),
        closed=episode["status"] == "closed",
        reasons=tuple(item.get("reasons", ())),
    )


def with_check(checks: object, today: date) -> list[str]:
    """The dates of finished checks, with today's added and old ones dropped."""
    kept = validate_checks(checks)
    oldest = today - timedelta(days=KEEP_CHECKS_DAYS)
    recent = [iso for iso in kept if (d := from_iso(iso)) is not None and d >= oldest]
    return [*recent, to_iso(today)][-MAX_CHECKS:]


def validate_checks(raw: object) -> list[str]:
    if not isinstance(raw, list):
        return []
    return [iso for iso in raw if from_iso(iso) is not None][-MAX_CHECKS:]


def followup_findings(episode: dict[str, Any], today: date) -> dict[str, Any]:
    """Findings known from the episode and its follow-ups, to re-run triage with."""
    findings: dict[str, Any] = {}
    days = days_so_far(episode, today)
    if days is not None:
        findings["pain_days"] = days
    if episode.get("location"):
        findings["pain_location"] = episode["location"]
    progress = last_progress(episode)
    if progress in ("better", "gone"):
        findings["eases_with_rest"] = True
        findings["worsening"] = False
    elif progress == "same":
        findings["eases_with_rest"] = False
        findings["worsening"] = False
    elif progress == "worse":
        findings["eases_with_rest"] = False
        findings["worsening"] = True
    return findings


def history_of(record: dict[str, Any]) -> History:
    """The runner's stored episode as the care plan's history (`hipcoach.medical.care_plan`):
    the finished check, then each follow-up, oldest first. Storage only; the rules decide what
    each contact means."""
    # Imported here: the care plan loads the rules engine, which a launch never needs.
    from hipcoach.medical.care_plan import Contact, History

    episode = validate_episode(record.get("episode"))
    if episode is None:
        return History()
    recorded = from_iso(episode["recorded"])
    contacts: list[Contact] = []
    if recorded is not None:
        if episode.get("in_force"):
            # The level an earlier contact left in force when this check was told: the rules
            # decide whether it still holds (until a professional has seen the hip).
            contacts.append(Contact(day=recorded, check_level=episode["in_force"]))
        contacts.append(
            Contact(
                day=recorded,
                check_level=episode["triage"],
                condition=episode["condition"],
                quality=episode["quality"],
                pain_started=from_iso(episode.get("started")),
                reasons=tuple(episode["reasons"]),
                seen=_seen_in(episode),
                sharp_pain_settled=bool(episode.get("settled", False)),
            )
        )
    for item in episode["followups"]:
        day = from_iso(item["date"])
        if day is not None:
            contacts.append(
                Contact(
                    day=day,
                    followup=item["progress"],
                    seen=_seen_in(item),
                    sharp_pain_settled=bool(item.get("settled", False)),
                    location=episode["location"],
                )
            )
    return History(contacts=tuple(contacts))


def _seen_in(stored: dict[str, Any]) -> frozenset[str]:
    """The findings of who has seen the hip that a stored episode or follow-up keeps."""
    return frozenset(finding for key, finding in SEEN_NOTES.items() if stored.get(key) is True)
