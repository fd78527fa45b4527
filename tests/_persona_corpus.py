"""Plays tests/corpora/persona_questions.yaml (nine runners nobody described to the skill's authors)
through the chat console and scores each area: understood (not a fallback, not ended by mistake),
right (the answer id / player command / stored value the runner meant) and right state (the mode
or pending interview question afterwards). `python tests/_persona_corpus.py` prints the misses.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from _conversations import KM_PER_MILE, LAUNCH, Check, _seed_check, stored_record
from _paths import CORPORA

from hipcoach import app
from hipcoach.standin.chat import Console

CORPUS = CORPORA / "persona_questions.yaml"  # the first batch, written before any fix
BLIND = CORPORA / "persona_blind.yaml"  # the second, run once before fixes for it
DAY0 = date(2026, 11, 2)  # a Monday

# The corpus's topic words -> answer ids (content/answers.yaml).
ANSWER_ID = {
    "run_tomorrow": "running",
    "run_through_pain": "run_through_pain",
    "tonight": "tonight",
    "see_doctor": "see_doctor",
    "healing_time": "healing_time",
    "ibuprofen": "medication",
    "ice_heat": "ice_heat",
    "stretching": "stretching",
    "strength": "hip_strength",
    "hip_flexor": "hip_flexor_stretch",
    "foam_rolling": "foam_rolling",
    "rest_days": "rest_days",
    "cross_training": "cross_training",
    "surfaces": "surfaces",
    "form": "running_form",
    "shoes": "shoes",
    "ten_percent": "ten_percent_rule",
    "warm_up": "warm_up",
    "cool_down": "cool_down",
}
# The corpus's routine actions -> the player commands that do what the runner meant.
COMMANDS = {
    "pause": {"PAUSE"},
    "resume": {"RESUME"},
    "next": {"NEXT"},
    "previous": {"PREVIOUS"},
    "repeat": {"REPEAT"},
    "skip": {"SKIP", "NEXT"},
    "start_over": {"START_OVER"},
    "stop": {"STOP"},
    "how_long": {"TIME_LEFT"},
}
FOLLOWUP = {
    "worse_or_same": {"same", "worse"},
    "better": {"better"},
    "much_better": {"better", "gone"},
    "worse": {"worse"},
}
OUTER_HIP = {
    "pain_location": "on the outside",
    "pain_radiates": "nowhere",
    "pain_timing": "after running",
    "onset": "gradually",
    "pain_quality": "a dull ache",
    "pain_severity": "four",
    "pain_days": "about a week",
    "shoe_miles": "two hundred",
    "mileage_increase_pct": "five",
    "worse_lying_on_side": "yes",
    "tender_outer_hip": "yes",
}


@dataclass
class Score:
    area: str
    total: int = 0
    understood: int = 0
    right: int = 0
    state: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, what: str, understood: bool, right: bool, state: bool, why: str = "") -> None:
        self.total += 1
        self.understood += understood
        self.right += right
        self.state += state
        if not (understood and right and state):
            self.misses.append(f"{what!r}: {why}")

    def line(self) -> str:
        return (
            f"{self.area}: understood {self.understood}/{self.total}, right {self.right}/"
            f"{self.total}, right state {self.state}/{self.total}"
        )


def corpus(path: Path = CORPUS) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@contextmanager
def fresh_store() -> Iterator[Path]:
    """A new SQLite file for the skill (and a fresh skill object reading it)."""
    before = os.environ.get("HIPCOACH_DB")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "hip.db"
        os.environ["HIPCOACH_DB"] = str(db)
        app.default_skill.cache_clear()
        try:
            yield db
        finally:
            app.default_skill.cache_clear()
            if before is None:
                os.environ.pop("HIPCOACH_DB", None)
            else:
                os.environ["HIPCOACH_DB"] = before


def console(user: str, locale: str = "en-GB", day: date = DAY0) -> Console:
    args = argparse.Namespace(
        locale=locale, user=user, apl=False, endpoint=None, date=day.isoformat()
    )
    return Console(args)


def attributes(chat: Console) -> dict[str, Any]:
    session = chat.conversation.session
    return dict(session.attributes or {}) if session else {}


def mode(chat: Console) -> str:
    session = chat.conversation.session
    return "ended" if session is None else str((session.attributes or {}).get("mode", "idle"))


def ask(chat: Console, text: str) -> dict[str, Any]:
    """One turn, with the last answer id cleared first, so a turn that answers nothing shows."""
    if chat.conversation.session is not None:
        chat.conversation.session.attributes.pop("answered", None)
    return chat.turn_record(text)


def finish_check(chat: Console) -> None:
    turn = chat.turn_record("check my hip")
    for _ in range(40):
        if not turn["asking"]:
            break
        turn = chat.turn_record(OUTER_HIP.get(turn["asking"], "no"))
    assert turn["result"], turn


def locale_of(who: str) -> str:
    return "en-US" if who in {"maya", "gerald", "priya", "dev", "jess"} else "en-GB"


def score_questions(items: list[dict[str, Any]]) -> Score:
    score = Score("questions")
    for n, item in enumerate(items):
        topics = item["topic"] if isinstance(item["topic"], list) else [item["topic"]]
        wanted = {ANSWER_ID[t] for t in topics}
        chat = console(f"q{n}", locale_of(item["who"]))
        chat.turn_record(LAUNCH)
        asking = None
        if item["where"] == "result":
            finish_check(chat)
        elif item["where"] == "mid_check":
            chat.turn_record("check my hip")
            asking = chat.turn_record("no")["asking"]
        turn = ask(chat, item["say"])
        got = attributes(chat).get("answered")
        understood = turn["intent"] != "AMAZON.FallbackIntent" and not turn["end_session"]
        # "do I need new trainers?" may be answered by asking how far they have gone (memory)
        if "shoes" in wanted and turn["intent"] == "ShoeWearIntent":
            got = "shoes"
        # "how much more can I run each week?" may be answered from the runner's own log
        if "ten_percent_rule" in wanted and turn["intent"] == "PlanWeekIntent":
            got = "ten_percent_rule"
        right = got in wanted
        if item["where"] == "result":
            state = mode(chat) in ("result", "offer_routine")
        elif item["where"] == "mid_check":
            state = asking is not None and turn["asking"] == asking
        else:
            state = mode(chat) not in ("interview", "ended")
            if got == "shoes" and mode(chat) == "shoe_question":
                state = True
        why = f"{item['where']} heard {turn['intent']} answered {got} mode {mode(chat)}"
        score.add(item["say"], understood, right, state, why)
    return score


def _in_routine(user: str, locale: str, day: date = DAY0) -> Console:
    chat = console(user, locale, day)
    chat.turn_record(LAUNCH)
    chat.turn_record("start the stretching routine")
    assert mode(chat) == "routine", "the routine did not start"
    return chat


def score_routines(items: list[dict[str, Any]]) -> Score:
    from hipcoach.dialog.reading import COMMANDS as _COMMANDS

    score = Score("routines")
    for n, item in enumerate(items):
        locale = locale_of(item["who"])
        user = f"r{n}"
        if item["action"] == "resume_next_launch":
            chat = _in_routine(user, locale)
            chat.turn_record("stop")
            chat = console(user, locale, DAY0 + timedelta(days=1))
            offer = chat.turn_record(LAUNCH)
            offered = "routine.resume_offer" in (offer["said"] or [])
            turn = chat.turn_record(item["say"])
            said = turn["said"] or []
            understood = turn["intent"] != "AMAZON.FallbackIntent"
            right = offered and "routine.resume_saved" in said
            score.add(item["say"], understood, right, mode(chat) == "routine", f"{said}")
            continue
        chat = _in_routine(user, locale)
        if item.get("after") == "pause":
            chat.turn_record("pause")
        turn = chat.turn_record(item["say"])
        heard = _COMMANDS.get(turn["intent"])
        command = heard.name if heard is not None else None
        understood = turn["intent"] != "AMAZON.FallbackIntent"
        right = command in COMMANDS[item["action"]]
        after = mode(chat)
        state = after in ("ended", "idle") if item["action"] == "stop" else after == "routine"
        score.add(item["say"], understood, right, state, f"heard {turn['intent']} mode {after}")
    return score


def _check_turn(
    chat: Console, db: Path, user: str, today: date, turn: dict[str, Any], expect: dict[str, Any]
) -> tuple[bool, bool, str]:
    said = turn["said"] or []
    record = stored_record(db, user)
    training = record.get("training", {}).get("weeks", {})
    runs = [run for week in training.values() for run in week.get("runs", [])]
    shoes = record.get("shoes") or {}
    right = True
    for key, value in expect.items():
        if key == "logged_week_before":
            last = (today - timedelta(days=7)).isocalendar()
            week = training.get(f"{last[0]}-W{last[1]:02d}", {})
            km = week.get("base", 0) + sum(r["km"] for r in week.get("runs", []))
            miles = 20 if value is True else value
            right &= abs(km - miles * KM_PER_MILE) < 1
        elif key == "warn":
            right &= any(k.startswith("memory.jump_") for k in said)
        elif key == "cap_key":
            right &= any(k.startswith("memory.plan_") for k in said)
        elif key == "logged_date_days_ago":
            wanted = (today - timedelta(days=value)).isoformat()
            right &= bool(runs) and wanted in {r["date"] for r in runs}
        elif key == "total":
            right &= any(k.startswith("memory.") for k in said)
        elif key == "shoes_miles":
            right &= abs(float(shoes.get("base_km", -1)) - value * KM_PER_MILE) < 1
        elif key == "shoes_key":
            right &= any(k.startswith("memory.shoes_") for k in said)
        elif key == "shoes_dated_days_ago":
            since = shoes.get("since")
            target = today - timedelta(days=value)
            if value >= 7:  # "last week": any day of the ISO week before
                right &= since is not None and (
                    date.fromisoformat(since).isocalendar()[:2] == target.isocalendar()[:2]
                )
            else:
                right &= since == target.isoformat()
    understood = turn["intent"] != "AMAZON.FallbackIntent" and not turn["end_session"]
    return understood, right, f"heard {turn['intent']} said {said} weeks {training} shoes {shoes}"


def score_memory(items: list[dict[str, Any]]) -> tuple[Score, Path | None]:
    score = Score("memory")
    for n, item in enumerate(items):
        user = f"m{n}"
        db = Path(os.environ["HIPCOACH_DB"])
        if "followup" in item:
            console(user, locale_of(item["who"])).turn_record(LAUNCH)  # a runner seen before
            _seed_check(db, user, DAY0, Check({"pain_location": "outer_hip", "pain_days": 3}))
            chat = console(user, locale_of(item["who"]), DAY0 + timedelta(days=4))
            chat.turn_record(LAUNCH)
            asked = mode(chat) == "followup"
            turn = chat.turn_record(item["say"])
            episode = stored_record(db, user).get("episode") or {}
            followups = episode.get("followups") or []
            got = followups[-1]["progress"] if followups else None
            understood = turn["intent"] != "AMAZON.FallbackIntent"
            right = got in FOLLOWUP[item["followup"]]
            said = turn["said"] or []
            if item["followup"] in ("better", "much_better"):
                right &= "memory.escalate_action" not in said
            why = f"heard {turn['intent']} progress {got} said {said}"
            score.add(item["say"], understood, right, asked and not turn["end_session"], why)
            continue
        for turn_item in item["turns"]:
            today = DAY0 + timedelta(days=turn_item["day"])
            chat = console(user, item["locale"], today)
            chat.turn_record(LAUNCH)
            turn = chat.turn_record(turn_item["say"])
            understood, right, why = _check_turn(chat, db, user, today, turn, turn_item["expect"])
            score.add(turn_item["say"], understood, right, mode(chat) != "ended", why)
    return score, None


def score_all(path: Path = CORPUS) -> list[Score]:
    data = corpus(path)
    with fresh_store():
        questions = score_questions(data["questions"])
        routines = score_routines(data["routines"])
        memory, _ = score_memory(data["memory"])
    return [questions, routines, memory]


if __name__ == "__main__":
    import sys

    for area in score_all(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS):
        print(area.line())
        for miss in area.misses:
            print("   miss", miss[:400])
