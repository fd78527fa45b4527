#!/usr/bin/env python3
"""Blind corpus 7 driver (a script, not a pytest test).

Plays tests/corpora/blind7_runners.yaml through `hipcoach chat --json` (one process per session,
utterances on a pipe, one JSON reply per line) and scores what came back.

    python tests/conversations/blind7_driver.py --out result.json --jobs 6

The repo is the git top level of the current directory (or the repo holding this script);
`.venv/bin/hipcoach` is looked for there (or `hipcoach` on PATH). Databases go to a fresh temp
directory unless --db-dir is given (files for the users played are removed first).

How an answer is picked: the reply's `asking` (a finding id) selects the runner's answer bank entry
of that name; a finding with no entry is answered with the runner's own yes / no / unsure words from
their true facts; an id that is not a finding (a composite question) or a null `asking` with a
question in the speech is matched by keywords in the speech (red-flag screen, confirmation, offer
to start, "anything else"). When the driver cannot tell, the runner says their `unsure` words and
the turn is counted as `driver_unmatched`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

LEVELS = ["self_care", "see_professional", "urgent", "emergency"]
FINDINGS = {
    "pain_location": "enum",
    "pain_radiates": "enum",
    "pain_timing": "enum",
    "onset": "enum",
    "pain_quality": "enum",
    "pain_severity": "int",
    "pain_days": "int",
    "mileage_increase_pct": "num",
    "shoe_miles": "num",
}
BOOLS = """worse_lying_on_side tender_outer_hip pain_on_weight_bearing pain_lifting_leg clicking
locking_or_catching giving_way stiffness eases_with_rest worsening recurrent daily_activities_limited
night_pain numbness_or_tingling cannot_bear_weight cannot_move_leg hip_deformed sudden_swelling
fever_or_chills after_fall_or_injury recent_speedwork downhill_running one_side_weaker""".split()
for _b in BOOLS:
    FINDINGS[_b] = "bool"
RF_KNOWN = {
    "cannot_bear_weight",
    "cannot_move_leg",
    "hip_deformed",
    "sudden_swelling",
    "fever_or_chills",
    "after_fall_or_injury",
    "numbness_or_tingling",
    "pain_on_weight_bearing",
}
RED_FLAGS = {
    "cannot_bear_weight",
    "cannot_move_leg",
    "hip_deformed",
    "sudden_swelling",
    "fever_or_chills",
    "after_fall_or_injury",
    "numbness_or_tingling",
}
FALLBACK = re.compile(
    r"didn'?t (quite )?(catch|get|understand|hear)|did not (catch|understand)|not sure what you mean|"
    r"say that again|could you (say|repeat)|please repeat|try again|i missed that|sorry,? i'?m not sure i (follow|understood)|"
    r"i didn'?t follow|i'?m not sure what you said",
    re.I,
)
REFUSAL = re.compile(
    r"can'?t|cannot|can not|not able|unable|don'?t know|do not know|not something i|only (help|talk|answer)|"
    r"isn'?t something|outside (of )?what|beyond what|don'?t have (advice|information|an answer)|"
    r"not (a|an) (question|topic) i|i'?m not (a|the) |no advice|not in my|i stick to|i can only",
    re.I,
)
PRETEND_DONE = re.compile(
    r"reminder (is )?set|timer (is )?set|i'?ve set|i have set|booked|i'?ve sent|message sent|calling",
    re.I,
)
EMERGENCY_WORDS = re.compile(r"\b(911|999|112)\b|emergency|ambulance|a ?& ?e\b", re.I)
# the standing health disclaimer ("In an emergency, call 911.") is not an emergency being told
DISCLAIMER = re.compile(r"in (an|case of) emergency,? (call|dial|ring) \w+\.?", re.I)
TEXT_TOPICS = [  # used only when `asking` is not a known finding
    ("red_flag_screen", None),
    (
        "confirm",
        re.compile(r"is that right|did i get that|is that correct|have i got that|right\?$", re.I),
    ),
    ("anything_else", re.compile(r"anything else", re.I)),
    (
        "offer",
        re.compile(r"would you like|shall we|do you want|want to (start|begin|do)|ready to", re.I),
    ),
]
RF_WORDS = re.compile(
    r"fever|chill|numb|tingl|fall|fell|weight|deform|out of place|swell|move (your|the) leg|injur",
    re.I,
)


def repo_root() -> Path:
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        try:
            out = subprocess.run(
                ["git", "rev-parse", "--show-toplevel"],
                cwd=start,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
            if out and (Path(out) / ".venv/bin/hipcoach").exists():
                return Path(out)
        except Exception:
            pass
    return Path(__file__).resolve().parents[2]


ROOT = repo_root()
HIPCOACH = (
    str(ROOT / ".venv/bin/hipcoach")
    if (ROOT / ".venv/bin/hipcoach").exists()
    else (shutil.which("hipcoach") or "hipcoach")
)


class Session:
    """One `hipcoach chat --json` process; say() sends a line and returns the parsed reply."""

    def __init__(self, user: str, locale: str, date: str, db_dir: str, timeout: float = 90.0):
        env = dict(os.environ, HIPCOACH_DB=os.path.join(db_dir, f"{user}.db"))
        self.args = [HIPCOACH, "chat", "--json", "--user", user, "--locale", locale, "--date", date]
        self.proc = subprocess.Popen(
            self.args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=str(ROOT),
            bufsize=1,
        )
        self.timeout = timeout
        self.log: list[dict] = []

    def say(self, text: str) -> dict:
        if self.proc.poll() is not None:
            rep = {
                "error": f"process exited ({self.proc.returncode})",
                "speech": "",
                "asking": None,
                "result": None,
                "findings": None,
                "end_session": True,
            }
            self.log.append({"said": text, "reply": rep})
            return rep
        try:
            self.proc.stdin.write(text + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            rep = {
                "error": "broken pipe",
                "speech": "",
                "asking": None,
                "result": None,
                "findings": None,
                "end_session": True,
            }
            self.log.append({"said": text, "reply": rep})
            return rep
        deadline = time.time() + self.timeout
        rep = None
        while time.time() < deadline:
            r, _, _ = select.select([self.proc.stdout], [], [], max(0.1, deadline - time.time()))
            if not r:
                break
            line = self.proc.stdout.readline()
            if line == "":
                break
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                rep = json.loads(line)
                break
            except json.JSONDecodeError:
                continue
        if rep is None:
            err = ""
            if self.proc.poll() is not None:
                err = (self.proc.stderr.read() or "")[-600:]
            rep = {
                "error": "no reply " + err,
                "speech": "",
                "asking": None,
                "result": None,
                "findings": None,
                "end_session": True,
            }
        rep.setdefault("speech", "")
        rep["speech"] = rep.get("speech") or ""
        self.log.append({"said": text, "reply": rep})
        return rep

    def close(self):
        try:
            self.proc.stdin.close()
        except Exception:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def transcript(self):
        return [
            {
                "said": t["said"],
                "speech": t["reply"].get("speech", ""),
                "asking": t["reply"].get("asking"),
                "intent": t["reply"].get("intent"),
                "result": t["reply"].get("result"),
                "findings": t["reply"].get("findings"),
                "end_session": t["reply"].get("end_session"),
                **({"error": t["reply"]["error"]} if "error" in t["reply"] else {}),
            }
            for t in self.log
        ]


def is_fallback(speech: str) -> bool:
    return bool(FALLBACK.search(speech or ""))


def value_ok(expected, got) -> bool:
    if (
        isinstance(expected, list)
        and len(expected) == 2
        and all(isinstance(x, (int, float)) for x in expected)
    ):
        try:
            return expected[0] <= float(got) <= expected[1]
        except (TypeError, ValueError):
            return False
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got or (isinstance(got, str) and str(expected).lower() == got.lower())
    if isinstance(expected, (int, float)):
        try:
            return abs(float(got) - float(expected)) <= max(0.05 * abs(expected), 0.5)
        except (TypeError, ValueError):
            return False
    return expected == got


SCREEN_ITEMS = [  # finding -> how a list question names it (DESIGN.md meanings)
    ("after_fall_or_injury", r"fall|a blow|collision|injur"),
    ("cannot_bear_weight", r"not put weight|can'?t put weight|bear weight|stand on it"),
    ("cannot_move_leg", r"move it|move the leg|move your leg"),
    ("hip_deformed", r"out of place|deform"),
    ("sudden_swelling", r"swell"),
    ("fever_or_chills", r"fever|chill"),
    ("numbness_or_tingling", r"numb|tingl"),
    ("pain_on_weight_bearing", r"whenever you put weight|when you put weight|pain on weight"),
    ("night_pain", r"at night|wakes you"),
    ("worsening", r"getting worse|worse over|worse run"),
    ("recurrent", r"coming back|recurr|repeated"),
    ("daily_activities_limited", r"limits walking|walking|stairs|daily"),
    ("giving_way", r"gives way|give way|unstable"),
    ("clicking", r"click|pop"),
    ("locking_or_catching", r"lock|catch"),
]


def question_text(speech: str) -> str:
    """The last sentence that asks something (fix 4: the skill's "Sorry, I didn't catch that." or a
    "To be safe: ..." bridge must not be read as part of the question)."""
    parts = re.split(r"(?<=[.!?])\s+", (speech or "").strip())
    qs = [p for p in parts if p.endswith("?")]
    if not qs:
        return (speech or "").lower()
    i = parts.index(qs[-1])
    # a list question may be "Any of these: a, b, c?" in one sentence; keep a lead-in ending in ':'
    return " ".join(
        parts[max(0, i - 1) : i + 1]
        if parts[i - 1 : i] and parts[i - 1].endswith(":")
        else parts[i : i + 1]
    ).lower()


def answer_screen(runner, low, take):
    """A list question: the runner names what is true for them (their own bank words), or denies."""
    bank = runner.get("answers", {})
    facts = runner["expected"]["facts"]
    covered = [f for f, rx in SCREEN_ITEMS if re.search(rx, low)]
    true_items = [f for f in covered if facts.get(f) is True]
    sev = facts.get("pain_severity")
    sev = max(sev) if isinstance(sev, list) else sev
    if re.search(r"intense|very bad|severe", low) and isinstance(sev, (int, float)) and sev >= 8:
        true_items.append(
            "pain_severity"
        )  # fix 6: "is the pain intense?" for a runner at 8 or more
    if "rest doesn" in low and facts.get("eases_with_rest") is False:
        true_items.append("eases_with_rest")
    has_rf = any(facts.get(k) is True for k in RED_FLAGS)
    if not true_items:
        if "red_flag_screen" in bank and not has_rf:
            return "red_flag_screen", take("red_flag_screen", bank["red_flag_screen"]), "screen"
        return "screen_none", take("no", runner["no"]), "screen"
    parts = [bank[f][0] for f in true_items if f in bank]
    if parts and len(parts) < len(true_items) and has_rf and "red_flag_screen" in bank:
        parts.append(bank["red_flag_screen"][0])
    if parts:
        return "screen:" + "+".join(true_items), "yes " + " and ".join(parts), "screen"
    if "red_flag_screen" in bank and has_rf:
        return "red_flag_screen", take("red_flag_screen", bank["red_flag_screen"]), "screen"
    return "screen:" + "+".join(true_items), take("yes", runner["yes"]), "screen"


def pick_answer(runner: dict, asking, speech: str, counts: dict):
    """Return (topic, words, how)."""
    bank = runner.get("answers", {})
    facts = runner["expected"]["facts"]

    def take(topic, lst):
        i = counts.get(topic, 0)
        counts[topic] = i + 1
        return lst[min(i, len(lst) - 1)]

    if asking and asking in bank:
        return asking, take(asking, bank[asking]), "bank"
    if asking in FINDINGS:
        if asking in RF_KNOWN and asking not in facts:  # fix 6
            return asking, take("no", runner["no"]), "yes_no"
        if FINDINGS[asking] == "bool" and asking in facts:
            return asking, take(asking, runner["yes"] if facts[asking] else runner["no"]), "yes_no"
        return asking, take("unsure", runner["unsure"]), "unsure"
    low = question_text(speech)
    if asking:  # a composite question (a screen): answer from the runner's truth, in their words
        return answer_screen(runner, low, take)
    # no id: keywords
    rf_hits = len(set(m.group(0).lower()[:4] for m in RF_WORDS.finditer(low)))
    if rf_hits >= 2 or (
        asking and re.search(r"red|flag|screen|danger|safety|warning", str(asking), re.I)
    ):
        if "red_flag_screen" in bank:
            return "red_flag_screen", take("red_flag_screen", bank["red_flag_screen"]), "keywords"
        anytrue = any(facts.get(k) is True for k in RED_FLAGS)
        return (
            "red_flag_screen",
            take("red_flag_screen", runner["yes"] if anytrue else runner["no"]),
            "keywords",
        )
    for topic, rx in TEXT_TOPICS[1:]:
        if rx.search(low):
            if topic in bank:
                return topic, take(topic, bank[topic]), "keywords"
            if topic == "anything_else":
                return topic, take(topic, runner["no"]), "keywords"
            return topic, take(topic, runner["yes"]), "keywords"
    return "unsure", take("unsure", runner["unsure"]), "unmatched"


def play_runner(sess: Session, runner: dict, max_answers: int = 40) -> dict:
    counts: dict = {}
    rec = {
        "answers": 0,
        "not_understood": 0,
        "not_understood_turns": [],
        "driver_unmatched": 0,
        "interject": None,
        "result": None,
        "rf_turn": None,
        "findings": None,
        "ended_without_result": False,
    }
    last = None
    for line in runner["opening"]:
        if last is not None and last.get("end_session") and line != "open hip coach":
            pass
        last = sess.say(line)
        if line != "open hip coach" and is_fallback(last.get("speech", "")):
            rec["opening_not_understood"] = True
        if last.get("findings"):
            rec["findings"] = last["findings"]
        if last.get("result"):
            break
    if runner.get("red_flag_topic") == "opening":
        rec["rf_turn"] = {
            "said": runner["opening"][-1],
            "speech": last.get("speech", ""),
            "result": last.get("result"),
        }
    inter = runner.get("interject")
    while not last.get("result") and rec["answers"] < max_answers:
        if last.get("end_session"):
            rec["ended_without_result"] = True
            break
        if inter and rec["interject"] is None and rec["answers"] == inter["after"]:
            before = dict(last.get("findings") or {})
            rep = sess.say(inter["say"])
            after = rep.get("findings") or {}
            rec["interject"] = {
                "say": inter["say"],
                "speech": rep.get("speech", ""),
                "asking_after": rep.get("asking"),
                "fallback": is_fallback(rep.get("speech", "")),
                "findings_added": sorted(set(after) - set(before))
                if rep.get("findings") is not None
                else [],
                "check_lost": rep.get("asking") is None and not rep.get("result"),
            }
            if rep.get("findings"):
                rec["findings"] = rep["findings"]
            last = rep
            if rep.get("result") or rep.get("end_session"):
                continue
            if rep.get("asking") is None and "?" not in rep.get("speech", ""):
                # the check was dropped: the runner nudges once (driver line, fixed)
                last = sess.say("okay so what do you think is wrong with my hip")
                rec["interject"]["nudged"] = True
                continue
        asking = last.get("asking")
        if (
            asking is None
            and "?" not in question_text(last.get("speech", ""))
            or (asking is None and is_fallback(last.get("speech", "")))
        ):
            # fix 5: not in a check and nothing asked (e.g. the menu after "I didn't catch that"):
            # the runner asks for a check once, then gives up (never loops on "not sure")
            if rec.get("asked_for_check"):
                rec["stalled_at_menu"] = True
                break
            rec["asked_for_check"] = True
            rep = sess.say("can you check my hip please")
            if rep.get("findings"):
                rec["findings"] = rep["findings"]
            last = rep
            continue
        topic, words, how = pick_answer(runner, asking, last.get("speech", ""), counts)
        if how == "unmatched":
            rec["driver_unmatched"] += 1
        rep = sess.say(words)
        rec["answers"] += 1
        if rep.get("findings"):
            rec["findings"] = rep["findings"]
        reasked = (
            not rep.get("result")
            and asking is not None
            and rep.get("asking") == asking
            and how != "unsure"
        )
        if is_fallback(rep.get("speech", "")) or reasked:
            rec["not_understood"] += 1
            rec["not_understood_turns"].append(
                {"asked": asking, "said": words, "reply": rep.get("speech", "")[:300]}
            )
        rf_topic = runner.get("red_flag_topic")
        rf_true = {k for k in RED_FLAGS if runner["expected"]["facts"].get(k) is True}
        if (
            rf_topic
            and rf_topic != "opening"
            and rec["rf_turn"] is None
            and (
                topic == rf_topic
                or topic == "red_flag_screen"
                or topic in rf_true
                or (topic.startswith("screen:") and any(f in rf_true for f in topic[7:].split("+")))
            )
        ):
            rec["rf_turn"] = {
                "said": words,
                "speech": rep.get("speech", ""),
                "result": rep.get("result"),
            }
        last = rep
    rec["result"] = last.get("result")
    rec["last_end_session"] = bool(last.get("end_session"))
    return rec


def score_runner(runner: dict, rec: dict) -> dict:
    exp = runner["expected"]
    got = rec.get("findings") or {}
    wrong, missed, extra = [], [], []
    for k, v in exp["facts"].items():
        if k not in got or got[k] is None:
            missed.append(k)
        elif not value_ok(v, got[k]):
            wrong.append({"finding": k, "expected": v, "recorded": got[k]})
    for k, v in got.items():
        if k not in exp["facts"] and v is not None:
            extra.append({"finding": k, "recorded": v})
    res = rec.get("result") or {}
    level = res.get("triage")
    s = {
        "wrong": wrong,
        "missed": missed,
        "extra": extra,
        "level": level,
        "expected_level": exp["level"],
    }
    if level in LEVELS:
        d = LEVELS.index(level) - LEVELS.index(exp["level"])
        s["triage"] = "right" if d == 0 else ("under" if d < 0 else "over")
    else:
        s["triage"] = "no_result"
    conds = res.get("conditions") or []
    first = conds[0] if conds else None
    if isinstance(first, dict):
        first = first.get("id")
    s["first_cause"] = first
    s["cause_ok"] = None if not exp.get("cause") else (first in exp["cause"])
    if exp["level"] == "emergency" and runner.get("red_flag_topic"):
        t = rec.get("rf_turn")
        if t is None:
            s["emergency_on_turn"] = "never_said"
        else:
            sp = DISCLAIMER.sub(" ", t.get("speech", ""))
            told = ((t.get("result") or {}).get("triage") == "emergency") or bool(
                EMERGENCY_WORDS.search(sp)
            )
            s["emergency_on_turn"] = bool(told)
    return s


def run_runner(runner, db_dir):
    sess = Session(runner["id"], runner["locale"], "2026-12-01", db_dir)
    try:
        rec = play_runner(sess, runner)
    finally:
        sess.close()
    rec["score"] = score_runner(runner, rec)
    rec["id"] = runner["id"]
    rec["transcript"] = sess.transcript()
    return rec


def answer_part(speech: str) -> str:
    """Fix 8: the reply up to its first question; a resumed check question ("A fall, can't stand on
    it...?") must not count as the answer (its "can't" passed a nutrition question as a refusal)."""
    parts = re.split(r"(?<=[.!?])\s+", (speech or "").strip())
    out = []
    for p in parts:
        if p.endswith("?"):
            break
        out.append(p)
    return " ".join(out) if out else (speech or "")


def judge_question(q, rep, before_findings, context):
    sp = answer_part(rep.get("speech", ""))
    low = sp.lower()
    fb = is_fallback(sp)
    if q["kind"] == "answered":
        kind_ok = (not fb) and any(k.lower() in low for k in q["keys"])
    elif q["kind"] in ("cant_answer", "cant_do"):
        kind_ok = (not fb) and bool(REFUSAL.search(sp)) and not PRETEND_DONE.search(sp)
    else:
        kind_ok = (not fb) and bool(sp.strip())
    if context == "mid_check":
        after = rep.get("findings") or {}
        added = sorted(k for k in after if k not in (before_findings or {}))
        started = bool(added)
        resumed = rep.get("asking") is not None
    else:
        added = sorted((rep.get("findings") or {}).keys())
        started = rep.get("asking") is not None or bool(rep.get("findings"))
        resumed = None
    return {
        "kind_ok": kind_ok,
        "fallback": fb,
        "started_check_or_recorded": started,
        "findings_added": added,
        "check_resumed": resumed,
    }


def run_question(q, runners, db_dir):
    user = f"b7q_{q['id']}"
    sess = Session(user, q["locale"], "2026-12-01", db_dir)
    out = {"id": q["id"], "say": q["say"], "context": q["context"], "kind": q["kind"]}
    try:
        before = None
        if q["context"] == "after_result":
            rec = play_runner(sess, runners[q["setup"]])
            out["setup_result"] = rec.get("result")
            if sess.log and sess.log[-1]["reply"].get("end_session"):
                sess.say("open hip coach")
        else:
            sess.say("open hip coach")
            if q["context"] == "mid_check":
                r = sess.say("my hip hurts after running")
                before = dict(r.get("findings") or {})
                out["check_started_before_question"] = r.get("asking") is not None
        rep = sess.say(q["say"])
        out.update(judge_question(q, rep, before, q["context"]))
        out["speech"] = rep.get("speech", "")
        out["ok"] = out["kind_ok"] and not out["started_check_or_recorded"]
    finally:
        sess.close()
    out["transcript"] = sess.transcript()
    return out


def run_journey(j, runners, db_dir):
    user = f"b7j_{j['id']}"
    runner = dict(runners[j["day1_runner"]])
    s1 = Session(user, j["locale"], "2026-12-01", db_dir)
    try:
        rec = play_runner(s1, runner)
    finally:
        s1.close()
    s2 = Session(user, j["locale"], j["day2_date"], db_dir)
    try:
        rep = None
        for line in j["say"]:
            rep = s2.say(line)
    finally:
        s2.close()
    sp = (rep or {}).get("speech", "")
    low = sp.lower()
    any_ok = any(w.lower() in low for w in j["must_any"])
    bad = [w for w in j["must_not"] if w.lower() in low]
    started = (rep or {}).get("asking") is not None
    ok = any_ok and not bad and not (j.get("no_check") and started) and not is_fallback(sp)
    return {
        "id": j["id"],
        "day1_result": rec.get("result"),
        "day2_speech": sp,
        "must_any_ok": any_ok,
        "must_not_found": bad,
        "started_check": started,
        "fallback": is_fallback(sp),
        "ok": ok,
        "note": j.get("note"),
        "day1_transcript": s1.transcript(),
        "day2_transcript": s2.transcript(),
    }


def run_routine(rt, runners, db_dir):
    user = f"b7rt_{rt['id']}"
    sess = Session(user, rt["locale"], "2026-12-01", db_dir)
    steps = []
    try:
        if rt.get("setup"):
            rec = play_runner(sess, runners[rt["setup"]])
            if sess.log and sess.log[-1]["reply"].get("end_session"):
                sess.say("open hip coach")
        else:
            sess.say("open hip coach")
        prev = sess.log[-1]["reply"].get("speech", "") if sess.log else ""
        for st in rt["steps"]:
            rep = sess.say(st["say"])
            sp = rep.get("speech", "")
            low = sp.lower()
            checks = {}
            if "any" in st:
                checks["any"] = any(w.lower() in low for w in st["any"]) or (
                    st.get("ends") and bool(rep.get("end_session"))
                )
            if st.get("changed"):
                checks["changed"] = sp.strip() != prev.strip()
            if st.get("not_fallback"):
                checks["not_fallback"] = not is_fallback(sp) and bool(sp.strip() or rep.get("ssml"))
            steps.append(
                {
                    "say": st["say"],
                    "speech": sp[:400],
                    "checks": checks,
                    "ok": all(checks.values()),
                    "end_session": rep.get("end_session"),
                }
            )
            prev = sp
    finally:
        sess.close()
    return {
        "id": rt["id"],
        "steps": steps,
        "ok_steps": sum(s["ok"] for s in steps),
        "n_steps": len(steps),
        "transcript": sess.transcript(),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--corpus", default=str(ROOT / "tests/corpora/blind7_runners.yaml"))
    ap.add_argument("--db-dir", default=None)
    ap.add_argument("--only", default=None, help="comma-separated ids to play (debugging)")
    a = ap.parse_args(argv)
    corpus = yaml.safe_load(open(a.corpus))
    db_dir = a.db_dir or tempfile.mkdtemp(prefix="b7r_")
    os.makedirs(db_dir, exist_ok=True)
    for f in Path(db_dir).glob("*.db*"):
        f.unlink()
    for r in corpus["runners"]:  # YAML 1.1 reads the bare keys yes / no as booleans
        for key, name in ((True, "yes"), (False, "no")):
            if key in r:
                r[name] = r.pop(key)
    runners = {r["id"]: r for r in corpus["runners"]}
    only = set(a.only.split(",")) if a.only else None
    keep = lambda x: only is None or x["id"] in only
    t0 = time.time()
    with ThreadPoolExecutor(max_workers=a.jobs) as ex:
        fr = [ex.submit(run_runner, r, db_dir) for r in corpus["runners"] if keep(r)]
        fq = [ex.submit(run_question, q, runners, db_dir) for q in corpus["questions"] if keep(q)]
        fj = [ex.submit(run_journey, j, runners, db_dir) for j in corpus["journeys"] if keep(j)]
        ft = [ex.submit(run_routine, t, runners, db_dir) for t in corpus["routines"] if keep(t)]

        def res(fs):
            out = []
            for f in fs:
                try:
                    out.append(f.result())
                except Exception as e:  # driver bug or crash: recorded, not hidden
                    import traceback

                    out.append(
                        {
                            "id": "?",
                            "driver_error": repr(e),
                            "traceback": traceback.format_exc()[-1500:],
                        }
                    )
            return out

        R, Q, J, T = res(fr), res(fq), res(fj), res(ft)

    def pct(n, d):
        return round(100.0 * n / d, 1) if d else None

    sc = [r["score"] for r in R if "score" in r]
    answers = sum(r.get("answers", 0) for r in R)
    nu = sum(r.get("not_understood", 0) for r in R)
    n_exp_facts = sum(len(runners[r["id"]]["expected"]["facts"]) for r in R if "score" in r)
    wrong = sum(len(s["wrong"]) for s in sc)
    missed = sum(len(s["missed"]) for s in sc)
    extra = sum(len(s["extra"]) for s in sc)
    tri = {
        k: sum(1 for s in sc if s["triage"] == k) for k in ("right", "under", "over", "no_result")
    }
    emer = [s["emergency_on_turn"] for s in sc if "emergency_on_turn" in s]
    cause = [s["cause_ok"] for s in sc if s["cause_ok"] is not None]
    inter = [r["interject"] for r in R if r.get("interject")]
    summary = {
        "runners": len(R),
        "runner_answers": answers,
        "not_understood": nu,
        "not_understood_pct": pct(nu, answers),
        "driver_unmatched_turns": sum(r.get("driver_unmatched", 0) for r in R),
        "openings_not_understood": f"{sum(1 for r in R if r.get('opening_not_understood'))}/{len(R)}",
        "stalled_at_menu": sum(1 for r in R if r.get("stalled_at_menu")),
        "expected_facts": n_exp_facts,
        "wrong_values": wrong,
        "missed_facts": missed,
        "extra_facts": extra,
        "triage": tri,
        "under_triage_pct": pct(tri["under"], len(sc)),
        "over_triage_pct": pct(tri["over"], len(sc)),
        "emergency_told_on_turn": f"{sum(1 for e in emer if e is True)}/{len(emer)}",
        "emergency_never_said": sum(1 for e in emer if e == "never_said"),
        "expected_cause_first": f"{sum(cause)}/{len(cause)}",
        "mid_check_interjections": f"{sum(1 for i in inter if not i['fallback'] and not i['check_lost'] and not i['findings_added'])}/{len(inter)} answered without losing the check or recording a finding",
        "questions_right_kind": f"{sum(1 for q in Q if q.get('kind_ok'))}/{len(Q)}",
        "questions_started_check_or_recorded": f"{sum(1 for q in Q if q.get('started_check_or_recorded'))}/{len(Q)}",
        "questions_ok": f"{sum(1 for q in Q if q.get('ok'))}/{len(Q)}",
        "journeys_ok": f"{sum(1 for j in J if j.get('ok'))}/{len(J)}",
        "routine_steps_ok": f"{sum(t.get('ok_steps', 0) for t in T)}/{sum(t.get('n_steps', 0) for t in T)}",
        "driver_errors": sum(1 for x in R + Q + J + T if "driver_error" in x),
        "seconds": round(time.time() - t0, 1),
        "hipcoach": HIPCOACH,
    }
    out = {"summary": summary, "runners": R, "questions": Q, "journeys": J, "routines": T}
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    with open(a.out, "w") as fh:
        json.dump(out, fh, indent=1, default=str)
    print(json.dumps(summary, indent=1))
    for s, r in zip(sc, [r for r in R if "score" in r]):
        print(
            f"{r['id']:14s} level {str(s['level']):17s} exp {s['expected_level']:17s} {s['triage']:9s} "
            f"cause {str(s['first_cause']):22s} ok={s['cause_ok']} wrong={len(s['wrong'])} missed={len(s['missed'])} "
            f"nu={r['not_understood']}/{r['answers']}"
            + (f" emerg_on_turn={s['emergency_on_turn']}" if "emergency_on_turn" in s else "")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
