"""Blind corpus 3 driver (blind3b): plays the three blind3 corpora through `hipcoach chat --json`.

Not a pytest module (no test_ prefix): run it by hand and read the table.

    .venv/bin/python tests/conversations/blind3b_driver.py SUMMARY.json [--only questions,routines,journeys]

Every runner is a fresh --user (journeys keep one --user across days); each session is one
`hipcoach chat --json` process fed on a pipe, one utterance per line, one JSON line back per turn.
A check is answered from a small persona of facts by the `asking` field. Scores are printed as a
table with totals and written as JSON to SUMMARY.json.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT / "tests" / "corpora"
HIPCOACH = ROOT / ".venv" / "bin" / "hipcoach"
TURN_TIMEOUT = 60.0
LEVELS = ["self_care", "see_professional", "urgent", "emergency"]
CONTRACT_KEYS = {
    "user",
    "intent",
    "slots",
    "speech",
    "ssml",
    "reprompt",
    "end_session",
    "asking",
    "result",
    "findings",
}
BOOL_FINDINGS = {
    "worse_lying_on_side",
    "tender_outer_hip",
    "pain_on_weight_bearing",
    "pain_lifting_leg",
    "clicking",
    "locking_or_catching",
    "giving_way",
    "stiffness",
    "eases_with_rest",
    "worsening",
    "recurrent",
    "daily_activities_limited",
    "night_pain",
    "numbness_or_tingling",
    "cannot_bear_weight",
    "cannot_move_leg",
    "hip_deformed",
    "sudden_swelling",
    "fever_or_chills",
    "after_fall_or_injury",
    "recent_speedwork",
    "downhill_running",
    "one_side_weaker",
}
NUMBER_FINDINGS = {"pain_severity", "pain_days", "mileage_increase_pct", "shoe_miles"}
WORDS = {
    "pain_location": {
        "outer_hip": "on the outside of my hip",
        "front_hip": "at the front of my hip",
        "groin": "in my groin",
        "deep_joint": "deep inside the hip joint",
        "buttock": "in my buttock",
    },
    "pain_radiates": {
        "none": "no, it doesn't spread anywhere",
        "thigh_or_knee": "it goes down my thigh to my knee",
        "lower_back": "it goes up into my lower back",
    },
    "pain_timing": {
        "during_run": "while I'm running",
        "after_run": "after my runs",
        "during_and_after": "both during and after running",
        "at_rest": "even when I'm resting",
    },
    "onset": {"sudden": "it came on suddenly", "gradual": "it came on gradually"},
    "pain_quality": {"dull_ache": "a dull ache", "sharp": "sharp", "burning": "burning"},
}
CRASH = re.compile(r"traceback|internal error|something went wrong|exception", re.I)


def norm(text: str | None) -> str:
    return (text or "").lower().replace("\u2019", "'").replace("\u2018", "'")


def has(text: str, group: str) -> bool:
    """Any alternative of "a|b|c" occurs, starting at a word boundary.

    Driver fix 9: plain substrings matched "night" in "tonight" and "ice" inside other words; an
    alternative is now a word or a word's start ("cycl" still meets "cycling").
    """
    for alt in group.lower().split("|"):
        if not alt:
            continue
        bounded = alt[0].isalnum() and not alt.startswith("n't")
        if re.search((r"\b" if bounded else "") + re.escape(alt), text):
            return True
    return False


def missing_groups(text: str, groups: list[str]) -> list[str]:
    return [g for g in groups if not has(text, g)]


def present_groups(text: str, groups: list[str]) -> list[str]:
    return [g for g in groups if has(text, g)]


def level_index(level: str | None) -> int:
    return LEVELS.index(level) if level in LEVELS else -1


class Session:
    """One `hipcoach chat --json` process fed on a pipe: one utterance in, one JSON line out."""

    def __init__(self, user: str, locale: str, date: str | None = None) -> None:
        cmd = [str(HIPCOACH), "chat", "--json", "--user", user, "--locale", locale]
        if date:
            cmd += ["--date", date]
        self.cmd = cmd
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            cwd=str(ROOT),
            env=env,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()
        threading.Thread(target=self._pump_err, daemon=True).start()
        self.turns: list[dict[str, Any]] = []

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _pump_err(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)

    def say(self, words: str) -> dict[str, Any]:
        turn: dict[str, Any]
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(words + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            turn = {"user": words, "crash": f"pipe closed: {exc}", "speech": ""}
            self.turns.append(turn)
            return turn
        deadline = time.monotonic() + TURN_TIMEOUT
        while True:
            left = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(left, 0.01))
            except queue.Empty:
                turn = {"user": words, "crash": "timeout", "speech": ""}
                break
            if line is None:
                err = "".join(self.stderr)[-400:]
                turn = {"user": words, "crash": f"process ended: {err}", "speech": ""}
                break
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                turn = json.loads(line)
            except json.JSONDecodeError:
                continue
            break
        if "crash" not in turn and CRASH.search(turn.get("speech") or ""):
            turn["crash"] = "error speech"
        self.turns.append(turn)
        return turn

    def close(self) -> None:
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
            self.proc.wait(timeout=15)
        except (subprocess.TimeoutExpired, OSError):
            self.proc.kill()
            self.proc.wait()


def speech_of(turn: dict[str, Any]) -> str:
    return norm(turn.get("speech"))


def mic_ok(turn: dict[str, Any]) -> bool:
    """The microphone is open (end_session false) only after a question."""
    if turn.get("end_session") is not False:
        return True
    text = (turn.get("speech") or "").strip()
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    return bool(sentences) and sentences[-1].rstrip().endswith("?")


# ---------- persona answers ----------


def render(finding: str, value: Any, locale: str, attempt: int) -> str:
    if finding in WORDS and isinstance(value, str):
        words = WORDS[finding].get(value, value.replace("_", " "))
        return words if attempt % 2 == 0 else value.replace("_", " ")
    if isinstance(value, bool):
        if attempt % 2 == 0:
            return "yes" if value else "no"
        return "yes, it does" if value else "no, it doesn't"
    if finding == "pain_severity":
        return f"about {value}" if attempt % 2 == 0 else str(value)
    if finding == "pain_days":
        return f"{value} days" if attempt % 2 == 0 else str(value)
    if finding == "mileage_increase_pct":
        pct = "per cent" if locale == "en-GB" else "percent"
        return f"about {value} {pct}" if attempt % 2 == 0 else str(value)
    if finding == "shoe_miles":
        return f"about {value} miles" if attempt % 2 == 0 else str(value)
    return str(value)


def answer_for(
    persona: dict[str, Any], asking: str, locale: str, attempt: int, question: str = ""
) -> str:
    facts = persona.get("facts", {})
    if asking in facts:
        return render(asking, facts[asking], locale, attempt)
    if asking in BOOL_FINDINGS:
        return render(asking, bool(persona.get("default_bool", False)), locale, attempt)
    if asking in NUMBER_FINDINGS or asking in WORDS:
        return "I'm not sure"
    return screen_answer(persona, question)


# Driver fix 8: a composite question (a screen) lists several findings; the persona's one fixed
# screen_answer ("no, none of those") contradicted its own facts (the stress-fracture runner has
# sharp pain on weight bearing and night pain). Now a screen is answered from the persona's true
# facts that the spoken question mentions; screen_answer only when none is mentioned.
SCREEN_WORDS: list[tuple[str, str, str]] = [
    ("after_fall_or_injury", r"\bfall\b|blow|knock|collision", "I fell"),
    (
        "cannot_bear_weight",
        r"not put weight|can't stand|cannot put weight|can't put weight",
        "I can't put any weight on it",
    ),
    ("cannot_move_leg", r"move it|move the leg|move your leg", "I can't move it"),
    ("hip_deformed", r"out of place|deformed", "it looks out of place"),
    (
        "pain_on_weight_bearing",
        r"sharp pain whenever|sharp pain when|pain whenever you put weight",
        "I get sharp pain whenever I put weight on it",
    ),
    ("sudden_swelling", r"swell", "it's swollen"),
    ("fever_or_chills", r"fever|chills", "I've got a fever and chills"),
    ("numbness_or_tingling", r"numb|tingl", "I've got numbness and tingling"),
    ("night_pain", r"night|wakes you|keeps you awake", "it wakes me up at night"),
    ("worsening", r"getting worse|worse run after run|worse over time", "it's getting worse"),
    ("daily_activities_limited", r"daily|stairs|walking", "it affects walking and stairs"),
    ("recurrent", r"keeps coming back|repeated|comes back", "it keeps coming back"),
    ("clicking", r"click|pop", "it clicks"),
    ("locking_or_catching", r"lock|catch", "it catches"),
    ("giving_way", r"gives? way|unstable", "it gives way"),
]


def screen_answer(persona: dict[str, Any], question: str) -> str:
    facts = persona.get("facts", {})
    q = norm(question)
    said = [
        words
        for finding, pattern, words in SCREEN_WORDS
        if facts.get(finding) is True and re.search(pattern, q)
    ]
    if said:
        return "yes, " + " and ".join(said)
    if q and any(re.search(pattern, q) for _, pattern, _ in SCREEN_WORDS):
        return "no, none of those"
    return str(persona.get("screen_answer", "no"))


START_FALLBACKS = ["yes", "check my hip", "I'd like a hip check"]


def start_check(s: Session, persona: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    notes: list[str] = []
    turn = s.say(persona["start"])
    for alt in START_FALLBACKS:
        if turn.get("asking") or turn.get("result") or turn.get("crash"):
            break
        notes.append(f"start fallback '{alt}'")
        turn = s.say(alt)
    return turn, notes


def answer_until(
    s: Session,
    persona: dict[str, Any],
    locale: str,
    turn: dict[str, Any],
    limit: int | None,
    max_turns: int = 40,
) -> tuple[dict[str, Any], dict[str, Any] | None, list[str]]:
    """Answer while `asking` is set; stop after `limit` answers (None: until a result)."""
    notes: list[str] = []
    result_turn = turn if turn.get("result") else None
    answered = 0
    repeats: dict[str, int] = {}
    while turn.get("asking") and not turn.get("crash") and answered < max_turns:
        if limit is not None and answered >= limit:
            break
        asking = str(turn["asking"])
        attempt = repeats.get(asking, 0)
        if attempt >= 4:
            notes.append(f"stuck on '{asking}'")
            break
        repeats[asking] = attempt + 1
        turn = s.say(answer_for(persona, asking, locale, attempt, str(turn.get("speech") or "")))
        answered += 1
        if turn.get("result"):
            result_turn = turn
    return turn, result_turn, notes


def run_check(
    s: Session, persona: dict[str, Any], locale: str
) -> tuple[dict[str, Any], dict[str, Any] | None, list[str]]:
    turn, notes = start_check(s, persona)
    turn, result_turn, more = answer_until(s, persona, locale, turn, None)
    return turn, result_turn, notes + more


# ---------- questions ----------


def score_questions(corpus: dict[str, Any]) -> list[dict[str, Any]]:
    refusal = norm(corpus["refusal_markers"])
    not_understood = norm(corpus["not_understood_markers"])
    topics = corpus["topics"]
    persona = corpus["personas"]["soreness"]
    rows: list[dict[str, Any]] = []
    for q in corpus["questions"]:
        row: dict[str, Any] = {
            "part": "questions",
            "id": q["id"],
            "where": q["where"],
            "say": q["say"],
            "expect": q["expect"],
            "problems": [],
        }
        s = Session(f"blind3b-q-{q['id']}-{uuid.uuid4().hex[:6]}", q["locale"])
        try:
            launch = s.say("open hip coach")
            before_findings: Any = None
            pending: Any = None
            result_level = None
            setup_ok = not launch.get("crash")
            if q["where"] == "after_result":
                last, result_turn, notes = run_check(s, persona, q["locale"])
                row["setup_notes"] = notes
                if result_turn is None:
                    setup_ok = False
                    row["problems"].append("setup: no result reached")
                else:
                    result_level = result_turn["result"].get("triage")
                    before_findings = last.get("findings")
            elif q["where"] == "mid_check":
                turn, notes = start_check(s, persona)
                turn, _, more = answer_until(
                    s, persona, q["locale"], turn, q.get("answers_before", 2)
                )
                row["setup_notes"] = notes + more
                if not turn.get("asking"):
                    setup_ok = False
                    row["problems"].append("setup: not mid-check")
                pending = turn.get("asking")
                before_findings = turn.get("findings")
            row["setup_ok"] = setup_ok
            r = s.say(q["say"])
            text = speech_of(r)
            row.update(
                speech=r.get("speech"),
                intent=r.get("intent"),
                asking=r.get("asking"),
                findings=r.get("findings"),
                result_level=result_level,
                end_session=r.get("end_session"),
            )
            if r.get("crash"):
                row["problems"].append(f"crash: {r['crash']}")
            # no check started / no finding recorded / pending question re-asked
            wrong_start = False
            if q["where"] == "menu":
                if r.get("asking") or r.get("findings") or r.get("result"):
                    wrong_start = True
                    row["problems"].append(f"check started (asking={r.get('asking')})")
            elif q["where"] == "after_result":
                if r.get("asking") or r.get("result"):
                    wrong_start = True
                    row["problems"].append(f"new check/result (asking={r.get('asking')})")
                elif r.get("findings") and r.get("findings") != before_findings:
                    wrong_start = True
                    row["problems"].append("finding recorded")
            else:
                if r.get("findings") != before_findings:
                    wrong_start = True
                    row["problems"].append(
                        f"finding recorded: {diff(before_findings, r.get('findings'))}"
                    )
                if r.get("asking") != pending:
                    row["problems"].append(
                        f"pending '{pending}' not re-asked (asking={r.get('asking')})"
                    )
                    row["reasked"] = False
                else:
                    row["reasked"] = True
            row["wrong_start"] = wrong_start
            # the content of the answer
            content_ok = False
            if q["expect"] == "answer":
                miss = missing_groups(text, topics[q["topic"]]["must_contain"])
                content_ok = not miss
                if miss:
                    row["problems"].append(f"topic {q['topic']} missing {miss}")
            else:
                # Driver fix 4: "sorry, I didn't catch that" followed by a re-asked question
                # ("outside, front, groin...") matched the refusal marker "outside".
                confused = has(text, not_understood)
                # Driver fix 10: the re-asked interview question ("Outside, front, groin...?")
                # met the refusal marker "outside"; the refusal is read without the closing
                # question and without what follows "back to my question".
                own = text.split("back to my question")[0]
                sentences = [x for x in re.split(r"(?<=[.!?])\s+", own) if x.strip()]
                if len(sentences) > 1 and sentences[-1].rstrip().endswith("?"):
                    own = " ".join(sentences[:-1])
                refused = has(own, refusal) and not confused
                bad = present_groups(text, q.get("must_not_contain", []))
                row["refused"] = refused and not bad
                row["not_understood"] = confused
                content_ok = refused and not bad
                if not refused:
                    row["problems"].append(
                        "no honest refusal" + (" (only 'not understood')" if confused else "")
                    )
                if bad:
                    row["problems"].append(f"pretends: {bad}")
            row["content_ok"] = content_ok
            if not mic_ok(r):
                row["problems"].append("mic open without a question")
            row["mic_ok"] = mic_ok(r)
            ok = content_ok and not wrong_start and setup_ok and not r.get("crash")
            if q["where"] == "mid_check":
                ok = ok and row.get("reasked", False)
            row["ok"] = ok
        finally:
            s.close()
        rows.append(row)
        print_row(row)
    return rows


def diff(a: Any, b: Any) -> Any:
    if not isinstance(a, dict) or not isinstance(b, dict):
        return {"before": a, "after": b}
    return {k: b.get(k) for k in set(a) | set(b) if a.get(k) != b.get(k)}


# ---------- routines ----------


# Driver fix 1: the routine's own command hints ("say next, repeat, skip, pause or stop") named
# "skip" as an exercise; command words are not exercises.
COMMAND_WORDS = {"skip", "march"}
SIDE = re.compile(r"\b(left|right|other) (leg|side)\b")


def exercise_of(
    turn: dict[str, Any], vocabulary: list[str], current: str | None = None
) -> str | None:
    """The exercise (and side) the turn is on: a JSON key if any, else from the speech.

    Driver fix 2: a step is an exercise on one side ("left leg"); the preview after "next up" is
    not the current exercise; a turn that names only a side keeps the current exercise's name.
    """
    for key, value in turn.items():
        if key in CONTRACT_KEYS or not any(w in key.lower() for w in ("routine", "exercise")):
            continue
        if isinstance(value, str) and value:
            return value
        if isinstance(value, dict):
            for sub in ("exercise", "current", "name", "id", "step"):
                if isinstance(value.get(sub), str | int):
                    return str(value[sub])
    text = speech_of(turn)
    text = re.sub(r"say next, repeat[^.]*\.", " ", text)
    text = text.split("next up")[0]
    best: tuple[int, int, str] | None = None
    for name in vocabulary:
        if name.lower() in COMMAND_WORDS:
            continue
        m = re.search(r"\b" + re.escape(name.lower()), text)
        if m and (best is None or (m.start(), -len(name)) < (best[0], best[1])):
            best = (m.start(), -len(name), name.lower().replace("-", " "))
    # Driver fix 6: a step is also a set ("set 2 of 2"), and two exercises can share a seed name
    # ("forward" and "side-to-side" leg swings): the skill's "exercise N of M" numbers them.
    number = re.search(r"\bexercise (\d+) of \d+", text)
    side = SIDE.search(text)
    sets = re.search(r"\bset (\d+) of \d+", text)
    if number:
        base: str | None = f"exercise {number.group(1)}"
    elif (side or sets) and current:
        base = current.split("/")[0]
    else:
        base = best[2] if best else None
    if base is None:
        return None
    parts = [base] + ([side.group(1)] if side else []) + ([f"set {sets.group(1)}"] if sets else [])
    return "/".join(parts)


def routine_left(turn: dict[str, Any]) -> bool:
    """Driver fix 3: the routine is left when the session ends or the skill says it stopped."""
    said = [str(x) for x in turn.get("said") or []]
    return bool(turn.get("end_session")) or any(
        x.startswith("routine.") and any(w in x for w in ("stop", "finish", "done", "end"))
        for x in said
    )


def routine_started(turn: dict[str, Any]) -> bool:
    """Driver fix 5: a routine started, read from the turn's `said` message ids."""
    said = [str(x) for x in turn.get("said") or []]
    return any(x in ("routine.start", "routine.exercise_intro") for x in said)


def score_routines(corpus: dict[str, Any]) -> list[dict[str, Any]]:
    vocab = corpus["exercise_vocabulary"]
    rows: list[dict[str, Any]] = []
    for sess in corpus["sessions"]:
        s = Session(f"blind3b-r-{sess['id']}-{uuid.uuid4().hex[:6]}", sess["locale"])
        try:
            s.say("open hip coach")
            hist: list[str] = []
            paused: str | None = None
            for n, step in enumerate(sess["steps"], 1):
                r = s.say(step["say"])
                text = speech_of(r)
                cur = hist[-1] if hist else None
                ex = exercise_of(r, vocab, cur)
                prev = hist[-2] if len(hist) >= 2 else None
                problems: list[str] = []
                want = step.get("exercise")
                if want == "started" and not ex:
                    problems.append("no exercise named (routine not started)")
                elif want == "same" and ex not in (None, cur):
                    problems.append(f"exercise moved {cur} -> {ex}")
                elif want == "changed" and (not ex or ex == cur):
                    problems.append(f"exercise not changed ({cur} -> {ex})")
                elif want == "previous" and ex != prev:
                    problems.append(f"not back to {prev} (got {ex})")
                elif want == "resumed" and ex != paused:
                    problems.append(f"not resumed at {paused} (got {ex})")
                elif want == "none" and ex and not routine_left(r):
                    problems.append(f"routine goes on ({ex})")
                if "ends" in step and bool(r.get("end_session")) != step["ends"]:
                    problems.append(f"end_session {r.get('end_session')} (want {step['ends']})")
                miss = missing_groups(text, step.get("must_contain", []))
                if miss:
                    problems.append(f"missing {miss}")
                elif step.get("must_contain") and r.get("intent") == "AMAZON.FallbackIntent":
                    # Driver fix 7: a fallback's list of commands ("... skip, pause ...") met
                    # the words a reply to "this hurts" must contain.
                    problems.append("not understood (fallback)")
                bad = present_groups(text, step.get("must_not_contain", []))
                if bad:
                    problems.append(f"says {bad}")
                if r.get("asking"):
                    problems.append(f"check started (asking={r['asking']})")
                if not mic_ok(r):
                    problems.append("mic open without a question")
                if r.get("crash"):
                    problems.append(f"crash: {r['crash']}")
                if re.search(r"\bpause\b|hold on|hold on a sec", step["say"].lower()):
                    paused = cur
                if ex:
                    if len(hist) >= 2 and ex == hist[-2]:
                        hist.pop()
                    elif not hist or ex != hist[-1]:
                        hist.append(ex)
                row = {
                    "part": "routines",
                    "id": f"{sess['id']}.{n}",
                    "say": step["say"],
                    "expect": want or ("ends" if step.get("ends") else "-"),
                    "exercise": ex,
                    "intent": r.get("intent"),
                    "end_session": r.get("end_session"),
                    "speech": r.get("speech"),
                    "mic_ok": mic_ok(r),
                    "problems": problems,
                    "ok": not problems,
                }
                rows.append(row)
                print_row(row)
        finally:
            s.close()
    return rows


# ---------- journeys ----------

EXTRA_RUN_ALLOW = (
    "run is fine|fine to run|okay to run|ok to run|you can run|shorter run is|easy run is"
    "|keep the runs easy"
)
NOT_UNDERSTOOD = "didn't catch|did not catch|didn't understand|didn't get that|not sure what you"


def score_journeys(corpus: dict[str, Any]) -> list[dict[str, Any]]:
    personas = corpus["personas"]
    hold = norm(corpus["hold_markers"])
    allow = corpus["allow_markers"]
    rows: list[dict[str, Any]] = []
    for j in corpus["journeys"]:
        user = f"blind3b-j-{j['id']}-{uuid.uuid4().hex[:6]}"
        top = -1  # highest level told so far
        cleared = False
        last_persona = None
        for day in j["days"]:
            s = Session(user, j["locale"], day["date"])
            try:
                s.say("open hip coach")
                for n, step in enumerate(day["steps"], 1):
                    problems: list[str] = []
                    levels_told: list[str] = []
                    row: dict[str, Any] = {
                        "part": "journeys",
                        "id": f"{j['id']}.{day['date'][5:]}.{n}",
                        "journey": j["id"],
                    }
                    if "check" in step:
                        persona = personas[step["check"]]
                        last_persona = persona
                        before = len(s.turns)
                        last, result_turn, notes = run_check(s, persona, j["locale"])
                        row.update(say=f"[check {step['check']}]", notes=notes)
                        turns = s.turns[before:]
                        got = result_turn["result"].get("triage") if result_turn else None
                        row["level"] = got
                        row["interview"] = [[t.get("user"), t.get("asking")] for t in turns]
                        row["findings"] = (result_turn or last).get("findings")
                        row["conditions"] = (result_turn or {}).get("result", {}).get("conditions")
                        want = step.get("expect_level")
                        if result_turn is None:
                            problems.append("no result reached" + (f" {notes}" if notes else ""))
                        elif want is not None:
                            wants = want if isinstance(want, list) else [want]
                            if got not in wants:
                                problems.append(f"level {got} (want {'/'.join(wants)})")
                                row["level_wrong"] = True
                        low = "at_least" in step and level_index(got) < level_index(
                            step["at_least"]
                        )
                        if result_turn is not None and low:
                            problems.append(f"level {got} below {step['at_least']}")
                            row["level_wrong"] = True
                        text = norm(" ".join(str(t.get("speech") or "") for t in turns[-1:]))
                        row["speech"] = (
                            result_turn.get("speech") if result_turn else last.get("speech")
                        )
                    else:
                        persona = personas.get(day.get("persona", "")) or last_persona or {}
                        before = len(s.turns)
                        r = s.say(step["say"])
                        first = r
                        if r.get("asking") and persona:
                            r, _, notes = answer_until(s, persona, j["locale"], r, None, 25)
                            row["notes"] = [*notes, "interview answered after the step"]
                        turns = s.turns[before:]
                        text = speech_of(first)
                        row.update(
                            say=step["say"], speech=first.get("speech"), intent=first.get("intent")
                        )
                        forbid = step.get("forbid")
                        if forbid:
                            # Driver fix 5: any "n't" met the hold-off markers, so a skill that
                            # allowed the run or started the routine still passed. Now: allowed
                            # = the corpus's allow markers, or (run) the driver's extra allow
                            # phrases, or (routine/stretch) a routine started per `said`.
                            said_allow = present_groups(text, allow[forbid])
                            if forbid == "run":
                                said_allow += present_groups(text, [EXTRA_RUN_ALLOW])
                            elif routine_started(first):
                                said_allow.append("routine started")
                            if said_allow:
                                problems.append(f"allows {forbid}: {said_allow}")
                                row["contradiction"] = True
                            elif has(text, NOT_UNDERSTOOD):
                                problems.append(f"not understood (does not hold off {forbid})")
                            elif not has(text, hold):
                                problems.append(f"no hold-off of {forbid} said")
                                row["contradiction"] = True
                        if step.get("expect_routine") and not routine_started(first):
                            problems.append("routine did not start")
                        miss = missing_groups(text, step.get("must_contain", []))
                        if miss:
                            problems.append(f"missing {miss}")
                            row["contradiction"] = True
                        bad = present_groups(text, step.get("must_not_contain", []))
                        if bad:
                            problems.append(f"says {bad}")
                            row["contradiction"] = True
                        if step.get("may_lower"):
                            cleared = True
                    for t in turns:
                        if t.get("result"):
                            levels_told.append(t["result"].get("triage"))
                        if t.get("crash"):
                            problems.append(f"crash: {t['crash']}")
                        if not mic_ok(t):
                            row["mic_violations"] = row.get("mic_violations", 0) + 1
                    for lv in levels_told:
                        if level_index(lv) < top and not cleared:
                            problems.append(f"level lowered {LEVELS[top]} -> {lv}")
                            row["level_lowered"] = True
                        top = max(top, level_index(lv)) if not cleared else level_index(lv)
                    row["levels_told"] = levels_told
                    row["problems"] = problems
                    row["ok"] = not problems
                    rows.append(row)
                    print_row(row)
            finally:
                s.close()
    return rows


# ---------- report ----------


def print_row(row: dict[str, Any]) -> None:
    mark = "ok " if row["ok"] else "BAD"
    say = str(row.get("say", ""))[:44]
    probs = "; ".join(row["problems"])[:110]
    speech = norm(str(row.get("speech") or ""))[:90]
    print(f"{mark} {row['id']:<14} {say:<44} | {probs or speech}", flush=True)


def pct(n: int, d: int) -> float | None:
    return round(100.0 * n / d, 1) if d else None


def totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    q = [r for r in rows if r["part"] == "questions"]
    t: dict[str, Any] = {}
    for where in ("menu", "after_result", "mid_check"):
        sub = [r for r in q if r["where"] == where]
        t[f"questions_{where}_right_pct"] = pct(sum(r["ok"] for r in sub), len(sub))
        t[f"questions_{where}_n"] = len(sub)
    ans = [r for r in q if r["expect"] == "answer"]
    t["answerable_content_right_pct"] = pct(sum(r.get("content_ok", False) for r in ans), len(ans))
    t["checks_wrongly_started"] = sum(
        r.get("wrong_start", False) for r in q if r["where"] != "mid_check"
    )
    t["mid_check_findings_wrongly_recorded"] = sum(
        r.get("wrong_start", False) for r in q if r["where"] == "mid_check"
    )
    mids = [r for r in q if r["where"] == "mid_check"]
    t["mid_check_pending_reasked_pct"] = pct(sum(r.get("reasked", False) for r in mids), len(mids))
    ref = [r for r in q if r["expect"] != "answer"]
    t["honest_refusal_pct"] = pct(sum(r.get("refused", False) for r in ref), len(ref))
    t["refusal_only_not_understood"] = sum(r.get("not_understood", False) for r in ref)
    t["setup_failures"] = sum(not r.get("setup_ok", True) for r in q)
    rt = [r for r in rows if r["part"] == "routines"]
    t["routine_steps_right_pct"] = pct(sum(r["ok"] for r in rt), len(rt))
    t["routine_steps_n"] = len(rt)
    t["routine_mic_violations"] = sum(not r["mic_ok"] for r in rt)
    t["routine_steps_right_ignoring_mic_pct"] = pct(
        sum(all(p.startswith("mic open") for p in r["problems"]) for r in rt), len(rt)
    )
    js = [r for r in rows if r["part"] == "journeys"]
    t["journey_steps_right_pct"] = pct(sum(r["ok"] for r in js), len(js))
    t["journey_steps_n"] = len(js)
    t["journeys_all_right"] = sum(
        all(r["ok"] for r in js if r["journey"] == jid) for jid in {r["journey"] for r in js}
    )
    t["journeys_n"] = len({r["journey"] for r in js})
    t["journey_contradictions"] = sum(r.get("contradiction", False) for r in js)
    t["journey_check_level_wrong"] = sum(r.get("level_wrong", False) for r in js)
    t["level_lowered"] = sum(r.get("level_lowered", False) for r in js)
    t["journey_mic_violations"] = sum(r.get("mic_violations", 0) for r in js)
    qs = [r for r in rows if r["part"] == "questions"]
    t["question_mic_violations"] = sum(not r.get("mic_ok", True) for r in qs)
    t["crashes"] = sum(any(p.startswith("crash") for p in r["problems"]) for r in rows)
    return t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("summary", type=Path)
    ap.add_argument("--only", default="questions,routines,journeys")
    args = ap.parse_args()
    parts = args.only.split(",")
    rows: list[dict[str, Any]] = []
    if "questions" in parts:
        rows += score_questions(yaml.safe_load((CORPORA / "blind3_questions.yaml").read_text()))
    if "routines" in parts:
        rows += score_routines(yaml.safe_load((CORPORA / "blind3_routines.yaml").read_text()))
    if "journeys" in parts:
        rows += score_journeys(yaml.safe_load((CORPORA / "blind3_journeys.yaml").read_text()))
    t = totals(rows)
    print("\nTOTALS")
    for k, v in t.items():
        print(f"  {k:<40} {v}")
    args.summary.write_text(
        json.dumps({"totals": t, "rows": rows}, indent=1, ensure_ascii=False) + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
