"""The clinic25 journeys (tests/corpora/clinic25_vignettes.yaml) through the chat console: a check
on day 1, then on each later day the follow-up, what the runner says (who has seen the hip, the
sharp pain settled), "can I run today" and a strength routine request, in the journey's locale
(local NLU, real envelopes, the one skill object, a real SQLite file). What the skill says must
be what the care plan concludes for that day: the run answer's words, and the routine started or
refused with the plan's reason.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import yaml
from _conversations import Check, Conversation, Day, Tally, Turn, run
from _paths import CORPORA

from hipcoach import app
from hipcoach.medical.care_plan import Contact, History, care_plan
from hipcoach.understanding import Context, understand

JOURNEYS: list[dict[str, Any]] = yaml.safe_load(
    (CORPORA / "clinic25_vignettes.yaml").read_text(encoding="utf-8")
)["journeys"]
DAY1 = date(2026, 11, 16)
LAUNCH = "open hip coach"
PROGRESS = {
    "better": "it's a bit better",
    "same": "about the same really",
    "worse": "it's getting worse",
    "gone": "it's gone",
}


@pytest.fixture(autouse=True)
def _fresh_skill():
    yield
    app.default_skill.cache_clear()


def _intent(words: str, locale: str, on: date) -> str:
    context = Context(today=on, locale=locale, mode="idle", asking=None)
    return understand(words, "UtteranceIntent", None, context).intent


def _conversation(journey: dict[str, Any]) -> Conversation:
    check = journey["check"]
    locale = journey["locale"]
    contacts = [
        Contact(
            DAY1,
            check_level=check["level"],
            condition=check["condition"],
            quality=check["findings"].get("pain_quality"),
        )
    ]
    days = [
        Day(
            DAY1.isoformat(),
            [
                Turn(LAUNCH, "LaunchRequest"),
                Check(check["findings"], check["level"], check["condition"]),
            ],
            locale,
        )
    ]
    for step in journey["days"]:
        on = DAY1 + timedelta(days=step["day"])
        said = step["contact"]
        contacts.append(
            Contact(
                on,
                followup=said.get("followup"),
                seen=frozenset(said.get("seen", ())),
                sharp_pain_settled=bool(said.get("settled")),
            )
        )
        plan = care_plan({}, History(tuple(contacts)), on)
        strength = (
            Turn("start the strength routine", "StartRoutineIntent", mode="routine")
            if plan.allows("strength")
            else Turn(
                "start the strength routine", "StartRoutineIntent", key="care_plan.routine_refused"
            )
        )
        turns = [Turn(LAUNCH, "LaunchRequest", mode="followup")]
        if said.get("followup"):
            turns.append(Turn(PROGRESS[said["followup"]], "ProgressIntent"))
        if said.get("followup") != "worse":
            # "worse" is followed by the offer of a new check (whose own findings then rule):
            # what the runner adds about it belongs to that check, not to this turn.
            turns.append(Turn(step["say"], _intent(step["say"], locale, on)))
        turns += [
            Turn(
                "can I run today", "RunningQuestionIntent", key=f"care_plan.running_{plan.running}"
            ),
            strength,
        ]
        days.append(Day(on.isoformat(), turns, locale))
    return Conversation(journey["id"], days)


@pytest.mark.parametrize("journey", JOURNEYS, ids=[j["id"] for j in JOURNEYS])
def test_the_journey_says_what_the_plan_concludes(tmp_path, monkeypatch, journey):
    db = tmp_path / "hip.db"
    monkeypatch.setenv("HIPCOACH_DB", str(db))
    app.default_skill.cache_clear()
    problems = run(_conversation(journey), db, "j", Tally())
    assert not problems
