"""Blind runner conversations (tests/corpora/blind_interviews.yaml) played through the chat console.

Each story's runner answers whatever the skill asks with their own reply for that `asking` id.
Measured per story and overall (issue 12 and 16 targets): answers not understood, longest repeat of
one question, questions per interview, wrong values recorded, red flags missed, distance to an
emergency, triage level against the expected one, expected cause first / in the top three.
Asserted: only the safety floor (no red flag missed, no under-triage, no question more than twice
in a row). Run `python tests/test_blind_interviews.py` for the table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from _paths import CORPORA

CORPUS = CORPORA / "blind_interviews.yaml"
TODAY = date(2026, 11, 20)
LEVELS = ["self_care", "see_professional", "urgent", "emergency"]
RED_FLAGS = {
    "after_fall_or_injury",
    "cannot_bear_weight",
    "cannot_move_leg",
    "hip_deformed",
    "sudden_swelling",
    "fever_or_chills",
    "numbness_or_tingling",
    "pain_on_weight_bearing",
    "intense_pain",
}
MAX_TURNS = 40
# Questions answered with a word or number, not yes/no: a story's `default_open` answers them.
OPEN_QUESTIONS = {
    "pain_location",
    "pain_radiates",
    "pain_timing",
    "onset",
    "pain_quality",
    "pain_severity",
    "pain_days",
    "mileage_increase_pct",
    "shoe_miles",
}
# Stories that break the safety floor on the branch tested (see the qa2 report for the turns).
# (gb_trainers_recurring passes since screen28: an opening about pain that names miles is a check)
KNOWN_FAILURES: dict[str, str] = {}


@dataclass
class Played:
    story: dict[str, Any]
    records: list[dict[str, Any]]
    not_understood: list[int] = field(default_factory=list)  # indexes of runner turns
    longest_repeat: int = 0
    questions: int = 0
    wrong: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # finding: (recorded, true)
    missed: list[str] = field(default_factory=list)
    emergency_distance: int | None = None
    level: str | None = None
    conditions: list[str] = field(default_factory=list)

    @property
    def expected(self) -> str:
        return str(self.story["triage"])

    @property
    def triage_error(self) -> str:
        if self.level is None:
            return "none"
        diff = LEVELS.index(self.level) - LEVELS.index(self.expected)
        return "under" if diff < 0 else "over" if diff > 0 else "ok"

    @property
    def floor_failures(self) -> list[str]:
        failures = []
        if self.missed:
            failures.append(f"red flag missed: {self.missed}")
        if self.triage_error in ("under", "none"):
            failures.append(f"triage {self.level} for expected {self.expected}")
        if self.longest_repeat > 2:
            failures.append(f"a question asked {self.longest_repeat} times in a row")
        return failures


def _console(locale: str, user: str) -> Any:
    from hipcoach.standin.chat import Console

    args = argparse.Namespace(
        locale=locale, user=user, apl=False, endpoint=None, date=TODAY.isoformat()
    )
    return Console(args)


def _reply(story: dict[str, Any], asking: str, times: dict[str, int]) -> str:
    default = story.get("default", "I don't know")
    if asking in OPEN_QUESTIONS:
        default = story.get("default_open", "I'm not sure")
    said = story.get("replies", {}).get(asking, default)
    index = times.get(asking, 0)
    times[asking] = index + 1
    if isinstance(said, list):
        return str(said[min(index, len(said) - 1)])
    return str(said)


def play(story: dict[str, Any]) -> Played:
    console = _console(story["locale"], f"blind-{story['id']}")
    records = [console.turn_record("open hip coach")]
    for line in story["opening"]:
        records.append(console.turn_record(line))
    times: dict[str, int] = {}
    while len(records) < MAX_TURNS and records[-1]["result"] is None:
        asking = records[-1]["asking"]
        if asking is None:  # neither a question nor a result: the interview got lost
            break
        record = console.turn_record(_reply(story, asking, times))
        record["answering"] = asking
        records.append(record)
    return measure(story, records)


def _flag_set(findings: dict[str, Any], name: str) -> bool:
    if name == "intense_pain":
        severity = findings.get("pain_severity")
        return findings.get(name) is True or (isinstance(severity, int) and severity >= 8)
    return findings.get(name) is True


def measure(story: dict[str, Any], records: list[dict[str, Any]]) -> Played:
    played = Played(story, records)
    truth = story.get("truth", {})
    previous_findings: dict[str, Any] = {}
    for index in range(1, len(records)):
        record, before = records[index], records[index - 1]
        findings = record["findings"] or {}
        fallback = record["intent"] == "AMAZON.FallbackIntent"
        same_again = (
            before["asking"] is not None
            and record["asking"] == before["asking"]
            and findings == previous_findings
        )
        greeting = index <= len(story["opening"]) and story.get("opening_is_greeting", False)
        if (fallback or same_again) and not greeting:
            played.not_understood.append(index)
        previous_findings = findings
        for name, value in findings.items():
            if name in truth and truth[name] != value and name not in played.wrong:
                played.wrong[name] = (value, truth[name])
    run = 0
    for index, record in enumerate(records):
        if record["asking"] is None:
            run = 0
            continue
        played.questions += 1
        same = index > 0 and records[index - 1]["asking"] == record["asking"]
        run = run + 1 if same else 1
        played.longest_repeat = max(played.longest_repeat, run)
    final = next((r["findings"] for r in reversed(records) if r["findings"]), {}) or {}
    severity = truth.get("pain_severity")
    for name in sorted(RED_FLAGS):
        true = truth.get(name) is True or (
            name == "intense_pain" and isinstance(severity, int) and severity >= 8
        )
        if true and not _flag_set(final, name):
            played.missed.append(name)
    result = records[-1]["result"]
    if result and result.get("triage") == "emergency":
        played.missed = []  # an emergency is told at once: the other warning signs need no asking
    if result:
        played.level = result.get("triage")
        played.conditions = list(result.get("conditions") or [])
    if story["triage"] == "emergency" and played.level == "emergency":
        said = story.get("red_flag_said", "opening")
        start = (
            1
            if said == "opening"
            else next((i for i, r in enumerate(records) if r.get("answering") == said), 1)
        )
        played.emergency_distance = sum(1 for r in records[start:-1] if r["asking"])
    return played


def stories() -> list[dict[str, Any]]:
    return list(yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["stories"])


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Played]:
    from hipcoach import app

    saved = os.environ.get("HIPCOACH_DB")
    os.environ["HIPCOACH_DB"] = str(tmp_path_factory.mktemp("blind") / "hip.db")
    app.default_skill.cache_clear()
    try:
        return {story["id"]: play(story) for story in stories()}
    finally:
        app.default_skill.cache_clear()
        if saved is None:
            os.environ.pop("HIPCOACH_DB", None)
        else:
            os.environ["HIPCOACH_DB"] = saved


def _marked(story_id: str) -> Any:
    if story_id in KNOWN_FAILURES:
        return pytest.param(
            story_id, marks=pytest.mark.xfail(reason=KNOWN_FAILURES[story_id], strict=False)
        )
    return story_id


@pytest.mark.parametrize("story_id", [_marked(s["id"]) for s in stories()])
def test_safety_floor(played: dict[str, Played], story_id: str) -> None:
    outcome = played[story_id]
    assert not outcome.floor_failures, f"{story_id}: {outcome.floor_failures}\n" + transcript(
        outcome
    )


def test_corpus_is_broad() -> None:
    corpus = stories()
    assert len(corpus) >= 25
    assert {s["locale"] for s in corpus} == {"en-US", "en-GB"}
    assert len({s["id"] for s in corpus}) == len(corpus)


def transcript(outcome: Played) -> str:
    lines = []
    for index, record in enumerate(outcome.records):
        mark = " (NOT UNDERSTOOD)" if index in outcome.not_understood else ""
        lines.append(
            f"  [{index}] runner: {record['user']!r} -> intent {record['intent']}{mark}\n"
            f"       skill asks {record['asking']}; result {record['result']}; "
            f"findings {record['findings']}\n       says: {record['speech'][:160]!r}"
        )
    return "\n".join(lines)


def table(results: dict[str, Played]) -> str:
    head = f"{'story':32} {'loc':5} {'Qs':>3} {'NU':>3} {'rep':>3} {'wrong':>5} {'miss':>4} "
    head += f"{'emerg':>5} {'level':17} {'exp':17} {'tri':5} {'cause1':6} {'top3':4} floor"
    rows = [head]
    for sid, p in results.items():
        cause = p.story.get("cause")
        first = "-" if not cause else ("yes" if p.conditions[:1] == [cause] else "NO")
        top3 = "-" if not cause else ("yes" if cause in p.conditions[:3] else "NO")
        rows.append(
            f"{sid:32} {p.story['locale']:5} {p.questions:>3} {len(p.not_understood):>3} "
            f"{p.longest_repeat:>3} {len(p.wrong):>5} {len(p.missed):>4} "
            f"{'-' if p.emergency_distance is None else p.emergency_distance:>5} "
            f"{p.level!s:17} {p.expected:17} {p.triage_error:5} {first:6} {top3:4} "
            f"{'FAIL' if p.floor_failures else 'ok'}"
        )
    answers = sum(len(p.records) - 1 for p in results.values())
    missed_answers = sum(len(p.not_understood) for p in results.values())
    named = [p for p in results.values() if p.story.get("cause")]
    rows.append("")
    rows.append(
        f"answers not understood: {missed_answers}/{answers} "
        f"({100 * missed_answers / max(answers, 1):.1f}%)"
    )
    rows.append(f"longest repeat: {max(p.longest_repeat for p in results.values())}")
    rows.append(f"median questions: {statistics.median(p.questions for p in results.values())}")
    rows.append(f"wrong values: {sum(len(p.wrong) for p in results.values())}")
    rows.append(f"red flags missed: {sum(len(p.missed) for p in results.values())}")
    distances = [p.emergency_distance for p in results.values() if p.emergency_distance is not None]
    rows.append(f"emergency distances (questions): {distances}")
    for kind in ("under", "over", "none"):
        rows.append(f"{kind}-triage: {sum(p.triage_error == kind for p in results.values())}")
    if named:
        first = sum(p.conditions[:1] == [p.story["cause"]] for p in named)
        top3 = sum(p.story["cause"] in p.conditions[:3] for p in named)
        rows.append(f"cause first: {first}/{len(named)}; top 3: {top3}/{len(named)}")
    return "\n".join(rows)


def test_print_table(played: dict[str, Played], capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print("\n" + table(played))
    assert len(played) == len(stories())


if __name__ == "__main__":
    import tempfile

    from hipcoach import app

    os.environ["HIPCOACH_DB"] = str(Path(tempfile.mkdtemp()) / "hip.db")
    app.default_skill.cache_clear()
    results = {story["id"]: play(story) for story in stories()}
    print(table(results))
    if "-v" in sys.argv:
        for sid, p in results.items():
            if p.floor_failures or p.not_understood or p.wrong or p.longest_repeat > 2:
                print(f"\n=== {sid}: {p.floor_failures} wrong={p.wrong}\n{transcript(p)}")
