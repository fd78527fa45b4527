"""A run announced is a run asked about: on a later day, "I'm doing my long run anyway" after an
urgent result gets the care plan's running answer (no running until a doctor has seen it), never
"Sorry, I didn't catch that" (two blind testers met that). Everyday words, none a model sample."""

from __future__ import annotations

import pytest
from _conversations import Check, Conversation, Day, Tally, Turn, run

from hipcoach import app

URGENT = Check(
    {
        "pain_location": "groin",
        "night_pain": True,
        "worsening": True,
        "pain_timing": "at_rest",
        "mileage_increase_pct": 40,
    },
    "urgent",
    "stress_fracture",
)
ANNOUNCED = {
    "en-US": ["eh it feels ok, so i'm going to do my long run later", "i'm gonna go run anyway"],
    "en-GB": ["right, I'm off out for a run this evening", "I'll just go for a gentle jog then"],
}


@pytest.fixture
def database(tmp_path, monkeypatch):
    db = tmp_path / "hip.db"
    monkeypatch.setenv("HIPCOACH_DB", str(db))
    app.default_skill.cache_clear()
    yield db
    app.default_skill.cache_clear()


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
@pytest.mark.parametrize("phrase", [0, 1])
def test_a_run_announced_after_urgent_is_told_no(database, locale, phrase):
    said = ANNOUNCED[locale][phrase]
    conversation = Conversation(
        f"urgent, then {said!r} ({locale})",
        [
            Day("2026-11-16", [Turn("open hip coach", "LaunchRequest"), URGENT], locale),
            Day(
                "2026-11-17",
                [
                    Turn("open hip coach", "LaunchRequest", mode="followup"),
                    Turn(
                        said,
                        "RunningQuestionIntent",
                        key="care_plan.running_no_running_see_doctor",
                    ),
                ],
                locale,
            ),
        ],
    )
    assert not run(conversation, database, "announced", Tally())
