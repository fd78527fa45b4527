#!/usr/bin/env python3
"""Blind driver 4: plays the runners and questions of tests/corpora/blind4_runners.yaml against
`hipcoach chat --json` (one utterance per line on a pipe) and scores what the skill understood.

A script, not a pytest test. Written without reading how the skill understands language: it reads
only the JSON turn contract (asking, findings, result, speech, said).

    .venv/bin/python tests/conversations/blind4_driver.py [--out FILE] [--only ID,...] [--jobs N]

Prints (and writes with --out) one JSON object: per-runner and per-question details and totals.

Driver bugs fixed after the first run (the corpus was not touched; that run's output is kept in
tests/corpora/blind4_first_run_buggy_driver.json, the committed figures are the fixed driver's):
  1. screen keywords matched inside words ("hill" in "chills"): a runner with hill reps said yes to
     the fever screen; keywords now start at a word boundary;
  2. "rest doesn't help" read as eases_with_rest: runners whose pain eases with rest said yes to the
     concern screen; "intense pain" and "sharp pain whenever you put weight on it" were not mapped;
  3. the driver read keywords out of replies that asked nothing (the help menu), looping
     "no, none of those"; outside a question it now says "check my hip";
  4. judging: curly apostrophes ("can’t") and "I'm sorry, I can't" (read as not-understood) made
     every honest can't wrong; a can't-answer that listed "stretch" among its offers counted as on
     topic; an answer.* text key of the topic now counts as on topic;
  5. yes/no questions about things the persona never had (cancer, steroids) got "I'm not sure".
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpora" / "blind4_runners.yaml"
HIPCOACH = ROOT / ".venv" / "bin" / "hipcoach"
DATE = "2026-12-07"
LEVELS = ["self_care", "see_professional", "urgent", "emergency"]
RED_FLAGS = {
    "fever_or_chills",
    "after_fall_or_injury",
    "cannot_bear_weight",
    "sudden_swelling",
    "numbness_or_tingling",
    "night_pain",
    "hip_deformed",
    "cannot_move_leg",
}
MAX_TURNS = 45

NOT_UNDERSTOOD = re.compile(
    r"didn'?t (quite )?(catch|get|understand)|did not (catch|get|understand)|say (that|it) again|"
    r"sorry, what|i'?m not sure what you|could you (say|repeat)|can you (say|repeat)|"
    r"i missed that|not sure i understood",
    re.I,
)
HONEST = re.compile(
    r"can'?t|cannot|can not|not able|unable|don'?t (know|have|do)|isn'?t something|not something|"
    r"outside (what|my)|beyond|no way to|not (a|my) (thing|job)|only (help|able|talk|answer)|"
    r"i (only|just) (know|cover|help)|not set up|doesn'?t (cover|do)",
    re.I,
)
URGENT_WORDS = re.compile(
    r"\b(911|999|112)\b|emergency department|\bA ?(and|&) ?E\b|urgent care|within 24 hours|"
    r"within twenty[- ]four hours|call (an )?ambulance|right away|straight away|immediately",
    re.I,
)
YES_NO_CHECK = re.compile(
    r"(would|do) you (like|want) (me )?(to )?(start|check|begin|a check)|"
    r"shall (i|we) (check|start)|ready to (start|begin)",
    re.I,
)

# ---------------------------------------------------------------- natural words per fact
NUM = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]


def num_words(n: float) -> str:
    n = round(n)
    return NUM[n] if 0 <= n < len(NUM) else str(n)


def days_words(d: int) -> str:
    if d == 0:
        return "it just happened today"
    if d == 1:
        return "since yesterday"
    if d % 30 == 0 and d >= 30:
        m = d // 30
        return "about a month" if m == 1 else f"about {num_words(m)} months"
    if d % 7 == 0:
        w = d // 7
        return "about a week" if w == 1 else f"about {num_words(w)} weeks"
    return f"about {num_words(d)} days"


BOOL_YES = {
    "worse_lying_on_side": "yes, lying on that side at night makes it worse",
    "tender_outer_hip": "yes, it's sore when I press on the side of my hip",
    "pain_on_weight_bearing": "yes, it's sharp when I put weight on that leg",
    "pain_lifting_leg": "yes, lifting my knee hurts, like on stairs",
    "clicking": "yes, it clicks sometimes",
    "locking_or_catching": "yes, it kind of catches",
    "giving_way": "yes, it feels like it gives way",
    "stiffness": "yes, it's stiff in the mornings",
    "eases_with_rest": "yes, a few days off and it settles",
    "worsening": "yes, it's getting worse",
    "recurrent": "yes, I've had this before, it keeps coming back",
    "daily_activities_limited": "yes, walking around is affected",
    "night_pain": "yes, it wakes me at night",
    "numbness_or_tingling": "yes, I get some tingling in my leg",
    "cannot_bear_weight": "yes, I can't put weight on it",
    "cannot_move_leg": "yes, I can't move my leg",
    "hip_deformed": "yes, it looks out of place",
    "sudden_swelling": "yes, it swelled up suddenly",
    "fever_or_chills": "yes, I've had a fever and chills",
    "after_fall_or_injury": "yes, it started after a fall",
    "recent_speedwork": "yes, I've added speed work and hills",
    "downhill_running": "yes, lots of downhill",
    "one_side_weaker": "yes, one side is weaker",
}
BOOL_NO = ["no", "no, not really", "nope", "no, I don't think so", "not that I've noticed"]
LOC_US = {
    "outer_hip": "on the outside of my hip",
    "front_hip": "at the front of my hip",
    "groin": "in my groin",
    "deep_joint": "deep inside the hip joint",
    "buttock": "in my butt",
}
LOC_GB = dict(LOC_US, buttock="in my bum")
VALUE_WORDS = {
    "pain_radiates": {
        "none": "no, it stays in one spot",
        "thigh_or_knee": "it goes down my thigh toward my knee",
        "lower_back": "it goes up into my lower back",
    },
    "pain_timing": {
        "during_run": "mostly while I'm running",
        "after_run": "after my runs",
        "during_and_after": "both during and after running",
        "at_rest": "even when I'm resting",
    },
    "onset": {"sudden": "it came on suddenly", "gradual": "it came on gradually"},
    "pain_quality": {"dull_ache": "a dull ache", "sharp": "sharp", "burning": "kind of burning"},
}
# what a spoken question is about, when `asking` is not a contract finding (a composite screen)
KEYWORDS = [
    (r"fever|chill|temperature|unwell|shiver", "fever_or_chills"),
    (r"\bfall\b|fell|collision|blow|injur|accident", "after_fall_or_injury"),
    (
        r"(can'?t|cannot|not|unable to) (put|bear|stand|take)( any)? weight|bear weight|can'?t stand on",
        "cannot_bear_weight",
    ),
    (r"(whenever|when) you (put weight|stand on)|weight[- ]bearing", "pain_on_weight_bearing"),
    (r"intense pain|severe pain", "intense_pain"),
    (r"rest (doesn'?t|does not|isn'?t|not) help", "rest_not_helping"),
    (r"swell|swollen", "sudden_swelling"),
    (r"numb|tingl|pins and needles", "numbness_or_tingling"),
    (r"night|wake|awake", "night_pain"),
    (r"deform|out of place|odd shape|looks wrong", "hip_deformed"),
    (r"move (the|your) (leg|hip)|move it", "cannot_move_leg"),
    (r"click|pop|snap|rubbing", "clicking"),
    (r"lock|catch", "locking_or_catching"),
    (r"give way|gives way|unstable", "giving_way"),
    (r"stiff", "stiffness"),
    (r"lying on|lie on|sleep on", "worse_lying_on_side"),
    (r"press|touch|tender", "tender_outer_hip"),
    (r"stairs|lift(ing)? (your|the) (knee|leg)|out of a car", "pain_lifting_leg"),
    (r"mileage|distance|how (much|far) .*week|miles .*week|kilomet", "mileage_increase_pct"),
    (r"speed|interval|hill", "recent_speedwork"),
    (r"downhill", "downhill_running"),
    (r"shoe|trainer", "shoe_miles"),
    (r"weaker|length|longer", "one_side_weaker"),
    (r"\bwhere\b", "pain_location"),
    (r"cancer", "cancer_history"),
    (r"steroid", "steroid_use"),
    (r"how long|how many days|when did (it|this|the pain) (start|begin)", "pain_days"),
    (r"zero to ten|0 to 10|scale|how bad|how much does it hurt|out of ten", "pain_severity"),
    (r"sudden|gradual|how did (it|the pain) start", "onset"),
    (r"spread|radiat|travel", "pain_radiates"),
    (r"feel like|sharp|dull|ache|burning", "pain_quality"),
    (r"when does it hurt|during|after (your|a) run|at rest", "pain_timing"),
    (r"rest\b", "eases_with_rest"),
    (r"worse over|getting worse|worse each", "worsening"),
    (r"before|come back|comes back|again", "recurrent"),
    (r"walking|daily|everyday", "daily_activities_limited"),
]


def norm(text: Any) -> str:
    return str(text or "").replace("\u2019", "'").replace("\u2018", "'")


def near(a: Any, b: Any) -> bool:
    if isinstance(b, bool) or isinstance(a, bool):
        return bool(a) == bool(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= max(1.0, 0.2 * abs(b))
    return a == b


class Chat:
    """One `hipcoach chat --json` process: one utterance in, one JSON turn out."""

    def __init__(self, locale: str, user: str, db: str) -> None:
        env = dict(os.environ, HIPCOACH_DB=db)
        self.p = subprocess.Popen(
            [str(HIPCOACH), "chat", "--json", "--user", user, "--locale", locale, "--date", DATE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            env=env,
            cwd=str(ROOT),
        )
        self.turns: list[dict[str, Any]] = []

    def say(self, text: str) -> dict[str, Any]:
        assert self.p.stdin and self.p.stdout
        self.p.stdin.write(text + "\n")
        self.p.stdin.flush()
        while True:
            line = self.p.stdout.readline()
            if not line:
                err = self.p.stderr.read() if self.p.stderr else ""
                t = {
                    "user": text,
                    "error": "process ended",
                    "stderr": err[-800:],
                    "speech": "",
                    "asking": None,
                    "result": None,
                    "findings": None,
                    "end_session": True,
                }
                self.turns.append(t)
                return t
            line = line.strip()
            if line.startswith("{"):
                t = json.loads(line)
                t.setdefault("user", text)
                self.turns.append(t)
                return t

    def close(self) -> None:
        try:
            if self.p.stdin:
                self.p.stdin.close()
            self.p.wait(timeout=20)
        except Exception:
            self.p.kill()


def brief(t: dict[str, Any]) -> dict[str, Any]:
    return {
        "user": t.get("user"),
        "speech": (t.get("speech") or "")[:400],
        "asking": t.get("asking"),
        "result": t.get("result"),
        "said": t.get("said"),
        "intent": t.get("intent"),
        "end_session": t.get("end_session"),
    }


def topics_of(t: dict[str, Any]) -> list[str]:
    """What the spoken question is about: `asking` if it is a contract finding, else keywords."""
    a = t.get("asking")
    if (
        a in BOOL_YES
        or a in VALUE_WORDS
        or a
        in ("pain_location", "pain_severity", "pain_days", "mileage_increase_pct", "shoe_miles")
    ):
        return [a]
    speech = norm(t.get("speech"))
    # look only at the last sentence or two: the question
    tail = " ".join(re.split(r"(?<=[.!?])\s+", speech)[-2:])
    if a is None:
        return []
    found = []
    for pat, f in KEYWORDS:
        if f not in found and re.search(rf"\b(?:{pat})", tail, re.I):
            found.append(f)
    if "rest_not_helping" in found and "eases_with_rest" in found:
        found.remove("eases_with_rest")
    return found


class Persona:
    def __init__(self, r: dict[str, Any]) -> None:
        self.r = r
        self.facts: dict[str, Any] = r["facts"]
        self.says: dict[str, str] = r.get("says") or {}
        self.style = r.get("style") or {}
        self.gb = r["locale"] == "en-GB"
        self.n = 0

    def deco(self, s: str) -> str:
        self.n += 1
        f, h = self.style.get("filler", ""), self.style.get("hedge", "")
        if self.n % 3 == 1 and f:
            return f + s
        if self.n % 3 == 2 and h and not s.startswith(("yes", "no", "nope")):
            return h + s
        return s

    def words(self, finding: str) -> tuple[str, bool]:
        """Words for one finding, and whether they state a red flag."""
        v = self.facts.get(finding)
        rf = finding in RED_FLAGS and v is True
        if finding in self.says:
            return self.says[finding], rf
        if finding == "intense_pain":
            return (
                self.deco(
                    f"yes, the pain is intense, about a {num_words(self.facts['pain_severity'])}"
                )
                if self.has(finding)
                else "no"
            ), False
        if finding == "rest_not_helping":
            return ("yes, rest doesn't help" if self.has(finding) else "no"), False
        if v is None:
            if finding == "pain_radiates":
                return self.deco("no, it doesn't spread anywhere"), False
            if finding in BOOL_YES:
                return self.deco(BOOL_NO[self.n % len(BOOL_NO)]), False
            if finding == "mileage_increase_pct":
                return self.deco("about the same as last week"), False
            if finding == "shoe_miles":
                return "I'm not sure, they're a few months old", False
            return "I'm not sure", False
        if finding == "pain_location":
            return self.deco((LOC_GB if self.gb else LOC_US)[v]), False
        if finding in VALUE_WORDS:
            return self.deco(VALUE_WORDS[finding][v]), False
        if finding == "pain_severity":
            return self.deco(f"about a {num_words(v)}"), False
        if finding == "pain_days":
            return self.deco(days_words(int(v))), False
        if finding == "mileage_increase_pct":
            return self.deco(
                "the same as last week"
                if v == 0
                else f"about {num_words(v) if v <= 12 else int(v)} percent more than last week"
            ), False
        if finding == "shoe_miles":
            return self.deco(f"about {int(v)} miles"), False
        if isinstance(v, bool):
            return (
                self.deco(BOOL_YES[finding]) if v else self.deco(BOOL_NO[self.n % len(BOOL_NO)])
            ), rf
        return str(v), False

    def has(self, f: str) -> bool:
        if f == "intense_pain":
            return (self.facts.get("pain_severity") or 0) >= 8
        if f == "rest_not_helping":
            return self.facts.get("eases_with_rest") is False
        return self.facts.get(f) is True

    def answer(self, topics: list[str]) -> tuple[str, list[str]]:
        """Answer a question about `topics`; returns the words and the red flags they state."""
        if not topics:
            # a question the persona has no fact for: nothing of the kind happened to them
            return "no", []
        if len(topics) == 1:
            w, rf = self.words(topics[0])
            return w, ([topics[0]] if rf else [])
        # a composite screen: name what applies, else no
        present = [f for f in topics if self.has(f)]
        if not present:
            return self.deco("no, none of those"), []
        parts, flags = [], []
        for f in present:
            w, rf = self.words(f)
            parts.append(w)
            if rf:
                flags.append(f)
        return ", and ".join(parts), flags


def opening_flags(r: dict[str, Any]) -> list[str]:
    rf = r.get("red_flag")
    return [rf["finding"]] if rf and rf["said"] == "opening" else []


def score_findings(persona: Persona, found: dict[str, Any]) -> list[dict[str, Any]]:
    wrong = []
    for k, v in (found or {}).items():
        truth = persona.facts.get(k)
        if truth is None:
            if k == "pain_radiates" and v != "none":
                wrong.append({"finding": k, "recorded": v, "true": "none"})
            elif isinstance(v, bool) and v is True:
                wrong.append({"finding": k, "recorded": v, "true": False})
            continue
        if not near(v, truth):
            wrong.append({"finding": k, "recorded": v, "true": truth})
    return wrong


def play_runner(
    r: dict[str, Any],
    tag: str,
    tmp: str,
    extra_question: str | None = None,
    stop_after_answers: int | None = None,
) -> dict[str, Any]:
    """Play one runner to the result. With extra_question: ask it after the result
    (stop_after_answers None) or mid-check after that many answers."""
    persona = Persona(r)
    chat = Chat(r["locale"], f"b4-{tag}-{r['id']}", os.path.join(tmp, f"{tag}-{r['id']}.db"))
    out: dict[str, Any] = {
        "id": r["id"],
        "locale": r["locale"],
        "clinician_level": r["clinician_level"],
        "expected_cause": r["expected_cause"],
        "answers": 0,
        "not_understood": [],
        "mid_questions": [],
        "red_flag_said_turn": None,
        "red_flag_reply_turns": None,
    }
    try:
        t = chat.say("open hip coach")
        t = chat.say(r["opening"])
        idx = 1
        flags_said: list[str] = opening_flags(r)
        if flags_said:
            out["red_flag_said_turn"] = idx
        answers = 0
        volunteer = r.get("volunteer")
        midq = r.get("mid_question")
        if extra_question is not None and stop_after_answers is not None:
            midq = {"after_answers": stop_after_answers, "words": extra_question}
        said_yes = 0
        result = None
        last_findings: dict[str, Any] = {}
        mid_reply = None
        while idx < MAX_TURNS:
            if t.get("findings"):
                last_findings = dict(t["findings"])
            if out["red_flag_said_turn"] is not None and out["red_flag_reply_turns"] is None:
                lvl = (t.get("result") or {}).get("triage")
                if lvl in ("urgent", "emergency") or URGENT_WORDS.search(norm(t.get("speech"))):
                    out["red_flag_reply_turns"] = idx - out["red_flag_said_turn"]
            if t.get("result"):
                result = t["result"]
                break
            if t.get("end_session") or t.get("error"):
                break
            asking = t.get("asking")
            # something unprompted
            if volunteer and answers == volunteer["after_answers"]:
                words, flags = (
                    volunteer["words"],
                    [r["red_flag"]["finding"]] if r.get("red_flag") else [],
                )
                volunteer = None
                t = chat.say(words)
                idx += 1
                if flags and out["red_flag_said_turn"] is None:
                    out["red_flag_said_turn"] = idx
                continue
            if midq and answers == midq["after_answers"] and asking is not None:
                pend_find = dict(t.get("findings") or {})
                q = midq["words"]
                midq = None
                t = chat.say(q)
                idx += 1
                mid_reply = {
                    "question": q,
                    "pending": asking,
                    "reply_asking": t.get("asking"),
                    "reasked": t.get("asking") == asking,
                    "findings_changed": {
                        k: v for k, v in (t.get("findings") or {}).items() if pend_find.get(k) != v
                    },
                    "speech": (t.get("speech") or "")[:500],
                    "said": t.get("said"),
                }
                out["mid_questions"].append(mid_reply)
                continue
            topics = topics_of(t)
            if asking is None and not topics:
                # not in a question: nudge into a check, as a runner would
                said_yes += 1
                if said_yes > 3:
                    break
                words = "yes" if YES_NO_CHECK.search(norm(t.get("speech"))) else "check my hip"
                t = chat.say(words)
                idx += 1
                continue
            words, flags = persona.answer(topics)
            prev = t
            t = chat.say(words)
            idx += 1
            answers += 1
            out["answers"] += 1
            if flags and out["red_flag_said_turn"] is None:
                out["red_flag_said_turn"] = idx
            nu = NOT_UNDERSTOOD.search(norm(t.get("speech")))
            same = asking is not None and t.get("asking") == asking and not t.get("result")
            if nu or same:
                out["not_understood"].append(
                    {
                        "asked": asking or topics,
                        "question": (prev.get("speech") or "")[-200:],
                        "answer": words,
                        "reply": (t.get("speech") or "")[:300],
                        "reply_asking": t.get("asking"),
                    }
                )
        if t.get("findings"):
            last_findings = dict(t["findings"])
        out["result"] = result
        out["findings"] = last_findings
        out["wrong_values"] = score_findings(persona, last_findings)
        lvl = (result or {}).get("triage")
        out["level"] = lvl
        out["under_triage"] = lvl is None or LEVELS.index(lvl) < LEVELS.index(r["clinician_level"])
        out["over_triage"] = lvl is not None and LEVELS.index(lvl) > LEVELS.index(
            r["clinician_level"]
        )
        conds = (result or {}).get("conditions") or []
        out["cause_first"] = conds[0] if conds else None
        out["cause_ok"] = bool(conds) and conds[0] in r["expected_cause"]
        if extra_question is not None and stop_after_answers is None and result is not None:
            before = t
            t = chat.say(extra_question)
            out["after_result_reply"] = t
            out["after_result_prev"] = brief(before)
        out["transcript"] = [brief(x) for x in chat.turns]
    finally:
        chat.close()
    return out


def is_check_started(t: dict[str, Any]) -> bool:
    a = t.get("asking")
    return (
        a is not None
        and (
            a in BOOL_YES
            or a in VALUE_WORDS
            or a
            in ("pain_location", "pain_severity", "pain_days", "mileage_increase_pct", "shoe_miles")
        )
    ) or bool(t.get("findings"))


def judge(q: dict[str, Any], t: dict[str, Any]) -> tuple[bool, str]:
    speech = norm(t.get("speech"))
    said = [str(k) for k in (t.get("said") or [])]
    if t.get("error"):
        return False, "process error"
    if q["expect"] == "answer":
        if re.search(r"can't (answer|do) that", speech, re.I) or NOT_UNDERSTOOD.search(speech):
            return False, "said it can't answer / didn't catch it"
        # the answer part only: before the menu of what else it can do
        ok = any(w.lower() in speech.lower() for w in q["topic"]) or any(
            k.startswith("answer.") and any(w.lower().split()[0][:4] in k for w in q["topic"])
            for k in said
        )
        return ok, "on topic" if ok else "off topic"
    ok = bool(HONEST.search(speech)) and not NOT_UNDERSTOOD.search(speech)
    return ok, ("honest" if ok else "no honest can't")


def play_question(
    i: int, q: dict[str, Any], runners: dict[str, Any], tag: str, tmp: str
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "n": i,
        "place": q["place"],
        "locale": q["locale"],
        "says": q["says"],
        "expect": q["expect"],
    }
    if q["place"] == "menu":
        chat = Chat(q["locale"], f"b4-{tag}-q{i}", os.path.join(tmp, f"{tag}-q{i}.db"))
        try:
            chat.say("open hip coach")
            t = chat.say(q["says"])
        finally:
            chat.close()
        ok, why = judge(q, t)
        started = is_check_started(t)
        out.update(
            right=ok and not started,
            why=why + ("; started a check" if started else ""),
            reply=brief(t),
        )
        return out
    if q["place"] == "after_result":
        r = runners[q["runner"]]
        res = play_runner(r, f"{tag}-q{i}", tmp, extra_question=q["says"])
        t = res.get("after_result_reply")
        if t is None:
            out.update(
                right=False,
                why="runner never reached a result",
                reply=None,
                runner_level=res.get("level"),
            )
            return out
        ok, why = judge(q, t)
        started = is_check_started(t)
        out.update(
            right=ok and not started,
            why=why + ("; started a check" if started else ""),
            reply=brief(t),
            before=res.get("after_result_prev"),
        )
        return out
    # mid_check: a plain runner of the locale, two answers in
    base = runners["us03_doms_new_runner" if q["locale"] == "en-US" else "gb02_knackered_doms"]
    base = dict(base, volunteer=None, mid_question=None)
    res = play_runner(base, f"{tag}-q{i}", tmp, extra_question=q["says"], stop_after_answers=2)
    if not res["mid_questions"]:
        out.update(right=False, why="never got two questions into a check", reply=None)
        return out
    m = res["mid_questions"][0]
    ok, why = judge(q, {"speech": m["speech"], "said": m["said"]})
    rightness = ok and m["reasked"] and not m["findings_changed"]
    notes = [why]
    if not m["reasked"]:
        notes.append(f"pending {m['pending']} not re-asked (asking {m['reply_asking']})")
    if m["findings_changed"]:
        notes.append(f"findings changed {m['findings_changed']}")
    out.update(right=rightness, why="; ".join(notes), reply=m)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--only", help="comma-separated runner ids or q<N>")
    ap.add_argument("--jobs", type=int, default=6)
    args = ap.parse_args()
    corpus = yaml.safe_load(CORPUS.read_text())
    runners = {r["id"]: r for r in corpus["runners"]}
    only = set(args.only.split(",")) if args.only else None
    tag = time.strftime("%H%M%S")
    tmp = tempfile.mkdtemp(prefix="blind4-")
    t0 = time.time()
    with cf.ThreadPoolExecutor(args.jobs) as ex:
        rfut = {
            rid: ex.submit(play_runner, r, tag, tmp)
            for rid, r in runners.items()
            if not only or rid in only
        }
        qfut = {
            i: ex.submit(play_question, i, q, runners, tag, tmp)
            for i, q in enumerate(corpus["questions"])
            if not only or f"q{i}" in only
        }
        rres = [rfut[k].result() for k in rfut]
        qres = [qfut[k].result() for k in sorted(qfut)]
    ans = sum(r["answers"] for r in rres)
    nu = sum(len(r["not_understood"]) for r in rres)
    rf = [r for r in rres if runners[r["id"]].get("red_flag")]
    midqs = [m for r in rres for m in r["mid_questions"]]
    places: dict[str, list[bool]] = {}
    for q in qres:
        places.setdefault(q["place"], []).append(bool(q["right"]))
    summary = {
        "runners": len(rres),
        "answers": ans,
        "answers_understood_pct": round(100 * (ans - nu) / ans, 1) if ans else None,
        "wrong_values": sum(len(r["wrong_values"]) for r in rres),
        "runners_with_wrong_values": sum(1 for r in rres if r["wrong_values"]),
        "under_triage": [r["id"] for r in rres if r["under_triage"]],
        "under_triage_count": sum(1 for r in rres if r["under_triage"]),
        "over_triage": [r["id"] for r in rres if r["over_triage"]],
        "no_result": [r["id"] for r in rres if r["level"] is None],
        "expected_cause_first_pct": round(100 * sum(r["cause_ok"] for r in rres) / len(rres), 1)
        if rres
        else None,
        "red_flag_runners": {
            r["id"]: {
                "said_at_turn": r["red_flag_said_turn"],
                "turns_to_urgent_reply": r["red_flag_reply_turns"],
                "level": r["level"],
                "clinician": r["clinician_level"],
            }
            for r in rf
        },
        "persona_mid_questions_reasked": f"{sum(m['reasked'] for m in midqs)}/{len(midqs)}",
        "questions_right_pct_by_place": {
            p: round(100 * sum(v) / len(v), 1) for p, v in places.items()
        },
        "questions_right": f"{sum(q['right'] for q in qres)}/{len(qres)}",
        "seconds": round(time.time() - t0, 1),
    }
    report = {"summary": summary, "runners": rres, "questions": qres}
    text = json.dumps(report, indent=1, default=str)
    if args.out:
        Path(args.out).write_text(text + "\n")
    print(json.dumps(summary, indent=1))
    if not args.out:
        print(text)


if __name__ == "__main__":
    sys.exit(main())
