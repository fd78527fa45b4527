#!/usr/bin/env python3
"""Blind clinical driver (tester blind7c).

Runs tests/corpora/blind7_clinic.yaml against the Hip Coach command line of the repository this
file lives in: vignettes through `hipcoach triage` (and through the spoken chat, for tonight's
advice and tomorrow's run), journeys through `hipcoach chat --json` over several dates, with the
stored plan read by `hipcoach plan` after each day.

    python tests/conversations/blind7_clinic_driver.py --out result.json --jobs 4

Prints a summary; writes every transcript and verdict to --out. Re-runnable: every run uses fresh
databases under a new temporary directory (or --dbdir).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

HERE = Path(__file__).resolve()
REPO = HERE.parents[2]
CORPUS = REPO / "tests" / "corpora" / "blind7_clinic.yaml"
LEVELS = ["self_care", "see_professional", "urgent", "emergency"]
RED_FLAGS = [
    "cannot_bear_weight",
    "cannot_move_leg",
    "hip_deformed",
    "sudden_swelling",
    "fever_or_chills",
    "after_fall_or_injury",
    "numbness_or_tingling",
    "night_pain",
]
CONTRACT = {
    "pain_location",
    "pain_radiates",
    "pain_timing",
    "onset",
    "pain_quality",
    "pain_severity",
    "pain_days",
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
    "mileage_increase_pct",
    "recent_speedwork",
    "downhill_running",
    "shoe_miles",
    "one_side_weaker",
}

ENUM_WORDS = {
    "pain_location": {
        "outer_hip": ["on the outside of my hip", "the outer hip"],
        "front_hip": ["at the front of my hip", "the front of the hip"],
        "groin": ["in my groin", "groin"],
        "deep_joint": ["deep inside the hip joint", "deep in the joint"],
        "buttock": ["in my buttock", "my bum"],
    },
    "pain_radiates": {
        "none": ["no, it doesn't spread", "no"],
        "thigh_or_knee": ["it spreads down my thigh to the knee", "down to my knee"],
        "lower_back": ["it spreads into my lower back", "my lower back"],
    },
    "pain_timing": {
        "during_run": ["during my runs", "while I'm running"],
        "after_run": ["after running", "after my runs"],
        "during_and_after": ["both during and after running", "both"],
        "at_rest": ["even when I'm resting", "at rest"],
    },
    "onset": {
        "sudden": ["it came on suddenly", "suddenly"],
        "gradual": ["it came on gradually", "gradually"],
    },
    "pain_quality": {
        "dull_ache": ["a dull ache", "dull"],
        "sharp": ["sharp", "it's a sharp pain"],
        "burning": ["burning", "it burns"],
    },
}
TRUE_PHRASES = {
    "fever_or_chills": "I have a fever and chills",
    "cannot_bear_weight": "I can't put any weight on my leg",
    "cannot_move_leg": "I can't move my leg",
    "hip_deformed": "my hip looks deformed",
    "sudden_swelling": "it suddenly swelled up",
    "after_fall_or_injury": "it started when I fell",
    "numbness_or_tingling": "my leg is numb and tingling",
    "night_pain": "it wakes me up at night",
    "clicking": "my hip clicks",
    "locking_or_catching": "my hip locks and catches",
    "giving_way": "my hip gives way",
    "pain_on_weight_bearing": "it hurts sharply when I put weight on it",
    "daily_activities_limited": "it hurts walking and on stairs",
    "worsening": "it is getting worse run after run",
    "recurrent": "it keeps coming back",
    "one_side_weaker": "one side is weaker",
    "stiffness": "it's stiff",
}

SCREEN_WORDS = [
    ("after_fall_or_injury", r"\bfall|\bfell|\bblow\b|collision|injur"),
    ("cannot_bear_weight", r"(not|n't|unable to|can.t) (put|bear|take) (any )?weight"),
    ("cannot_move_leg", r"move (the|your) (leg|hip)|move it"),
    ("hip_deformed", r"out of place|deform"),
    ("intense_pain", r"intense|severe"),
    ("sudden_swelling", r"swell"),
    ("fever_or_chills", r"fever|chill"),
    ("numbness_or_tingling", r"numb|tingl"),
    (
        "pain_on_weight_bearing",
        r"(sharp )?pain (whenever|when) you (put weight|stand)|sharp pain when",
    ),
    ("night_pain", r"night|wake"),
    ("clicking", r"click|pop"),
    ("locking_or_catching", r"lock|catch"),
    ("giving_way", r"give way|gives way|unstable|weakens"),
    ("stiffness", r"stiff|moves less"),
    ("eases_with_rest=false", r"rest doesn.t help|doesn.t ease with rest"),
    ("daily_activities_limited", r"daily|stairs|walking"),
    ("worsening", r"worse run after run|getting worse"),
    ("recurrent", r"keeps? coming back|repeated|recurr"),
    ("one_side_weaker", r"weaker|leg length|different length"),
]

NEG = re.compile(
    r"\b(not|no|never|avoid|stop|skip|hold off|until|instead of|rather than|without|"
    r"cannot|unless|once|after)\b|n[’']t\b",
    re.I,
)
RUN_NO = re.compile(
    r"(\b(not|no|avoid|stop|skip|hold off|rest from|pause|cannot|never)\b|n[’']t\b)[^.?!]{0,40}\brun"
    r"|\bno running\b|\brunning is off\b|\b(stop|pause|avoid|skip)\w* running\b|\bbefore (you )?run"
    # fix 1 (after the first run): a reply opening "Not yet" / "Not until ..." is a refusal
    r"|^\s*not (yet|until)\b|[.!?]\s+not (yet|until)\b|\brest from running\b",
    re.I,
)
RUN_MOD = re.compile(
    r"\b(easy|short|shorter|gentle|gradual\w*|reduce|cut back|only if|as long as|"
    r"pain[- ]free|slow|slower|lighter|half|build up|ease back)\b",
    re.I,
)
RUN_YES = re.compile(
    r"\b(you can|you could|fine to|okay to|ok to|go ahead|safe to|good to go|free to|"
    r"alright to|all right to)\b[^.?!]{0,30}\brun|^\s*yes\b|\byes[,.!]",
    re.I,
)
REFUSE = re.compile(
    r"(\b(not|no|never)\b|n[’']t\b)[^.?!]{0,30}\b(safe|start|stretch\w*|strength|routine|exercis\w*|"
    r"now|yet|today|right now|recommend\w*|advis\w*|good idea)|\bhold off\b|\bwait until\b|"
    r"\buntil (you|a|the|your)\b|\bcan[’']t\b|\bcannot\b|\bwon[’']t\b|\bshouldn[’']t\b|\binstead\b",
    re.I,
)
START = re.compile(
    r"\bfirst (exercise|stretch|one|up)\b|\blet[’']s (start|begin|go)\b|\bstarting (the|your)\b|"
    r"\bget (into|in) position\b|\bhold (it |this |that )?for\b|\b\d+ seconds\b|\breps\b|"
    r"\brepetitions\b|\bhere we go\b|\bbegin with\b|\blie on your\b|\bon your back\b|\bexercise 1\b|"
    r"\bready\?|\bsay (next|pause|stop)\b",
    re.I,
)


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%H:%M:%S")


def level_rank(level):
    return LEVELS.index(level) if level in LEVELS else None


def sentences(text: str):
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text or "") if s.strip()]


def rx(pat: str, patterns: dict) -> re.Pattern:
    return re.compile(patterns.get(pat, pat), re.I)


def must_missing(text, groups, patterns):
    return [g for g in groups or [] if not rx(g, patterns).search(text or "")]


def never_hits(text, pats, patterns):
    hits = []
    for p in pats or []:
        r = rx(p, patterns)
        for s in sentences(text):
            if r.search(s) and not NEG.search(s):
                hits.append({"pattern": p, "sentence": s})
    return hits


def run_stance(text: str) -> str:
    t = text or ""
    if RUN_NO.search(t):
        return "no"
    mentions_run = re.search(r"\brun", t, re.I)
    if RUN_MOD.search(t) and mentions_run:
        return "modified"
    if RUN_YES.search(t):
        return "yes"
    return "unclear"


STRONG_START = re.compile(
    r"\bexercise \d+ of \d+|\blet[’']s do (your|the)\b|\b\d+ exercises, about\b", re.I
)


def routine_stance(text: str) -> str:
    if STRONG_START.search(text or ""):
        return "started"
    st, rf = bool(START.search(text or "")), bool(REFUSE.search(text or ""))
    if st and not rf:
        return "started"
    if rf and not st:
        return "declined"
    return "unclear"


def norm_stances(vals):
    out = []
    for v in vals:
        out.append({True: "yes", False: "no"}.get(v, v))
    return out


def find_level(obj):
    """First triage level found under a key naming a level, anywhere in a JSON value."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, str) and v in LEVELS and re.search(r"level|triage", k, re.I):
                return v
        for v in obj.values():
            r = find_level(v)
            if r:
                return r
    elif isinstance(obj, list):
        for v in obj:
            r = find_level(v)
            if r:
                return r
    return None


class Chat:
    """One `hipcoach chat --json` process fed on a pipe, one JSON line per utterance."""

    def __init__(self, hc, user, locale, date, db, log):
        env = dict(os.environ, HIPCOACH_DB=db)
        self.errf = tempfile.TemporaryFile(mode="w+")
        self.p = subprocess.Popen(
            [hc, "chat", "--json", "--user", user, "--locale", locale, "--date", date],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errf,
            text=True,
            bufsize=1,
            env=env,
            cwd=str(REPO),
        )
        self.q: queue.Queue = queue.Queue()
        self.log = log
        self.date = date
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            self.q.put(line)
        self.q.put(None)

    def say(self, u, timeout=90):
        rec = {"date": self.date, "user": u}
        try:
            self.p.stdin.write(u + "\n")
            self.p.stdin.flush()
        except (BrokenPipeError, OSError) as e:
            rec["error"] = f"write failed: {e}"
            self.log.append(rec)
            return rec
        deadline = time.time() + timeout
        while True:
            try:
                line = self.q.get(timeout=max(0.1, deadline - time.time()))
            except queue.Empty:
                rec["error"] = "timeout"
                break
            if line is None:
                self.errf.seek(0)
                rec["error"] = "process ended: " + self.errf.read()[-600:]
                break
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            rec.update(
                {
                    k: obj.get(k)
                    for k in (
                        "intent",
                        "speech",
                        "asking",
                        "result",
                        "end_session",
                        "findings",
                        "reprompt",
                    )
                }
            )
            break
        self.log.append(rec)
        return rec

    def close(self):
        try:
            self.p.stdin.close()
        except OSError:
            pass
        try:
            self.p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


def answer(asking, profile, attempt, current, question=None):
    if asking in CONTRACT:
        if asking not in profile:
            return "I don't know" if attempt == 1 else "I'm not sure"
        v = profile[asking]
        if isinstance(v, bool):
            if attempt == 1:
                return "yes" if v else "no"
            return TRUE_PHRASES.get(asking, "yes it does") if v else "no, it doesn't"
        if asking in ENUM_WORDS:
            words = ENUM_WORDS[asking].get(v, [str(v)])
            return words[min(attempt - 1, len(words) - 1)]
        if asking == "pain_days":
            if v == 0:
                return "it started today" if attempt == 1 else "today"
            return f"{v} days" if attempt == 1 else str(v)
        if asking == "mileage_increase_pct":
            return f"{v} percent" if attempt == 1 else str(v)
        if asking == "shoe_miles":
            return f"{v} miles" if attempt == 1 else str(v)
        return str(v)
    # a composite question (a screen) with its own id: answer, as a runner would, the parts of the
    # spoken question that are true for this runner
    current = current or {}
    q = question or ""
    said = []
    for f, kw in SCREEN_WORDS:
        if f == "intense_pain":
            if (profile.get("pain_severity") or 0) >= 8 and re.search(kw, q, re.I):
                said.append("the pain is intense")
            continue
        if f == "eases_with_rest=false":
            if profile.get("eases_with_rest") is False and re.search(kw, q, re.I):
                said.append("rest doesn't help")
            continue
        if profile.get(f) is True and re.search(kw, q, re.I):
            said.append(TRUE_PHRASES[f])
    if said and attempt >= 3:
        return "yes"
    return " and ".join(dict.fromkeys(said)) if said else "no, none of those"


def continue_check(chat, r, profile, max_turns=45):
    """Answer the skill's questions from the profile until a result, the end, or no question."""
    tries, nulls, extra = {}, 0, []
    for _ in range(max_turns):
        if r.get("error") or r.get("result") or r.get("end_session"):
            return r, extra
        a = r.get("asking")
        if a is None:
            if r.get("findings") is None:
                return r, extra
            nulls += 1
            if nulls > 2:
                return r, extra
            u = "yes"
        else:
            tries[a] = tries.get(a, 0) + 1
            if tries[a] > 4:
                return r, extra
            u = answer(a, profile, tries[a], r.get("findings"), r.get("speech"))
        r = chat.say(u)
        extra.append(r)
    return r, extra


class Day:
    """The sessions of one date for one user: relaunches when a session ends."""

    def __init__(self, hc, user, locale, date, db, log):
        self.args = (hc, user, locale, date, db, log)
        self.chat = None
        self.last = None

    def ensure(self):
        if self.chat is None or (
            self.last and (self.last.get("end_session") or self.last.get("error"))
        ):
            if self.chat:
                self.chat.close()
            self.chat = Chat(*self.args)
            self.last = self.chat.say("open hip coach")
        return self.chat

    def say(self, u):
        c = self.ensure()
        self.last = c.say(u)
        return self.last

    def close(self):
        if self.chat:
            self.chat.close()


def plan_level(hc, user, date, db):
    env = dict(os.environ, HIPCOACH_DB=db)
    try:
        p = subprocess.run(
            [hc, "plan", "--user", user, "--date", date],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            cwd=str(REPO),
        )
    except subprocess.TimeoutExpired:
        return None, "timeout"
    raw = p.stdout.strip()
    try:
        lvl = find_level(json.loads(raw))
    except json.JSONDecodeError:
        m = re.search(r"(level|triage)[^A-Za-z_]{0,5}(" + "|".join(LEVELS) + ")", raw)
        lvl = m.group(2) if m else None
    return lvl, (raw or p.stderr.strip())[:1500]


def result_level(r):
    res = (r or {}).get("result") or {}
    return res.get("triage"), res.get("conditions") or []


# ---------------------------------------------------------------- vignettes


def cause_ok(cid, accepted):
    for a in accepted or []:
        if a.startswith("re:"):
            if cid and re.search(a[3:], cid):
                return True
        elif cid == a:
            return True
    return False


def run_vignette(v, hc, dbdir, patterns, idx):
    out = {
        "id": v["id"],
        "title": v["title"],
        "expected": v["level"],
        "acceptable": v["acceptable"],
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(v["findings"], f)
        fpath = f.name
    try:
        p = subprocess.run(
            [hc, "triage", fpath], capture_output=True, text=True, timeout=180, cwd=str(REPO)
        )
        out["triage_rc"] = p.returncode
        out["triage_stderr"] = p.stderr.strip()[-500:]
        tri = json.loads(p.stdout) if p.stdout.strip().startswith("{") else {}
    except (subprocess.TimeoutExpired, json.JSONDecodeError) as e:
        tri = {}
        out["triage_error"] = str(e)
    finally:
        os.unlink(fpath)
    out["triage"] = tri
    lvl = tri.get("triage")
    ids = [c.get("id") if isinstance(c, dict) else c for c in tri.get("conditions") or []]
    out["level"], out["causes"] = lvl, ids
    acc = [level_rank(x) for x in v["acceptable"]]
    r = level_rank(lvl)
    out["under_triage"] = r is not None and r < min(acc)
    out["over_triage"] = r is not None and r > max(acc)
    out["level_exact"] = lvl == v["level"]
    out["no_level"] = r is None
    if v.get("first"):
        out["first_right"] = bool(ids) and cause_ok(ids[0], v["first"])
        out["first_in_top3"] = any(cause_ok(c, v["first"]) for c in ids[:3])
    else:
        out["first_right"] = out["first_in_top3"] = None
    out["top3_hit"] = any(cause_ok(c, v.get("top3")) for c in ids[:3]) if v.get("top3") else None
    # care-plan keys the CLI may add (reported, not scored)
    extra = {
        k: val
        for k, val in tri.items()
        if k not in ("triage", "conditions", "red_flags", "why", "next_question")
    }
    out["triage_extra_keys"] = sorted(extra)
    runkeys = {k: val for k, val in extra.items() if re.search(r"run", k, re.I)}
    plan = tri.get("plan") if isinstance(tri.get("plan"), dict) else {}
    for k, val in plan.items():
        if re.search(r"run|routine|level", k, re.I):
            runkeys[f"plan.{k}"] = val
    out["cli_running"] = runkeys or None

    # the spoken skill: the same findings answered in the chat
    user = f"b7c_{v['id']}"
    db = str(Path(dbdir) / f"{user}.db")
    locale = "en-US" if idx % 2 == 0 else "en-GB"
    out["locale"] = locale
    log: list = []
    day = Day(hc, user, locale, "2026-12-01", db, log)
    try:
        day.ensure()
        r = day.say("my hip hurts after running")
        r, _ = continue_check(day.chat, r, v["findings"])
        day.last = r
        clvl, cids = result_level(r)
        out["chat_level"], out["chat_causes"] = clvl, cids
        cr = level_rank(clvl)
        out["chat_under_triage"] = cr is not None and cr < min(acc)
        out["chat_over_triage"] = cr is not None and cr > max(acc)
        out["chat_result_reached"] = clvl is not None
        res_speech = r.get("speech") or ""
        t = day.say("what should I do tonight")
        t, _ = continue_check(day.chat, t, v["findings"])
        tonight = (res_speech + "\n" + (t.get("speech") or "")).strip()
        k = day.say("can I run tomorrow")
        k, _ = continue_check(day.chat, k, v["findings"])
        run_text = k.get("speech") or ""
    finally:
        day.close()
    out["tonight_text"] = tonight
    miss = must_missing(tonight, v.get("tonight_must"), patterns)
    hits = never_hits(tonight, v.get("tonight_must_not"), patterns)
    out["tonight_missing"], out["tonight_forbidden"] = miss, hits
    out["tonight_right"] = not miss and not hits
    out["run_text"] = run_text
    out["run_stance"] = run_stance(run_text)
    allowed = norm_stances(v["run_tomorrow"])
    out["run_tomorrow_expected"] = allowed
    out["run_right"] = out["run_stance"] in allowed
    out["run_unsafe"] = (
        "no" in allowed and len(allowed) == 1 and out["run_stance"] in ("yes", "modified")
    )
    out["transcript"] = log
    return out


# ---------------------------------------------------------------- journeys


def run_journey(j, hc, dbdir, patterns):
    user = f"b7c_{j['id']}"
    db = str(Path(dbdir) / f"{user}.db")
    profile = dict(j["profile"])
    out = {
        "id": j["id"],
        "title": j["title"],
        "locale": j["locale"],
        "steps": [],
        "hard": [],
        "soft": [],
    }
    log: list = []
    max_seen = None
    pro_seen = False
    for si, step in enumerate(j["steps"]):
        date = str(step["date"])
        if step.get("profile_update"):
            profile.update(step["profile_update"])
        day = Day(hc, user, j["locale"], date, db, log)
        srec = {"date": date, "says": []}
        try:
            launch = None
            day.ensure()
            launch = day.last
            srec["launch"] = (launch or {}).get("speech")
            if step.get("check"):
                r = day.say("my hip hurts after running")
                r, _ = continue_check(day.chat, r, profile)
                day.last = r
                lvl, cids = result_level(r)
                srec["day1_level"], srec["day1_causes"] = lvl, cids
                acc = [level_rank(x) for x in j["day1_acceptable"]]
                if lvl is None:
                    out["soft"].append(
                        f"{date}: the check gave no result (last: {(r.get('speech') or r.get('error') or '')[:160]!r})"
                    )
                else:
                    rr = level_rank(lvl)
                    max_seen = rr if max_seen is None else max(max_seen, rr)
                    if rr < min(acc):
                        out["hard"].append(
                            f"{date}: under-triage on the check: {lvl} (acceptable {j['day1_acceptable']})"
                        )
                    elif rr > max(acc):
                        out["soft"].append(
                            f"{date}: over-triage on the check: {lvl} (acceptable {j['day1_acceptable']})"
                        )
            for s in step.get("says") or []:
                u = s["u"]
                if re.search(r"physio|doctor|\bGP\b|A&E|\bER\b", u):
                    pro_seen = True
                first = day.say(u)
                r, extra = continue_check(day.chat, first, profile)
                day.last = r
                texts = [first.get("speech") or ""] + [e.get("speech") or "" for e in extra]
                text = "\n".join(texts)
                rec = {"u": u, "speech": text, "intent": first.get("intent")}
                lvl, _ = result_level(r)
                if lvl:
                    rec["result_level"] = lvl
                    max_seen = (
                        level_rank(lvl) if max_seen is None else max(max_seen, level_rank(lvl))
                    )
                miss = must_missing(text, s.get("must"), patterns)
                hits = never_hits(text, s.get("never"), patterns)
                if miss:
                    out["soft"].append(f"{date} {u!r}: missing {miss}: {text[:220]!r}")
                for h in hits:
                    out["hard"].append(
                        f"{date} {u!r}: said {h['sentence']!r} (forbidden {h['pattern']})"
                    )
                if s.get("run_ok") is False:
                    st = run_stance(text)
                    rec["run_stance"] = st
                    if st in ("yes", "modified"):
                        out["hard"].append(
                            f"{date} {u!r}: running allowed ({st}) when unsafe: {text[:260]!r}"
                        )
                    elif st == "unclear":
                        out["soft"].append(f"{date} {u!r}: running answer unclear: {text[:220]!r}")
                if "routine_ok" in s:
                    st = routine_stance(first.get("speech") or "")
                    rec["routine_stance"] = st
                    if s["routine_ok"] is False and st == "started":
                        out["hard"].append(
                            f"{date} {u!r}: routine started when unsafe: {text[:260]!r}"
                        )
                    elif s["routine_ok"] is False and st == "unclear":
                        out["soft"].append(
                            f"{date} {u!r}: routine answer unclear (unsafe ask): {text[:220]!r}"
                        )
                    elif s["routine_ok"] is True and st != "started":
                        out["soft"].append(
                            f"{date} {u!r}: routine not started ({st}) though allowed: {text[:220]!r}"
                        )
                    if st != "declined" and not day.last.get("end_session"):
                        day.say("stop")
                srec["says"].append(rec)
        finally:
            day.close()
        plvl, praw = plan_level(hc, user, date, db)
        srec["plan_level"], srec["plan_raw"] = plvl, praw
        if step.get("level_floor"):
            floor = level_rank(step["level_floor"])
            if plvl is None:
                out["soft"].append(
                    f"{date}: no level readable from `hipcoach plan` ({praw[:120]!r})"
                )
            elif level_rank(plvl) < floor:
                out["hard"].append(
                    f"{date}: stored level {plvl} below the floor {step['level_floor']}"
                )
        if plvl is not None and max_seen is not None and level_rank(plvl) < max_seen:
            msg = f"{date}: stored level lowered to {plvl} from {LEVELS[max_seen]}"
            (out["soft"] if pro_seen else out["hard"]).append(
                msg + (" (after a professional visit)" if pro_seen else "")
            )
        out["steps"].append(srec)
    out["transcript"] = log
    out["hard_contradiction"] = bool(out["hard"])
    out["soft_problem"] = bool(out["soft"])
    return out


def rescore(src, dst, corpus_path):
    """Re-apply the run/routine classifiers to stored answers (driver fixes), keep everything else."""
    d = json.load(open(src))
    corpus = yaml.safe_load(open(corpus_path))
    cj = {j["id"]: j for j in corpus["journeys"]}
    changed = []
    for r in d["vignettes"]:
        st = run_stance(r.get("run_text", ""))
        if st != r.get("run_stance"):
            changed.append(f"{r['id']}: run {r.get('run_stance')} -> {st}")
        allowed = r["run_tomorrow_expected"]
        r["run_stance"], r["run_right"] = st, st in allowed
        r["run_unsafe"] = "no" in allowed and len(allowed) == 1 and st in ("yes", "modified")
    for r in d["journeys"]:
        spec = cj[r["id"]]
        r["hard"] = [h for h in r["hard"] if "running allowed" not in h]
        r["soft"] = [h for h in r["soft"] if "running answer unclear" not in h]
        for step, srec in zip(spec["steps"], r["steps"]):
            for s_, rec in zip(step.get("says") or [], srec["says"]):
                if s_.get("run_ok") is False:
                    st = run_stance(rec["speech"])
                    if st != rec.get("run_stance"):
                        changed.append(
                            f"{r['id']} {srec['date']} {rec['u']!r}: run {rec.get('run_stance')} -> {st}"
                        )
                    rec["run_stance"] = st
                    if st in ("yes", "modified"):
                        r["hard"].append(
                            f"{srec['date']} {rec['u']!r}: running allowed ({st}) when unsafe: {rec['speech'][:260]!r}"
                        )
                    elif st == "unclear":
                        r["soft"].append(
                            f"{srec['date']} {rec['u']!r}: running answer unclear: {rec['speech'][:220]!r}"
                        )
        r["hard_contradiction"], r["soft_problem"] = bool(r["hard"]), bool(r["soft"])
    sm = d["summary"]
    sm["run_tomorrow_right"] = sum(1 for r in d["vignettes"] if r.get("run_right"))
    sm["run_tomorrow_unsafe"] = sum(1 for r in d["vignettes"] if r.get("run_unsafe"))
    sm["journeys_hard"] = sum(1 for r in d["journeys"] if r["hard_contradiction"])
    sm["journeys_soft"] = sum(1 for r in d["journeys"] if r["soft_problem"])
    sm["hard_items"] = sum(len(r["hard"]) for r in d["journeys"])
    sm["soft_items"] = sum(len(r["soft"]) for r in d["journeys"])
    sm["rescored_from"] = src
    sm["rescore_changes"] = changed
    Path(dst).write_text(json.dumps(d, indent=1, ensure_ascii=False, default=str))
    print(json.dumps(sm, indent=1))


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--out", required=True)
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--corpus", default=str(CORPUS))
    ap.add_argument(
        "--dbdir", default=None, help="where the per-user databases go (default: a new temp dir)"
    )
    ap.add_argument("--only", default=None, help="comma-separated case ids")
    ap.add_argument(
        "--rescore",
        default=None,
        help="re-judge a saved result file's run and routine answers with this driver's "
        "classifiers (no skill run); writes --out",
    )
    a = ap.parse_args()
    if a.rescore:
        return rescore(a.rescore, a.out, a.corpus)
    hc = REPO / ".venv" / "bin" / "hipcoach"
    if not hc.exists():
        sys.exit(f"no {hc}: run `make install` in {REPO}")
    corpus = yaml.safe_load(open(a.corpus))
    patterns = corpus.get("patterns") or {}
    dbdir = a.dbdir or tempfile.mkdtemp(prefix="b7c_")
    if a.dbdir:
        shutil.rmtree(dbdir, ignore_errors=True)
        os.makedirs(dbdir)
    only = set(a.only.split(",")) if a.only else None
    vigs = [v for v in corpus["vignettes"] if not only or v["id"] in only]
    jours = [j for j in corpus["journeys"] if not only or j["id"] in only]
    t0 = time.time()
    print(
        f"[{now()}] {len(vigs)} vignettes, {len(jours)} journeys, jobs={a.jobs}, db={dbdir}",
        flush=True,
    )

    def safe(fn, case, *args):
        try:
            r = fn(case, *args)
        except Exception as e:  # a driver failure is recorded, never hides the other cases
            r = {"id": case["id"], "driver_error": repr(e)}
        print(f"[{now()}] done {case['id']}", flush=True)
        return r

    with ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        vf = [
            ex.submit(safe, run_vignette, v, str(hc), dbdir, patterns, i)
            for i, v in enumerate(vigs)
        ]
        jf = [ex.submit(safe, run_journey, j, str(hc), dbdir, patterns) for j in jours]
        vres = [f.result() for f in vf]
        jres = [f.result() for f in jf]

    def count(rs, key):
        return sum(1 for r in rs if r.get(key) is True)

    def scored(rs, key):
        return sum(1 for r in rs if r.get(key) is not None)

    git = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    summary = {
        "repo": str(REPO),
        "commit": git,
        "seconds": round(time.time() - t0, 1),
        "vignettes": len(vres),
        "under_triage": count(vres, "under_triage"),
        "over_triage": count(vres, "over_triage"),
        "level_exact": count(vres, "level_exact"),
        "no_level": count(vres, "no_level"),
        "first_cause_right": f"{count(vres, 'first_right')}/{scored(vres, 'first_right')}",
        "expected_cause_in_top3": f"{count(vres, 'first_in_top3')}/{scored(vres, 'first_in_top3')}",
        "chat_result_reached": count(vres, "chat_result_reached"),
        "chat_under_triage": count(vres, "chat_under_triage"),
        "chat_over_triage": count(vres, "chat_over_triage"),
        "tonight_right": count(vres, "tonight_right"),
        "run_tomorrow_right": count(vres, "run_right"),
        "run_tomorrow_unsafe": count(vres, "run_unsafe"),
        "driver_errors": sum(1 for r in vres + jres if r.get("driver_error")),
        "journeys": len(jres),
        "journeys_hard": count(jres, "hard_contradiction"),
        "journeys_soft": count(jres, "soft_problem"),
        "hard_items": sum(len(r.get("hard", [])) for r in jres),
        "soft_items": sum(len(r.get("soft", [])) for r in jres),
    }
    Path(a.out).write_text(
        json.dumps(
            {"summary": summary, "vignettes": vres, "journeys": jres},
            indent=1,
            ensure_ascii=False,
            default=str,
        )
    )
    print(json.dumps(summary, indent=1))
    for r in vres:
        if r.get("driver_error"):
            print(f"  DRIVER ERROR {r['id']}: {r['driver_error']}")
            continue
        flag = "UNDER" if r["under_triage"] else "over " if r["over_triage"] else "ok   "
        print(
            f"  {r['id']} {flag} cli={r['level']} chat={r.get('chat_level')} exp={r['expected']} "
            f"causes={r['causes'][:3]} first={r['first_right']} tonight={r['tonight_right']} "
            f"run={r['run_stance']}({'ok' if r['run_right'] else 'x'})"
        )
    for r in jres:
        if r.get("driver_error"):
            print(f"  DRIVER ERROR {r['id']}: {r['driver_error']}")
            continue
        print(f"  {r['id']} hard={len(r['hard'])} soft={len(r['soft'])}")
        for h in r["hard"]:
            print(f"     HARD {h}")


if __name__ == "__main__":
    main()
