"""What the runner says later, across days (issue 22): who has seen the hip and "the sharp pain has
settled" are understood at the menu, in a follow-up and mid-check, kept in the stored history with
the day they were said, and read by the care plan (a doctor or emergency care seen ends an earlier
urgent or emergency level, a physio does not; the sharp pain settled allows strengthening). And a new check
is never spoken below the level in force: it says what today's answers alone suggest and why the
higher level still stands. Through the chat console (local NLU, real envelopes, the one skill
object, a real SQLite file), in en-US and en-GB.
"""

from __future__ import annotations

import argparse
from datetime import date

import pytest
from _conversations import Check, Conversation, Day, Tally, Turn, run, stored_record

from hipcoach import app
from hipcoach.medical.care_plan import care_plan
from hipcoach.medical.knowledge import knowledge
from hipcoach.memory.episodes import history_of
from hipcoach.standin.chat import Console

DAY1, DAY2, DAY3, DAY4 = "2026-11-16", "2026-11-17", "2026-11-18", "2026-11-20"
LAUNCH = "open hip coach"
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
EMERGENCY = Check({"cannot_bear_weight": True}, "emergency", "stress_fracture")
BURSITIS = Check(
    {"pain_location": "outer_hip", "tender_outer_hip": True, "worse_lying_on_side": True},
    "self_care",
    "trochanteric_bursitis",
)
# Who has seen it, in a runner's words, by the stored note key (content/rules/vocabulary.yaml).
SEEN = {
    "en-US": {
        "seen_doctor": "my doctor examined it on Monday and said it's okay",
        "seen_emergency_care": "went to urgent care over the weekend and got an x-ray",
        "seen_therapist": "yesterday I went to the physio and she gave me some exercises",
        "seen": "I got it checked out last week",
    },
    "en-GB": {
        "seen_doctor": "saw my GP this morning, she thinks it's fine",
        "seen_emergency_care": "I've been to A and E and they x-rayed it",
        "seen_therapist": "the osteopath said it's muscular",
        "seen": "I had it looked at on Thursday",
    },
}
ENDS_URGENT = ("seen_doctor", "seen_emergency_care")  # what an urgent or emergency level needs
NO_RUN = {"urgent": "no_running_see_doctor", "emergency": "no_running_emergency"}
SETTLED = "the sharp pain's gone, just a dull ache now"


@pytest.fixture
def database(tmp_path, monkeypatch):
    db = tmp_path / "hip.db"
    monkeypatch.setenv("HIPCOACH_DB", str(db))
    app.default_skill.cache_clear()
    yield db
    app.default_skill.cache_clear()


def _plan_on(db, user: str, on: str):
    return care_plan({}, history_of(stored_record(db, user)), date.fromisoformat(on))


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
@pytest.mark.parametrize("check", [URGENT, EMERGENCY], ids=["urgent", "emergency"])
@pytest.mark.parametrize("kind", ["seen_doctor", "seen_emergency_care", "seen_therapist", "seen"])
def test_a_professional_seen_in_the_follow_up_ends_the_level(database, locale, check, kind):
    # Was: any professional ended the level (a physio too). Still right for a doctor or emergency
    # care; a physio or a professional of a kind not said now keeps the urgent or emergency level
    # (the blind clinician: a physio cannot clear a suspected infection or fracture): the reply
    # says why a doctor is still needed, and running stays "no".
    words = SEEN[locale][kind]
    assert _plan_on_fresh(check, DAY2).level == check.level  # "it's better" would not end it
    ends = kind in ENDS_URGENT
    doubt = "unsure" if kind == "seen" else "not_doctor"
    conversation = Conversation(
        f"{check.level}, then {words!r} ({locale})",
        [
            Day(DAY1, [Turn(LAUNCH, "LaunchRequest"), check], locale),
            Day(
                DAY2,
                [
                    Turn(LAUNCH, "LaunchRequest", mode="followup"),
                    Turn(
                        words,
                        "TellFindingsIntent",
                        key=f"memory.note_{kind}"
                        if ends
                        else f"care_plan.followup_seen_{doubt}_{check.level}",
                    ),
                    Turn(
                        "can i run today",
                        "RunningQuestionIntent",
                        key=f"care_plan.running_{'run_as_professional_advised' if ends else NO_RUN[check.level]}",
                    ),
                ],
                locale,
            ),
        ],
        # kept with today's date as that kind, no progress; a doctor's imaging said alongside
        # ("... and got an x-ray") may add that a doctor has seen it too
        stored=lambda record: (
            {
                key: value
                for key, value in record["episode"]["followups"][-1].items()
                if key != "seen_doctor" or kind == "seen_doctor"
            }
            == {"date": DAY2, "progress": None, "reasons": [], kind: True}
        ),
    )
    assert not run(conversation, database, "seen", Tally())
    # The plan on later days: the earlier level no longer holds after a doctor, and no follow-up
    # raised it; after anyone else it still holds.
    later = _plan_on(database, "seen", DAY4)
    if ends:
        assert later.level == "self_care" and not later.running.startswith("no_running")
    else:
        assert later.level == check.level and later.running.startswith("no_running")
        assert later.routines == ()


def _plan_on_fresh(check: Check, on: str):
    from hipcoach.medical.care_plan import Contact, History

    first = Contact(date.fromisoformat(DAY1), check_level=check.level, condition=check.condition)
    better = Contact(date.fromisoformat(on), followup="better")
    return care_plan({}, History((first, better)), date.fromisoformat(on))


ASKED_WHO = {  # a professional of a kind not said, then the answer to "was it a doctor?"
    "en-US": ("somebody had a look at it on Friday", "it was my doctor"),
    "en-GB": ("I got it checked out at the weekend", "it was the GP actually"),
}


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_a_professional_of_a_kind_not_said_is_asked_about(database, locale):
    """After an emergency, "someone had a look" keeps the level and asks whether it was a doctor;
    saying it was one ends it."""
    vague, doctor = ASKED_WHO[locale]
    conversation = Conversation(
        f"emergency, someone looked, then a doctor ({locale})",
        [
            Day(DAY1, [Turn(LAUNCH, "LaunchRequest"), EMERGENCY], locale),
            Day(
                DAY2,
                [
                    Turn(LAUNCH, "LaunchRequest", mode="followup"),
                    Turn(
                        vague, "TellFindingsIntent", key="care_plan.followup_seen_unsure_emergency"
                    ),
                    Turn(
                        "is it alright to run",
                        "RunningQuestionIntent",
                        key="care_plan.running_no_running_emergency",
                    ),
                    Turn(doctor, "TellFindingsIntent", key="memory.note_seen_doctor"),
                    Turn(
                        "can I go for a run today",
                        "RunningQuestionIntent",
                        key="care_plan.running_run_as_professional_advised",
                    ),
                ],
                locale,
            ),
        ],
    )
    assert not run(conversation, database, "who", Tally())
    assert _plan_on(database, "who", DAY4).level == "self_care"


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_a_professional_seen_said_at_the_menu(database, locale):
    """After the follow-up is answered ("it's better": urgent still stands), the same session's
    menu takes "the doctor checked it" as news for the history, not as a new check."""
    conversation = Conversation(
        f"urgent, better, then seen at the menu ({locale})",
        [
            Day(DAY1, [Turn(LAUNCH, "LaunchRequest"), URGENT], locale),
            Day(
                DAY2,
                [
                    Turn(LAUNCH, "LaunchRequest", mode="followup"),
                    Turn(
                        "it's a bit better", "ProgressIntent", key="care_plan.followup_still_urgent"
                    ),
                    Turn(
                        SEEN[locale]["seen_doctor"],
                        "TellFindingsIntent",
                        key="memory.note_seen_doctor",
                        mode="idle",
                    ),
                ],
                locale,
            ),
            Day(DAY3, [Turn(LAUNCH, "LaunchRequest", mode="followup")], locale),
        ],
        stored=lambda record: (
            record["episode"]["followups"][-1].get("seen_doctor") is True
            and record["episode"]["followups"][-1]["progress"] == "better"
        ),
    )
    assert not run(conversation, database, "menu", Tally())
    assert _plan_on(database, "menu", DAY3).level == "self_care"


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_the_sharp_pain_settled_unlocks_strength_on_later_days(database, locale):
    before = care_plan(BURSITIS.findings, None, date.fromisoformat(DAY1))
    assert not before.allows("strength")  # nobody has said the sharp pain has settled
    conversation = Conversation(
        f"bursitis, then settled ({locale})",
        [
            Day(DAY1, [Turn(LAUNCH, "LaunchRequest"), BURSITIS], locale),
            Day(
                DAY2,
                [
                    Turn(LAUNCH, "LaunchRequest", mode="followup"),
                    Turn(
                        "let's do some strength work",
                        "StartRoutineIntent",
                        key="care_plan.routine_refused",
                    ),
                    Turn(SETTLED, "TellFindingsIntent", key="memory.note_settled"),
                ],
                locale,
            ),
            Day(
                DAY3,
                [
                    Turn(LAUNCH, "LaunchRequest", mode="followup"),
                    Turn("let's do some strength work", "StartRoutineIntent", mode="routine"),
                ],
                locale,
            ),
        ],
        stored=lambda record: (
            record["episode"]["followups"][0]
            == {"date": DAY2, "progress": None, "reasons": [], "settled": True}
        ),
    )
    assert not run(conversation, database, "settled", Tally())
    assert _plan_on(database, "settled", DAY4).allows("strength")


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_a_settled_pain_never_clears_an_urgent_level(database, locale):
    conversation = Conversation(
        f"urgent, then settled ({locale})",
        [
            Day(DAY1, [Turn(LAUNCH, "LaunchRequest"), URGENT], locale),
            Day(
                DAY2,
                [
                    Turn(LAUNCH, "LaunchRequest", mode="followup"),
                    Turn(SETTLED, "TellFindingsIntent", key="care_plan.followup_still_urgent"),
                    Turn(
                        "can i run today",
                        "RunningQuestionIntent",
                        key="care_plan.running_no_running_see_doctor",
                    ),
                ],
                locale,
            ),
        ],
    )
    assert not run(conversation, database, "urgent-settled", Tally())
    plan = _plan_on(database, "urgent-settled", DAY3)
    assert plan.level == "urgent" and plan.routines == ()


def test_a_note_without_any_check_keeps_nothing(database):
    conversation = Conversation(
        "seen, no check",
        [
            Day(
                DAY1,
                [
                    Turn(LAUNCH, "LaunchRequest"),
                    Turn(
                        SEEN["en-US"]["seen_therapist"],
                        "TellFindingsIntent",
                        key="memory.note_no_episode",
                        mode="idle",
                    ),
                ],
            )
        ],
        stored=lambda record: "episode" not in record,
    )
    assert not run(conversation, database, "none", Tally())


# -- a check: the note said mid-check, and the level in force ---------------------------------


def _console(locale: str, user: str, on: str) -> Console:
    return Console(argparse.Namespace(locale=locale, user=user, apl=False, endpoint=None, date=on))


def _answer(asking: str) -> str:
    """A runner whose hip hurts on the outside and who has none of the warning signs."""
    if asking == "pain_location":
        return "on the outside"
    spec = knowledge().facts[asking]
    if knowledge().questions[asking].covers or spec.type == "boolean":
        return "no"
    return "I don't know"


def _finish(chat: Console, turn: dict) -> dict:
    for _ in range(40):
        if not turn["asking"]:
            break
        turn = chat.turn_record(_answer(turn["asking"]))
    assert turn["result"] is not None, turn["speech"]
    return turn


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_a_new_check_is_spoken_at_the_level_in_force(database, locale):
    """Two days after an urgent check (a likely stress fracture), a fresh check whose answers
    alone are self care says so, and that urgent still stands until a professional has seen it;
    the stored episode keeps the urgent level for the days after."""
    run(
        Conversation("urgent", [Day(DAY1, [Turn(LAUNCH, "LaunchRequest"), URGENT], locale)]),
        database,
        "fresh",
        Tally(),
    )
    chat = _console(locale, "fresh", DAY2)
    chat.turn_record(LAUNCH)
    result = _finish(chat, chat.turn_record("check my hip"))
    assert result["result"]["triage"] == "urgent"
    assert "result.in_force_because" in result["said"]
    assert "within 24 hours" in result["speech"]
    assert "look after yourself" not in result["speech"]
    episode = stored_record(database, "fresh")["episode"]
    assert episode["triage"] == "self_care" and episode["in_force"] == "urgent"
    assert _plan_on(database, "fresh", DAY4).level == "urgent"
    # The parts told on request are at the level in force too (no running, no routine).
    tomorrow = chat.turn_record("what about tomorrow's run")
    assert "No." in tomorrow["speech"] or "Don't run" in tomorrow["speech"], tomorrow["speech"]


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
@pytest.mark.parametrize("kind", ["seen_doctor", "seen_therapist"])
def test_a_professional_seen_said_mid_check_is_kept_with_the_check(database, locale, kind):
    """Said mid-check, the note goes with today's check: a doctor ends the earlier urgent level
    (the doctor saw that), never the level today's own answers found. Was: any professional ended
    it; a physio no longer does (a suspected stress fracture needs a doctor), so the check is
    spoken at the urgent level in force, saying a doctor must see it."""
    run(
        Conversation("urgent", [Day(DAY1, [Turn(LAUNCH, "LaunchRequest"), URGENT], locale)]),
        database,
        "mid",
        Tally(),
    )
    chat = _console(locale, "mid", DAY3)
    chat.turn_record(LAUNCH)
    first = chat.turn_record("check my hip")
    noted = chat.turn_record(SEEN[locale][kind])
    assert "interview.noted" in noted["said"], noted
    assert noted["findings"].get(kind) is True
    result = _finish(chat, noted)
    episode = stored_record(database, "mid")["episode"]
    assert first["asking"] and episode.get(kind) is True
    if kind == "seen_doctor":
        assert result["result"]["triage"] == "self_care"
        assert "result.in_force_because" not in result["said"]
        assert "in_force" not in episode
        assert _plan_on(database, "mid", DAY4).level == "self_care"
    else:
        assert result["result"]["triage"] == "urgent"
        assert "result.in_force_because" in result["said"]
        assert "until a doctor has seen your hip" in result["speech"], result["speech"]
        assert episode["in_force"] == "urgent"
        assert _plan_on(database, "mid", DAY4).level == "urgent"


STRAIN_ANSWERS = {"pain_location": "at the front", "onset": "suddenly", "pain_lifting_leg": "yes"}


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_the_result_and_a_later_run_question_say_the_same_about_running(database, locale):
    """One source of truth: a fresh strain's result says of tomorrow's run what "can I run?"
    says later (the plan's running conclusion), never "keep running easy" then "not yet"."""
    chat = _console(locale, "strain", DAY1)
    chat.turn_record(LAUNCH)
    turn = chat.turn_record("check my hip")
    for _ in range(40):
        if not turn["asking"]:
            break
        turn = chat.turn_record(STRAIN_ANSWERS.get(turn["asking"]) or _answer(turn["asking"]))
    assert turn["result"] is not None and turn["result"]["conditions"][0] == "hip_flexor_strain"
    tomorrow = chat.turn_record("what about tomorrow's run")
    keys = [key for key in tomorrow["said"] if key.startswith("care_plan.running_")]
    assert keys == ["care_plan.running_rest_until_pain_free"], tomorrow["said"]
    later = _console(locale, "strain", DAY2)
    later.turn_record(LAUNCH)
    asked = later.turn_record("can i run today")
    assert keys[0] in asked["said"], asked["said"]
